"""Mail over SMTP: with --smtp the server sends recovery and confirmation mail to an SMTP server
(here a minimal one on loopback that keeps what it receives) instead of the outbox folder."""

from __future__ import annotations

import email
import re
import socketserver
import threading
from typing import Iterator, List

import httpx
import pytest

from rest_helpers import PASSWORD, Server, start_server, stop_server, unique_email


class _Sink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.messages: List[bytes] = []


class _SmtpSession(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 sink")
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 ok")
            elif verb == b"DATA":
                self.reply("354 go on")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append(b"".join(data))  # type: ignore[attr-defined]
                self.reply("250 queued")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[_Sink]:
    sink = _Sink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory: pytest.TempPathFactory, smtp_sink: _Sink) -> Iterator[Server]:
    port = smtp_sink.server_address[1]
    running = start_server(tmp_path_factory.mktemp("smtp"), workers=1,
                           env={"LAUREL_SMTP_URL": f"smtp://127.0.0.1:{port}",
                                "LAUREL_MAIL_FROM": "badges@example.edu"})
    yield running
    stop_server(running)


def test_sign_up_and_recovery_mail_go_over_smtp(smtp_server, smtp_sink):
    address = unique_email("smtp")
    created = httpx.post(f"{smtp_server.url}/v2/users", timeout=30,
                         json={"email": address, "password": PASSWORD})
    assert created.status_code == 201, created.text
    asked = httpx.post(f"{smtp_server.url}/v1/user/forgot-password", json={"email": address},
                       timeout=30)
    assert asked.status_code == 200, asked.text
    messages = [email.message_from_bytes(raw) for raw in smtp_sink.messages]
    mine = [message for message in messages if message["To"] == address]
    assert [message["Subject"] for message in mine] == ["Confirm your email address",
                                                        "Recover your account"]
    assert all(message["From"] == "badges@example.edu" for message in mine)
    body = mine[1].get_payload(decode=True).decode()
    token = re.search(r"token=(\S+)", body).group(1)
    reset = httpx.put(f"{smtp_server.url}/v1/user/forgot-password", timeout=30,
                      json={"token": token, "password": "a new password here"})
    assert reset.status_code == 200, reset.text
    assert not smtp_server.outbox.exists() or not list(smtp_server.outbox.glob("*.eml"))
