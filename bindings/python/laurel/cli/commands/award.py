"""laurel award: award a badge class to every recipient of a CSV file, in one transaction."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Dict, List

from ...errors import ValidationError
from .._common import Context, UserError, progress_bar
from .._csv import CsvProblem, read_csv

ORDER = 40

COLUMNS_REQUIRED = ("email",)
COLUMNS_OPTIONAL = ("narrative", "evidence_url", "evidence_narrative", "issued_on", "expires")
MAX_REPORTED = 20  # invalid rows printed one per line before "... and N more"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "award", parents=[common], help="award a badge to the recipients in a CSV file",
        description="Award a badge class to every row of a CSV file in one transaction. The "
                    "header names the columns: email (required), narrative, evidence_url, "
                    "evidence_narrative, issued_on, expires (ISO 8601). If any row is invalid "
                    "nothing is written, unless --skip-invalid.")
    parser.add_argument("--badge", required=True, metavar="ID", help="badge class entityId")
    parser.add_argument("--csv", required=True, metavar="FILE", help="CSV file with a header")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="award the valid rows and report the invalid ones")
    parser.add_argument("--allow-duplicates", action="store_true",
                        help="award again to recipients who already hold the badge "
                             "(default: skip them)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def _recipient(values: Dict[str, str]) -> Dict[str, Any]:
    recipient: Dict[str, Any] = {"identity": values["email"]}
    for column in ("narrative", "issued_on", "expires"):
        if values.get(column):
            recipient[column] = values[column]
    url, narrative = values.get("evidence_url", ""), values.get("evidence_narrative", "")
    if url or narrative:
        recipient["evidence"] = [{"url": url or None, "narrative": narrative or None}]
    return recipient


def _report_problems(context: Context, path: str, problems: List[CsvProblem]) -> None:
    for problem in problems[:MAX_REPORTED]:
        context.note(f"{path}: line {problem.line}: {problem.message}")
    if len(problems) > MAX_REPORTED:
        context.note(f"{path}: ... and {len(problems) - MAX_REPORTED} more invalid rows")


def run(context: Context) -> int:
    args = context.args
    rows, problems = read_csv(args.csv, COLUMNS_REQUIRED, COLUMNS_OPTIONAL)
    if problems and not args.skip_invalid:
        _report_problems(context, args.csv, problems)
        raise UserError(f"{len(problems)} malformed row(s) in {args.csv}; nothing was awarded "
                        "(fix them, or pass --skip-invalid)")
    if not rows:
        raise UserError(f"{args.csv}: no recipients to award")
    store = context.store()
    badge = store.get_badgeclass(args.badge)  # NotFound before reading further
    recipients = [_recipient(row.values) for row in rows]

    show_bar = not args.no_progress and sys.stderr.isatty()
    started = time.perf_counter()
    try:
        with progress_bar(show_bar, f"Awarding {badge.name}") as progress:
            result = store.issue_batch(badge.entity_id, recipients,
                                       allow_duplicate=args.allow_duplicates,
                                       skip_invalid=args.skip_invalid, progress=progress)
    except ValidationError as error:
        results = getattr(error, "results", None)
        if results is None:
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

    invalid_rows = [CsvProblem(rows[item.index].line, f"{item.field}: {item.message}")
                    for item in result.errors()] + problems
    invalid_rows.sort()
    summary = {
        "badge": badge.entity_id,
        "awarded": result.issued,
        "duplicates": result.duplicates,
        "errors": len(invalid_rows),
        "seconds": round(seconds, 3),
    }
    if context.json:
        summary["rows"] = [
            {"line": rows[item.index].line, "email": rows[item.index].values["email"],
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
