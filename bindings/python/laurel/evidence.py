"""Evidence items of an assertion, one at a time: list, add, update and delete.

Open Badges 2.0 evidence items have no ids of their own, so an item is named by its position in
the assertion's ``evidence`` list (0-based). Every change is ``store.update_assertion`` with the
whole new list, so the core validates it (an item needs a url or a narrative, urls are http(s),
known keys only, no change to a revoked assertion) and the public assertion reflects it at once.
Two writers changing the same assertion's evidence at the same moment: the later one wins.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple

from .entities import Assertion
from .errors import NotFound, ValidationError

__all__ = ["EVIDENCE_KEYS", "list_evidence", "add_evidence", "update_evidence",
           "delete_evidence"]

EVIDENCE_KEYS = ("url", "narrative", "name", "description", "genre", "audience")

Doc = Dict[str, Any]


def _items(assertion: Assertion) -> List[Doc]:
    return [dict(item) for item in assertion.to_dict().get("evidence") or []]


def _item(value: Any, field: str) -> Doc:
    """A new item: a dict of evidence fields, or a URL string."""
    if isinstance(value, str):
        return {"url": value}
    if not isinstance(value, Mapping):
        raise ValidationError("must be an object (or a URL)", field=field)
    return {key: item for key, item in value.items() if item is not None}


def _index(items: List[Doc], index: Any) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise TypeError(f"index: expected int, got {type(index).__name__}")
    if not 0 <= index < len(items):
        raise NotFound(f"the assertion has no evidence item {index}")
    return index


def list_evidence(store: Any, assertion_id: str) -> List[Doc]:
    """The assertion's evidence items, in order. Raises NotFound."""
    return _items(store.get_assertion(assertion_id))


def add_evidence(store: Any, assertion_id: str, item: Any) -> Tuple[Assertion, int]:
    """Appends an item (dict of url, narrative, name, description, genre, audience, or a URL).
    Returns (the updated assertion, the new item's index). Raises NotFound, ValidationError
    (field ``evidence.<index>...``), Conflict (revoked)."""
    items = _items(store.get_assertion(assertion_id))
    items.append(_item(item, f"evidence.{len(items)}"))
    return store.update_assertion(assertion_id, evidence=items), len(items) - 1


def update_evidence(store: Any, assertion_id: str, index: int, changes: Mapping[str, Any], *,
                    replace: bool = False) -> Assertion:
    """Changes item `index`: the keys in `changes` (None removes a key), or the whole item when
    `replace`. Raises NotFound (assertion or item), ValidationError, Conflict (revoked)."""
    items = _items(store.get_assertion(assertion_id))
    position = _index(items, index)
    field = f"evidence.{position}"
    if not isinstance(changes, Mapping):
        raise ValidationError("must be an object", field=field)
    merged = {} if replace else {key: value for key, value in items[position].items()
                                 if value is not None}
    merged.update(changes)
    items[position] = _item(merged, field)
    return store.update_assertion(assertion_id, evidence=items)


def delete_evidence(store: Any, assertion_id: str, index: int) -> Assertion:
    """Removes item `index` (later items move up one). Raises NotFound, Conflict (revoked)."""
    items = _items(store.get_assertion(assertion_id))
    del items[_index(items, index)]
    return store.update_assertion(assertion_id, evidence=items)
