"""Badge classes: ``/v2/issuers/{id}/badgeclasses``, ``/v2/badgeclasses`` and
``/v2/badgeclasses/{id}``. Creating, changing and deleting need the editor role; a badge class
with unrevoked assertions cannot be deleted (409). Updates never rewrite issued assertions."""

from __future__ import annotations

from typing import Any, Dict, List

from fastapi import APIRouter, Request
from starlette.responses import Response

from ..access import badgeclass_for, can_see, issuer_for
from ..auth import Principal, scoped
from ..body import opt_dict, opt_list, opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import call
from ..views import strip_server_keys

router = APIRouter(tags=["badgeclasses"])

_CREATE_KEYS = {"name", "description", "image", "criteriaUrl", "criteriaNarrative", "alignments",
                "tags", "expires", "extensions", "issuer", "issuerOpenBadgeId", "entityType",
                "openBadgeId"}


@router.get("/v2/issuers/{issuer_id}/badgeclasses", summary="List an issuer's badge classes")
async def list_issuer_badgeclasses(request: Request, issuer_id: str,
                                   principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    return envelope([urls.badgeclass_view(badgeclass.to_dict())
                     for badgeclass in store.list_badgeclasses(issuer["entityId"])])


@router.post("/v2/issuers/{issuer_id}/badgeclasses", status_code=201,
             summary="Create a badge class (editor)")
async def create_badgeclass(request: Request, issuer_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id, need="editor")
    body = await read_object(request)
    expires = body.get("expires")
    if expires is not None and not isinstance(expires, dict):
        expires = opt_dict(body, "expires")  # raises the 400
    extensions = opt_dict(body, "extensions")
    badgeclass = await blocking(
        call, store.create_badgeclass, issuer["entityId"], opt_str(body, "name") or "",
        opt_str(body, "description") or "", opt_str(body, "image"), opt_str(body, "criteriaUrl"),
        opt_str(body, "criteriaNarrative"), opt_list(body, "alignments") or [],
        opt_list(body, "tags") or [], expires, created_by=principal.user_id)
    if extensions:
        # create_badgeclass takes no extensions: set them next, and undo the creation on failure.
        try:
            badgeclass = await blocking(call, store.update_badgeclass, badgeclass.entity_id,
                                        extensions=extensions)
        except BaseException:
            await blocking(store.delete_badgeclass, badgeclass.entity_id)
            raise
    warnings = {key: ["not stored by Laurel; ignored"] for key in sorted(set(body) - _CREATE_KEYS)}
    return envelope([urls_of(request).badgeclass_view(badgeclass.to_dict())], status_code=201,
                    warnings=warnings)


@router.get("/v2/badgeclasses", summary="List the badge classes of all your issuers")
async def list_badgeclasses(request: Request, principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)

    def views() -> List[Dict[str, Any]]:  # scans every issuer and badge class: off the loop
        visible = {issuer.entity_id for issuer in store.list_issuers()
                   if can_see(principal, issuer.to_dict(), store)}
        return [urls.badgeclass_view(badgeclass.to_dict())
                for badgeclass in store.list_badgeclasses() if badgeclass.issuer in visible]

    return envelope(await blocking(views))


@router.get("/v2/badgeclasses/{entity_id}", summary="Get a badge class")
async def get_badgeclass(request: Request, entity_id: str,
                         principal: Principal = scoped("rw:issuer")) -> Response:
    badgeclass, _ = badgeclass_for(store_of(request), principal, entity_id)
    return envelope([urls_of(request).badgeclass_view(badgeclass)])


@router.put("/v2/badgeclasses/{entity_id}", summary="Update a badge class (editor)")
async def update_badgeclass(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    body: Dict[str, Any] = strip_server_keys(await read_object(request), "BadgeClass")
    updated = await blocking(call, store.update_badgeclass, badgeclass["entityId"], **body)
    return envelope([urls_of(request).badgeclass_view(updated.to_dict())])


@router.delete("/v2/badgeclasses/{entity_id}", status_code=204,
               summary="Delete a badge class (editor; none of its assertions unrevoked)")
async def delete_badgeclass(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    await blocking(store.delete_badgeclass, badgeclass["entityId"])
    return envelope(status_code=204)
