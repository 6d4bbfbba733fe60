"""Assertions: list and award per issuer or badge class, batch award, get/update/revoke one,
batch revoke and creation methods.

Listing follows Badgr: newest first, ``num`` per page, cursors in the ``Link`` header
(``rel="next"`` with ``after=``, ``rel="prev"`` with ``before=``), revoked and expired assertions
only when asked (``include_revoked``, ``include_expired``), ``recipient`` to filter.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import laurel
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ...entities import released
from ..access import assertion_of, badgeclass_for, issuer_for
from ..auth import Principal, scoped
from ..body import opt_bool, opt_dict, opt_list, opt_str, read_array, read_object
from ..context import blocking, config_of, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found
from .. import extras

router = APIRouter(tags=["assertions"])

_SCOPES = ("issuers", "badgeclasses")
# The keys of one award in a request body, passed to the core as the recipient's fields.
_AWARD_KEYS = ("narrative", "evidence", "issuedOn", "expires", "extensions")


def _flag(value: Optional[str], name: str) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    raise invalid(name, "must be true or false")


def _link_header(request: Request, next_cursor: Optional[str],
                 prev_cursor: Optional[str]) -> Dict[str, str]:
    links = []
    for cursor, key, drop, rel in ((next_cursor, "after", "before", "next"),
                                   (prev_cursor, "before", "after", "prev")):
        if cursor:
            params = {k: v for k, v in request.query_params.items() if k not in (key, drop)}
            params[key] = cursor
            url = request.url.replace_query_params(**params)
            links.append(f'<{url}>; rel="{rel}"')
    return {"Link": ", ".join(links)} if links else {}


def _scope_check(store: Any, principal: Principal, scope: str, entity_id: str,
                 need: str = "staff") -> Tuple[Optional[Dict[str, Any]], Dict[str, Any]]:
    """(badge class or None, issuer) for /v2/{scope}/{id}/... after the role check."""
    if scope == "issuers":
        return None, issuer_for(store, principal, entity_id, need)
    if scope == "badgeclasses":
        return badgeclass_for(store, principal, entity_id, need)
    raise not_found("Not found")


@router.get("/v2/{scope}/{entity_id}/assertions",
            summary="List the assertions of an issuer or a badge class")
async def list_assertions(request: Request, scope: str, entity_id: str,
                          recipient: Optional[str] = Query(None, max_length=2048),
                          num: Optional[int] = Query(None, ge=1, le=1000),
                          after: Optional[str] = Query(None, max_length=512),
                          before: Optional[str] = Query(None, max_length=512),
                          include_expired: Optional[str] = Query(None),
                          include_revoked: Optional[str] = Query(None),
                          principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    badgeclass, issuer = _scope_check(store, principal, scope, entity_id)
    where = ({"badgeclass": badgeclass["entityId"]} if badgeclass is not None
             else {"issuer": issuer["entityId"]})
    flags = {"include_expired": _flag(include_expired, "include_expired"),
             "include_revoked": _flag(include_revoked, "include_revoked")}

    def page_of_views() -> Tuple[List[Dict[str, Any]], Any]:
        page = call(store.list_assertions, recipient=recipient, num=num, after=after,
                    before=before, **flags, **where)
        names: Dict[str, str] = {}
        return [urls.assertion_view(released(item), names) for item in page], page

    # Up to 1000 assertions to convert: off the event loop, unlike single-entity reads.
    views, page = await blocking(page_of_views)
    return envelope(views, headers=_link_header(request, page.next_cursor, page.prev_cursor))


def _recipient(body: Dict[str, Any], field: str) -> Dict[str, Any]:
    """One award of a request body as the recipient dict of laurel.Store.issue."""
    recipient = opt_dict(body, "recipient", f"{field}recipient")
    if recipient is None:
        raise invalid(f"{field}recipient", "is required")
    fields: Dict[str, Any] = {}
    for key in ("identity", "type", "hashed", "subjectId"):
        if key in recipient:
            fields[key] = recipient[key]
    for key in _AWARD_KEYS:
        if body.get(key) is not None:
            fields[key] = body[key]
    return fields


@router.post("/v2/{scope}/{entity_id}/assertions", status_code=201,
             summary="Award a badge class to one recipient (staff)")
async def issue(request: Request, scope: str, entity_id: str,
                principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    body = await read_object(request)
    badgeclass, issuer = _scope_check(store, principal, scope, entity_id)
    if badgeclass is None:  # issuer scope: the body names the badge class
        named = opt_str(body, "badgeclass")
        if named is None and opt_str(body, "badgeclassOpenBadgeId"):
            named = urls.local_id(body["badgeclassOpenBadgeId"], "badges")
            if named is None:
                raise invalid("badgeclassOpenBadgeId", "is not a badge class of this server")
        if not named:
            raise invalid("badgeclass", "is required (or badgeclassOpenBadgeId)")
        try:
            badgeclass = store.get_badgeclass(named).to_dict()
        except (laurel.NotFound, laurel.ValidationError):
            raise invalid("badgeclass", "no such badge class of this issuer") from None
        if badgeclass["issuer"] != issuer["entityId"]:
            raise invalid("badgeclass", "no such badge class of this issuer")
    allow_duplicate = opt_bool(body, "allowDuplicateAwards", True)
    _, kept = urls.split_body(body, "Assertion")
    assertion = await blocking(call, store.issue, badgeclass["entityId"], _recipient(body, ""),
                               allow_duplicate=allow_duplicate, created_by=principal.user_id)
    if kept:
        await blocking(extras.save, store, "Assertion", assertion.entity_id, kept)
    names = {badgeclass["entityId"]: badgeclass.get("name")}  # read above: not read again
    return envelope([urls.assertion_view(released(assertion), names)], status_code=201)


@router.post("/v2/badgeclasses/{entity_id}/issue", status_code=201,
             summary="Award a badge class to many recipients in one transaction (staff)")
async def issue_batch(request: Request, entity_id: str,
                      principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{assertions: [{recipient, narrative, evidence, issuedOn, expires, extensions}],
    allowDuplicateAwards}``. All or nothing: one invalid item writes nothing and every invalid
    item is reported in ``fieldErrors`` (``assertions.<i>.<field>``). With
    ``allowDuplicateAwards: false`` recipients who hold the badge already are skipped and listed
    in ``warnings``."""
    store, urls, config = store_of(request), urls_of(request), config_of(request)
    body = await read_object(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id)
    items = opt_list(body, "assertions")
    if not items:
        raise invalid("assertions", "must be a non-empty list")
    if len(items) > config.max_batch:
        raise invalid("assertions", f"at most {config.max_batch} per request")
    recipients = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid(f"assertions.{index}", "must be an object")
        recipients.append(_recipient(item, f"assertions.{index}."))
    allow_duplicate = opt_bool(body, "allowDuplicateAwards", True)
    try:
        result = await blocking(call, store.issue_batch, badgeclass["entityId"], recipients,
                                allow_duplicate=allow_duplicate, created_by=principal.user_id)
    except laurel.ValidationError as error:
        results = getattr(error, "results", None)
        if results is None:
            raise
        field_errors: Dict[str, List[str]] = {}
        for failed in results.errors():
            key = f"assertions.{failed.index}" + (f".{failed.field}" if failed.field else "")
            field_errors.setdefault(key, []).append(failed.message or "is invalid")
        raise ApiError(400, "Invalid request; nothing was issued", field_errors=field_errors,
                       error_code="invalid") from None
    warnings = {f"assertions.{item.index}": ["the recipient already holds this badge; skipped"]
                for item in result if item.code == "duplicate"}
    names: Dict[str, str] = {}
    issued = [urls.assertion_view(released(store.get_assertion(assertion_id)), names)
              for assertion_id in result.entity_ids]
    return envelope(issued, status_code=201, warnings=warnings)


