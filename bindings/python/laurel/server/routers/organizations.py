"""Organizations (laurel.organizations over REST): groups of users that own issuers; a member's
role (owner, editor, staff) is their role on every issuer the organization owns.

``/v2/organizations`` lists yours (you are a member) and creates one (you become its owner);
``/v2/organizations/{id}`` gets (member), changes (PUT replaces the fields, PATCH changes those
given; editor; ``members`` only by an owner) and deletes (owner; its issuers stay, with their
own staff). ``/v2/organizations/{id}/issuers`` lists its issuers (member) and adds one (POST
``{"issuer": id}``: an organization owner who is also the issuer's owner);
``DELETE /v2/organizations/{id}/issuers/{issuer id}`` releases one (organization owner).
Non-members get 404.
"""

from __future__ import annotations

from typing import Any, Dict, List

import laurel
from fastapi import Request
from starlette.responses import Response

from ... import organizations
from .. import accounts
from ..access import issuer_for
from ..auth import Principal, scoped
from ..body import opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found
from ..records import RecordRoutes

Doc = Dict[str, Any]


def _view(request: Request, record: Doc) -> Doc:
    urls = urls_of(request)
    return {**record,
            "issuerOpenBadgeIds": [urls.issuer(issuer_id) for issuer_id in record["issuers"]]}


def _resolve_members(store: Any, principal: Principal, members: Any) -> List[Doc]:
    """Members given by user entityId or account email, as entityIds (400 for unknown users)."""
    if not isinstance(members, list):
        raise invalid("members", "must be a list of {user, role}")
    resolved = []
    for index, member in enumerate(members):
        if isinstance(member, dict) and isinstance(member.get("user"), str) and member["user"]:
            member = {**member, "user": accounts.user_id_of(store, member["user"],
                                                              f"members.{index}.user")}
        resolved.append(member)
    return resolved


routes = RecordRoutes(organizations.ORGANIZATION, view=_view,
                      echo=("issuers", "issuerOpenBadgeIds"),
                      resolve={"members": _resolve_members})
router = routes.router
_organization_for = routes.record_for

@router.get("/v2/organizations/{organization_id}/issuers",
            summary="The issuers an organization owns (member)")
async def organization_issuers(request: Request, organization_id: str,
                               principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    record = _organization_for(store, principal, organization_id)
    found = []
    for issuer_id in organizations.issuers_of(store, record["entityId"]):
        try:
            found.append(urls.issuer_view(store.get_issuer(issuer_id).to_dict()))
        except laurel.NotFound:
            continue
    return envelope(found)


@router.post("/v2/organizations/{organization_id}/issuers", status_code=201,
             summary="The organization takes ownership of an issuer (owner of both)")
async def add_organization_issuer(request: Request, organization_id: str,
                                  principal: Principal = scoped("rw:issuer")) -> Response:
    store, urls = store_of(request), urls_of(request)
    record = _organization_for(store, principal, organization_id, need="owner")
    body = await read_object(request)
    issuer_id = opt_str(body, "issuer")
    if not issuer_id:
        raise invalid("issuer", "is required: an issuer entityId")
    try:
        issuer = issuer_for(store, principal, issuer_id, need="owner")
    except ApiError as error:
        if error.status == 404:
            raise invalid("issuer", "no such issuer of yours") from None
        raise
    await blocking(call, organizations.add_issuer, store, record["entityId"], issuer["entityId"])
    return envelope([urls.issuer_view(issuer)], status_code=201)


@router.delete("/v2/organizations/{organization_id}/issuers/{issuer_id}", status_code=204,
               summary="The organization no longer owns the issuer (owner)")
async def remove_organization_issuer(request: Request, organization_id: str, issuer_id: str,
                                     principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _organization_for(store, principal, organization_id, need="owner")
    try:
        await blocking(call, organizations.remove_issuer, store, record["entityId"], issuer_id)
    except laurel.NotFound:
        raise not_found("Issuer not found") from None
    return envelope(status_code=204)
