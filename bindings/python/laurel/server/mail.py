"""Outgoing mail (account recovery, email confirmation).

With ``smtp_url`` set, messages go over SMTP: ``smtps://host:port`` (TLS from the start) or
``smtp://host:port`` upgraded with STARTTLS. Certificates are verified (the system's CAs,
``ssl.create_default_context``); a server that does not offer STARTTLS gets nothing (the mail
holds login links and tokens) unless ``smtp_allow_cleartext`` is set, for a relay on a trusted
network. Otherwise each message is written as an RFC 5322 ``.eml`` file into the outbox folder
(default ``<data>/outbox``), readable by the service's user only (files 0600 in a 0700 folder:
they hold recovery and registration tokens): written to a temporary name, then renamed, so a
reader never sees half a message.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import ssl
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from .config import ServerConfig

__all__ = ["send_mail"]


def send_mail(config: ServerConfig, to: str, subject: str, text: str) -> None:
    """Sends one plain-text message. Errors: OSError / smtplib.SMTPException from the transport."""
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if config.smtp_url:
        _send_smtp(config, message)
        return
    outbox = config.outbox_dir
    outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(outbox, 0o700)  # also when an older version made it 0755
    name = f"{time.time_ns()}-{secrets.token_hex(4)}"
    temporary = outbox / f".{name}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(bytes(message))
    os.replace(temporary, outbox / f"{name}.eml")


class CleartextRefused(smtplib.SMTPException):
    """The SMTP server offers no STARTTLS and cleartext is not allowed."""


def _tls_context(config: ServerConfig) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=config.smtp_ca_file or None)
    return context


def _send_smtp(config: ServerConfig, message: EmailMessage) -> None:
    url = urlsplit(config.smtp_url)
    host = url.hostname or "localhost"
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=10,
                                                context=_tls_context(config))
    else:
        client = smtplib.SMTP(host, url.port or 25, timeout=10)
    with client:
        client.ehlo()
        if url.scheme != "smtps":
            if client.has_extn("starttls"):
                client.starttls(context=_tls_context(config))
                client.ehlo()
            elif not config.smtp_allow_cleartext:
                raise CleartextRefused(f"{host} offers no STARTTLS; not sending in clear "
                                       "(set smtp_allow_cleartext to allow it)")
        if config.smtp_user:
            client.login(config.smtp_user, config.smtp_password)
        client.send_message(message)
