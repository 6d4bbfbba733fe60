"""Qualifying badges for claims (laurel.claims over REST).

Staff of a badge class's issuer (``rw:issuer``) read its qualifying list; editors set it (PUT,
which makes the badge class claimable) or remove it (DELETE). A qualifying badge class must be
one the editor can see (a badge class of one of their issuers): others are "no such badge class",
so the list cannot probe another user's ids.

A signed-in user (``rw:backpack``) checks (GET) or makes (POST) a claim at
``/v2/badgeclasses/{id}/claim``: the qualifying badges may be held under any of the account's
verified emails, and the award goes to ``email`` from the body (one of them) or the primary one.
A badge class that does not exist or is not claimable is 404 to them; a claim that does not
qualify is 403 ``not_qualified`` naming each missing badge class; a second claim is 409.
"""

from __future__ import annotations

from typing import Any, Dict, List

import laurel
from fastapi import Request
from starlette.responses import Response

from ... import claims
from .. import accounts
from ..access import badgeclass_for
from ..auth import Principal, scoped
from ..body import opt_str, read_object
from ..context import blocking, store_of, urls_of
from ..envelope import envelope
from ..errors import ApiError, call, invalid, not_found
from ..records import SingleRoutes

Doc = Dict[str, Any]


def _view(request: Request, record: Doc) -> Doc:
    urls = urls_of(request)
    return {"entityType": "QualifyingBadges", "badgeclass": record["badgeclass"],
            "badgeclassOpenBadgeId": urls.badgeclass(record["badgeclass"]),
            "qualifying": list(record["qualifying"]),
            "qualifyingOpenBadgeIds": [urls.badgeclass(item) for item in record["qualifying"]],
            "createdBy": record.get("createdBy"), "updatedAt": record.get("updatedAt")}


def _visible(store: Any, principal: Principal, qualifying: Any) -> Any:
    """A qualifying badge class must be one the editor can see: others are "no such badge
    class", so the list cannot probe another user's ids (other values are the core's to refuse)."""
    for index, item in enumerate(qualifying if isinstance(qualifying, list) else []):
        if isinstance(item, str) and item:
            try:
                badgeclass_for(store, principal, item)
            except ApiError as error:
                if error.status == 404:
                    raise invalid(f"qualifying.{index}", "no such badge class") from None
                raise
    return qualifying


routes = SingleRoutes(claims.CLAIMABLE, view=_view, resolve={"qualifying": _visible})
router = routes.router


def _claimant(request: Request, principal: Principal, body: Doc) -> List[str]:
    """The account's verified emails, the one to award to first."""
    try:
        user = accounts.get_user(store_of(request), principal.user_id)
    except laurel.NotFound:
        raise not_found("User not found") from None
    emails = accounts.verified_emails(user)
    if not emails:
        raise ApiError(403, "Verify an email address before claiming badges.",
                       error_code="permission_denied")
    chosen = opt_str(body, "email")
    if chosen is not None:
        normalized = accounts.normalize_email(chosen)
        match = [email for email in emails if accounts.normalize_email(email) == normalized]
        if not match:
            raise invalid("email", "is not one of your verified email addresses")
        emails = match + [email for email in emails if email not in match]
    return emails


def _claimable(store: Any, entity_id: str) -> Doc:
    try:
        return claims.get_qualifying(store, entity_id)
    except laurel.NotFound:
        raise not_found("BadgeClass not found") from None


@router.get("/v2/badgeclasses/{entity_id}/claim",
            summary="Whether you qualify to claim a badge class, and what is missing")
async def check_claim(request: Request, entity_id: str,
                      principal: Principal = scoped("rw:backpack")) -> Response:
    store = store_of(request)
    record = _claimable(store, entity_id)
    emails = _claimant(request, principal, {})
    missing = await blocking(call, claims.missing_badges, store, record["badgeclass"], emails)
    view = _view(request, record)
    view.update({"qualifies": not missing, "missing": missing})
    return envelope([view])


@router.post("/v2/badgeclasses/{entity_id}/claim", status_code=201,
             summary="Claim a claimable badge class: awarded when you hold every qualifying one")
async def make_claim(request: Request, entity_id: str,
                     principal: Principal = scoped("rw:backpack")) -> Response:
    """Body (optional) ``{"email": one of your verified emails}``: the address awarded."""
    store = store_of(request)
    body = await read_object(request, allow_empty=True)
    record = _claimable(store, entity_id)
    emails = _claimant(request, principal, body)
    try:
        assertion = await blocking(call, claims.claim, store, record["badgeclass"], emails,
                                   created_by=principal.user_id)
    except claims.NotQualified as refused:
        names = []
        for missing_id in refused.missing:
            try:
                names.append(f"{store.get_badgeclass(missing_id).name} ({missing_id})")
            except laurel.NotFound:
                names.append(missing_id)
        raise ApiError(403, "The claim does not qualify",
                       non_field_errors=[f"missing qualifying badge class: {name}"
                                         for name in names],
                       error_code="not_qualified") from None
    return envelope([urls_of(request).assertion_view(assertion.to_dict())], status_code=201)
