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
from fastapi import APIRouter, Request
from starlette.responses import Response

from ... import organizations
from .. import accounts
from ..access import ROLE_RANK, issuer_for
from ..auth import Principal, scoped
from ..body import opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found

router = APIRouter(tags=["organizations"])

Doc = Dict[str, Any]

_SERVER_KEYS = ("entityId", "entityType", "createdAt", "createdBy", "updatedAt", "issuers")


def _view(request: Request, record: Doc) -> Doc:
    store, urls = store_of(request), urls_of(request)
    issuers = organizations.issuers_of(store, record["entityId"])
    return {**record, "issuers": issuers,
            "issuerOpenBadgeIds": [urls.issuer(issuer_id) for issuer_id in issuers]}


def _organization_for(store: Any, principal: Principal, organization_id: str,
                      need: str = "staff") -> Doc:
    try:
        record = organizations.get_organization(store, organization_id)
    except laurel.NotFound:
        raise not_found("Organization not found") from None
    role = next((member["role"] for member in record.get("members", [])
                 if member["user"] == principal.user_id), None)
    if role is None or principal.issuer_only is not None:
        raise not_found("Organization not found")
    if ROLE_RANK[role] < ROLE_RANK[need]:
        raise ApiError(403, f"This needs the {need} role in the organization; you are {role}.",
                       error_code="permission_denied")
    return record


def _resolve_members(store: Any, members: Any) -> List[Doc]:
    """Members given by user entityId or account email, as entityIds (400 for unknown users)."""
    if not isinstance(members, list):
        raise invalid("members", "must be a list of {user, role}")
    resolved = []
    for index, member in enumerate(members):
        if isinstance(member, dict) and isinstance(member.get("user"), str) and member["user"]:
            user = member["user"]
            if "@" in user:
                found = accounts.find_verified_user(store, user)
                if found is None:
                    raise invalid(f"members.{index}.user", "no account has confirmed this email")
                user = found["entityId"]
            else:
                try:
                    store.get_document(accounts.USER_KIND, user)
                except (laurel.NotFound, laurel.ValidationError):
                    raise invalid(f"members.{index}.user", "no such user") from None
            member = {**member, "user": user}
        resolved.append(member)
    return resolved


@router.get("/v2/organizations", summary="The organizations you are a member of")
async def list_organizations(request: Request,
                             principal: Principal = scoped("rw:issuer")) -> Response:
    if principal.issuer_only is not None:
        return envelope([])
    store = store_of(request)

    def views() -> List[Doc]:
        return [_view(request, record)
                for record in organizations.list_organizations(store, principal.user_id)]

    return envelope(await blocking(views))


@router.post("/v2/organizations", status_code=201,
             summary="Create an organization (you become its owner)")
async def create_organization(request: Request,
                              principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{name, description, url, email}``."""
    if principal.issuer_only is not None:
        raise ApiError(403, "An issuer token cannot create organizations.",
                       error_code="permission_denied")
    store = store_of(request)
    body = await read_object(request)
    fields = {key: value for key, value in body.items() if key not in _SERVER_KEYS}
    members = fields.pop("members", None)
    if members is not None:
        members = _resolve_members(store, members)
    record = await blocking(call, organizations.create_organization, store, fields,
                            created_by=principal.user_id, members=members)
    return envelope([_view(request, record)], status_code=201)


@router.get("/v2/organizations/{organization_id}", summary="Get an organization (member)")
async def get_organization(request: Request, organization_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    record = _organization_for(store_of(request), principal, organization_id)
    return envelope([_view(request, record)])


async def _update(request: Request, organization_id: str, principal: Principal,
                  replace: bool) -> Response:
    store = store_of(request)
    record = _organization_for(store, principal, organization_id, need="editor")
    body = await read_object(request)
    fields = {key: value for key, value in body.items() if key not in _SERVER_KEYS}
    members = fields.pop("members", None)
    if members is not None:
        members = _resolve_members(store, members)
        if members != record["members"]:
            _organization_for(store, principal, organization_id, need="owner")
        call(organizations.check_members, members)  # refuse a bad list before changing anything

    def write() -> Doc:
        updated = organizations.update_organization(store, record["entityId"], fields,
                                                    replace=replace)
        if members is not None and members != record["members"]:
            updated = organizations.set_members(store, record["entityId"], members)
        return updated

    updated = await blocking(call, write)
    return envelope([_view(request, updated)])


@router.put("/v2/organizations/{organization_id}",
            summary="Replace an organization's fields (editor; members: owner)")
async def put_organization(request: Request, organization_id: str,
                           principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, organization_id, principal, replace=True)


@router.patch("/v2/organizations/{organization_id}",
              summary="Change some of an organization's fields (editor; members: owner)")
async def patch_organization(request: Request, organization_id: str,
                             principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, organization_id, principal, replace=False)


@router.delete("/v2/organizations/{organization_id}", status_code=204,
               summary="Delete an organization (owner; its issuers stay)")
async def delete_organization(request: Request, organization_id: str,
                              principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _organization_for(store, principal, organization_id, need="owner")
    await blocking(call, organizations.delete_organization, store, record["entityId"])
    return envelope(status_code=204)


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
