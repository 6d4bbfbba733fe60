"""The service's own behaviour (issue 12): early answers to large bodies arrive whole (no TCP
reset), `serve --workers 2` fails loudly when no worker starts, and expired records are
purged."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import laurel
import pytest

from rest_helpers import PASSWORD, login, make_user, start_server, stop_server


def _post_large_body(url: str, path: str, size: int) -> bytes:
    """Sends a `size`-byte body with Connection: close on a raw socket, then reads the whole
    answer; a reset on either side raises ConnectionResetError."""
    host, port = url.rsplit("/", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Connection: close\r\nContent-Length: {size}\r\n\r\n".encode())
        chunk = b" " * 65536
        for offset in range(0, size, len(chunk)):
            sock.sendall(chunk[:size - offset])
        answer = b""
        while True:
            data = sock.recv(65536)
            if not data:
                return answer
            answer += data


@pytest.mark.parametrize("path, status", [("/v2/issuers", b"401"), ("/v2/no-such-route", b"404")])
def test_early_answers_to_large_bodies_arrive_whole(server, path, status):
    for _ in range(3):
        answer = _post_large_body(server.url, path, 8 << 20)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.split(b" ")[1] == status, head
        assert body.endswith(b"}")  # the whole envelope, then a clean close


def test_serve_exits_non_zero_when_no_worker_starts(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "data.mdb").write_bytes(os.urandom(65536))  # not an LMDB file: every worker fails
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = subprocess.run([sys.executable, "-m", "laurel", "--data", str(data), "serve",
                           "--port", str(port), "--workers", "2", "--log-level", "warning"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "MDB_INVALID" in done.stdout + done.stderr


def test_expired_tokens_and_links_are_purged(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("purge"), workers=1,
                           env={"LAUREL_ACCESS_TOKEN_TTL": "1", "LAUREL_REFRESH_TOKEN_TTL": "2",
                                "LAUREL_RECOVERY_TOKEN_TTL": "4", "LAUREL_PURGE_INTERVAL": "1"})
    try:
        user = make_user(running, "purged")
        for _ in range(3):
            assert login(running, user.email, PASSWORD).status_code == 200
        asked = httpx.post(f"{running.url}/v1/user/forgot-password", json={"email": user.email},
                           timeout=30)  # a recovery link never used
        assert asked.status_code == 200
        with running.open_store() as store:
            assert store.list_documents("one_time", None)
        time.sleep(6.5)
        with running.open_store() as store:
            left = {kind: [key for key, _ in store.list_documents(kind, None)]
                    for kind in ("access_token", "refresh_token", "user_token", "one_time")}
        assert left == {"access_token": [], "refresh_token": [], "user_token": [],
                        "one_time": []}, left
    finally:
        stop_server(running)
