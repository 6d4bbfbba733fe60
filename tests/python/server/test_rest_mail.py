"""Mail over SMTP and on disk. With --smtp the server sends recovery and confirmation mail to a
real SMTP server (aiosmtpd on loopback): over STARTTLS with the certificate verified, never in
clear unless allowed, and never to a server whose certificate does not verify. Without SMTP the
outbox holds the mail in files only the service's user can read."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import re
import socket
import stat
import ssl
from pathlib import Path
from typing import Iterator, List

import httpx
import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rest_helpers import (PASSWORD, Server, make_user, start_server, stop_server,
                          unique_email)


class _Keeper:
    """aiosmtpd handler: keeps every message with whether it came over TLS."""

    def __init__(self) -> None:
        self.messages: List[email.message.EmailMessage] = []
        self.tls: List[bool] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        self.tls.append(session.ssl is not None)
        return "250 queued"

    def to(self, address: str) -> List[email.message.EmailMessage]:
        return [message for message in self.messages if str(message["To"]) == address]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _certificate(folder: Path) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1 (its own CA, written to folder/ca.pem), and the
    server's TLS context."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "laurel test smtp")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(
            "127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "ca.pem", folder / "key.pem")
    return context


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    _certificate(folder)
    return folder


def _smtp(keeper: _Keeper, tls_folder: Path = None) -> Controller:
    context = None
    if tls_folder is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_folder / "ca.pem", tls_folder / "key.pem")
    controller = Controller(keeper, hostname="127.0.0.1", port=_free_port(),
                            tls_context=context, require_starttls=context is not None)
    controller.start()
    return controller


@pytest.fixture(scope="module")
def tls_smtp(certificates: Path) -> Iterator[tuple]:
    keeper = _Keeper()
    controller = _smtp(keeper, certificates)
    yield keeper, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def plain_smtp() -> Iterator[tuple]:
    keeper = _Keeper()
    controller = _smtp(keeper)
    yield keeper, controller.port
    controller.stop()


def _server(tmp_path_factory, port: int, **env: str) -> Server:
    return start_server(tmp_path_factory.mktemp("smtp"), workers=1,
                        env={"LAUREL_SMTP_URL": f"smtp://127.0.0.1:{port}",
                             "LAUREL_MAIL_FROM": "badges@example.edu", **env})


def _sign_up_and_recover(server: Server) -> tuple:
    address = unique_email("smtp")
    created = httpx.post(f"{server.url}/v2/users", timeout=30,
                         json={"email": address, "password": PASSWORD})
    assert created.status_code == 201, created.text  # a mail outage never loses the account
    asked = httpx.post(f"{server.url}/v1/user/forgot-password", json={"email": address},
                       timeout=30)
    return address, asked


def test_mail_goes_over_starttls_with_a_verified_certificate(tmp_path_factory, tls_smtp,
                                                            certificates):
    keeper, port = tls_smtp
    server = _server(tmp_path_factory, port, LAUREL_SMTP_CA_FILE=str(certificates / "ca.pem"))
    try:
        address, asked = _sign_up_and_recover(server)
        assert asked.status_code == 200, asked.text
        mine = keeper.to(address)
        assert [str(message["Subject"]) for message in mine] == [
            "Confirm your email address", "Recover your account"]
        assert all(str(message["From"]) == "badges@example.edu" for message in mine)
        assert keeper.tls[-2:] == [True, True]
        token = re.search(r"token=(\S+)", mine[1].get_content()).group(1)
        reset = httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                          json={"token": token, "password": "a new password here"})
        assert reset.status_code == 200, reset.text
        assert not server.outbox.exists() or not list(server.outbox.glob("*.eml"))
    finally:
        stop_server(server)


def test_a_certificate_that_does_not_verify_gets_no_mail(tmp_path_factory, tls_smtp):
    keeper, port = tls_smtp
    server = _server(tmp_path_factory, port)  # the system's CAs do not know the test CA
    try:
        address, asked = _sign_up_and_recover(server)
        assert asked.status_code == 503, asked.text
        assert keeper.to(address) == []
    finally:
        stop_server(server)


def test_no_starttls_means_no_mail_unless_cleartext_is_allowed(tmp_path_factory, plain_smtp):
    keeper, port = plain_smtp
    server = _server(tmp_path_factory, port)
    try:
        address, asked = _sign_up_and_recover(server)
        assert asked.status_code == 503, asked.text
        assert keeper.to(address) == []
    finally:
        stop_server(server)
    server = _server(tmp_path_factory, port, LAUREL_SMTP_ALLOW_CLEARTEXT="1")
    try:
        address, asked = _sign_up_and_recover(server)
        assert asked.status_code == 200, asked.text
        assert [str(m["Subject"]) for m in keeper.to(address)] == [
            "Confirm your email address", "Recover your account"]
        assert keeper.tls[-1] is False
    finally:
        stop_server(server)


def test_outbox_mail_is_readable_by_the_service_user_only(server):
    user = make_user(server, "private", confirm=False)
    assert stat.S_IMODE(server.outbox.stat().st_mode) == 0o700
    files = list(server.outbox.glob("*.eml"))
    assert files and all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    assert server.mails_to(user.email)
