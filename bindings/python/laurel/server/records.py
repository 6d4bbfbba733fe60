"""The REST routes of a record kind (laurel.records), built from its RecordKind:

=========================================  =====================================================
``GET <collection>``                       the records you may see (role ``list``)
``POST <collection>``                      create one (role ``create``; the creator is recorded)
``GET /v2/<plural>/{id}``                  one record (role ``get``)
``PUT /v2/<plural>/{id}``                  replace its fields (role ``update``)
``PATCH /v2/<plural>/{id}``                change the fields given (role ``update``)
``DELETE /v2/<plural>/{id}``               delete it, applying laurel.references (``delete``)
=========================================  =====================================================

Who governs a record follows the kind's ``owner`` (an Access below): an issuer's records are
governed by its staff roles (collection ``/v2/issuers/{id}/<plural>``); a user's records (an
endorser's ``owner``) by that user alone (collection ``/v2/<plural>``); a record without an owner
by its ``members`` [{user, role}] (an organization; collection ``/v2/<plural>``). A record you may
not see is 404, as an unknown one is; an operation the kind leaves out of its roles is not routed.
Keys the server writes (and those the kind's view adds) may be echoed back and are ignored; a
field with a role of its own (an organization's members: owner) needs that role to change. A
kind's router module adds its own verbs to ``routes.router`` and finds records with
``routes.record_for``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import records
from ..records import RecordKind
from .access import assertion_for, badgeclass_for, issuer_for, require
from .auth import Principal, scoped
from .body import read_object
from .context import blocking, store_of, urls_of
from .envelope import envelope
from .errors import ApiError, call, not_found

__all__ = ["RecordRoutes", "ItemRoutes", "Access", "IssuerAccess", "UserAccess", "MemberAccess",
           "with_issuer_url"]

Doc = Dict[str, Any]
View = Callable[[Request, Doc], Doc]
AfterCreate = Callable[[Request, Principal, Doc], None]
Resolve = Callable[[Any, Any], Any]


def with_issuer_url(request: Request, record: Doc) -> Doc:
    """The record plus ``issuerOpenBadgeId``, its issuer's public URL."""
    return {**record, "issuerOpenBadgeId": urls_of(request).issuer(record["issuer"])}


class Access:
    """Who may see and change a kind's records: `collection` is where they are listed and
    created; `records` lists those the caller may see; `creating` gives a new record's owner
    (and fields); `check` raises ApiError (404 when the caller may not see the record, 403 when
    their role is below `need`)."""

    def __init__(self, kind: RecordKind, collection: Optional[str] = None) -> None:
        self.kind = kind
        self.collection = collection or f"/v2/{kind.plural}"

    def records(self, store: Any, principal: Principal, request: Request) -> List[Doc]:
        raise NotImplementedError

    def creating(self, store: Any, principal: Principal, request: Request,
                 fields: Doc) -> Tuple[Any, Doc]:
        raise NotImplementedError

    def check(self, store: Any, principal: Principal, record: Doc, need: str) -> None:
        raise NotImplementedError

    def _user_only(self, principal: Principal) -> None:
        if principal.issuer_only is not None:
            raise ApiError(403, f"An issuer token cannot create {self.kind.plural}.",
                           error_code="permission_denied")


class IssuerAccess(Access):
    """An issuer's records: its staff roles (laurel.server.access) govern them."""

    def __init__(self, kind: RecordKind) -> None:
        super().__init__(kind, f"/v2/issuers/{{issuer_id}}/{kind.plural}")

    def _issuer(self, store: Any, principal: Principal, request: Request, need: str) -> str:
        return issuer_for(store, principal, request.path_params["issuer_id"], need)["entityId"]

    def records(self, store: Any, principal: Principal, request: Request) -> List[Doc]:
        issuer = self._issuer(store, principal, request, self.kind.roles["list"])
        return records.list_records(store, self.kind, issuer)

    def creating(self, store: Any, principal: Principal, request: Request,
                 fields: Doc) -> Tuple[Any, Doc]:
        return self._issuer(store, principal, request, self.kind.roles["create"]), fields

    def check(self, store: Any, principal: Principal, record: Doc, need: str) -> None:
        issuer_for(store, principal, record[self.kind.owner], need)


