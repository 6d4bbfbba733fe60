"""entityIds of the records kept as service documents (events, alignments, ...)."""

from __future__ import annotations

from . import _core

__all__ = ["new_entity_id"]


def new_entity_id() -> str:
    """A new entityId from the core (22 base64url characters: a millisecond time prefix and 80
    random bits). The time prefix makes it start with "A" for the next century, so an id is never
    taken for an option on a command line (`laurel event show ID`)."""
    return _core.new_id()
