"""Fetching what the verifier needs for POST /v2/backpack/import.

``laurel.verify`` does no I/O: the caller hands it every document the badge refers to. This
module gathers them: it follows the URL-valued references (``id``, ``badge``, ``issuer``,
``creator``, ``revocationList``, ``publicKey``) of each document it has, up to
``_MAX_DOCUMENTS``. URLs under ``--public-url`` are answered from the store without HTTP; others
are fetched over http(s), at most ``_MAX_BYTES`` each.

Fetching URLs a user supplies is dangerous in three ways, each closed here:

- *Slow servers.* Fetching runs on the event loop (no worker thread is held, so writers never
  wait for it); one import's fetching has a total deadline (``fetch_timeout`` seconds, not per
  read); each user has at most ``fetch_per_user`` imports fetching at once per worker (429 above);
  and the handler cancels the fetching when its client goes away.
- *Server-side request forgery.* Every connection, the first and each redirect's, resolves the
  host once, refuses it unless every address is public (not private, loopback, link-local — the
  cloud metadata address among them —, multicast or reserved), and connects to the checked
  address itself, so a second DNS answer cannot swap it (no check-then-use race).
  ``fetch_allow_private`` (``LAUREL_FETCH_ALLOW_PRIVATE=1``) allows them, for development.
  The service's own ``--public-url`` origin is trusted wherever it is (its documents are the
  store's; most are answered without HTTP at all).
- *Probing.* Every failure (refused, unreachable, closed port, timeout, HTTP error, too large)
  gives the one same error text, so answers do not tell open ports from closed ones.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import re
import socket
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import urljoin

import anyio
import laurel

from .config import ServerConfig
from .errors import ApiError, invalid

__all__ = ["collect_documents", "fetch_slot", "FETCH_FAILED", "is_public_address"]

_MAX_DOCUMENTS = 16
_MAX_BYTES = 2 << 20
_MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_REFERENCE_KEYS = ("id", "badge", "issuer", "creator", "revocationList", "publicKey")
_LOCAL = (
    (re.compile(r"^/public/issuers/([^/]+)/revocations$"), "revocation_list"),
    (re.compile(r"^/public/issuers/([^/]+)$"), "issuer"),
    (re.compile(r"^/public/keys/([^/]+)$"), "key"),
    (re.compile(r"^/public/badges/([^/]+)$"), "badgeclass"),
    (re.compile(r"^/public/assertions/([^/]+)$"), "assertion"),
    (re.compile(r"^/public/ob3/issuers/([^/]+)/jwks$"), "ob3_jwks"),
    (re.compile(r"^/public/ob3/issuers/([^/]+)/did\.json$"), "ob3_did"),
    (re.compile(r"^/public/ob3/issuers/([^/]+)/revocations$"), "ob3_revocation_list"),
    (re.compile(r"^/public/ob3/issuers/([^/]+)$"), "ob3_issuer"),
    (re.compile(r"^/public/ob3/achievements/([^/]+)$"), "ob3_achievement"),
)
# An issuer's Bitstring Status List (a signed VC-JWT, not a public_document kind).
_LOCAL_STATUS_LIST = re.compile(r"^/public/ob3/issuers/([^/]+)/status/([^/]+)$")
FETCH_FAILED = "could not fetch an Open Badges document from this URL"

# Imports fetching now, per user, in this worker process. Per process on purpose: a slot is held
# only while a request runs, and a counter in the store would outlive a killed worker.
_fetching: Dict[str, int] = {}


@contextmanager
def fetch_slot(user_id: str, limit: int) -> Iterator[None]:
    """Holds one of the user's `limit` concurrent fetch slots; 429 when all are taken."""
    if _fetching.get(user_id, 0) >= limit:
        raise ApiError(429, "Too many imports at once", error_code="rate_limited",
                       non_field_errors=[f"at most {limit} imports by URL at a time"],
                       headers={"Retry-After": "1"})
    _fetching[user_id] = _fetching.get(user_id, 0) + 1
    try:
        yield
    finally:
        _fetching[user_id] -= 1
        if not _fetching[user_id]:
            del _fetching[user_id]


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def _local(store: Any, config: ServerConfig, url: str) -> Optional[str]:
    base = config.base_url
    if not url.startswith(base + "/"):
        return None
    path = url[len(base):].split("?", 1)[0].split("#", 1)[0]
    public_document = getattr(store, "public_document", None)
    for pattern, kind in _LOCAL:
        match = pattern.match(path)
        if match and public_document is not None:
            try:
                return json.dumps(public_document(kind, match.group(1), base))
            except (laurel.NotFound, laurel.ValidationError):
                return None
    match = _LOCAL_STATUS_LIST.match(path)
    if match and hasattr(store, "status_list_credential"):
        try:
            return store.status_list_credential(match.group(1), match.group(2), base)
        except (laurel.NotFound, laurel.ValidationError):
            return None
    return None


