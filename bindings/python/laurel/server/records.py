"""The REST routes of a record kind (laurel.records), built from its RecordKind. A document
kind (RecordRoutes):

=========================================  =====================================================
``GET <collection>``                       the records you may see (role ``list``)
``POST <collection>``                      create one (role ``create``; the creator is recorded)
``GET /v2/<plural>/{id}``                  one record (role ``get``)
``PUT /v2/<plural>/{id}``                  replace its fields (role ``update``)
``PATCH /v2/<plural>/{id}``                change the fields given (role ``update``)
``DELETE /v2/<plural>/{id}``               delete it, applying laurel.references (``delete``)
=========================================  =====================================================

Who governs a record, and the collection, is the kind's Access (laurel.server.record_access); an
operation the kind leaves out of its roles is not routed. Keys the server writes (and those the
kind's view adds) may be echoed back and are ignored; a field with a role of its own (an
organization's members: owner) needs that role to change. Item kinds (ItemRoutes) and single
kinds (SingleRoutes) live under their parent entity. A kind's router module adds its own verbs to
``routes.router`` and finds records with ``routes.record_for``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import laurel
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from .. import records
from ..records import RecordKind
from .access import assertion_of, badgeclass_for, can_see
from .auth import Principal, scoped
from .body import read_object
from .context import blocking, store_of, urls_of
from .envelope import envelope
from .errors import ApiError, call, invalid, not_found
from .invitations import Invitation
from .record_access import Access, access_for

__all__ = ["RecordRoutes", "ItemRoutes", "SingleRoutes", "with_issuer_url"]

Doc = Dict[str, Any]
View = Callable[[Request, Doc], Doc]
Resolve = Callable[[Any, Principal, Any], Any]


def with_issuer_url(request: Request, record: Doc) -> Doc:
    """The record plus ``issuerOpenBadgeId``, its issuer's public URL."""
    return {**record, "issuerOpenBadgeId": urls_of(request).issuer(record["issuer"])}


class _Routes:
    """What the routes of every kind share: the router, the wire form of a record (`view`: over
    the record with the kind's computed fields) and the fields of a body (keys in `echo` left
    out; `resolve`: per field, ``resolve(store, principal, value)`` -> the value to store, e.g.
    members given by email -> user ids, raising ApiError)."""

    def __init__(self, kind: RecordKind, view: Optional[View], echo: Tuple[str, ...],
                 resolve: Mapping[str, Resolve]) -> None:
        self.kind = kind
        self._view = view
        self.echo = echo
        self.resolve = dict(resolve)
        self.router = APIRouter(tags=[kind.plural])

    def view(self, request: Request, record: Doc) -> Doc:
        record = self.kind.with_computed(store_of(request), record)
        return self._view(request, record) if self._view is not None else record

    async def fields(self, request: Request, principal: Principal) -> Doc:
        body = await read_object(request)
        fields = {key: value for key, value in body.items() if key not in self.echo}
        for name, resolve in self.resolve.items():
            if fields.get(name) is not None:
                fields[name] = resolve(store_of(request), principal, fields[name])
        return fields

    def parent_for(self, store: Any, principal: Principal, entity_id: str, need: str,
                   parent: Optional[str] = None) -> Doc:
        """The parent entity (of an item or single kind: its own), after the role check on its
        issuer."""
        return _PARENTS[parent or self.kind.parent][1](store, principal, entity_id, need)

    def under_parent(self, parent: Optional[str] = None) -> str:
        return f"/v2/{_PARENTS[parent or self.kind.parent][0]}/{{entity_id}}/{self.kind.plural}"


# The core entities records live under: their REST collection and the read with its role check.
_PARENTS = {"assertion": ("assertions", assertion_of),
            "badgeclass": ("badgeclasses", lambda *check: badgeclass_for(*check)[0])}


