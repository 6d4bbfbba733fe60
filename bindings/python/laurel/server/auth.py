"""Accounts' secrets and bearer tokens.

Passwords are hashed with Argon2id (argon2-cffi; parameters in ServerConfig). Tokens are 256-bit
random strings; the store keeps only their SHA-256 (a fast hash is right for full-entropy secrets:
there is nothing to brute-force), so a copy of the data directory holds no usable token.

Service documents used here (all in the store's LMDB environment, shared by every worker):

=================  ==========================  ==============================================
kind               key                         value
=================  ==========================  ==============================================
access_token       sha256(token) hex           {entityId, user, scope, expires, created,
                                                type: password|refresh|issuer, refresh}
refresh_token      sha256(token) hex           {entityId, user, scope, expires, created}
user_token         <user>/<token entityId>     {access, refresh, scope, expires,
                                                refreshExpires, created, type}
=================  ==========================  ==============================================

``user_token`` is the per-user index behind GET/DELETE /v2/auth/tokens. Revoking deletes the
access and refresh documents first, so a revoked token stops working at once in every worker.
Times are integer Unix seconds.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple, TypeVar

import anyio
import laurel
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from .config import ServerConfig
from .errors import ApiError

__all__ = [
    "SCOPES", "DEFAULT_SCOPE", "Principal", "scoped", "bearer_token", "document_security",
    "new_id", "token_key", "Passwords", "issue_tokens", "revoke_token", "revoke_all_tokens",
    "purge_expired_tokens", "parse_scope",
]

SCOPES: Dict[str, str] = {
    "rw:issuer": "Create and change your issuers, badge classes and assertions",
    "r:profile": "Read your profile",
    "rw:profile": "Read and change your profile and tokens",
    "rw:backpack": "Read and change your backpack and collections",
}
DEFAULT_SCOPE = "rw:backpack rw:issuer rw:profile"  # sorted, as parse_scope normalises
ISSUER_SCOPE_PREFIX = "rw:issuer:"

ACCESS_KIND = "access_token"
REFRESH_KIND = "refresh_token"
INDEX_KIND = "user_token"

OAUTH2_SCHEME_NAME = "OAuth2PasswordBearer"
# Set on each `scoped` dependency: document_security finds the operations needing a token by it.
SCOPE_ATTRIBUTE = "laurel_scope"

T = TypeVar("T")


def new_id() -> str:
    """A 22-character base64url entityId for service documents (users, tokens, collections)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode("ascii")


def token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_scope(scope: Optional[str]) -> Optional[str]:
    """The requested scope normalised (sorted, deduplicated), the default when empty, or None
    when it names an unknown scope."""
    if not scope or not scope.strip():
        return DEFAULT_SCOPE
    names = sorted(set(scope.split()))
    for name in names:
        if name not in SCOPES:
            return None
    return " ".join(names)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, the token's scopes and, for an issuer token, its one issuer."""

    user_id: str
    scopes: FrozenSet[str]
    token_id: str
    issuer_only: Optional[str] = None

    def allows(self, scope: str) -> bool:
        if scope in self.scopes:
            return True
        if scope == "r:profile":
            return "rw:profile" in self.scopes
        if scope == "rw:issuer":
            return self.issuer_only is not None
        return False


def _unauthorized(description: str, error: Optional[str] = None) -> ApiError:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return ApiError(401, description, error_code="unauthorized",
                    headers={"WWW-Authenticate": challenge})


# The request scope's key for the access-token document read for this request.
_ACCESS_MEMO = "laurel.access_token"


def access_record(scope: Dict[str, Any], token: str) -> Optional[Dict[str, Any]]:
    """The access-token document of `token`, or None when the store has none. Read from the store
    once per request: the rate limiter and the endpoint's ``scoped`` dependency both need it, so
    the first read is kept in the request's own scope (never across requests: a revoked token
    fails on the very next request, in every worker)."""
    memo = scope.get(_ACCESS_MEMO)
    if memo is not None and memo[0] == token:
        return memo[1]
    try:
        record = scope["app"].state.store.find_document(ACCESS_KIND, token_key(token))
    except laurel.ValidationError:
        record = None
    scope[_ACCESS_MEMO] = (token, record)
    return record


