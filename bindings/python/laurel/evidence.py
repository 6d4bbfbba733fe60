"""Evidence items of an assertion, one at a time: list, add, update and delete.

An item kind of the record layer (laurel.records.items): Open Badges 2.0 evidence items have no
ids of their own, so an item is named by its position in the assertion's ``evidence`` list
(0-based). Every change is ``store.update_assertion`` with the whole new list, so the core
validates it (an item needs a url or a narrative, urls are http(s), known keys only, no change to
a revoked assertion) and the public assertion reflects it at once.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple

from .entities import Assertion
from .records import Field, RecordKind, items

__all__ = ["EVIDENCE", "EVIDENCE_KEYS", "list_evidence", "add_evidence", "update_evidence",
           "delete_evidence"]

EVIDENCE_KEYS = ("url", "narrative", "name", "description", "genre", "audience")

# The assertion's staff read its evidence, its editors change it (laurel.server.records).
EVIDENCE = RecordKind(
    kind="evidence", entity_type="Evidence", noun="evidence item", plural="evidence",
    cli="evidence", help="list, add, update or delete an assertion's evidence",
    fields=tuple(Field(name) for name in EVIDENCE_KEYS), owner=None,
    parent="assertion", shorthand="url")


def list_evidence(store: Any, assertion_id: str) -> List[Dict[str, Any]]:
    """The assertion's evidence items, in order. Raises NotFound."""
    return items.items(store, EVIDENCE, assertion_id)


def add_evidence(store: Any, assertion_id: str, item: Any) -> Tuple[Assertion, int]:
    """Appends an item (dict of url, narrative, name, description, genre, audience, or a URL).
    Returns (the updated assertion, the new item's index). Raises NotFound, ValidationError
    (field ``evidence.<index>...``), Conflict (revoked)."""
    return items.add(store, EVIDENCE, assertion_id, item)


def update_evidence(store: Any, assertion_id: str, index: int, changes: Mapping[str, Any], *,
                    replace: bool = False) -> Assertion:
    """Changes item `index`: the keys in `changes` (None removes a key), or the whole item when
    `replace`. Raises NotFound (assertion or item), ValidationError, Conflict (revoked)."""
    return items.change(store, EVIDENCE, assertion_id, index, changes, replace=replace)


def delete_evidence(store: Any, assertion_id: str, index: int) -> Assertion:
    """Removes item `index` (later items move up one). Raises NotFound, Conflict (revoked)."""
    return items.remove(store, EVIDENCE, assertion_id, index)
