"""``Idempotency-Key`` on POST: a retried request with the same key creates nothing twice and
gets the first answer again.

==============  =====================================  =========================================
kind            key                                    value
==============  =====================================  =========================================
idempotency     sha256(caller, path, Idempotency-Key)  {state: pending|done, body_hash, created,
                                                        claim, status, headers, body
                                                        (base64)}
==============  =====================================  =========================================

Token and client-registration endpoints (``/o/``, ``/v2/auth/``, ``/ims/ob/v3p0/oauth/``) ignore
the header: their answers hold secrets, which the store never keeps. The caller is the user the
bearer token belongs to (else the client address), so keys are scoped per user and per route.
Exactly-once without one transaction spanning the key and the write (the core's batch issue is its
own LMDB transaction, and the binding offers none spanning two calls):

1. *claim*: the key is written ``pending`` with compare-and-set from nothing; only one request
   (in any worker) can win it. A request finding it ``pending`` gets 409 (the first is still
   running, or died mid-way: its outcome is unknown and is never repeated); finding it ``done``
   with the same body replays the stored answer; with a different body, 422.
2. *write*: the handler runs as usual.
3. *record*: a 2xx answer is stored with the key (kept ``idempotency_ttl`` seconds, a day) before
   the client gets it. Any other answer releases the key: the core's writes are all-or-nothing,
   and handlers validate before writing, so a refused request wrote nothing and may be retried
   with the same key.

A crash between 2 and 3 leaves the key ``pending``: retries get 409 rather than a second award,
until the key expires. Records older than the TTL are replaced when the key is used again and
purged with expired tokens.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional

import anyio
import laurel
from starlette.concurrency import run_in_threadpool

from .envelope import envelope
from .errors import ApiError
from .ratelimit import caller_key

__all__ = ["IdempotencyMiddleware", "IDEMPOTENCY_KIND", "purge"]

IDEMPOTENCY_KIND = "idempotency"
_HEADER = b"idempotency-key"
# Answers holding secrets (bearer tokens) are never stored: the store keeps only tokens' hashes.
# Those endpoints ignore the header (a retried token request just makes another token).
_SECRET_PATHS = ("/o/", "/oauth", "/v2/auth/", "/v1/user/forgot-password", "/ims/ob/v3p0/oauth/")
_KEY_MAX = 255
_REPLAYED_HEADERS = (b"content-type", b"location", b"retry-after", b"cache-control")

Scope = Dict[str, Any]
Message = Dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _fail(status: int, description: str, message: str) -> Any:
    return envelope(status_code=status, description=description, non_field_errors=[message],
                    error_code="idempotency")


class IdempotencyMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], *, ttl: float) -> None:
        self.app = app
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] != "POST"
                or scope["path"].startswith(_SECRET_PATHS)):
            await self.app(scope, receive, send)
            return
        given = next((value for name, value in scope["headers"] if name == _HEADER), None)
        if given is None:
            await self.app(scope, receive, send)
            return
        if not given or len(given) > _KEY_MAX:
            await _fail(400, "Invalid request", f"Idempotency-Key must be 1 to {_KEY_MAX} "
                        "characters")(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
        except ApiError as error:  # too large
            await error.response()(scope, receive, send)
            return
        if body is None:
            return  # the client went away
        store = scope["app"].state.store
        key = hashlib.sha256(b"\0".join([caller_key(scope).encode(), scope["path"].encode(),
                                         given])).hexdigest()
        body_hash = hashlib.sha256(body).hexdigest()
        record = {"state": "pending", "body_hash": body_hash, "created": int(time.time()),
                  "claim": secrets.token_hex(8)}
        refusal = await run_in_threadpool(_claim, store, key, record, self.ttl)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        # The answer is held back until it is recorded: a retry arriving the moment the client
        # has it must find the key done, not pending.
        captured: List[Message] = []
        recorded = False

        async def capture(message: Message) -> None:
            nonlocal recorded
            captured.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                with anyio.CancelScope(shield=True):
                    await run_in_threadpool(_record, store, key, record, captured)
                recorded = True
                for held in captured:
                    await send(held)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            if not recorded:  # no complete answer (an error escaped): release the key
                with anyio.CancelScope(shield=True):
                    await run_in_threadpool(_record, store, key, record, [])


async def _read_body(receive: Receive) -> Optional[bytes]:
    """The whole request body; None when the client went away."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _claim(store: Any, key: str, record: Dict[str, Any], ttl: float) -> Optional[Any]:
    """None when this request now holds the key, else the response to give instead."""
    for _ in range(8):
        try:
            current: Optional[Dict[str, Any]] = store.get_document(IDEMPOTENCY_KIND, key)
        except laurel.NotFound:
            current = None
        if current is not None and current.get("created", 0) + ttl > time.time():
            if current.get("body_hash") != record["body_hash"]:
                return _fail(422, "Idempotency key reused",
                             "this Idempotency-Key was used with a different request body")
            if current.get("state") != "done":
                return _fail(409, "Conflict", "a request with this Idempotency-Key is in "
                             "progress or did not finish; its outcome is not repeated")
            return _Replay(current)
        try:
            store.replace_document(IDEMPOTENCY_KIND, key, current, record)
            return None
        except laurel.Conflict:
            continue
    return _fail(409, "Conflict", "this Idempotency-Key is in use; retry")


def _record(store: Any, key: str, claimed: Dict[str, Any], messages: List[Message]) -> None:
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    status = start["status"] if start is not None else 500
    try:
        pending = store.get_document(IDEMPOTENCY_KIND, key)  # as stored (numbers normalised)
        if pending.get("claim") != claimed["claim"]:
            return  # expired and claimed by another request meanwhile: theirs now
        if 200 <= status < 300:
            headers = [[name.decode("latin-1"), value.decode("latin-1")]
                       for name, value in start.get("headers", [])
                       if name.lower() in _REPLAYED_HEADERS]
            body = b"".join(m.get("body", b"") for m in messages
                            if m["type"] == "http.response.body")
            store.replace_document(IDEMPOTENCY_KIND, key, pending, dict(
                pending, state="done", status=status, headers=headers,
                body=base64.b64encode(body).decode("ascii")))
        else:
            store.replace_document(IDEMPOTENCY_KIND, key, pending, None)
    except laurel.Error:
        pass  # the key stays pending: retries get 409, never a second write


class _Replay:
    """The stored answer, sent again (marked with ``Idempotent-Replayed: true``)."""

    def __init__(self, record: Dict[str, Any]) -> None:
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(name.encode("latin-1"), value.encode("latin-1"))
                   for name, value in self.record.get("headers", [])]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": self.record["status"],
                    "headers": headers})
        await send({"type": "http.response.body", "body": base64.b64decode(self.record["body"])})


def purge(store: Any, ttl: float, now: Optional[float] = None) -> int:
    """Deletes every record older than `ttl`; returns how many."""
    now = time.time() if now is None else now
    return sum(store.delete_document(IDEMPOTENCY_KIND, key)
               for key, record in store.list_documents(IDEMPOTENCY_KIND, None)
               if record.get("created", 0) + ttl <= now)
