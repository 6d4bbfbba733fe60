"""Events (laurel.events over REST): an issuer's occasions and the badges awarded at them.

``/v2/issuers/{id}/events`` lists (staff) and creates (editor); ``/v2/events/{id}`` gets (staff),
changes (PUT replaces, PATCH changes the keys given; editor) and deletes (editor; the assertions
stay); ``/v2/events/{id}/assertions`` lists the event's assertions (staff; revoked ones with
``include_revoked=true``) and groups more under it (POST ``{"assertions": [ids]}``, staff, as
awarding is); ``DELETE /v2/events/{id}/assertions/{assertion id}`` takes one out (staff).
Another user's events are 404.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from ... import events
from ..auth import Principal, scoped
from ..body import read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import call, invalid
from ..records import RecordRoutes, with_issuer_url

routes = RecordRoutes(events.EVENT, view=with_issuer_url)
router = routes.router
_event_for = routes.record_for


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
