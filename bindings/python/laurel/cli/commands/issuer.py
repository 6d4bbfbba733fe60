"""laurel issuer create|list|show."""

from __future__ import annotations

import argparse

from .._common import Context, entity_fields

ORDER = 20


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("issuer", parents=[common], help="create, list or show issuers",
                                   description="Issuers: the organisations that award badges.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser("create", parents=[common], help="create an issuer")
    create.add_argument("--name", required=True)
    create.add_argument("--email", required=True, help="contact email")
    create.add_argument("--url", required=True, help="home page (http or https)")
    create.add_argument("--description")
    create.add_argument("--image", help="image URL or data: URI")
    create.set_defaults(run=run_create)

    listing = actions.add_parser("list", parents=[common], help="list issuers")
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", parents=[common], help="show one issuer")
    show.add_argument("id", metavar="ID")
    show.set_defaults(run=run_show)


def _show(context: Context, data: dict) -> None:
    if context.json:
        context.print_json(data)
    else:
        context.print_fields(entity_fields(data), title=f"Issuer {data['entityId']}")


def run_create(context: Context) -> int:
    args = context.args
    issuer = context.store().create_issuer(args.name, args.email, args.url, args.description,
                                           args.image)
    _show(context, issuer.to_dict())
    return 0


def run_list(context: Context) -> int:
    issuers = context.store().list_issuers()
    if context.json:
        context.print_list([issuer.to_dict() for issuer in issuers])
    else:
        context.print_table(["id", "name", "email", "url", "created"],
                            [[i.entity_id, i.name, i.email, i.url, i.created_at] for i in issuers],
                            title=f"{len(issuers)} issuer(s)")
    return 0


def run_show(context: Context) -> int:
    _show(context, context.store().get_issuer(context.args.id).to_dict())
    return 0
