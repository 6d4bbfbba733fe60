"""Fetching what the verifier needs for POST /v2/backpack/import.

``laurel.verify`` does no I/O: the caller hands it every document the badge refers to. This
module gathers them: it follows the URL-valued references (``id``, ``badge``, ``issuer``,
``creator``, ``revocationList``, ``publicKey``) of each document it has, up to
``_MAX_DOCUMENTS``. URLs under ``--public-url`` are answered from the store without HTTP; others
are fetched with httpx (http/https only, ``fetch_timeout`` seconds, at most ``_MAX_BYTES`` each).

Fetching URLs a user supplies lets the server reach hosts the user may not (SSRF): run the
service where its outbound network is what you want it to be.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Dict, List, Optional

import laurel

from .config import ServerConfig
from .errors import ApiError, invalid

__all__ = ["collect_documents"]

_MAX_DOCUMENTS = 16
_MAX_BYTES = 2 << 20
_REFERENCE_KEYS = ("id", "badge", "issuer", "creator", "revocationList", "publicKey")
_LOCAL = (
    (re.compile(r"^/public/issuers/([^/]+)/revocations$"), "revocation_list"),
    (re.compile(r"^/public/issuers/([^/]+)$"), "issuer"),
    (re.compile(r"^/public/keys/([^/]+)$"), "key"),
    (re.compile(r"^/public/badges/([^/]+)$"), "badgeclass"),
    (re.compile(r"^/public/assertions/([^/]+)$"), "assertion"),
)


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
    return None


def _fetch(config: ServerConfig, url: str) -> Optional[str]:
    import httpx  # only needed for imports by URL

    try:
        with httpx.Client(timeout=config.fetch_timeout, follow_redirects=True,
                          headers={"Accept": "application/ld+json, application/json"}) as client:
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    return None
                chunks: List[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > _MAX_BYTES:
                        return None
                    chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")
    except httpx.HTTPError:
        return None


def _get(store: Any, config: ServerConfig, url: str) -> Optional[str]:
    if not url.startswith(("http://", "https://")):
        return None
    local = _local(store, config, url)
    return local if local is not None else _fetch(config, url)


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


def collect_documents(store: Any, config: ServerConfig, source: str, value: Any) -> Dict[str, Any]:
    """{url: document text} for everything reachable from the input, plus ``"__input__"``: what
    to pass to ``laurel.verify`` (document text, a JWS, or image bytes)."""
    documents: Dict[str, Any] = {}
    if source == "url":
        text = _get(store, config, value)
        if text is None:
            raise invalid("url", "could not fetch an Open Badges document from this URL")
        documents[value] = text
        subject: Any = text
        start: Any = _parsed(text)
    elif source == "image":
        unbake = getattr(laurel, "unbake", None)
        if unbake is None:
            raise ApiError(501, "Unbaking is not available in this build of laurel.",
                           error_code="not_implemented")
        try:
            embedded = unbake(value)
        except laurel.Error as error:
            raise invalid("image", f"no badge found in the image: {error}") from None
        subject = value
        start = _parsed(embedded)
        if isinstance(embedded, str) and embedded.startswith(("http://", "https://")):
            start = {"id": embedded}  # an OB 1.x / 2.0 bake of a hosted URL
    else:
        subject = value
        start = _parsed(value)
    queue: List[str] = []
    _references(start, queue)
    while queue and len(documents) < _MAX_DOCUMENTS:
        url = queue.pop(0)
        if url in documents or not url.startswith(("http://", "https://")):
            continue
        text = _get(store, config, url)
        if text is None:
            continue
        documents[url] = text
        _references(_parsed(text), queue)
    documents["__input__"] = subject
    return documents