@router.get("/v2/assertions/creation-methods",
            summary="How each of up to 100 assertions was created")
async def creation_methods(request: Request, ids: List[str] = Query(..., max_length=100),
                           principal: Principal = scoped("rw:issuer")) -> Response:
    """``creationMethod`` is ``api`` for assertions awarded through this service by a user (their
    ``createdBy`` is that user) and ``local`` for those made with the Python API or the CLI.
    ``ids`` may repeat or be comma-separated; ids you cannot see are left out."""
    wanted = [part for value in ids for part in value.split(",") if part]
    if not 1 <= len(wanted) <= 100:
        raise invalid("ids", "give 1 to 100 ids")
    store = store_of(request)
    result = []
    for assertion_id in dict.fromkeys(wanted):
        try:
            assertion = assertion_of(store, principal, assertion_id)
        except ApiError:
            continue
        created_by = assertion.get("createdBy")
        method = "api" if created_by and _is_user(store, created_by) else "local"
        result.append({"entityId": assertion_id, "creationMethod": method,
                       "createdBy": created_by, "createdAt": assertion.get("createdAt")})
    return envelope(result)


def _is_user(store: Any, user_id: str) -> bool:
    try:
        store.get_document("user", user_id)
        return True
    except (laurel.NotFound, laurel.ValidationError):
        return False


