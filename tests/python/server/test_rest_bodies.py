"""Body decoding (issue 12): lone UTF-16 surrogates, NaN/Infinity, duplicate keys and bytes that
are not UTF-8 are 400s on every route that takes a body, authenticated or not, JSON or form, and
nothing is written before the body is validated (no share link for a refused publish, no burnt
one-time token for a refused password)."""

from __future__ import annotations

import base64
import itertools
import re

import httpx
import laurel
import pytest

from ob3_helpers import register, tokens_for
from rest_helpers import (PASSWORD, failed, make_user, new_badgeclass, new_issuer, ok,
                          unique_email)

BAD_BODIES = {
    "surrogate value": b'{"name": "\\ud800", "email": "a@example.org", "token": "\\udfff"}',
    "surrogate key": b'{"\\udc00": 1}',
    "surrogate in an array": b'[{"entityId": "\\ud800"}]',
    "encoded surrogate": b'{"name": "\xed\xa0\x80"}',
    "NaN": b'{"name": NaN}',
    "Infinity": b'{"amount": -Infinity}',
    "duplicate keys": b'{"name": "a", "name": "b"}',
    "not UTF-8": b'{"name": "\xff"}',
}


@pytest.fixture(scope="module")
def world(server):
    user = make_user(server, "bodies")
    issuer = new_issuer(user, "Bodies U")
    badgeclass = new_badgeclass(user, issuer["entityId"])
    with user.client() as client:
        assertion = ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                   json={"recipient": {"identity": user.email},
                                         "evidence": [{"url": "https://e.example/1"}]}),
                       201)[0]
        collection = ok(client.post("/v2/backpack/collections", json={"name": "Mine"}), 201)[0]
        recipient = ok(client.post(f"/v2/issuers/{issuer['entityId']}/recipients",
                                   json={"name": "R", "email": unique_email("r")}), 201)[0]
        endorser = ok(client.post("/v2/endorsers", json={
            "name": "E", "email": unique_email("e"), "url": "https://e.example"}), 201)[0]
        alignment = ok(client.post(f"/v2/issuers/{issuer['entityId']}/alignments", json={
            "targetName": "Statistics", "targetUrl": "https://example.org/stats"}), 201)[0]
        event = ok(client.post(f"/v2/issuers/{issuer['entityId']}/events", json={
            "name": "Fair", "startDate": "2026-05-01"}), 201)[0]
        organization = ok(client.post("/v2/organizations", json={
            "name": "Guild", "url": "https://guild.example.org"}), 201)[0]
    ids = {"issuer_id": [issuer["entityId"]], "alignment_id": [alignment["entityId"]],
           "event_id": [event["entityId"]], "organization_id": [organization["entityId"]],
           "recipient_id": [recipient["entityId"]], "endorser_id": [endorser["entityId"]],
           "record_id": [alignment["entityId"], event["entityId"], recipient["entityId"]],
           "index": ["0"], "scope": ["issuers", "badgeclasses"],
           "ref": [base64.urlsafe_b64encode(f"{server.url}/public/issuers/{issuer['entityId']}"
                                            .encode()).decode().rstrip("="),
                   issuer["entityId"]],
           "entity_id": [issuer["entityId"], badgeclass["entityId"], assertion["entityId"],
                         collection["entityId"], "self"]}
    # The OB 3.0 API takes its own tokens (the spec's scopes), from its authorization flow.
    ids["ob3_token"] = tokens_for(register(server), user)["access_token"]
    return user, ids


def _body_routes(server):
    """Every (method, path template) of the service that may take a body."""
    spec = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    order = ("post", "put", "patch", "delete")  # deletes last: they remove the fixtures
    # The OB 3.0 API takes its own tokens (tests/python/server/test_ob3_api.py covers it; its
    # JSON goes through the same decoder).
    return sorted(((method.upper(), path) for path, item in spec["paths"].items()
                   for method in item if method in order and not path.startswith("/ims/")),
                  key=lambda route: (order.index(route[0].lower()), route[1]))


