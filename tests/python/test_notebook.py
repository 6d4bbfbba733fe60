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
    assert "field: recipients.2.recipient.identity" in refused
    assert "assertions so far: 0" in refused
    summary = ast.literal_eval(cell_text(code_cells[-1]).strip())
    assert summary == {"awarded": 4, "invalid": 1, "revoked": 1, "active": 3}
