"""OAuth 2.0 for the OB 3.0 API (OB 3.0 §7): dynamic client registration (RFC 7591), the
authorization code grant with PKCE (RFC 7636, S256 only), refresh with rotation, revocation
(RFC 7009).

===========================================  ================================================
``POST /ims/ob/v3p0/oauth/register``         client metadata (JSON) -> 201 client_id, secret
``GET  /ims/ob/v3p0/oauth/authorize``        the sign-in and consent page
``POST /ims/ob/v3p0/oauth/authorize``        that page's form: 302 to redirect_uri with code
``POST /ims/ob/v3p0/oauth/token``            authorization_code and refresh_token grants
``POST /ims/ob/v3p0/oauth/revoke``           revokes a token's grant; always 200
===========================================  ================================================

The user signs in on the authorization page with the account's email and password (the same
Argon2id check as ``POST /o/token``) and grants the scopes shown. Until the client and its
redirect_uri are known good, errors are shown on the page (never redirected: an open redirector
otherwise); after that they go back to the client as ``error`` and ``state`` parameters.
Token and revocation requests authenticate the client with HTTP Basic (client_secret_basic).
The state itself lives in ob3_grants.
"""

from __future__ import annotations

import base64
import binascii
import html
import ipaddress
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote, urlencode, urlsplit

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import accounts, ob3_grants, throttle
from ..body import read_form, read_object
from ..context import blocking, config_of, passwords_of, store_of
from ..envelope import json_response
from ..errors import ApiError
from ..ob3_grants import GRANTABLE, OB3_SCOPES, OFFLINE_ACCESS, GrantError
from ..ob3_status import API_PREFIX

router = APIRouter(tags=["OB 3.0 OAuth"])

REGISTER_PATH = f"{API_PREFIX}/oauth/register"
AUTHORIZE_PATH = f"{API_PREFIX}/oauth/authorize"
TOKEN_PATH = f"{API_PREFIX}/oauth/token"
REVOKE_PATH = f"{API_PREFIX}/oauth/revoke"

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# The sign-in page may not be framed (clickjacking) and runs no script.
_PAGE_HEADERS = {**_NO_STORE, "X-Frame-Options": "DENY",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                            "form-action 'self'; frame-ancestors 'none'"}
_TEXT_MAX = 2048
_URIS_MAX = 10
_AUTH_METHOD = "client_secret_basic"
_GRANT_TYPES = ("authorization_code", "refresh_token")

Doc = Dict[str, Any]


async def _fields(request: Request) -> Dict[str, str]:
    """The form's (or JSON body's) string fields; anything else is as good as absent. A body
    that does not decode (body.read_form's rules) is GrantError invalid_request."""
    try:
        fields = await read_form(request)
    except ApiError:  # a malformed or undecodable body: no fields
        return {}
    return {key: value for key, value in fields.items() if isinstance(value, str)}


def _error(error: str, description: str, status: int = 400,
           headers: Optional[Dict[str, str]] = None) -> Response:
    return json_response({"error": error, "error_description": description},
                         status_code=status, headers={**_NO_STORE, **(headers or {})})


# --- registration (RFC 7591) -----------------------------------------------------------------

def _loopback(host: Optional[str]) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _uri(value: Any, field: str, *, redirect: bool = False) -> str:
    """An absolute http(s) URI; a redirect URI is https (or http on a loopback address, as
    RFC 8252 §7.3 allows native apps) and has no fragment (RFC 6749 §3.1.2)."""
    if not isinstance(value, str) or not value or len(value) > _TEXT_MAX:
        raise GrantError("invalid_redirect_uri" if redirect else "invalid_client_metadata",
                         f"{field} must be an absolute URI of at most {_TEXT_MAX} characters")
    parts = urlsplit(value)
    bad = parts.scheme not in ("http", "https") or not parts.netloc
    if redirect:
        bad = bad or bool(parts.fragment) or (parts.scheme == "http"
                                              and not _loopback(parts.hostname))
    if bad:
        raise GrantError("invalid_redirect_uri" if redirect else "invalid_client_metadata",
                         f"{field} must be an absolute https URI"
                         + (" (http only on loopback) without a fragment" if redirect else ""))
    return value


