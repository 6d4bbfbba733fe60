"""Password guessing: failed password checks counted per account and per client address, in the
store, so every worker sees the same counts.

==================  =======================  ================================================
kind                key                      value
==================  =======================  ================================================
password_failures   ``account:<email key>``  {failures, since, until}: failures since `since`
                    ``address:<client ip>``  (Unix seconds); refused until `until`
==================  =======================  ================================================

After ``login_failures`` failures within ``login_window`` seconds an account is refused (429
with ``Retry-After``) for the rest of the window, whatever the password, before any hash is
computed; a client address gets ``login_address_failures`` (several people may share one
address). A correct password clears the account's count. Counting uses compare-and-set, so two
workers never lose a failure; a write per *failed* check only (a correct login writes nothing
unless there were failures). Records are purged lazily: an expired one is overwritten or deleted
when next touched, and :func:`purge` drops every expired one (called on the token purge).
"""

from __future__ import annotations

import math
import time
from typing import Any, List, Optional

import laurel

from .accounts import normalize_email
from .config import ServerConfig
from .errors import ApiError

__all__ = ["FAILURES_KIND", "keys_for", "check", "record_failure", "clear", "purge"]

FAILURES_KIND = "password_failures"


def keys_for(email: str, address: Optional[str]) -> List[str]:
    keys = [f"account:{normalize_email(email)[:300]}"]
    if address:
        keys.append(f"address:{address}")
    return keys


def _limit(config: ServerConfig, key: str) -> int:
    return config.login_failures if key.startswith("account:") else config.login_address_failures


def _get(store: Any, key: str) -> Optional[dict]:
    try:
        return store.get_document(FAILURES_KIND, key)
    except (laurel.NotFound, laurel.ValidationError):
        return None


def check(store: Any, config: ServerConfig, keys: List[str]) -> None:
    """429 with Retry-After when any of `keys` is refused now."""
    now = time.time()
    wait = max((record.get("until", 0) - now for record in map(lambda k: _get(store, k), keys)
                if record is not None), default=0)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(429, "Too many failed sign-in attempts", error_code="rate_limited",
                       non_field_errors=[f"too many wrong passwords; retry in {seconds} s"],
                       headers={"Retry-After": str(seconds)})


def record_failure(store: Any, config: ServerConfig, keys: List[str]) -> None:
    """Counts one failed password check against each key (compare-and-set)."""
    for key in keys:
        for _ in range(8):
            now = time.time()
            current = _get(store, key)
            if current is None or current.get("since", 0) + config.login_window <= now:
                updated = {"failures": 1, "since": now, "until": 0}
            else:
                updated = dict(current, failures=current.get("failures", 0) + 1)
            if updated["failures"] >= _limit(config, key):
                updated["until"] = updated["since"] + config.login_window
            try:
                store.replace_document(FAILURES_KIND, key, current, updated)
                break
            except laurel.Conflict:
                continue
            except laurel.ValidationError:
                break  # a key the store cannot hold (absurdly long): nothing to count under


def clear(store: Any, keys: List[str]) -> None:
    """Forgets the failures of `keys` (after a correct password for the account)."""
    for key in keys:
        if _get(store, key) is not None:
            store.delete_document(FAILURES_KIND, key)


def purge(store: Any, config: ServerConfig, now: Optional[float] = None) -> int:
    """Deletes every record whose window is over; returns how many."""
    now = time.time() if now is None else now
    count = 0
    for key, record in store.list_documents(FAILURES_KIND, None):
        if max(record.get("until", 0), record.get("since", 0) + config.login_window) <= now:
            count += store.delete_document(FAILURES_KIND, key)
    return count


async def verify_password(store: Any, config: ServerConfig, passwords: Any, email: str,
                          address: Optional[str], stored_hash: Optional[str],
                          password: str) -> bool:
    """Checks a password under the throttle: 429 before hashing when the account or address is
    refused; a wrong password counted, a right one clearing the account's count."""
    from .context import blocking  # context imports auth, which this module must not

    keys = keys_for(email, address)
    check(store, config, keys)
    if await passwords.run_verify(stored_hash, password):
        await blocking(clear, store, keys[:1])
        return True
    await blocking(record_failure, store, config, keys)
    return False
