"""POST /o/token: OAuth2 password and refresh_token grants (RFC 6749 §4.3, §6).

Bodies are form-encoded as the RFC says (JSON is accepted too); responses and errors have the
RFC's shape (``{access_token, token_type, expires_in, refresh_token, scope}`` and
``{error, error_description}``), not Badgr's envelope, as Badgr's own token endpoint does.
A refresh token is used up by its first use (compare-and-set) and the access token issued with it
is revoked: a replayed refresh token gets ``invalid_grant``.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import accounts, throttle
from ..auth import (ACCESS_KIND, INDEX_KIND, REFRESH_KIND, issue_tokens, parse_scope, token_key)
from ..body import read_form
from ..context import blocking, config_of, passwords_of, store_of
from ..envelope import json_response
from ..errors import ApiError

router = APIRouter(tags=["auth"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return json_response({"error": error, "error_description": description}, status_code=status,
                         headers=_NO_STORE)


_TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object",
            "required": ["grant_type"],
            "properties": {
                "grant_type": {"type": "string", "enum": ["password", "refresh_token"]},
                "username": {"type": "string", "description": "the account's email"},
                "password": {"type": "string"},
                "refresh_token": {"type": "string"},
                "scope": {"type": "string",
                          "description": "space-separated; default "
                                         "'rw:profile rw:issuer rw:backpack'"},
                "client_id": {"type": "string", "description": "accepted and ignored"},
            }}}},
    }
}


@router.post("/o/token", summary="Get an access token (OAuth2 password or refresh_token grant)",
             openapi_extra=_TOKEN_BODY)
async def token(request: Request) -> Response:
    try:
        form = await read_form(request)
    except ApiError as error:  # undecodable: the RFC's error shape, not Badgr's envelope
        return _oauth_error("invalid_request", "; ".join(error.non_field_errors))
    grant = form.get("grant_type")
    if grant == "password":
        return await _password_grant(request, form)
    if grant == "refresh_token":
        return await _refresh_grant(request, form)
    if not grant:
        return _oauth_error("invalid_request", "grant_type is required")
    return _oauth_error("unsupported_grant_type", "grant_type must be password or refresh_token")


def _client_address(request: Request) -> Optional[str]:
    return request.client.host if request.client else None


async def _password_grant(request: Request, form: Dict[str, Any]) -> Response:
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        return _oauth_error("invalid_request", "username and password are required")
    scope = parse_scope(form.get("scope") if isinstance(form.get("scope"), str) else None)
    if scope is None:
        return _oauth_error("invalid_scope", "unknown scope requested")
    store, passwords = store_of(request), passwords_of(request)
    user = accounts.find_user_by_email(store, username) if len(username) <= 254 else None
    stored_hash = user.get("passwordHash") if user else None
    try:
        ok = await throttle.verify_password(store, config_of(request), passwords, username,
                                            _client_address(request), stored_hash,
                                            password[:accounts.PASSWORD_MAX])
    except ApiError as error:  # throttled or too busy: 429 in the RFC's error shape
        return json_response({"error": "too_many_requests",
                              "error_description": "; ".join(error.non_field_errors)},
                             status_code=error.status, headers={**_NO_STORE, **error.headers})
    if not ok or user is None:
        return _oauth_error("invalid_grant", "Invalid credentials given.")
    if passwords.needs_rehash(stored_hash):  # parameters were raised since it was set
        new_hash = await passwords.run_hash(password)
        await blocking(accounts.update_user, store, user["entityId"],
                       lambda doc: {**doc, "passwordHash": new_hash})
    tokens = await blocking(issue_tokens, store, config_of(request), user["entityId"], scope)
    tokens.pop("entityId")
    return json_response(tokens, headers=_NO_STORE)


def _narrowed(granted_scope: str, requested: Any) -> Optional[str]:
    """The scope a refresh grants: the old one, or the narrower one requested; None when the
    request asks for more (or for unknown scopes)."""
    if not isinstance(requested, str) or not requested.strip():
        return granted_scope
    narrower = parse_scope(requested)
    granted = set(granted_scope.split())
    if "rw:profile" in granted:
        granted.add("r:profile")  # reading is part of read-write
    if narrower is None or not set(narrower.split()) <= granted:
        return None
    return narrower


def _use_refresh_token(store: Any, key: str, record: Dict[str, Any]) -> None:
    store.replace_document(REFRESH_KIND, key, record, None)  # Conflict if a racer used it first


async def _refresh_grant(request: Request, form: Dict[str, Any]) -> Response:
    refresh = form.get("refresh_token")
    if not isinstance(refresh, str) or not refresh or len(refresh) > 256:
        return _oauth_error("invalid_request", "refresh_token is required")
    store = store_of(request)
    key = token_key(refresh)
    try:
        record = store.get_document(REFRESH_KIND, key)
    except laurel.NotFound:
        return _oauth_error("invalid_grant", "The refresh token is invalid, expired or used.")
    # Checked before the token is used up: a refused scope leaves the refresh token working.
    scope = _narrowed(record["scope"], form.get("scope"))
    if scope is None:
        return _oauth_error("invalid_scope", "a refresh may only narrow the scope")
    try:
        await blocking(_use_refresh_token, store, key, record)
    except (laurel.NotFound, laurel.Conflict):
        return _oauth_error("invalid_grant", "The refresh token is invalid, expired or used.")
    user_id, old_id = record["user"], record["entityId"]
    # The access token issued with this refresh token is retired with it.
    try:
        index = store.get_document(INDEX_KIND, f"{user_id}/{old_id}")
        await blocking(store.delete_document, ACCESS_KIND, index["access"])
        await blocking(store.delete_document, INDEX_KIND, f"{user_id}/{old_id}")
    except laurel.NotFound:
        pass
    if record.get("expires", 0) <= time.time():
        return _oauth_error("invalid_grant", "The refresh token is invalid, expired or used.")
    tokens = await blocking(issue_tokens, store, config_of(request), user_id, scope)
    tokens.pop("entityId")
    return json_response(tokens, headers=_NO_STORE)
