"""Recipients (laurel.recipients over REST) with registration through a one-time link.

``/v2/issuers/{id}/recipients`` lists (staff) and creates (staff, as awarding is; the recipient is
mailed a one-time registration token); ``/v2/recipients/{id}`` gets (staff), changes (PUT/PATCH,
editor) and deletes (editor); ``/v2/recipients/{id}/assertions`` lists the issuer's assertions to
the recipient (staff); ``POST /v2/recipients/{id}/invite`` mails a new token (staff).

``POST /v2/recipients/register`` ``{token, password?, firstName?, lastName?}`` (no authentication:
the token proves the email) completes the registration: the email becomes a verified address of the
account that has it verified already, or of a new account (then ``password`` is required), so the
recipient's backpack shows every badge issued to it. An account that holds the address unconfirmed
loses it to the new account (account pre-hijacking). Another user's recipients are 404.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import laurel
from fastapi import Request
from starlette.responses import Response

from ... import recipients
from .. import accounts
from ..auth import new_id, token_key
from ..body import read_object
from ..context import blocking, passwords_of, store_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid
from ..invitations import Invitation
from ..records import RecordRoutes

Doc = Dict[str, Any]

_PURPOSE = "recipient_registration"


def _mail(record: Doc, token: str, base_url: str) -> str:
    return (f"Badges are issued to you on Laurel. Register by sending POST "
            f"{base_url}/v2/recipients/register with the JSON body "
            f'{{"token": "{token}", "password": "..."}} (no password needed when you '
            f"already have an account with this address).\n\nregistration token: {token}\n")


routes = RecordRoutes(recipients.RECIPIENT, invitation=Invitation(
    "recipient", _PURPOSE, "Register to receive your badges", _mail, carries=("email",)))
router = routes.router
_recipient_for = routes.record_for


@router.post("/v2/recipients/register",
             summary="Complete a recipient's registration (one-time token; no authentication)")
async def register_recipient(request: Request) -> Response:
    body = await read_object(request)
    extra = sorted(set(body) - {"token", "password", "firstName", "lastName"})
    if extra:
        raise invalid(extra[0], "is not a registration field")
    token = body.get("token")
    store = store_of(request)
    # Check everything we can before the token is used up, so a mistake does not burn the link.
    pending: Optional[Doc] = None
    if isinstance(token, str) and 0 < len(token) <= 256:
        try:
            pending = store.get_document(accounts.ONE_TIME_KIND, token_key(token))
        except laurel.NotFound:
            pending = None
    for key in ("firstName", "lastName"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise invalid(key, "must be a string")
    # The token proves control of the address, not of any account. It links to an account only
    # when that account verified the address itself; an account that merely claimed it (an
    # unconfirmed sign-up, perhaps by someone else) never gets it verified this way: the
    # registration makes a new account, which takes the address over.
    password_hash = None
    if (pending and pending.get("purpose") == _PURPOSE
            and accounts.find_verified_user(store, pending.get("email", "")) is None):
        password = accounts.check_password(body.get("password"))
        password_hash = await passwords_of(request).run_hash(password)
    record = await blocking(accounts.consume_one_time, store, _PURPOSE, token)
    email = record["email"]
    user = accounts.find_verified_user(store, email)
    if user is None:
        if password_hash is None:
            password = accounts.check_password(body.get("password"))
            password_hash = await passwords_of(request).run_hash(password)
        user_id = new_id()
        user = {"entityId": user_id, "firstName": body.get("firstName") or "",
                "lastName": body.get("lastName") or "",
                "emails": [{"email": email, "verified": True, "primary": True}], "url": [],
                "telephone": [], "agreedTermsVersion": None, "marketingOptIn": False,
                "createdAt": accounts.now_iso(),
                "passwordHash": password_hash}
        # The account first, then the address: a crash between leaves an unreachable account,
        # never an address pointing nowhere.
        await blocking(store.put_document, accounts.USER_KIND, user_id, user)
        try:
            await blocking(accounts.take_over_email, store, email, user_id)
        except laurel.Conflict:
            await blocking(store.delete_document, accounts.USER_KIND, user_id)
            raise ApiError(409, "An account with this email was confirmed meanwhile; register "
                           "again with a new link.", error_code="conflict") from None
    try:
        registered = await blocking(call, recipients.mark_registered, store, record["recipient"],
                                    user["entityId"])
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    return envelope([{**registered, "profile": accounts.profile(user)}])
