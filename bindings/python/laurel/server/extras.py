"""Badgr fields Laurel keeps but does not act on (``badgrDomain``, ``preferences``,
``achievementType``, ``ob3Properties``, ``archived``, ...).

The reference documents show them in request and response bodies; the core's entities do not
hold them (they are not Open Badges fields). They are kept beside the entity, returned in every
response and never lost by a round trip (GET, edit, PUT), on create and update alike.

==============  =========================  ==============================================
kind            key                        value
==============  =========================  ==============================================
badgr_extra     ``<entityType>/<entityId>``  {field: value} for the fields of KEPT below
==============  =========================  ==============================================

A body is split once: the core's fields go to the core (which checks them), the KEPT fields here,
the server's own (``openBadgeId``, ``createdAt``, ...) are dropped, anything else is the core's
to refuse by name.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional, Tuple

import laurel

from .errors import invalid

__all__ = ["EXTRA_KIND", "KEPT", "SERVER_KEYS", "split", "load", "save", "alignment_flags",
           "with_alignment_flags"]

EXTRA_KIND = "badgr_extra"
Doc = Dict[str, Any]

# Per entity type: documented fields Laurel keeps as given (name -> JSON type), by the v2 documents.
_OBJECT, _STRING, _BOOL, _ANY = dict, str, bool, object
KEPT: Mapping[str, Mapping[str, Any]] = {
    "Issuer": {"badgrDomain": _STRING, "sourceUrl": _STRING, "originalJson": _STRING,
               "preferences": _OBJECT, "badgeSkillLinkingPreferences": _OBJECT,
               "achievementType": _STRING, "ob3Properties": _OBJECT, "source": _STRING},
    "BadgeClass": {"achievementType": _STRING, "ob3Properties": _OBJECT, "preferences": _OBJECT,
                   "sourceUrl": _STRING, "originalJson": _STRING, "source": _STRING,
                   "archived": _BOOL, "archivalNote": _STRING, "alignmentFlags": _ANY},
    "Assertion": {"ob3AwardProperties": _OBJECT, "sourceUrl": _STRING, "originalJson": _STRING,
                  "source": _STRING},
}

# Fields the server adds to a response; a client echoing them back (GET, edit, PUT) changes
# nothing. The core's own read-only fields (entityId, createdAt, ...) go to the core, which
# refuses a changed value by name.
SERVER_KEYS: Mapping[str, Tuple[str, ...]] = {
    "Issuer": ("id", "openBadgeId", "organizationId", "imagePath"),
    "BadgeClass": ("id", "openBadgeId", "issuerOpenBadgeId", "imagePath", "archivedDate"),
    "Assertion": ("id", "openBadgeId", "badgeclassOpenBadgeId", "issuerOpenBadgeId", "image",
                  "imagePath", "pending", "badgeclassName", "assertionRef", "badgeRef",
                  "issuerRef"),
}

_LABEL = {_OBJECT: "an object", _STRING: "a string", _BOOL: "true or false"}


def split(body: Mapping[str, Any], entity_type: str) -> Tuple[Doc, Doc]:
    """(fields for the core, fields kept here) of a request body; server keys are dropped and a
    kept field of the wrong JSON type is a 400 naming it."""
    kept_types = KEPT[entity_type]
    server = SERVER_KEYS[entity_type]
    core: Doc = {}
    kept: Doc = {}
    for key, value in body.items():
        if key in server:
            continue
        if key in kept_types and key != "alignmentFlags":
            wanted = kept_types[key]
            if value is not None and wanted is not _ANY and not isinstance(value, wanted):
                raise invalid(key, f"must be {_LABEL[wanted]}")
            kept[key] = value
        else:
            core[key] = value
    return core, kept


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _key(entity_type: str, entity_id: str) -> str:
    return f"{entity_type}/{entity_id}"


def load(store: Any, entity_type: str, entity_id: str) -> Doc:
    # find_document, not get_document: most entities keep nothing, and a NotFound raised by the
    # core and caught here cost ten times the read itself on every GET (docs/rest.md, "Speed").
    try:
        return store.find_document(EXTRA_KIND, _key(entity_type, entity_id)) or {}
    except laurel.ValidationError:
        return {}


def save(store: Any, entity_type: str, entity_id: str, changes: Mapping[str, Any]) -> Doc:
    """Merges `changes` into the kept fields (None removes one). Compare-and-set, so two workers
    changing different fields of one entity keep both."""
    key = _key(entity_type, entity_id)
    while True:
        current: Optional[Doc] = load(store, entity_type, entity_id) or None
        merged = {**(current or {}), **changes}
        merged = {name: value for name, value in merged.items() if value is not None}
        if merged.get("archived") is True:
            merged.setdefault("archivedDate", _now())
        else:
            merged.pop("archivedDate", None)
        if merged == (current or {}):
            return merged
        try:
            store.replace_document(EXTRA_KIND, key, current, merged or None)
            return merged
        except laurel.Conflict:
            continue


def alignment_flags(alignments: Any) -> Tuple[Any, Optional[list]]:
    """Badgr's alignment items carry ``displayAsSkill``, which OB 2.0's AlignmentObject (the
    core's) has not: (alignments for the core, flags by position, or None when none is set)."""
    if not isinstance(alignments, list):
        return alignments, None
    plain, flags = [], []
    for index, item in enumerate(alignments):
        if isinstance(item, dict) and "displayAsSkill" in item:
            flag = item["displayAsSkill"]
            if flag is not None and not isinstance(flag, bool):
                raise invalid(f"alignments.{index}.displayAsSkill", "must be true or false")
            item = {key: value for key, value in item.items() if key != "displayAsSkill"}
            flags.append(flag)
        else:
            flags.append(None)
        plain.append(item)
    return plain, flags if any(flag is not None for flag in flags) else None


def with_alignment_flags(badgeclass: Doc, flags: Any) -> None:
    """Puts the kept ``displayAsSkill`` flags back on the badge class's alignment items."""
    if not isinstance(flags, list):
        return
    for item, flag in zip(badgeclass.get("alignments") or [], flags):
        if flag is not None and isinstance(item, dict):
            item["displayAsSkill"] = flag
