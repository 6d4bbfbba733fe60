"""laurel init: create the data directory and an empty store."""

from __future__ import annotations

import argparse
import os

from .._common import Context

ORDER = 10


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("init", parents=[common], help="create an empty store",
                                   description="Create the store in --data (safe to repeat).")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    existed = context.store_exists()
    store = context.store(create=True)
    path = os.path.abspath(store.path)
    if context.json:
        context.print_json({"path": path, "created": not existed})
    elif existed:
        context.say(f"Laurel store already in {path}")
    else:
        context.say(f"Created an empty Laurel store in {path}")
    return 0
