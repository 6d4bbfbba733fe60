"""The CLI subcommand of a record kind (laurel.records), built from its RecordKind:
``laurel <cli> create [--issuer ID] [--<field> TEXT ...]``, ``update ID [--<field> TEXT ...]``
('' clears a field), ``list [--issuer ID]``, ``show ID``, ``delete ID``; only the operations the
kind's roles name. A list field's option is repeated, once per item (``--member USER:ROLE``).
The owner option is the issuer's (``--issuer``) or another record's; a kind owned by a user
(field ``owner``) or by its members has none, as the CLI acts for no user. A kind's command
module adds its own verbs to the returned ``actions`` (and those named in `own` in place of the
generic ones) and prints with ``show`` and ``print_records``."""

from __future__ import annotations

import argparse
from typing import Any, Dict, Iterable, List

from .. import records
from ..errors import NotFound
from ..records import RecordKind

__all__ = ["register_kind", "show", "print_records"]

Doc = Dict[str, Any]
_BOOL = {"true": True, "false": False}
_PARENT_METAVARS = {"badgeclass": "BADGE", "assertion": "ASSERTION"}


def _dest(name: str) -> str:
    return f"field_{name}"


def _owner_option(kind: RecordKind) -> bool:
    return kind.owner is not None and kind.owner != "owner"


def register_kind(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser,
                  kind: RecordKind, description: str,
                  own: Iterable[str] = ()) -> argparse._SubParsersAction:
    """Adds ``laurel <kind.cli>`` with its generic actions (less those in `own`); returns the
    actions parser for the kind's own verbs."""
    parser = subparsers.add_parser(kind.cli, parents=[common], help=kind.help,
                                   description=description)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    if kind.parent is not None:
        (_register_single if kind.single else _register_items)(actions, common, kind)
        return actions
    offered = [verb for verb in ("create", "update", "list", "show", "delete") if verb not in own
               and (verb in kind.roles or verb == "show" and "get" in kind.roles)]
    if "create" in offered:
        create = actions.add_parser("create", parents=[common],
                                    help=f"create {kind.article} {kind.noun}")
        if _owner_option(kind):
            create.add_argument(f"--{kind.owner}", dest="owner", required=True, metavar="ID",
                                help=f"{kind.owner} entityId")
        _field_options(create, kind)
        create.set_defaults(run=lambda context: _create(context, kind))
    if "update" in offered:
        update = actions.add_parser("update", parents=[common],
                                    help=f"change {kind.article} {kind.noun} ('' clears a field)")
        update.add_argument("id", metavar="ID")
        _field_options(update, kind)
        update.set_defaults(run=lambda context: _update(context, kind))
    if "list" in offered:
        listing = actions.add_parser("list", parents=[common], help=f"list {kind.plural}")
        if _owner_option(kind):
            listing.add_argument(f"--{kind.owner}", dest="owner", metavar="ID",
                                 help="only this one's")
        listing.set_defaults(run=lambda context: _list(context, kind))
    for name, run, text in (("show", _show_one, f"show {kind.article} {kind.noun}"),
                            ("delete", _delete, f"delete {kind.article} {kind.noun}"),
                            ("assertions", _assertions, f"list the assertions of {kind.article} "
                             f"{kind.noun}")):
        if name in offered or name == "assertions" and kind.assertions:
            action = actions.add_parser(name, parents=[common], help=text)
            action.add_argument("id", metavar="ID")
            action.set_defaults(run=lambda context, run=run: run(context, kind))
    if kind.assertions:
        actions.choices["assertions"].add_argument("--include-revoked", action="store_true")
    return actions


def _register_items(actions: argparse._SubParsersAction, common: argparse.ArgumentParser,
                    kind: RecordKind) -> None:
    """An item kind's verbs (laurel.records.items): ``list PARENT``, ``add PARENT --<field>``,
    ``update PARENT INDEX --<field>`` ('' removes a key), ``delete PARENT INDEX``; each prints
    the parent's items after it."""
    for verb, text, indexed, run in (
            ("list", f"list the {kind.plural}", False,
             lambda store, args: records.items.items(store, kind, args.parent)),
            ("add", f"add {kind.article} {kind.noun}", False,
             lambda store, args: records.items.add(store, kind, args.parent,
                                                   _given(args, kind))[0]),
            ("update", f"change keys of {kind.article} {kind.noun} ('' removes one)", True,
             lambda store, args: records.items.change(store, kind, args.parent, args.index,
                                                      _given(args, kind))),
            ("delete", f"delete {kind.article} {kind.noun}", True,
             lambda store, args: records.items.remove(store, kind, args.parent, args.index))):
        action = actions.add_parser(verb, parents=[common], help=text)
        action.add_argument("parent", metavar=_PARENT_METAVARS[kind.parent])
        if indexed:
            action.add_argument("index", type=int, metavar="INDEX")
        if verb in ("add", "update"):
            _field_options(action, kind)
        action.set_defaults(run=lambda context, run=run: _print_items(
            context, kind, run(context.store(), context.args)))


