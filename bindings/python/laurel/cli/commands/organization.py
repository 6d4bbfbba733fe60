"""laurel organization create|list|show|update|delete|members|add-issuer|remove-issuer:
organizations that own issuers (laurel.organizations)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import organizations
from ..records import register_kind, show

ORDER = 25


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(
        subparsers, common, organizations.ORGANIZATION,
        "An organization's members (user:role) have their role on every issuer it owns, in "
        "the REST service.")
    members = actions.add_parser("members", parents=[common], help="replace the members")
    members.add_argument("id", metavar="ID")
    members.add_argument("members", nargs="+", metavar="USER:ROLE")
    members.set_defaults(run=lambda context: _show(context, organizations.set_members(
        context.store(), context.args.id,
        [organizations.parse_member(text) for text in context.args.members])))
    for name, change, text in (("add-issuer", organizations.add_issuer,
                                "the organization owns an issuer"),
                               ("remove-issuer", organizations.remove_issuer,
                                "release an issuer")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.add_argument("issuer", metavar="ISSUER")
        action.set_defaults(run=lambda context, change=change: _change_issuers(context, change))


def _show(context: Any, record: dict) -> int:
    show(context, organizations.ORGANIZATION, record)
    return 0


def _change_issuers(context: Any, change: Any) -> int:
    change(context.store(), context.args.id, context.args.issuer)
    return _show(context, organizations.get_organization(context.store(), context.args.id))
