"""The wire form of entities: the core's Badgr v2 dicts plus what only the server knows (the URLs
under ``--public-url``, the Badgr fields kept beside the entity, staff profiles, the owning
organization), and the reverse for request bodies.

Public paths (as Badgr's): issuers ``/public/issuers/{id}``, badge classes ``/public/badges/{id}``,
assertions ``/public/assertions/{id}``, each with ``/image``. An entity's ``image`` is always
its public image URL (the bytes are stored once, in the entity); ``id`` is the ``entityId``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Dict, Optional, Tuple

import laurel

from . import extras
from ..organizations import organization_of

__all__ = ["Urls", "strip_server_keys", "decode_open_badge_id"]

Doc = Dict[str, Any]


class Urls:
    """URLs and views. `store` is set by the app's lifespan (views read kept fields, staff
    profiles and organizations from it)."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.store: Any = None

    def issuer(self, entity_id: str) -> str:
        return f"{self.base}/public/issuers/{entity_id}"

    def badgeclass(self, entity_id: str) -> str:
        return f"{self.base}/public/badges/{entity_id}"

    def assertion(self, entity_id: str) -> str:
        return f"{self.base}/public/assertions/{entity_id}"

    def _kept(self, entity: Doc, entity_type: str) -> Doc:
        """Puts the kept Badgr fields on `entity` (each documented one, null when unset);
        returns them."""
        kept = (extras.load(self.store, entity_type, entity["entityId"])
                if self.store is not None else {})
        for key in extras.KEPT[entity_type]:
            if key != "alignmentFlags":
                entity.setdefault(key, kept.get(key))
        if entity.get("source") is None:
            entity["source"] = "local"  # Badgr's name for records made here, not imported
        return kept

    def _image_url(self, entity: Doc, url: str) -> None:
        """``image`` as the URL serving it; ``imagePath`` its path on this server."""
        if entity.get("image"):
            entity["image"] = f"{url}/image"
            entity["imagePath"] = f"{url}/image"[len(self.base) + 1:]
        else:
            entity["imagePath"] = None

    def _staff_profile(self, user_id: str) -> Optional[Doc]:
        from .accounts import USER_KIND, profile  # accounts -> auth -> ... -> views
        try:
            found = profile(self.store.get_document(USER_KIND, user_id))
        except (laurel.NotFound, laurel.ValidationError):
            return None
        return found

    def issuer_view(self, issuer: Doc) -> Doc:
        entity_id = issuer["entityId"]
        self._kept(issuer, "Issuer")
        issuer["id"] = entity_id
        issuer["openBadgeId"] = self.issuer(entity_id)
        self._image_url(issuer, self.issuer(entity_id))
        if self.store is not None:
            issuer["staff"] = [{"entityType": "IssuerStaff", "entityId": member["user"],
                                **member, "userProfile": self._staff_profile(member["user"])}
                               for member in issuer.get("staff") or []]
            organization = organization_of(self.store, entity_id)
            issuer["organizationId"] = organization["entityId"] if organization else None
        return issuer

    def badgeclass_view(self, badgeclass: Doc) -> Doc:
        entity_id = badgeclass["entityId"]
        kept = self._kept(badgeclass, "BadgeClass")
        extras.with_alignment_flags(badgeclass, kept.get("alignmentFlags"))
        if badgeclass["archived"] is None:
            badgeclass["archived"] = False
        badgeclass["archivedDate"] = kept.get("archivedDate")
        badgeclass["id"] = entity_id
        badgeclass["openBadgeId"] = self.badgeclass(entity_id)
        badgeclass["issuerOpenBadgeId"] = self.issuer(badgeclass["issuer"])
        self._image_url(badgeclass, self.badgeclass(entity_id))
        return badgeclass

    def assertion_view(self, assertion: Doc, names: Optional[Dict[str, str]] = None) -> Doc:
        """`names`: badge class names already read (a listing shares one dict)."""
        entity_id = assertion["entityId"]
        self._kept(assertion, "Assertion")
        assertion["id"] = entity_id
        assertion["openBadgeId"] = self.assertion(entity_id)
        assertion["badgeclassOpenBadgeId"] = self.badgeclass(assertion["badgeclass"])
        assertion["issuerOpenBadgeId"] = self.issuer(assertion["issuer"])
        assertion["assertionRef"] = {"assertionUrl": assertion["openBadgeId"]}
        assertion["badgeRef"] = {"badgeUrl": assertion["badgeclassOpenBadgeId"]}
        assertion["issuerRef"] = {"issuerUrl": assertion["issuerOpenBadgeId"]}
        assertion["image"] = f"{self.assertion(entity_id)}/image"
        assertion["imagePath"] = assertion["image"][len(self.base) + 1:]
        assertion["pending"] = False  # awards take effect at once: none waits for acceptance
        assertion["badgeclassName"] = self._badgeclass_name(assertion["badgeclass"], names)
        return assertion

    def _badgeclass_name(self, badgeclass_id: str,
                         names: Optional[Dict[str, str]]) -> Optional[str]:
        if names is not None and badgeclass_id in names:
            return names[badgeclass_id]
        name = None
        if self.store is not None:
            try:
                name = self.store.badgeclass_name(badgeclass_id)
            except (laurel.NotFound, laurel.ValidationError):
                name = None
        if names is not None:
            names[badgeclass_id] = name
        return name

    def _own_image(self, url: Any) -> Tuple[bool, Optional[str]]:
        """(is one of our public image URLs, the stored image behind it or None)."""
        if not isinstance(url, str) or not url.endswith("/image") or self.store is None:
            return False, None
        bare = url[: -len("/image")]
        for kind, getter in (("issuers", self.store.get_issuer),
                             ("badges", self.store.get_badgeclass)):
            entity_id = self.local_id(bare, kind)
            if entity_id is not None:
                try:
                    return True, getter(entity_id).image or None
                except (laurel.NotFound, laurel.ValidationError):
                    return True, None
        return False, None

    def split_body(self, body: Doc, entity_type: str) -> Tuple[Doc, Doc]:
        """(fields for the core, Badgr fields kept beside it) of a create or update body. An
        ``image`` naming one of our public image URLs (a client echoing it back, or reusing
        another entity's) becomes the stored image, never a URL pointing at itself."""
        core, kept = extras.split(body, entity_type)
        if "image" in core and entity_type != "Assertion":
            ours, image = self._own_image(core["image"])
            if ours and image is None:
                del core["image"]
            elif ours:
                core["image"] = image
        if "alignments" in core and entity_type == "BadgeClass":
            core["alignments"], kept["alignmentFlags"] = extras.alignment_flags(core["alignments"])
        return core, kept

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
            if key not in extras.SERVER_KEYS[entity_type]}


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
