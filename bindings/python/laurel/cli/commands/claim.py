"""laurel claim set|show|remove|list|check|award: claimable badge classes (laurel.claims)."""

from __future__ import annotations

import argparse

from ... import claims
from .._common import Context
from ..records import register_kind

ORDER = 45


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(
        subparsers, common, claims.CLAIMABLE,
        "A claimable badge class lists qualifying badge classes; a recipient who holds valid "
        "(unexpired, unrevoked) assertions of all of them is awarded it on claiming.")
    for name, run, text in (("check", run_check, "what a recipient still misses"),
                            ("award", run_award, "claim the badge class for a recipient")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("badge", metavar="BADGE")
        action.add_argument("identity", nargs="+", metavar="EMAIL",
                            help="the recipient's email (more: other emails of the same person; "
                                 "the award goes to the first)")
        action.set_defaults(run=run)


def run_check(context: Context) -> int:
    args = context.args
    missing = claims.missing_badges(context.store(), args.badge, args.identity)
    if context.json:
        context.print_json({"badgeclass": args.badge, "qualifies": not missing,
                            "missing": missing})
    else:
        context.say("qualifies" if not missing else "missing: " + ", ".join(missing))
    return 0 if not missing else 1


def run_award(context: Context) -> int:
    args = context.args
    assertion = claims.claim(context.store(), args.badge, args.identity)
    if context.json:
        context.print_json(assertion.to_dict())
    else:
        context.say(f"Awarded {assertion.entity_id} to {args.identity[0]}")
    return 0
