"""The Python API of every record kind: create, get, list, update, delete, from its RecordKind.

Records are service documents (kind = RecordKind.kind, key = entityId). Updates are
compare-and-set (a record changed meanwhile is a Conflict, never a lost write); deleting applies
the reference rules of laurel.references to the records linking to it.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from .. import references
from .._ids import get_record, new_entity_id
from ..errors import Conflict, ValidationError
from .kind import MAX_TEXT, RecordKind

__all__ = ["create", "get", "list_records", "update", "delete", "save", "functions", "fields_of",
           "is_blank", "now", "check_url", "check_text"]

Doc = Dict[str, Any]


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_blank(value: str) -> bool:
    """Only spaces and control characters (the core's rule for names: ``" "``, ``"\\u0000"``)."""
    return all(character <= " " or character == "\x7f" for character in value)


def check_url(fields: Mapping[str, Any], field: str = "url") -> None:
    """An http(s) URL with a host, when given. Raises ValidationError naming the field."""
    url = fields.get(field)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError("must be an http(s) URL", field=field)


def check_text(value: Any, field: str) -> Optional[str]:
    """A string of at most MAX_TEXT characters, or None. Raises ValidationError naming the
    field."""
    if value is not None and not isinstance(value, str):
        raise ValidationError("must be a string", field=field)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise ValidationError(f"at most {MAX_TEXT} characters", field=field)
    return value


def fields_of(kind: RecordKind, values: Mapping[str, Any], base: Optional[Doc] = None) -> Doc:
    """The kind's fields from `values` over `base` (None clears one), with their JSON types,
    lengths and required ones checked. Raises TypeError, ValidationError naming the field."""
    if not isinstance(values, Mapping):
        raise TypeError(f"{kind.noun}: expected a mapping of {kind.noun} fields")
    unknown = sorted(set(values) - set(kind.field_names))
    if unknown:
        raise ValidationError(f"unknown {kind.noun} field", field=unknown[0])
    fields = {name: (base or {}).get(name) for name in kind.field_names}
    fields.update(values)
    for item in kind.fields:
        value = fields[item.name]
        if item.kind is bool:
            if value is not None and not isinstance(value, bool):
                raise ValidationError("must be true or false", field=item.name)
            continue
        if item.kind is list:  # its items are the kind's check's
            if value is not None and not isinstance(value, list):
                raise ValidationError("must be a list", field=item.name)
            continue
        check_text(value, item.name)
    for item in kind.fields:  # types first, so a wrong type is named before a missing field
        value = fields[item.name]
        if not item.required:
            continue
        if value is None if item.kind is list else not value or is_blank(value):
            raise ValidationError("is required" + (f": {item.hint}" if item.hint else ""),
                                  field=item.name)
    return fields


def _owner(store: Any, kind: RecordKind, owner_id: Any) -> Doc:
    """{owner field: the owner's id} (an issuer's is checked to exist); {} for a kind without."""
    if kind.owner is None:
        return {}
    return {kind.owner: store.get_issuer(owner_id).entity_id if kind.owner == "issuer"
            else owner_id}


def _checked(store: Any, kind: RecordKind, fields: Doc, owner: Doc,
             current: Optional[Doc]) -> Doc:
    if kind.check is None:
        return fields
    checked = kind.check(store, {**fields, **owner}, current)
    return {key: value for key, value in checked.items() if key not in owner}


def create(store: Any, kind: RecordKind, owner_id: Any, values: Mapping[str, Any], *,
           created_by: Optional[str] = None, initial: Optional[Mapping[str, Any]] = None) -> Doc:
    """A new record of `owner_id` (an issuer's id, or a user's; None for a kind without owner).
    `initial`: server-owned fields of this record (over the kind's). Raises NotFound (issuer),
    ValidationError, and what the kind's check raises."""
    owner = _owner(store, kind, owner_id)
    fields = _checked(store, kind, fields_of(kind, values), owner, None)
    created = now()
    record = {"entityId": new_entity_id(), "entityType": kind.entity_type, **owner, **fields,
              **copy.deepcopy({**kind.initial, **(initial or {})}), "createdAt": created,
              "createdBy": created_by, "updatedAt": created}
    store.put_document(kind.kind, record["entityId"], record)
    return record


def get(store: Any, kind: RecordKind, record_id: Any) -> Doc:
    """Raises NotFound ("no such <noun>") for an unknown, empty or malformed id alike."""
    return get_record(store, kind.kind, record_id, kind.noun)


def list_records(store: Any, kind: RecordKind, owner_id: Optional[str] = None) -> List[Doc]:
    """Every record of the kind, or one owner's, in the kind's order."""
    records = [record for _, record in store.list_documents(kind.kind)
               if owner_id is None or (kind.owner and record.get(kind.owner) == owner_id)]
    return sorted(records, key=kind.order) if kind.order is not None else records


def save(store: Any, kind: RecordKind, current: Doc, updated: Optional[Doc]) -> None:
    """Compare-and-set: Conflict when the record changed since `current` was read."""
    try:
        store.replace_document(kind.kind, current["entityId"], current, updated)
    except Conflict:
        raise Conflict(f"the {kind.noun} changed meanwhile; try again") from None


def update(store: Any, kind: RecordKind, record_id: Any, changes: Mapping[str, Any], *,
           replace: bool = False) -> Doc:
    """Changes the fields given (None clears one), or all with `replace`. Raises NotFound,
    ValidationError, Conflict (changed meanwhile)."""
    current = get(store, kind, record_id)
    owner = {kind.owner: current[kind.owner]} if kind.owner else {}
    fields = _checked(store, kind, fields_of(kind, changes, None if replace else current), owner,
                      current)
    updated = {**current, **fields, "updatedAt": now()}
    undo = kind.before_save(store, current, updated) if kind.before_save else None
    try:
        save(store, kind, current, updated)
    except BaseException:
        if undo is not None:
            undo()
        raise
    return updated


def delete(store: Any, kind: RecordKind, record_id: Any) -> None:
    """Deletes the record and applies the reference rules to the records linking to it (and,
    through before_save, removes the copies it keeps elsewhere). Raises NotFound."""
    current = get(store, kind, record_id)
    references.refusals(store, kind.kind, current["entityId"])
    if kind.before_save is not None:
        kind.before_save(store, current, None)
    save(store, kind, current, None)
    references.apply_delete(store, kind.kind, current["entityId"])


def functions(kind: RecordKind) -> Tuple[Callable[..., Doc], Callable[..., Doc],
                                         Callable[..., List[Doc]], Callable[..., Doc],
                                         Callable[..., None]]:
    """The kind's module-level API (create_X, get_X, list_Xs, update_X, delete_X), bound to it:
    ``create_event, get_event, list_events, update_event, delete_event = functions(EVENT)``."""

    def create_record(store: Any, owner_id: Any, fields: Mapping[str, Any], *,
                      created_by: Optional[str] = None) -> Doc:
        return create(store, kind, owner_id, fields, created_by=created_by)

    def get_one(store: Any, record_id: Any) -> Doc:
        return get(store, kind, record_id)

    def list_all(store: Any, owner_id: Optional[str] = None) -> List[Doc]:
        return list_records(store, kind, owner_id)

    def update_record(store: Any, record_id: Any, changes: Mapping[str, Any], *,
                      replace: bool = False) -> Doc:
        return update(store, kind, record_id, changes, replace=replace)

    def delete_record(store: Any, record_id: Any) -> None:
        delete(store, kind, record_id)

    made = (create_record, get_one, list_all, update_record, delete_record)
    for function, verb in zip(made, ("create", "get", "list", "update", "delete")):
        function.__name__ = f"{verb}_{kind.noun}" + ("s" if verb == "list" else "")
        function.__qualname__ = function.__name__
        function.__doc__ = f"{verb.title()} {kind.noun} records (laurel.records.api.{verb})."
    return made
