"""The OB 3.0 API's OAuth 2.0 state: registered clients, authorization codes, grants and refresh
tokens, as service documents any worker sees. No HTTP here (routers/ob3_oauth.py speaks it).

Access tokens are the service's ordinary access tokens (auth.issue_tokens: hashed, in
``access_token`` and the user's ``user_token`` index), with the OB 3.0 scope URIs as their scope,
so ``auth.authenticate`` checks them, a user sees them in GET /v2/auth/tokens and a password
reset revokes them. Refresh tokens are this module's own: they are bound to the client and only
the OB 3.0 token endpoint (with client authentication) takes them, never ``POST /o/token``.

================  ===========================  ==============================================
kind              key                          value
================  ===========================  ==============================================
ob3_client        client_id                    {client metadata (RFC 7591), secretHash,
                                                client_id_issued_at}
ob3_code          sha256(code) hex             {client, user, redirectUri, scope, challenge,
                                                expires, grant: null | access entityId}
ob3_grant         access token entityId        {client, user, scope, refresh: sha256 hex}
ob3_refresh       sha256(refresh token) hex    {client, user, scope, grant, expires}
================  ===========================  ==============================================

A code is used by compare-and-set: its first exchange writes the grant it made into it; a second
exchange of the same code fails and revokes that grant (RFC 6749 §4.1.2: a replayed code means
it leaked). A refresh token is used up the same way (deleted by compare-and-set) and replaced:
rotation, so a stolen refresh token stops working once either party uses it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from typing import Any, Dict, FrozenSet, Optional, Tuple

import laurel

from .auth import ACCESS_KIND, INDEX_KIND, issue_tokens, new_id, revoke_token, token_key
from .config import ServerConfig

__all__ = ["CREDENTIAL_READONLY", "CREDENTIAL_UPSERT", "PROFILE_READONLY", "PROFILE_UPDATE",
           "OB3_SCOPES", "OFFLINE_ACCESS", "CLIENT_KIND", "CODE_KIND",
           "GRANT_KIND", "REFRESH_KIND", "GrantError", "pkce_matches", "valid_verifier",
           "register_client", "get_client", "authenticate_client", "create_code", "redeem_code",
           "refresh", "revoke"]

SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READONLY = SCOPE_BASE + "credential.readonly"
CREDENTIAL_UPSERT = SCOPE_BASE + "credential.upsert"
PROFILE_READONLY = SCOPE_BASE + "profile.readonly"
PROFILE_UPDATE = SCOPE_BASE + "profile.update"
OB3_SCOPES: Dict[str, str] = {  # OB 3.0 §6.2.1, with the spec's descriptions
    CREDENTIAL_READONLY: "Permission to read OpenBadgeCredentials for the authenticated entity.",
    CREDENTIAL_UPSERT:
        "Permission to create or update OpenBadgeCredentials for the authenticated entity.",
    PROFILE_READONLY: "Permission to read the profile for the authenticated entity.",
    PROFILE_UPDATE: "Permission to update the profile for the authenticated entity.",
}
OFFLINE_ACCESS = "offline_access"  # asked for by clients (the spec's examples); always granted
GRANTABLE: FrozenSet[str] = frozenset(OB3_SCOPES) | {OFFLINE_ACCESS}

CLIENT_KIND = "ob3_client"
CODE_KIND = "ob3_code"
GRANT_KIND = "ob3_grant"
REFRESH_KIND = "ob3_refresh"

CODE_TTL = 60  # seconds: RFC 6749 §4.1.2 recommends at most 10 minutes
ACCESS_TTL = 3600
TOKEN_TYPE = "ob3"

# RFC 7636 §4.1: 43..128 characters of the unreserved set.
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")

Doc = Dict[str, Any]


class GrantError(Exception):
    """An OAuth error (RFC 6749 §5.2 codes: invalid_grant, invalid_client, ...)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def valid_verifier(verifier: Any) -> bool:
    return isinstance(verifier, str) and bool(_VERIFIER.match(verifier))


