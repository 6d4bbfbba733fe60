"""laurel event create|list|show|update|delete|add|assertions: events and the assertions
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

    members = actions.add_parser("assertions", parents=[common],
                                 help="list the assertions awarded at an event")
    members.add_argument("id", metavar="ID")
    members.add_argument("--include-revoked", action="store_true")
    members.set_defaults(run=run_assertions)


def run_add(context: Any) -> int:
    added = events.add_assertions(context.store(), context.args.id, context.args.assertions)
    if context.json:
        context.print_json(added)
    else:
        context.say(f"{len(added)} assertion(s) grouped under {context.args.id}")
    return 0


def run_assertions(context: Any) -> int:
    found = events.event_assertions(context.store(), context.args.id,
                                    include_revoked=context.args.include_revoked)
    if context.json:
        context.print_list([assertion.to_dict() for assertion in found])
    else:
        context.print_table(["id", "badge class", "recipient", "issued", "revoked"],
                            [[a.entity_id, a.badgeclass, a.recipient.plaintext_identity,
                              a.issued_on, "yes" if a.revoked else ""] for a in found],
                            title=f"{len(found)} assertion(s)")
    return 0