def _fill(path, ids):
    names = re.findall(r"{(\w+)}", path)
    for choice in itertools.product(*(ids.get(name, ["x"]) for name in names)):
        filled = path
        for name, value in zip(names, choice):
            filled = filled.replace("{" + name + "}", value)
        yield filled


def test_every_route_refuses_undecodable_bodies_with_400(server, world):
    user, ids = world
    unreached = []
    with user.client() as client:
        for method, template in _body_routes(server):
            statuses = set()
            headers = {"Content-Type": "application/json"}
            if template.startswith("/ims/ob/v3p0/") and "/oauth/" not in template:
                headers["Authorization"] = f"Bearer {ids['ob3_token']}"
            for path in _fill(template, ids):
                for name, body in BAD_BODIES.items():
                    response = client.request(method, path, content=body, headers=headers)
                    assert response.status_code < 500, (method, path, name, response.text)
                    statuses.add(response.status_code)
                if 400 in statuses:
                    break
            if 400 not in statuses:
                unreached.append((method, template, sorted(statuses)))
    # Routes without a body (deletes, invites) never read one; everything else said 400.
    for method, template, statuses in unreached:
        assert method == "DELETE" or template.endswith("/invite"), (method, template, statuses)


@pytest.mark.parametrize("path", ["/o/token", "/v2/users", "/v1/user/forgot-password",
                                  "/v2/recipients/register", "/v2/endorsers/register",
                                  "/v1/user/confirmemail"])
def test_unauthenticated_routes_refuse_every_bad_body(server, path):
    for name, body in BAD_BODIES.items():
        response = httpx.post(f"{server.url}{path}", content=body, timeout=30,
                              headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (path, name, response.text)


def test_form_bodies_with_bad_text_are_400(server):
    for body, error in ((b"grant_type=password&username=%ED%A0%80&password=x", None),
                        (b"grant_type=password&username=\xed\xa0\x80&password=x", None),
                        (b"grant_type=password&username=a&username=b&password=x",
                         "invalid_request")):
        response = httpx.post(f"{server.url}/o/token", content=body, timeout=30,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 400, response.text
        assert error is None or response.json()["error"] == error
    response = httpx.post(f"{server.url}/v1/user/forgot-password", timeout=30,
                          content=b"email=a%40example.org&email=b%40example.org",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    failed(response, 400)


def test_a_refused_publish_leaves_no_share_link(server, world):
    user, _ = world
    with user.client() as client:
        collection = ok(client.post("/v2/backpack/collections", json={"name": "Private"}),
                        201)[0]
        path = f"/v2/backpack/collections/{collection['entityId']}"
        for body in (b'{"published": true, "name": "\\ud800"}',
                     b'{"published": true, "description": NaN}'):
            failed(client.put(path, content=body,
                              headers={"Content-Type": "application/json"}), 400)
        failed(client.post("/v2/backpack/collections",
                           content=b'{"published": true, "name": "\\udfff"}',
                           headers={"Content-Type": "application/json"}), 400)
        assert ok(client.get(path))[0]["published"] is False
    with server.open_store() as store:  # the same LMDB environment, from this process
        shares = store.list_documents("collection_share", None)
    assert collection["entityId"] not in [share["collection"] for _, share in shares]


def test_a_refused_password_body_keeps_the_recovery_token(server):
    user = make_user(server, "keeptoken")
    ok(httpx.post(f"{server.url}/v1/user/forgot-password", json={"email": user.email},
                  timeout=30))
    body = server.mails_to(user.email)[-1].get_content()
    token = re.search(r"token=(\S+)", body).group(1)
    for raw in (b'{"token": "%s", "password": "\\ud800\\ud800\\ud800\\ud800\\ud800"}',
                b'{"token": "%s", "token": "%s", "password": "long enough pw"}'):
        response = httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                             content=raw.replace(b"%s", token.encode()),
                             headers={"Content-Type": "application/json"})
        failed(response, 400)
    ok(httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                 json={"token": token, "password": "a new password here"}))
    assert httpx.post(f"{server.url}/o/token", timeout=30, data={
        "grant_type": "password", "username": user.email,
        "password": "a new password here"}).status_code == 200
    assert PASSWORD  # the old one no longer works, checked by the recovery tests
