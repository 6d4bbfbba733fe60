"""Your access tokens (``/v2/auth/tokens``) and issuer tokens (``/v2/auth/tokens/issuers``, also
at the connector's ``/v2/tokens/issuers``).

Tokens are listed without their secrets (only hashes are stored). Deleting one revokes it at once
in every worker. Any staff member of an issuer may get an issuer token for it: scope
``rw:issuer:<issuer id>``, it acts for you (with your role) on that issuer only, has no refresh
token and lives ``issuer_token_ttl`` seconds.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from ..access import issuer_for
from ..accounts import iso
from ..auth import INDEX_KIND, Principal, issue_tokens, list_tokens, revoke_token, scoped
from ..body import opt_list, read_object
from ..context import blocking, config_of, store_of
from ..envelope import envelope
from ..errors import ApiError, invalid, not_found

router = APIRouter(tags=["tokens"])


def _token_view(entity_id: str, record: Dict[str, Any], principal: Principal) -> Dict[str, Any]:
    return {
        "entityType": "AccessToken",
        "entityId": entity_id,
        "scope": record.get("scope"),
        "type": record.get("type"),
        "created": iso(record.get("created")),
        "expires": iso(record.get("expires")),
        "refreshExpires": iso(record.get("refreshExpires")),
        "current": entity_id == principal.token_id,
        "application": {"name": "Laurel", "clientId": "public"},
    }


@router.get("/v2/auth/tokens", summary="List your access tokens")
async def list_access_tokens(request: Request,
                             principal: Principal = scoped("rw:profile")) -> Response:
    tokens = list_tokens(store_of(request), principal.user_id)
    return envelope([_token_view(entity_id, record, principal) for entity_id, record in tokens])


@router.get("/v2/auth/tokens/{entity_id}", summary="Get one of your access tokens")
async def get_access_token(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:profile")) -> Response:
    try:
        record = store_of(request).get_document(INDEX_KIND, f"{principal.user_id}/{entity_id}")
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("AccessToken not found") from None
    return envelope([_token_view(entity_id, record, principal)])


@router.delete("/v2/auth/tokens/{entity_id}", status_code=204,
               summary="Revoke one of your access tokens")
async def delete_access_token(request: Request, entity_id: str,
                              principal: Principal = scoped("rw:profile")) -> Response:
    if not await blocking(revoke_token, store_of(request), principal.user_id, entity_id):
        raise not_found("AccessToken not found")
    return envelope(status_code=204)


@router.post("/v2/auth/tokens/issuers", summary="Retrieve issuer tokens (for issuers you staff)")
@router.post("/v2/tokens/issuers", summary="Retrieve issuer tokens (the connector's path)")
async def issuer_tokens(request: Request, principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{issuers: [ids]}``; one token per issuer: ``{issuer, token, entityId, scope,
    expires (date-time), expires_in (seconds)}``."""
    if principal.issuer_only is not None:
        raise ApiError(403, "An issuer token cannot create tokens.", error_code="permission_denied")
    body = await read_object(request)
    issuers = opt_list(body, "issuers")
    if not issuers or not all(isinstance(item, str) for item in issuers) or len(issuers) > 100:
        raise invalid("issuers", "must be a list of 1 to 100 issuer ids")
    store, config = store_of(request), config_of(request)
    for issuer_id in issuers:  # check them all before creating any token
        issuer_for(store, principal, issuer_id)
    result: List[Dict[str, Any]] = []
    for issuer_id in dict.fromkeys(issuers):
        tokens = await blocking(issue_tokens, store, config, principal.user_id,
                                f"rw:issuer:{issuer_id}", token_type="issuer",
                                with_refresh=False, ttl=config.issuer_token_ttl)
        result.append({"issuer": issuer_id, "token": tokens["access_token"],
                       "entityId": tokens["entityId"], "scope": tokens["scope"],
                       "expires": iso(int(time.time()) + tokens["expires_in"]),
                       "expires_in": tokens["expires_in"]})
    return envelope(result, status_code=201)
