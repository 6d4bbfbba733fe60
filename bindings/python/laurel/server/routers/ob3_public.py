"""Public Open Badges 3.0 documents, no authentication: what a verifier of Laurel's
OpenBadgeCredentials fetches (the OB 2.0 documents stay under ``/public/issuers`` and
``/public/badges``).

==============================================  ===============================================
path                                            body
==============================================  ===============================================
/public/ob3/issuers/{id}                        Profile (JSON-LD), keys as verification methods
/public/ob3/issuers/{id}/jwks                   the same keys as a JWK Set (``kid`` = method id)
/public/ob3/issuers/{id}/status/{list id}       BitstringStatusListCredential: a VC-JWT, or
                                                with a Data Integrity proof (below)
/public/ob3/issuers/{id}/revocations            1EdTech Revocation List (JSON)
/public/ob3/issuers/{id}/did.json               DID document of a did:web issuer (404 for others)
/public/ob3/achievements/{id}                   Achievement (JSON-LD)
==============================================  ===============================================

The status list credential is a VC-JWT (``application/vc+jwt``) unless asked for Data Integrity:
``?format=data-integrity``, or an ``Accept`` header naming ``application/vc`` (or
``application/vc+ld+json``, ``application/ld+json``) and not ``application/vc+jwt``; the answer is
then the credential as JSON with an ``eddsa-rdfc-2022`` proof (``application/vc``), and
``Vary: Accept`` tells caches so. The status lists change when an assertion of the list is
revoked, so they and the revocation list are cached briefly (``max-age=60``); a status list has an
``ETag`` over its bits, signing key and form: a conditional request (``If-None-Match``) is
answered ``304`` without signing anything.
"""

from __future__ import annotations

import hashlib

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from ..context import config_of, store_of
from ..envelope import json_response
from ..errors import invalid, not_found

router = APIRouter(tags=["public"])

_LD_JSON = "application/ld+json"
_CACHE = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*",
          "Access-Control-Expose-Headers": "ETag"}
# VC-JOSE-COSE §6.1: a VC-JWT is served as application/vc+jwt; VCDM 2.0 §6.1: a credential with
# an embedded proof as application/vc.
_VC_JWT = "application/vc+jwt"
_VC = "application/vc"
_DATA_INTEGRITY_TYPES = (_VC, "application/vc+ld+json", _LD_JSON)
_FORMATS = ("vc-jwt", "data-integrity")


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


@router.get("/public/ob3/issuers/{issuer_id}/did.json", summary="DID document (did:web issuer)")
async def did_document(request: Request, issuer_id: str) -> Response:
    return _document(request, "ob3_did", issuer_id, "DID document", "application/did+json")


@router.get("/public/ob3/issuers/{issuer_id}/revocations",
            summary="1EdTech Revocation List of the issuer")
async def revocation_list(request: Request, issuer_id: str) -> Response:
    return _document(request, "ob3_revocation_list", issuer_id, "Issuer", "application/json")


@router.get("/public/ob3/achievements/{badgeclass_id}", summary="Achievement (OB 3.0)")
async def achievement(request: Request, badgeclass_id: str) -> Response:
    return _document(request, "ob3_achievement", badgeclass_id, "Achievement")


def _status_format(request: Request) -> str:
    """vc-jwt or data-integrity, from ?format= or else the Accept header (module docstring)."""
    asked = request.query_params.get("format")
    if asked is not None:
        if asked not in _FORMATS:
            raise invalid("format", "must be vc-jwt or data-integrity")
        return asked
    accept = [part.split(";", 1)[0].strip().lower()
              for part in request.headers.get("accept", "").split(",")]
    if _VC_JWT not in accept and any(kind in accept for kind in _DATA_INTEGRITY_TYPES):
        return "data-integrity"
    return "vc-jwt"


@router.get("/public/ob3/issuers/{issuer_id}/status/{list_id}",
            summary="Bitstring Status List credential (VC-JWT or Data Integrity)")
async def status_list(request: Request, issuer_id: str, list_id: str) -> Response:
    store = store_of(request)
    form = _status_format(request)
    try:
        bits = store.status_list_bits(issuer_id, list_id)
        keys = [key["keyId"] for key in store.list_keys(issuer_id) if key.get("alg") == "EdDSA"
                and not key.get("retiredAt")]
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Status list not found") from None
    # Weak: the bytes differ on every signing (validFrom), the statement they make does not.
    tagged = bits + ",".join(keys + [form]).encode()
    etag = 'W/"' + hashlib.sha256(tagged).hexdigest()[:32] + '"'
    headers = {**_CACHE, "ETag": etag, "Vary": "Accept"}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    try:
        text = store.status_list_credential(issuer_id, list_id, config_of(request).base_url,
                                            format=form)
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Status list not found") from None
    return Response(text, media_type=_VC_JWT if form == "vc-jwt" else _VC, headers=headers)
