"""JSON-LD to RDF and RDF Dataset Canonicalization (RDFC-1.0), from the C++ core.

The contexts Open Badges 3.0 credentials name (VC v1/v2, OB 3.0.0-3.0.3 and extensions, Data
Integrity, Multikey, Ed25519Signature2020, DID v1, security v2) are built in; any other context
must be handed in ``documents`` (URL -> JSON text or dict). Nothing is fetched.

>>> nquads = laurel.jsonld.to_nquads(credential)
>>> laurel.jsonld.canonicalize(nquads)   # canonical N-Quads, blank nodes _:c14n0, _:c14n1, ...
"""

from __future__ import annotations

import json as _json
from typing import Any, List, Mapping, Optional, Union

from . import _core

__all__ = ["to_nquads", "canonicalize", "builtin_context", "builtin_context_urls"]


def _as_text(value: Union[str, bytes, Mapping[str, Any], list], name: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    if isinstance(value, (Mapping, list)):
        return _json.dumps(value, ensure_ascii=False)
    raise TypeError(f"{name}: expected a dict, list, str or bytes, got {type(value).__name__}")


def to_nquads(document: Union[str, bytes, Mapping[str, Any], list],
              documents: Optional[Mapping[str, Any]] = None, base: str = "") -> str:
    """The document's RDF dataset as N-Quads lines (JSON-LD 1.1 toRdf; not canonical).

    Raises ValidationError (a JSON-LD error: its code and the culprit) or NotFound (a context that
    is neither built in nor in ``documents``; the message names its URL).
    """
    texts = {url: _as_text(doc, f"documents[{url!r}]") for url, doc in (documents or {}).items()}
    return _core.jsonld_to_nquads(_as_text(document, "document"), texts, base)


def canonicalize(nquads: str) -> str:
    """RDFC-1.0 canonical N-Quads (SHA-256). Raises ValidationError on a syntax error or when a
    limit (work against poison graphs, depth, quads) is exceeded."""
    return _core.rdfc_canonicalize(nquads)


def builtin_context(url: str) -> Optional[dict]:
    """The built-in context document for ``url``, or None."""
    text = _core.jsonld_builtin_context(url)
    return None if text is None else _json.loads(text)


def builtin_context_urls() -> List[str]:
    """The URLs of the built-in contexts, sorted."""
    return list(_core.jsonld_builtin_context_urls())
