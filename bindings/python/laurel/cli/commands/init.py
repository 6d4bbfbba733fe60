"""laurel init: create the store (a data directory, or the schema in a PostgreSQL database) or
migrate a database's schema to this version of Laurel."""

from __future__ import annotations

import argparse
import os

from ...store import init_store
from .._common import Context

ORDER = 10


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "init", parents=[common], help="create an empty store, or migrate a database's schema",
        description="Create the store in --data: an empty store in a directory, or the store's "
                    "schema in a PostgreSQL database (--data postgresql://...), whose older "
                    "layout it migrates to this version (nodes refuse an older layout until "
                    "then). Safe to repeat.")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    outcome = init_store(context.data_dir)  # "created", "migrated from version N", "up to date"
    where = context.shown_data if context.data_is_url else os.path.abspath(context.data_dir)
    if context.json:
        context.print_json({"path": where, "created": outcome == "created", "result": outcome})
    elif outcome == "created":
        context.say(f"Created an empty Laurel store in {where}")
    elif outcome == "up to date":
        context.say(f"Laurel store already in {where}")
    else:
        context.say(f"Laurel store in {where}: {outcome}")
    return 0