class RecordRoutes(_Routes):
    """The routes of a service document kind. `view`, `resolve`: as _Routes; `echo`: keys the
    view adds (ignored in bodies, as the kind's server keys are); `invitation`: a registration
    link mailed on create and on ``POST .../{id}/invite`` (laurel.server.invitations);
    `access`: who governs (default: by the kind's owner); `under`: (parent, records_of) lists
    the records linked to a core entity at ``GET /v2/<parents>/{id}/<plural>`` (the parent's
    staff: a badge class's alignments, an assertion's endorsements)."""

    def __init__(self, kind: RecordKind, *, view: Optional[View] = None,
                 echo: Tuple[str, ...] = (), invitation: Optional[Invitation] = None,
                 resolve: Mapping[str, Resolve] = {}, access: Optional[Access] = None,
                 under: Optional[Tuple[str, Callable[[Any, str], List[Doc]]]] = None) -> None:
        super().__init__(kind, view, (*kind.server_keys, *echo), resolve)
        self.access = access or access_for(kind)
        self.invitation = invitation
        self.under = under
        self._add_routes()

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
            fields = await self.fields(request, principal)
            owner, fields = access.creating(store, principal, request, fields)
            record = await blocking(call, records.create, store, kind, owner, fields,
                                    created_by=principal.user_id)
            if self.invitation is not None:
                await blocking(self.invitation.send, request, principal, record)
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
            fields = await self.fields(request, principal)
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

        async def invite(request: Request,
                         principal: Principal = scoped("rw:issuer")) -> Response:
            record = self.record_for(store_of(request), principal,
                                     request.path_params[id_name], roles["get"])
            if record.get("registered"):
                raise ApiError(409, f"The {noun} is registered already.", error_code="conflict")
            await blocking(self.invitation.send, request, principal, record)
            return envelope([self.view(request, record)])

        async def list_assertions(request: Request, include_revoked: Optional[str] = Query(None),
                                  principal: Principal = scoped("rw:issuer")) -> Response:
            store, urls = store_of(request), urls_of(request)
            record = self.record_for(store, principal, request.path_params[id_name],
                                     roles["get"])
            flag = (include_revoked or "false").lower()
            if flag not in ("true", "1", "yes", "false", "0", "no", ""):
                raise invalid("include_revoked", "must be true or false")
            found = await blocking(kind.assertions, store, record["entityId"],
                                   include_revoked=flag in ("true", "1", "yes"))
            return envelope([urls.assertion_view(assertion.to_dict()) for assertion in found])

        async def list_under(request: Request, entity_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            parent, records_of = self.under
            found = self.parent_for(store_of(request), principal, entity_id, roles["list"], parent)
            linked = await blocking(records_of, store_of(request), found["entityId"])
            return envelope([self.view(request, record) for record in linked])

        _add_routes(self.router, kind, (
            ("list", access.collection, "GET", list_records, f"list_{kind.plural}"),
            ("create", access.collection, "POST", create_record, f"create_{noun}"),
            ("get", one, "GET", get_record, f"get_{noun}"),
            ("update", one, "PUT", put_record, f"put_{noun}"),
            ("update", one, "PATCH", patch_record, f"patch_{noun}"),
            ("delete", one, "DELETE", delete_record, f"delete_{noun}"),
            *((("get", f"{one}/invite", "POST", invite, f"invite_{noun}"),)
              if self.invitation else ()),
            *((("get", f"{one}/assertions", "GET", list_assertions, f"list_{noun}_assertions"),)
              if kind.assertions else ()),
            *((("list", self.under_parent(self.under[0]), "GET", list_under,
                f"list_{self.under[0]}_{kind.plural}"),) if self.under else ())))


def _add_routes(router: APIRouter, kind: RecordKind, routes: Tuple[Tuple[Any, ...], ...]) -> None:
    """(operation, path, method, endpoint, name) each, when the kind's roles offer the
    operation: 201 for a create, 204 for a DELETE; its summary names it and the role."""
    for operation, path, method, endpoint, name in routes:
        if operation not in kind.roles:
            continue
        endpoint.__name__ = name
        status = 201 if operation == "create" else 204 if method == "DELETE" else 200
        summary = f"{name.replace('_', ' ').capitalize()} ({kind.roles[operation]})"
        router.add_api_route(path, endpoint, methods=[method], status_code=status,
                             summary=summary, operation_id=name)


class ItemRoutes(_Routes):
    """The routes of an item kind (laurel.records.items) under its parent entity, whose issuer's
    staff roles govern them: ``/v2/<parents>/{entity_id}/<plural>`` lists and adds;
    ``.../{index}`` gets, replaces (PUT), changes (PATCH) and deletes one. Items carry their
    ``index`` (a key the server adds and ignores in bodies); the core checks their keys."""

    def __init__(self, kind: RecordKind) -> None:
        super().__init__(kind, None, ("index",), {})
        self._add_routes()

    def _one(self, found: List[Doc], index: int) -> Doc:
        if not 0 <= index < len(found):
            raise not_found(f"{self.kind.entity_type} not found")
        return {**found[index], "index": index}

    def _items(self, request: Request, principal: Principal, entity_id: str,
               need: str) -> Tuple[Doc, List[Doc]]:
        parent = self.parent_for(store_of(request), principal, entity_id, need)
        return parent, parent.get(self.kind.kind) or []

    def _add_routes(self) -> None:
        kind, roles, items = self.kind, self.kind.roles, records.items
        collection = self.under_parent()
        one = f"{collection}/{{index}}"

        async def list_items(request: Request, entity_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            _, found = self._items(request, principal, entity_id, roles["list"])
            return envelope([{**item, "index": index} for index, item in enumerate(found)])

        async def add_item(request: Request, entity_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
            parent, _ = self._items(request, principal, entity_id, roles["create"])
            body = await self.fields(request, principal)
            updated, index = await blocking(call, items.add, store_of(request), kind,
                                            parent["entityId"], body)
            return envelope([self._one(updated.to_dict()[kind.kind], index)], status_code=201)

        async def get_item(request: Request, entity_id: str, index: int,
                           principal: Principal = scoped("rw:issuer")) -> Response:
            _, found = self._items(request, principal, entity_id, roles["get"])
            return envelope([self._one(found, index)])

        async def change(request: Request, entity_id: str, index: int, principal: Principal,
                         replace: bool) -> Response:
            parent, found = self._items(request, principal, entity_id, roles["update"])
            self._one(found, index)
            body = await self.fields(request, principal)
            updated = await blocking(call, items.change, store_of(request), kind,
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
            parent, found = self._items(request, principal, entity_id, roles["delete"])
            self._one(found, index)
            await blocking(call, items.remove, store_of(request), kind, parent["entityId"],
                           index)
            return envelope(status_code=204)

        noun = kind.noun.replace(" ", "_")
        _add_routes(self.router, kind, (
            ("list", collection, "GET", list_items, f"list_{kind.plural}"),
            ("create", collection, "POST", add_item, f"add_{kind.plural}"),
            ("get", one, "GET", get_item, f"get_{noun}"),
            ("update", one, "PUT", put_item, f"put_{noun}"),
            ("update", one, "PATCH", patch_item, f"patch_{noun}"),
            ("delete", one, "DELETE", delete_item, f"delete_{noun}")))


class SingleRoutes(_Routes):
    """The routes of a single kind (laurel.records.single), one record per parent entity, whose
    issuer's staff roles govern it: ``GET``/``PUT``/``DELETE /v2/<parents>/{entity_id}/<plural>``
    read, set (create or replace) and remove it; ``GET /v2/<kind>`` lists those of the entities
    you may see. `view`, `resolve`: as _Routes. A body is read for the kind's fields only (a
    client may send back what it read, and more)."""

    def __init__(self, kind: RecordKind, *, view: Optional[View] = None,
                 resolve: Mapping[str, Resolve] = {}) -> None:
        super().__init__(kind, view, (), resolve)
        self._add_routes()

    async def fields(self, request: Request, principal: Principal) -> Doc:
        fields = await super().fields(request, principal)
        return {name: fields[name] for name in self.kind.field_names if name in fields}

    def record_for(self, store: Any, entity_id: str) -> Doc:
        """The parent's record (no role check: a claimant's view); 404 when it has none."""
        try:
            return records.single.get(store, self.kind, entity_id)
        except laurel.NotFound:
            missing = records.single.missing(self.kind)
            raise not_found(missing[0].upper() + missing[1:]) from None

    def _visible(self, store: Any, principal: Principal) -> List[str]:
        """The ids of the parents (badge classes) of issuers you may see."""
        issuers = {issuer.entity_id for issuer in store.list_issuers()
                   if can_see(principal, issuer.to_dict(), store)}
        list_parents = getattr(store, f"list_{_PARENTS[self.kind.parent][0]}")
        return [entity.entity_id for entity in list_parents() if entity.issuer in issuers]

    def _add_routes(self) -> None:
        kind, roles, single = self.kind, self.kind.roles, records.single
        one = self.under_parent()

        async def list_records(request: Request,
                               principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)

            def views() -> List[Doc]:
                return [self.view(request, record) for record in
                        single.list_records(store, kind, self._visible(store, principal))]

            return envelope(await blocking(views))

        async def get_record(request: Request, entity_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            parent = self.parent_for(store, principal, entity_id, roles["get"])
            return envelope([self.view(request, self.record_for(store, parent["entityId"]))])

        async def put_record(request: Request, entity_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            parent = self.parent_for(store, principal, entity_id, roles["update"])
            fields = await self.fields(request, principal)
            record = await blocking(call, single.put, store, kind, parent["entityId"], fields,
                                    created_by=principal.user_id)
            return envelope([self.view(request, record)])

        async def delete_record(request: Request, entity_id: str,
                                principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            parent = self.parent_for(store, principal, entity_id, roles["delete"])
            if not await blocking(single.remove, store, kind, parent["entityId"]):
                self.record_for(store, parent["entityId"])  # 404: it had none
            return envelope(status_code=204)

        _add_routes(self.router, kind, (
            ("list", f"/v2/{kind.kind}", "GET", list_records, f"list_{kind.kind}"),
            ("get", one, "GET", get_record, f"get_{kind.plural}"),
            ("update", one, "PUT", put_record, f"put_{kind.plural}"),
            ("delete", one, "DELETE", delete_record, f"delete_{kind.plural}")))
