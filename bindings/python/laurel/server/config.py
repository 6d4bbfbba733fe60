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

__all__ = ["ServerConfig"]

_ENV_PREFIX = "LAUREL_"


@dataclass(frozen=True)
class ServerConfig:
    """Everything the service needs to know; every field has an environment variable
    ``LAUREL_<FIELD IN UPPER CASE>`` (``data`` is ``LAUREL_DATA``)."""

    data: str = "./laurel-data"
    """The store's directory (one LMDB environment, shared by every worker)."""
    public_url: str = "http://127.0.0.1:8000"
    """Base of every public document id (``{public_url}/public/assertions/{id}``)."""
    rate_limit: int = 6000
    """Requests per `rate_window` seconds allowed per token (or per client address without one),
    per worker process. 0 turns rate limiting off."""
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
    mail_from: str = "laurel@localhost"
    outbox: str = ""
    """Folder for outgoing mail when no SMTP server is set; default ``<data>/outbox``."""
    web_demo: str = ""
    """Folder of the built web-demo widget served at /verify; default: the one the installed
    wheel carries, else the repository's ``web-demo/`` when it is built."""
    max_body_bytes: int = 16 << 20
    """Largest request body accepted (413 above)."""
    max_batch: int = 10000
    """Most recipients in one POST /v2/badgeclasses/{id}/issue or items in one batch revoke."""
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    fetch_timeout: float = 10.0
    """Seconds allowed to fetch a remote badge for POST /v2/backpack/import."""

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/")

    @property
    def outbox_dir(self) -> Path:
        return Path(self.outbox) if self.outbox else Path(self.data) / "outbox"

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
            try:
                values[field.name] = kind(raw) if kind in (int, float) else raw
            except ValueError:
                raise ValueError(f"{name}: expected a number, got {raw!r}") from None
        return cls(**values)
