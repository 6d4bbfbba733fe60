"""Claimable badge classes: a badge class that lists qualifying badge classes is awarded to any
recipient who holds a valid assertion of every one of them.

Validity (unexpired, unrevoked) is the core's: a qualifying badge counts when
``store.list_assertions(badgeclass=..., recipient=...)`` (which leaves out revoked and expired
assertions) finds one, and the award is an ordinary ``store.issue`` with
``allow_duplicate=False``, so a second claim of the same badge is the core's Conflict.

The claimable record is a single kind of the record layer (laurel.records.single): at most one
per badge class, a service document keyed by the badge class's id:

==========  ==================  ===========================================================
kind        key                 value
==========  ==================  ===========================================================
claimable   badge class id      {badgeclass, qualifying: [badge class ids], createdBy,
                                 updatedAt}
==========  ==================  ===========================================================
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from .entities import Assertion
from .errors import NotFound, PermissionDenied, ValidationError
from .records import Field, RecordKind, single

__all__ = ["CLAIMABLE", "CLAIMABLE_KIND", "MAX_QUALIFYING", "NotQualified", "set_qualifying",
           "get_qualifying", "remove_qualifying", "list_claimable", "missing_badges", "claim"]

MAX_QUALIFYING = 100  # a claim runs one indexed lookup per qualifying badge class

Identities = Union[str, Sequence[str]]


class NotQualified(PermissionDenied):
    """A claim refused: the recipient lacks a valid assertion of each badge class in
    :attr:`missing` (entityIds, in the order the claimable badge class lists them)."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = list(missing)

    def __reduce__(self) -> Any:
        return (NotQualified, (self.message, self.missing))


def _entity_id(value: Any, field: str) -> str:
    entity_id = getattr(value, "entity_id", value)
    if not isinstance(entity_id, str) or not entity_id:
        raise ValidationError("must be a badge class entityId", field=field)
    return entity_id


def _check(store: Any, fields: Dict[str, Any], current: Any) -> Dict[str, Any]:
    """Qualifying badge classes that exist, none twice nor the badge class itself, 1 to
    MAX_QUALIFYING of them."""
    ids: List[str] = []
    for index, item in enumerate(fields["qualifying"] or []):
        field = f"qualifying.{index}"
        entity_id = _entity_id(item, field)
        if entity_id == fields["badgeclass"]:
            raise ValidationError("a badge class cannot qualify for itself", field=field)
        if entity_id in ids:
            raise ValidationError("is listed twice", field=field)
        try:
            store.get_badgeclass(entity_id)
        except (NotFound, ValidationError):
            raise ValidationError("no such badge class", field=field) from None
        ids.append(entity_id)
    if not ids:
        raise ValidationError("list at least one qualifying badge class", field="qualifying")
    if len(ids) > MAX_QUALIFYING:
        raise ValidationError(f"at most {MAX_QUALIFYING} qualifying badge classes",
                              field="qualifying")
    return {**fields, "qualifying": ids}


# One per badge class; its issuer's staff read it, editors set and remove it; anyone signed in
# claims it (laurel.server.routers.claims).
CLAIMABLE = RecordKind(
    kind="claimable", entity_type="QualifyingBadges", noun="claimable", plural="qualifying",
    cli="claim", help="claimable badge classes and their qualifying badges",
    fields=(Field("qualifying", kind=list, required=True, positional=True,
                  hint="a list of badge class entityIds"),), owner=None, parent="badgeclass",
    single=True, check=_check,
    roles={"list": "staff", "get": "staff", "update": "editor", "delete": "editor"},
    shown=("badgeclass", "qualifying", "updatedAt"), columns=(("qualifying", "qualifying"),))
CLAIMABLE_KIND = CLAIMABLE.kind


def set_qualifying(store: Any, badgeclass_id: str, qualifying: Iterable[Any], *,
                   created_by: Optional[str] = None) -> Dict[str, Any]:
    """Makes a badge class claimable with these qualifying badge classes (ids or BadgeClass
    objects), replacing any earlier list. Returns the record.

    Raises NotFound (the badge class), ValidationError (field ``qualifying`` or
    ``qualifying.<i>``: empty, too long, unknown, repeated or the badge class itself)."""
    if isinstance(qualifying, (str, bytes)) or not isinstance(qualifying, Iterable):
        raise ValidationError("must be a list of badge class entityIds", field="qualifying")
    return single.put(store, CLAIMABLE, badgeclass_id, {"qualifying": list(qualifying)},
                      created_by=created_by)


def get_qualifying(store: Any, badgeclass_id: str) -> Dict[str, Any]:
    """The claimable record of a badge class. Raises NotFound when it is not claimable."""
    return single.get(store, CLAIMABLE, badgeclass_id)


def remove_qualifying(store: Any, badgeclass_id: str) -> bool:
    """Makes a badge class no longer claimable; False when it was not."""
    return single.remove(store, CLAIMABLE, badgeclass_id)


def list_claimable(store: Any,
                   badgeclass_ids: Optional[Iterable[str]] = None) -> List[Dict[str, Any]]:
    """Every claimable record (or those of the given badge classes), in key order."""
    return single.list_records(store, CLAIMABLE, badgeclass_ids)


def _identities(identity: Identities) -> List[str]:
    identities = [identity] if isinstance(identity, str) else list(identity)
    if not identities or not all(isinstance(item, str) and item for item in identities):
        raise ValidationError("give at least one recipient identity", field="recipient")
    return identities


def missing_badges(store: Any, badgeclass_id: str, identity: Identities, *,
                   recipient_type: str = "email") -> List[str]:
    """The qualifying badge classes of which no identity in `identity` (one or several of the
    same person's identities) holds a valid assertion; [] when the claim qualifies.
    Raises NotFound (not claimable)."""
    record = get_qualifying(store, badgeclass_id)
    identities = _identities(identity)
    missing = []
    for qualifying_id in record["qualifying"]:
        held = False
        for each in identities:
            try:
                page = store.list_assertions(badgeclass=qualifying_id, recipient=each, num=1,
                                             recipient_type=recipient_type)
            except NotFound:  # the qualifying badge class was deleted since: nobody holds it
                break
            if len(page):
                held = True
                break
        if not held:
            missing.append(qualifying_id)
    return missing


def claim(store: Any, badgeclass_id: str, identity: Identities, *, recipient_type: str = "email",
          created_by: Optional[str] = None) -> Assertion:
    """Claims a claimable badge class for a recipient: when some identity of theirs holds a
    valid assertion of every qualifying badge class, the badge class is issued to the first
    identity (``store.issue``, no duplicate awards).

    Raises NotFound (not claimable), NotQualified (``.missing`` names the badge classes still
    needed), Conflict (the recipient holds this badge already), ValidationError (identity)."""
    record = get_qualifying(store, badgeclass_id)
    identities = _identities(identity)
    missing = missing_badges(store, record["badgeclass"], identities,
                             recipient_type=recipient_type)
    if missing:
        names = []
        for entity_id in missing:
            try:
                names.append(f"{store.get_badgeclass(entity_id).name} ({entity_id})")
            except NotFound:
                names.append(entity_id)
        raise NotQualified("the recipient does not hold valid assertions of: " + ", ".join(names),
                           missing)
    return store.issue(record["badgeclass"], identities[0], recipient_type=recipient_type,
                       allow_duplicate=False, created_by=created_by)
