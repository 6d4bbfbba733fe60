"""Issuers: ``/v2/issuers``, ``/v2/issuers/{id}`` and the ``openBadgeId/{b64}`` and ``ref/{b64}``
forms, which name an issuer by its base64-encoded public URL.

The creator becomes the issuer's owner. ``didWeb`` (bool) and ``credentialStatus`` (bitstring,
1edtech or both) are the issuer's Open Badges 3.0 settings (docs/verification.md). PUT and PATCH
both apply Badgr's PATCH rules (only the keys present change; the core refuses read-only and
unknown keys by name). Changing ``staff`` needs the owner role, staff users are given by entityId
or by an account's email, and an issuer always keeps at least one owner.
"""

from __future__ import annotations

from typing import Any, Dict, List

from fastapi import APIRouter, Request
from starlette.responses import Response

from ... import references
from .. import accounts, extras
from ..access import ROLE_RANK, can_see, issuer_for, role_of
from ..auth import Principal, scoped
from ..body import opt_dict, opt_list, opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found
from ..views import decode_open_badge_id

router = APIRouter(tags=["issuers"])

_CREATE_KEYS = {"name", "email", "url", "description", "image", "extensions", "didWeb",
                "credentialStatus"}
# Open Badges 3.0 settings, set with the owner right after creation (core names, no conversion).
_OB3_KEYS = ("didWeb", "credentialStatus")


@router.get("/v2/issuers", summary="List your issuers")
async def list_issuers(request: Request, principal: Principal = scoped("rw:issuer")) -> Response:
    urls, store = urls_of(request), store_of(request)

    def visible() -> List[Dict[str, Any]]:  # a scan of every issuer: off the event loop
        issuers = [issuer.to_dict() for issuer in store.list_issuers()]
        return [urls.issuer_view(issuer) for issuer in issuers if can_see(principal, issuer, store)]

    return envelope(await blocking(visible))


@router.post("/v2/issuers", status_code=201, summary="Create an issuer (you become its owner)")
async def create_issuer(request: Request, principal: Principal = scoped("rw:issuer")) -> Response:
    if principal.issuer_only is not None:
        raise ApiError(403, "An issuer token cannot create issuers.", error_code="permission_denied")
    store, urls = store_of(request), urls_of(request)
    body, kept = urls.split_body(await read_object(request), "Issuer")
    extensions = opt_dict(body, "extensions")
    issuer = await blocking(
        call, store.create_issuer, opt_str(body, "name") or "", opt_str(body, "email") or "",
        opt_str(body, "url") or "", opt_str(body, "description"), opt_str(body, "image"),
        created_by=principal.user_id)
    # The Python API creates an issuer without staff; the owner (and extensions) are set right
    # after, and the issuer is deleted again if that fails, so a failed request leaves nothing.
    patch: Dict[str, Any] = {"staff": [{"user": principal.user_id, "role": "owner"}]}
    if extensions:
        patch["extensions"] = extensions
    patch.update({key: body[key] for key in _OB3_KEYS if body.get(key) is not None})
    try:
        issuer = await blocking(call, store.update_issuer, issuer.entity_id, **patch)
        if kept:
            await blocking(extras.save, store, "Issuer", issuer.entity_id, kept)
    except BaseException:
        await blocking(store.delete_issuer, issuer.entity_id)
        raise
    ignored = sorted(set(body) - _CREATE_KEYS - {"staff", "entityType"})
    warnings = {key: ["not stored by Laurel; ignored"] for key in ignored}
    return envelope([urls.issuer_view(issuer.to_dict())], status_code=201, warnings=warnings)


def _issuer_id(request: Request, form: str, ref: str) -> str:
    if form == "id":
        return ref
    url = decode_open_badge_id(ref)
    entity_id = urls_of(request).local_id(url, "issuers") if url else None
    if entity_id is None:
        raise not_found("Issuer not found")
    return entity_id


