"""laurel verify: check a badge (JSON, JWS or baked image) with the engine's one verifier.

The verifier does no network I/O: the documents the badge links to (badge class, issuer,
CryptographicKey, RevocationList) are given with ``--documents``, each either

* a directory: every ``*.json`` file directly in it that holds a JSON object with an ``id`` is
  the document at that URL (``laurel export --ob2`` writes such directories), or
* a JSON file: an object mapping URLs to documents (``{"https://...": {...}, ...}``), or a single
  document with an ``id``.

``--documents`` may be repeated. Exit code 0 when the badge is valid, 1 when it is not (or the
input cannot be read).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List

from ...verification import verify
from .._common import Context, UserError

ORDER = 71
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "verify", parents=[common], help="verify a badge (JSON, JWS, PNG or SVG)",
        description="Verify an Open Badge: a hosted assertion (JSON), a signed assertion or "
                    "VC-JWT (compact JWS), or a baked PNG/SVG. Prints every check; exit code 0 "
                    "when valid, 1 when not. No network access: give the documents the badge "
                    "links to with --documents.",
        epilog="--documents DIR reads every *.json in DIR holding an object with an 'id' (as "
               "'laurel export --ob2' writes them); --documents FILE.json reads a map "
               "{url: document} or one document. Repeat it to combine sources.")
    parser.add_argument("file", metavar="FILE", help="the badge; - reads standard input")
    parser.add_argument("--recipient", metavar="EMAIL",
                        help="check that the badge was awarded to this identity")
    parser.add_argument("--recipient-type", choices=("email", "url", "telephone", "id"),
                        help="type of --recipient (default: the type the badge declares)")
    parser.add_argument("--documents", action="append", default=[], metavar="DIR_OR_JSON",
                        help="linked documents: a directory of *.json documents or a JSON file "
                             "(a {url: document} map or one document); repeatable")
    parser.set_defaults(run=run)


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a directory") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None


def _badge_input(data: bytes) -> Any:
    """Images as bytes; text (JSON or a JWS) without the surrounding whitespace editors add."""
    if data.startswith(_PNG_MAGIC) or b"<svg" in data[:4096]:
        return data
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return data  # the verifier reports it (invalid UTF-8)


def _json_file(path: str) -> Any:
    try:
        return json.loads(_read(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UserError(f"{path}: not JSON ({error})") from None


def _add_documents(source: str, documents: Dict[str, Any]) -> None:
    if os.path.isdir(source):
        found = 0
        for name in sorted(os.listdir(source)):
            path = os.path.join(source, name)
            if not name.endswith(".json") or not os.path.isfile(path):
                continue
            document = _json_file(path)
            if isinstance(document, dict) and isinstance(document.get("id"), str):
                documents[document["id"]] = document
                found += 1
        if found == 0:
            raise UserError(f"{source}: no JSON documents with an 'id' in this directory")
        return
    if not os.path.exists(source):
        raise UserError(f"{source}: no such file or directory")
    loaded = _json_file(source)
    if isinstance(loaded, dict) and loaded and all("://" in key for key in loaded):
        for url, document in loaded.items():
            if not isinstance(document, (dict, str)):
                raise UserError(f"{source}: the document for {url} is not an object or a string")
            documents[url] = document
    elif isinstance(loaded, dict) and isinstance(loaded.get("id"), str):
        documents[loaded["id"]] = loaded
    else:
        raise UserError(f"{source}: expected a {{url: document}} map or a document with an 'id'")


def _print_report(context: Context, report: Dict[str, Any]) -> None:
    width = max((len(check["name"]) for check in report["checks"]), default=0)
    for check in report["checks"]:
        mark = "ok  " if check["ok"] else "FAIL"
        context.say(f"  {mark}  {check['name']:<{width}}  {check['message']}")
    for warning in report["warnings"]:
        context.say(f"  warn  {warning}")
    badge = report.get("badge") or {}
    if isinstance(badge, dict) and badge.get("id"):
        name = badge.get("name")
        context.say("Badge: " + (f"{name} " if name else "") + str(badge["id"]))
    if report.get("recipientMatch") is not None:
        context.say("Recipient: " + ("matches" if report["recipientMatch"] else "does NOT match"))
    context.say("VALID" if report["valid"] else
                f"INVALID ({len(report['errors'])} failed check(s))")


def run(context: Context) -> int:
    args = context.args
    subject = _badge_input(_read(args.file))
    documents: Dict[str, Any] = {}
    for source in args.documents:
        _add_documents(source, documents)
    report = verify(subject, documents=documents, recipient=args.recipient,
                    recipient_type=args.recipient_type)
    if context.json:
        context.print_json(report)
    else:
        _print_report(context, report)
    return 0 if report["valid"] else 1


__all__: List[str] = ["register", "run"]
