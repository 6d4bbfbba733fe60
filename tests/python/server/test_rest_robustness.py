"""Bad requests never give a 500 and never half-write; oversized bodies are refused."""

from __future__ import annotations

import json

import httpx
import pytest

from rest_helpers import failed, make_user, new_badgeclass, new_issuer, ok

JUNK = [
    b"", b"{", b"[]", b"null", b"1", b'"text"', b'{"a":', b"\xff\xfe\x00",
    b"[" * 5000 + b"]" * 5000,
    json.dumps({"name": None, "email": None, "url": None}).encode(),
    json.dumps({"name": 1, "email": [], "url": {}, "description": 2.5, "image": True}).encode(),
    json.dumps({"recipient": {"identity": None}}).encode(),
    json.dumps({"recipient": {"identity": "x@example.org", "type": "fax"}}).encode(),
    json.dumps({"recipient": {"identity": "x@example.org", "hashed": "no"}}).encode(),
    json.dumps({"assertions": [{"recipient": {"identity": 5}}]}).encode(),
    json.dumps({"assertions": {"not": "a list"}}).encode(),
    json.dumps({"evidence": "not a list", "recipient": {"identity": "x@example.org"}}).encode(),
    json.dumps({"staff": "everyone"}).encode(),
    json.dumps({"alignments": [1, 2, 3], "name": "n", "description": "d"}).encode(),
    json.dumps({"expires": {"amount": "two", "duration": "days"}, "name": "n",
                "description": "d"}).encode(),
    json.dumps({"name": "n" * 100000, "description": "d"}).encode(),
    json.dumps({"acceptance": ["Accepted"]}).encode(),
    json.dumps({"url": 5, "image": 5, "assertion": 5}).encode(),
    json.dumps([{"entityId": 5, "revocationReason": []}]).encode(),
]


@pytest.fixture(scope="module")
def world(server):
    user = make_user(server, "robust")
    issuer = new_issuer(user, "Robust U")
    badgeclass = new_badgeclass(user, issuer["entityId"])
    with user.client() as client:
        assertion = ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                   json={"recipient": {"identity": user.email}}), 201)[0]
    return user, issuer, badgeclass, assertion


def _endpoints(issuer, badgeclass, assertion):
    i, b, a = issuer["entityId"], badgeclass["entityId"], assertion["entityId"]
    return [
        ("POST", "/v2/users"), ("PUT", "/v2/users/self"), ("POST", "/v2/issuers"),
        ("PUT", f"/v2/issuers/{i}"), ("PATCH", f"/v2/issuers/{i}"),
        ("POST", f"/v2/issuers/{i}/badgeclasses"), ("PUT", f"/v2/badgeclasses/{b}"),
        ("POST", f"/v2/badgeclasses/{b}/assertions"), ("POST", f"/v2/issuers/{i}/assertions"),
        ("POST", f"/v2/badgeclasses/{b}/issue"), ("PUT", f"/v2/assertions/{a}"),
        ("POST", "/v2/assertions/revoke"), ("POST", "/v2/auth/tokens/issuers"),
        ("PUT", f"/v2/backpack/assertions/{a}"), ("POST", "/v2/backpack/import"),
        ("POST", "/v2/backpack/collections"), ("POST", "/v1/user/forgot-password"),
        ("PUT", "/v1/user/forgot-password"), ("POST", "/o/token"),
    ]


def _snapshot(client, issuer, badgeclass):
    return (ok(client.get(f"/v2/issuers/{issuer['entityId']}")),
            ok(client.get(f"/v2/issuers/{issuer['entityId']}/badgeclasses")),
            ok(client.get(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                          params={"include_revoked": "true", "num": 1000})),
            ok(client.get("/v2/issuers")),
            ok(client.get("/v2/backpack/collections")))


def test_junk_bodies_get_4xx_envelopes_and_change_nothing(server, world):
    user, issuer, badgeclass, assertion = world
    with user.client() as client:
        before = _snapshot(client, issuer, badgeclass)
        for method, path in _endpoints(issuer, badgeclass, assertion):
            for body in JUNK:
                response = client.request(method, path, content=body,
                                          headers={"Content-Type": "application/json"})
                if path == "/v2/assertions/revoke" and response.status_code == 200:
                    # A well-formed batch: each bad item is reported, none is revoked.
                    assert not any(item["revoked"] for item in response.json()["result"])
                    continue
                assert 400 <= response.status_code < 500, (method, path, body[:60],
                                                           response.text[:300])
                if path != "/o/token":
                    assert response.json()["status"]["success"] is False
        after = _snapshot(client, issuer, badgeclass)
    assert after == before


def test_oversized_bodies_are_413(server, world):
    user, issuer, _, _ = world
    with user.client() as client:
        response = client.post(f"/v2/issuers/{issuer['entityId']}/badgeclasses",
                               content=b'{"name": "' + b"x" * (17 << 20) + b'"}',
                               headers={"Content-Type": "application/json"})
        failed(response, 413)


def test_unknown_routes_and_methods_are_envelopes(server, world):
    user, issuer, _, _ = world
    with user.client() as client:
        failed(client.get("/v2/no-such-thing"), 404)
        failed(client.patch("/v2/badgeclasses"), 405)
        failed(client.post("/v2/badgeclasses"), 400)  # the connector's path (issue 13): no body
        failed(client.get(f"/v2/elsewhere/{issuer['entityId']}/assertions"), 404)


def test_query_parameters_of_the_wrong_type_are_400(server, world):
    user, issuer, _, _ = world
    with user.client() as client:
        for params in ({"num": "x"}, {"num": "100000"}, {"num": "-1"}, {"after": "x" * 600}):
            body = failed(client.get(f"/v2/issuers/{issuer['entityId']}/assertions",
                                     params=params), 400)
            assert body["fieldErrors"], params


def test_bad_bearer_headers_are_401_not_500(server):
    for header in ("Bearer", "Basic dXNlcjpwYXNz", "Bearer a b c", "bearer", "Token abc"):
        response = httpx.get(f"{server.url}/v2/issuers", headers={"Authorization": header},
                             timeout=30)
        assert response.status_code == 401, (header, response.text)


def test_serve_refuses_bad_options_with_one_line(tmp_path):
    import subprocess
    import sys

    for option in (["--port", "70000"], ["--workers", "0"]):
        completed = subprocess.run([sys.executable, "-m", "laurel", "--data", str(tmp_path),
                                    "serve", *option], capture_output=True, text=True,
                                   timeout=60)
        assert completed.returncode == 1
        assert completed.stderr.startswith("laurel: error: ") and \
            completed.stderr.count("\n") == 1
