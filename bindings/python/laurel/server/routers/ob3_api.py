"""The 1EdTech Open Badges API v3p0 (OB 3.0 §6): what wallets and other platforms call.

=====================================  ===================  ==================================
``GET  /ims/ob/v3p0/discovery``        public               the Service Description Document
``GET  /ims/ob/v3p0/credentials``      credential.readonly  your credentials, paged
``POST /ims/ob/v3p0/credentials``      credential.upsert    add or replace one (verified first)
``GET  /ims/ob/v3p0/profile``          profile.readonly     your OB 3.0 Profile
``PUT  /ims/ob/v3p0/profile``          profile.update       change it
=====================================  ===================  ==================================

Your credentials are the badges of this server awarded to your confirmed addresses (the
backpack's, less rejected and revoked ones), each as a VC-JWT from ``Store.credential``, plus the
credentials platforms pushed to you, kept as given:

==============  ===============================  =============================================
kind            key                              value
==============  ===============================  =============================================
ob3_credential  <user>/sha256(credential id)     {id, format: jws|json, credential, validFrom,
                                                  storedAt}
==============  ===============================  =============================================

They are listed oldest first (validFrom, then id), so offsets stay put while new ones arrive.
Errors are Imsx_StatusInfo (ob3_status.py).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import accounts
from ..auth import Principal
from ..body import parse_json
from ..context import blocking, config_of, store_of, urls_of
from ..envelope import json_response
from ..errors import ApiError
from ..ob3_grants import (CREDENTIAL_READONLY, CREDENTIAL_UPSERT, OB3_SCOPES, PROFILE_READONLY,
                          PROFILE_UPDATE)
from ..ob3_status import API_PREFIX, Ob3Error, ob3_scoped
from .backpack import verify_import
from .ob3_oauth import AUTHORIZE_PATH, REGISTER_PATH, REVOKE_PATH, TOKEN_PATH

__all__ = ["router", "service_description", "profile_document"]

router = APIRouter(tags=["OB 3.0 API"])

CREDENTIAL_KIND = "ob3_credential"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_JSON_TYPES = ("application/json", "application/vc+ld+json", "application/ld+json")
_NAME_MAX = 255
_TEXT_MAX = 2048

Doc = Dict[str, Any]


# --- discovery (OB 3.0 §6.3, §B.4) ----------------------------------------------------------

def _operation(operation_id: str, summary: str, scope: Optional[str], responses: Doc,
               **extra: Any) -> Doc:
    operation: Doc = {"operationId": operation_id, "summary": summary, "tags": ["OpenBadges"],
                      "responses": {**responses, "default": {
                          "description": "Imsx_StatusInfo: the request was invalid or cannot "
                                         "be served",
                          "content": {"application/json": {"schema": {
                              "$ref": "#/components/schemas/Imsx_StatusInfo"}}}}}}
    if scope is not None:
        operation["security"] = [{"OAuth2ACG": [scope]}]
    operation.update(extra)
    return operation


def _json_schema_ref(name: str) -> Doc:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def _query(name: str, schema: Doc, description: str) -> Doc:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def service_description(base: str) -> Doc:
    """The Service Description Document: an OpenAPI 3.0 profile of the OB 3.0 API naming this
    server's endpoints and OAuth 2.0 set-up (the x-imssf-* extensions)."""
    credential_body = {
        "text/plain": {"schema": {"type": "string", "description": "a compact JWS (VC-JWT)"}},
        **_json_schema_ref("AchievementCredential")}
    return {
        "openapi": "3.0.1",
        "info": {"title": "Laurel Open Badges API", "version": "3.0",
                 "description": "The 1EdTech Open Badges API v3p0 served by Laurel.",
                 "termsOfService": f"{base}/docs", "x-imssf-privacyPolicyUrl": f"{base}/docs"},
        "servers": [{"url": f"{base}{API_PREFIX}"}],
        "tags": [{"name": "OpenBadges"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": _operation(
                    "getCredentials", "Your OpenBadgeCredentials", CREDENTIAL_READONLY,
                    {"200": {"description": "GetOpenBadgeCredentialsResponse, paged with "
                                            "X-Total-Count and Link",
                             "content": _json_schema_ref("GetOpenBadgeCredentialsResponse")}},
                    parameters=[
                        _query("limit", {"type": "integer", "minimum": 1},
                               f"credentials per page (default {DEFAULT_LIMIT}, "
                               f"at most {MAX_LIMIT})"),
                        _query("offset", {"type": "integer", "minimum": 0},
                               "index of the first credential, zero based"),
                        _query("since", {"type": "string", "format": "date-time"},
                               "only credentials issued after this time")]),
                "post": _operation(
                    "upsertCredential", "Add or replace a credential", CREDENTIAL_UPSERT,
                    {"200": {"description": "replaced", "content": credential_body},
                     "201": {"description": "created", "content": credential_body},
                     "304": {"description": "a conditional request for what is stored"}},
                    requestBody={"required": True, "content": credential_body}),
            },
            "/profile": {
                "get": _operation("getProfile", "Your Profile", PROFILE_READONLY,
                                  {"200": {"description": "Profile",
                                           "content": _json_schema_ref("Profile")}}),
                "put": _operation("putProfile", "Change your Profile", PROFILE_UPDATE,
                                  {"200": {"description": "Profile",
                                           "content": _json_schema_ref("Profile")}},
                                  requestBody={"required": True,
                                               "content": _json_schema_ref("Profile")}),
            },
            "/discovery": {
                "get": dict(_operation("getServiceDescription", "This document", None,
                                       {"200": {"description": "ServiceDescriptionDocument"}}),
                            tags=["Discovery"]),
            },
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": {
                "type": "oauth2",
                "description": "OAuth 2.0 Authorization Code Grant authorization",
                "x-imssf-name": "Laurel",
                "x-imssf-privacyPolicyUrl": f"{base}/docs",
                "x-imssf-registrationUrl": f"{base}{REGISTER_PATH}",
                "x-imssf-termsOfServiceUrl": f"{base}/docs",
                "flows": {"authorizationCode": {
                    "authorizationUrl": f"{base}{AUTHORIZE_PATH}",
                    "tokenUrl": f"{base}{TOKEN_PATH}",
                    "refreshUrl": f"{base}{TOKEN_PATH}",
                    "scopes": dict(OB3_SCOPES)}}}},
            "schemas": {
                "GetOpenBadgeCredentialsResponse": {"type": "object", "properties": {
                    "credential": {"type": "array", "items": {
                        "$ref": "#/components/schemas/AchievementCredential"}},
                    "compactJwsString": {"type": "array", "items": {"type": "string"}}}},
                "AchievementCredential": {"type": "object", "description": "OB 3.0 §B.1.1",
                                          "additionalProperties": True},
                "Profile": {"type": "object", "description": "OB 3.0 §B.1.17",
                            "additionalProperties": True},
                "Imsx_StatusInfo": {"type": "object", "required": [
                    "imsx_codeMajor", "imsx_severity"], "properties": {
                    "imsx_codeMajor": {"type": "string", "enum": [
                        "failure", "processing", "success", "unsupported"]},
                    "imsx_severity": {"type": "string", "enum": ["error", "status", "warning"]},
                    "imsx_description": {"type": "string"},
                    "imsx_codeMinor": {"type": "object"}}},
            },
        },
    }


