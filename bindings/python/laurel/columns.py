"""One column vocabulary for awarding from a table: a pandas DataFrame, a dict of columns, a list
of row dicts (or of plain identities) and the CLI's CSV files all name a recipient's fields the
same way, and all reach the core as columns (one list per field, no dict per row).

========================  ===================================================================
column                    what it holds
========================  ===================================================================
``email``/``identity``    the recipient (an email unless ``type`` or `recipient_type` says
                          otherwise); required
``type``                  email, url, telephone or id
``hashed``                bool: store a salted hash (the default) or the identity in clear
``subject_id``            the recipient's DID or URL next to the identity: the OB 3.0
                          ``credentialSubject.id`` (and VC-JWT ``sub``); ``did`` is an alias
``narrative``             Markdown: why this recipient earned the badge
``evidence_url``          one piece of evidence: its URL ...
``evidence_narrative``    ... and/or its narrative
``evidence``              a list of evidence (dicts, URLs or Evidence objects)
``issued_on``/``expires`` ISO 8601 text, ``datetime``/``date`` or ``pd.Timestamp`` (naive = UTC)
``extensions``            a dict of extension objects
========================  ===================================================================

Names match without case or surrounding spaces, in snake_case or camelCase (``issuedOn``);
``columns={"E-mail": "email"}`` maps other names. Columns outside the vocabulary are ignored and
listed (``IssueBatchResult.ignored_columns``, and an :class:`IgnoredColumnsWarning`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

from .errors import ValidationError

__all__ = ["RECIPIENT_COLUMNS", "IgnoredColumnsWarning", "RecipientTable", "recipient_table",
           "vocabulary_name", "iso_date"]

# accepted name -> the core's column (bindings/python/src/store.cpp, recipients_from_columns)
RECIPIENT_COLUMNS: Dict[str, str] = {
    "email": "identity",
    "identity": "identity",
    "type": "type",
    "recipient_type": "type",
    "hashed": "hashed",
    "subject_id": "subject_id",
    "did": "subject_id",
    "narrative": "narrative",
    "evidence": "evidence",
    "evidence_url": "evidence_url",
    "evidence_narrative": "evidence_narrative",
    "issued_on": "issued_on",
    "expires": "expires",
    "extensions": "extensions",
}
_DATE_COLUMNS = ("issued_on", "expires")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


class IgnoredColumnsWarning(UserWarning):
    """Columns of the recipients that are not in the vocabulary (e.g. ``name``) were ignored."""


class RecipientTable(NamedTuple):
    columns: Dict[str, List[Any]]
    """The core's column name -> one cell per row."""
    labels: Sequence[Any]
    """Each row's label: the DataFrame's index label, else its position."""
    ignored: List[str]
    """The input's columns outside the vocabulary, in input order."""

    @property
    def rows(self) -> int:
        return len(self.labels)


def iso_date(value: Any, name: str) -> Optional[str]:
    """ISO 8601 text for the core, which parses and validates it: str as it is, datetimes
    (naive = UTC; pd.Timestamp is one) and dates converted, missing values (None, NaN, NaT)
    None."""
    if value is None or isinstance(value, str):
        return value
    if _is_missing(value):
        return None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"{name}: expected str, datetime or date, got {type(value).__name__}")


def _is_missing(value: Any) -> bool:
    """None, a float NaN, or pandas' NA / NaT (recognized without importing pandas)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def vocabulary_name(name: Any) -> Optional[str]:
    """The core's column for a column name (any case, snake_case or camelCase), or None."""
    if not isinstance(name, str):
        return None
    key = _CAMEL.sub(r"_\1", name.strip()).lower().replace(" ", "_")
    return RECIPIENT_COLUMNS.get(key)


def _is_dataframe(value: Any) -> bool:
    return hasattr(value, "columns") and hasattr(value, "index") and callable(
        getattr(value, "to_dict", None))


def _is_series(value: Any) -> bool:
    return (not _is_dataframe(value) and hasattr(value, "index") and hasattr(value, "dtype")
            and callable(getattr(value, "tolist", None)))


def _plain_labels(index: Any) -> List[Any]:
    """The index's labels as Python values (numpy integers become int)."""
    return index.tolist()


def _series_cells(series: Any, core_name: str) -> List[Any]:
    """A pandas Series as a list of cells, pandas' missing values as None; date columns of
    datetime64 dtype as ISO 8601 text, converted for the whole column at once."""
    kind = getattr(series.dtype, "kind", "O")
    if core_name in _DATE_COLUMNS and kind == "M":
        present = series.notna()
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        text = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        return text.astype(object).where(present, None).tolist()
    if series.hasnans and kind not in "fc":
        series = series.astype(object).where(series.notna(), None)
    cells = series.tolist()
    if core_name in _DATE_COLUMNS:
        cells = [iso_date(cell, core_name) for cell in cells]
    return cells