def authenticate(request: Request, token: Optional[str], scope: str) -> Principal:
    if not token:
        raise _unauthorized("Authentication credentials were not provided.")
    record = access_record(request.scope, token)
    if record is None:
        raise _unauthorized("Invalid token.", "invalid_token")
    if record.get("expires", 0) <= time.time():
        raise _unauthorized("Token expired.", "invalid_token")
    scopes = frozenset(str(record.get("scope", "")).split())
    issuer_only = None
    for name in scopes:
        if name.startswith(ISSUER_SCOPE_PREFIX):
            issuer_only = name[len(ISSUER_SCOPE_PREFIX):]
    principal = Principal(user_id=record["user"], scopes=scopes, token_id=record["entityId"],
                          issuer_only=issuer_only)
    if not principal.allows(scope):
        raise ApiError(403, f"This token lacks the scope {scope}.", error_code="insufficient_scope",
                       headers={"WWW-Authenticate":
                                f'Bearer error="insufficient_scope" scope="{scope}"'})
    return principal


def bearer_token(request: Request) -> Optional[str]:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case), as
    FastAPI's OAuth2PasswordBearer reads it; None without one. The first such header counts, as
    ``request.headers.get`` would give it; read from the raw headers, without building those."""
    for name, value in request.scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token if scheme.lower() == "bearer" else None
    return None


def scoped(scope: str) -> Any:
    """A FastAPI dependency: the Principal of a valid bearer token holding `scope`.
    401 without a token or with an unknown, expired or revoked one; 403 without the scope.

    The header is read here rather than through an OAuth2PasswordBearer sub-dependency: each
    dependency level costs FastAPI more per request than the token look-up itself. The OpenAPI
    security entry that sub-dependency produced comes from ``document_security``."""

    async def dependency(request: Request) -> Principal:
        return authenticate(request, bearer_token(request), scope)

    dependency.__name__ = f"scope_{scope.replace(':', '_')}"
    setattr(dependency, SCOPE_ATTRIBUTE, scope)
    return Depends(dependency)


def _uses_bearer(dependant: Any) -> bool:
    return any(hasattr(sub.call, SCOPE_ATTRIBUTE) or _uses_bearer(sub)
               for sub in dependant.dependencies)


def document_security(schema: Dict[str, Any], routes: List[Any]) -> None:
    """Adds to an OpenAPI `schema` what an OAuth2PasswordBearer sub-dependency of every
    ``scoped`` dependency used to: the OAuth2 password scheme and, on each operation that needs
    a token, ``security: [{"OAuth2PasswordBearer": []}]``."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes[OAUTH2_SCHEME_NAME] = {
        "type": "oauth2",
        "flows": {"password": {"scopes": dict(SCOPES), "tokenUrl": "/o/token"}}}
    for route in routes:
        dependant = getattr(route, "dependant", None)
        operations = schema.get("paths", {}).get(getattr(route, "path_format", None), {})
        if dependant is None or not _uses_bearer(dependant):
            continue
        for method in route.methods or ():
            operation = operations.get(method.lower())
            if operation is not None:
                operation["security"] = [{OAUTH2_SCHEME_NAME: []}]


class Passwords:
    """Argon2id hashing with the configured cost; verification takes the same time whether or not
    the account exists.

    Each hash takes ``argon2_memory_kib`` of memory, so at most ``argon2_concurrency`` run at once
    per worker (``run_hash`` / ``run_verify``, off the event loop); a caller waits up to
    ``argon2_wait`` seconds for a turn, then gets 429 with ``Retry-After``: eighty simultaneous
    logins cost a bounded amount of memory instead of eighty hashes' worth."""

    def __init__(self, config: ServerConfig) -> None:
        self._hasher = PasswordHasher(time_cost=config.argon2_time_cost,
                                      memory_cost=config.argon2_memory_kib,
                                      parallelism=config.argon2_parallelism)
        self._dummy: Optional[str] = None
        self._concurrency = max(1, config.argon2_concurrency)
        self._wait = config.argon2_wait
        self._turns: Optional[anyio.Semaphore] = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: Optional[str], password: str) -> bool:
        if stored_hash is None:
            if self._dummy is None:
                self._dummy = self._hasher.hash(secrets.token_hex(16))
            stored_hash = self._dummy
            password = password + "\0never"  # burn the same time, never match
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._hasher.check_needs_rehash(stored_hash)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        if self._turns is None:  # made in the worker's event loop
            self._turns = anyio.Semaphore(self._concurrency)
        with anyio.move_on_after(self._wait) as waiting:
            await self._turns.acquire()
        if waiting.cancelled_caught:
            raise ApiError(429, "The server is busy checking passwords; retry shortly.",
                           error_code="rate_limited", headers={"Retry-After": "1"})
        try:
            return await run_in_threadpool(function, *args)
        finally:
            self._turns.release()

    async def run_hash(self, password: str) -> str:
        return await self._run(self.hash, password)

    async def run_verify(self, stored_hash: Optional[str], password: str) -> bool:
        return await self._run(self.verify, stored_hash, password)


