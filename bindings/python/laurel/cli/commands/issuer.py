"""laurel issuer create|update|list|show."""

from __future__ import annotations

import argparse
from typing import Optional

from .._common import Context, entity_fields

ORDER = 20
STATUS_FORMS = ("bitstring", "1edtech", "both")


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
    _ob3_options(create, default_status="bitstring")
    create.set_defaults(run=run_create)

    update = actions.add_parser("update", parents=[common],
                                help="change an issuer's Open Badges 3.0 settings")
    update.add_argument("id", metavar="ID")
    _ob3_options(update, default_status=None)
    update.set_defaults(run=run_update, parser=update)

    listing = actions.add_parser("list", parents=[common], help="list issuers")
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", parents=[common], help="show one issuer")
    show.add_argument("id", metavar="ID")
    show.set_defaults(run=run_show)


def _ob3_options(parser: argparse.ArgumentParser, default_status: Optional[str]) -> None:
    parser.add_argument("--did-web", action=argparse.BooleanOptionalAction,
                        default=False if default_status else None,
                        help="name the issuer in OB 3.0 credentials by the did:web of its "
                             "Profile URL (needs an https --base-url; laurel serve publishes "
                             "the DID document)")
    parser.add_argument("--credential-status", choices=STATUS_FORMS, default=default_status,
                        help="the credentialStatus of its OB 3.0 credentials: a "
                             "BitstringStatusListEntry (bitstring, the default), a "
                             "1EdTechRevocationList entry (1edtech) or both")


def _show(context: Context, data: dict) -> None:
    if context.json:
        context.print_json(data)
    else:
        context.print_fields(entity_fields(data), title=f"Issuer {data['entityId']}")


def run_create(context: Context) -> int:
    args = context.args
    issuer = context.store().create_issuer(args.name, args.email, args.url, args.description,
                                           args.image, did_web=args.did_web,
                                           credential_status=args.credential_status)
    _show(context, issuer.to_dict())
    return 0


def run_update(context: Context) -> int:
    args = context.args
    fields = {"did_web": args.did_web, "credential_status": args.credential_status}
    changes = {name: value for name, value in fields.items() if value is not None}
    if not changes:
        args.parser.error("give --did-web, --no-did-web or --credential-status")
    _show(context, context.store().update_issuer(args.id, **changes).to_dict())
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
