"""The CLI subcommand of a record kind (laurel.records), built from its RecordKind:
``laurel <cli> create --issuer ID [--<field> TEXT ...]``, ``update ID [--<field> TEXT ...]``
('' clears a field), ``list [--issuer ID]``, ``show ID``, ``delete ID``. A kind's command module
adds its own verbs to the returned ``actions`` and reuses ``show``."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from .. import records
from ..records import RecordKind

__all__ = ["register_kind", "show"]

Doc = Dict[str, Any]
_BOOL = {"true": True, "false": False}


def _dest(name: str) -> str:
    return f"field_{name}"


def register_kind(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser,
                  kind: RecordKind, description: str) -> argparse._SubParsersAction:
    """Adds ``laurel <kind.cli>`` with its create/update/list/show/delete actions; returns the
    actions parser for the kind's own verbs."""
    parser = subparsers.add_parser(kind.cli, parents=[common], help=kind.help,
                                   description=description)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help=f"create a {kind.noun}")
    create.add_argument(f"--{kind.owner}", dest="owner", required=True, metavar="ID",
                        help=f"{kind.owner} entityId")
    update = actions.add_parser("update", parents=[common],
                                help=f"change a {kind.noun} ('' clears a field)")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for item in kind.fields:
            if item.kind is bool:
                action.add_argument(item.flag, dest=_dest(item.name), choices=sorted(_BOOL))
            else:
                action.add_argument(item.flag, dest=_dest(item.name), metavar="TEXT")
    create.set_defaults(run=lambda context: _create(context, kind))
    update.set_defaults(run=lambda context: _update(context, kind))

    listing = actions.add_parser("list", parents=[common], help=f"list {kind.plural}")
    listing.add_argument(f"--{kind.owner}", dest="owner", metavar="ID", help="only this one's")
    listing.set_defaults(run=lambda context: _list(context, kind))
    for name, run, text in (("show", _show_one, f"show a {kind.noun}"),
                            ("delete", _delete, f"delete a {kind.noun}")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=lambda context, run=run: run(context, kind))
    return actions


def _given(args: argparse.Namespace, kind: RecordKind) -> Doc:
    given: Doc = {}
    for item in kind.fields:
        value = getattr(args, _dest(item.name), None)
        if value is not None:
            given[item.name] = _BOOL[value] if item.kind is bool else (value or None)
    return given


def show(context: Any, kind: RecordKind, record: Doc) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", kind.owner, *kind.field_names)],
                             title=f"{kind.entity_type} {record['entityId']}")


def _create(context: Any, kind: RecordKind) -> int:
    show(context, kind, records.create(context.store(), kind, context.args.owner,
                                       _given(context.args, kind)))
    return 0


def _update(context: Any, kind: RecordKind) -> int:
    show(context, kind, records.update(context.store(), kind, context.args.id,
                                       _given(context.args, kind)))
    return 0


def _list(context: Any, kind: RecordKind) -> int:
    found = records.list_records(context.store(), kind, context.args.owner)
    if context.json:
        context.print_list(found)
        return 0
    listed = [item for item in kind.fields if item.column]
    context.print_table(["id", *(item.column for item in listed)],
                        [[record["entityId"], *(record.get(item.name) for item in listed)]
                         for record in found],
                        title=f"{len(found)} {kind.noun}(s)")
    return 0


def _show_one(context: Any, kind: RecordKind) -> int:
    show(context, kind, records.get(context.store(), kind, context.args.id))
    return 0


def _delete(context: Any, kind: RecordKind) -> int:
    records.delete(context.store(), kind, context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted {kind.noun} {context.args.id}")
    return 0
