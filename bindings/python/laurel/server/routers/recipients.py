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

import logging
from typing import Any, Dict, Optional

import laurel
from fastapi import Query, Request
from starlette.responses import Response

from ... import recipients
from .. import accounts
from ..auth import Principal, new_id, scoped, token_key
from ..body import read_object
from ..context import blocking, config_of, passwords_of, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid
from ..mail import send_mail
from ..records import RecordRoutes

log = logging.getLogger("laurel.server")

Doc = Dict[str, Any]

_PURPOSE = "recipient_registration"


def _invite(request: Request, principal: Principal, record: Doc) -> None:
    config = config_of(request)
    token = accounts.create_one_time(store_of(request), _PURPOSE, principal.user_id,
                                     config.recovery_token_ttl, recipient=record["entityId"],
                                     email=record["email"])
    try:
        send_mail(config, record["email"], "Register to receive your badges",
                  f"Badges are issued to you on Laurel. Register by sending POST "
                  f"{config.base_url}/v2/recipients/register with the JSON body "
                  f'{{"token": "{token}", "password": "..."}} (no password needed when you '
                  f"already have an account with this address).\n\nregistration token: {token}\n")
    except Exception:  # noqa: BLE001 - a mail outage must not lose the recipient
        log.exception("could not send the recipient registration mail to %s", record["email"])


routes = RecordRoutes(recipients.RECIPIENT, after_create=_invite)
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


@router.post("/v2/recipients/{recipient_id}/invite",
             summary="Mail a new one-time registration link (staff; unregistered recipients)")
async def invite_recipient(request: Request, recipient_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    record = _recipient_for(store_of(request), principal, recipient_id)
    if record.get("registered"):
        raise ApiError(409, "The recipient is registered already.", error_code="conflict")
    await blocking(_invite, request, principal, record)
    return envelope([record])


@router.get("/v2/recipients/{recipient_id}/assertions",
            summary="The issuer's assertions to a recipient (staff)")
async def recipient_assertions(request: Request, recipient_id: str,
                               include_revoked: Optional[str] = Query(None),
                               principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    record = _recipient_for(store, principal, recipient_id)
    flag = (include_revoked or "false").lower()
    if flag not in ("true", "1", "yes", "false", "0", "no", ""):
        raise invalid("include_revoked", "must be true or false")
    found = await blocking(recipients.recipient_assertions, store, record["entityId"],
                           include_revoked=flag in ("true", "1", "yes"))
    return envelope([urls.assertion_view(assertion.to_dict()) for assertion in found])
