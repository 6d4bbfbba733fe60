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

from .. import accounts, throttle
from ..auth import Principal, authenticate, new_id, revoke_all_tokens, scoped
from ..body import opt_bool, opt_int, opt_list, opt_str, read_form, read_object
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
    """Mails a confirmation link; OSError / smtplib errors from the transport."""
    config = config_of(request)
    token = accounts.create_one_time(store_of(request), "confirm_email", user_id,
                                     config.recovery_token_ttl, email=email)
    link = f"{config.base_url}/v1/user/confirmemail/{token}"
    send_mail(config, email, "Confirm your email address",
              f"Confirm {email} for your Laurel account by opening:\n\n{link}\n")


def _mail_quietly(function: Any, *args: Any) -> None:
    try:
        function(*args)
    except Exception as error:  # noqa: BLE001 - a mail outage must not lose the account
        log.error("could not send mail: %s", error)


def _warn_owner(request: Request, email: str) -> None:
    config = config_of(request)
    send_mail(config, email, "Someone tried to sign up with your address",
              f"Someone asked to create a Laurel account for {email}, which has one already.\n\n"
              f"If it was you: sign in, or reset your password with POST "
              f"{config.base_url}/v1/user/forgot-password {{\"email\": \"{email}\"}}. If the "
              f"address is not confirmed yet, POST {config.base_url}/v1/user/confirmemail "
              f"{{\"email\": \"{email}\"}} mails a new confirmation link.\n\n"
              "If it was not you, ignore this message: nothing was changed.\n")


def _given_email(body: Dict[str, Any]) -> Any:
    """``email``, or the primary (else first) address of Badgr's ``emails`` list."""
    if body.get("email") is not None or not isinstance(body.get("emails"), list):
        return body.get("email")
    items = [item for item in body["emails"] if isinstance(item, dict)]
    primary = [item for item in items if item.get("primary")] or items
    return primary[0].get("email") if primary else None


@router.post("/v2/users", status_code=201, summary="Create a BadgeUser account")
async def create_user(request: Request) -> Response:
    """An address that has an account already gets the same answer as a new one (no account
    discovery); its owner is mailed instead."""
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
    # Hashed in either case, so the answer takes as long whether or not the address is taken.
    user["passwordHash"] = await passwords_of(request).run_hash(password)
    store = store_of(request)
    key = accounts.normalize_email(email)
    try:
        await blocking(store.replace_document, accounts.EMAIL_KIND, key, None, {"user": user_id})
    except laurel.Conflict:
        owner = accounts.find_user_by_email(store, email) or {}
        stored = [item["email"] for item in owner.get("emails", [])
                  if accounts.same_email(item.get("email", ""), email)]
        await blocking(_mail_quietly, _warn_owner, request, (stored or [email])[0])
        return envelope([accounts.profile(user)], status_code=201)
    try:
        await blocking(store.put_document, accounts.USER_KIND, user_id, user)
    except BaseException:
        await blocking(store.delete_document, accounts.EMAIL_KIND, key)
        raise
    await blocking(_mail_quietly, _send_confirmation, request, user_id, email)
    return envelope([accounts.profile(user)], status_code=201)


@router.post("/v1/user/confirmemail", summary="Mail a new email confirmation link")
async def resend_confirmation(request: Request) -> Response:
    """Body ``{email}``. Always answers 200, whether or not the address has an account (no
    account discovery); an account holding the address unconfirmed is mailed a new link."""
    body = await read_form(request)
    email = accounts.check_email(body.get("email"))
    store = store_of(request)
    user = accounts.find_user_by_email(store, email)
    if user is not None and not accounts.has_verified(user, email):
        try:
            await blocking(_send_confirmation, request, user["entityId"], email)
        except Exception as error:  # noqa: BLE001
            log.error("could not send the confirmation mail: %s", error)
            raise ApiError(503, "Could not send mail; try again later.",
                           error_code="mail_failed") from None
    return envelope([], description="If the address has an unconfirmed account, a "
                    "confirmation email was sent.")


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
        elif key == "recipient":  # the primary address, shown: echoed back unchanged only
            user = store_of(request).get_document(accounts.USER_KIND, user_id)
            if body[key] != accounts.profile(user)["recipient"]:
                raise invalid(key, "is read-only (the primary email)")
        elif key not in _READ_ONLY and key not in ("password", "currentPassword"):
            raise invalid(key, "is not a field of BadgeUser")
    store, passwords = store_of(request), passwords_of(request)
    if "password" in body:
        new_password = accounts.check_password(body.get("password"))
        current = body.get("currentPassword")
        user = store.get_document(accounts.USER_KIND, user_id)
        primary = next((item["email"] for item in user.get("emails", [])), user_id)
        address = request.client.host if request.client else None
        if not isinstance(current, str) or not await throttle.verify_password(
                store, config_of(request), passwords, primary, address,
                user.get("passwordHash"), current):
            raise invalid("currentPassword", "is required to change the password and must match")
        changes["passwordHash"] = await passwords.run_hash(new_password)
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
    try:
        updated = await blocking(accounts.mark_verified, store, record["user"],
                                 record.get("email", ""))
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    return envelope([accounts.profile(updated)], description="email confirmed")


@router.post("/v1/user/forgot-password", summary="Request an account recovery email")
@router.post("/v2/auth/forgot-password", summary="Request an account recovery email")
async def request_recovery(request: Request) -> Response:
    """Always answers 200, whether or not the address has an account (no account discovery)."""
    body = await read_form(request)
    email = accounts.check_email(body.get("email"))
    store, config = store_of(request), config_of(request)
    user = accounts.find_user_by_email(store, email)
    if user is not None:
        token = await blocking(accounts.create_one_time, store, "recovery", user["entityId"],
                               config.recovery_token_ttl, email=email)
        link = f"{config.base_url}/v1/user/forgot-password?token={token}"
        text = (f"Someone asked to reset the password of the Laurel account {email}.\n\n"
                f"Your one-time recovery token (valid {config.recovery_token_ttl // 60} minutes):"
                f"\n\n{token}\n\nSend it with a new password: PUT {link}\n\n"
                "If this was not you, ignore this message.\n")
        try:
            await blocking(send_mail, config, email, "Recover your account", text)
        except Exception as error:  # noqa: BLE001
            log.error("could not send the recovery mail: %s", error)
            raise ApiError(503, "Could not send mail; try again later.",
                           error_code="mail_failed") from None
    return envelope([], description="If the address has an account, a recovery email was sent.")


@router.put("/v1/user/forgot-password", summary="Recover an account and set a new password")
@router.put("/v2/auth/forgot-password", summary="Recover an account and set a new password")
async def recover(request: Request) -> Response:
    body = await read_form(request)
    password = accounts.check_password(body.get("password"))
    store, passwords = store_of(request), passwords_of(request)
    record = await blocking(accounts.consume_one_time, store, "recovery", body.get("token"))
    new_hash = await passwords.run_hash(password)
    try:
        await blocking(accounts.update_user, store, record["user"],
                       lambda doc: {**doc, "passwordHash": new_hash})
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    # A recovered account starts afresh: every token issued before is revoked. Its address is
    # verified now: the address holder read the mail and set the password.
    await blocking(revoke_all_tokens, store, record["user"])
    if record.get("email"):
        try:
            await blocking(accounts.mark_verified, store, record["user"], record["email"])
        except ApiError:
            pass  # the address went to another account meanwhile: nothing to verify here
    return envelope([], description="password changed")
