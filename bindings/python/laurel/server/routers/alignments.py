"""Alignments (laurel.alignments over REST): an issuer's competency records, referenced by its
badge classes.

``/v2/issuers/{id}/alignments`` lists (staff) and creates (editor); ``/v2/alignments/{id}`` gets
(staff), changes (PUT replaces, PATCH changes the keys given; editor) and deletes (editor);
``/v2/badgeclasses/{id}/alignments`` lists the records a badge class references (staff) and
attaches one (POST ``{"alignment": id}``, editor); ``DELETE
/v2/badgeclasses/{id}/alignments/{alignment id}`` detaches it (editor). Another user's records
are 404.
"""

from __future__ import annotations

from typing import Any, Dict

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from ... import alignments
from ..access import badgeclass_for, issuer_for
from ..auth import Principal, scoped
from ..body import opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found

router = APIRouter(tags=["alignments"])

Doc = Dict[str, Any]

# Keys of a record the server writes; a client may echo them back in PUT/PATCH.
_SERVER_KEYS = ("entityId", "entityType", "issuer", "badgeclasses", "createdAt", "createdBy",
                "updatedAt", "openBadgeId", "issuerOpenBadgeId")


def _view(request: Request, record: Doc) -> Doc:
    urls = urls_of(request)
    return {**record, "issuerOpenBadgeId": urls.issuer(record["issuer"])}


def _alignment_for(store: Any, principal: Principal, alignment_id: str,
                   need: str = "staff") -> Doc:
    try:
        record = alignments.get_alignment(store, alignment_id)
    except laurel.NotFound:
        raise not_found("Alignment not found") from None
    try:
        issuer_for(store, principal, record["issuer"], need)
    except ApiError as error:
        if error.status == 404:
            raise not_found("Alignment not found") from None
        raise
    return record


async def _fields(request: Request) -> Doc:
    body = await read_object(request)
    return {key: value for key, value in body.items() if key not in _SERVER_KEYS}


@router.get("/v2/issuers/{issuer_id}/alignments", summary="List an issuer's alignments")
async def list_alignments(request: Request, issuer_id: str,
                          principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    records = await blocking(alignments.list_alignments, store, issuer["entityId"])
    return envelope([_view(request, record) for record in records])


@router.post("/v2/issuers/{issuer_id}/alignments", status_code=201,
             summary="Create an alignment (editor)")
async def create_alignment(request: Request, issuer_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{targetName, targetUrl, targetDescription, targetFramework, targetCode}``."""
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id, need="editor")
    fields = await _fields(request)
    record = await blocking(call, alignments.create_alignment, store, issuer["entityId"], fields,
                            created_by=principal.user_id)
    return envelope([_view(request, record)], status_code=201)


@router.get("/v2/alignments/{alignment_id}", summary="Get an alignment")
async def get_alignment(request: Request, alignment_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    return envelope([_view(request, _alignment_for(store_of(request), principal, alignment_id))])


async def _update(request: Request, alignment_id: str, principal: Principal,
                  replace: bool) -> Response:
    store = store_of(request)
    record = _alignment_for(store, principal, alignment_id, need="editor")
    fields = await _fields(request)
    updated = await blocking(call, alignments.update_alignment, store, record["entityId"],
                             fields, replace=replace)
    return envelope([_view(request, updated)])


@router.put("/v2/alignments/{alignment_id}",
            summary="Replace an alignment's fields, and its copy in each badge class (editor)")
async def put_alignment(request: Request, alignment_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, alignment_id, principal, replace=True)


@router.patch("/v2/alignments/{alignment_id}",
              summary="Change some of an alignment's fields (editor)")
async def patch_alignment(request: Request, alignment_id: str,
                          principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, alignment_id, principal, replace=False)


@router.delete("/v2/alignments/{alignment_id}", status_code=204,
               summary="Delete an alignment (editor; removed from its badge classes)")
async def delete_alignment(request: Request, alignment_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _alignment_for(store, principal, alignment_id, need="editor")
    await blocking(call, alignments.delete_alignment, store, record["entityId"])
    return envelope(status_code=204)


@router.get("/v2/badgeclasses/{entity_id}/alignments",
            summary="The alignment records a badge class references")
async def badgeclass_alignments(request: Request, entity_id: str,
                                principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id)
    records = await blocking(alignments.alignments_of, store, badgeclass["entityId"])
    return envelope([_view(request, record) for record in records])


@router.post("/v2/badgeclasses/{entity_id}/alignments", status_code=201,
             summary="Make a badge class reference an alignment of its issuer (editor)")
async def attach_alignment(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{"alignment": alignment entityId}``. The badge class's ``alignments`` (and its
    public document) then list it; the core checks the alignment's fields here."""
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    body = await read_object(request)
    alignment_id = opt_str(body, "alignment")
    if not alignment_id:
        raise invalid("alignment", "is required: an alignment entityId")
    try:
        record = alignments.get_alignment(store, alignment_id)
    except laurel.NotFound:
        raise invalid("alignment", "no such alignment") from None
    if record["issuer"] != badgeclass["issuer"]:
        raise invalid("alignment", "no such alignment of this badge class's issuer")
    updated = await blocking(call, alignments.attach, store, badgeclass["entityId"],
                             record["entityId"])
    return envelope([_view(request, updated)], status_code=201)


@router.delete("/v2/badgeclasses/{entity_id}/alignments/{alignment_id}", status_code=204,
               summary="The badge class no longer references the alignment (editor)")
async def detach_alignment(request: Request, entity_id: str, alignment_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    badgeclass, _ = badgeclass_for(store, principal, entity_id, need="editor")
    try:
        await blocking(call, alignments.detach, store, badgeclass["entityId"], alignment_id)
    except laurel.NotFound:
        raise not_found("Alignment not found") from None
    return envelope(status_code=204)
