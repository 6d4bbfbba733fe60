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
from typing import Any, Callable, Dict, List, Optional, Tuple

from .errors import Conflict, NotFound, ValidationError
from .records import Field, RecordKind, api, functions

__all__ = ["ALIGNMENT", "ALIGNMENT_KIND", "ALIGNMENT_FIELDS", "create_alignment",
           "get_alignment", "list_alignments", "update_alignment", "delete_alignment", "attach",
           "detach", "alignments_of"]

# The five OB 2.0 AlignmentObject fields a badge class's copy holds.
ALIGNMENT_FIELDS = ("targetName", "targetUrl", "targetDescription", "targetFramework",
                    "targetCode")

Doc = Dict[str, Any]


def _copy(record: Doc) -> Doc:
    return {key: record.get(key) for key in ALIGNMENT_FIELDS}


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


def _restore(store: Any, undo: List[Tuple[str, Any]]) -> None:
    for badgeclass_id, alignments in reversed(undo):
        store.update_badgeclass(badgeclass_id, alignments=alignments)


def _rewrite_copies(store: Any, current: Doc, updated: Optional[Doc]) -> Callable[[], None]:
    """Before the record is saved (or deleted: `updated` None), its copy in every badge class
    referencing it follows, all or nothing; returns the undo."""
    undo: List[Tuple[str, Any]] = []
    new = _copy(updated) if updated is not None else None
    try:
        for badgeclass_id in current.get("badgeclasses", []):
            try:
                before = _replace_copy(store, badgeclass_id, _copy(current), new)
            except NotFound:
                continue
            undo.append((badgeclass_id, before["alignments"]))
    except BaseException:
        _restore(store, undo)
        raise
    return lambda: _restore(store, undo)


ALIGNMENT = RecordKind(
    kind="alignment", entity_type="Alignment", noun="alignment", plural="alignments",
    cli="alignment", help="alignment records that badge classes reference",
    fields=(Field("targetName", option="--name", column="name"),
            Field("targetUrl", option="--url", column="url"),
            Field("targetDescription", option="--description"),
            Field("targetFramework", option="--framework"),
            Field("targetCode", option="--code", column="code"),
            # Badgr's, the record's own: badge classes' copies leave it out.
            Field("displayAsSkill", kind=bool, option="--display-as-skill")),
    initial={"badgeclasses": []},
    before_save=_rewrite_copies)
ALIGNMENT_KIND = ALIGNMENT.kind

create_alignment, get_alignment, list_alignments, update_alignment, delete_alignment = \
    functions(ALIGNMENT)


def _save(store: Any, current: Doc, updated: Doc) -> None:
    api.save(store, ALIGNMENT, current, updated)


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
