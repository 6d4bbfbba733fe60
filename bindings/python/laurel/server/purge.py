"""Dropping expired records: tokens, one-time links, password-failure counts and idempotency keys.

Each worker runs :func:`purge_expired` every ``purge_interval`` seconds (and token issue also
drops the user's own expired tokens). Running it in several workers at once is harmless: each
deletion is idempotent.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

import anyio
import laurel
from starlette.concurrency import run_in_threadpool

from . import accounts, idempotency, throttle
from .auth import purge_expired_tokens
from .config import ServerConfig

__all__ = ["purge_expired", "purge_periodically"]

log = logging.getLogger("laurel.server")


def purge_expired(store: Any, config: ServerConfig) -> Dict[str, int]:
    """Deletes every expired record; returns how many of each kind."""
    return {"tokens": purge_expired_tokens(store),
            "one_time": accounts.purge_one_time(store),
            "password_failures": throttle.purge(store, config),
            "idempotency": idempotency.purge(store, config.idempotency_ttl)}


async def purge_periodically(store: Any, config: ServerConfig) -> None:
    """Runs until cancelled (at worker shutdown)."""
    while True:
        await anyio.sleep(config.purge_interval)
        try:
            counts = await run_in_threadpool(purge_expired, store, config)
        except laurel.Error as error:  # a full disk, say: try again next time
            log.warning("could not purge expired records: %s", error)
            continue
        if any(counts.values()):
            log.info("purged expired records: %s", counts)
