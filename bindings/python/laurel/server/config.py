"""The REST service's settings.

One frozen :class:`ServerConfig`, built from `laurel serve` options or from ``LAUREL_*`` environment
variables. The environment is how uvicorn's worker processes receive it: ``laurel serve`` writes the
config to the environment and every worker rebuilds it with :meth:`ServerConfig.from_env`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional

from ..store import is_database_url

__all__ = ["ServerConfig"]

_ENV_PREFIX = "LAUREL_"
_NO_OUTBOX = ("with a database URL as the store, mail needs --smtp URL (LAUREL_SMTP_URL) or "
              "--outbox DIR (LAUREL_OUTBOX): there is no data directory to put the outbox in")


@dataclass(frozen=True)
class ServerConfig:
    """Everything the service needs to know; every field has an environment variable
    ``LAUREL_<FIELD IN UPPER CASE>`` (``data`` is ``LAUREL_DATA``)."""

    data: str = "./laurel-data"
    """The store: a directory (one LMDB environment, shared by every worker on this host) or a
    PostgreSQL URL ``postgresql://user:password@host/db`` (shared by every node over the
    database)."""
    public_url: str = "http://127.0.0.1:8000"
    """Base of every public document id (``{public_url}/public/assertions/{id}``)."""
    rate_limit: int = 6000
    """Requests per `rate_window` seconds allowed per token (or per client address without one),
    per worker process (each node's each worker counts on its own: see ratelimit.py). 0 turns
    rate limiting off."""
    rate_window: float = 60.0
    access_token_ttl: int = 24 * 3600
    """Seconds an access token from POST /o/token lives."""
    refresh_token_ttl: int = 30 * 24 * 3600
    issuer_token_ttl: int = 365 * 24 * 3600
    """Seconds an issuer token (POST /v2/auth/tokens/issuers) lives."""
    recovery_token_ttl: int = 3600
    """Seconds a password-recovery or email-confirmation link stays valid."""
    smtp_url: str = ""
    """``smtp://host:port`` (or ``smtps://``) to send mail; empty writes mail to `outbox`."""
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_allow_cleartext: bool = False
    """Send over ``smtp://`` even when the server offers no STARTTLS (a trusted local relay).
    Off: such a server gets no mail (certificates are always verified when TLS is used)."""
    smtp_ca_file: str = ""
    """PEM file of the CAs that sign the SMTP server's certificate; default: the system's."""
    mail_from: str = "laurel@localhost"
    outbox: str = ""
    """Folder for outgoing mail when no SMTP server is set; default ``<data>/outbox`` when `data`
    is a directory. A database URL has no folder to put it in: set `smtp_url` or `outbox`
    (:meth:`check` refuses to start otherwise). The folder is the node's own (a development
    stand-in for SMTP), never read back by the service."""
    web_demo: str = ""
    """Folder of the built web-demo widget served at /verify; default: the one the installed
    wheel carries, else the repository's ``web-demo/`` when it is built."""
    max_body_bytes: int = 16 << 20
    """Largest request body accepted (413 above)."""
    purge_interval: float = 3600.0
    """Seconds between sweeps of expired tokens, one-time links, password-failure counts and
    idempotency keys (each worker sweeps; 0 turns the sweep off)."""
    idempotency_ttl: float = 24 * 3600.0
    """Seconds a POST's answer is kept under its ``Idempotency-Key`` for replay."""
    max_batch: int = 10000
    """Most recipients in one POST /v2/badgeclasses/{id}/issue or items in one batch revoke."""
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    argon2_concurrency: int = 2
    """Password hashes computed at once per worker (each takes `argon2_memory_kib`)."""
    argon2_wait: float = 5.0
    """Seconds a password check waits for a turn before answering 429."""
    login_failures: int = 10
    """Wrong passwords per account within `login_window` before the account's sign-ins are
    refused (429) until the window ends; counted in the store, shared by every worker."""
    login_address_failures: int = 100
    """Wrong passwords per client address within `login_window` (the same, per address)."""
    login_window: float = 300.0
    fetch_timeout: float = 10.0
    """Seconds allowed for all the fetching of one POST /v2/backpack/import (a total deadline,
    not per read)."""
    fetch_per_user: int = 2
    """Imports one user may have fetching at once, per worker process (429 above)."""
    read_only: bool = False
    """Serve reads only and refuse every write with 503 ``read_only`` (a node over a database
    standby; server/readonly.py). No background purge runs."""
    fetch_allow_private: bool = False
    """Let imports by URL reach private, loopback and link-local addresses (development only:
    this opens the service to server-side request forgery)."""

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def data_is_url(self) -> bool:
        return is_database_url(self.data)

    @property
    def outbox_dir(self) -> Path:
        """Where mail goes without SMTP: `outbox`, else ``<data>/outbox`` for a directory."""
        if self.outbox:
            return Path(self.outbox)
        if self.data_is_url:
            raise ValueError(_NO_OUTBOX)
        return Path(self.data) / "outbox"

    def check(self) -> None:
        """Raises ValueError for settings that cannot work together (before serving)."""
        if self.data_is_url and not (self.smtp_url or self.outbox):
            raise ValueError(_NO_OUTBOX)

    @property
    def web_demo_dir(self) -> Optional[Path]:
        """The widget's folder when it is built (its page and the WASM module), else None:
        `web_demo` when set, else the copy an installed wheel carries (laurel/web/), else a
        source checkout's ``web-demo/`` (an editable install; `make wasm` builds it)."""
        if self.web_demo:
            candidates = [Path(self.web_demo)]
        else:
            package = Path(__file__).resolve().parents[1]  # .../laurel/
            candidates = [package / "web", package.parents[2] / "web-demo"]
        for candidate in candidates:
            built = candidate / "laurel" / "laurel.mjs"
            if (candidate / "index.html").is_file() and built.is_file():
                return candidate
        return None

    def to_env(self) -> Dict[str, str]:
        """The ``LAUREL_*`` variables that rebuild this config in a worker process."""
        return {_ENV_PREFIX + field.name.upper(): str(getattr(self, field.name))
                for field in dataclasses.fields(self)}

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "ServerConfig":
        """Reads ``LAUREL_*`` variables; unset ones keep their defaults. A malformed number
        raises ValueError naming the variable."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in dataclasses.fields(cls):
            name = _ENV_PREFIX + field.name.upper()
            if name not in environ:
                continue
            raw = environ[name]
            kind = type(field.default)
            if kind is bool:
                values[field.name] = _flag(name, raw)
                continue
            try:
                values[field.name] = kind(raw) if kind in (int, float) else raw
            except ValueError:
                raise ValueError(f"{name}: expected a number, got {raw!r}") from None
        return cls(**values)


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"{name}: expected 1/true/yes or 0/false/no, got {raw!r}")
