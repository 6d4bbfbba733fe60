"""The REST routes of a record kind (laurel.records), built from its RecordKind:

=========================================  =====================================================
``GET /v2/issuers/{id}/<plural>``          the issuer's records (role ``list``)
``POST /v2/issuers/{id}/<plural>``         create one (role ``create``; the creator is recorded)
``GET /v2/<plural>/{id}``                  one record (role ``get``)
``PUT /v2/<plural>/{id}``                  replace its fields (role ``update``)
``PATCH /v2/<plural>/{id}``                change the fields given (role ``update``)
``DELETE /v2/<plural>/{id}``               delete it, applying laurel.references (``delete``)
=========================================  =====================================================

Roles are the issuer's staff roles (laurel.server.access); a record of an issuer you do not staff
is 404, as the issuer is. Keys the server writes may be echoed back and are ignored. A kind's
router module adds its own verbs to ``routes.router`` and finds records with
``routes.record_for``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import records
from ..records import RecordKind
from .access import issuer_for
from .auth import Principal, scoped
from .body import read_object
from .context import blocking, store_of, urls_of
from .envelope import envelope
from .errors import ApiError, call, not_found

__all__ = ["RecordRoutes", "with_issuer_url"]

Doc = Dict[str, Any]
View = Callable[[Request, Doc], Doc]
AfterCreate = Callable[[Request, Principal, Doc], None]


def with_issuer_url(request: Request, record: Doc) -> Doc:
    """The record plus ``issuerOpenBadgeId``, its issuer's public URL."""
    return {**record, "issuerOpenBadgeId": urls_of(request).issuer(record["issuer"])}


class RecordRoutes:
    """The routes of one issuer-owned record kind. `view`: the wire form of a record (default:
    as stored); `after_create`: run (off the event loop) after a record is created, e.g. to mail
    an invitation."""

    def __init__(self, kind: RecordKind, *, view: Optional[View] = None,
                 after_create: Optional[AfterCreate] = None) -> None:
        self.kind = kind
        self.view: View = view or (lambda request, record: record)
        self.after_create = after_create
        self.router = APIRouter(tags=[kind.plural])
        self._add_routes()

    def record_for(self, store: Any, principal: Principal, record_id: str,
                   need: str = "staff") -> Doc:
        """The record after the role check on its issuer; 404 alike for unknown and unseen."""
        what = f"{self.kind.entity_type} not found"
        try:
            record = records.get(store, self.kind, record_id)
        except laurel.NotFound:
            raise not_found(what) from None
        try:
            issuer_for(store, principal, record[self.kind.owner], need)
        except ApiError as error:
            if error.status == 404:
                raise not_found(what) from None
            raise
        return record

    async def fields(self, request: Request) -> Doc:
        body = await read_object(request)
        return {key: value for key, value in body.items() if key not in self.kind.server_keys}

    def _add_routes(self) -> None:
        kind, roles = self.kind, self.kind.roles
        noun = kind.noun
        # The path names the id after the kind ({event_id}), as each kind's routes always did.
        id_name = f"{noun}_id"
        owned = f"/v2/issuers/{{issuer_id}}/{kind.plural}"
        one = f"/v2/{kind.plural}/{{{id_name}}}"

        async def list_records(request: Request, issuer_id: str,
                               principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            issuer = issuer_for(store, principal, issuer_id, roles["list"])
            found = await blocking(records.list_records, store, kind, issuer["entityId"])
            return envelope([self.view(request, record) for record in found])

        async def create_record(request: Request, issuer_id: str,
                                principal: Principal = scoped("rw:issuer")) -> Response:
            store = store_of(request)
            issuer = issuer_for(store, principal, issuer_id, roles["create"])
            fields = await self.fields(request)
            record = await blocking(call, records.create, store, kind, issuer["entityId"],
                                    fields, created_by=principal.user_id)
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
            (owned, "GET", list_records, f"list_{kind.plural}", 200,
             f"List an issuer's {kind.plural} ({roles['list']})"),
            (owned, "POST", create_record, f"create_{noun}", 201,
             f"Create a {noun} ({roles['create']})"),
            (one, "GET", get_record, f"get_{noun}", 200, f"Get a {noun} ({roles['get']})"),
            (one, "PUT", put_record, f"put_{noun}", 200,
             f"Replace a {noun}'s fields ({roles['update']})"),
            (one, "PATCH", patch_record, f"patch_{noun}", 200,
             f"Change some of a {noun}'s fields ({roles['update']})"),
            (one, "DELETE", delete_record, f"delete_{noun}", 204,
             f"Delete a {noun} ({roles['delete']}; laurel.references applies)"),
        )
        for path, method, endpoint, name, status, summary in routes:
            endpoint.__name__ = name
            self.router.add_api_route(path, endpoint, methods=[method], status_code=status,
                                      summary=summary, operation_id=name)
