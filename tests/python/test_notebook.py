"""docs/examples/bulk-award.ipynb runs top to bottom on a fresh kernel and shows what it says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "examples" / "bulk-award.ipynb"


def cell_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "".join(parts)


@pytest.mark.slow
def test_bulk_award_notebook_executes(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("pandas")
    # jupyter_core warns (DeprecationWarning) unless told to use platformdirs already.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()

    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [output for cell in code_cells for output in cell.outputs
              if output.get("output_type") == "error"]
    assert errors == []
    refused = next(cell_text(c) for c in code_cells if "refused:" in cell_text(c))
    assert "recipients['S003'].recipient.identity" in refused and "row: S003" in refused
    assert "badges awarded so far: 0" in refused
    summary = ast.literal_eval(cell_text(code_cells[-1]).strip())
    assert summary == {"awarded": 4, "invalid": 1, "skipped on the re-run": 4, "revoked": 1,
                       "active": 3}


def test_the_committed_notebook_carries_its_outputs():
    """Readers on a code host see the results without running it: every code cell was run, in
    order, and none failed (re-run with the command in docs/quickstart.md)."""
    import json

    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code_cells] == list(
        range(1, len(code_cells) + 1))
    assert all(cell["outputs"] for cell in code_cells)
    assert not any(output["output_type"] == "error" for cell in code_cells
                   for output in cell["outputs"])
