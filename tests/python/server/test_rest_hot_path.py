"""The hot read path (docs/rest.md, "Speed"): simple endpoints are called without FastAPI's
dependency solving (server/lean.py), the bearer token is read once per request and shared by the
rate limiter and the endpoint. Nothing of that may change what a client sees: a revoked token
fails on the very next request in every worker, dependency overrides still apply, and the
answers are the same as FastAPI's."""

from __future__ import annotations

import asyncio
import json
import tempfile
from typing import Any, Set

import httpx
import laurel
import pytest
from laurel.server.app import create_app
from laurel.server.auth import Principal
from laurel.server.config import ServerConfig
from laurel.server.dispatch import flat_routes
from laurel.server.envelope import envelope
from laurel.server.lean import lean_handler
from starlette.responses import Response
from rest_helpers import (award, failed, login, make_user, new_badgeclass, new_issuer,
                          ok)


def _route(app: Any, method: str, path: str) -> Any:
    for route in flat_routes(app.router.routes):
        if getattr(route, "path", None) == path and method in (route.methods or ()):
            return route
    raise AssertionError(f"no route {method} {path}")


def test_the_hot_routes_are_called_directly_and_others_through_fastapi() -> None:
    app = create_app(ServerConfig(data=tempfile.mkdtemp()))
    for method, path in (("GET", "/v2/assertions/{entity_id}"),
                         ("GET", "/public/assertions/{entity_id}"),
                         ("POST", "/v2/{scope}/{entity_id}/assertions")):
        assert lean_handler(_route(app, method, path)) is not None, path
    # Query parameters are validated by FastAPI (num: 1..1000): that route stays with it.
    assert lean_handler(_route(app, "GET", "/v2/{scope}/{entity_id}/assertions")) is None


def _token_ids(client: httpx.Client) -> Set[str]:
    return {token["entityId"] for token in ok(client.get("/v2/auth/tokens"))}


def test_a_revoked_token_fails_on_the_next_request_in_every_worker(server, alice) -> None:
    issuer = new_issuer(alice)
    badge = new_badgeclass(alice, issuer["entityId"])
    assertion = award(alice, badge["entityId"], "hot-path@example.org")
    path = f"/v2/assertions/{assertion['entityId']}"
    with alice.client() as client:
        before = _token_ids(client)
        second = login(server, alice.email).json()["access_token"]
        (second_id,) = _token_ids(client) - before
    headers = {"Authorization": f"Bearer {second}"}
    # A new connection each time, so both workers serve the token (and could have kept it).
    for _ in range(6):
        got = ok(httpx.get(server.url + path, headers=headers, timeout=30))
        assert got[0]["entityId"] == assertion["entityId"]
    with alice.client() as client:
        ok(client.delete(f"/v2/auth/tokens/{second_id}"), 204)
    for _ in range(6):
        response = httpx.get(server.url + path, headers=headers, timeout=30)
        assert failed(response, 401)["errorCode"] == "unauthorized"
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_staff_changes_and_renames_show_on_the_next_get_in_every_worker(server, alice) -> None:
    """The hot GET reads only the issuer's staff and the badge class's name (Store.issuer_staff,
    Store.badgeclass_name), from the store on every request: nothing is kept per worker."""
    reader = make_user(server, "reader")
    issuer = new_issuer(alice)
    badge = new_badgeclass(alice, issuer["entityId"], name="Before")
    assertion = award(alice, badge["entityId"], "hot-staff@example.org")
    path = f"/v2/assertions/{assertion['entityId']}"
    headers = {"Authorization": f"Bearer {reader.token}"}

    def get() -> httpx.Response:  # a new connection each time: both workers answer
        return httpx.get(server.url + path, headers=headers, timeout=30)

    for _ in range(4):
        failed(get(), 404)  # not on the staff: the assertion does not exist for them
    issuer_path = f"/v2/issuers/{issuer['entityId']}"
    roster = [{"user": alice.entity_id, "role": "owner"},
              {"user": reader.entity_id, "role": "staff"}]
    with alice.client() as client:
        ok(client.put(issuer_path, json={"staff": roster}))
    for _ in range(4):
        assert ok(get())[0]["badgeclassName"] == "Before"
    with alice.client() as client:
        ok(client.put(f"/v2/badgeclasses/{badge['entityId']}", json={"name": "After"}))
    for _ in range(4):
        assert ok(get())[0]["badgeclassName"] == "After"
    with alice.client() as client:
        ok(client.put(issuer_path, json={"staff": roster[:1]}))
    for _ in range(4):
        failed(get(), 404)


def test_dependency_overrides_still_apply_to_directly_called_routes() -> None:
    """An override of the ``scoped`` dependency is honoured (the route goes through FastAPI
    while overrides are set): without any token the overridden principal is used."""
    data = tempfile.mkdtemp()
    store = laurel.Store(data)
    try:
        issuer = store.create_issuer("Override U", "o@example.org", "https://example.org")
        badge = store.create_badgeclass(issuer.entity_id, "Override", "A badge")
        assertion = store.issue(badge.entity_id, "learner@example.org")
        store.update_issuer(issuer.entity_id, staff=[{"user": "tester", "role": "owner"}])
        app = create_app(ServerConfig(data=data), store=store)
        app.state.store = app.state.urls.store = store  # what the lifespan does
        route = _route(app, "GET", "/v2/assertions/{entity_id}")
        (dependency,) = route.dependant.dependencies
        app.dependency_overrides[dependency.call] = lambda: Principal(
            user_id="tester", scopes=frozenset({"rw:issuer"}), token_id="t")

        async def get() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get(f"/v2/assertions/{assertion.entity_id}")

        response = asyncio.run(get())
        assert ok(response)[0]["entityId"] == assertion.entity_id
        app.dependency_overrides.clear()
        assert failed(asyncio.run(get()), 401)["errorCode"] == "unauthorized"
    finally:
        store.close()


@pytest.mark.parametrize("status", [200, 201, 400, 404, 429, 204])
def test_envelopes_are_what_starlette_would_send(status: int) -> None:
    """envelope() builds its Response without Response.__init__ (and its body with the json C
    encoder made once): status, headers and body are still Starlette's, byte for byte."""
    result = [{"name": "é\u2028\x01\"", "score": 1e-05, "big": 2 ** 70, "none": None,
               "nested": {"list": [1, 2.5, True]}}]
    got = envelope(result, status_code=status, warnings={"x": ["y"]})
    body = json.dumps(json.loads(got.body), ensure_ascii=False,
                      separators=(",", ":")).encode() if got.body else b""
    assert got.body == body
    expected = Response(body or None, status_code=status, media_type="application/json")
    if status == 204:
        expected = Response(status_code=204, headers={})
    assert (got.status_code, got.raw_headers, got.body) == (
        expected.status_code, expected.raw_headers, expected.body)
    with_header = envelope(result, status_code=status, headers={"Retry-After": "3"})
    assert with_header.raw_headers[0] == (b"retry-after", b"3")
