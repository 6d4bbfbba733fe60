"""laurel endorser create|list|show|update|register|delete: endorsers (laurel.endorsements).
Locally there is no mail: `register` completes an endorser's registration directly."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import endorsements

ORDER = 57

_OPTIONS = (("--name", "name"), ("--email", "email"), ("--url", "url"),
            ("--description", "description"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "endorser", parents=[common], help="endorsers: profiles that endorse badges",
        description="Endorsers make Open Badges 2.0 endorsements once registered.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help="create an endorser")
    update = actions.add_parser("update", parents=[common], help="change an endorser")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for option, field in _OPTIONS:
            action.add_argument(option, dest=field, metavar="TEXT")
    create.set_defaults(run=run_create)
    update.set_defaults(run=run_update)
    listing = actions.add_parser("list", parents=[common], help="list endorsers")
    listing.set_defaults(run=run_list)
    for name, run, text in (("show", run_show, "show an endorser"),
                            ("register", run_register, "complete an endorser's registration"),
                            ("delete", run_delete, "delete an endorser and its endorsements")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=run)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {field: (getattr(args, field) or None) for _, field in _OPTIONS
            if getattr(args, field) is not None}


def _show(context: Any, record: dict) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", *endorsements.ENDORSER_FIELDS, "registered")],
                             title=f"Endorser {record['entityId']}")


def run_create(context: Any) -> int:
    _show(context, endorsements.create_endorser(context.store(), _given(context.args)))
    return 0


def run_update(context: Any) -> int:
    _show(context, endorsements.update_endorser(context.store(), context.args.id,
                                                _given(context.args)))
    return 0


def run_list(context: Any) -> int:
    records = endorsements.list_endorsers(context.store())
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["id", "name", "email", "registered"],
                            [[r["entityId"], r["name"], r["email"],
                              "yes" if r.get("registered") else "no"] for r in records],
                            title=f"{len(records)} endorser(s)")
    return 0


def run_show(context: Any) -> int:
    _show(context, endorsements.get_endorser(context.store(), context.args.id))
    return 0


def run_register(context: Any) -> int:
    _show(context, endorsements.register_endorser(context.store(), context.args.id))
    return 0


def run_delete(context: Any) -> int:
    endorsements.delete_endorser(context.store(), context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted endorser {context.args.id}")
    return 0
