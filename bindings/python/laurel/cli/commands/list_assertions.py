"""laurel list: assertions of an issuer, a badge class or a recipient, newest first."""

from __future__ import annotations

import argparse
import itertools

from .._common import Context, UserError

ORDER = 60


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "list", parents=[common], help="list assertions",
        description="List assertions, newest first: of a badge class (--badge), an issuer "
                    "(--issuer), a recipient (--recipient), or of every issuer (none given).")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--badge", metavar="ID", help="badge class entityId")
    scope.add_argument("--issuer", metavar="ID", help="issuer entityId")
    parser.add_argument("--recipient", metavar="IDENTITY", help="recipient email (or other id)")
    parser.add_argument("--recipient-type", default="email",
                        choices=["email", "url", "telephone", "id"])
    parser.add_argument("--include-revoked", action="store_true")
    parser.add_argument("--include-expired", action="store_true")
    parser.add_argument("--num", type=int, default=100, metavar="N",
                        help="page size, 1..1000 (default 100)")
    parser.add_argument("--after", metavar="CURSOR", help="next_cursor of the previous page")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    args = context.args
    store = context.store()
    if args.badge or args.issuer or args.recipient:
        page = store.list_assertions(issuer=args.issuer, badgeclass=args.badge,
                                     recipient=args.recipient,
                                     include_revoked=args.include_revoked,
                                     include_expired=args.include_expired, num=args.num,
                                     after=args.after, recipient_type=args.recipient_type)
        assertions, next_cursor = list(page), page.next_cursor
    else:
        if args.after:
            raise UserError("--after needs --badge, --issuer or --recipient")
        if args.num < 1:
            raise UserError("--num must be at least 1")
        walk = store.iter_assertions(include_revoked=args.include_revoked,
                                     include_expired=args.include_expired)
        assertions, next_cursor = list(itertools.islice(walk, args.num)), None

    if context.json:
        context.print_list([a.to_dict() for a in assertions], next_cursor)
        return 0
    names = {badge.entity_id: badge.name for badge in store.list_badgeclasses()}
    rows = []
    for a in assertions:
        recipient = a.recipient
        rows.append([a.entity_id, names.get(a.badgeclass, a.badgeclass),
                     recipient.plaintext_identity or recipient.identity, a.issued_on,
                     a.expires or "", f"revoked: {a.revocation_reason}" if a.revoked else ""])
    context.print_table(["id", "badge", "recipient", "issued on", "expires", "status"], rows,
                        title=f"{len(rows)} assertion(s)")
    if next_cursor:
        context.note(f"more: add --after {next_cursor}")
    return 0
