"""The tests' own PostgreSQL server: scripts/pg-cluster.sh's cluster "pytest" under build/pg/,
started once per session (lazily: only when a test asks for a database) from an empty data
directory, and stopped at the end. Each test gets a store of its own: a fresh PostgreSQL schema
in the database `laurel`, named by the store URL's ``schema=`` parameter (docs/postgresql.md;
the store makes it on first open, in milliseconds, where a CREATE DATABASE takes 0.3 s and a
DROP a checkpoint). Nothing is dropped during the run: the next session's fresh cluster takes
the place of every schema this one made.

The URL names the server's Unix socket, e.g.
``postgresql://laurel@/laurel?host=/.../build/pg/pytest&port=5432&schema=t_3``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, List, Optional
from urllib.parse import parse_qs, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "pg-cluster.sh"
CLUSTER = "pytest"
PSQL = "/usr/lib/postgresql/15/bin/psql"
# A store over PostgreSQL keeps its signing keys under a passphrase (it has no directory for a
# key file): the tests' stores use this one.
PASSPHRASE = "pytest passphrase for the postgresql stores"


def open_store(location: str, **options: Any) -> Any:
    """laurel.Store(location), with the tests' passphrase for a database store."""
    import laurel

    if laurel.is_database_url(location):
        options.setdefault("passphrase", PASSPHRASE)
    return laurel.Store(location, **options)


def _script(*args: str) -> str:
    done = subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True,
                          env={**os.environ, "BUILD": str(REPO / "build")})
    if done.returncode != 0:
        raise RuntimeError(f"pg-cluster.sh {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def with_schema(url: str, schema: str) -> str:
    """`url` with the store in `schema`."""
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


def schema_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["schema"][0]


def with_database(url: str, database: str) -> str:
    """`url` naming `database` instead of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


class PgCluster:
    """A running cluster; `fresh_url()` makes an empty database and returns its URL."""

    def __init__(self, name: str = CLUSTER) -> None:
        self.name = name
        self.dir = REPO / "build" / "pg" / name
        self._numbers = itertools.count(1)
        self._standbys: List[str] = []
        self.url = ""

    def start(self) -> "PgCluster":
        _script("stop", self.name)
        shutil.rmtree(self.dir, ignore_errors=True)  # last session's databases go with it
        self.url = _script("start", self.name)
        return self

    def stop(self) -> None:
        for standby in self._standbys:
            _script("stop", standby)
        _script("stop", self.name)

    def sql(self, statement: str, database: str = "laurel", url: Optional[str] = None) -> str:
        """Runs one statement with psql; its output (unaligned, tuples only)."""
        target = url or with_database(self.url, database)
        done = subprocess.run([PSQL, target, "-v", "ON_ERROR_STOP=1", "-Atqc", statement],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"psql {statement!r}: {done.stderr}")
        return done.stdout.strip()

    def fresh_url(self, prefix: str = "t") -> str:
        """The URL of a store no one has used: a new schema's."""
        return with_schema(self.url, f"{prefix}_{next(self._numbers)}")

    def standby(self, name: str = CLUSTER + "-standby") -> str:
        """A hot standby of this cluster (pg_basebackup -R, streaming), started fresh; its URL
        (a store's there: with_schema(url, schema_of(the store's URL on the primary)))."""
        _script("stop", name)
        shutil.rmtree(REPO / "build" / "pg" / name, ignore_errors=True)
        url = _script("start", name, "--standby-of", self.name)
        self._standbys.append(name)
        return url
