"""laurel revoke: revoke assertions given as ids or in a CSV file, with a per-item report."""

from __future__ import annotations

import argparse
import sys

from .._common import Context, UserError, progress_bar
from .._csv import read_csv

ORDER = 50


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "revoke", parents=[common], help="revoke assertions",
        description="Revoke assertions in one transaction: ids on the command line, or a CSV "
                    "file with a column 'id' (or 'entityId') and optionally 'reason' (or "
                    "'revocationReason'), which overrides --reason for its row. Every row needs "
                    "a reason, its own or --reason. Every item is reported; exit code 1 if any "
                    "was not revoked.")
    parser.add_argument("ids", nargs="*", metavar="ID", help="assertion entityIds")
    parser.add_argument("--reason", metavar="TEXT",
                        help="revocation reason (required, unless every CSV row has its own)")
    parser.add_argument("--csv", metavar="FILE", help="CSV file with a column 'id'")
    parser.set_defaults(run=run, parser=parser)


def run(context: Context) -> int:
    args = context.args
    if bool(args.ids) == bool(args.csv):
        args.parser.error("give assertion IDs or --csv FILE (one of them)")
    if args.csv:
        rows, problems = read_csv(args.csv, ("id",), ("reason",),
                                  aliases={"entityid": "id", "entity_id": "id",
                                           "revocationreason": "reason",
                                           "revocation_reason": "reason"})
        if problems:
            first = problems[0]
            raise UserError(f"{args.csv}: line {first.line}: {first.message}; nothing was revoked")
        if not rows:
            raise UserError(f"{args.csv}: no assertions to revoke")
        unreasoned = [row.line for row in rows if not row.values.get("reason")]
        if unreasoned and args.reason is None:
            raise UserError(f"{args.csv}: line {unreasoned[0]}: no reason (give the row a "
                            "'reason' or pass --reason); nothing was revoked")
        items = [{"entityId": row.values["id"],
                  "revocationReason": row.values.get("reason") or args.reason} for row in rows]
    else:
        if args.reason is None:  # '' is a revocation without a reason (OB 2.0 allows it)
            args.parser.error("--reason is required with assertion IDs ('' for none)")
        items = [{"entityId": entity_id, "revocationReason": args.reason} for entity_id in args.ids]

    store = context.store()
    with progress_bar(len(items) > 1000 and sys.stderr.isatty(), "Revoking") as progress:
        outcomes = store.revoke_batch(items, progress=progress)
    failed = [outcome for outcome in outcomes if not outcome["revoked"]]
    if context.json:
        context.print_json(outcomes)
    else:
        context.print_table(["id", "revoked", "code", "reason"],
                            [[o["entityId"], "yes" if o["revoked"] else "no", o["code"],
                              o["reason"]] for o in outcomes],
                            title=f"Revoked {len(outcomes) - len(failed)} of {len(outcomes)}")
    if failed:
        context.fail(f"{len(failed)} of {len(outcomes)} assertion(s) were not revoked")
        return 1
    return 0