class _Fetcher:
    """One import's HTTP fetching: a connection pool whose every connection goes to a checked
    address."""

    def __init__(self, config: ServerConfig) -> None:
        import httpcore  # only needed for imports by URL
        import httpx

        self._httpcore = httpcore
        own = httpx.URL(config.base_url)
        # This service's own public origin is trusted even on a private address (documents
        # under it that the store does not answer directly, such as status lists).
        default_port = 443 if own.scheme == "https" else 80
        trusted = (own.raw_host.decode("ascii"), own.port or default_port)
        guarded = _guarded_backend(httpcore, config.fetch_allow_private, trusted)
        self._pool = httpcore.AsyncConnectionPool(network_backend=guarded, max_connections=4,
                                                  retries=0)

    async def close(self) -> None:
        await self._pool.aclose()

    async def get(self, url: str) -> Optional[str]:
        """The document at `url` (following redirects), or None on any failure."""
        import httpx

        httpcore = self._httpcore
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                parsed = httpx.URL(url)
                if parsed.scheme not in ("http", "https") or not parsed.host:
                    return None
                target = httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host,
                                      port=parsed.port, target=parsed.raw_path)
                async with self._pool.stream(
                        "GET", target,
                        headers=[(b"Accept", b"application/ld+json, application/json"),
                                 (b"User-Agent", b"laurel-import")]) as response:
                    if response.status in _REDIRECTS:
                        location = dict((k.lower(), v) for k, v in response.headers).get(
                            b"location")
                        if location is None:
                            return None
                        url = urljoin(url, location.decode("latin-1"))
                        continue
                    if response.status != 200:
                        return None
                    chunks: List[bytes] = []
                    size = 0
                    async for chunk in response.aiter_stream():
                        size += len(chunk)
                        if size > _MAX_BYTES:
                            return None
                        chunks.append(chunk)
                    return b"".join(chunks).decode("utf-8", errors="replace")
            except (httpcore.ConnectError, httpcore.NetworkError, httpcore.ProtocolError,
                    httpcore.TimeoutException, httpcore.UnsupportedProtocol,
                    httpx.InvalidURL, ValueError, OSError):
                return None
        return None


def _guarded_backend(httpcore: Any, allow_private: bool, trusted: Any) -> Any:
    class GuardedBackend(httpcore.AsyncNetworkBackend):  # type: ignore[misc]
        """Resolves once, checks every address, connects to a checked address."""

        def __init__(self) -> None:
            self._inner = httpcore.AnyIOBackend()

        async def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                              local_address: Optional[str] = None,
                              socket_options: Any = None) -> Any:
            try:
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as error:
                raise httpcore.ConnectError(str(error)) from None
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
            allowed = allow_private or (host, port) == trusted
            if not addresses or not allowed and not all(map(is_public_address, addresses)):
                raise httpcore.ConnectError("address refused")
            failure: Optional[Exception] = None
            for address in addresses:
                try:
                    return await self._inner.connect_tcp(address, port, timeout=timeout,
                                                         local_address=local_address,
                                                         socket_options=socket_options)
                except httpcore.ConnectError as error:
                    failure = error
            raise failure or httpcore.ConnectError("no address")

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    return GuardedBackend()


def _jws_payload(token: str) -> Optional[Any]:
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None


def _parsed(text: Any) -> Optional[Any]:
    if isinstance(text, dict):
        return text
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return _jws_payload(text)


def _references(node: Any, found: List[str], depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _REFERENCE_KEYS and isinstance(value, str):
                found.append(value)
            elif key in _REFERENCE_KEYS and isinstance(value, list):
                found.extend(item for item in value if isinstance(item, str))
            if isinstance(value, (dict, list)):
                _references(value, found, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _references(item, found, depth + 1)


async def collect_documents(store: Any, config: ServerConfig, source: str,
                            value: Any) -> Dict[str, Any]:
    """{url: document text} for everything reachable from the input, plus ``"__input__"``: what
    to pass to ``laurel.verify`` (document text, a JWS, or image bytes). The whole gathering ends
    at ``fetch_timeout``: a URL input not fetched by then is a 400 (``FETCH_FAILED``); referenced
    documents not fetched by then are left out (the verifier names what is missing)."""
    documents: Dict[str, Any] = {}
    fetcher: Optional[_Fetcher] = None

    async def get(url: str) -> Optional[str]:
        nonlocal fetcher
        if not url.startswith(("http://", "https://")):
            return None
        local = _local(store, config, url)
        if local is not None:
            return local
        if fetcher is None:
            fetcher = _Fetcher(config)
        return await fetcher.get(url)

    try:
        with anyio.move_on_after(config.fetch_timeout):
            if source == "url":
                text = await get(value)
                if text is None:
                    raise invalid("url", FETCH_FAILED)
                documents[value] = text
                subject: Any = text
                start: Any = _parsed(text)
            elif source == "image":
                subject, start = _unbaked(value)
            else:
                subject = value
                start = _parsed(value)
            documents["__input__"] = subject
            queue: List[str] = []
            _references(start, queue)
            while queue and len(documents) < _MAX_DOCUMENTS:
                url = queue.pop(0)
                if url in documents or not url.startswith(("http://", "https://")):
                    continue
                text = await get(url)
                if text is None:
                    continue
                documents[url] = text
                _references(_parsed(text), queue)
    finally:
        if fetcher is not None:
            with anyio.CancelScope(shield=True):
                await fetcher.close()
    if "__input__" not in documents:
        raise invalid("url", FETCH_FAILED)
    return documents


def _unbaked(value: bytes) -> Any:
    """(what to verify, the document to follow) for a baked image."""
    unbake = getattr(laurel, "unbake", None)
    if unbake is None:
        raise ApiError(501, "Unbaking is not available in this build of laurel.",
                       error_code="not_implemented")
    try:
        embedded = unbake(value)
    except laurel.Error as error:
        raise invalid("image", f"no badge found in the image: {error}") from None
    start = _parsed(embedded)
    if isinstance(embedded, str) and embedded.startswith(("http://", "https://")):
        start = {"id": embedded}  # an OB 1.x / 2.0 bake of a hosted URL
    return value, start
