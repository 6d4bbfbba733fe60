"""laurel jwks ISSUER: an issuer's public keys as a JWK Set (laurel.jwk)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import jwk

ORDER = 76


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "jwks", parents=[common], help="print an issuer's public keys as a JWK Set",
        description="The issuer's signing keys (public parts only) as a JSON Web Key Set, for "
                    "JOSE tools that check Laurel's signatures.")
    parser.add_argument("issuer", metavar="ISSUER", help="issuer entityId")
    parser.add_argument("--active", action="store_true", help="leave out retired keys")
    parser.set_defaults(run=run)


def run(context: Any) -> int:
    context.json = True
    context.print_json(jwk.issuer_jwks(context.store(), context.args.issuer,
                                       include_retired=not context.args.active))
    return 0