def _register_single(actions: argparse._SubParsersAction, common: argparse.ArgumentParser,
                     kind: RecordKind) -> None:
    """A single kind's verbs (laurel.records.single): ``set PARENT <fields>`` (creates or
    replaces it), ``show PARENT``, ``remove PARENT``, ``list``."""
    parent = _PARENT_METAVARS[kind.parent]
    noun = records.single.PARENT_NOUNS[kind.parent]
    setting = actions.add_parser("set", parents=[common], help=f"make {kind.article} {noun} "
                                 f"{kind.noun}")
    setting.add_argument("parent", metavar=parent)
    _field_options(setting, kind)
    setting.set_defaults(run=lambda context: _show_run(context, kind, records.single.put(
        context.store(), kind, context.args.parent, _given(context.args, kind))))
    for verb, text in (("show", f"show {kind.article} {noun}'s {kind.plural} record"),
                       ("remove", f"make {kind.article} {noun} no longer {kind.noun}")):
        action = actions.add_parser(verb, parents=[common], help=text)
        action.add_argument("parent", metavar=parent)
    actions.choices["show"].set_defaults(run=lambda context: _show_run(
        context, kind, records.single.get(context.store(), kind, context.args.parent)))
    actions.choices["remove"].set_defaults(run=lambda context: _remove(context, kind))
    listing = actions.add_parser("list", parents=[common], help=f"list {kind.noun} {noun}es")
    listing.set_defaults(run=lambda context: _list_single(context, kind))


def _show_run(context: Any, kind: RecordKind, record: Doc) -> int:
    show(context, kind, record)
    return 0


def _list_single(context: Any, kind: RecordKind) -> int:
    print_records(context, kind, records.single.list_records(context.store(), kind))
    return 0


def _remove(context: Any, kind: RecordKind) -> int:
    parent = context.args.parent
    if not records.single.remove(context.store(), kind, parent):
        raise NotFound(records.single.missing(kind))
    if context.json:
        context.print_json({kind.parent: parent, "removed": True})
    else:
        context.say(f"{parent} is no longer {kind.noun}")
    return 0


def _print_items(context: Any, kind: RecordKind, result: Any) -> int:
    found = result if isinstance(result, list) else result.to_dict().get(kind.kind) or []
    if context.json:
        context.print_list(found)
    else:
        context.print_table(["index", *(item.name for item in kind.fields)],
                            [[index, *(entry.get(item.name) for item in kind.fields)]
                             for index, entry in enumerate(found)],
                            title=f"{len(found)} {kind.noun}(s)")
    return 0


def _field_options(action: argparse.ArgumentParser, kind: RecordKind) -> None:
    for item in kind.fields:
        if item.positional:
            action.add_argument(_dest(item.name), metavar=item.name.upper(),
                                nargs="+" if item.kind is list else None)
        elif item.kind is bool:
            action.add_argument(item.flag, dest=_dest(item.name), choices=sorted(_BOOL))
        elif item.kind is list:
            action.add_argument(item.flag, dest=_dest(item.name), action="append",
                                metavar="VALUE", help="repeat for each item")
        else:
            action.add_argument(item.flag, dest=_dest(item.name), metavar="TEXT")


def _given(args: argparse.Namespace, kind: RecordKind) -> Doc:
    given: Doc = {}
    for item in kind.fields:
        value = getattr(args, _dest(item.name), None)
        if value is None:
            continue
        if item.kind is bool:
            given[item.name] = _BOOL[value]
        elif item.kind is list:
            given[item.name] = [item.item(text) if item.item else text for text in value]
        else:
            given[item.name] = value or None
    return given


def _text(kind: RecordKind, key: str, value: Any) -> Any:
    if not isinstance(value, list):
        return value
    field = next((item for item in kind.fields if item.name == key), None)
    as_text = field.text if field is not None and field.text else str
    return ", ".join(as_text(item) for item in value)


def show(context: Any, kind: RecordKind, record: Doc) -> None:
    """One record (with the kind's computed fields): JSON, or its `shown` keys as a table."""
    record = kind.with_computed(context.store(), record)
    if context.json:
        context.print_json(record)
        return
    keys = kind.shown or ("entityId", *((kind.owner,) if kind.owner else ()), *kind.field_names)
    context.print_fields([[key, _text(kind, key, record.get(key))] for key in keys],
                         title=f"{kind.entity_type} {_key(kind, record)}")


def _key(kind: RecordKind, record: Doc) -> str:
    """A record's id: its entityId, or a single kind's parent's."""
    return record[kind.parent] if kind.single else record["entityId"]


def print_records(context: Any, kind: RecordKind, found: List[Doc]) -> None:
    """Records as JSON, or a table of the kind's columns."""
    if context.json:
        context.print_list(found)
        return
    columns = kind.columns or tuple((item.column, item.name) for item in kind.fields
                                    if item.column)
    context.print_table(["id", *(header for header, _ in columns)],
                        [[_key(kind, record), *(value(record) if callable(value) else
                                                _text(kind, value, record.get(value))
                                                for _, value in columns)]
                         for record in found],
                        title=f"{len(found)} {kind.noun}(s)")


def _create(context: Any, kind: RecordKind) -> int:
    owner = context.args.owner if _owner_option(kind) else None
    show(context, kind, records.create(context.store(), kind, owner, _given(context.args, kind),
                                       created_by=None))
    return 0


def _update(context: Any, kind: RecordKind) -> int:
    show(context, kind, records.update(context.store(), kind, context.args.id,
                                       _given(context.args, kind)))
    return 0


def _list(context: Any, kind: RecordKind) -> int:
    owner = context.args.owner if _owner_option(kind) else None
    print_records(context, kind, records.list_records(context.store(), kind, owner))
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


def _assertions(context: Any, kind: RecordKind) -> int:
    found = kind.assertions(context.store(), context.args.id,
                            include_revoked=context.args.include_revoked)
    if context.json:
        context.print_list([assertion.to_dict() for assertion in found])
    else:
        context.print_table(["id", "badge class", "recipient", "issued", "revoked"],
                            [[a.entity_id, a.badgeclass, a.recipient.plaintext_identity,
                              a.issued_on, "yes" if a.revoked else ""] for a in found],
                            title=f"{len(found)} assertion(s)")
    return 0