class UserAccess(Access):
    """A user's records (the user named by the kind's owner field): theirs alone."""

    def records(self, store: Any, principal: Principal, request: Request) -> List[Doc]:
        if principal.issuer_only is not None:
            return []
        return records.list_records(store, self.kind, principal.user_id)

    def creating(self, store: Any, principal: Principal, request: Request,
                 fields: Doc) -> Tuple[Any, Doc]:
        self._user_only(principal)
        return principal.user_id, fields

    def check(self, store: Any, principal: Principal, record: Doc, need: str) -> None:
        if record.get(self.kind.owner) != principal.user_id or principal.issuer_only is not None:
            raise not_found(f"{self.kind.entity_type} not found")


class MemberAccess(Access):
    """Records their ``members`` [{user, role}] govern; the creator is the owner unless the body
    lists the members."""

    def _role(self, principal: Principal, record: Doc) -> Optional[str]:
        if principal.issuer_only is not None:
            return None
        return next((member["role"] for member in record.get("members", [])
                     if member["user"] == principal.user_id), None)

    def records(self, store: Any, principal: Principal, request: Request) -> List[Doc]:
        return [record for record in records.list_records(store, self.kind)
                if self._role(principal, record) is not None]

    def creating(self, store: Any, principal: Principal, request: Request,
                 fields: Doc) -> Tuple[Any, Doc]:
        self._user_only(principal)
        if fields.get("members") is None:
            fields = {**fields, "members": [{"user": principal.user_id, "role": "owner"}]}
        return None, fields

    def check(self, store: Any, principal: Principal, record: Doc, need: str) -> None:
        role = self._role(principal, record)
        if role is None:
            raise not_found(f"{self.kind.entity_type} not found")
        require(role, need, f"in the {self.kind.noun}")


def access_for(kind: RecordKind) -> Access:
    if kind.owner == "issuer":
        return IssuerAccess(kind)
    return MemberAccess(kind) if kind.owner is None else UserAccess(kind)


