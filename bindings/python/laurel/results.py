"""What list and batch calls return: a page of assertions and per-item batch results."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Sequence, Union, overload

from . import _core
from .entities import Assertion

__all__ = ["Page", "IssueItem", "IssueBatchResult"]


class Page(Sequence[Assertion]):
    """One page of assertions, newest first.

    Iterate it, index it, take ``len()``; pass :attr:`next_cursor` as ``after=`` to get the next
    (older) page. :attr:`next_cursor` is ``None`` on the last page.
    """

    __slots__ = ("_items", "next_cursor", "prev_cursor")

    def __init__(self, items: List[Assertion], next_cursor: Optional[str],
                 prev_cursor: Optional[str]) -> None:
        self._items = items
        self.next_cursor = next_cursor
        self.prev_cursor = prev_cursor

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Assertion]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> Assertion: ...
    @overload
    def __getitem__(self, index: slice) -> List[Assertion]: ...
    def __getitem__(self, index: Union[int, slice]) -> Union[Assertion, List[Assertion]]:
        return self._items[index]

    def to_dicts(self) -> List[Dict[str, Any]]:
        """The assertions' Badgr v2 shapes (e.g. for ``pandas.json_normalize``)."""
        return [item.to_dict() for item in self._items]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per assertion, nested fields flattened
        (``recipient.plaintextIdentity``, ...), dates as ``datetime64[ns, UTC]``, indexed by
        entityId. ``pd.DataFrame(page)`` works too (unflattened: assertions are mappings)."""
        return _assertions_frame(self.to_dicts())

    def __repr__(self) -> str:
        return f"<Page of {len(self._items)} assertions, next_cursor={self.next_cursor!r}>"


def _assertions_frame(records: List[Dict[str, Any]]) -> Any:
    import pandas as pd

    frame = pd.json_normalize(records) if records else pd.DataFrame(columns=["entityId"])
    for column in ("issuedOn", "expires", "createdAt", "revokedAt"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce")
    return frame.set_index("entityId")


class IssueItem(NamedTuple):
    """The outcome for one recipient of :meth:`laurel.Store.issue_batch`."""

    index: int
    """Position in the input."""
    issued: bool
    entity_id: Optional[str]
    """The new assertion's id when issued."""
    code: Optional[str]
    """None when issued, else ``"duplicate"`` or ``"invalid"``."""
    field: Optional[str]
    """For ``"invalid"``: the field (e.g. ``"recipient.identity"``)."""
    message: Optional[str]
    """For ``"invalid"``: what is wrong with it."""
    row: Any = None
    """The input row's label: the DataFrame's index label, else the position (CSV rows in the
    CLI: the line number)."""


class IssueBatchResult(Sequence[IssueItem]):
    """Per-item results of :meth:`laurel.Store.issue_batch`, one :class:`IssueItem` per input
    recipient in input order, plus the counts :attr:`issued`, :attr:`duplicates` and
    :attr:`invalid`. Items are converted from the core's result only when you read them.
    :meth:`to_dataframe` gives a DataFrame indexed like the input."""

    __slots__ = ("_result", "_labels", "ignored_columns")

    def __init__(self, result: _core.IssueBatchResult, labels: Optional[Sequence[Any]] = None,
                 ignored_columns: Sequence[str] = ()) -> None:
        self._result = result
        self._labels = labels if labels is not None else range(len(result))
        self.ignored_columns: List[str] = list(ignored_columns)
        """Columns of the input that were not recipient fields, so were ignored."""

    @property
    def issued(self) -> int:
        """How many assertions were issued."""
        return self._result.issued

    @property
    def duplicates(self) -> int:
        """How many recipients were skipped because they already hold the badge."""
        return self._result.duplicates

    @property
    def invalid(self) -> int:
        """How many recipients were invalid (skipped with ``skip_invalid=True``)."""
        return self._result.invalid

    @property
    def committed(self) -> bool:
        """Whether the batch was written."""
        return self._result.committed

    @property
    def core_seconds(self) -> float:
        """Seconds the C++ core spent in the batch (the rest is Python conversion)."""
        return self._result.core_seconds

    @property
    def entity_ids(self) -> List[str]:
        """Ids of the assertions issued, in input order."""
        return self._result.entity_ids()

    def errors(self) -> List[IssueItem]:
        """The items that were not issued because they were invalid."""
        return [item for item in self if item.code == "invalid"]

    def __len__(self) -> int:
        return len(self._result)

    @overload
    def __getitem__(self, index: int) -> IssueItem: ...
    @overload
    def __getitem__(self, index: slice) -> List[IssueItem]: ...
    def __getitem__(self, index: Union[int, slice]) -> Union[IssueItem, List[IssueItem]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("batch result index out of range")
        return self._item(index)

    def _item(self, index: int) -> IssueItem:
        core_index, *rest = self._result.item(index)
        return IssueItem(core_index, *rest, row=self._labels[core_index])

    def __iter__(self) -> Iterator[IssueItem]:
        for index in range(len(self)):
            yield self._item(index)

    def to_records(self) -> List[Dict[str, Any]]:
        """One dict per item (``pandas.DataFrame(result.to_records())``)."""
        return [item._asdict() for item in self]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame with one row per input row, indexed by its label (the input
        DataFrame's index), and the columns ``status`` (issued, duplicate or invalid),
        ``entity_id``, ``field`` and ``message``: ``df.join(result.to_dataframe())`` lines
        the outcome up with the input."""
        import pandas as pd

        items = list(self)
        frame = pd.DataFrame({
            "status": ["issued" if item.issued else item.code for item in items],
            "entity_id": [item.entity_id for item in items],
            "field": [item.field for item in items],
            "message": [item.message for item in items],
        }, index=pd.Index([item.row for item in items], name="row"))
        return frame

    def __repr__(self) -> str:
        return (f"<IssueBatchResult issued={self.issued} duplicates={self.duplicates} "
                f"invalid={self.invalid} committed={self.committed}>")
