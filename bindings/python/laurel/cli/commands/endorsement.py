"""laurel endorsement create|list|show|delete: Open Badges 2.0 endorsements
(laurel.endorsements)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import endorsements
from ..records import print_records, register_kind

ORDER = 58


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(
        subparsers, common, endorsements.ENDORSEMENT,
        "An endorser's claim about an issuer, a badge class or an assertion.",
        own=("list", "show"))
    create = actions.add_parser("create", parents=[common], help="endorse something")
    create.add_argument("--endorser", required=True, metavar="ID")
    create.add_argument("--type", required=True, choices=endorsements.TARGET_TYPES)
    create.add_argument("--id", required=True, metavar="ID", dest="target",
                        help="entityId of the issuer, badge class or assertion")
    create.add_argument("--comment", metavar="TEXT", help="endorsementComment")
    create.set_defaults(run=run_create)
    listing = actions.add_parser("list", parents=[common], help="list endorsements")
    listing.add_argument("--of", metavar="ID", help="only those of this entity")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", parents=[common],
                              help="print an endorsement's hosted OB 2.0 document")
    show.add_argument("id", metavar="ID")
    show.add_argument("--base-url", default="http://127.0.0.1:8000", metavar="URL",
                      help="the server's public URL (ids in the document)")
    show.set_defaults(run=run_show)


def run_create(context: Any) -> int:
    args = context.args
    record = endorsements.endorse(context.store(), args.endorser, args.type, args.target,
                                  args.comment)
    if context.json:
        context.print_json(record)
    else:
        context.say(f"Endorsement {record['entityId']} of {args.type} {args.target}")
    return 0


def run_list(context: Any) -> int:
    store = context.store()
    print_records(context, endorsements.ENDORSEMENT,
                  endorsements.endorsements_of(store, context.args.of) if context.args.of
                  else endorsements.list_endorsements(store))
    return 0


def run_show(context: Any) -> int:
    context.json = True
    context.print_json(endorsements.public_endorsement(context.store(), context.args.id,
                                                       context.args.base_url))
    return 0
