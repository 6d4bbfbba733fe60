"""One record layer for the service record kinds (alignments, events, recipients, ...): each
kind is a RecordKind (laurel/records/kind.py) read by one Python API (api.py), one REST router
factory (laurel/server/records.py) and one CLI builder (laurel/cli/records.py)."""

from . import items, single
from .api import create, delete, functions, get, list_records, update
from .kind import ISSUER_ROLES, MAX_TEXT, Field, RecordKind

__all__ = ["Field", "RecordKind", "ISSUER_ROLES", "MAX_TEXT", "create", "get", "list_records",
           "update", "delete", "functions", "items", "single"]