@router.get(f"{API_PREFIX}/discovery", summary="OB 3.0 Service Description Document (public)")
async def discovery(request: Request) -> Response:
    return json_response(service_description(config_of(request).base_url),
                         headers={"Access-Control-Allow-Origin": "*",
                                  "Cache-Control": "public, max-age=3600"})


# --- whose credentials ------------------------------------------------------------------------

def _user(request: Request, principal: Principal) -> Doc:
    try:
        return store_of(request).get_document(accounts.USER_KIND, principal.user_id)
    except laurel.NotFound:
        raise Ob3Error(401, "This account no longer exists.") from None


def _epoch(text: Any) -> Optional[float]:
    """Seconds of an ISO 8601 date-time (naive means UTC); None when it is not one."""
    if not isinstance(text, str) or not text or len(text) > 64:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# (sort key, what to render): ("local", assertion entityId) or ("stored", the stored record).
Entry = Tuple[Tuple[float, str], str, Any]


def _entries(request: Request, user: Doc) -> List[Entry]:
    """Every credential of the user, oldest first."""
    store, urls = store_of(request), urls_of(request)
    entries: List[Entry] = []
    seen = set()
    for email in accounts.verified_emails(user):
        for assertion in store.iter_assertions(recipient=email, include_expired=True):
            entity_id = assertion.entity_id  # the properties: to_dict() would copy each one
            if entity_id in seen or assertion.acceptance == "Rejected":
                continue
            seen.add(entity_id)
            key = (_epoch(assertion.issued_on) or 0.0, urls.assertion(entity_id))
            entries.append((key, "local", entity_id))
    for _, record in store.list_documents(CREDENTIAL_KIND, f"{user['entityId']}/"):
        entries.append(((_epoch(record.get("validFrom")) or 0.0, record["id"]), "stored", record))
    entries.sort(key=lambda entry: entry[0])
    return entries


