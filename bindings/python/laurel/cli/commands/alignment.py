"""laurel alignment create|list|show|update|delete|attach|detach: alignment records
(laurel.alignments)."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import alignments

ORDER = 35

_OPTIONS = (("--name", "targetName"), ("--url", "targetUrl"),
            ("--description", "targetDescription"), ("--framework", "targetFramework"),
            ("--code", "targetCode"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "alignment", parents=[common], help="alignment records that badge classes reference",
        description="An issuer's alignments (competencies, standards). Badge classes that "
                    "reference one list it in their public document.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser("create", parents=[common], help="create an alignment")
    create.add_argument("--issuer", required=True, metavar="ID", help="issuer entityId")
    update = actions.add_parser("update", parents=[common],
                                help="change an alignment ('' clears a field)")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for option, field in _OPTIONS:
            action.add_argument(option, dest=field, metavar="TEXT")
    create.set_defaults(run=run_create)
    update.set_defaults(run=run_update)

    listing = actions.add_parser("list", parents=[common], help="list alignments")
    listing.add_argument("--issuer", metavar="ID", help="only this issuer's")
    listing.set_defaults(run=run_list)

    for name, run, text in (("show", run_show, "show an alignment"),
                            ("delete", run_delete, "delete an alignment")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=run)

    for name, run, text in (("attach", run_attach, "make a badge class reference it"),
                            ("detach", run_detach, "stop a badge class referencing it")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID", help="alignment entityId")
        action.add_argument("--badge", required=True, metavar="ID", help="badge class entityId")
        action.set_defaults(run=run)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {field: (getattr(args, field) or None) for _, field in _OPTIONS
            if getattr(args, field) is not None}


def _show(context: Any, record: dict) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", "issuer", *alignments.ALIGNMENT_FIELDS)]
                             + [["badgeclasses", ", ".join(record.get("badgeclasses", []))]],
                             title=f"Alignment {record['entityId']}")


def run_create(context: Any) -> int:
    _show(context, alignments.create_alignment(context.store(), context.args.issuer,
                                               _given(context.args)))
    return 0


def run_update(context: Any) -> int:
    _show(context, alignments.update_alignment(context.store(), context.args.id,
                                               _given(context.args)))
    return 0


def run_list(context: Any) -> int:
    records = alignments.list_alignments(context.store(), context.args.issuer)
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["id", "name", "url", "code", "badge classes"],
                            [[r["entityId"], r.get("targetName"), r.get("targetUrl"),
                              r.get("targetCode"), len(r.get("badgeclasses", []))]
                             for r in records], title=f"{len(records)} alignment(s)")
    return 0


def run_show(context: Any) -> int:
    _show(context, alignments.get_alignment(context.store(), context.args.id))
    return 0


def run_delete(context: Any) -> int:
    alignments.delete_alignment(context.store(), context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted alignment {context.args.id}")
    return 0


def run_attach(context: Any) -> int:
    _show(context, alignments.attach(context.store(), context.args.badge, context.args.id))
    return 0


def run_detach(context: Any) -> int:
    _show(context, alignments.detach(context.store(), context.args.badge, context.args.id))
    return 0
