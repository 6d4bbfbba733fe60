"""The Python API of single kinds: at most one record per core entity (a badge class's claimable
record), a service document keyed by the entity's id. Setting one creates or replaces it; the
record names its entity in the field ``kind.parent`` and keeps who first set it.

Service documents: ``kind.kind`` / <entity id> -> {<parent>: id, <fields>, createdBy, updatedAt}.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional

from ..errors import NotFound, ValidationError
from .api import fields_of, now
from .kind import RecordKind

__all__ = ["put", "get", "remove", "list_records", "missing"]

Doc = Dict[str, Any]

PARENT_NOUNS = {"badgeclass": "badge class", "assertion": "assertion", "issuer": "issuer"}


def missing(kind: RecordKind) -> str:
    """"the badge class is not claimable": what NotFound says when there is none."""
    return f"the {PARENT_NOUNS[kind.parent]} is not {kind.noun}"


def _key(kind: RecordKind, entity_id: Any) -> str:
    """The entity's id (or an entity object's)."""
    entity_id = getattr(entity_id, "entity_id", entity_id)
    if not isinstance(entity_id, str) or not entity_id:
        raise ValidationError(f"must be a {PARENT_NOUNS[kind.parent]} entityId",
                              field=kind.parent)
    return entity_id


def put(store: Any, kind: RecordKind, parent_id: Any, values: Mapping[str, Any], *,
        created_by: Optional[str] = None) -> Doc:
    """Sets the entity's record (its fields checked, then the kind's check). Raises NotFound
    (the entity), ValidationError, and what the kind's check raises."""
    parent = getattr(store, f"get_{kind.parent}")(_key(kind, parent_id)).entity_id
    fields = fields_of(kind, values)
    if kind.check is not None:
        fields = kind.check(store, {**fields, kind.parent: parent}, None)
    record: Doc = {kind.parent: parent, **{name: fields[name] for name in kind.field_names},
                   "updatedAt": now(), "createdBy": created_by}
    try:
        record["createdBy"] = store.get_document(kind.kind, parent).get("createdBy")
    except NotFound:
        pass
    store.put_document(kind.kind, parent, record)
    return record


def get(store: Any, kind: RecordKind, parent_id: Any) -> Doc:
    """Raises NotFound (``missing(kind)``) when the entity has none."""
    try:
        return store.get_document(kind.kind, _key(kind, parent_id))
    except (NotFound, ValidationError):
        raise NotFound(missing(kind)) from None


def remove(store: Any, kind: RecordKind, parent_id: Any) -> bool:
    """Removes the entity's record; False when it had none."""
    return store.delete_document(kind.kind, _key(kind, parent_id))


def list_records(store: Any, kind: RecordKind,
                 parent_ids: Optional[Iterable[str]] = None) -> List[Doc]:
    """Every record (or those of the given entities), in key order."""
    found = [record for _, record in store.list_documents(kind.kind)]
    if parent_ids is not None:
        wanted = set(parent_ids)
        found = [record for record in found if record[kind.parent] in wanted]
    return found
