"""laurel claim set|show|remove|list|check|award: claimable badge classes (laurel.claims)."""

from __future__ import annotations

import argparse

from ... import claims
from .._common import Context, UserError

ORDER = 45


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "claim", parents=[common], help="claimable badge classes and their qualifying badges",
        description="A claimable badge class lists qualifying badge classes; a recipient who "
                    "holds valid (unexpired, unrevoked) assertions of all of them is awarded "
                    "it on claiming.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    set_ = actions.add_parser("set", parents=[common], help="make a badge class claimable")
    set_.add_argument("badge", metavar="BADGE", help="the claimable badge class entityId")
    set_.add_argument("qualifying", nargs="+", metavar="QUALIFYING",
                      help="entityIds of the qualifying badge classes")
    set_.set_defaults(run=run_set)

    show = actions.add_parser("show", parents=[common], help="show a badge class's qualifying list")
    show.add_argument("badge", metavar="BADGE")
    show.set_defaults(run=run_show)

    remove = actions.add_parser("remove", parents=[common],
                                help="make a badge class no longer claimable")
    remove.add_argument("badge", metavar="BADGE")
    remove.set_defaults(run=run_remove)

    listing = actions.add_parser("list", parents=[common], help="list claimable badge classes")
    listing.set_defaults(run=run_list)

    for name, run, text in (("check", run_check, "what a recipient still misses"),
                            ("award", run_award, "claim the badge class for a recipient")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("badge", metavar="BADGE")
        action.add_argument("identity", nargs="+", metavar="EMAIL",
                            help="the recipient's email (more: other emails of the same person; "
                                 "the award goes to the first)")
        action.set_defaults(run=run)


def _show(context: Context, record: dict) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([["badge class", record["badgeclass"]],
                              ["qualifying", ", ".join(record["qualifying"])],
                              ["updated", record.get("updatedAt")]],
                             title="Claimable badge class")


def run_set(context: Context) -> int:
    args = context.args
    _show(context, claims.set_qualifying(context.store(), args.badge, args.qualifying))
    return 0


def run_show(context: Context) -> int:
    _show(context, claims.get_qualifying(context.store(), context.args.badge))
    return 0


def run_remove(context: Context) -> int:
    if not claims.remove_qualifying(context.store(), context.args.badge):
        raise UserError(f"{context.args.badge}: the badge class is not claimable")
    if context.json:
        context.print_json({"badgeclass": context.args.badge, "removed": True})
    else:
        context.say(f"{context.args.badge} is no longer claimable")
    return 0


def run_list(context: Context) -> int:
    records = claims.list_claimable(context.store())
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["badge class", "qualifying"],
                            [[r["badgeclass"], ", ".join(r["qualifying"])] for r in records],
                            title=f"{len(records)} claimable badge class(es)")
    return 0


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
