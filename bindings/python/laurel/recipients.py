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

from typing import Any, Dict, List, Optional

from . import _core
from .entities import Assertion
from .errors import Conflict, ValidationError
from .records import Field, RecordKind, api, functions
from .records.api import now

__all__ = ["RECIPIENT", "RECIPIENT_KIND", "RECIPIENT_FIELDS", "create_recipient",
           "get_recipient", "list_recipients", "update_recipient", "delete_recipient",
           "mark_registered", "recipient_assertions"]

Doc = Dict[str, Any]


def _check(store: Any, fields: Doc, current: Optional[Doc]) -> Doc:
    """The email by the core's rule (as for an award), one recipient per email and issuer, and
    fixed once the recipient registered."""
    try:
        fields["email"] = _core.normalize_identity(fields["email"], "email")
    except ValidationError as error:
        raise ValidationError(error.message, field="email") from None
    if current is None or fields["email"] != current["email"]:
        if current is not None and current.get("registered"):
            raise ValidationError("cannot change once the recipient registered", field="email")
        if any(record["email"] == fields["email"]
               for record in list_recipients(store, fields["issuer"])):
            raise Conflict("the issuer has a recipient with this email already")
    return fields


def recipient_assertions(store: Any, recipient_id: str, *,
                         include_revoked: bool = False) -> List[Assertion]:
    """The issuer's assertions to the recipient's email, newest first."""
    current = get_recipient(store, recipient_id)
    return list(store.iter_assertions(issuer=current["issuer"], recipient=current["email"],
                                      include_revoked=include_revoked, include_expired=True))


RECIPIENT = RecordKind(
    kind="recipient", entity_type="Recipient", noun="recipient", plural="recipients",
    cli="recipient", help="an issuer's recipients",
    fields=(Field("name", column="name"), Field("email", required=True, column="email")),
    initial={"registered": False, "user": None, "registeredAt": None},
    check=_check, assertions=recipient_assertions,
    # Staff award badges, so staff may add the people they award them to.
    roles={"list": "staff", "get": "staff", "create": "staff", "update": "editor",
           "delete": "editor"})
RECIPIENT_KIND = RECIPIENT.kind
RECIPIENT_FIELDS = RECIPIENT.field_names

create_recipient, get_recipient, list_recipients, update_recipient, delete_recipient = \
    functions(RECIPIENT)


def _replace(store: Any, current: Doc, updated: Optional[Doc]) -> None:
    api.save(store, RECIPIENT, current, updated)


def mark_registered(store: Any, recipient_id: str, user_id: Optional[str]) -> Doc:
    """Records a completed registration (by the account `user_id`). Raises NotFound, Conflict
    (registered already)."""
    current = get_recipient(store, recipient_id)
    if current.get("registered"):
        raise Conflict("the recipient is registered already")
    registered_at = now()
    updated = {**current, "registered": True, "user": user_id, "registeredAt": registered_at,
               "updatedAt": registered_at}
    _replace(store, current, updated)
    return updated
