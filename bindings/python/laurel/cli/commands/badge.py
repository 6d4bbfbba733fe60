"""laurel badge create|list|show: badge classes."""

from __future__ import annotations

import argparse

from .._common import Context, UserError, entity_fields

ORDER = 30


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser("badge", parents=[common],
                                   help="create, list or show badge classes",
                                   description="Badge classes: what an award awards.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser("create", parents=[common], help="create a badge class")
    create.add_argument("--issuer", required=True, metavar="ID", help="issuer entityId")
    create.add_argument("--name", required=True)
    create.add_argument("--description", required=True)
    create.add_argument("--image", help="image URL or data: URI")
    create.add_argument("--criteria-url")
    create.add_argument("--criteria-narrative")
    create.add_argument("--tag", action="append", default=[], metavar="TAG",
                        help="a tag (repeat for more)")
    create.add_argument("--alignment", action="append", default=[], nargs=2,
                        metavar=("NAME", "URL"), help="an alignment (repeat for more)")
    create.add_argument("--expires", nargs=2, metavar=("AMOUNT", "UNIT"),
                        help="default validity, e.g. --expires 2 years "
                             "(days, weeks, months, years)")
    create.set_defaults(run=run_create)

    listing = actions.add_parser("list", parents=[common], help="list badge classes")
    listing.add_argument("--issuer", metavar="ID", help="only this issuer's")
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", parents=[common], help="show one badge class")
    show.add_argument("id", metavar="ID")
    show.set_defaults(run=run_show)


def _show(context: Context, data: dict) -> None:
    if context.json:
        context.print_json(data)
    else:
        context.print_fields(entity_fields(data), title=f"Badge class {data['entityId']}")


def run_create(context: Context) -> int:
    args = context.args
    expires = None
    if args.expires:
        amount, unit = args.expires
        try:
            expires = {"amount": int(amount), "duration": unit}
        except ValueError:
            raise UserError(f"--expires: {amount!r} is not a whole number") from None
    alignments = [{"targetName": name, "targetUrl": url} for name, url in args.alignment]
    badge = context.store().create_badgeclass(
        args.issuer, args.name, args.description, image=args.image,
        criteria_url=args.criteria_url, criteria_narrative=args.criteria_narrative,
        alignments=alignments, tags=args.tag, expires=expires)
    _show(context, badge.to_dict())
    return 0


def run_list(context: Context) -> int:
    badges = context.store().list_badgeclasses(context.args.issuer)
    if context.json:
        context.print_list([badge.to_dict() for badge in badges])
    else:
        context.print_table(["id", "name", "issuer", "tags", "created"],
                            [[b.entity_id, b.name, b.issuer, ", ".join(b.tags), b.created_at]
                             for b in badges], title=f"{len(badges)} badge class(es)")
    return 0


def run_show(context: Context) -> int:
    _show(context, context.store().get_badgeclass(context.args.id).to_dict())
    return 0
