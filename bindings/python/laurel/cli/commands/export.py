"""laurel export: every issuer, badge class and assertion as JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import IO

from ... import _core
from .._common import Context, UserError

ORDER = 70


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export", parents=[common], help="export everything as JSON lines",
        description="Write issuers, then badge classes, then assertions (revoked and expired "
                    "included), one Badgr v2 JSON object per line (canonical JSON; "
                    "'entityType' tells them apart).")
    parser.add_argument("--issuer", metavar="ID", help="only this issuer and its badges")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    parser.set_defaults(run=run)


def _write(store, issuer_id: str, out: IO[str]) -> int:
    issuers = [store.get_issuer(issuer_id)] if issuer_id else store.list_issuers()
    count = 0
    for issuer in issuers:
        out.write(_core.canonical_json(issuer.to_dict()) + "\n")
        count += 1
    for issuer in issuers:
        for badge in store.list_badgeclasses(issuer.entity_id):
            out.write(_core.canonical_json(badge.to_dict()) + "\n")
            count += 1
    for issuer in issuers:
        for assertion in store.iter_assertions(issuer.entity_id, include_revoked=True,
                                               include_expired=True):
            out.write(_core.canonical_json(assertion.to_dict()) + "\n")
            count += 1
    return count


def run(context: Context) -> int:
    args = context.args
    store = context.store()
    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8")
        except OSError as error:
            raise UserError(f"{args.output}: {error.strerror}") from None
        with out:
            count = _write(store, args.issuer, out)
        context.note(f"Exported {count} objects to {args.output}")
    else:
        _write(store, args.issuer, sys.stdout)
    return 0
