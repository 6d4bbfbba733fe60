"""BadgeUser accounts: sign-up, profile, email confirmation and account recovery.

Paths as Badgr's: ``POST /v2/users``, ``GET|PUT /v2/users/self`` (also ``/v2/users/{own id}``),
``POST|PUT /v1/user/forgot-password`` (also ``/v2/auth/forgot-password``, the connector's) and
``GET /v1/user/confirmemail/{token}``. The connector's ``POST /v2/users/{entity_id}`` updates
your profile when signed in (as PUT) and creates an account otherwise (as ``POST /v2/users``).
Changing the password revokes every other token of the account.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import accounts
from ..auth import Principal, authenticate, new_id, revoke_all_tokens, scoped
from ..body import opt_bool, opt_int, opt_list, opt_str, read_object
from ..context import blocking, config_of, passwords_of, store_of
from ..envelope import envelope
from ..errors import ApiError, invalid, not_found
from ..mail import send_mail

router = APIRouter(tags=["users"])
log = logging.getLogger("laurel.server")

# Keys of the profile a client may echo back in PUT unchanged (Badgr clients GET, edit, PUT).
_READ_ONLY = {"entityType", "entityId", "emails", "hasPasswordSet", "createdAt", "badgrDomain",
              "hasAgreedToLatestTermsVersion"}
_NAME_MAX = 255


def _name(body: Dict[str, Any], key: str) -> Any:
    value = opt_str(body, key)
    if value is not None and len(value) > _NAME_MAX:
        raise invalid(key, f"must be at most {_NAME_MAX} characters")
    return value


def _strings(body: Dict[str, Any], key: str) -> List[str]:
    value = opt_list(body, key)
    if value is None:
        return []
    if len(value) > 16 or not all(isinstance(item, str) and len(item) <= 2048 for item in value):
        raise invalid(key, "must be a list of at most 16 strings")
    return value


def _send_confirmation(request: Request, user_id: str, email: str) -> None:
    config = config_of(request)
    token = accounts.create_one_time(store_of(request), "confirm_email", user_id,
                                     config.recovery_token_ttl, email=email)
    link = f"{config.base_url}/v1/user/confirmemail/{token}"
    try:
        send_mail(config, email, "Confirm your email address",
                  f"Confirm {email} for your Laurel account by opening:\n\n{link}\n")
    except Exception:  # noqa: BLE001 - a mail outage must not lose the account
        log.exception("could not send the confirmation mail to %s", email)


def _given_email(body: Dict[str, Any]) -> Any:
    """``email``, or the primary (else first) address of Badgr's ``emails`` list."""
    if body.get("email") is not None or not isinstance(body.get("emails"), list):
        return body.get("email")
    items = [item for item in body["emails"] if isinstance(item, dict)]
    primary = [item for item in items if item.get("primary")] or items
    return primary[0].get("email") if primary else None


@router.post("/v2/users", status_code=201, summary="Create a BadgeUser account")
async def create_user(request: Request) -> Response:
    return await _create_user(request, await read_object(request))


async def _create_user(request: Request, body: Dict[str, Any]) -> Response:
    email = accounts.check_email(_given_email(body))
    password = accounts.check_password(body.get("password"))
    user_id = new_id()
    user = {
        "entityId": user_id,
        "firstName": _name(body, "firstName"),
        "lastName": _name(body, "lastName"),
        "emails": [{"email": email, "verified": False, "primary": True}],
        "url": _strings(body, "url"),
        "telephone": _strings(body, "telephone"),
        "agreedTermsVersion": opt_int(body, "agreedTermsVersion"),
        "marketingOptIn": opt_bool(body, "marketingOptIn", False),
        "createdAt": accounts.now_iso(),
    }
    user["passwordHash"] = await blocking(passwords_of(request).hash, password)
    store = store_of(request)
    try:
        await blocking(store.replace_document, accounts.EMAIL_KIND,
                       accounts.normalize_email(email), None, {"user": user_id})
    except laurel.Conflict:
        raise ApiError(409, "An account with this email already exists.",
                       field_errors={"email": ["is already in use"]},
                       error_code="conflict") from None
    try:
        await blocking(store.put_document, accounts.USER_KIND, user_id, user)
    except BaseException:
        await blocking(store.delete_document, accounts.EMAIL_KIND, accounts.normalize_email(email))
        raise
    await blocking(_send_confirmation, request, user_id, email)
    return envelope([accounts.profile(user)], status_code=201)


def _own(principal: Principal, entity_id: str) -> str:
    if entity_id not in ("self", principal.user_id):
        raise not_found("BadgeUser not found")
    return principal.user_id


@router.get("/v2/users/{entity_id}", summary="Get your profile ('self')")
async def get_user(request: Request, entity_id: str,
                   principal: Principal = scoped("r:profile")) -> Response:
    user_id = _own(principal, entity_id)
    try:
        user = store_of(request).get_document(accounts.USER_KIND, user_id)
    except laurel.NotFound:
        raise not_found("BadgeUser not found") from None
    return envelope([accounts.profile(user)])