def issue_tokens(store: Any, config: ServerConfig, user_id: str, scope: str, *,
                 token_type: str = "password", with_refresh: bool = True,
                 ttl: Optional[int] = None) -> Dict[str, Any]:
    """Creates an access token (and a refresh token) for `user_id`; returns the RFC 6749 token
    response fields plus ``entityId``. The secrets are returned here and never again."""
    now = int(time.time())
    ttl = config.access_token_ttl if ttl is None else ttl
    entity_id = new_id()
    access = secrets.token_urlsafe(32)
    refresh = secrets.token_urlsafe(32) if with_refresh else None
    access_hash = token_key(access)
    refresh_hash = token_key(refresh) if refresh else None
    refresh_expires = now + config.refresh_token_ttl if refresh else None
    index = {"access": access_hash, "refresh": refresh_hash, "scope": scope,
             "expires": now + ttl, "refreshExpires": refresh_expires, "created": now,
             "type": token_type}
    purge_expired_tokens(store, user_id, now)  # lazily, so a user's dead tokens do not pile up
    # Index first: a crash after it leaves at worst a listed token that does not work.
    store.put_document(INDEX_KIND, f"{user_id}/{entity_id}", index)
    store.put_document(ACCESS_KIND, access_hash,
                       {"entityId": entity_id, "user": user_id, "scope": scope,
                        "expires": now + ttl, "created": now, "type": token_type,
                        "refresh": refresh_hash})
    response: Dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                "expires_in": ttl, "scope": scope, "entityId": entity_id}
    if refresh is not None:
        store.put_document(REFRESH_KIND, refresh_hash,
                           {"entityId": entity_id, "user": user_id, "scope": scope,
                            "expires": refresh_expires, "created": now})
        response["refresh_token"] = refresh
    return response


def revoke_token(store: Any, user_id: str, entity_id: str) -> bool:
    """Revokes one of the user's tokens (its access and refresh halves). False if unknown."""
    try:
        index = store.get_document(INDEX_KIND, f"{user_id}/{entity_id}")
    except (laurel.NotFound, laurel.ValidationError):
        return False
    store.delete_document(ACCESS_KIND, index["access"])
    if index.get("refresh"):
        store.delete_document(REFRESH_KIND, index["refresh"])
    store.delete_document(INDEX_KIND, f"{user_id}/{entity_id}")
    return True


def list_tokens(store: Any, user_id: str) -> List[Tuple[str, Dict[str, Any]]]:
    """The user's live tokens as (entityId, index document); expired ones are left out."""
    now = time.time()
    prefix = f"{user_id}/"
    return [(key[len(prefix):], value) for key, value in store.list_documents(INDEX_KIND, prefix)
            if max(value.get("expires") or 0, value.get("refreshExpires") or 0) > now]


def purge_expired_tokens(store: Any, user_id: Optional[str] = None,
                         now: Optional[float] = None) -> int:
    """Revokes (deletes) the tokens whose access and refresh halves have both expired, of one
    user or of everyone; returns how many."""
    now = time.time() if now is None else now
    count = 0
    for key, value in store.list_documents(INDEX_KIND, f"{user_id}/" if user_id else None):
        if max(value.get("expires") or 0, value.get("refreshExpires") or 0) <= now:
            owner, entity_id = key.split("/", 1)
            count += revoke_token(store, owner, entity_id)
    return count


def revoke_all_tokens(store: Any, user_id: str, keep: Optional[str] = None) -> int:
    """Revokes every token of the user but `keep` (a token entityId)."""
    count = 0
    for entity_id, _ in store.list_documents(INDEX_KIND, f"{user_id}/"):
        token_id = entity_id.split("/", 1)[1]
        if token_id != keep:
            count += revoke_token(store, user_id, token_id)
    return count
