"""Public Open Badges 2.0 documents, no authentication: what a verifier fetches.

====================================  ================================================
path                                  body
====================================  ================================================
/public/issuers/{id}                  Issuer Profile (JSON-LD)
/public/issuers/{id}/image            the issuer's image
/public/issuers/{id}/revocations      RevocationList
/public/issuers/{id}/keys             the issuer's CryptographicKeys (a list)
/public/keys/{key id}                 CryptographicKey
/public/badges/{id}                   BadgeClass
/public/badges/{id}/image             the badge class's image
/public/assertions/{id}               Assertion (hosted verification)
/public/assertions/{id}/image         the badge image baked with the assertion
/public/assertions/{id}/baked         the same, or 404 when the image cannot be baked
/public/assertions/{id}/credential    the award as an OB 3.0 credential: ``?format=vc-jwt``
                                      (default, ``application/vc+jwt``) or
                                      ``?format=data-integrity`` (eddsa-rdfc-2022 proof,
                                      ``application/vc+ld+json``); ``&alg=EdDSA|RS256|ES256``
                                      picks the VC-JWT's key; 404 once revoked
/public/collections/{share hash}      a published backpack collection
====================================  ================================================

The documents come from ``Store.public_document`` (the core writes them; ids are under
``--public-url``), images from the entities' ``image`` (a ``data:`` URI is served as bytes, an
http(s) URL is a redirect) and baking from ``laurel.bake``.

Every path answers GET and HEAD. Documents and images carry an ``ETag`` (a hash of the body) and
``Cache-Control``; a request whose ``If-None-Match`` names the current ETag gets 304 and no body.
A revoked assertion is 410 Gone with its document (``revoked: true``, ``revocationReason``) in
the body, as OB 2.0 hosted verification expects. An assertion's image falls back to its badge
class's image (unbaked) whenever baking is not possible, so it is there while the badge class
has one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any, Callable, Dict, Optional, Tuple
from urllib.parse import unquote_to_bytes

import laurel
from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ...signing import KEY_ALGORITHMS
from ..context import config_of, store_of
from ..envelope import json_response
from ..errors import ApiError, not_found
from ..images import clean_image, image_response

router = APIRouter(tags=["public"])

_LD_JSON = "application/ld+json"
_CACHE = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"}
_GET_HEAD = ["GET", "HEAD"]


def public_get(path: str, summary: str) -> Callable[[Any], Any]:
    """A public route answering GET and HEAD (HEAD: the same headers, no body)."""
    return router.api_route(path, methods=_GET_HEAD, summary=summary)


def cached(request: Request, response: Response) -> Response:
    """Adds the ETag (a hash of the body) and answers 304 when the client has it already;
    HEAD keeps the headers and drops the body."""
    etag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
    response.headers["ETag"] = etag
    wanted = request.headers.get("if-none-match")
    if wanted and etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        return Response(status_code=304, headers=_without_length(response.headers))
    if request.method == "HEAD":
        return Response(status_code=response.status_code, headers=dict(response.headers))
    return response


def _without_length(headers: Any) -> Dict[str, str]:
    return {key: value for key, value in headers.items()
            if key.lower() not in ("content-length", "content-type")}


def _document(request: Request, kind: str, entity_id: str, what: str,
              status_code: int = 200) -> Response:
    store = store_of(request)
    public_document = getattr(store, "public_document", None)
    if public_document is None:
        raise ApiError(501, "Public documents are not available in this build of laurel.",
                       error_code="not_implemented")
    try:
        document = public_document(kind, entity_id, config_of(request).base_url)
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found(f"{what} not found") from None
    return cached(request, json_response(document, status_code=status_code, media_type=_LD_JSON,
                                         headers=_CACHE))


def data_uri_bytes(uri: Optional[str]) -> Optional[Tuple[str, bytes]]:
    """(media type, bytes) of a ``data:`` URI, or None for anything else."""
    if not uri or not uri.startswith("data:") or "," not in uri:
        return None
    header, payload = uri[5:].split(",", 1)
    parts = header.split(";")
    media_type = parts[0] or "application/octet-stream"
    try:
        if "base64" in parts[1:]:
            return media_type, base64.b64decode(payload, validate=False)
        return media_type, unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def _image(request: Request, uri: Optional[str], what: str) -> Response:
    data = data_uri_bytes(uri)
    if data is not None:
        return cached(request, image_response(data[1], data[0], headers=_CACHE))
    if uri and uri.startswith(("http://", "https://")):
        return RedirectResponse(uri, status_code=302)
    raise not_found(f"{what} has no image")


def _entity(getter: Any, entity_id: str, what: str) -> Any:
    try:
        return getter(entity_id)
    except (laurel.NotFound, laurel.ValidationError, TypeError):
        raise not_found(f"{what} not found") from None


@public_get("/public/issuers/{entity_id}", summary="Issuer Profile (OB 2.0)")
async def issuer_document(request: Request, entity_id: str) -> Response:
    return _document(request, "issuer", entity_id, "Issuer")


@public_get("/public/issuers/{entity_id}/image", summary="The issuer's image")
async def issuer_image(request: Request, entity_id: str) -> Response:
    return _image(request, _entity(store_of(request).get_issuer, entity_id, "Issuer").image,
                  "Issuer")


@public_get("/public/issuers/{entity_id}/revocations", summary="The issuer's RevocationList")
async def revocation_list(request: Request, entity_id: str) -> Response:
    return _document(request, "revocation_list", entity_id, "Issuer")


@public_get("/public/issuers/{entity_id}/keys", summary="The issuer's CryptographicKeys")
async def issuer_keys(request: Request, entity_id: str) -> Response:
    """Every key the issuer has published, retired ones included (badges they signed still
    verify), as a JSON list of CryptographicKey documents."""
    store = store_of(request)
    list_keys = getattr(store, "list_keys", None)
    if list_keys is None or not hasattr(store, "public_document"):
        raise ApiError(501, "Keys are not available in this build of laurel.",
                       error_code="not_implemented")
    base_url = config_of(request).base_url
    try:
        documents = [store.public_document("key", key["keyId"], base_url)
                     for key in list_keys(entity_id)]
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Issuer not found") from None
    return cached(request, json_response(documents, media_type=_LD_JSON, headers=_CACHE))


@public_get("/public/keys/{key_id}", summary="A CryptographicKey")
async def key_document(request: Request, key_id: str) -> Response:
    return _document(request, "key", key_id, "Key")


@public_get("/public/badges/{entity_id}", summary="BadgeClass (OB 2.0)")
async def badgeclass_document(request: Request, entity_id: str) -> Response:
    return _document(request, "badgeclass", entity_id, "BadgeClass")


@public_get("/public/badges/{entity_id}/image", summary="The badge class's image")
async def badgeclass_image(request: Request, entity_id: str) -> Response:
    badgeclass = _entity(store_of(request).get_badgeclass, entity_id, "BadgeClass")
    return _image(request, badgeclass.image, "BadgeClass")


@public_get("/public/assertions/{entity_id}", summary="Assertion (OB 2.0, hosted)")
async def assertion_document(request: Request, entity_id: str) -> Response:
    """410 Gone, with the document, once revoked (OB 2.0 hosted verification)."""
    assertion = _entity(store_of(request).get_assertion, entity_id, "Assertion")
    return _document(request, "assertion", entity_id, "Assertion",
                     status_code=410 if assertion.revoked else 200)


def _baked(request: Request, entity_id: str) -> Tuple[Optional[Response], Optional[str]]:
    """(baked image response, or None with the badge image URI to fall back to)."""
    store = store_of(request)
    assertion = _entity(store.get_assertion, entity_id, "Assertion")
    badgeclass = _entity(store.get_badgeclass, assertion.badgeclass, "Assertion")
    data = data_uri_bytes(badgeclass.image)
    bake = getattr(laurel, "bake", None)
    if data is None or bake is None or not hasattr(store, "public_document"):
        return None, badgeclass.image
    source = clean_image(data[0], data[1])
    if source is None:
        return None, badgeclass.image
    document = store.public_document("assertion", entity_id, config_of(request).base_url)
    try:
        baked = bake(source, document)
    except laurel.Error:
        return None, badgeclass.image
    return cached(request, image_response(baked, data[0], clean=False, headers=_CACHE)), None


@public_get("/public/assertions/{entity_id}/image",
            summary="The badge image baked with this assertion")
async def assertion_image(request: Request, entity_id: str) -> Response:
    baked, fallback = _baked(request, entity_id)
    return baked if baked is not None else _image(request, fallback, "Assertion")


_CREDENTIAL_MEDIA = {"vc-jwt": "application/vc+jwt", "data-integrity": "application/vc+ld+json"}


@public_get("/public/assertions/{entity_id}/credential",
            summary="The award as an OB 3.0 credential (VC-JWT or Data Integrity)")
async def assertion_credential(request: Request, entity_id: str,
                               format: str = "vc-jwt", alg: str = "EdDSA") -> Response:
    if format not in _CREDENTIAL_MEDIA:
        raise ApiError(400, "format must be vc-jwt or data-integrity",
                       field_errors={"format": ["must be vc-jwt or data-integrity"]})
    if alg not in KEY_ALGORITHMS or (format == "data-integrity" and alg != "EdDSA"):
        message = "alg must be EdDSA, RS256 or ES256 (EdDSA for data-integrity)"
        raise ApiError(400, message, field_errors={"alg": [message]})
    store = store_of(request)
    try:
        text = store.credential(entity_id, config_of(request).base_url, format=format, alg=alg)
    except (laurel.NotFound, laurel.ValidationError, laurel.Conflict):
        # Unknown, malformed or revoked (a revoked award is not signed): nothing to serve.
        raise not_found("Assertion not found") from None
    return cached(request, Response(text, media_type=_CREDENTIAL_MEDIA[format], headers=_CACHE))


@public_get("/public/assertions/{entity_id}/baked", summary="The baked badge image (PNG or SVG)")
async def assertion_baked(request: Request, entity_id: str) -> Response:
    baked, _ = _baked(request, entity_id)
    if baked is None:
        raise not_found("This badge's image is not stored here, so it cannot be baked")
    return baked
