"""laurel recipient create|list|show|update|delete|assertions: an issuer's recipients
(laurel.recipients). Registration links are the REST service's (they need mail)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import recipients
from ..records import register_kind

ORDER = 42


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(subparsers, common, recipients.RECIPIENT,
                            "Recipients: the people an issuer awards to.")
    action = actions.add_parser("assertions", parents=[common], help="the issuer's badges to them")
    action.add_argument("id", metavar="ID")
    action.set_defaults(run=run_assertions)


def run_assertions(context: Any) -> int:
    found = recipients.recipient_assertions(context.store(), context.args.id)
    if context.json:
        context.print_list([assertion.to_dict() for assertion in found])
    else:
        context.print_table(["id", "badge class", "issued"],
                            [[a.entity_id, a.badgeclass, a.issued_on] for a in found],
                            title=f"{len(found)} assertion(s)")
    return 0
