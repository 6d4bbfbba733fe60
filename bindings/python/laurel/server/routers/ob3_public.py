"""Public Open Badges 3.0 documents, no authentication: what a verifier of Laurel's
OpenBadgeCredentials fetches (the OB 2.0 documents stay under ``/public/issuers`` and
``/public/badges``).

==============================================  ===============================================
path                                            body
==============================================  ===============================================
/public/ob3/issuers/{id}                        Profile (JSON-LD), keys as verification methods
/public/ob3/issuers/{id}/jwks                   the same keys as a JWK Set (``kid`` = method id)
/public/ob3/issuers/{id}/status/{list id}       BitstringStatusListCredential, a VC-JWT
/public/ob3/achievements/{id}                   Achievement (JSON-LD)
==============================================  ===============================================

The status list changes when an assertion of the list is revoked, so it is cached briefly
(``max-age=60``) with an ``ETag`` over its bits and signing key: a conditional request
(``If-None-Match``) is answered ``304`` without signing anything.
"""

from __future__ import annotations

import hashlib

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from ..context import config_of, store_of
from ..envelope import json_response
from ..errors import not_found

router = APIRouter(tags=["public"])

_LD_JSON = "application/ld+json"
_CACHE = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*",
          "Access-Control-Expose-Headers": "ETag"}
# VC-JOSE-COSE §6.1: a VC-JWT is served as application/vc+jwt.
_VC_JWT = "application/vc+jwt"


def _document(request: Request, kind: str, entity_id: str, what: str,
              media_type: str = _LD_JSON) -> Response:
    try:
        document = store_of(request).public_document(kind, entity_id,
                                                     config_of(request).base_url)
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found(f"{what} not found") from None
    return json_response(document, media_type=media_type, headers=_CACHE)


@router.get("/public/ob3/issuers/{issuer_id}", summary="Issuer Profile (OB 3.0)")
async def profile(request: Request, issuer_id: str) -> Response:
    return _document(request, "ob3_issuer", issuer_id, "Issuer")


@router.get("/public/ob3/issuers/{issuer_id}/jwks", summary="The issuer's keys as a JWK Set")
async def jwks(request: Request, issuer_id: str) -> Response:
    return _document(request, "ob3_jwks", issuer_id, "Issuer", "application/jwk-set+json")


@router.get("/public/ob3/achievements/{badgeclass_id}", summary="Achievement (OB 3.0)")
async def achievement(request: Request, badgeclass_id: str) -> Response:
    return _document(request, "ob3_achievement", badgeclass_id, "Achievement")


@router.get("/public/ob3/issuers/{issuer_id}/status/{list_id}",
            summary="Bitstring Status List credential (VC-JWT)")
async def status_list(request: Request, issuer_id: str, list_id: str) -> Response:
    store = store_of(request)
    try:
        bits = store.status_list_bits(issuer_id, list_id)
        keys = [key["keyId"] for key in store.list_keys(issuer_id) if key.get("alg") == "EdDSA"
                and not key.get("retiredAt")]
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Status list not found") from None
    # Weak: the bytes differ on every signing (validFrom), the statement they make does not.
    etag = 'W/"' + hashlib.sha256(bits + ",".join(keys).encode()).hexdigest()[:32] + '"'
    headers = {**_CACHE, "ETag": etag}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    try:
        token = store.status_list_credential(issuer_id, list_id, config_of(request).base_url)
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Status list not found") from None
    return Response(token, media_type=_VC_JWT, headers=headers)