def _non_negative(request: Request, name: str, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum or len(raw) > 12:
        raise Ob3Error(400, f"{name} must be an integer of at least {minimum}",
                       minor="invalid_query_parameter")
    return value


def _links(base: str, limit: int, offset: int, total: int, since: Optional[str]) -> str:
    """RFC 8288 links as OB 3.0 §6.4 asks: first and last always, next while incomplete, prev
    when offset > 0."""
    def link(at: int, rel: str) -> str:
        query = {"limit": limit, "offset": at, **({"since": since} if since else {})}
        return f'<{base}?{urlencode(query)}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = []
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    links.append(link(0, "first"))
    if offset > 0:
        links.append(link(max(0, min(offset - limit, last)), "prev"))
    return ", ".join(links)


@router.get(f"{API_PREFIX}/credentials", summary="getCredentials: your OpenBadgeCredentials")
async def get_credentials(request: Request,
                          principal: Principal = ob3_scoped(CREDENTIAL_READONLY)) -> Response:
    limit = min(_non_negative(request, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _non_negative(request, "offset", 0, 0)
    since = request.query_params.get("since")
    since_epoch = _epoch(since) if since is not None else None
    if since is not None and since_epoch is None:
        raise Ob3Error(400, "since must be an ISO 8601 date-time",
                       minor="invalid_query_parameter")
    user = _user(request, principal)
    store, base = store_of(request), config_of(request).base_url

    def page() -> Tuple[int, Doc]:
        entries = _entries(request, user)
        if since_epoch is not None:
            entries = [entry for entry in entries if entry[0][0] > since_epoch]
        body: Doc = {"credential": [], "compactJwsString": []}
        for _, origin, value in entries[offset:offset + limit]:
            if origin == "local":
                body["compactJwsString"].append(store.credential(value, base))
            elif value["format"] == "jws":
                body["compactJwsString"].append(value["credential"])
            else:
                body["credential"].append(value["credential"])
        return len(entries), body

    total, body = await blocking(page)
    return json_response(body, headers={
        "X-Total-Count": str(total),
        "Link": _links(f"{base}{API_PREFIX}/credentials", limit, offset, total, since)})


# --- upsertCredential (OB 3.0 §6.2.3) --------------------------------------------------------

def _etag(text: str) -> str:
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def _upsert_input(content_type: str, raw: bytes) -> Tuple[str, Any, str]:
    """(format, value to verify, canonical text) from the body."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise Ob3Error(400, "The body must be UTF-8 text.") from None
    if not text:
        raise Ob3Error(400, "The body must be a credential.")
    if content_type == "text/plain":
        if text.count(".") != 2 or any(ch.isspace() for ch in text):
            raise Ob3Error(400, "A text/plain body must be a compact JWS (VC-JWT).")
        return "jws", text, text
    if content_type in _JSON_TYPES:
        try:
            document = parse_json(raw)  # the service's one decoder (NaN, duplicates, surrogates)
        except ApiError as error:
            raise Ob3Error(400, "; ".join(error.non_field_errors)) from None
        if not isinstance(document, dict):
            raise Ob3Error(400, "The body must be a JSON object (an AchievementCredential).")
        return "json", document, json.dumps(document, sort_keys=True, separators=(",", ":"))
    raise Ob3Error(400, "Content-Type must be text/plain (a compact JWS) or application/json "
                        "(an AchievementCredential with an embedded proof).", minor="invalid_data")


async def _verified(request: Request, user: Doc, value: Any) -> Doc:
    """The verifier's report on the credential, when it holds and names one of the user's
    confirmed addresses; Ob3Error 400 otherwise."""
    subject = json.dumps(value) if isinstance(value, dict) else value
    try:
        report, _ = await verify_import(request, user, "assertion", subject)
    except ApiError as error:
        if error.status in (429, 499):  # too many fetching at once; the client left
            raise
        raise Ob3Error(400, "; ".join(error.non_field_errors
                                      + [f"{field}: {', '.join(messages)}" for field, messages
                                         in error.field_errors.items()])) from None
    failures = [f"{check.get('name')}: {check.get('message')}" for check in report.get("checks", [])
                if not check.get("ok") and check.get("name") != "recipient"]
    badge = report.get("badge") or {}
    if failures or not report.get("checks") or badge.get("version") != "3.0":
        problems = failures or report.get("errors") or ["not an OB 3.0 credential"]
        raise Ob3Error(400, "The credential did not verify: " + "; ".join(problems))
    if not report.get("recipientMatch"):
        raise Ob3Error(400, "The credential was not awarded to any of your confirmed addresses.")
    if not isinstance(badge.get("id"), str) or not badge["id"]:
        raise Ob3Error(400, "The credential has no id, so it cannot be upserted.")
    return badge


@router.post(f"{API_PREFIX}/credentials", summary="upsertCredential: add or replace one")
async def upsert_credential(request: Request,
                            principal: Principal = ob3_scoped(CREDENTIAL_UPSERT)) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form, value, text = _upsert_input(content_type, await request.body())
    user = _user(request, principal)
    badge = await _verified(request, user, value)
    store, urls = store_of(request), urls_of(request)
    etag = _etag(text)
    body, media_type = (text, "text/plain") if form == "jws" else (
        json.dumps(value, ensure_ascii=False), "application/json")
    if urls.local_id(badge["id"], "assertions") is not None:
        # One of this server's, awarded to you (the verifier said so): it is in your list already.
        return Response(body, status_code=200, media_type=media_type, headers={"ETag": etag})
    key = f"{principal.user_id}/{hashlib.sha256(badge['id'].encode('utf-8')).hexdigest()}"
    record = {"id": badge["id"], "format": form, "credential": value,
              "validFrom": badge.get("validFrom"), "storedAt": accounts.now_iso(), "etag": etag}

    def write() -> int:
        try:
            current: Optional[Doc] = store.get_document(CREDENTIAL_KIND, key)
        except laurel.NotFound:
            current = None
        if current is not None and current.get("etag") == etag and \
                request.headers.get("if-none-match") == etag:
            raise Ob3Error(304, "Not modified", headers={"ETag": etag})
        try:
            store.replace_document(CREDENTIAL_KIND, key, current, record)
        except laurel.Conflict:  # another request wrote it meanwhile: this one replaces it
            store.put_document(CREDENTIAL_KIND, key, record)
            return 200
        return 200 if current is not None else 201

    status = await blocking(write)
    return Response(body, status_code=status, media_type=media_type, headers={"ETag": etag})


# --- profile (OB 3.0 §6.2.4, §6.2.5) ---------------------------------------------------------

def _primary_email(user: Doc) -> Optional[str]:
    confirmed = [item for item in user.get("emails", []) if item.get("verified")]
    for item in confirmed:
        if item.get("primary"):
            return item["email"]
    return confirmed[0]["email"] if confirmed else None


def profile_document(base: str, user: Doc) -> Doc:
    """The account as an OB 3.0 Profile (§B.1.17); its id is the account's URL here."""
    given, family = user.get("firstName"), user.get("lastName")
    name = " ".join(part for part in (given, family) if part)
    profile: Doc = {"@context": [OB3_CONTEXT], "type": ["Profile"],
                    "id": f"{base}/v2/users/{user['entityId']}"}
    optional = {"name": name or None, "givenName": given, "familyName": family,
                "email": _primary_email(user), "url": (user.get("url") or [None])[0],
                "phone": (user.get("telephone") or [None])[0]}
    profile.update({key: value for key, value in optional.items() if value})
    return profile


@router.get(f"{API_PREFIX}/profile", summary="getProfile: your OB 3.0 Profile")
async def get_profile(request: Request,
                      principal: Principal = ob3_scoped(PROFILE_READONLY)) -> Response:
    return json_response(profile_document(config_of(request).base_url, _user(request, principal)))


def _text_field(body: Doc, key: str, limit: int) -> Optional[str]:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise Ob3Error(400, f"{key} must be a string of at most {limit} characters")
    return value.strip() or None


def _first(items: List[str], value: Optional[str]) -> List[str]:
    """`value` first in a list the account keeps (url, telephone), without repeating it."""
    if value is None:
        return items
    return [value] + [item for item in items if item != value]


def _profile_changes(base: str, user: Doc, body: Doc) -> Doc:
    """The account fields a PUT Profile sets; Ob3Error 400 naming what is not acceptable.
    Fields left out keep their values."""
    writable = {"name", "givenName", "familyName", "email", "url", "phone"}
    for key in body:
        if key not in writable and key not in ("@context", "type", "id"):
            raise Ob3Error(400, f"{key}: this server cannot keep it in your profile")
    if body.get("id") not in (None, f"{base}/v2/users/{user['entityId']}"):
        raise Ob3Error(400, "id: a profile's id cannot change")
    given = _text_field(body, "givenName", _NAME_MAX)
    family = _text_field(body, "familyName", _NAME_MAX)
    name = _text_field(body, "name", 2 * _NAME_MAX + 1)
    if name is not None and given is None and family is None:
        given, _, rest = name.partition(" ")
        family = rest.strip() or None
    url = _text_field(body, "url", _TEXT_MAX)
    if url is not None and not url.startswith(("http://", "https://")):
        raise Ob3Error(400, "url must be an http(s) URL")
    changes: Doc = {}
    if given is not None:
        changes["firstName"] = given
    if family is not None:
        changes["lastName"] = family
    changes["url"] = _first(list(user.get("url") or []), url)
    changes["telephone"] = _first(list(user.get("telephone") or []),
                                  _text_field(body, "phone", 64))
    email = _text_field(body, "email", 254)
    if email is not None:
        confirmed = {address.lower() for address in accounts.verified_emails(user)}
        if email.lower() not in confirmed:
            raise Ob3Error(400, "email must be one of your confirmed addresses "
                                "(add and confirm it in your account first)")
        changes["emails"] = [dict(item, primary=item["email"].lower() == email.lower())
                             for item in user.get("emails", [])]
    return changes


@router.put(f"{API_PREFIX}/profile", summary="putProfile: change your OB 3.0 Profile")
async def put_profile(request: Request,
                      principal: Principal = ob3_scoped(PROFILE_UPDATE)) -> Response:
    try:
        body = parse_json(await request.body() or b"null")
    except ApiError as error:
        raise Ob3Error(400, "; ".join(error.non_field_errors)) from None
    if not isinstance(body, dict):
        raise Ob3Error(400, "The body must be a Profile (a JSON object).")
    base = config_of(request).base_url
    _profile_changes(base, _user(request, principal), body)  # a 400 before any write

    def apply(doc: Doc) -> Doc:  # again on the current document, inside the compare-and-set
        return {**doc, **_profile_changes(base, doc, body)}

    updated = await blocking(accounts.update_user, store_of(request), principal.user_id, apply)
    return json_response(profile_document(base, updated))



# --- everything else under /ims/ob/v3p0 ------------------------------------------------------

_METHODS = {"/discovery": "GET", "/credentials": "GET, POST", "/profile": "GET, PUT",
            REGISTER_PATH[len(API_PREFIX):]: "POST", AUTHORIZE_PATH[len(API_PREFIX):]: "GET, POST",
            TOKEN_PATH[len(API_PREFIX):]: "POST", REVOKE_PATH[len(API_PREFIX):]: "POST"}


@router.api_route(API_PREFIX + "/{rest:path}", include_in_schema=False,
                  methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
async def not_here(rest: str) -> Response:
    """Registered last: a known path with another method is 405 (with Allow), any other path
    404, both as Imsx_StatusInfo rather than the Badgr envelope."""
    allowed = _METHODS.get("/" + rest)
    if allowed is not None:
        raise Ob3Error(405, f"This endpoint allows {allowed}.", headers={"Allow": allowed})
    raise Ob3Error(404, "There is no such OB 3.0 API endpoint.")
