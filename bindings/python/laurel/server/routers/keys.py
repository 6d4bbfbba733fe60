"""An issuer's public keys as PEM and JWK (laurel.jwk over the store's published keys).

``GET /v2/issuers/{id}/keys`` (staff): every key, retired ones included, with ``publicKeyPem``,
``jwk`` and the public CryptographicKey URL. ``GET /public/issuers/{id}/jwks`` (no
authentication): the same keys as a JWK Set, for JOSE tooling that checks Laurel's JWS and
VC-JWT signatures. (``/public/issuers/{id}/keys`` serves them as OB 2.0 CryptographicKey
documents.)
"""

from __future__ import annotations

from typing import Any

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from ... import jwk
from ..access import issuer_for
from ..auth import Principal, scoped
from ..context import config_of, store_of
from ..envelope import envelope, json_response
from ..errors import ApiError, not_found
from .public import cached

router = APIRouter(tags=["keys"])


def _list_keys(store: Any) -> Any:
    list_keys = getattr(store, "list_keys", None)
    if list_keys is None:
        raise ApiError(501, "Keys are not available in this build of laurel.",
                       error_code="not_implemented")
    return list_keys


@router.get("/v2/issuers/{issuer_id}/keys", summary="An issuer's public keys, PEM and JWK (staff)")
async def issuer_keys(request: Request, issuer_id: str,
                      principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    base = config_of(request).base_url
    keys = []
    for key in _list_keys(store)(issuer["entityId"]):
        keys.append({**key, "jwk": {**jwk.pem_to_jwk(key["publicKeyPem"]), "kid": key["keyId"],
                                    "alg": key["alg"], "use": "sig"},
                     "openBadgeId": f"{base}/public/keys/{key['keyId']}"})
    return envelope(keys)


@router.api_route("/public/issuers/{issuer_id}/jwks", methods=["GET", "HEAD"],
                  tags=["public"], summary="An issuer's public keys as a JWK Set")
async def issuer_jwks(request: Request, issuer_id: str) -> Response:
    store = store_of(request)
    _list_keys(store)
    try:
        document = jwk.issuer_jwks(store, issuer_id)
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Issuer not found") from None
    return cached(request, json_response(document, media_type="application/jwk-set+json",
                         headers={"Cache-Control": "public, max-age=300"}))