def _text(body: Doc, key: str, required: bool = False) -> Optional[str]:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > _TEXT_MAX:
        raise GrantError("invalid_client_metadata",
                         f"{key} must be a non-empty string of at most {_TEXT_MAX} characters")
    return value


def _names(body: Doc, key: str, allowed: Tuple[str, ...], default: List[str]) -> List[str]:
    value = body.get(key, default)
    if (not isinstance(value, list) or not value
            or not all(isinstance(item, str) and item in allowed for item in value)):
        raise GrantError("invalid_client_metadata",
                         f"{key} must be a list of {', '.join(allowed)}")
    return list(dict.fromkeys(value))


def _client_metadata(body: Doc) -> Doc:
    """The registration request checked (OB 3.0 §7.1.1.2); GrantError names the field."""
    uris = body.get("redirect_uris")
    if not isinstance(uris, list) or not uris or len(uris) > _URIS_MAX:
        raise GrantError("invalid_redirect_uri",
                         f"redirect_uris must be a list of 1 to {_URIS_MAX} URIs")
    metadata: Doc = {"redirect_uris": [_uri(uri, "redirect_uris", redirect=True) for uri in uris]}
    metadata["client_name"] = _text(body, "client_name", required=True)
    metadata["client_uri"] = _uri(_text(body, "client_uri", required=True), "client_uri")
    for key in ("logo_uri", "tos_uri", "policy_uri"):
        if body.get(key) is not None:
            metadata[key] = _uri(_text(body, key), key)
    for key in ("software_id", "software_version"):
        if body.get(key) is not None:
            metadata[key] = _text(body, key)
    contacts = body.get("contacts")
    if contacts is not None:
        if not isinstance(contacts, list) or not all(
                isinstance(item, str) and 0 < len(item) <= 254 for item in contacts):
            raise GrantError("invalid_client_metadata", "contacts must be a list of strings")
        metadata["contacts"] = contacts[:_URIS_MAX]
    scope = _text(body, "scope", required=True) or ""
    names = scope.split()
    if not set(names) <= GRANTABLE or not set(names) & set(OB3_SCOPES):
        raise GrantError("invalid_client_metadata",
                         "scope must name Open Badges 3.0 scopes (and offline_access)")
    metadata["scope"] = " ".join(dict.fromkeys(names))
    method = body.get("token_endpoint_auth_method", _AUTH_METHOD)
    if method != _AUTH_METHOD:
        raise GrantError("invalid_client_metadata",
                         f"token_endpoint_auth_method must be {_AUTH_METHOD}")
    metadata["token_endpoint_auth_method"] = _AUTH_METHOD
    metadata["grant_types"] = _names(body, "grant_types", _GRANT_TYPES, list(_GRANT_TYPES))
    if "authorization_code" not in metadata["grant_types"]:
        raise GrantError("invalid_client_metadata", "grant_types must include authorization_code")
    metadata["response_types"] = _names(body, "response_types", ("code",), ["code"])
    return metadata


@router.post(REGISTER_PATH, status_code=201, summary="Register an OB 3.0 client (RFC 7591)")
async def register(request: Request) -> Response:
    try:
        body = await read_object(request)
        metadata = _client_metadata(body)
    except GrantError as error:
        return _error(error.error, error.description)
    except ApiError:  # not a JSON object
        return _error("invalid_client_metadata", "the body must be a JSON object")
    response = await blocking(ob3_grants.register_client, store_of(request), metadata)
    return json_response(response, status_code=201, headers=_NO_STORE)


# --- authorization (RFC 6749 §4.1.1, RFC 7636 §4.3) -------------------------------------------

class _PageError(Exception):
    """A request the page must refuse itself: unknown client or redirect_uri."""


def _authorization_request(request: Request, params: Dict[str, str]) -> Tuple[Doc, str]:
    """(client, redirect_uri) once both are known good; _PageError otherwise."""
    client = ob3_grants.get_client(store_of(request), params.get("client_id"))
    if client is None:
        raise _PageError("Unknown client_id.")
    redirect_uri = params.get("redirect_uri")
    if redirect_uri not in client["redirect_uris"]:  # exact match (RFC 6749 §3.1.2.3)
        raise _PageError("redirect_uri is not one this client registered.")
    return client, redirect_uri


