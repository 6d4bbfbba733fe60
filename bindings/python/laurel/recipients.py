"""Recipients: the people an issuer awards badges to, kept as records (name, email) that the
recipient claims by completing a registration (the REST service mails a one-time link; the
completed registration verifies the email on the recipient's account, whose backpack then shows
every badge issued to it).

The email is the core's: ``normalize_identity`` checks and normalizes it, as for an award, and a
recipient's assertions are the issuer's assertions to that identity (``store.list_assertions``).

Service documents:

==========  ==========  =================================================================
kind        key         value
==========  ==========  =================================================================
recipient   entityId    {entityId, entityType, issuer, name, email, registered, user,
                         registeredAt, createdAt, createdBy, updatedAt}
==========  ==========  =================================================================
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional

from . import _core
from ._ids import get_record, new_entity_id
from .entities import Assertion
from .errors import Conflict, ValidationError

__all__ = ["RECIPIENT_KIND", "RECIPIENT_FIELDS", "create_recipient", "get_recipient",
           "list_recipients", "update_recipient", "delete_recipient", "mark_registered",
           "recipient_assertions"]

RECIPIENT_KIND = "recipient"
RECIPIENT_FIELDS = ("name", "email")
MAX_TEXT = 65536

Doc = Dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fields(values: Mapping[str, Any], base: Optional[Doc] = None) -> Doc:
    if not isinstance(values, Mapping):
        raise TypeError("recipient: expected a mapping of recipient fields")
    unknown = sorted(set(values) - set(RECIPIENT_FIELDS))
    if unknown:
        raise ValidationError("unknown recipient field", field=unknown[0])
    fields = {key: (base or {}).get(key) for key in RECIPIENT_FIELDS}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError("must be a string", field=key)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ValidationError(f"at most {MAX_TEXT} characters", field=key)
        fields[key] = value
    if not isinstance(fields.get("email"), str) or not fields["email"]:
        raise ValidationError("is required", field="email")
    try:
        fields["email"] = _core.normalize_identity(fields["email"], "email")
    except ValidationError as error:
        raise ValidationError(error.message, field="email") from None
    return fields


def _by_email(store: Any, issuer_id: str, email: str) -> Optional[Doc]:
    return next((record for record in list_recipients(store, issuer_id)
                 if record["email"] == email), None)


def create_recipient(store: Any, issuer_id: str, fields: Mapping[str, Any], *,
                     created_by: Optional[str] = None) -> Doc:
    """A new recipient of an issuer. Raises NotFound (issuer), ValidationError (email, by the
    core's rule), Conflict (the issuer has a recipient with this email)."""
    issuer = store.get_issuer(issuer_id).entity_id
    checked = _fields(fields)
    if _by_email(store, issuer, checked["email"]) is not None:
        raise Conflict("the issuer has a recipient with this email already")
    now = _now()
    record = {"entityId": new_entity_id(), "entityType": "Recipient", "issuer": issuer, **checked,
              "registered": False, "user": None, "registeredAt": None, "createdAt": now,
              "createdBy": created_by, "updatedAt": now}
    store.put_document(RECIPIENT_KIND, record["entityId"], record)
    return record


def get_recipient(store: Any, recipient_id: str) -> Doc:
    """Raises NotFound."""
    return get_record(store, RECIPIENT_KIND, recipient_id, "recipient")


def list_recipients(store: Any, issuer_id: Optional[str] = None) -> List[Doc]:
    """Every recipient, or an issuer's."""
    return [record for _, record in store.list_documents(RECIPIENT_KIND)
            if issuer_id is None or record.get("issuer") == issuer_id]


def _replace(store: Any, current: Doc, updated: Optional[Doc]) -> None:
    try:
        store.replace_document(RECIPIENT_KIND, current["entityId"], current, updated)
    except Conflict:
        raise Conflict("the recipient changed meanwhile; try again") from None


def update_recipient(store: Any, recipient_id: str, changes: Mapping[str, Any], *,
                     replace: bool = False) -> Doc:
    """Changes name or email (a registered recipient's email cannot change). Raises NotFound,
    ValidationError, Conflict."""
    current = get_recipient(store, recipient_id)
    fields = _fields(changes, None if replace else current)
    if fields["email"] != current["email"]:
        if current.get("registered"):
            raise ValidationError("cannot change once the recipient registered", field="email")
        if _by_email(store, current["issuer"], fields["email"]) is not None:
            raise Conflict("the issuer has a recipient with this email already")
    updated = {**current, **fields, "updatedAt": _now()}
    _replace(store, current, updated)
    return updated


def delete_recipient(store: Any, recipient_id: str) -> None:
    """Deletes the record (not the recipient's badges nor account). Raises NotFound."""
    current = get_recipient(store, recipient_id)
    _replace(store, current, None)


def mark_registered(store: Any, recipient_id: str, user_id: Optional[str]) -> Doc:
    """Records a completed registration (by the account `user_id`). Raises NotFound, Conflict
    (registered already)."""
    current = get_recipient(store, recipient_id)
    if current.get("registered"):
        raise Conflict("the recipient is registered already")
    now = _now()
    updated = {**current, "registered": True, "user": user_id, "registeredAt": now,
               "updatedAt": now}
    _replace(store, current, updated)
    return updated


def recipient_assertions(store: Any, recipient_id: str, *,
                         include_revoked: bool = False) -> List[Assertion]:
    """The issuer's assertions to the recipient's email, newest first."""
    current = get_recipient(store, recipient_id)
    return list(store.iter_assertions(issuer=current["issuer"], recipient=current["email"],
                                      include_revoked=include_revoked, include_expired=True))
