"""entityIds of the records kept as service documents (events, alignments, ...)."""

from __future__ import annotations

import base64
import os

__all__ = ["new_entity_id"]


def new_entity_id() -> str:
    """22 characters of base64url over 16 CSPRNG bytes, as the core's entityIds. Never starts
    with "-", so an id is never taken for an option on a command line (`laurel event show ID`);
    that costs well under one bit of the 128."""
    while True:
        entity_id = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode("ascii")
        if not entity_id.startswith("-"):
            return entity_id
