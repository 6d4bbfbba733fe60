"""Read-only nodes (``laurel serve --read-only``): a node over a PostgreSQL hot standby (or any
store it must not change) serves every read (public documents, status lists, verification, the
API's GETs with tokens made on the primary) and refuses every write up front, before a handler
runs: 503 with ``errorCode: "read_only"``, naming why, never a half-done request. No Retry-After:
retrying here never helps; the client writes through a node on the primary.

A GET that would write (the email-confirmation link) reaches the store, whose write the standby
refuses: that is a laurel.StorageError, answered 503 as well (server/errors.py), never a 500.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict

from .envelope import envelope

__all__ = ["ReadOnlyMiddleware", "READ_METHODS"]

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READ_METHODS:
            response = envelope(
                status_code=503, description="This node is read-only",
                non_field_errors=["this node serves reads only (laurel serve --read-only, "
                                  "e.g. over a database standby); send writes to a node on "
                                  "the primary database"],
                error_code="read_only")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