def _list_cells(cells: List[Any], core_name: str) -> List[Any]:
    if core_name in _DATE_COLUMNS:
        return [iso_date(cell, core_name) for cell in cells]
    if core_name == "evidence":
        from .store import _plain  # Evidence objects become their dicts

        return [cell if _is_missing(cell) or isinstance(cell, (str, Mapping))
                else _plain(list(cell)) for cell in cells]
    return cells


def _mapped(names: Sequence[Any], columns: Optional[Mapping[str, str]]) -> Dict[Any, Any]:
    """input name -> the core's column (or None: ignored), after `columns`."""
    columns = dict(columns or {})
    for theirs, ours in columns.items():
        if theirs not in names:
            raise ValidationError(f"{theirs!r} is not a column of the recipients "
                                  f"(they have {', '.join(map(str, names))})", field="columns")
        if vocabulary_name(ours) is None:
            raise ValidationError(f"{ours!r} is not a recipient column (expected one of "
                                  f"{', '.join(RECIPIENT_COLUMNS)})", field="columns")
    mapping: Dict[Any, Any] = {}
    taken: Dict[str, Any] = {}
    for name in names:
        core_name = vocabulary_name(columns.get(name, name))
        if core_name is not None and core_name in taken:
            raise ValidationError(f"columns {taken[core_name]!r} and {name!r} both give "
                                  f"{core_name!r}; map or drop one", field="columns")
        if core_name is not None:
            taken[core_name] = name
        mapping[name] = core_name
    if "identity" not in taken:
        raise ValidationError("the recipients have no email (or identity) column"
                              + (f" (they have {', '.join(map(str, names))}; map one with "
                                 "columns={...: 'email'})" if names else ""), field="columns")
    return mapping


def recipient_table(recipients: Any, columns: Optional[Mapping[str, str]] = None
                    ) -> RecipientTable:
    """The recipients as columns for the core. Accepts a pandas DataFrame (read column by
    column), a pandas Series of identities, a dict of equal-length columns, or an iterable of
    identities (str) and row dicts."""
    if columns is not None and not isinstance(columns, Mapping):
        raise TypeError(f"columns: expected a mapping {{their name: column}}, got "
                        f"{type(columns).__name__}")
    if _is_dataframe(recipients):
        names = list(recipients.columns)
        mapping = _mapped(names, columns)
        table = {core: _series_cells(recipients[name], core)
                 for name, core in mapping.items() if core is not None}
        ignored = [str(name) for name, core in mapping.items() if core is None]
        return RecipientTable(table, _plain_labels(recipients.index), ignored)
    if _is_series(recipients):
        return RecipientTable({"identity": _series_cells(recipients, "identity")},
                              _plain_labels(recipients.index), [])
    if isinstance(recipients, Mapping) and recipients and all(
            not isinstance(value, (str, bytes, Mapping)) and hasattr(value, "__len__")
            for value in recipients.values()):
        names = list(recipients)
        mapping = _mapped(names, columns)
        table = {core: _list_cells(list(recipients[name]), core)
                 for name, core in mapping.items() if core is not None}
        lengths = {len(cells) for cells in table.values()}
        if len(lengths) > 1:
            raise ValidationError("the columns differ in length", field="recipients")
        rows = lengths.pop() if lengths else 0
        ignored = [str(name) for name, core in mapping.items() if core is None]
        return RecipientTable(table, range(rows), ignored)
    if isinstance(recipients, (str, bytes, Mapping)):
        raise TypeError("recipients: expected an iterable of recipients, a dict of columns or "
                        f"a DataFrame, got {type(recipients).__name__}")
    return _rows_table(recipients, columns)


def _rows_table(recipients: Any, columns: Optional[Mapping[str, str]]) -> RecipientTable:
    """An iterable of identities and row dicts, turned into columns."""
    rows = list(recipients)
    if all(isinstance(row, str) for row in rows):  # the common case: a list of emails
        return RecipientTable({"identity": rows}, range(len(rows)), [])
    names: Dict[Any, None] = {}
    for index, row in enumerate(rows):
        if isinstance(row, Mapping):
            names.update(dict.fromkeys(row))
        elif not isinstance(row, str):
            raise TypeError(f"recipients[{index}]: expected str or dict, got "
                            f"{type(row).__name__}")
    gives_identity = any(vocabulary_name((columns or {}).get(name, name)) == "identity"
                         for name in names)
    if any(isinstance(row, str) for row in rows) and not gives_identity:
        names = {"identity": None, **names}
    mapping = _mapped(list(names), columns) if names else {}
    table: Dict[str, List[Any]] = {core: [] for core in mapping.values() if core is not None}
    identity_name = next(name for name, core in mapping.items() if core == "identity")
    for row in rows:
        if isinstance(row, str):
            row = {identity_name: row}
        for name, core in mapping.items():
            if core is not None:
                table[core].append(row.get(name))
    table = {core: _list_cells(cells, core) for core, cells in table.items()}
    ignored = [str(name) for name, core in mapping.items() if core is None]
    return RecipientTable(table, range(len(rows)), ignored)