@router.post("/v2/users/{entity_id}", summary="The connector's account form: update your "
             "profile when signed in, else create an account")
async def post_user(request: Request, entity_id: str) -> Response:
    header = request.headers.get("authorization")
    if header is None:
        return await _create_user(request, await read_object(request))
    token = header[7:] if header[:7].lower() == "bearer " else None
    return await update_user(request, entity_id, authenticate(request, token, "rw:profile"))


@router.put("/v2/users/{entity_id}", summary="Update your profile ('self')")
async def update_user(request: Request, entity_id: str,
                      principal: Principal = scoped("rw:profile")) -> Response:
    user_id = _own(principal, entity_id)
    body = await read_object(request)
    changes: Dict[str, Any] = {}
    for key in body:
        if key in ("firstName", "lastName"):
            changes[key] = _name(body, key)
        elif key in ("url", "telephone"):
            changes[key] = _strings(body, key)
        elif key == "marketingOptIn":
            changes[key] = opt_bool(body, key, False)
        elif key == "agreedTermsVersion":
            changes[key] = opt_int(body, key)
        elif key not in _READ_ONLY and key not in ("password", "currentPassword"):
            raise invalid(key, "is not a field of BadgeUser")
    store, passwords = store_of(request), passwords_of(request)
    if "password" in body:
        new_password = accounts.check_password(body.get("password"))
        current = body.get("currentPassword")
        user = store.get_document(accounts.USER_KIND, user_id)
        if not isinstance(current, str) or not await blocking(
                passwords.verify, user.get("passwordHash"), current):
            raise invalid("currentPassword", "is required to change the password and must match")
        changes["passwordHash"] = await blocking(passwords.hash, new_password)
    updated = await blocking(accounts.update_user, store, user_id,
                             lambda doc: {**doc, **changes})
    if "passwordHash" in changes:
        # As after a recovery: whoever held another token of this account loses it.
        await blocking(revoke_all_tokens, store, user_id, keep=principal.token_id)
    return envelope([accounts.profile(updated)])


@router.get("/v1/user/confirmemail/{token}", summary="Confirm an email address (link from mail)")
async def confirm_email(request: Request, token: str) -> Response:
    store = store_of(request)
    record = await blocking(accounts.consume_one_time, store, "confirm_email", token)
    email = record.get("email", "")

    def verify(doc: Dict[str, Any]) -> Dict[str, Any]:
        doc["emails"] = [dict(item, verified=True) if item.get("email") == email else item
                         for item in doc.get("emails", [])]
        return doc

    try:
        updated = await blocking(accounts.update_user, store, record["user"], verify)
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    return envelope([accounts.profile(updated)], description="email confirmed")


async def _recovery_body(request: Request) -> Dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        return await read_object(request)
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.post("/v1/user/forgot-password", summary="Request an account recovery email")
@router.post("/v2/auth/forgot-password", summary="Request an account recovery email")
async def request_recovery(request: Request) -> Response:
    """Always answers 200, whether or not the address has an account (no account discovery)."""
    body = await _recovery_body(request)
    email = accounts.check_email(body.get("email"))
    store, config = store_of(request), config_of(request)
    user = accounts.find_user_by_email(store, email)
    if user is not None:
        token = await blocking(accounts.create_one_time, store, "recovery", user["entityId"],
                               config.recovery_token_ttl)
        link = f"{config.base_url}/v1/user/forgot-password?token={token}"
        text = (f"Someone asked to reset the password of the Laurel account {email}.\n\n"
                f"Your one-time recovery token (valid {config.recovery_token_ttl // 60} minutes):"
                f"\n\n{token}\n\nSend it with a new password: PUT {link}\n\n"
                "If this was not you, ignore this message.\n")
        try:
            await blocking(send_mail, config, email, "Recover your account", text)
        except Exception:  # noqa: BLE001
            log.exception("could not send the recovery mail")
            raise ApiError(503, "Could not send mail; try again later.",
                           error_code="mail_failed") from None
    return envelope([], description="If the address has an account, a recovery email was sent.")


@router.put("/v1/user/forgot-password", summary="Recover an account and set a new password")
@router.put("/v2/auth/forgot-password", summary="Recover an account and set a new password")
async def recover(request: Request) -> Response:
    body = await _recovery_body(request)
    password = accounts.check_password(body.get("password"))
    store, passwords = store_of(request), passwords_of(request)
    record = await blocking(accounts.consume_one_time, store, "recovery", body.get("token"))
    new_hash = await blocking(passwords.hash, password)
    try:
        await blocking(accounts.update_user, store, record["user"],
                       lambda doc: {**doc, "passwordHash": new_hash})
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    # A recovered account starts afresh: every token issued before is revoked.
    await blocking(revoke_all_tokens, store, record["user"])
    return envelope([], description="password changed")
