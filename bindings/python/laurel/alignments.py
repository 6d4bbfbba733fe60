"""Alignments as first-class records: an issuer's competencies and standards (targetName,
targetUrl, targetDescription, targetFramework, targetCode), kept once and referenced by its badge
classes.

A badge class that references an alignment holds a copy of its five fields in its own
``alignments`` (what its public Open Badges document lists), written with
``store.update_badgeclass`` so the core validates them (targetName and targetUrl required, an
http(s) targetUrl). Changing an alignment rewrites the copy in every badge class that references
it (and puts back those already rewritten when one refuses); deleting one removes it from them.
A record no badge class references yet is checked by the core when it is first attached.

Service documents:

==========  ===============  ======================================================
kind        key              value
==========  ===============  ======================================================
alignment   entityId         {entityId, entityType, issuer, targetName, targetUrl,
                              targetDescription, targetFramework, targetCode,
                              badgeclasses: [ids], createdAt, createdBy, updatedAt}
==========  ===============  ======================================================
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

from ._ids import get_record, new_entity_id
from .errors import Conflict, NotFound, ValidationError

__all__ = ["ALIGNMENT_KIND", "ALIGNMENT_FIELDS", "create_alignment", "get_alignment",
           "list_alignments", "update_alignment", "delete_alignment", "attach", "detach",
           "alignments_of"]

ALIGNMENT_KIND = "alignment"
ALIGNMENT_FIELDS = ("targetName", "targetUrl", "targetDescription", "targetFramework",
                    "targetCode")
RECORD_FIELDS = ALIGNMENT_FIELDS + ("displayAsSkill",)

Doc = Dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fields(values: Mapping[str, Any], base: Optional[Doc] = None) -> Doc:
    """The alignment fields from `values` over `base` (None clears one). Only JSON types
    are checked here; what makes an alignment valid is the core's, when a badge class holds it.
    ``displayAsSkill`` (Badgr's) is the record's own: badge classes' copies leave it out."""
    if not isinstance(values, Mapping):
        raise TypeError("alignment: expected a mapping of alignment fields")
    unknown = sorted(set(values) - set(RECORD_FIELDS))
    if unknown:
        raise ValidationError("unknown alignment field", field=unknown[0])
    fields = {key: (base or {}).get(key) for key in RECORD_FIELDS}
    for key, value in values.items():
        wanted, label = (bool, "true or false") if key == "displayAsSkill" else (str, "a string")
        if value is not None and not isinstance(value, wanted):
            raise ValidationError(f"must be {label}", field=key)
        fields[key] = value
    return fields


def _copy(record: Mapping[str, Any]) -> Doc:
    return {key: record.get(key) for key in ALIGNMENT_FIELDS}


def create_alignment(store: Any, issuer_id: str, fields: Mapping[str, Any], *,
                     created_by: Optional[str] = None) -> Doc:
    """A new alignment record of an issuer. Raises NotFound (issuer), ValidationError (unknown
    field, a value that is not a string)."""
    issuer = store.get_issuer(issuer_id).entity_id
    now = _now()
    record = {"entityId": new_entity_id(), "entityType": "Alignment", "issuer": issuer,
              **_fields(fields), "badgeclasses": [], "createdAt": now, "createdBy": created_by,
              "updatedAt": now}
    store.put_document(ALIGNMENT_KIND, record["entityId"], record)
    return record


def get_alignment(store: Any, alignment_id: str) -> Doc:
    """Raises NotFound."""
    return get_record(store, ALIGNMENT_KIND, alignment_id, "alignment")


def list_alignments(store: Any, issuer_id: Optional[str] = None) -> List[Doc]:
    """Every alignment record, or an issuer's (a scan of the records)."""
    return [record for _, record in store.list_documents(ALIGNMENT_KIND)
            if issuer_id is None or record.get("issuer") == issuer_id]


_COPY_FIELD = re.compile(r"^alignments\.\d+\.(.+)$")


def _replace_copy(store: Any, badgeclass_id: str, old: Optional[Doc], new: Optional[Doc]) -> Doc:
    """Rewrites a badge class's alignments: the first copy equal to `old` becomes `new` (removed
    when `new` is None; `new` appended when `old` is None). Returns the list before."""
    before = [dict(item) for item in store.get_badgeclass(badgeclass_id).to_dict()["alignments"]]
    after = [dict(item) for item in before]
    position = next((index for index, item in enumerate(after) if old is not None
                     and _copy(item) == old), None)
    if position is None:
        if new is None or old is not None:  # only attaching appends: a copy removed stays gone
            return {"alignments": before}
        after.append(new)
    elif new is None:
        del after[position]
    else:
        after[position] = new
    try:
        store.update_badgeclass(badgeclass_id, alignments=after)
    except ValidationError as error:
        # The core names the copy's place in the badge class; the caller gave the record's field.
        match = _COPY_FIELD.match(error.field or "")
        if match is None:
            raise
        raise ValidationError(error.message, field=match.group(1)) from None
    return {"alignments": before}


def _save(store: Any, current: Doc, updated: Doc) -> None:
    try:
        store.replace_document(ALIGNMENT_KIND, current["entityId"], current, updated)
    except Conflict:
        raise Conflict("the alignment changed meanwhile; try again") from None


def update_alignment(store: Any, alignment_id: str, changes: Mapping[str, Any], *,
                     replace: bool = False) -> Doc:
    """Changes the alignment's fields (those given, or all with `replace`) and its copy in every
    badge class referencing it; all or nothing. Raises NotFound, ValidationError (the core's,
    field ``targetUrl`` etc.), Conflict (changed meanwhile)."""
    current = get_alignment(store, alignment_id)
    record_fields = _fields(changes, None if replace else current)
    new_fields = _copy(record_fields)
    old_fields = _copy(current)
    undo: List[tuple] = []
    try:
        for badgeclass_id in current.get("badgeclasses", []):
            try:
                before = _replace_copy(store, badgeclass_id, old_fields, new_fields)
            except NotFound:
                continue
            undo.append((badgeclass_id, before["alignments"]))
        updated = {**current, **record_fields, "updatedAt": _now()}
        _save(store, current, updated)
    except BaseException:
        for badgeclass_id, alignments in reversed(undo):
            store.update_badgeclass(badgeclass_id, alignments=alignments)
        raise
    return updated


def delete_alignment(store: Any, alignment_id: str) -> None:
    """Deletes the record and removes its copy from every badge class referencing it."""
    current = get_alignment(store, alignment_id)
    for badgeclass_id in current.get("badgeclasses", []):
        try:
            _replace_copy(store, badgeclass_id, _copy(current), None)
        except NotFound:
            pass
    _save(store, current, None)  # type: ignore[arg-type]


def attach(store: Any, badgeclass_id: str, alignment_id: str) -> Doc:
    """Makes a badge class reference an alignment of its issuer (its public document lists it).
    Returns the record. Raises NotFound, ValidationError (the core refuses the alignment, field
    ``targetUrl`` etc.; or another issuer's alignment), Conflict (attached already)."""
    current = get_alignment(store, alignment_id)
    badgeclass = store.get_badgeclass(badgeclass_id)
    if badgeclass.issuer != current["issuer"]:
        raise ValidationError("is an alignment of another issuer", field="alignment")
    if badgeclass.entity_id in current.get("badgeclasses", []):
        raise Conflict("the badge class references this alignment already")
    before = _replace_copy(store, badgeclass.entity_id, None, _copy(current))
    updated = {**current, "badgeclasses": [*current.get("badgeclasses", []),
                                           badgeclass.entity_id]}
    try:
        _save(store, current, updated)
    except BaseException:
        store.update_badgeclass(badgeclass.entity_id, alignments=before["alignments"])
        raise
    return updated


def detach(store: Any, badgeclass_id: str, alignment_id: str) -> Doc:
    """The badge class no longer references the alignment. Raises NotFound (either, or not
    referenced)."""
    current = get_alignment(store, alignment_id)
    if badgeclass_id not in current.get("badgeclasses", []):
        raise NotFound("the badge class does not reference this alignment")
    updated = {**current, "badgeclasses": [item for item in current["badgeclasses"]
                                           if item != badgeclass_id]}
    _save(store, current, updated)
    try:
        _replace_copy(store, badgeclass_id, _copy(current), None)
    except NotFound:
        pass
    return updated


def alignments_of(store: Any, badgeclass_id: str) -> List[Doc]:
    """The alignment records a badge class references."""
    return [record for record in list_alignments(store)
            if badgeclass_id in record.get("badgeclasses", [])]
