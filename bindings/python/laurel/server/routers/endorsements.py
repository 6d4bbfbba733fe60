"""Endorsers and endorsements (laurel.endorsements over REST).

Endorsers (``rw:issuer``) are managed by the user who created them; other users get 404.
Creating one mails a one-time registration link to the endorser's email; the endorser completes
registration with ``POST /v2/endorsers/register`` ``{token, name?, url?, description?}`` (no
authentication: the token is the credential). Only a registered endorser endorses.

Endorsements: ``POST /v2/endorsements`` ``{endorser, claim: {type, entityId,
endorsementComment}}`` by the endorser's manager; on an assertion also ``POST
/v2/assertions/{id}/endorsements`` ``{endorser, endorsementComment}``. The issuer's staff list
an assertion's endorsements; its editors (or the endorser's manager) remove them. The hosted OB 2.0
documents are public: ``/public/endorsements/{id}`` and ``/public/endorsers/{id}``.
"""

from __future__ import annotations

from typing import Any, Dict, List

import laurel
from fastapi import Request
from starlette.responses import Response

from ... import endorsements
from .. import accounts
from ..access import can_see, require, role_of
from ..auth import Principal, scoped, token_key
from ..body import opt_str, read_object
from ..context import blocking, config_of, store_of
from ..envelope import envelope, json_response
from ..errors import ApiError, call, invalid, not_found
from ..invitations import Invitation
from ..record_access import Access
from ..records import RecordRoutes
from .public import cached

Doc = Dict[str, Any]

_PURPOSE = "endorser_registration"
_LD_JSON = "application/ld+json"


def _base(request: Request) -> str:
    return config_of(request).base_url


def _endorser_view(request: Request, record: Doc) -> Doc:
    return {**record, "openBadgeId": f"{_base(request)}/public/endorsers/{record['entityId']}"}


def _endorsement_view(request: Request, record: Doc) -> Doc:
    base = _base(request)
    claim = record["claim"]
    return {**record, "openBadgeId": f"{base}/public/endorsements/{record['entityId']}",
            "endorserOpenBadgeId": f"{base}/public/endorsers/{record['endorser']}",
            "claimOpenBadgeId": endorsements.target_iri(base, claim["type"], claim["entityId"])}


def _mail(record: Doc, token: str, base_url: str) -> str:
    return (f"You were added as the endorser {record['name']} on Laurel. Complete your "
            f"registration by sending POST {base_url}/v2/endorsers/register with "
            f'the JSON body {{"token": "{token}"}}.\n\nregistration token: {token}\n')


# --- endorsers ---------------------------------------------------------------------------------

endorser_routes = RecordRoutes(endorsements.ENDORSER, view=_endorser_view, echo=("openBadgeId",),
                               invitation=Invitation("endorser", _PURPOSE,
                                                     "Complete your registration as an endorser",
                                                     _mail))
_endorser_for = endorser_routes.record_for
router = endorser_routes.router


@router.post("/v2/endorsers/register", summary="Complete an endorser's registration (one-time "
             "token from the mail; no authentication)")
async def register_endorser(request: Request) -> Response:
    body = await read_object(request)
    token = body.pop("token", None)
    changes = {key: value for key, value in body.items() if key in ("name", "url", "description")}
    extra = sorted(set(body) - set(changes))
    if extra:
        raise invalid(extra[0], "cannot be changed at registration")
    store = store_of(request)
    # Check the changes before the token is used up, so a typo does not burn the link.
    if isinstance(token, str) and 0 < len(token) <= 256:
        try:
            pending = store.get_document(accounts.ONE_TIME_KIND, token_key(token))
            current = endorsements.get_endorser(store, pending.get("endorser"))
        except laurel.NotFound:
            current = None
        if current is not None:
            call(endorsements.endorser_fields, changes, current)
    record = await blocking(accounts.consume_one_time, store, _PURPOSE, token)
    try:
        registered = await blocking(call, endorsements.register_endorser, store,
                                    record["endorser"], changes)
    except laurel.NotFound:
        raise invalid("token", "is invalid or was already used") from None
    return envelope([_endorser_view(request, registered)])


# --- endorsements ------------------------------------------------------------------------------

async def _endorse(request: Request, principal: Principal, endorser_id: Any, target_type: str,
                   target_id: str, comment: Any) -> Response:
    store = store_of(request)
    if not isinstance(endorser_id, str) or not endorser_id:
        raise invalid("endorser", "is required: an endorser entityId")
    try:
        endorser = _endorser_for(store, principal, endorser_id)
    except ApiError:
        raise invalid("endorser", "no such endorser of yours") from None
    if not endorser.get("registered"):
        raise ApiError(403, "The endorser has not completed registration.",
                       error_code="permission_denied")
    record = await blocking(call, endorsements.endorse, store, endorser["entityId"], target_type,
                            target_id, comment, created_by=principal.user_id)
    return envelope([_endorsement_view(request, record)], status_code=201)


