"""Events: an issuer's occasions (name, dates, location, url) and the assertions awarded at them.

An event is not an Open Badges concept, so its fields are checked here: a name, ISO 8601 dates
with the end not before the start, an http(s) url. Membership is one small document per
(event, assertion), so adding badges to a busy event never contends on the event record; an
assertion belongs to the event's issuer.

Service documents:

================  =====================  ================================================
kind              key                    value
================  =====================  ================================================
event             entityId               {entityId, entityType, issuer, name, description,
                                          startDate, endDate, location, url, createdAt,
                                          createdBy, updatedAt}
event_assertion   <event>/<assertion>    {addedAt, order}
================  =====================  ================================================
"""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from typing import Any, Dict, Iterable, List, Optional

from .entities import Assertion
from .errors import NotFound, ValidationError
from .records import Field, RecordKind, functions
from .records.api import check_url, now

__all__ = ["EVENT", "EVENT_KIND", "EVENT_ASSERTION_KIND", "EVENT_FIELDS", "create_event",
           "get_event", "list_events", "update_event", "delete_event", "add_assertions",
           "remove_assertion", "event_assertions"]

EVENT_ASSERTION_KIND = "event_assertion"

Doc = Dict[str, Any]


def _moment(value: str, field: str) -> datetime:
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("must be an ISO 8601 date or date-time", field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _check(store: Any, fields: Doc, current: Optional[Doc]) -> Doc:
    """Dates that parse, the end not before the start, an http(s) url."""
    start = _moment(fields["startDate"], "startDate") if fields.get("startDate") else None
    end = _moment(fields["endDate"], "endDate") if fields.get("endDate") else None
    if start and end and end < start:
        raise ValidationError("must not be before startDate", field="endDate")
    check_url(fields)
    return fields


def event_assertions(store: Any, event_id: str, *,
                     include_revoked: bool = False) -> List[Assertion]:
    """The event's assertions, in the order they were added (revoked ones only when asked)."""
    current = get_event(store, event_id)
    prefix = f"{current['entityId']}/"
    members = sorted(store.list_documents(EVENT_ASSERTION_KIND, prefix),
                     key=lambda pair: (pair[1].get("order") or "", pair[0]))
    found = []
    for key, _ in members:
        try:
            assertion = store.get_assertion(key[len(prefix):])
        except NotFound:
            continue
        if include_revoked or not assertion.revoked:
            found.append(assertion)
    return found


EVENT = RecordKind(
    kind="event", entity_type="Event", noun="event", plural="events", cli="event",
    help="events and the badges awarded at them",
    fields=(Field("name", required=True, column="name"), Field("description"),
            Field("startDate", option="--start", column="start"),
            Field("endDate", option="--end", column="end"),
            Field("location", column="location"), Field("url")),
    check=_check, assertions=event_assertions,
    # Earliest start first, undated last.
    order=lambda record: (record.get("startDate") is None, record.get("startDate") or "",
                          record.get("createdAt") or ""))
EVENT_KIND = EVENT.kind
EVENT_FIELDS = EVENT.field_names

create_event, get_event, list_events, update_event, delete_event = functions(EVENT)


def add_assertions(store: Any, event_id: str, assertion_ids: Iterable[Any]) -> List[str]:
    """Groups assertions of the event's issuer under the event (ids or Assertion objects;
    already grouped ones are kept). Checks them all before adding any. Returns the ids added.
    Raises NotFound (event), ValidationError (field ``assertions.<i>``)."""
    current = get_event(store, event_id)
    if isinstance(assertion_ids, (str, bytes)) or not isinstance(assertion_ids, Iterable):
        raise ValidationError("must be a list of assertion entityIds", field="assertions")
    ids: List[str] = []
    for index, item in enumerate(assertion_ids):
        field = f"assertions.{index}"
        entity_id = getattr(item, "entity_id", item)
        if not isinstance(entity_id, str) or not entity_id:
            raise ValidationError("must be an assertion entityId", field=field)
        try:
            assertion = store.get_assertion(entity_id)
        except (NotFound, ValidationError):
            raise ValidationError("no such assertion of the event's issuer", field=field) from None
        if assertion.issuer != current["issuer"]:
            raise ValidationError("no such assertion of the event's issuer", field=field)
        if entity_id not in ids:
            ids.append(entity_id)
    if not ids:
        raise ValidationError("list at least one assertion", field="assertions")
    added_at, batch = now(), time.time_ns()
    prefix = f"{current['entityId']}/"
    already = {key[len(prefix):] for key, _ in store.list_documents(EVENT_ASSERTION_KIND, prefix)}
    for position, entity_id in enumerate(ids):
        if entity_id in already:
            continue  # keeps its place
        # `order`: when it was added, then its place in this call (one second holds many).
        store.put_document(EVENT_ASSERTION_KIND, f"{prefix}{entity_id}",
                           {"addedAt": added_at, "order": f"{batch:020d}.{position:07d}"})
    return ids


def remove_assertion(store: Any, event_id: str, assertion_id: str) -> None:
    """Takes an assertion out of the event. Raises NotFound (event, or not in it)."""
    current = get_event(store, event_id)
    try:
        removed = store.delete_document(EVENT_ASSERTION_KIND,
                                        f"{current['entityId']}/{assertion_id}")
    except ValidationError:
        removed = False
    if not removed:
        raise NotFound("the assertion is not in this event")
