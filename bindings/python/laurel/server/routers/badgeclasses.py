"""Badge classes: ``/v2/issuers/{id}/badgeclasses``, ``/v2/badgeclasses`` and
``/v2/badgeclasses/{id}``. Creating, changing and deleting need the editor role; a badge class
with assertions (revoked ones too) cannot be deleted (409), and deleting one follows the reference
rules of laurel.references. Updates never rewrite issued assertions. Listings take Badgr's
``num`` and the ``after`` cursor of their ``Link`` header."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ..access import badgeclass_for, can_see, issuer_for
from ..auth import Principal, scoped
from ..body import opt_dict, opt_list, opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid
from ... import references
from .. import extras

router = APIRouter(tags=["badgeclasses"])

_CREATE_KEYS = {"name", "description", "image", "criteriaUrl", "criteriaNarrative", "alignments",
                "tags", "expires", "extensions", "issuer", "issuerOpenBadgeId", "entityType",
                "openBadgeId"}


def _page(request: Request, views: List[Dict[str, Any]], num: Optional[int],
          after: Optional[str]) -> Response:
    """Badgr's ``num`` (and the ``after`` cursor of the ``Link: rel="next"`` header) over a
    listing in creation order."""
    if after:
        position = next((index for index, view in enumerate(views)
                         if view["entityId"] == after), None)
        if position is None:
            raise invalid("after", "is not a cursor of this listing")
        views = views[position + 1:]
    headers: Dict[str, str] = {}
    if num is not None and len(views) > num:
        views = views[:num]
        url = request.url.include_query_params(after=views[-1]["entityId"])
        headers["Link"] = f'<{url}>; rel="next"'
    return envelope(views, headers=headers)


_NUM = Query(None, ge=1, le=1000)
_AFTER = Query(None, max_length=64)


@router.get("/v2/issuers/{issuer_id}/badgeclasses", summary="List an issuer's badge classes")
async def list_issuer_badgeclasses(request: Request, issuer_id: str,
                                   num: Optional[int] = _NUM, after: Optional[str] = _AFTER,
                                   principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    views = [urls.badgeclass_view(badgeclass.to_dict())
             for badgeclass in store.list_badgeclasses(issuer["entityId"])]
    return _page(request, views, num, after)


async def _create(request: Request, issuer: Dict[str, Any], body: Dict[str, Any],
                  principal: Principal) -> Response:
    store, urls = store_of(request), urls_of(request)
    body, kept = urls.split_body(body, "BadgeClass")
    expires = body.get("expires")
    if expires is not None and not isinstance(expires, dict):
        expires = opt_dict(body, "expires")  # raises the 400
    extensions = opt_dict(body, "extensions")
    badgeclass = await blocking(
        call, store.create_badgeclass, issuer["entityId"], opt_str(body, "name") or "",
        opt_str(body, "description") or "", opt_str(body, "image"), opt_str(body, "criteriaUrl"),
        opt_str(body, "criteriaNarrative"), opt_list(body, "alignments") or [],
        opt_list(body, "tags") or [], expires, created_by=principal.user_id)
    # create_badgeclass takes no extensions: set them next (and the kept Badgr fields), and undo
    # the creation on failure.
    try:
        if extensions:
            badgeclass = await blocking(call, store.update_badgeclass, badgeclass.entity_id,
                                        extensions=extensions)
        if kept:
            await blocking(extras.save, store, "BadgeClass", badgeclass.entity_id, kept)
    except BaseException:
        await blocking(store.delete_badgeclass, badgeclass.entity_id)
        raise
    warnings = {key: ["not stored by Laurel; ignored"] for key in sorted(set(body) - _CREATE_KEYS)}
    return envelope([urls.badgeclass_view(badgeclass.to_dict())], status_code=201,
                    warnings=warnings)


@router.post("/v2/issuers/{issuer_id}/badgeclasses", status_code=201,
             summary="Create a badge class (editor)")
async def create_badgeclass(request: Request, issuer_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    issuer = issuer_for(store_of(request), principal, issuer_id, need="editor")
    return await _create(request, issuer, await read_object(request), principal)


@router.post("/v2/badgeclasses", status_code=201,
             summary="Create a badge class of the issuer named in the body (editor)")
async def create_badgeclass_of_body_issuer(request: Request,
                                           principal: Principal = scoped("rw:issuer")) -> Response:
    """The connector's "Create a BadgeClass": ``issuer`` (an entityId) or ``issuerOpenBadgeId``
    (its public URL) in the body names the issuer."""
    store, urls = store_of(request), urls_of(request)
    body = await read_object(request)
    issuer_id = opt_str(body, "issuer")
    field = "issuer"
    if not issuer_id and opt_str(body, "issuerOpenBadgeId"):
        field = "issuerOpenBadgeId"
        issuer_id = urls.local_id(body["issuerOpenBadgeId"], "issuers")
    if not issuer_id:
        raise invalid(field, "is required: the issuer's entityId (or issuerOpenBadgeId)")
    try:
        issuer = issuer_for(store, principal, issuer_id, need="editor")
    except ApiError as error:
        if error.status == 404:
            raise invalid(field, "no such issuer of yours") from None
        raise
    return await _create(request, issuer, body, principal)


@router.get("/v2/badgeclasses", summary="List the badge classes of all your issuers")
async def list_badgeclasses(request: Request, num: Optional[int] = _NUM,
                            after: Optional[str] = _AFTER,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)

    def views() -> List[Dict[str, Any]]:  # scans every issuer and badge class: off the loop
        visible = {issuer.entity_id for issuer in store.list_issuers()
                   if can_see(principal, issuer.to_dict(), store)}
        return [urls.badgeclass_view(badgeclass.to_dict())
                for badgeclass in store.list_badgeclasses() if badgeclass.issuer in visible]

    return _page(request, await blocking(views), num, after)


@router.get("/v2/badgeclasses/{entity_id}", summary="Get a badge class")
async def get_badgeclass(request: Request, entity_id: str,
                         principal: Principal = scoped("rw:issuer")) -> Response:
    badgeclass, _ = badgeclass_for(store_of(request), principal, entity_id)
    return envelope([urls_of(request).badgeclass_view(badgeclass)])


@router.put("/v2/badgeclasses/{entity_id}", summary="Update a badge class (editor)")
async def update_badgeclass(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    body, kept = urls.split_body(await read_object(request), "BadgeClass")
    updated = await blocking(call, store.update_badgeclass, badgeclass["entityId"], **body)
    if kept:
        await blocking(extras.save, store, "BadgeClass", badgeclass["entityId"], kept)
    if "alignments" in body:
        await blocking(references.badgeclass_alignments_set, store, badgeclass["entityId"])
    return envelope([urls.badgeclass_view(updated.to_dict())])


@router.delete("/v2/badgeclasses/{entity_id}", status_code=204,
               summary="Delete a badge class (editor; refused while it has assertions)")
async def delete_badgeclass(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    await blocking(call, references.delete_badgeclass, store, badgeclass["entityId"])
    return envelope(status_code=204)
