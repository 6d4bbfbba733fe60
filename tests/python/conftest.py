"""Shared fixtures: a real store in a temporary directory, an issuer and a badge class in it, and
the CLI run in-process (or as the installed console script)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any, List, NamedTuple

import pytest

import laurel
from laurel.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "laurel-data"


@pytest.fixture
def store(data_dir: Path):
    with laurel.Store(data_dir) as opened:
        yield opened


@pytest.fixture
def issuer(store: laurel.Store) -> laurel.Issuer:
    return store.create_issuer("Example University", "badges@example.edu",
                               "https://example.edu", description="Badges for learners")


@pytest.fixture
def badge(store: laurel.Store, issuer: laurel.Issuer) -> laurel.BadgeClass:
    return store.create_badgeclass(issuer.entity_id, "Python 101", "Finished the course",
                                   criteria_url="https://example.edu/python-101",
                                   tags=["python", "programming"])


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """Runs `laurel ARGS...` in-process against one data directory."""

    def __init__(self, data: Path) -> None:
        self.data = data

    def __call__(self, *args: str, data: bool = True) -> CliResult:
        argv: List[str] = (["--data", str(self.data)] if data else []) + list(args)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli_main(argv)
            except SystemExit as exit_:  # argparse usage errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 1
        return CliResult(code, out.getvalue(), err.getvalue())

    def ok_json(self, *args: str) -> Any:
        result = self("--json", *args)
        assert result.code == 0, result.err
        return result.json()

    def ok_list(self, *args: str) -> List[Any]:
        """The items of a listing, which has one shape everywhere (docs/cli.md)."""
        listing = self.ok_json(*args)
        assert set(listing) == {"result", "nextCursor"}, listing
        return listing["result"]


@pytest.fixture
def cli(data_dir: Path) -> Cli:
    return Cli(data_dir)


@pytest.fixture
def cli_store(cli: Cli):
    """An initialised store for the CLI, with one issuer and one badge class: (cli, issuer id,
    badge id)."""
    assert cli("init").code == 0
    issuer = cli.ok_json("issuer", "create", "--name", "Demo U", "--email", "badges@demo.edu",
                         "--url", "https://demo.edu")
    badge = cli.ok_json("badge", "create", "--issuer", issuer["entityId"], "--name", "Demo",
                        "--description", "A demo badge")
    return cli, issuer["entityId"], badge["entityId"]
