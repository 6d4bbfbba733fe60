"""laurel evidence list|add|update|delete: evidence items of an assertion (laurel.evidence)."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import evidence

ORDER = 55

_FIELDS = evidence.EVIDENCE_KEYS


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "evidence", parents=[common], help="list, add, update or delete an assertion's evidence",
        description="Evidence items of an assertion, named by position (0 is the first). Each "
                    "change is validated by the engine as an assertion update.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", parents=[common], help="list the evidence items")
    listing.add_argument("assertion", metavar="ASSERTION")
    listing.set_defaults(run=run_list)

    add = actions.add_parser("add", parents=[common], help="add an evidence item")
    add.add_argument("assertion", metavar="ASSERTION")
    update = actions.add_parser("update", parents=[common],
                                help="change keys of an evidence item ('' removes one)")
    update.add_argument("assertion", metavar="ASSERTION")
    update.add_argument("index", type=int, metavar="INDEX")
    for action in (add, update):
        for name in _FIELDS:
            action.add_argument(f"--{name}", metavar="TEXT")
    add.set_defaults(run=run_add)
    update.set_defaults(run=run_update)

    delete = actions.add_parser("delete", parents=[common], help="delete an evidence item")
    delete.add_argument("assertion", metavar="ASSERTION")
    delete.add_argument("index", type=int, metavar="INDEX")
    delete.set_defaults(run=run_delete)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {name: (getattr(args, name) or None) for name in _FIELDS
            if getattr(args, name) is not None}


def _print(context: Any, items: list) -> None:
    if context.json:
        context.print_list(items)
    else:
        context.print_table(["index", *_FIELDS],
                            [[index, *[item.get(name) for name in _FIELDS]]
                             for index, item in enumerate(items)],
                            title=f"{len(items)} evidence item(s)")


def run_list(context: Any) -> int:
    _print(context, evidence.list_evidence(context.store(), context.args.assertion))
    return 0


def run_add(context: Any) -> int:
    updated, _ = evidence.add_evidence(context.store(), context.args.assertion,
                                       _given(context.args))
    _print(context, updated.to_dict()["evidence"])
    return 0


def run_update(context: Any) -> int:
    args = context.args
    updated = evidence.update_evidence(context.store(), args.assertion, args.index, _given(args))
    _print(context, updated.to_dict()["evidence"])
    return 0


def run_delete(context: Any) -> int:
    args = context.args
    _print(context, evidence.delete_evidence(context.store(), args.assertion,
                                             args.index).to_dict()["evidence"])
    return 0
