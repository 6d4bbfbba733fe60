"""A record kind described once: its fields and their rules, its owner, its links' delete rules
(in laurel.references) and the roles each operation needs. The Python API (laurel.records.api),
the REST routes (laurel.server.records) and the CLI subcommand (laurel.cli.records) are built
from this description; a kind's own module keeps only its own verbs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

__all__ = ["Field", "RecordKind", "MAX_TEXT", "ISSUER_ROLES"]

MAX_TEXT = 65536  # characters of one text field
Doc = Dict[str, Any]

# Least issuer role per operation for records an issuer owns (laurel.server.access's ranks).
ISSUER_ROLES: Mapping[str, str] = {"list": "staff", "get": "staff", "create": "editor",
                                   "update": "editor", "delete": "editor"}


@dataclass(frozen=True)
class Field:
    """One field a client may set: a string (at most MAX_TEXT characters), a boolean, or a list
    (its items checked by the kind's check).

    option: the CLI option (``--start``; default ``--<name>``); a list field's option is given
    once per item, each read by `item` (``USER:ROLE`` -> a member) and printed by `text`.
    column: the CLI table's column for it (None: not listed). role: the least role that may
    change it, when above the kind's ``update`` role (an organization's members: its owners).
    """
    name: str
    kind: type = str
    required: bool = False
    option: Optional[str] = None
    positional: bool = False  # the CLI takes it as arguments (a list: one or more)
    column: Optional[str] = None
    role: Optional[str] = None
    hint: Optional[str] = None  # what to give, in the "is required" message
    item: Optional[Callable[[str], Any]] = None
    text: Optional[Callable[[Any], str]] = None

    @property
    def flag(self) -> str:
        return self.option or f"--{self.name}"


@dataclass(frozen=True)
class RecordKind:
    """What one kind of service record is.

    kind: the service document kind (and key: the record's entityId).
    entity_type: the ``entityType`` of its records; noun: how messages name one.
    fields: what a client may set. owner: the field naming the record's owner: ``issuer`` (an
    issuer's record, whose staff roles govern it), another field naming a user, or None (the
    record governs itself, as an organization's members do).
    initial: server-owned fields a new record starts with (``registered: False``, ...).
    check: the kind's own rules, ``check(store, fields, current)`` -> fields (raises
    ValidationError / Conflict); current is None on create.
    before_save: ``before_save(store, current, updated)`` -> an undo callable, for copies the
    record keeps elsewhere (alignments in badge classes); run before the record is written.
    order: the sort key of listings (default: creation order).
    roles: least role per operation (list, get, create, update, delete); an operation left out
    is not offered (an endorsement is made by its own verb and never updated).
    computed: ``computed(store, record)`` -> read-only fields derived from other records (an
    organization's issuers), shown beside the record's own by the CLI and the REST service.
    assertions: ``assertions(store, record_id, include_revoked=False)`` -> the assertions a
    record groups (an event's, a recipient's): ``GET /v2/<plural>/{id}/assertions`` and the CLI
    verb ``assertions ID [--include-revoked]``.
    parent: for an item kind (laurel.records.items), the core entity whose list ``kind`` holds
    the records, named by position (evidence: ``assertion``); for a single kind
    (laurel.records.single, `single`), the entity that has at most one record (claimable:
    ``badgeclass``); None for a service document kind.
    shorthand: an item kind's key a bare string stands for (evidence: a URL is ``{"url": ...}``).
    plural: the REST collection (``/v2/<plural>/{id}``, ``/v2/issuers/{id}/<plural>``; an item
    kind's ``/v2/<parent>s/{id}/<plural>/{index}``).
    cli: the CLI subcommand; help: its one-line help. shown: the keys ``show`` prints (default
    entityId, owner, fields); columns: the list table's (header, key or getter) after the id
    (default: the fields with a column).
    """
    kind: str
    entity_type: str
    noun: str
    fields: Tuple[Field, ...]
    plural: str
    cli: str
    help: str
    owner: Optional[str] = "issuer"
    initial: Mapping[str, Any] = field(default_factory=dict)
    check: Optional[Callable[[Any, Doc, Optional[Doc]], Doc]] = None
    before_save: Optional[Callable[[Any, Doc, Optional[Doc]], Callable[[], None]]] = None
    order: Optional[Callable[[Doc], Any]] = None
    roles: Mapping[str, str] = field(default_factory=lambda: dict(ISSUER_ROLES))
    computed: Optional[Callable[[Any, Doc], Doc]] = None
    assertions: Optional[Callable[..., List[Any]]] = None
    parent: Optional[str] = None
    single: bool = False
    shorthand: Optional[str] = None
    shown: Optional[Tuple[str, ...]] = None
    columns: Optional[Tuple[Tuple[str, Any], ...]] = None

    @property
    def field_names(self) -> Tuple[str, ...]:
        return tuple(item.name for item in self.fields)

    @property
    def article(self) -> str:
        return "an" if self.noun[0] in "aeiou" else "a"

    def with_computed(self, store: Any, record: Doc) -> Doc:
        return {**record, **self.computed(store, record)} if self.computed else record

    @property
    def server_keys(self) -> Tuple[str, ...]:
        """Keys a client may echo back (GET, edit, PUT) that it cannot set."""
        owner = (self.owner,) if self.owner else ()
        return ("entityId", "entityType", *owner, "createdAt", "createdBy", "updatedAt",
                "issuerOpenBadgeId", *self.initial)