@router.post("/v2/endorsements", status_code=201,
             summary="Endorse an issuer, badge class or assertion (as an endorser you manage)")
async def create_endorsement(request: Request,
                             principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{endorser, claim: {type: issuer|badgeclass|assertion, entityId,
    endorsementComment}}``."""
    body = await read_object(request)
    claim = body.get("claim")
    if not isinstance(claim, dict):
        raise invalid("claim", "is required: {type, entityId, endorsementComment}")
    return await _endorse(request, principal, body.get("endorser"), claim.get("type"),
                          claim.get("entityId"), claim.get("endorsementComment"))


def _issuer_role(store: Any, principal: Principal, record: Doc) -> str:
    """The caller's role on the issuer of the endorsed entity ('' for none)."""
    claim = record["claim"]
    try:
        if claim["type"] == "issuer":
            issuer_id = claim["entityId"]
        elif claim["type"] == "badgeclass":
            issuer_id = store.get_badgeclass(claim["entityId"]).issuer
        else:
            issuer_id = store.get_assertion(claim["entityId"]).issuer
        issuer = store.get_issuer(issuer_id).to_dict()
    except laurel.NotFound:
        return ""
    if not can_see(principal, issuer, store):
        return ""
    return role_of(issuer, principal.user_id, store) or ""


class _EndorsementAccess(Access):
    """The endorser's manager sees and withdraws an endorsement; the endorsed entity's issuer
    staff see it (listed under the assertion) and its editors remove it."""

    def records(self, store: Any, principal: Principal, request: Request) -> List[Doc]:
        mine = {endorser["entityId"]
                for endorser in endorser_routes.access.records(store, principal, request)}
        return [record for record in endorsements.list_endorsements(store)
                if record["endorser"] in mine]

    def check(self, store: Any, principal: Principal, record: Doc, need: str) -> None:
        try:
            endorser_routes.access.check(store, principal,
                                         endorsements.get_endorser(store, record["endorser"]),
                                         need)
            return
        except (laurel.NotFound, ApiError):
            pass
        role = _issuer_role(store, principal, record)
        if not role:
            raise not_found("Endorsement not found")
        require(role, need, "on the issuer")


endorsement_routes = RecordRoutes(
    endorsements.ENDORSEMENT, view=_endorsement_view,
    echo=("openBadgeId", "endorserOpenBadgeId", "claimOpenBadgeId"),
    access=_EndorsementAccess(endorsements.ENDORSEMENT),
    under=("assertion", endorsements.endorsements_of))
_endorsement_for = endorsement_routes.record_for
router.include_router(endorsement_routes.router)


@router.post("/v2/assertions/{entity_id}/endorsements", status_code=201,
             summary="Add an endorser (one you manage) to an assertion: it endorses it")
async def endorse_assertion(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:issuer")) -> Response:
    """Body ``{endorser, endorsementComment}``."""
    body = await read_object(request)
    comment = opt_str(body, "endorsementComment")
    return await _endorse(request, principal, body.get("endorser"), "assertion", entity_id,
                          comment)


@router.delete("/v2/assertions/{entity_id}/endorsements/{endorsement_id}", status_code=204,
               summary="Remove an endorser from an assertion (issuer editor or its manager)")
async def remove_assertion_endorsement(request: Request, entity_id: str, endorsement_id: str,
                                       principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    record = _endorsement_for(store, principal, endorsement_id, need="editor")
    if record["claim"]["entityId"] != entity_id:
        raise not_found("Endorsement not found")
    await blocking(call, endorsements.delete_endorsement, store, record["entityId"])
    return envelope(status_code=204)


# --- public documents --------------------------------------------------------------------------

@router.api_route("/public/endorsements/{endorsement_id}", methods=["GET", "HEAD"],
                  tags=["public"], summary="An endorsement's hosted Open Badges 2.0 document")
async def public_endorsement(request: Request, endorsement_id: str) -> Response:
    try:
        document = endorsements.public_endorsement(store_of(request), endorsement_id,
                                                   _base(request))
    except laurel.NotFound:
        raise not_found("Endorsement not found") from None
    return cached(request, json_response(document, media_type=_LD_JSON))


@router.api_route("/public/endorsers/{endorser_id}", methods=["GET", "HEAD"],
                  tags=["public"],
                  summary="An endorser's Open Badges 2.0 Profile (once registered)")
async def public_endorser(request: Request, endorser_id: str) -> Response:
    try:
        document = endorsements.public_endorser(store_of(request), endorser_id, _base(request))
    except laurel.NotFound:
        raise not_found("Endorser not found") from None
    return cached(request, json_response(document, media_type=_LD_JSON))
