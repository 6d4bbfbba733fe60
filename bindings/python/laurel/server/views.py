"""The wire form of entities: the core's Badgr v2 dicts plus the URLs only the server knows
(``openBadgeId`` and friends, under ``--public-url``), and the reverse for request bodies.

Public paths (as Badgr's): issuers ``/public/issuers/{id}``, badge classes ``/public/badges/{id}``,
assertions ``/public/assertions/{id}``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Dict, Optional

__all__ = ["Urls", "strip_server_keys", "decode_open_badge_id"]

Doc = Dict[str, Any]

# Keys the server adds to an entity; a client may echo them back in PUT/PATCH (Badgr clients GET,
# edit, PUT), so they are removed before the body reaches the core, which would refuse them.
_SERVER_KEYS = {
    "Issuer": ("openBadgeId",),
    "BadgeClass": ("openBadgeId", "issuerOpenBadgeId"),
    "Assertion": ("openBadgeId", "badgeclassOpenBadgeId", "issuerOpenBadgeId", "image"),
}


class Urls:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def issuer(self, entity_id: str) -> str:
        return f"{self.base}/public/issuers/{entity_id}"

    def badgeclass(self, entity_id: str) -> str:
        return f"{self.base}/public/badges/{entity_id}"

    def assertion(self, entity_id: str) -> str:
        return f"{self.base}/public/assertions/{entity_id}"

    def issuer_view(self, issuer: Doc) -> Doc:
        issuer["openBadgeId"] = self.issuer(issuer["entityId"])
        return issuer

    def badgeclass_view(self, badgeclass: Doc) -> Doc:
        badgeclass["openBadgeId"] = self.badgeclass(badgeclass["entityId"])
        badgeclass["issuerOpenBadgeId"] = self.issuer(badgeclass["issuer"])
        return badgeclass

    def assertion_view(self, assertion: Doc) -> Doc:
        entity_id = assertion["entityId"]
        assertion["openBadgeId"] = self.assertion(entity_id)
        assertion["badgeclassOpenBadgeId"] = self.badgeclass(assertion["badgeclass"])
        assertion["issuerOpenBadgeId"] = self.issuer(assertion["issuer"])
        assertion["image"] = f"{self.assertion(entity_id)}/image"
        return assertion

    def local_id(self, url: str, kind: str) -> Optional[str]:
        """The entityId in one of our public URLs of `kind` (issuers, badges, assertions), or
        None when `url` is not ours."""
        prefix = f"{self.base}/public/{kind}/"
        if not url.startswith(prefix):
            return None
        rest = url[len(prefix):].split("?", 1)[0].split("#", 1)[0]
        return rest if rest and "/" not in rest else None


def strip_server_keys(body: Doc, entity_type: str) -> Doc:
    return {key: value for key, value in body.items()
            if key not in _SERVER_KEYS[entity_type]}


def decode_open_badge_id(encoded: str) -> Optional[str]:
    """Badgr's ``{issuerOpenBadgeIdBase64}``: a URL in base64 (standard or URL-safe, padding
    optional). None when it does not decode to text."""
    padded = encoded + "=" * (-len(encoded) % 4)
    for decoder in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            return decoder(padded).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
    return None
