"""laurel check: every index against the records; exit 1 with the list when they disagree."""

from __future__ import annotations

import argparse

from .._common import Context

ORDER = 82


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "check", parents=[common], help="check every index against the records",
        description="Checks that each assertion is once in each index that should hold it, "
                    "that no index entry points nowhere, and that revocation records and badge "
                    "class lists agree with the records. Exit status 1 when anything is wrong.")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    report = context.store().check()
    if context.json:
        context.print_json(report)
    elif report["problemCount"] == 0:
        context.say(f"OK: {report['assertions']:,} assertions; every index agrees with the records")
    else:
        for problem in report["problems"]:
            context.say(f"- {problem}")
        listed = len(report["problems"])
        more = report["problemCount"] - listed
        context.say(f"{report['problemCount']:,} problems in {report['assertions']:,} assertions"
                    + (f" ({more:,} more not listed)" if more else ""))
    return 0 if report["problemCount"] == 0 else 1
