"""laurel alignment create|list|show|update|delete|attach|detach: alignment records
(laurel.alignments)."""

from __future__ import annotations

import argparse
from typing import Any

from ... import alignments
from ..records import register_kind, show

ORDER = 35


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    actions = register_kind(
        subparsers, common, alignments.ALIGNMENT,
        "An issuer's alignments (competencies, standards). Badge classes that reference one "
        "list it in their public document.")
    for name, run, text in (("attach", run_attach, "make a badge class reference it"),
                            ("detach", run_detach, "stop a badge class referencing it")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID", help="alignment entityId")
        action.add_argument("--badge", required=True, metavar="ID", help="badge class entityId")
        action.set_defaults(run=run)


def _show(context: Any, record: dict) -> None:
    show(context, alignments.ALIGNMENT, record)


def run_attach(context: Any) -> int:
    _show(context, alignments.attach(context.store(), context.args.badge, context.args.id))
    return 0


def run_detach(context: Any) -> int:
    _show(context, alignments.detach(context.store(), context.args.badge, context.args.id))
    return 0