class RecordRoutes:
    """The routes of one record kind. `view`: the wire form of a record (default: as stored,
    with the kind's computed fields); `echo`: keys the view adds (ignored in bodies);
    `after_create`: run (off the event loop) after a record is created, e.g. to mail an
    invitation; `resolve`: per field, ``resolve(store, value)`` -> the stored value (members given
    by email -> user ids), raising ApiError; `access`: who governs (default: by the kind's
    owner)."""

    def __init__(self, kind: RecordKind, *, view: Optional[View] = None,
                 echo: Tuple[str, ...] = (), after_create: Optional[AfterCreate] = None,
                 resolve: Mapping[str, Resolve] = {}, access: Optional[Access] = None) -> None:
        self.kind = kind
        self.access = access or access_for(kind)
        self._view = view
        self.echo = (*kind.server_keys, *echo)
        self.after_create = after_create
        self.resolve = dict(resolve)
        self.router = APIRouter(tags=[kind.plural])
        self._add_routes()

    def view(self, request: Request, record: Doc) -> Doc:
        record = self.kind.with_computed(store_of(request), record)
        return self._view(request, record) if self._view is not None else record

    def record_for(self, store: Any, principal: Principal, record_id: str,
                   need: str = "staff") -> Doc:
        """The record after the role check; 404 alike for unknown and unseen."""
        what = f"{self.kind.entity_type} not found"
        try:
            record = records.get(store, self.kind, record_id)
        except laurel.NotFound:
            raise not_found(what) from None
        try:
            self.access.check(store, principal, record, need)
        except ApiError as error:
            if error.status == 404:
                raise not_found(what) from None
            raise
        return record

    async def fields(self, request: Request) -> Doc:
        body = await read_object(request)
        fields = {key: value for key, value in body.items() if key not in self.echo}
        for name, resolve in self.resolve.items():
            if fields.get(name) is not None:
                fields[name] = resolve(store_of(request), fields[name])
        return fields

    def _field_roles(self, store: Any, principal: Principal, record: Doc, fields: Doc) -> None:
        """A field with its own role (members: owner) needs it to change."""
        for item in self.kind.fields:
            if item.role and item.name in fields and fields[item.name] != record.get(item.name):
                self.access.check(store, principal, record, item.role)

    def _add_routes(self) -> None:
        kind, roles, access = self.kind, self.kind.roles, self.access
        noun = kind.noun
        # The path names the id after the kind ({event_id}), as each kind's routes always did.
        id_name = f"{noun}_id"
        one = f"/v2/{kind.plural}/{{{id_name}}}"

        async def list_records(request: Request,
                               principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)

            def views() -> List[Doc]:
                return [self.view(request, record)
                        for record in access.records(store, principal, request)]

            return envelope(await blocking(views))

        async def create_record(request: Request,
                                principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            owner, fields = access.creating(store, principal, request, await self.fields(request))
            record = await blocking(call, records.create, store, kind, owner, fields,
                                    created_by=principal.user_id)
            if self.after_create is not None:
                await blocking(self.after_create, request, principal, record)
            return envelope([self.view(request, record)], status_code=201)

        async def get_record(request: Request,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            record = self.record_for(store_of(request), principal,
                                     request.path_params[id_name], roles["get"])
            return envelope([self.view(request, record)])

        async def update(request: Request, principal: Principal, replace: bool) -> Response:
            store = store_of(request)
            record = self.record_for(store, principal, request.path_params[id_name],
                                     roles["update"])
            fields = await self.fields(request)
            self._field_roles(store, principal, record, fields)
            updated = await blocking(call, records.update, store, kind, record["entityId"],
                                     fields, replace=replace)
            return envelope([self.view(request, updated)])

        async def put_record(request: Request,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            return await update(request, principal, replace=True)

        async def patch_record(request: Request,
                               principal: Principal = scoped("rw:issuer")) -> Response:
            return await update(request, principal, replace=False)

        async def delete_record(request: Request,
                                principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            record = self.record_for(store, principal, request.path_params[id_name],
                                     roles["delete"])
            await blocking(call, records.delete, store, kind, record["entityId"])
            return envelope(status_code=204)

        routes = (
            ("list", access.collection, "GET", list_records, f"list_{kind.plural}", 200,
             f"List {kind.plural}"),
            ("create", access.collection, "POST", create_record, f"create_{noun}", 201,
             f"Create {kind.article} {noun}"),
            ("get", one, "GET", get_record, f"get_{noun}", 200, f"Get {kind.article} {noun}"),
            ("update", one, "PUT", put_record, f"put_{noun}", 200,
             f"Replace {kind.article} {noun}'s fields"),
            ("update", one, "PATCH", patch_record, f"patch_{noun}", 200,
             f"Change some of {kind.article} {noun}'s fields"),
            ("delete", one, "DELETE", delete_record, f"delete_{noun}", 204,
             f"Delete {kind.article} {noun} (laurel.references applies)"),
        )
        _add_routes(self.router, kind, routes)


def _add_routes(router: APIRouter, kind: RecordKind, routes: Tuple[Tuple[Any, ...], ...]) -> None:
    """(operation, path, method, endpoint, name, status, summary) each, when the kind's roles
    offer the operation."""
    for operation, path, method, endpoint, name, status, summary in routes:
        if operation not in kind.roles:
            continue
        endpoint.__name__ = name
        router.add_api_route(path, endpoint, methods=[method], status_code=status,
                             summary=f"{summary} ({kind.roles[operation]})", operation_id=name)


class ItemRoutes:
    """The routes of an item kind (laurel.records.items), under its parent entity, whose staff
    roles govern them: ``/v2/<parent>s/{entity_id}/<plural>`` lists and adds,
    ``.../{index}`` gets, replaces (PUT), changes (PATCH) and deletes one. Items carry their
    ``index`` (a key the server adds and ignores in bodies)."""

    def __init__(self, kind: RecordKind) -> None:
        self.kind = kind
        self.router = APIRouter(tags=[kind.plural])
        self._add_routes()

    def _parent(self, request: Request, principal: Principal, entity_id: str,
                need: str) -> Doc:
        parent_for = {"assertion": assertion_for, "badgeclass": badgeclass_for}[self.kind.parent]
        return parent_for(store_of(request), principal, entity_id, need)[0]

    def _one(self, found: List[Doc], index: int) -> Doc:
        if not 0 <= index < len(found):
            raise not_found(f"{self.kind.entity_type} not found")
        return {**found[index], "index": index}

    async def _body(self, request: Request) -> Doc:
        body = await read_object(request)
        body.pop("index", None)
        return body

    def _add_routes(self) -> None:
        kind, roles = self.kind, self.kind.roles
        collection = f"/v2/{kind.parent}s/{{entity_id}}/{kind.plural}"
        one = f"{collection}/{{index}}"

        async def list_items(request: Request, entity_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            found = self._parent(request, principal, entity_id, roles["list"]).get(kind.kind)
            return envelope([{**item, "index": index} for index, item in enumerate(found or [])])

        async def add_item(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
            parent = self._parent(request, principal, entity_id, roles["create"])
            body = await self._body(request)
            updated, index = await blocking(call, records.items.add, store_of(request), kind,
                                            parent["entityId"], body)
            return envelope([self._one(updated.to_dict()[kind.kind], index)], status_code=201)

        async def get_item(request: Request, entity_id: str, index: int,
                           principal: Principal = scoped("rw:issuer")) -> Response:
            parent = self._parent(request, principal, entity_id, roles["get"])
            return envelope([self._one(parent.get(kind.kind) or [], index)])

        async def change(request: Request, entity_id: str, index: int, principal: Principal,
                         replace: bool) -> Response:
            parent = self._parent(request, principal, entity_id, roles["update"])
            self._one(parent.get(kind.kind) or [], index)
            body = await self._body(request)
            updated = await blocking(call, records.items.change, store_of(request), kind,
                                     parent["entityId"], index, body, replace=replace)
            return envelope([self._one(updated.to_dict()[kind.kind], index)])

        async def put_item(request: Request, entity_id: str, index: int,
                           principal: Principal = scoped("rw:issuer")) -> Response:
            return await change(request, entity_id, index, principal, replace=True)

        async def patch_item(request: Request, entity_id: str, index: int,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            return await change(request, entity_id, index, principal, replace=False)

        async def delete_item(request: Request, entity_id: str, index: int,
                              principal: Principal = scoped("rw:issuer")) -> Response:
            parent = self._parent(request, principal, entity_id, roles["delete"])
            self._one(parent.get(kind.kind) or [], index)
            await blocking(call, records.items.remove, store_of(request), kind,
                           parent["entityId"], index)
            return envelope(status_code=204)

        noun, parent = kind.noun.replace(" ", "_"), kind.parent
        _add_routes(self.router, kind, (
            ("list", collection, "GET", list_items, f"list_{kind.plural}", 200,
             f"List {kind.article} {parent}'s {kind.plural}"),
            ("create", collection, "POST", add_item, f"add_{kind.plural}", 201,
             f"Add {kind.article} {kind.noun}"),
            ("get", one, "GET", get_item, f"get_{noun}", 200, f"Get one {kind.noun}"),
            ("update", one, "PUT", put_item, f"put_{noun}", 200, f"Replace {kind.article} "
             f"{kind.noun}"),
            ("update", one, "PATCH", patch_item, f"patch_{noun}", 200,
             f"Change some keys of {kind.article} {kind.noun} (null removes a key)"),
            ("delete", one, "DELETE", delete_item, f"delete_{noun}", 204,
             f"Delete {kind.article} {kind.noun} (later items move up)"),
        ))
