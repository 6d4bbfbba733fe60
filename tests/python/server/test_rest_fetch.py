"""Backpack import by URL against hostile remote servers: a real loopback server that trickles
one byte a second. The import ends at its total deadline, other users' writes and logins go on
meanwhile, one user's concurrent imports are capped (429), a client that leaves cancels the
fetch, and private addresses are refused unless the setting allows them."""

from __future__ import annotations

import socket
import threading
import time
from typing import Iterator, List, Tuple

import httpx
import pytest

from rest_helpers import (PASSWORD, Server, award, failed, login, make_user, new_badgeclass,
                          new_issuer, start_server, stop_server)

FETCH_FAILED = "could not fetch an Open Badges document from this URL"
DEADLINE = 4.0


class TricklingServer:
    """Answers every request with a 200 header, then one byte a second, until the client
    closes. Records when each connection opened and closed."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/badge.json"
        self.connections: List[List[float]] = []  # [opened, closed or 0]
        self.lock = threading.Lock()
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def open_count(self) -> int:
        with self.lock:
            return sum(1 for _, closed in self.connections if not closed)

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            record = [time.monotonic(), 0.0]
            with self.lock:
                self.connections.append(record)
            threading.Thread(target=self._trickle, args=(connection, record), daemon=True).start()

    def _trickle(self, connection: socket.socket, record: List[float]) -> None:
        try:
            connection.settimeout(1.0)
            connection.recv(65536)  # the request
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               b"Content-Length: 100000\r\n\r\n{")
            while self.running:
                try:
                    if connection.recv(1) == b"":
                        break  # the client closed
                except socket.timeout:
                    pass
                connection.sendall(b" ")
        except OSError:
            pass
        finally:
            record[1] = time.monotonic()
            connection.close()

    def close(self) -> None:
        self.running = False
        self.listener.close()


@pytest.fixture(scope="module")
def trickling() -> Iterator[TricklingServer]:
    remote = TricklingServer()
    yield remote
    remote.close()


@pytest.fixture(scope="module")
def fetch_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("fetch"), workers=1,
                           env={"LAUREL_FETCH_TIMEOUT": str(DEADLINE),
                                "LAUREL_FETCH_PER_USER": "2",
                                "LAUREL_FETCH_ALLOW_PRIVATE": "1"})
    yield running
    stop_server(running)


def _import(server: Server, token: str, url: str, timeout: float = 30) -> Tuple[int, str, float]:
    started = time.monotonic()
    response = httpx.post(f"{server.url}/v2/backpack/import", json={"url": url},
                          headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    return response.status_code, response.text, time.monotonic() - started


def _wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_a_trickling_server_meets_the_deadline_and_blocks_nobody(fetch_server, trickling):
    importer = make_user(fetch_server, "importer")
    other = make_user(fetch_server, "other")
    issuer = new_issuer(other, "Busy U")
    badgeclass = new_badgeclass(other, issuer["entityId"], "Patience")
    before = len(trickling.connections)
    results: List[Tuple[int, str, float]] = []
    threads = [threading.Thread(target=lambda: results.append(
        _import(fetch_server, importer.token, trickling.url))) for _ in range(2)]
    for thread in threads:
        thread.start()
    _wait_for(lambda: trickling.open_count() >= 2)
    # The importer's third concurrent import is refused at once.
    status, text, _ = _import(fetch_server, importer.token, trickling.url)
    assert status == 429, text
    # Other users award and log in while both imports are still fetching.
    for index in range(3):
        award(other, badgeclass["entityId"], f"learner{index}@example.org")
        assert login(fetch_server, other.email).status_code == 200
    assert all(thread.is_alive() for thread in threads)
    for thread in threads:
        thread.join(timeout=DEADLINE + 20)
    assert len(results) == 2
    for status, text, elapsed in results:
        assert status == 400 and FETCH_FAILED in text, text
        assert DEADLINE - 1 <= elapsed < DEADLINE + 5, elapsed
    _wait_for(lambda: all(closed for _, closed in trickling.connections[before:]))
    # The slots are free again.
    status, text, _ = _import(fetch_server, importer.token, trickling.url)
    assert status == 400 and FETCH_FAILED in text


def test_a_client_that_leaves_cancels_the_fetch(fetch_server, trickling):
    importer = make_user(fetch_server, "leaver")
    before = len(trickling.connections)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        _import(fetch_server, importer.token, trickling.url, timeout=1.0)
    _wait_for(lambda: len(trickling.connections) > before)
    _wait_for(lambda: trickling.connections[before][1] != 0, seconds=DEADLINE + 5)
    # Closed because the client left (about 1 s), not at the deadline.
    assert trickling.connections[before][1] - started < DEADLINE - 1


def test_unconfirmed_accounts_fetch_nothing(fetch_server, trickling):
    unconfirmed = make_user(fetch_server, "unconfirmedimport", confirm=False)
    before = len(trickling.connections)
    status, text, _ = _import(fetch_server, unconfirmed.token, trickling.url)
    assert status == 400 and "confirm an email address" in text
    time.sleep(0.3)
    assert len(trickling.connections) == before


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "10.0.0.1",
                                  "169.254.169.254", "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_private_addresses_are_refused_with_one_error_text(server, trickling, host):
    earner = make_user(server, "ssrf")
    before = len(trickling.connections)
    with earner.client() as client:
        for url in (f"http://{host}:{trickling.port}/badge.json", f"http://{host}:1/closed"):
            body = failed(client.post("/v2/backpack/import", json={"url": url}), 400)
            assert body["fieldErrors"] == {"url": [FETCH_FAILED]}
    assert len(trickling.connections) == before


def test_redirects_to_private_addresses_are_refused(server, fetch_server, trickling):
    """The redirecting server is itself on loopback, reachable only where private addresses are
    allowed; the default server refuses it before connecting."""
    redirector = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    redirector.bind(("127.0.0.1", 0))
    redirector.listen(8)
    port = redirector.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                connection, _ = redirector.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 302 Found\r\nLocation: " +
                                   trickling.url.encode() + b"\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        earner = make_user(server, "redirect")
        before = len(trickling.connections)
        with earner.client() as client:
            body = failed(client.post("/v2/backpack/import",
                                      json={"url": f"http://127.0.0.1:{port}/"}), 400)
        assert body["fieldErrors"] == {"url": [FETCH_FAILED]}
        assert len(trickling.connections) == before
        # Where private addresses are allowed the redirect is followed (to the trickler).
        allowed = make_user(fetch_server, "redirectallowed")
        status, text, _ = _import(fetch_server, allowed.token, f"http://127.0.0.1:{port}/")
        assert status == 400 and FETCH_FAILED in text
        assert len(trickling.connections) > before
    finally:
        redirector.close()