def _resolve_staff(store: Any, staff: List[Any]) -> List[Dict[str, str]]:
    resolved = []
    for index, member in enumerate(staff):
        field = f"staff.{index}"
        if not isinstance(member, dict):
            raise invalid(field, "must be an object {user, role}")
        user, role = member.get("user"), member.get("role")
        if not isinstance(user, str) or not user:
            raise invalid(f"{field}.user", "is required")
        if role not in ROLE_RANK:
            raise invalid(f"{field}.role", "must be owner, editor or staff")
        resolved.append({"user": accounts.user_id_of(store, user, f"{field}.user"), "role": role})
    if not any(member["role"] == "owner" for member in resolved):
        raise invalid("staff", "an issuer needs at least one owner")
    return resolved


async def _get(request: Request, issuer_id: str, principal: Principal) -> Response:
    issuer = issuer_for(store_of(request), principal, issuer_id)
    return envelope([urls_of(request).issuer_view(issuer)])


async def _update(request: Request, issuer_id: str, principal: Principal) -> Response:
    store, urls = store_of(request), urls_of(request)
    current = issuer_for(store, principal, issuer_id, need="editor")
    body, kept = urls.split_body(await read_object(request), "Issuer")
    if "staff" in body:
        staff = opt_list(body, "staff")
        if staff is None:
            raise invalid("staff", "must be a list")
        staff = _resolve_staff(store, staff)
        if staff != current.get("staff"):
            if role_of(current, principal.user_id, store) != "owner":
                raise ApiError(403, "Only an owner may change the staff.",
                               error_code="permission_denied")
        body["staff"] = staff
    updated = await blocking(call, store.update_issuer, current["entityId"], **body)
    if kept:
        await blocking(extras.save, store, "Issuer", current["entityId"], kept)
    return envelope([urls.issuer_view(updated.to_dict())])


async def _delete(request: Request, issuer_id: str, principal: Principal) -> Response:
    store = store_of(request)
    current = issuer_for(store, principal, issuer_id, need="owner")
    await blocking(call, references.delete_issuer, store, current["entityId"])
    return envelope(status_code=204)


def _register(form: str, prefix: str) -> None:
    # Standard base64 may contain "/", so the encoded forms take the rest of the path.
    path = f"/v2/issuers/{prefix}{{ref:path}}" if prefix else "/v2/issuers/{ref}"
    what = {"id": "", "openBadgeId": " by its base64 openBadgeId",
            "ref": " by its base64 reference"}[form]

    async def get_issuer(request: Request, ref: str,
                         principal: Principal = scoped("rw:issuer")) -> Response:
        return await _get(request, _issuer_id(request, form, ref), principal)

    async def put_issuer(request: Request, ref: str,
                         principal: Principal = scoped("rw:issuer")) -> Response:
        return await _update(request, _issuer_id(request, form, ref), principal)

    async def delete_issuer(request: Request, ref: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
        return await _delete(request, _issuer_id(request, form, ref), principal)

    for function, verb in ((get_issuer, "get"), (put_issuer, "put"), (delete_issuer, "delete")):
        function.__name__ = f"{verb}_issuer_{form}"
    router.add_api_route(path, get_issuer, methods=["GET"], summary=f"Get an issuer{what}")
    router.add_api_route(path, put_issuer, methods=["PUT"], summary=f"Update an issuer{what}")
    router.add_api_route(path, put_issuer, methods=["PATCH"],
                         summary=f"Update an issuer{what} (same as PUT)",
                         operation_id=f"patch_issuer_{form}")
    router.add_api_route(path, delete_issuer, methods=["DELETE"], status_code=204,
                         summary=f"Delete an issuer{what} (owner; no badge classes left)")


# The base64 forms first, so "openBadgeId" is never taken for an issuer id.
_register("openBadgeId", "openBadgeId/")
_register("ref", "ref/")
_register("id", "")
