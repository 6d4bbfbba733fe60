"""Who may see and change the records of a document kind (laurel.server.records): an Access,
chosen by the kind's ``owner``. An issuer's records are governed by its staff roles (collection
``/v2/issuers/{id}/<plural>``); a user's records (an endorser's ``owner``) by that user alone
(collection ``/v2/<plural>``); a record without an owner by its ``members`` [{user, role}] (an
organization; collection ``/v2/<plural>``). A kind may bring its own (endorsements). A record
the caller may not see is 404, as an unknown one is; a role too low is 403.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from fastapi import Request

from .. import records
from ..records import RecordKind
from .access import issuer_for, require
from .auth import Principal
from .errors import ApiError, not_found

__all__ = ["Access", "IssuerAccess", "UserAccess", "MemberAccess", "access_for"]

Doc = Dict[str, Any]


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
