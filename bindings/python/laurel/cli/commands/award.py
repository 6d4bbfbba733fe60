"""laurel award: award a badge class to every recipient of a CSV file, in one transaction."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from typing import Dict, List, Optional

from ...columns import IgnoredColumnsWarning, vocabulary_name
from ...errors import ValidationError
from .._common import Context, UserError, progress_bar
from .._csv import CsvProblem, CsvRow, read_csv

ORDER = 40

MAX_REPORTED = 20  # invalid rows printed one per line before "... and N more"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "award", parents=[common], help="award a badge to the recipients in a CSV file",
        description="Award a badge class to every row of a CSV file in one transaction. The "
                    "header names the columns, as Store.issue_batch names them for DataFrames: "
                    "email (or identity; required), narrative, evidence_url, "
                    "evidence_narrative, issued_on, expires (ISO 8601), type, hashed. Other "
                    "columns are ignored (with a note). Recipients who hold the badge already "
                    "are skipped. If any row is invalid nothing is written, unless "
                    "--skip-invalid.")
    parser.add_argument("--badge", required=True, metavar="ID", help="badge class entityId")
    parser.add_argument("--csv", required=True, metavar="FILE", help="CSV file with a header")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="award the valid rows and report the invalid ones")
    parser.add_argument("--allow-duplicates", action="store_true",
                        help="award again to recipients who already hold the badge "
                             "(default: skip them)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def _cell(row: CsvRow, name: str, path: str) -> Optional[object]:
    """A CSV cell as Store.issue_batch takes it: text, or for the columns that are not text a
    bool (hashed), a one-URL list (evidence) or a JSON object (extensions); empty is missing."""
    text = row.values[name]
    if not text:
        return None
    kind = vocabulary_name(name)
    if kind == "hashed":
        if text.lower() not in ("true", "yes", "1", "false", "no", "0"):
            raise UserError(f"{path}: line {row.line}: hashed: expected true or false")
        return text.lower() in ("true", "yes", "1")
    if kind == "evidence":
        return [text]
    if kind == "extensions":
        try:
            value = json.loads(text)
        except ValueError as error:
            raise UserError(f"{path}: line {row.line}: extensions: not JSON ({error})") from None
        if not isinstance(value, dict):
            raise UserError(f"{path}: line {row.line}: extensions: expected a JSON object")
        return value
    return text


def _columns(rows: List[CsvRow], path: str) -> Dict[str, List[Optional[object]]]:
    """The CSV's columns for Store.issue_batch (which maps the names to recipient fields)."""
    names = list(rows[0].values) if rows else []
    return {name: [_cell(row, name, path) for row in rows] for name in names}


def _identity(row: CsvRow) -> Optional[str]:
    return row.values.get("email") or row.values.get("identity") or None


def _report_problems(context: Context, path: str, problems: List[CsvProblem]) -> None:
    for problem in problems[:MAX_REPORTED]:
        context.note(f"{path}: line {problem.line}: {problem.message}")
    if len(problems) > MAX_REPORTED:
        context.note(f"{path}: ... and {len(problems) - MAX_REPORTED} more invalid rows")


def run(context: Context) -> int:
    args = context.args
    rows, problems = read_csv(args.csv, (), None)
    if problems and not args.skip_invalid:
        _report_problems(context, args.csv, problems)
        raise UserError(f"{len(problems)} malformed row(s) in {args.csv}; nothing was awarded "
                        "(fix them, or pass --skip-invalid)")
    if not rows:
        raise UserError(f"{args.csv}: no recipients to award")
    store = context.store()
    badge = store.get_badgeclass(args.badge)  # NotFound before reading further
    show_bar = not args.no_progress and sys.stderr.isatty()
    started = time.perf_counter()
    try:
        with progress_bar(show_bar, f"Awarding {badge.name}") as progress, \
                warnings.catch_warnings(record=True) as noted:
            warnings.simplefilter("always", IgnoredColumnsWarning)
            result = store.issue_batch(badge.entity_id, _columns(rows, args.csv),
                                       allow_duplicate=args.allow_duplicates,
                                       skip_invalid=args.skip_invalid, progress=progress)
    except ValidationError as error:
        results = getattr(error, "results", None)
        if results is None:
            if error.field == "columns":
                raise UserError(f"{args.csv}: line 1: {error.message}") from None
            raise
        invalid = [CsvProblem(rows[item.index].line, f"{item.field}: {item.message}")
                   for item in results.errors()]
        _report_problems(context, args.csv, invalid)
        raise UserError(f"{len(invalid)} invalid row(s) in {args.csv}; nothing was awarded "
                        "(fix them, or pass --skip-invalid)") from None
    except KeyboardInterrupt:
        context.fail("interrupted: the award was cancelled and nothing was written")
        return 130
    seconds = time.perf_counter() - started
    for warning in noted:
        context.note(f"{args.csv}: line 1: {warning.message}")

    invalid_rows = [CsvProblem(rows[item.index].line, f"{item.field}: {item.message}")
                    for item in result.errors()] + problems
    invalid_rows.sort()
    summary = {
        "badge": badge.entity_id,
        "awarded": result.issued,
        "duplicates": result.duplicates,
        "errors": len(invalid_rows),
        "seconds": round(seconds, 3),
        "ignoredColumns": result.ignored_columns,
    }
    if context.json:
        summary["rows"] = [
            {"line": rows[item.index].line, "email": _identity(rows[item.index]),
             "status": "awarded" if item.issued else item.code, "entityId": item.entity_id,
             "field": item.field, "message": item.message}
            for item in result] + [
            {"line": problem.line, "email": None, "status": "malformed", "entityId": None,
             "field": None, "message": problem.message} for problem in problems]
        context.print_json(summary)
    else:
        _report_problems(context, args.csv, invalid_rows)
        context.say(f"{badge.name} ({badge.entity_id}) from {args.csv}:")
        context.print_table(
            ["awarded", "duplicates skipped", "errors", "seconds"],
            [[result.issued, result.duplicates, len(invalid_rows), f"{seconds:.2f}"]])
    return 0
