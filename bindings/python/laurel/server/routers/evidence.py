"""Evidence items of an assertion (laurel.evidence over REST).

``/v2/assertions/{id}/evidence`` lists (staff) and adds (editor) items;
``/v2/assertions/{id}/evidence/{index}`` gets (staff), replaces (PUT, editor), changes some keys
(PATCH, editor) or deletes (editor) one. Items are named by their 0-based position, returned as
``index`` (a key the server adds and ignores in bodies). Every change goes through the core's
assertion update, which validates it; a revoked assertion cannot change (409).
"""

from __future__ import annotations

from typing import Any, Dict, List

from fastapi import APIRouter, Request
from starlette.responses import Response

from ... import evidence
from ..access import assertion_for
from ..auth import Principal, scoped
from ..body import read_object
from ..context import blocking, store_of
from ..envelope import envelope
from ..errors import call, not_found

router = APIRouter(tags=["evidence"])

Doc = Dict[str, Any]


def _views(items: List[Doc]) -> List[Doc]:
    return [{**item, "index": index} for index, item in enumerate(items)]


def _one(items: List[Doc], index: int) -> Doc:
    if not 0 <= index < len(items):
        raise not_found("Evidence not found")
    return {**items[index], "index": index}


async def _body(request: Request) -> Doc:
    body = await read_object(request)
    body.pop("index", None)
    return body


@router.get("/v2/assertions/{entity_id}/evidence", summary="List an assertion's evidence")
async def list_evidence(request: Request, entity_id: str,
                        principal: Principal = scoped("rw:issuer")) -> Response:
    assertion, _ = assertion_for(store_of(request), principal, entity_id)
    return envelope(_views(assertion.get("evidence") or []))


@router.post("/v2/assertions/{entity_id}/evidence", status_code=201,
             summary="Add an evidence item (editor)")
async def add_evidence(request: Request, entity_id: str,
                       principal: Principal = scoped("rw:issuer")) -> Response:
    """Body: ``{url, narrative, name, description, genre, audience}`` (a url or a narrative is
    required)."""
    store = store_of(request)
    assertion, _ = assertion_for(store, principal, entity_id, need="editor")
    body = await _body(request)
    updated, index = await blocking(call, evidence.add_evidence, store, assertion["entityId"],
                                    body)
    return envelope([_one(updated.to_dict()["evidence"], index)], status_code=201)


@router.get("/v2/assertions/{entity_id}/evidence/{index}", summary="Get one evidence item")
async def get_evidence(request: Request, entity_id: str, index: int,
                       principal: Principal = scoped("rw:issuer")) -> Response:
    assertion, _ = assertion_for(store_of(request), principal, entity_id)
    return envelope([_one(assertion.get("evidence") or [], index)])


async def _update(request: Request, entity_id: str, index: int, principal: Principal,
                  replace: bool) -> Response:
    store = store_of(request)
    assertion, _ = assertion_for(store, principal, entity_id, need="editor")
    _one(assertion.get("evidence") or [], index)
    body = await _body(request)
    updated = await blocking(call, evidence.update_evidence, store, assertion["entityId"], index,
                             body, replace=replace)
    return envelope([_one(updated.to_dict()["evidence"], index)])


@router.put("/v2/assertions/{entity_id}/evidence/{index}",
            summary="Replace an evidence item (editor)")
async def put_evidence(request: Request, entity_id: str, index: int,
                       principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, entity_id, index, principal, replace=True)


@router.patch("/v2/assertions/{entity_id}/evidence/{index}",
              summary="Change some keys of an evidence item (editor; null removes a key)")
async def patch_evidence(request: Request, entity_id: str, index: int,
                         principal: Principal = scoped("rw:issuer")) -> Response:
    return await _update(request, entity_id, index, principal, replace=False)


@router.delete("/v2/assertions/{entity_id}/evidence/{index}", status_code=204,
               summary="Delete an evidence item (editor; later items move up)")
async def delete_evidence(request: Request, entity_id: str, index: int,
                          principal: Principal = scoped("rw:issuer")) -> Response:
    store = store_of(request)
    assertion, _ = assertion_for(store, principal, entity_id, need="editor")
    _one(assertion.get("evidence") or [], index)
    await blocking(call, evidence.delete_evidence, store, assertion["entityId"], index)
    return envelope(status_code=204)
