"""laurel credential ID [--format vc-jwt|data-integrity] [--alg EdDSA|RS256|ES256]: an award as
an OB 3.0 credential."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ...signing import KEY_ALGORITHMS
from .._public import add_base_url_option, base_url

ORDER = 73
FORMATS = ("vc-jwt", "data-integrity")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "credential", parents=[common],
        help="print an award as an Open Badges 3.0 credential (VC-JWT or Data Integrity)",
        description="The assertion as an OpenBadgeCredential signed with its issuer's key of "
                    "--alg. vc-jwt (default) prints the compact VC-JWT as a JSON string; "
                    "data-integrity prints the credential with its embedded eddsa-rdfc-2022 "
                    "proof, whose key the issuer's OB 3.0 Profile under --base-url names.")
    parser.add_argument("assertion", metavar="ID", help="assertion entityId")
    parser.add_argument("--format", choices=FORMATS, default="vc-jwt",
                        help="how the credential is secured (default: vc-jwt)")
    parser.add_argument("--alg", choices=KEY_ALGORITHMS, default="EdDSA",
                        help="the VC-JWT's key: EdDSA (default), RS256 or ES256; "
                             "data-integrity is EdDSA only")
    add_base_url_option(parser)
    parser.set_defaults(run=run)


def run(context: Any) -> int:
    args = context.args
    text = context.store().credential(args.assertion, base_url(args), format=args.format,
                                      alg=args.alg)
    context.print_json(json.loads(text) if args.format == "data-integrity" else text)
    return 0
