"""CSV input for award and revoke: a header row, then one item per row, each with its line
number in the file (the header is line 1) so problems can be reported where they are."""

from __future__ import annotations

import csv
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ._common import UserError, read_text_file


class CsvRow(NamedTuple):
    line: int
    """Line of the file where the row starts (header = 1)."""
    values: Dict[str, str]
    """Known columns present in the header -> cell text (stripped; "" when empty)."""


class CsvProblem(NamedTuple):
    line: int
    message: str


def read_csv(path: str, required: Sequence[str], optional: Optional[Sequence[str]],
             aliases: Mapping[str, str] = {}) -> Tuple[List[CsvRow], List[CsvProblem]]:
    """Reads `path`. Header problems (a missing required column, an unknown or repeated one)
    raise UserError; a row with the wrong number of fields becomes a CsvProblem. Blank lines
    are skipped. Column names are matched without case and surrounding spaces; `aliases` maps
    other accepted names to known ones. `optional` None accepts any column (the caller decides
    what each means, e.g. the recipient vocabulary of laurel.columns)."""
    known = list(required) + list(optional or ())
    rows: List[CsvRow] = []
    problems: List[CsvProblem] = []
    with read_text_file(path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise UserError(f"{path}: line 1: expected a header row with the columns "
                                f"{', '.join(known) or 'of the table'}")
            columns = []
            for cell in header:
                # any column (optional None): its name as written, the caller matches it
                name = cell.strip() if optional is None else cell.strip().lower()
                name = aliases.get(name, name)
                if optional is not None and name not in known:
                    raise UserError(f"{path}: line 1: unknown column {cell.strip()!r} "
                                    f"(expected {', '.join(known)})")
                if name in columns:
                    raise UserError(f"{path}: line 1: column {name!r} appears twice")
                columns.append(name)
            for name in required:
                if name not in columns:
                    raise UserError(f"{path}: line 1: missing the required column {name!r}")
            line_end = reader.line_num
            for cells in reader:
                line = line_end + 1
                line_end = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # a blank line
                if len(cells) != len(columns):
                    problems.append(CsvProblem(
                        line, f"expected {len(columns)} fields ({', '.join(columns)}), "
                              f"found {len(cells)}"))
                    continue
                rows.append(CsvRow(line, {name: cell.strip()
                                          for name, cell in zip(columns, cells)}))
        except csv.Error as error:
            raise UserError(f"{path}: line {reader.line_num}: malformed CSV: {error}") from None
        except UnicodeDecodeError:
            raise UserError(f"{path}: line {reader.line_num + 1}: not UTF-8 text") from None
    return rows, problems
