"""laurel.verify, laurel.bake and laurel.unbake: the core's one verifier and baker.

The verifier does no I/O: everything a badge refers to (badge class, issuer, key, revocation list)
is handed to it in `documents`, a mapping from URL to document, which the caller fetched. The same
code runs natively, in Python, in the browser (WebAssembly) and behind the REST service, so a badge
gets the same report everywhere.

>>> report = laurel.verify(jws, documents={key_url: key_doc, issuer_url: issuer_doc, ...})
>>> report["valid"], [check["name"] for check in report["checks"] if not check["ok"]]
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping, Optional, Union

from . import _core

__all__ = ["verify", "bake", "unbake", "Report", "BadgeInput"]

Report = Dict[str, Any]
"""``{"valid": bool, "checks": [{"name", "ok", "message"}], "errors": [str], "warnings": [str],
"badge": dict | None, "recipientMatch": bool | None}``."""

BadgeInput = Union[Mapping[str, Any], str, bytes, bytearray, memoryview]


def _text_or_bytes(value: Any, name: str) -> Union[str, bytes]:
    """A document as the core reads it: dicts as canonical JSON text, str and bytes as given."""
    if isinstance(value, Mapping):
        return _core.canonical_json(dict(value))
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{name}: expected a dict, str or bytes, got {type(value).__name__}")


def _epoch(now: Union[int, float, _dt.datetime, None]) -> Optional[int]:
    if now is None:
        return None
    if isinstance(now, _dt.datetime):
        if now.tzinfo is None:  # naive datetimes are UTC, as everywhere in laurel
            now = now.replace(tzinfo=_dt.timezone.utc)
        return int(now.timestamp())
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError(f"now: expected a datetime or epoch seconds, got {type(now).__name__}")
    return int(now)


def verify(input: BadgeInput, *, documents: Optional[Mapping[str, Any]] = None,
           recipient: Optional[str] = None, now: Union[int, float, _dt.datetime, None] = None,
           recipient_type: Optional[str] = None) -> Report:
    """Verifies an Open Badge and returns the report (a dict); never raises for a bad badge.

    Args:
        input: an OB 2.0 document (dict or JSON text; a hosted assertion, or a badge class or
            issuer), a compact JWS (an OB 2.0 signed assertion or an OB 3.0 VC-JWT), or the bytes
            of a baked PNG or SVG.
        documents: ``{url: document}`` for every URL the badge refers to (badge class, issuer,
            CryptographicKey, RevocationList; for a hosted assertion also its own URL to check
            the hosted copy). Documents are dicts, JSON text or bytes. Missing ones make the
            checks that need them fail.
        recipient: an identity (e.g. an email) to match against the badge's recipient; the
            ``recipient`` check fails and the report is invalid when it does not match.
        now: the time to judge issue and expiry dates against (datetime, naive = UTC, or epoch
            seconds); default the current time.
        recipient_type: the type of `recipient` (email, url, telephone, id); default the type
            the badge declares.

    Returns ``{"valid", "checks": [{"name", "ok", "message"}], "errors", "warnings", "badge",
    "recipientMatch"}``. Hostile input (huge, deeply nested, invalid UTF-8, malformed images)
    gives ``valid: False`` with a check naming the problem. Raises TypeError for arguments of
    the wrong type. Releases the GIL while it works.
    """
    subject = _text_or_bytes(input, "input")
    document_texts: Dict[str, Union[str, bytes]] = {}
    if documents is not None:
        if not isinstance(documents, Mapping):
            raise TypeError("documents: expected a mapping of URL to document, got "
                            f"{type(documents).__name__}")
        for url, document in documents.items():
            if not isinstance(url, str):
                raise TypeError(f"documents: URLs must be str, got {type(url).__name__}")
            document_texts[url] = _text_or_bytes(document, f"documents[{url!r}]")
    return _core.verify(subject, document_texts, recipient, recipient_type, _epoch(now))


def bake(image_bytes: Union[bytes, bytearray, memoryview],
         assertion_or_jws: Union[Mapping[str, Any], str]) -> bytes:
    """The PNG or SVG `image_bytes` with the badge baked in (OB 2.0 §Baking).

    `assertion_or_jws` is an assertion (or OB 3.0 credential) document as a dict or JSON text, or
    a compact JWS. PNG: an uncompressed ``iTXt`` chunk with keyword ``openbadges`` before
    ``IEND`` (a previous badge is replaced). SVG: an ``<openbadges:assertion>`` element.

    Raises ValidationError (field ``"image"``: not a PNG/SVG, malformed or too large;
    ``"assertion"``: not a JSON object or JWS).
    """
    if not isinstance(image_bytes, (bytes, bytearray, memoryview)):
        raise TypeError(f"image_bytes: expected bytes, got {type(image_bytes).__name__}")
    if isinstance(assertion_or_jws, Mapping):
        badge = _core.canonical_json(dict(assertion_or_jws))
    elif isinstance(assertion_or_jws, str):
        badge = assertion_or_jws
    else:
        raise TypeError("assertion_or_jws: expected a dict or str, got "
                        f"{type(assertion_or_jws).__name__}")
    return _core.bake(bytes(image_bytes), badge)


def unbake(image_bytes: Union[bytes, bytearray, memoryview]) -> Union[Dict[str, Any], str]:
    """The badge baked into a PNG or SVG: the assertion as a dict, or a str (a compact JWS, or
    the URL of a hosted assertion in OB 1.x-style bakes).

    Raises ValidationError (field ``"image"``) when the image is malformed or carries no badge.
    """
    if not isinstance(image_bytes, (bytes, bytearray, memoryview)):
        raise TypeError(f"image_bytes: expected bytes, got {type(image_bytes).__name__}")
    kind, text = _core.unbake(bytes(image_bytes))
    if kind == "json":
        return _core.parse_json(text)
    return text
