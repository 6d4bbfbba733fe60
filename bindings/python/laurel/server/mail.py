"""Outgoing mail (account recovery, email confirmation).

With ``smtp_url`` set, messages go over SMTP (``smtp://host:port`` with STARTTLS when the server
offers it, or ``smtps://host:port``). Otherwise each message is written as an RFC 5322 ``.eml``
file into the outbox folder (default ``<data>/outbox``): written to a temporary name, then
renamed, so a reader never sees half a message.
"""

from __future__ import annotations

import os
import secrets
import smtplib
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
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{secrets.token_hex(4)}"
    temporary = outbox / f".{name}.tmp"
    temporary.write_bytes(bytes(message))
    os.replace(temporary, outbox / f"{name}.eml")


def _send_smtp(config: ServerConfig, message: EmailMessage) -> None:
    url = urlsplit(config.smtp_url)
    host = url.hostname or "localhost"
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=10)
    else:
        client = smtplib.SMTP(host, url.port or 25, timeout=10)
    with client:
        client.ehlo()
        if url.scheme != "smtps" and client.has_extn("starttls"):
            client.starttls()
        if config.smtp_user:
            client.login(config.smtp_user, config.smtp_password)
        client.send_message(message)