def _check_parameters(client: Doc, params: Dict[str, str]) -> str:
    """The scope to grant; GrantError (sent back to the client) for a bad request."""
    if params.get("response_type") != "code":
        raise GrantError("unsupported_response_type", "response_type must be code")
    challenge = params.get("code_challenge") or ""
    if not challenge:
        raise GrantError("invalid_request", "PKCE is required: code_challenge is missing")
    if params.get("code_challenge_method") != "S256":
        raise GrantError("invalid_request", "code_challenge_method must be S256")
    if not ob3_grants.valid_verifier(challenge) or len(challenge) != 43:
        raise GrantError("invalid_request", "code_challenge must be a base64url SHA-256 hash")
    registered = client["scope"].split()
    requested = (params.get("scope") or "").split() or registered
    if not set(requested) <= set(registered):
        raise GrantError("invalid_scope", "the scope exceeds what the client registered")
    return " ".join(dict.fromkeys(requested))


def _back(redirect_uri: str, values: Dict[str, Optional[str]]) -> Response:
    query = urlencode({key: value for key, value in values.items() if value is not None})
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{query}", status_code=302,
                            headers=_NO_STORE)


def _page(body: str, status: int = 200, headers: Optional[Dict[str, str]] = None) -> Response:
    document = ("<!doctype html><html lang=en><head><meta charset=utf-8>"
                "<meta name=viewport content='width=device-width'><title>Laurel: authorize</title>"
                "<style>body{font:16px system-ui;max-width:32em;margin:2em auto;padding:0 1em}"
                "label{display:block;margin:.6em 0}input{width:100%}</style></head><body>"
                f"{body}</body></html>")
    return HTMLResponse(document, status_code=status, headers={**_PAGE_HEADERS, **(headers or {})})


_FORWARDED = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
              "code_challenge_method")


def _consent_page(client: Doc, params: Dict[str, str], scope: str,
                  problem: Optional[str] = None, status: int = 400,
                  headers: Optional[Dict[str, str]] = None) -> Response:
    escape = html.escape
    hidden = "".join(f"<input type=hidden name={name} value='{escape(params[name])}'>"
                     for name in _FORWARDED if params.get(name) is not None)
    scopes = "".join(f"<li>{escape(OB3_SCOPES.get(name, name))}</li>"
                     for name in scope.split() if name != OFFLINE_ACCESS)
    warning = f"<p role=alert><strong>{escape(problem)}</strong></p>" if problem else ""
    body = (f"<h1>Sign in to Laurel</h1><p><strong>{escape(client['client_name'])}</strong> "
            f"(<code>{escape(client['client_uri'])}</code>) asks for:</p><ul>{scopes}</ul>"
            # Relative: the page's own URL, whatever prefix a proxy puts before it.
            f"{warning}<form method=post action=authorize>{hidden}"
            "<label>Email <input name=username type=email autocomplete=username required></label>"
            "<label>Password <input name=password type=password autocomplete=current-password "
            "required></label>"
            "<button name=decision value=allow>Allow</button> "
            "<button name=decision value=deny formnovalidate>Deny</button></form>")
    return _page(body, status if problem else 200, headers)


@router.get(AUTHORIZE_PATH, summary="Sign in and grant an OB 3.0 client access (HTML)")
async def authorize_page(request: Request) -> Response:
    params = dict(request.query_params)
    try:
        client, redirect_uri = _authorization_request(request, params)
    except _PageError as error:
        return _page(f"<h1>Cannot authorize</h1><p>{html.escape(str(error))}</p>", 400)
    try:
        scope = _check_parameters(client, params)
    except GrantError as error:
        return _back(redirect_uri, {"error": error.error, "error_description": error.description,
                                    "state": params.get("state")})
    return _consent_page(client, params, scope)


@router.post(AUTHORIZE_PATH, summary="The authorization page's form: 302 back with a code",
             include_in_schema=False)
