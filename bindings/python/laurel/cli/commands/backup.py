"""laurel backup DEST: an online, consistent, compacted copy of the store."""

from __future__ import annotations

import argparse
import os
import time

from .._common import Context

ORDER = 81


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "backup", parents=[common], help="copy the store while it serves (consistent, compacted)",
        description="Copy the store into DEST while others go on reading and writing: the copy "
                    "holds every write committed before it began, leaves free pages out, and is "
                    "itself a store (restore by opening it: --data DEST, or copy it back).")
    parser.add_argument("destination", metavar="DEST",
                        help="directory for the copy (created; must not hold a store)")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    destination = context.args.destination
    started = time.monotonic()
    context.store().backup(destination)
    size = os.path.getsize(os.path.join(destination, "data.mdb"))
    seconds = time.monotonic() - started
    if context.json:
        context.print_json({"destination": os.path.abspath(destination), "bytes": size,
                            "seconds": round(seconds, 3)})
    else:
        context.say(f"Backed up to {os.path.abspath(destination)} "
                    f"({size / (1 << 20):,.1f} MiB in {seconds:.1f} s); "
                    f"open it with --data {destination}")
    return 0
