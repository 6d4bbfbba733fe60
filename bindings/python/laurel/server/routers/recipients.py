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
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ... import recipients
from .. import accounts
from ..access import issuer_for
from ..auth import Principal, new_id, scoped, token_key
from ..body import read_object
from ..context import blocking, config_of, passwords_of, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found
from ..mail import send_mail

router = APIRouter(tags=["recipients"])
log = logging.getLogger("laurel.server")

Doc = Dict[str, Any]

_PURPOSE = "recipient_registration"
_SERVER_KEYS = ("entityId", "entityType", "issuer", "registered", "user", "registeredAt",
                "createdAt", "createdBy", "updatedAt")


def _recipient_for(store: Any, principal: Principal, recipient_id: str,
                   need: str = "staff") -> Doc:
    try:
        record = recipients.get_recipient(store, recipient_id)
    except laurel.NotFound:
        raise not_found("Recipient not found") from None
    try:
        issuer_for(store, principal, record["issuer"], need)
    except ApiError as error:
        if error.status == 404:
            raise not_found("Recipient not found") from None
        raise
    return record


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


async def _fields(request: Request) -> Doc:
    body = await read_object(request)
    return {key: value for key, value in body.items() if key not in _SERVER_KEYS}


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


@router.get("/v2/issuers/{issuer_id}/recipients", summary="List an issuer's recipients")
async def list_recipients(request: Request, issuer_id: str,
                          principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    return envelope(await blocking(recipients.list_recipients, store, issuer["entityId"]))


@router.post("/v2/issuers/{issuer_id}/recipients", status_code=201,
             summary="Create a recipient (staff; mails a one-time registration link)")
async def create_recipient(request: Request, issuer_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{name, email}``."""
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    fields = await _fields(request)
    record = await blocking(call, recipients.create_recipient, store, issuer["entityId"],
                            fields, created_by=principal.user_id)
    await blocking(_invite, request, principal, record)
    return envelope([record], status_code=201)


@router.get("/v2/recipients/{recipient_id}", summary="Get a recipient")
async def get_recipient(request: Request, recipient_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    return envelope([_recipient_for(store_of(request), principal, recipient_id)])


async def _update(request: Request, recipient_id: str, principal: Principal,
                  replace: bool) -> Response:
    store = store_of(request)
    record = _recipient_for(store, principal, recipient_id, need="editor")
    fields = await _fields(request)
    updated = await blocking(call, recipients.update_recipient, store, record["entityId"],
                             fields, replace=replace)
    return envelope([updated])


@router.put("/v2/recipients/{recipient_id}", summary="Replace a recipient's fields (editor)")
async def put_recipient(request: Request, recipient_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, recipient_id, principal, replace=True)


@router.patch("/v2/recipients/{recipient_id}", summary="Change a recipient's fields (editor)")
async def patch_recipient(request: Request, recipient_id: str,
                          principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, recipient_id, principal, replace=False)


@router.delete("/v2/recipients/{recipient_id}", status_code=204,
               summary="Delete a recipient record (editor; badges and account stay)")
async def delete_recipient(request: Request, recipient_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _recipient_for(store, principal, recipient_id, need="editor")
    await blocking(call, recipients.delete_recipient, store, record["entityId"])
    return envelope(status_code=204)


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
