"""Events (laurel.events over REST): an issuer's occasions and the badges awarded at them.

``/v2/issuers/{id}/events`` lists (staff) and creates (editor); ``/v2/events/{id}`` gets (staff),
changes (PUT replaces, PATCH changes the keys given; editor) and deletes (editor; the assertions
stay); ``/v2/events/{id}/assertions`` lists the event's assertions (staff; revoked ones with
``include_revoked=true``) and groups more under it (POST ``{"assertions": [ids]}``, staff, as
awarding is); ``DELETE /v2/events/{id}/assertions/{assertion id}`` takes one out (staff).
Another user's events are 404.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import laurel
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ... import events
from ..access import issuer_for
from ..auth import Principal, scoped
from ..body import read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found

router = APIRouter(tags=["events"])

Doc = Dict[str, Any]

_SERVER_KEYS = ("entityId", "entityType", "issuer", "createdAt", "createdBy", "updatedAt",
                "issuerOpenBadgeId")


def _view(request: Request, record: Doc) -> Doc:
    return {**record, "issuerOpenBadgeId": urls_of(request).issuer(record["issuer"])}


def _event_for(store: Any, principal: Principal, event_id: str, need: str = "staff") -> Doc:
    try:
        record = events.get_event(store, event_id)
    except laurel.NotFound:
        raise not_found("Event not found") from None
    try:
        issuer_for(store, principal, record["issuer"], need)
    except ApiError as error:
        if error.status == 404:
            raise not_found("Event not found") from None
        raise
    return record


async def _fields(request: Request) -> Doc:
    body = await read_object(request)
    return {key: value for key, value in body.items() if key not in _SERVER_KEYS}


@router.get("/v2/issuers/{issuer_id}/events", summary="List an issuer's events")
async def list_events(request: Request, issuer_id: str,
                      principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id)
    records = await blocking(events.list_events, store, issuer["entityId"])
    return envelope([_view(request, record) for record in records])


@router.post("/v2/issuers/{issuer_id}/events", status_code=201, summary="Create an event (editor)")
async def create_event(request: Request, issuer_id: str,
                       principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{name, description, startDate, endDate, location, url}``."""
    store = store_of(request)
    issuer = issuer_for(store, principal, issuer_id, need="editor")
    fields = await _fields(request)
    record = await blocking(call, events.create_event, store, issuer["entityId"], fields,
                            created_by=principal.user_id)
    return envelope([_view(request, record)], status_code=201)


@router.get("/v2/events/{event_id}", summary="Get an event")
async def get_event(request: Request, event_id: str,
                    principal: Principal = scoped("rw:issuer")) -> Response:
    return envelope([_view(request, _event_for(store_of(request), principal, event_id))])


async def _update(request: Request, event_id: str, principal: Principal, replace: bool) -> Response:
    store = store_of(request)
    record = _event_for(store, principal, event_id, need="editor")
    fields = await _fields(request)
    updated = await blocking(call, events.update_event, store, record["entityId"], fields,
                             replace=replace)
    return envelope([_view(request, updated)])


@router.put("/v2/events/{event_id}", summary="Replace an event's fields (editor)")
async def put_event(request: Request, event_id: str,
                    principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, event_id, principal, replace=True)


@router.patch("/v2/events/{event_id}", summary="Change some of an event's fields (editor)")
async def patch_event(request: Request, event_id: str,
                      principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, event_id, principal, replace=False)


@router.delete("/v2/events/{event_id}", status_code=204,
               summary="Delete an event (editor; its assertions stay)")
async def delete_event(request: Request, event_id: str,
                       principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _event_for(store, principal, event_id, need="editor")
    await blocking(call, events.delete_event, store, record["entityId"])
    return envelope(status_code=204)


@router.get("/v2/events/{event_id}/assertions", summary="The assertions awarded at an event")
async def list_event_assertions(request: Request, event_id: str,
                                include_revoked: Optional[str] = Query(None),
                                principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    record = _event_for(store, principal, event_id)
    flag = (include_revoked or "false").lower()
    if flag not in ("true", "1", "yes", "false", "0", "no", ""):
        raise invalid("include_revoked", "must be true or false")
    found = await blocking(events.event_assertions, store, record["entityId"],
                           include_revoked=flag in ("true", "1", "yes"))
    return envelope([urls.assertion_view(assertion.to_dict()) for assertion in found])


@router.post("/v2/events/{event_id}/assertions", status_code=201,
             summary="Group assertions of the event's issuer under the event (staff)")
async def add_event_assertions(request: Request, event_id: str,
                               principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{"assertions": [assertion entityIds]}``; all are checked before any is added."""
    store, urls = store_of(request), urls_of(request)
    record = _event_for(store, principal, event_id)
    body = await read_object(request)
    if "assertions" not in body:
        raise invalid("assertions", "is required: a list of assertion entityIds")
    added = await blocking(call, events.add_assertions, store, record["entityId"],
                           body["assertions"])
    return envelope([urls.assertion_view(store.get_assertion(entity_id).to_dict())
                     for entity_id in added], status_code=201)


@router.delete("/v2/events/{event_id}/assertions/{assertion_id}", status_code=204,
               summary="Take an assertion out of an event (staff)")
async def remove_event_assertion(request: Request, event_id: str, assertion_id: str,
                                 principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _event_for(store, principal, event_id)
    await blocking(call, events.remove_assertion, store, record["entityId"], assertion_id)
    return envelope(status_code=204)
