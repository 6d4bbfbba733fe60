"""The Python API of item kinds: records that are the items of a core entity's list (an
assertion's ``evidence``), named by their position in it (0-based), as Open Badges items have no
ids of their own.

The kind's ``parent`` names the entity (``assertion``: ``store.get_assertion``,
``store.update_assertion``) and its ``kind`` the list. Every change writes the whole new list
through the core's update, so the core validates it (known keys, URLs; field
``<list>.<index>.<key>``) and the entity's public document reflects it at once. Two writers
changing the same list at the same moment: the later one wins.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple

from ..errors import NotFound, ValidationError
from .kind import RecordKind

__all__ = ["items", "add", "change", "remove"]

Doc = Dict[str, Any]


def _items_of(entity: Any, kind: RecordKind) -> List[Doc]:
    return [dict(item) for item in entity.to_dict().get(kind.kind) or []]


def _read(store: Any, kind: RecordKind, parent_id: str) -> List[Doc]:
    return _items_of(getattr(store, f"get_{kind.parent}")(parent_id), kind)


def _write(store: Any, kind: RecordKind, parent_id: str, new_items: List[Doc]) -> Any:
    return getattr(store, f"update_{kind.parent}")(parent_id, **{kind.kind: new_items})


def _position(kind: RecordKind, found: List[Doc], index: Any) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise TypeError(f"index: expected int, got {type(index).__name__}")
    if not 0 <= index < len(found):
        raise NotFound(f"the {kind.parent} has no {kind.noun} {index}")
    return index


def _item(kind: RecordKind, value: Any, field: str) -> Doc:
    """A mapping of the item's keys (None drops one), or its shorthand (a URL: ``{"url": ...}``)."""
    if isinstance(value, str) and kind.shorthand:
        return {kind.shorthand: value}
    if not isinstance(value, Mapping):
        raise ValidationError("must be an object" + (" (or a URL)" if kind.shorthand else ""),
                          field=field)
    return {key: item for key, item in value.items() if item is not None}


def items(store: Any, kind: RecordKind, parent_id: str) -> List[Doc]:
    """The entity's items, in order. Raises NotFound."""
    return _read(store, kind, parent_id)


def add(store: Any, kind: RecordKind, parent_id: str, value: Any) -> Tuple[Any, int]:
    """Appends an item. Returns (the updated entity, the new item's index). Raises NotFound,
    ValidationError (field ``<list>.<index>...``), Conflict (the core refuses the change)."""
    found = _read(store, kind, parent_id)
    found.append(_item(kind, value, f"{kind.kind}.{len(found)}"))
    return _write(store, kind, parent_id, found), len(found) - 1


def change(store: Any, kind: RecordKind, parent_id: str, index: int,
           changes: Mapping[str, Any], *, replace: bool = False) -> Any:
    """Changes item `index`: the keys in `changes` (None removes a key), or the whole item when
    `replace`. Returns the updated entity. Raises NotFound (entity or item), ValidationError,
    Conflict."""
    found = _read(store, kind, parent_id)
    position = _position(kind, found, index)
    field = f"{kind.kind}.{position}"
    if not isinstance(changes, Mapping):
        raise ValidationError("must be an object", field=field)
    merged = {} if replace else dict(found[position])
    merged.update(changes)
    found[position] = _item(kind, merged, field)
    return _write(store, kind, parent_id, found)


def remove(store: Any, kind: RecordKind, parent_id: str, index: int) -> Any:
    """Removes item `index` (later items move up one). Returns the updated entity. Raises
    NotFound, Conflict."""
    found = _read(store, kind, parent_id)
    del found[_position(kind, found, index)]
    return _write(store, kind, parent_id, found)