def pkce_matches(verifier: str, challenge: str) -> bool:
    """S256 (RFC 7636 §4.6): BASE64URL(SHA256(verifier)) == challenge, compared in constant
    time. `plain` is never accepted, so the challenge is always a hash."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(computed, challenge)


# --- clients ---------------------------------------------------------------------------------

def register_client(store: Any, metadata: Doc) -> Doc:
    """Stores a client with already-checked `metadata`; returns the registration response
    (RFC 7591 §3.2.1) with the secret, which is kept only as a hash."""
    client_id = new_id()
    secret = secrets.token_urlsafe(32)
    now = int(time.time())
    record = dict(metadata, client_id=client_id, client_id_issued_at=now,
                  client_secret_expires_at=0, secretHash=token_key(secret))
    store.put_document(CLIENT_KIND, client_id, record)
    response = {key: value for key, value in record.items() if key != "secretHash"}
    response["client_secret"] = secret
    return response


def get_client(store: Any, client_id: Any) -> Optional[Doc]:
    if not isinstance(client_id, str) or not client_id or len(client_id) > 64:
        return None
    try:
        return store.get_document(CLIENT_KIND, client_id)
    except (laurel.NotFound, laurel.ValidationError):
        return None


def authenticate_client(store: Any, client_id: Optional[str], secret: Optional[str]) -> Doc:
    """The client whose id and secret these are (client_secret_basic); GrantError
    invalid_client otherwise. The secret is compared as a hash, in constant time."""
    client = get_client(store, client_id)
    if client is None or not isinstance(secret, str) or len(secret) > 256:
        raise GrantError("invalid_client", "Client authentication failed.")
    if not hmac.compare_digest(client["secretHash"], token_key(secret)):
        raise GrantError("invalid_client", "Client authentication failed.")
    return client


# --- codes and tokens ------------------------------------------------------------------------

def create_code(store: Any, client_id: str, user_id: str, redirect_uri: str, scope: str,
                challenge: str) -> str:
    now = int(time.time())
    # Expired codes (used ones are kept until then to catch replays) go first: what is left is
    # the last CODE_TTL seconds' worth, so this scan stays short.
    for key, record in store.list_documents(CODE_KIND):
        if record.get("expires", 0) <= now:
            store.delete_document(CODE_KIND, key)
    code = secrets.token_urlsafe(32)
    store.put_document(CODE_KIND, token_key(code),
                       {"client": client_id, "user": user_id, "redirectUri": redirect_uri,
                        "scope": scope, "challenge": challenge, "expires": now + CODE_TTL,
                        "grant": None})
    return code


def _issue(store: Any, config: ServerConfig, client_id: str, user_id: str,
           scope: str) -> Tuple[Doc, str]:
    """A new grant: an access token (the service's own kind) and a refresh token bound to the
    client. Returns the RFC 6749 §5.1 token response and the grant's id."""
    tokens = issue_tokens(store, config, user_id, scope, token_type=TOKEN_TYPE,
                          with_refresh=False, ttl=min(ACCESS_TTL, config.access_token_ttl))
    grant_id = tokens.pop("entityId")
    refresh_token = secrets.token_urlsafe(32)
    refresh_hash = token_key(refresh_token)
    refresh_expires = int(time.time()) + config.refresh_token_ttl
    # The user's token list shows the grant for as long as its refresh token lives.
    index_key = f"{user_id}/{grant_id}"
    index = store.get_document(INDEX_KIND, index_key)
    store.put_document(INDEX_KIND, index_key, dict(index, refreshExpires=refresh_expires))
    store.put_document(GRANT_KIND, grant_id,
                       {"client": client_id, "user": user_id, "scope": scope,
                        "refresh": refresh_hash})
    store.put_document(REFRESH_KIND, refresh_hash,
                       {"client": client_id, "user": user_id, "scope": scope, "grant": grant_id,
                        "expires": refresh_expires})
    tokens["refresh_token"] = refresh_token
    return tokens, grant_id


def _end_grant(store: Any, grant_id: str) -> None:
    """Revokes a grant's access and refresh tokens (idempotent)."""
    try:
        grant = store.get_document(GRANT_KIND, grant_id)
    except laurel.NotFound:
        return
    revoke_token(store, grant["user"], grant_id)
    store.delete_document(REFRESH_KIND, grant["refresh"])
    store.delete_document(GRANT_KIND, grant_id)


def _lookup(store: Any, kind: str, secret: Any, invalid: GrantError) -> Tuple[str, Doc]:
    """(key, document) of a code or refresh token presented by a client; `invalid` when it is
    not a plausible secret or not stored."""
    if not isinstance(secret, str) or not secret or len(secret) > 256:
        raise invalid
    key = token_key(secret)
    try:
        return key, store.get_document(kind, key)
    except laurel.NotFound:
        raise invalid from None


def redeem_code(store: Any, config: ServerConfig, client: Doc, code: Any, redirect_uri: str,
                verifier: str) -> Doc:
    """Exchanges an authorization code (RFC 6749 §4.1.3 with RFC 7636 §4.6) for tokens."""
    invalid = GrantError("invalid_grant",
                         "The authorization code is invalid, expired, used or not yours.")
    key, record = _lookup(store, CODE_KIND, code, invalid)
    if record.get("grant") is not None:  # replayed: the tokens it made are revoked too
        _end_grant(store, record["grant"])
        store.delete_document(CODE_KIND, key)
        raise invalid
    # Checks of this request; a failed one does not use the code up (the right client with the
    # right verifier may still redeem it within its lifetime).
    if record["client"] != client["client_id"] or record["redirectUri"] != redirect_uri:
        raise invalid
    if not pkce_matches(verifier, record["challenge"]):
        raise GrantError("invalid_grant", "code_verifier does not match the code_challenge.")
    if record["expires"] <= time.time():
        store.delete_document(CODE_KIND, key)
        raise invalid
    tokens, grant_id = _issue(store, config, client["client_id"], record["user"],
                              record["scope"])
    used = dict(record, grant=grant_id)
    try:
        store.replace_document(CODE_KIND, key, record, used)
    except laurel.Conflict:  # redeemed by another request at the same moment: neither stands
        _end_grant(store, grant_id)
        try:
            other = store.get_document(CODE_KIND, key).get("grant")
        except laurel.NotFound:
            other = None
        if other is not None:
            _end_grant(store, other)
        raise invalid from None
    return tokens


def refresh(store: Any, config: ServerConfig, client: Doc, refresh_token: Any,
            scope: Optional[str]) -> Doc:
    """RFC 6749 §6 with rotation: the refresh token is used up and the grant replaced by a new
    one (the old access token stops working). `scope` may narrow, never widen."""
    invalid = GrantError("invalid_grant", "The refresh token is invalid, expired or used.")
    key, record = _lookup(store, REFRESH_KIND, refresh_token, invalid)
    if record["client"] != client["client_id"]:
        raise invalid
    granted = set(record["scope"].split())
    if scope is not None and not set(scope.split()) <= granted:
        raise GrantError("invalid_scope", "A refresh may narrow the scope, never widen it.")
    try:
        store.replace_document(REFRESH_KIND, key, record, None)  # Conflict: a racer used it
    except laurel.Conflict:
        raise invalid from None
    user_id, grant_id = record["user"], record["grant"]
    try:  # revoked meanwhile through /v2/auth/tokens or a password reset
        store.get_document(INDEX_KIND, f"{user_id}/{grant_id}")
        alive = record["expires"] > time.time()
    except laurel.NotFound:
        alive = False
    _end_grant(store, grant_id)
    if not alive:
        raise invalid
    return _issue(store, config, client["client_id"], user_id, scope or record["scope"])[0]


def revoke(store: Any, client: Doc, token: Any, hint: Optional[str] = None) -> None:
    """RFC 7009: revokes the grant an access or refresh token of this client belongs to (both
    its tokens). Unknown tokens and other clients' tokens are ignored, as §2.2 allows."""
    if not isinstance(token, str) or not token or len(token) > 256:
        return
    key = token_key(token)
    grant_id = _grant_of_token(store, key, hint)
    if grant_id is None:
        return
    try:
        grant = store.get_document(GRANT_KIND, grant_id)
    except laurel.NotFound:
        return
    if grant["client"] == client["client_id"]:
        _end_grant(store, grant_id)


def _grant_of_token(store: Any, key: str, hint: Optional[str]) -> Optional[str]:
    kinds = (REFRESH_KIND, ACCESS_KIND)
    if hint == "access_token":  # RFC 7009 §2.1: a hint only orders the look-ups
        kinds = kinds[::-1]
    for kind in kinds:
        try:
            record = store.get_document(kind, key)
        except laurel.NotFound:
            continue
        return record.get("grant") if kind == REFRESH_KIND else record.get("entityId")
    return None
