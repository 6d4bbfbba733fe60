"""Reference rules: every link between records, declared once with what deleting its target does.

A link is a field of a stored record that names another record (its target). Deleting a target
either is refused while a link to it exists (REFUSE), deletes the linking records too (CASCADE),
or removes the target from the linking records and keeps them (UNLINK):

====================  =====================  ===========  =======  ==============================
record kind           field                  target       rule     why
====================  =====================  ===========  =======  ==============================
assertion (core)      badgeclass             badgeclass   refuse   revoked ones too: their public
                                                                   documents point at it
badgeclass (core)     issuer                 issuer       refuse   a badge class needs its issuer
alignment             badgeclasses           badgeclass   unlink   the competency stays
alignment             issuer                 issuer       cascade  the issuer's own records
claimable             (key)                  badgeclass   cascade  no longer claimable
claimable             qualifying             badgeclass   unlink   the others still qualify; an
                                                                   emptied list removes it
event                 issuer                 issuer       cascade  the issuer's own records
event_assertion       (key prefix)           event        cascade  the list goes with its event
recipient             issuer                 issuer       cascade  the issuer's own records
issuer_organization   (key)                  issuer       cascade  the issuer leaves its
                                                                   organization
issuer_organization   organization           organization cascade  its issuers stay, unowned
endorsement           claim.entityId         issuer,      cascade  an endorsement of nothing
                                             badgeclass,           means nothing
                                             assertion
endorsement           endorser               endorser     cascade  withdrawn with the endorser
badgr_extra           (key)                  issuer,      cascade  the Badgr fields kept beside
                                             badgeclass,           the entity
                                             assertion
====================  =====================  ===========  =======  ==============================

``delete_issuer``, ``delete_badgeclass`` and the record kinds' deletes apply them in one order:
refusals first (nothing is changed when one applies), then the delete itself (the core may still
refuse), then the cascades and unlinks. The two core links are the core's own rules
(``Store.delete_badgeclass``, ``Store.delete_issuer`` raise Conflict); they are listed here so the
table is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

from .errors import Conflict

__all__ = ["REFUSE", "CASCADE", "UNLINK", "Link", "LINKS", "links_to", "refusals", "apply_delete",
           "delete_issuer", "delete_badgeclass", "badgeclass_alignments_set"]

REFUSE, CASCADE, UNLINK = "refuse", "cascade", "unlink"
KEY = "(key)"            # the linking document's key is the target's id
KEY_PREFIX = "(key prefix)"  # the linking documents' keys start with "<target id>/"

Doc = Dict[str, Any]


@dataclass(frozen=True)
class Link:
    kind: str        # the kind of the record holding the reference
    field: str       # its field naming the target (dotted; a list of ids, one id, KEY, KEY_PREFIX)
    target: str      # the kind of record referenced
    on_delete: str   # REFUSE, CASCADE or UNLINK
    core: bool = False  # kept by the core itself (listed for completeness)


LINKS: Tuple[Link, ...] = (
    Link("assertion", "badgeclass", "badgeclass", REFUSE, core=True),
    Link("badgeclass", "issuer", "issuer", REFUSE, core=True),
    Link("alignment", "badgeclasses", "badgeclass", UNLINK),
    Link("alignment", "issuer", "issuer", CASCADE),
    Link("claimable", KEY, "badgeclass", CASCADE),
    Link("claimable", "qualifying", "badgeclass", UNLINK),
    Link("event", "issuer", "issuer", CASCADE),
    Link("event_assertion", KEY_PREFIX, "event", CASCADE),
    Link("recipient", "issuer", "issuer", CASCADE),
    Link("issuer_organization", KEY, "issuer", CASCADE),
    Link("issuer_organization", "organization", "organization", CASCADE),
    *(Link("endorsement", "claim.entityId", target, CASCADE)
      for target in ("issuer", "badgeclass", "assertion")),
    Link("endorsement", "endorser", "endorser", CASCADE),
    *(Link("badgr_extra", KEY, target, CASCADE) for target in ("issuer", "badgeclass",
                                                               "assertion")),
)

# badgr_extra documents are keyed "<EntityType>/<entityId>".
_EXTRA_TYPES = {"issuer": "Issuer", "badgeclass": "BadgeClass", "assertion": "Assertion"}


def _deleter(kind: str) -> Optional[Callable[[Any, str], None]]:
    """The delete of a record kind with links or copies of its own (a plain document otherwise)."""
    from . import alignments, endorsements, events, recipients  # they import this module
    return {"alignment": alignments.delete_alignment, "event": events.delete_event,
            "recipient": recipients.delete_recipient,
            "endorsement": endorsements.delete_endorsement}.get(kind)


def links_to(target: str) -> List[Link]:
    return [link for link in LINKS if link.target == target and not link.core]


def _field(record: Doc, dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _referencing(store: Any, link: Link, target_id: str) -> List[Tuple[str, Doc]]:
    """(key, record) of each record of `link.kind` whose link names `target_id`."""
    if link.kind == "badgr_extra":
        key = f"{_EXTRA_TYPES[link.target]}/{target_id}"
        return [(k, v) for k, v in store.list_documents(link.kind, key) if k == key]
    if link.field == KEY:
        return [(k, v) for k, v in store.list_documents(link.kind, target_id) if k == target_id]
    if link.field == KEY_PREFIX:
        return store.list_documents(link.kind, f"{target_id}/")
    found = []
    for key, record in store.list_documents(link.kind):
        value = _field(record, link.field)
        if value == target_id or (isinstance(value, list) and target_id in value):
            found.append((key, record))
    return found


def _unlink(store: Any, link: Link, key: str, record: Doc, target_id: str) -> None:
    value = record.get(link.field)
    if isinstance(value, list):
        remaining = [item for item in value if item != target_id]
        updated = None if not remaining and link.kind == "claimable" else {
            **record, link.field: remaining}
    else:
        updated = {**record, link.field: None}
    try:
        store.replace_document(link.kind, key, record, updated)
    except Conflict:  # changed meanwhile: read it again and retry once
        fresh = dict(store.list_documents(link.kind, key)).get(key)
        if fresh is not None:
            _unlink(store, link, key, fresh, target_id)


def refusals(store: Any, target: str, target_id: str) -> None:
    """Raises Conflict when a REFUSE link names the target (nothing is changed)."""
    for link in links_to(target):
        if link.on_delete == REFUSE and _referencing(store, link, target_id):
            raise Conflict(f"a {link.kind} still references this {target}")


def apply_delete(store: Any, target: str, target_id: str) -> None:
    """The cascades and unlinks of a deleted record (after it was deleted)."""
    for link in links_to(target):
        for key, record in _referencing(store, link, target_id):
            if link.on_delete == UNLINK:
                _unlink(store, link, key, record, target_id)
            elif link.on_delete == CASCADE:
                delete = _deleter(link.kind)
                if delete is not None and link.field not in (KEY, KEY_PREFIX):
                    delete(store, record.get("entityId") or key)
                else:
                    store.delete_document(link.kind, key)


def delete_issuer(store: Any, issuer_id: str) -> None:
    """Deletes an issuer (the core refuses while it has badge classes) and applies the rules of
    the links to it. Raises NotFound, Conflict."""
    refusals(store, "issuer", issuer_id)
    store.delete_issuer(issuer_id)
    apply_delete(store, "issuer", issuer_id)


def delete_badgeclass(store: Any, badgeclass_id: str) -> None:
    """Deletes a badge class (the core refuses while it has assertions) and applies the rules of
    the links to it. Raises NotFound, Conflict."""
    refusals(store, "badgeclass", badgeclass_id)
    store.delete_badgeclass(badgeclass_id)
    apply_delete(store, "badgeclass", badgeclass_id)


def badgeclass_alignments_set(store: Any, badgeclass_id: str) -> None:
    """After a badge class's ``alignments`` were set directly: alignment records whose copy it no
    longer holds stop listing it (so a later change of the record does not put it back)."""
    from .alignments import ALIGNMENT_FIELDS, ALIGNMENT_KIND  # alignments imports this module
    held = [{key: item.get(key) for key in ALIGNMENT_FIELDS}
            for item in store.get_badgeclass(badgeclass_id).to_dict()["alignments"]]
    link = next(link for link in LINKS if link.kind == ALIGNMENT_KIND
                and link.target == "badgeclass")
    for key, record in _referencing(store, link, badgeclass_id):
        copy = {field: record.get(field) for field in ALIGNMENT_FIELDS}
        if copy not in held:
            _unlink(store, link, key, record, badgeclass_id)
