"""laurel export: every issuer, badge class and assertion as JSON lines; with --ob2 DIR as
Open Badges 2.0 documents, one directory per awarded badge; with --ob3 DIR as Open Badges 3.0
credentials (VC-JWT) and the documents that verify them offline."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import IO, Dict

from ... import _core
from .._common import Context, UserError
from .._public import add_base_url_option, base_url

ORDER = 70


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "export", parents=[common], help="export everything as JSON lines",
        description="Write issuers, then badge classes, then assertions (revoked and expired "
                    "included), one Badgr v2 JSON object per line (canonical JSON; "
                    "'entityType' tells them apart).")
    parser.add_argument("--issuer", metavar="ID", help="only this issuer and its badges")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default stdout)")
    parser.add_argument("--ob2", metavar="DIR",
                        help="instead, write Open Badges 2.0 documents: DIR/<assertion id>/ "
                             "with issuer.json, badgeclass.json, assertion.json, "
                             "revocations.json and key-<keyId>.json for each of the issuer's "
                             "public keys (ids under --base-url), ready for "
                             "'laurel verify DIR/<id>/assertion.json --documents DIR/<id>'")
    parser.add_argument("--ob3", metavar="DIR",
                        help="instead, write Open Badges 3.0 credentials: DIR/credentials/"
                             "<assertion id>.jwt for every unrevoked assertion (signed in one "
                             "batch on every core) and DIR/documents.json, the issuer Profiles, "
                             "JWK Sets, Achievements and signed status lists by URL, ready for "
                             "'laurel verify DIR/credentials/<id>.jwt --documents "
                             "DIR/documents.json'")
    add_base_url_option(parser)
    parser.set_defaults(run=run, parser=parser)


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
    # Assertions stream from the core in constant memory, written straight to the file.
    out.flush()
    return count + store.export_assertions(out, issuer_id or None)


def _write_json(path: str, document: dict) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _write_ob2(store, issuer_id: str, directory: str, url: str) -> int:
    """One directory per assertion (revoked ones included: their documents say so). Shared
    documents are built once per issuer and badge class."""
    issuers = [store.get_issuer(issuer_id)] if issuer_id else store.list_issuers()
    os.makedirs(directory, exist_ok=True)
    count = 0
    for issuer in issuers:
        issuer_document = store.public_document("issuer", issuer.entity_id, url)
        revocations = store.public_document("revocation_list", issuer.entity_id, url)
        # Every key, retired ones too: a badge signed before a rotation verifies with its key.
        keys = {key["keyId"]: store.public_document("key", key["keyId"], url)
                for key in store.list_keys(issuer.entity_id)}
        badgeclasses: Dict[str, dict] = {}
        for assertion in store.iter_assertions(issuer.entity_id, include_revoked=True,
                                               include_expired=True):
            if assertion.badgeclass not in badgeclasses:
                badgeclasses[assertion.badgeclass] = store.public_document(
                    "badgeclass", assertion.badgeclass, url)
            badge_dir = os.path.join(directory, assertion.entity_id)
            os.makedirs(badge_dir, exist_ok=True)
            _write_json(os.path.join(badge_dir, "issuer.json"), issuer_document)
            _write_json(os.path.join(badge_dir, "badgeclass.json"),
                        badgeclasses[assertion.badgeclass])
            _write_json(os.path.join(badge_dir, "assertion.json"),
                        store.public_document("assertion", assertion.entity_id, url))
            _write_json(os.path.join(badge_dir, "revocations.json"), revocations)
            for key_id, key_document in keys.items():
                _write_json(os.path.join(badge_dir, f"key-{key_id}.json"), key_document)
            count += 1
    return count


def _write_ob3(store, issuer_id: str, directory: str, url: str) -> Dict[str, int]:
    """Credentials of unrevoked assertions, and one documents.json for all of them."""
    issuers = [store.get_issuer(issuer_id)] if issuer_id else store.list_issuers()
    os.makedirs(os.path.join(directory, "credentials"), exist_ok=True)
    documents: Dict[str, object] = {}
    ids = []
    for issuer in issuers:
        # Keyed by the URLs they are served at (a did:web issuer's Profile has its DID as id).
        issuer_url = f"{url}/public/ob3/issuers/{issuer.entity_id}"
        documents[issuer_url] = store.public_document("ob3_issuer", issuer.entity_id, url)
        documents[f"{issuer_url}/jwks"] = store.public_document("ob3_jwks", issuer.entity_id, url)
        for badge in store.list_badgeclasses(issuer.entity_id):
            document = store.public_document("ob3_achievement", badge.entity_id, url)
            documents[document["id"]] = document
        ids.extend(assertion.entity_id for assertion in store.iter_assertions(
            issuer.entity_id, include_revoked=False, include_expired=True))
    made = store.credentials(ids, url)
    for item in made:
        if item["signed"]:
            with open(os.path.join(directory, "credentials", item["entityId"] + ".jwt"), "w",
                      encoding="ascii") as out:
                out.write(item["credential"] + "\n")
    # The status lists after signing: an issuer's first credential may have made its key.
    for issuer in issuers:
        for list_id in store.status_lists(issuer.entity_id):
            documents[f"{url}/public/ob3/issuers/{issuer.entity_id}/status/{list_id}"] = \
                store.status_list_credential(issuer.entity_id, list_id, url)
        # The Profile again, now listing any key made while signing; a did:web issuer's DID
        # document and a 1EdTech Revocation List where its credentials name them.
        issuer_url = f"{url}/public/ob3/issuers/{issuer.entity_id}"
        documents[issuer_url] = store.public_document("ob3_issuer", issuer.entity_id, url)
        if issuer.did_web:
            documents[f"{issuer_url}/did.json"] = store.public_document(
                "ob3_did", issuer.entity_id, url)
        if issuer.credential_status != "bitstring":
            documents[f"{issuer_url}/revocations"] = store.public_document(
                "ob3_revocation_list", issuer.entity_id, url)
    _write_json(os.path.join(directory, "documents.json"), documents)
    return {"credentials": sum(1 for item in made if item["signed"]),
            "skipped": sum(1 for item in made if not item["signed"])}


def run(context: Context) -> int:
    args = context.args
    if args.ob2 and args.ob3:
        args.parser.error("give --ob2 or --ob3, not both")
    if args.ob3:
        if args.output:
            args.parser.error("--ob3 writes a directory; it does not combine with --output")
        if os.path.exists(args.ob3) and not os.path.isdir(args.ob3):
            raise UserError(f"{args.ob3}: exists and is not a directory")
        counts = _write_ob3(context.store(), args.issuer, args.ob3, base_url(args))
        if context.json:
            context.print_json({"directory": args.ob3, **counts})
        else:
            context.say(f"Exported {counts['credentials']} Open Badges 3.0 credential(s) to "
                        f"{args.ob3} ({counts['skipped']} not signable)")
        return 0
    if args.ob2:
        if args.output:
            args.parser.error("--ob2 writes a directory; it does not combine with --output")
        if os.path.exists(args.ob2) and not os.path.isdir(args.ob2):
            raise UserError(f"{args.ob2}: exists and is not a directory")
        count = _write_ob2(context.store(), args.issuer, args.ob2, base_url(args))
        if context.json:
            context.print_json({"directory": args.ob2, "badges": count})
        else:
            context.say(f"Exported {count} badge(s) as Open Badges 2.0 documents to {args.ob2}")
        return 0
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
