"""Fixtures for the REST tests: real `laurel serve` processes on loopback.

`server` (uvicorn with 2 workers) starts once per session for each backend: over an LMDB store
in a temporary directory, and over a database of the tests' PostgreSQL server (every test using
it runs on both); `strict_server` (1 worker, 30 requests a minute, 2-second access tokens) once per module
that uses it. `alice` and `bob` are confirmed accounts on `server`. Mail goes to each server's
outbox folder, where the tests read confirmation and recovery tokens.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from rest_helpers import Server, User, make_user, start_server, stop_server


@pytest.fixture(scope="session", params=["lmdb", "postgresql"])
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The REST suite's server, once over LMDB and once over PostgreSQL: every test that uses it
    runs on both backends (pytest groups them: one server of each kind per session)."""
    data = (request.getfixturevalue("pg_cluster").fresh_url("rest")
            if request.param == "postgresql" else None)
    running = start_server(tmp_path_factory.mktemp("server"), workers=2, data=data)
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("strict"), workers=1,
                           env={"LAUREL_RATE_LIMIT": "30", "LAUREL_RATE_WINDOW": "60",
                                "LAUREL_ACCESS_TOKEN_TTL": "2"})
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def alice(server: Server) -> User:
    return make_user(server, "alice")


@pytest.fixture(scope="session")
def bob(server: Server) -> User:
    return make_user(server, "bob")


