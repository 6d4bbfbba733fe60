"""laurel organization create|list|show|update|delete|members|add-issuer|remove-issuer:
organizations that own issuers (laurel.organizations)."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import organizations
from .._common import UserError

ORDER = 25

_OPTIONS = (("--name", "name"), ("--description", "description"), ("--url", "url"),
            ("--email", "email"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "organization", parents=[common], help="organizations that own issuers",
        description="An organization's members (user:role) have their role on every issuer "
                    "it owns, in the REST service.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help="create an organization")
    update = actions.add_parser("update", parents=[common], help="change an organization")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for option, field in _OPTIONS:
            action.add_argument(option, dest=field, metavar="TEXT")
    create.add_argument("--member", action="append", default=[], metavar="USER:ROLE",
                        help="a member (repeat); roles owner, editor, staff")
    create.set_defaults(run=run_create)
    update.set_defaults(run=run_update)
    listing = actions.add_parser("list", parents=[common], help="list organizations")
    listing.set_defaults(run=run_list)
    for name, run, text in (("show", run_show, "show an organization and its issuers"),
                            ("delete", run_delete, "delete an organization (issuers stay)")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=run)
    members = actions.add_parser("members", parents=[common], help="replace the members")
    members.add_argument("id", metavar="ID")
    members.add_argument("members", nargs="+", metavar="USER:ROLE")
    members.set_defaults(run=run_members)
    for name, run, text in (("add-issuer", run_add_issuer, "the organization owns an issuer"),
                            ("remove-issuer", run_remove_issuer, "release an issuer")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.add_argument("issuer", metavar="ISSUER")
        action.set_defaults(run=run)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {field: (getattr(args, field) or None) for _, field in _OPTIONS
            if getattr(args, field) is not None}


def _members(values: Any) -> list:
    members = []
    for value in values:
        user, separator, role = value.rpartition(":")
        if not separator or not user:
            raise UserError(f"{value!r}: give a member as USER:ROLE")
        members.append({"user": user, "role": role})
    return members


def _show(context: Any, record: dict) -> None:
    record = {**record, "issuers": organizations.issuers_of(context.store(), record["entityId"])}
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", *organizations.ORGANIZATION_FIELDS)]
                             + [["members", ", ".join(f"{m['user']}:{m['role']}"
                                                      for m in record["members"])],
                                ["issuers", ", ".join(record["issuers"])]],
                             title=f"Organization {record['entityId']}")


def run_create(context: Any) -> int:
    members = _members(context.args.member) if context.args.member else None
    _show(context, organizations.create_organization(context.store(), _given(context.args),
                                                     members=members))
    return 0


def run_update(context: Any) -> int:
    _show(context, organizations.update_organization(context.store(), context.args.id,
                                                     _given(context.args)))
    return 0


def run_members(context: Any) -> int:
    _show(context, organizations.set_members(context.store(), context.args.id,
                                             _members(context.args.members)))
    return 0


def run_list(context: Any) -> int:
    records = organizations.list_organizations(context.store())
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["id", "name", "members"],
                            [[r["entityId"], r["name"], len(r["members"])] for r in records],
                            title=f"{len(records)} organization(s)")
    return 0


def run_show(context: Any) -> int:
    _show(context, organizations.get_organization(context.store(), context.args.id))
    return 0


def run_delete(context: Any) -> int:
    organizations.delete_organization(context.store(), context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted organization {context.args.id}")
    return 0


def run_add_issuer(context: Any) -> int:
    organizations.add_issuer(context.store(), context.args.id, context.args.issuer)
    _show(context, organizations.get_organization(context.store(), context.args.id))
    return 0


def run_remove_issuer(context: Any) -> int:
    organizations.remove_issuer(context.store(), context.args.id, context.args.issuer)
    _show(context, organizations.get_organization(context.store(), context.args.id))
    return 0
