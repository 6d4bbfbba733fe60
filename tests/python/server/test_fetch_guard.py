"""The import fetcher's SSRF guard on redirects, with real sockets: a server on 127.0.0.2 stands
in for a public host (the test counts that one address as public, since this machine has no
other) and redirects to 127.0.0.1; the guard refuses the second hop before connecting."""

from __future__ import annotations

import socket
import threading
from typing import List

import anyio

from laurel.server import fetch
from laurel.server.config import ServerConfig


def _serve(address: str, answer: bytes, seen: List[bytes]) -> socket.socket:
    listener = socket.socket()
    listener.bind((address, 0))
    listener.listen(8)

    def run() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                seen.append(connection.recv(65536))
                connection.sendall(answer)

    threading.Thread(target=run, daemon=True).start()
    return listener


def _get(url: str, config: ServerConfig):
    async def run():
        fetcher = fetch._Fetcher(config)
        try:
            return await fetcher.get(url)
        finally:
            await fetcher.close()

    return anyio.run(run)


def test_a_redirect_to_a_private_address_is_refused(monkeypatch):
    public = fetch.is_public_address
    monkeypatch.setattr(fetch, "is_public_address",
                        lambda address: address == "127.0.0.2" or public(address))
    private_hits: List[bytes] = []
    private = _serve("127.0.0.1", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                     private_hits)
    target = f"http://127.0.0.1:{private.getsockname()[1]}/secret"
    redirect_hits: List[bytes] = []
    redirector = _serve("127.0.0.2", b"HTTP/1.1 302 Found\r\nLocation: " + target.encode() +
                        b"\r\nContent-Length: 0\r\n\r\n", redirect_hits)
    config = ServerConfig(public_url="http://laurel.invalid")
    try:
        url = f"http://127.0.0.2:{redirector.getsockname()[1]}/badge"
        assert _get(url, config) is None
        assert len(redirect_hits) == 1 and private_hits == []  # refused before connecting
        # The same chain where private addresses are allowed reaches the target.
        allowed = ServerConfig(public_url="http://laurel.invalid", fetch_allow_private=True)
        assert _get(url, allowed) == "{}"
        assert len(private_hits) == 1
        # The public stand-in itself is fetched directly; 127.0.0.1 is not.
        assert _get(target, config) is None and len(private_hits) == 1
    finally:
        private.close()
        redirector.close()


def test_public_address_rules():
    for address in ("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                    "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fd00:ec2::254",
                    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "240.0.0.1", "not an address"):
        assert not fetch.is_public_address(address), address
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:8.8.8.8"):
        assert fetch.is_public_address(address), address
