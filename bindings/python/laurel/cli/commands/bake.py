"""laurel bake: an assertion baked into its badge image (PNG or SVG)."""

from __future__ import annotations

import argparse

from ...signing import KEY_ALGORITHMS
from ...verification import bake
from .._common import Context, UserError
from .._public import add_base_url_option, base_url

ORDER = 72


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "bake", parents=[common], help="bake an assertion into a PNG or SVG image",
        description="Write IN with the assertion baked in (Open Badges 2.0 baking: an iTXt "
                    "chunk 'openbadges' in a PNG, <openbadges:assertion> in an SVG). By "
                    "default the hosted assertion document, whose id is under --base-url; "
                    "with --signed a JWS signed with the issuer's key.")
    parser.add_argument("--assertion", required=True, metavar="ID", help="assertion entityId")
    parser.add_argument("--image", required=True, metavar="IN", help="PNG or SVG badge image")
    parser.add_argument("--out", required=True, metavar="OUT", help="where to write the image")
    add_base_url_option(parser)
    parser.add_argument("--signed", action="store_true",
                        help="bake a signed assertion (JWS) instead of the hosted document")
    parser.add_argument("--alg", choices=KEY_ALGORITHMS, default="RS256",
                        help="key algorithm for --signed (default RS256)")
    parser.set_defaults(run=run)


def run(context: Context) -> int:
    args = context.args
    try:
        with open(args.image, "rb") as image_file:
            image = image_file.read()
    except FileNotFoundError:
        raise UserError(f"{args.image}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{args.image}: is a directory") from None
    store = context.store()
    url = base_url(args)
    if args.signed:
        badge = store.sign(args.assertion, url, args.alg)
    else:
        badge = store.public_document("assertion", args.assertion, url)
    baked = bake(image, badge)
    with open(args.out, "wb") as out:
        out.write(baked)
    if context.json:
        context.print_json({"assertion": args.assertion, "out": args.out, "bytes": len(baked),
                            "signed": args.signed})
    else:
        context.say(f"Baked assertion {args.assertion} into {args.out} ({len(baked)} bytes)")
    return 0
