"""Rate limiting and the request-size limit, as one pure ASGI middleware (cheaper per request than
Starlette's BaseHTTPMiddleware).

The limiter is a token bucket per *authenticated user* (the user a bearer token belongs to, looked
up in the store: a microsecond LMDB read), or per client address for requests without a known
token (a made-up bearer per request therefore lands in its address's bucket, not a fresh one) and
for the endpoints that need none (token, sign-up, recovery): `limit` requests per `window`
seconds with bursts up to `limit`. A refused request gets 429 and ``Retry-After`` (whole seconds
until a request would be allowed).

The buckets live in each worker process's memory, so with ``--workers N`` on each of M nodes a
client may get up to N x M times the limit (a load balancer spreading one client's requests).
This is a choice: sharing the buckets through the store would turn every request, reads
included, into a write transaction (an fsync each, on LMDB; a round trip and a commit to the
primary, on PostgreSQL), the service's throughput into the disk's, and a read-only node over a
standby could not count at all. The limit is a guard against one client swamping one process;
a global quota belongs in the load balancer in front of the nodes. What must hold across
workers and nodes is shared: wrong passwords are counted in the store (throttle.py), per
account and per address.
"""

from __future__ import annotations

import math
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

from .auth import access_record
from .envelope import envelope
from .errors import ApiError

__all__ = ["RateLimiter", "LimitsMiddleware", "caller_key"]

Scope = Dict[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]

# Above this many buckets, buckets that have refilled completely are dropped (they hold no
# information: a new bucket starts full), so memory stays bounded under many distinct clients.
_MAX_BUCKETS = 100_000


class RateLimiter:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = float(limit)
        self.rate = limit / window  # tokens per second
        self._buckets: Dict[str, List[float]] = {}

    def take(self, key: str, now: Optional[float] = None) -> Optional[int]:
        """Spends one token of `key`'s bucket: None when allowed, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._prune(now)
            self._buckets[key] = [self.limit - 1.0, now]
            return None
        tokens = min(self.limit, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return None
        bucket[0] = tokens
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def _prune(self, now: float) -> None:
        full = [key for key, (tokens, stamp) in self._buckets.items()
                if tokens + (now - stamp) * self.rate >= self.limit]
        for key in full:
            del self._buckets[key]


# Endpoints that take no bearer token (logins, sign-up, recovery) are limited per client address
# even when a request carries an Authorization header: otherwise a made-up header per request
# would give a password guesser a fresh bucket each time.
_BY_ADDRESS = ("/o/", "/v1/", "/v2/users", "/ims/ob/v3p0/oauth/")


def _header(headers: List[Tuple[bytes, bytes]], name: bytes) -> Optional[bytes]:
    for key, value in headers:
        if key == name:
            return value
    return None


def _user_key(scope: Scope, authorization: bytes) -> Optional[str]:
    """"u:<user id>" for a bearer token the store knows, else None."""
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        return None
    try:
        record = access_record(scope, token.strip())
    except (AttributeError, KeyError):
        return None
    return None if record is None else "u:" + str(record.get("user"))


def caller_key(scope: Scope, by_token: bool = True) -> str:
    """Who is calling: "u:<user id>" for a bearer token the store knows (when `by_token`),
    else "a:<client address>"."""
    authorization = _header(scope["headers"], b"authorization") if by_token else None
    key = _user_key(scope, authorization) if authorization is not None else None
    if key is None:
        client = scope.get("client")
        key = "a:" + (client[0] if client else "")
    return key


class LimitsMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], *, limiter: Optional[RateLimiter],
                 max_body_bytes: int) -> None:
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        length = _header(headers, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            response = envelope(status_code=413, description="Request body too large",
                                non_field_errors=[f"bodies are limited to {self.max_body_bytes} bytes"],
                                error_code="too_large", headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        if length is None:  # chunked: count while reading
            receive = self._counting(receive)
        if length not in (None, b"0") or _header(headers, b"transfer-encoding") is not None:
            receive, send = _draining(receive, send)
        if self.limiter is not None:
            key = caller_key(scope, by_token=not scope.get("path", "").startswith(_BY_ADDRESS))
            wait = self.limiter.take(key)
            if wait is not None:
                response = envelope(status_code=429, description="Too many requests",
                                    non_field_errors=[f"rate limit exceeded; retry in {wait} s"],
                                    error_code="rate_limited", headers={"Retry-After": str(wait)})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0
        limit = self.max_body_bytes

        async def counted() -> Dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise ApiError(413, "Request body too large", error_code="too_large")
            return message

        return counted


def _draining(receive: Receive, send: Send) -> Tuple[Receive, Send]:
    """Reads what is left of the request body before the response starts. An early answer (401,
    404, 429) to a request whose body is still arriving would otherwise make the server close a
    socket with unread data, which the kernel answers with a TCP reset: the client sees a
    dropped connection instead of the answer. Bodies are bounded by `max_body_bytes`."""
    done = False

    async def tracked() -> Dict[str, Any]:
        nonlocal done
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            done = True
        return message

    async def drained_send(message: Dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and not done:
            try:
                while not done:
                    await tracked()
            except ApiError:
                pass  # a chunked body over the limit: answer now
        await send(message)

    return tracked, drained_send
