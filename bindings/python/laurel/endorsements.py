"""Endorsers and Open Badges 2.0 endorsements.

An endorser is a Profile (name, email, url, description) that makes claims about an issuer, a
badge class or an assertion of this store. An endorser endorses only once its registration is
complete (``register_endorser``; the REST service does it through a one-time link mailed to the
endorser). An endorsement's public document is a hosted OB 2.0 ``Endorsement`` whose ``issuer``
is the endorser's public Profile; both are served under ``/public/`` by the REST service.

The core has no endorsement document kind yet, so :func:`public_endorsement` and
:func:`public_endorser` assemble the JSON-LD here (the fields the OB 2.0 Endorsement and Profile
classes name); they are not signed.

Service documents:

================  =======================  ===============================================
kind              key                      value
================  =======================  ===============================================
endorser          entityId                 {entityId, entityType, name, email, url,
                                            description, owner, registered, registeredAt,
                                            createdAt, updatedAt}
endorsement       entityId                 {entityId, entityType, endorser, claim {type,
                                            entityId, endorsementComment}, issuedOn,
                                            createdBy}
endorsement_of    <target>/<endorsement>   {endorser}
================  =======================  ===============================================
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional

from ._ids import new_entity_id
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .records import Field, RecordKind, api, functions
from .records.api import check_text, check_url, now as _now

__all__ = ["ENDORSER", "ENDORSEMENT", "ENDORSER_KIND", "ENDORSEMENT_KIND", "ENDORSEMENT_OF_KIND",
           "ENDORSER_FIELDS", "TARGET_TYPES", "endorser_fields", "create_endorser",
           "get_endorser", "list_endorsers", "update_endorser", "delete_endorser",
           "register_endorser", "endorse", "get_endorsement", "list_endorsements",
           "endorsements_of", "delete_endorsement", "public_endorsement", "public_endorser",
           "target_iri"]

ENDORSEMENT_OF_KIND = "endorsement_of"
TARGET_TYPES = ("issuer", "badgeclass", "assertion")
OB2_CONTEXT = "https://w3id.org/openbadges/v2"

# Public paths, as the REST service serves them (laurel.server.views.Urls).
_PUBLIC_PATHS = {"issuer": "issuers", "badgeclass": "badges", "assertion": "assertions"}

Doc = Dict[str, Any]


def _check(store: Any, fields: Doc, current: Optional[Doc]) -> Doc:
    """An email address, an http(s) url, and the email fixed once registered (the registration
    proved that address; another one would be unproven)."""
    email = fields.get("email") or ""
    local, _, domain = email.partition("@")
    if not local or "." not in domain or any(char.isspace() for char in email):
        raise ValidationError("must be an email address", field="email")
    check_url(fields)
    if current is not None and current.get("registered") and email != current["email"]:
        raise ValidationError("cannot change once the endorser registered", field="email")
    return fields


# An endorser is managed by the user who made it (`owner`), not by an issuer's staff.
ENDORSER = RecordKind(
    kind="endorser", entity_type="Endorser", noun="endorser", plural="endorsers",
    cli="endorser", help="endorsers (organizations or people who endorse badges)",
    fields=(Field("name", required=True, column="name"), Field("email", column="email"),
            Field("url"), Field("description")),
    owner="owner", initial={"registered": False, "registeredAt": None}, check=_check,
    shown=("entityId", "name", "email", "url", "description", "registered"),
    columns=(("name", "name"), ("email", "email"),
             ("registered", lambda record: "yes" if record.get("registered") else "no")))
ENDORSER_KIND = ENDORSER.kind
ENDORSER_FIELDS = ENDORSER.field_names


def endorser_fields(values: Mapping[str, Any], base: Optional[Doc] = None) -> Doc:
    """The endorser fields of `values` over `base`, checked. Raises ValidationError."""
    return _check(None, api.fields_of(ENDORSER, values, base), None)


# --- endorsers ---------------------------------------------------------------------------------

_create, get_endorser, list_endorsers, update_endorser, delete_endorser = \
    functions(ENDORSER)


def create_endorser(store: Any, fields: Mapping[str, Any], *, owner: Optional[str] = None) -> Doc:
    """A new, unregistered endorser managed by `owner` (a user id, or None for local use).
    Raises ValidationError (name and email required, url http(s), unknown keys)."""
    return _create(store, owner, fields, created_by=owner)


def register_endorser(store: Any, endorser_id: str, changes: Mapping[str, Any] = {}) -> Doc:
    """Completes an endorser's registration (with any field changes the endorser made). Raises
    NotFound, ValidationError, Conflict (registered already)."""
    current = get_endorser(store, endorser_id)
    if current.get("registered"):
        raise Conflict("the endorser is registered already")
    now = _now()
    updated = {**current, **endorser_fields(changes, current), "registered": True,
               "registeredAt": now, "updatedAt": now}
    api.save(store, ENDORSER, current, updated)
    return updated


# --- endorsements ------------------------------------------------------------------------------

def _unindex(store: Any, current: Doc, updated: Optional[Doc]) -> Callable[[], None]:
    """On delete, the endorsed entity's index entry goes first (an entry naming no endorsement
    is skipped by endorsements_of; the reverse would list a withdrawn one)."""
    key = f"{current['claim']['entityId']}/{current['entityId']}"
    if updated is None:
        store.delete_document(ENDORSEMENT_OF_KIND, key)
    return lambda: store.put_document(ENDORSEMENT_OF_KIND, key,
                                      {"endorser": current["endorser"]})


# Made by `endorse` (its own verb), never updated; an endorser's manager sees and withdraws it,
# the endorsed entity's issuer staff see it and its editors remove it (laurel.server.routers).
ENDORSEMENT = RecordKind(
    kind="endorsement", entity_type="Endorsement", noun="endorsement", plural="endorsements",
    cli="endorsement", help="endorsements of issuers, badges and assertions", fields=(),
    owner="endorser", roles={"list": "staff", "get": "staff", "delete": "editor"},
    before_save=_unindex,
    columns=(("endorser", "endorser"), ("type", lambda record: record["claim"]["type"]),
             ("endorsed", lambda record: record["claim"]["entityId"]),
             ("comment", lambda record: record["claim"].get("endorsementComment"))))
ENDORSEMENT_KIND = ENDORSEMENT.kind

_, get_endorsement, list_endorsements, _, delete_endorsement = functions(ENDORSEMENT)


def _target(store: Any, target_type: Any, target_id: Any) -> str:
    if target_type not in TARGET_TYPES:
        raise ValidationError("must be issuer, badgeclass or assertion", field="claim.type")
    if not isinstance(target_id, str) or not target_id:
        raise ValidationError("is required", field="claim.entityId")
    getter = {"issuer": store.get_issuer, "badgeclass": store.get_badgeclass,
              "assertion": store.get_assertion}[target_type]
    try:
        return getter(target_id).entity_id
    except (NotFound, ValidationError):
        raise ValidationError(f"no such {target_type}", field="claim.entityId") from None


def endorse(store: Any, endorser_id: str, target_type: str, target_id: str,
            comment: Optional[str] = None, *, created_by: Optional[str] = None) -> Doc:
    """The endorser endorses an issuer, badge class or assertion of this store. Raises NotFound
    (endorser), PermissionDenied (registration not complete), ValidationError (claim),
    Conflict (the endorser endorses it already)."""
    endorser = get_endorser(store, endorser_id)
    if not endorser.get("registered"):
        raise PermissionDenied("the endorser has not completed registration")
    target = _target(store, target_type, target_id)
    comment = check_text(comment, "claim.endorsementComment")
    for _, link in store.list_documents(ENDORSEMENT_OF_KIND, f"{target}/"):
        if link.get("endorser") == endorser["entityId"]:
            raise Conflict("this endorser endorses it already")
    record = {"entityId": new_entity_id(), "entityType": "Endorsement",
              "endorser": endorser["entityId"],
              "claim": {"type": target_type, "entityId": target, "endorsementComment": comment},
              "issuedOn": _now(), "createdBy": created_by}
    store.put_document(ENDORSEMENT_KIND, record["entityId"], record)
    store.put_document(ENDORSEMENT_OF_KIND, f"{target}/{record['entityId']}",
                       {"endorser": endorser["entityId"]})
    return record


def endorsements_of(store: Any, target_id: str) -> List[Doc]:
    """The endorsements of an issuer, badge class or assertion, oldest first."""
    found = []
    for key, _ in store.list_documents(ENDORSEMENT_OF_KIND, f"{target_id}/"):
        try:
            found.append(get_endorsement(store, key.split("/", 1)[1]))
        except NotFound:
            continue
    return sorted(found, key=lambda record: (record.get("issuedOn") or "", record["entityId"]))


# --- public documents --------------------------------------------------------------------------

def target_iri(base_url: str, target_type: str, target_id: str) -> str:
    return f"{base_url.rstrip('/')}/public/{_PUBLIC_PATHS[target_type]}/{target_id}"


def public_endorser(store: Any, endorser_id: str, base_url: str) -> Doc:
    """The endorser's OB 2.0 Profile. Raises NotFound (also while unregistered)."""
    record = get_endorser(store, endorser_id)
    if not record.get("registered"):
        raise NotFound("no such endorser")
    document = {"@context": OB2_CONTEXT, "type": "Profile",
                "id": f"{base_url.rstrip('/')}/public/endorsers/{record['entityId']}",
                "name": record["name"], "email": record["email"]}
    for key in ("url", "description"):
        if record.get(key):
            document[key] = record[key]
    return document


def public_endorsement(store: Any, endorsement_id: str, base_url: str) -> Doc:
    """The hosted OB 2.0 Endorsement. Raises NotFound."""
    record = get_endorsement(store, endorsement_id)
    base = base_url.rstrip("/")
    claim: Doc = {"id": target_iri(base, record["claim"]["type"], record["claim"]["entityId"])}
    if record["claim"].get("endorsementComment"):
        claim["endorsementComment"] = record["claim"]["endorsementComment"]
    return {"@context": OB2_CONTEXT, "type": "Endorsement",
            "id": f"{base}/public/endorsements/{record['entityId']}", "claim": claim,
            "issuer": f"{base}/public/endorsers/{record['endorser']}",
            "issuedOn": record["issuedOn"], "verification": {"type": "HostedBadge"}}
