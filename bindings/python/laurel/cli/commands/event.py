"""laurel event create|list|show|update|delete|assertions|add: events and the assertions
awarded at them (laurel.events)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import events
from ..records import register_kind

ORDER = 56


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(
        subparsers, common, events.EVENT,
        "An issuer's events (name, dates, location, url) grouping assertions.")
    add = actions.add_parser("add", parents=[common], help="group assertions under an event")
    add.add_argument("id", metavar="ID")
    add.add_argument("assertions", nargs="+", metavar="ASSERTION")
    add.set_defaults(run=run_add)


def run_add(context: Any) -> int:
    added = events.add_assertions(context.store(), context.args.id, context.args.assertions)
    if context.json:
        context.print_json(added)
    else:
        context.say(f"{len(added)} assertion(s) grouped under {context.args.id}")
    return 0