@router.post("/v2/assertions/revoke", summary="Revoke many assertions (per-item results)")
async def revoke_batch(request: Request, principal: Principal = scoped("rw:issuer")) -> Response:
    """Body: ``[{entityId (or id), revocationReason}]``. One transaction; every item gets a
    result ``{entityId, id, revocationReason, revoked, code, reason}`` in input order (the item
    as given, with its outcome) and no failure aborts the others. Assertions you cannot see are
    reported ``not_found``."""
    store, config = store_of(request), config_of(request)
    items = await read_array(request)
    if not items:
        raise invalid("body", "give at least one item")
    if len(items) > config.max_batch:
        raise invalid("body", f"at most {config.max_batch} items per request")
    results: List[Optional[Dict[str, Any]]] = [None] * len(items)
    allowed: List[Tuple[int, Dict[str, Any]]] = []
    for index, item in enumerate(items):
        entity_id = item.get("entityId") or item.get("id") if isinstance(item, dict) else None
        if not isinstance(entity_id, str) or not entity_id:
            results[index] = {"entityId": entity_id if isinstance(entity_id, str) else None,
                              "revoked": False, "code": "invalid",
                              "reason": "entityId (or id) is required"}
            continue
        reason = item.get("revocationReason")
        try:
            assertion_of(store, principal, entity_id)
        except ApiError as error:
            code = "not_found" if error.status == 404 else "permission_denied"
            results[index] = {"entityId": entity_id, "revoked": False, "code": code,
                              "reason": error.description}
            continue
        allowed.append((index, {"entityId": entity_id,
                                "revocationReason": reason if isinstance(reason, str) else ""}))
    if allowed:
        outcomes = await blocking(call, store.revoke_batch, [item for _, item in allowed])
        for (index, _), outcome in zip(allowed, outcomes):
            results[index] = outcome
    urls, names = urls_of(request), {}
    for item, result in zip(items, results):
        given = item if isinstance(item, dict) else {}
        assert result is not None
        result["id"] = given.get("id") if isinstance(given.get("id"), str) else result["entityId"]
        reason = given.get("revocationReason")
        result["revocationReason"] = reason if isinstance(reason, str) else None
        if result.get("code") not in ("not_found", "permission_denied", "invalid"):
            # The connector reads the assertion itself in each result, the v2 document the
            # outcome: both, the outcome's keys first.
            assertion = store.get_assertion(result["entityId"]).to_dict()
            for key, value in urls.assertion_view(assertion, names).items():
                result.setdefault(key, value)
    return envelope(results)


@router.get("/v2/assertions/{entity_id}", summary="Get an assertion")
async def get_assertion(request: Request, entity_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    assertion = assertion_of(store_of(request), principal, entity_id)
    return envelope([urls_of(request).assertion_view(assertion)])


@router.put("/v2/assertions/{entity_id}", summary="Update an assertion (editor)")
async def update_assertion(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    assertion = assertion_of(store, principal, entity_id, need="editor")
    body, kept = urls.split_body(await read_object(request), "Assertion")
    updated = await blocking(call, store.update_assertion, assertion["entityId"], **body)
    if kept:
        await blocking(extras.save, store, "Assertion", assertion["entityId"], kept)
    return envelope([urls.assertion_view(updated.to_dict())])


@router.delete("/v2/assertions/{entity_id}", summary="Revoke an assertion (staff)")
async def revoke(request: Request, entity_id: str,
                 revocation_reason: Optional[str] = Query(None, max_length=65536),
                 principal: Principal = scoped("rw:issuer")) -> Response:
    """The reason, optional, comes in the body (``{"revocation_reason": ...}``, Badgr's name, or
    ``revocationReason``) or the query string; without one the assertion is revoked without a
    reason."""
    store = store_of(request)
    assertion = assertion_of(store, principal, entity_id)
    body = await read_object(request, allow_empty=True)
    reason = (opt_str(body, "revocation_reason") or opt_str(body, "revocationReason")
              or revocation_reason or "")
    revoked = await blocking(call, store.revoke, assertion["entityId"], reason)
    return envelope([urls_of(request).assertion_view(revoked.to_dict())])
