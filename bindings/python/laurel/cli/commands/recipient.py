"""laurel recipient create|list|show|update|delete|assertions: an issuer's recipients
(laurel.recipients). Registration links are the REST service's (they need mail)."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import recipients

ORDER = 42

_OPTIONS = (("--name", "name"), ("--email", "email"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("recipient", parents=[common],
                                   help="an issuer's recipients",
                                   description="Recipients: the people an issuer awards to.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help="create a recipient")
    create.add_argument("--issuer", required=True, metavar="ID", help="issuer entityId")
    update = actions.add_parser("update", parents=[common], help="change a recipient")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for option, field in _OPTIONS:
            action.add_argument(option, dest=field, metavar="TEXT")
    create.set_defaults(run=run_create)
    update.set_defaults(run=run_update)
    listing = actions.add_parser("list", parents=[common], help="list recipients")
    listing.add_argument("--issuer", metavar="ID", help="only this issuer's")
    listing.set_defaults(run=run_list)
    for name, run, text in (("show", run_show, "show a recipient"),
                            ("delete", run_delete, "delete a recipient record"),
                            ("assertions", run_assertions, "the issuer's badges to them")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=run)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {field: getattr(args, field) for _, field in _OPTIONS
            if getattr(args, field) is not None}


def _show(context: Any, record: dict) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", "issuer", "name", "email", "registered")],
                             title=f"Recipient {record['entityId']}")


def run_create(context: Any) -> int:
    _show(context, recipients.create_recipient(context.store(), context.args.issuer,
                                               _given(context.args)))
    return 0


def run_update(context: Any) -> int:
    _show(context, recipients.update_recipient(context.store(), context.args.id,
                                               _given(context.args)))
    return 0


def run_list(context: Any) -> int:
    records = recipients.list_recipients(context.store(), context.args.issuer)
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["id", "name", "email", "registered"],
                            [[r["entityId"], r.get("name"), r["email"],
                              "yes" if r.get("registered") else "no"] for r in records],
                            title=f"{len(records)} recipient(s)")
    return 0


def run_show(context: Any) -> int:
    _show(context, recipients.get_recipient(context.store(), context.args.id))
    return 0


def run_delete(context: Any) -> int:
    recipients.delete_recipient(context.store(), context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted recipient {context.args.id}")
    return 0


def run_assertions(context: Any) -> int:
    found = recipients.recipient_assertions(context.store(), context.args.id)
    if context.json:
        context.print_list([assertion.to_dict() for assertion in found])
    else:
        context.print_table(["id", "badge class", "issued"],
                            [[a.entity_id, a.badgeclass, a.issued_on] for a in found],
                            title=f"{len(found)} assertion(s)")
    return 0
