"""laurel event create|list|show|update|delete|add|assertions: events and the assertions
awarded at them (laurel.events)."""

from __future__ import annotations

import argparse
from typing import Any, Dict

from ... import events

ORDER = 56

_OPTIONS = (("--name", "name"), ("--description", "description"), ("--start", "startDate"),
            ("--end", "endDate"), ("--location", "location"), ("--url", "url"))


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "event", parents=[common], help="events and the badges awarded at them",
        description="An issuer's events (name, dates, location, url) grouping assertions.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    create = actions.add_parser("create", parents=[common], help="create an event")
    create.add_argument("--issuer", required=True, metavar="ID", help="issuer entityId")
    update = actions.add_parser("update", parents=[common],
                                help="change an event ('' clears a field)")
    update.add_argument("id", metavar="ID")
    for action in (create, update):
        for option, field in _OPTIONS:
            action.add_argument(option, dest=field, metavar="TEXT")
    create.set_defaults(run=run_create)
    update.set_defaults(run=run_update)

    listing = actions.add_parser("list", parents=[common], help="list events")
    listing.add_argument("--issuer", metavar="ID", help="only this issuer's")
    listing.set_defaults(run=run_list)

    for name, run, text in (("show", run_show, "show an event"),
                            ("delete", run_delete, "delete an event (its assertions stay)")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("id", metavar="ID")
        action.set_defaults(run=run)

    add = actions.add_parser("add", parents=[common], help="group assertions under an event")
    add.add_argument("id", metavar="ID")
    add.add_argument("assertions", nargs="+", metavar="ASSERTION")
    add.set_defaults(run=run_add)

    members = actions.add_parser("assertions", parents=[common],
                                 help="list the assertions awarded at an event")
    members.add_argument("id", metavar="ID")
    members.add_argument("--include-revoked", action="store_true")
    members.set_defaults(run=run_assertions)


def _given(args: argparse.Namespace) -> Dict[str, Any]:
    return {field: (getattr(args, field) or None) for _, field in _OPTIONS
            if getattr(args, field) is not None}


def _show(context: Any, record: dict) -> None:
    if context.json:
        context.print_json(record)
    else:
        context.print_fields([[key, record.get(key)] for key in
                              ("entityId", "issuer", *events.EVENT_FIELDS)],
                             title=f"Event {record['entityId']}")


def run_create(context: Any) -> int:
    _show(context, events.create_event(context.store(), context.args.issuer, _given(context.args)))
    return 0


def run_update(context: Any) -> int:
    _show(context, events.update_event(context.store(), context.args.id, _given(context.args)))
    return 0


def run_list(context: Any) -> int:
    records = events.list_events(context.store(), context.args.issuer)
    if context.json:
        context.print_list(records)
    else:
        context.print_table(["id", "name", "start", "end", "location"],
                            [[r["entityId"], r["name"], r.get("startDate"), r.get("endDate"),
                              r.get("location")] for r in records],
                            title=f"{len(records)} event(s)")
    return 0


def run_show(context: Any) -> int:
    _show(context, events.get_event(context.store(), context.args.id))
    return 0


def run_delete(context: Any) -> int:
    events.delete_event(context.store(), context.args.id)
    if context.json:
        context.print_json({"entityId": context.args.id, "deleted": True})
    else:
        context.say(f"Deleted event {context.args.id}")
    return 0


def run_add(context: Any) -> int:
    added = events.add_assertions(context.store(), context.args.id, context.args.assertions)
    if context.json:
        context.print_json(added)
    else:
        context.say(f"{len(added)} assertion(s) grouped under {context.args.id}")
    return 0


def run_assertions(context: Any) -> int:
    found = events.event_assertions(context.store(), context.args.id,
                                    include_revoked=context.args.include_revoked)
    if context.json:
        context.print_list([assertion.to_dict() for assertion in found])
    else:
        context.print_table(["id", "badge class", "recipient", "issued", "revoked"],
                            [[a.entity_id, a.badgeclass, a.recipient.plaintext_identity,
                              a.issued_on, "yes" if a.revoked else ""] for a in found],
                            title=f"{len(found)} assertion(s)")
    return 0
