"""Shared fixtures: a real store, an issuer and a badge class in it, and the CLI run in-process
(or as the installed console script).

`store` (and `issuer`, `badge` over it) runs each test on both backends: an LMDB directory
(``[lmdb]``) and a database of its own on the tests' PostgreSQL server (``[postgresql]``,
pg_cluster.py). A module of tests that verify documents rather than exercise the store sets
``pytestmark = pytest.mark.lmdb_only``: its tests run on LMDB alone.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any, Iterator, List, NamedTuple

import pytest

import laurel
from laurel.cli import main as cli_main
from pg_cluster import PgCluster, open_store

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["lmdb", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lmdb_only: the module's store tests run on LMDB alone")


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Drops the [postgresql] copies of lmdb_only tests."""
    items[:] = [item for item in items
                if not (item.get_closest_marker("lmdb_only")
                        and getattr(item, "callspec", None) is not None
                        and item.callspec.params.get("backend") == "postgresql")]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    cluster = PgCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "laurel-data"


@pytest.fixture
def store_location(backend: str, data_dir: Path, request: pytest.FixtureRequest) -> str:
    """Where `store` lives: the LMDB directory, or a fresh database's URL."""
    if backend == "lmdb":
        return str(data_dir)
    return request.getfixturevalue("pg_cluster").fresh_url()


@pytest.fixture
def store(store_location: str):
    with open_store(store_location) as opened:
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