async def authorize(request: Request) -> Response:
    try:
        params = await _fields(request)
    except GrantError as error:
        return _page(f"<h1>Cannot authorize</h1><p>{html.escape(error.description)}</p>", 400)
    try:
        client, redirect_uri = _authorization_request(request, params)
    except _PageError as error:
        return _page(f"<h1>Cannot authorize</h1><p>{html.escape(str(error))}</p>", 400)
    state = params.get("state")
    try:
        scope = _check_parameters(client, params)
    except GrantError as error:
        return _back(redirect_uri, {"error": error.error, "error_description": error.description,
                                    "state": state})
    if params.get("decision") != "allow":
        return _back(redirect_uri, {"error": "access_denied",
                                    "error_description": "the user denied the request",
                                    "state": state})
    try:
        user = await _sign_in(request, params.get("username"), params.get("password"))
    except ApiError as error:  # too many failed sign-ins: say so on the page
        return _consent_page(client, params, scope, error.description, error.status,
                             error.headers)
    if user is None:
        return _consent_page(client, params, scope, "Wrong email or password.")
    code = await blocking(ob3_grants.create_code, store_of(request), client["client_id"],
                          user["entityId"], redirect_uri, scope, params["code_challenge"])
    return _back(redirect_uri, {"code": code, "scope": scope, "state": state})


async def _sign_in(request: Request, username: Any, password: Any) -> Optional[Doc]:
    """The account whose email and password these are; None otherwise. The same check as
    ``POST /o/token``: Argon2id under the login throttle (an ApiError 429 when refused)."""
    if not isinstance(username, str) or not isinstance(password, str) or not password:
        return None
    store = store_of(request)
    user = accounts.find_user_by_email(store, username) if len(username) <= 254 else None
    stored_hash = user.get("passwordHash") if user else None
    address = request.client.host if request.client else None
    # Throttled like POST /o/token (429 with Retry-After when the account or address is).
    ok = await throttle.verify_password(store, config_of(request), passwords_of(request), username,
                                        address,
                                        stored_hash, password[:accounts.PASSWORD_MAX])
    return user if ok and user is not None else None


# --- token and revocation endpoints ---------------------------------------------------------

def _basic_credentials(request: Request) -> Tuple[Optional[str], Optional[str]]:
    """client_id and client_secret from ``Authorization: Basic`` (form-urlencoded each, as
    RFC 6749 §2.3.1 says)."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None, None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return None, None
    return unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))


def _client_error(error: GrantError) -> Response:
    if error.error == "invalid_client":  # RFC 6749 §5.2: 401 with the scheme the client used
        return _error(error.error, error.description, 401,
                      {"WWW-Authenticate": 'Basic realm="Laurel OB 3.0", charset="UTF-8"'})
    return _error(error.error, error.description)


async def _client(request: Request) -> Doc:
    client_id, secret = _basic_credentials(request)
    return await blocking(ob3_grants.authenticate_client, store_of(request), client_id, secret)


@router.post(TOKEN_PATH, summary="OB 3.0 token endpoint: authorization_code and refresh_token")
async def token(request: Request) -> Response:
    store, config = store_of(request), config_of(request)
    try:
        form = await _fields(request)
        client = await _client(request)
        grant = form.get("grant_type")
        if grant not in client["grant_types"] and grant in _GRANT_TYPES:
            raise GrantError("unauthorized_client", f"this client may not use {grant}")
        if grant == "authorization_code":
            verifier = form.get("code_verifier")
            if not ob3_grants.valid_verifier(verifier):
                raise GrantError("invalid_request",
                                 "code_verifier is required (43 to 128 unreserved characters)")
            tokens = await blocking(ob3_grants.redeem_code, store, config, client,
                                    form.get("code"), form.get("redirect_uri") or "", verifier)
        elif grant == "refresh_token":
            scope = form.get("scope", "").strip() or None
            tokens = await blocking(ob3_grants.refresh, store, config, client,
                                    form.get("refresh_token"), scope)
        elif not grant:
            raise GrantError("invalid_request", "grant_type is required")
        else:
            raise GrantError("unsupported_grant_type",
                             "grant_type must be authorization_code or refresh_token")
    except GrantError as error:
        return _client_error(error)
    return json_response(tokens, headers=_NO_STORE)


@router.post(REVOKE_PATH, summary="Revoke an OB 3.0 access or refresh token (RFC 7009)")
async def revoke(request: Request) -> Response:
    try:
        form = await _fields(request)
        client = await _client(request)
    except GrantError as error:
        return _client_error(error)
    if not form.get("token"):
        return _error("invalid_request", "token is required")
    await blocking(ob3_grants.revoke, store_of(request), client, form["token"],
                   form.get("token_type_hint"))
    return Response(status_code=200, headers=_NO_STORE)
