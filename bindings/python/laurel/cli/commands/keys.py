"""laurel keys create|list|rotate: an issuer's signing keys (public halves only)."""

from __future__ import annotations

import argparse

from ...signing import KEY_ALGORITHMS
from .._common import Context

ORDER = 75


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "keys", parents=[common], help="create, list or rotate an issuer's signing keys",
        description="Signing keys of an issuer: Ed25519 (EdDSA), RSA-2048 (RS256) and P-256 "
                    "(ES256). Private "
                    "keys stay in the store, encrypted under its key file keys.kek, or under "
                    "$LAUREL_PASSPHRASE when the store was set up with one; only public keys "
                    "are shown. Rotated keys stay published so older signed badges still "
                    "verify.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (("create", "create a key (refused if one of that alg is in use)"),
                            ("list", "list the issuer's keys, retired ones included"),
                            ("rotate", "retire the key in use and create its successor")):
        action = actions.add_parser(name, parents=[common], help=help_text)
        action.add_argument("--issuer", required=True, metavar="ID", help="issuer entityId")
        if name != "list":
            action.add_argument("--alg", choices=KEY_ALGORITHMS, default="RS256",
                                help="RS256 (OB 2.0 signed badges, default), EdDSA (OB 3.0 "
                                     "VC-JWT and Data Integrity) or ES256 (P-256 VC-JWT)")
        action.add_argument("--pem", action="store_true", help="also print the public keys (PEM)")
        action.set_defaults(run={"create": run_create, "list": run_list,
                                 "rotate": run_rotate}[name])


def _show(context: Context, keys: list, title: str) -> None:
    """With --json: `keys list` is a listing (one shape for every listing), a new key is the
    key object itself."""
    if context.json:
        if context.args.action == "list":
            context.print_list(keys)
        else:
            context.print_json(keys[0])
        return
    context.print_table(["keyId", "alg", "created", "retired"],
                        [[k["keyId"], k["alg"], k["createdAt"], k["retiredAt"] or "in use"]
                         for k in keys], title=title)
    if context.args.pem:
        for key in keys:
            context.say(f"{key['keyId']} ({key['alg']}):\n{key['publicKeyPem']}")


def run_create(context: Context) -> int:
    key = context.store().create_key(context.args.issuer, context.args.alg)
    _show(context, [key], f"Created {key['alg']} key {key['keyId']}")
    return 0


def run_list(context: Context) -> int:
    keys = context.store().list_keys(context.args.issuer)
    _show(context, keys, f"{len(keys)} key(s) of issuer {context.args.issuer}")
    return 0


def run_rotate(context: Context) -> int:
    key = context.store().rotate_key(context.args.issuer, context.args.alg)
    _show(context, [key], f"Rotated: {key['alg']} key {key['keyId']} is now in use")
    return 0
