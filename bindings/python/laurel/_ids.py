"""Ids and look-ups of the records kept as service documents (events, alignments, ...)."""

from __future__ import annotations

from typing import Any, Dict

from . import _core
from .errors import NotFound, ValidationError

__all__ = ["new_entity_id", "get_record"]


def new_entity_id() -> str:
    """A new entityId from the core (22 base64url characters: a millisecond time prefix and 80
    random bits). The time prefix makes it start with "A" for the next century, so an id is never
    taken for an option on a command line (`laurel event show ID`)."""
    return _core.new_id()


def get_record(store: Any, kind: str, record_id: Any, noun: str) -> Dict[str, Any]:
    """The service record `kind`/`record_id`. Raises NotFound("no such <noun>") for an unknown,
    empty or malformed id alike, so a caller learns nothing from the difference."""
    if not isinstance(record_id, str) or not record_id:
        raise NotFound(f"no such {noun}")
    try:
        return store.get_document(kind, record_id)
    except (NotFound, ValidationError):
        raise NotFound(f"no such {noun}") from None
