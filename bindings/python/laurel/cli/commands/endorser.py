"""laurel endorser create|list|show|update|register|delete: endorsers (laurel.endorsements).
Locally there is no mail: `register` completes an endorser's registration directly."""

from __future__ import annotations

import argparse
from typing import Any

from ... import endorsements
from ..records import register_kind, show

ORDER = 57


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(subparsers, common, endorsements.ENDORSER,
                            "Endorsers make Open Badges 2.0 endorsements once registered.")
    action = actions.add_parser("register", parents=[common],
                                help="complete an endorser's registration")
    action.add_argument("id", metavar="ID")
    action.set_defaults(run=run_register)


def run_register(context: Any) -> int:
    show(context, endorsements.ENDORSER,
         endorsements.register_endorser(context.store(), context.args.id))
    return 0
