"""POST /o/token and bearer tokens: grants, scopes, refresh, listing and revocation, issuer
tokens, expiry and rate limiting, against the real server."""

from __future__ import annotations

import time

import httpx

from rest_helpers import (PASSWORD, failed, login, make_user, new_issuer, ok, token_for,
                      unique_email)


def test_password_grant_returns_a_bearer_token_with_the_default_scope(server, alice):
    response = login(server, alice.email)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "rw:backpack rw:issuer rw:profile"
    assert body["expires_in"] > 0
    assert body["access_token"] and body["refresh_token"]
    assert body["access_token"] != body["refresh_token"]


def test_password_grant_refuses_a_wrong_password_and_an_unknown_account(server, alice):
    for username, password in ((alice.email, "wrong password"),
                               (unique_email("nobody"), PASSWORD)):
        response = login(server, username, password)
        assert response.status_code == 400
        assert response.json() == {"error": "invalid_grant",
                                   "error_description": "Invalid credentials given."}


def test_token_endpoint_errors_follow_rfc_6749(server, alice):
    post = lambda data: httpx.post(f"{server.url}/o/token", data=data, timeout=30)  # noqa: E731
    assert post({}).json()["error"] == "invalid_request"
    assert post({"grant_type": "client_credentials"}).json()["error"] == "unsupported_grant_type"
    assert post({"grant_type": "password", "username": alice.email}).json()["error"] == \
        "invalid_request"
    scoped = post({"grant_type": "password", "username": alice.email, "password": PASSWORD,
                   "scope": "rw:issuer admin:everything"})
    assert scoped.status_code == 400 and scoped.json()["error"] == "invalid_scope"
    as_json = httpx.post(f"{server.url}/o/token", timeout=30,
                         json={"grant_type": "password", "username": alice.email,
                               "password": PASSWORD, "scope": "r:profile"})
    assert as_json.status_code == 200 and as_json.json()["scope"] == "r:profile"


def test_no_token_is_401_with_a_bearer_challenge(server):
    response = httpx.get(f"{server.url}/v2/issuers", timeout=30)
    body = failed(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["nonFieldErrors"]


def test_an_unknown_token_is_401(server):
    for token in ("not-a-token", "x" * 2000):
        response = httpx.get(f"{server.url}/v2/issuers", timeout=30,
                             headers={"Authorization": f"Bearer {token}"})
        failed(response, 401)
        assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_token_without_the_scope_is_403(server, alice):
    profile_only = token_for(server, alice.email, "r:profile")
    with server.client(profile_only) as client:
        response = client.get("/v2/issuers")
        body = failed(response, 403)
        assert body["errorCode"] == "insufficient_scope"
        assert 'scope="rw:issuer"' in response.headers["www-authenticate"]
        failed(client.get("/v2/backpack/assertions"), 403)
        failed(client.put("/v2/users/self", json={"firstName": "A"}), 403)
        assert ok(client.get("/v2/users/self"))[0]["entityId"] == alice.entity_id
    backpack_only = token_for(server, alice.email, "rw:backpack")
    with server.client(backpack_only) as client:
        failed(client.post("/v2/issuers", json={"name": "X"}), 403)
        failed(client.get("/v2/users/self"), 403)


def test_refresh_token_gives_new_tokens_once_and_retires_the_old_access_token(server):
    user = make_user(server, "refresher")
    refreshed = httpx.post(f"{server.url}/o/token", timeout=30,
                           data={"grant_type": "refresh_token", "refresh_token": user.refresh})
    assert refreshed.status_code == 200, refreshed.text
    body = refreshed.json()
    assert body["access_token"] != user.token and body["refresh_token"] != user.refresh
    with server.client(user.token) as old:
        failed(old.get("/v2/users/self"), 401)
    with server.client(body["access_token"]) as new:
        ok(new.get("/v2/users/self"))
    replay = httpx.post(f"{server.url}/o/token", timeout=30,
                        data={"grant_type": "refresh_token", "refresh_token": user.refresh})
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_refresh_may_narrow_but_not_widen_the_scope(server):
    user = make_user(server, "narrow")
    narrowed = httpx.post(f"{server.url}/o/token", timeout=30,
                          data={"grant_type": "refresh_token", "refresh_token": user.refresh,
                                "scope": "r:profile"})
    assert narrowed.status_code == 200 and narrowed.json()["scope"] == "r:profile"
    widened = httpx.post(f"{server.url}/o/token", timeout=30,
                         data={"grant_type": "refresh_token",
                               "refresh_token": narrowed.json()["refresh_token"],
                               "scope": "r:profile rw:issuer"})
    assert widened.status_code == 400 and widened.json()["error"] == "invalid_scope"


def test_tokens_are_listed_without_secrets_and_revocable(server):
    user = make_user(server, "tokens")
    second = token_for(server, user.email, "r:profile")
    with user.client() as client:
        tokens = ok(client.get("/v2/auth/tokens"))
        assert len(tokens) == 2
        assert all(set(token) >= {"entityId", "scope", "expires", "created"} for token in tokens)
        assert user.token not in str(tokens) and second not in str(tokens)
        current = [token for token in tokens if token["current"]]
        other = [token for token in tokens if not token["current"]][0]
        assert len(current) == 1 and other["scope"] == "r:profile"
        assert ok(client.get(f"/v2/auth/tokens/{other['entityId']}"))[0]["entityId"] == \
            other["entityId"]
        ok(client.delete(f"/v2/auth/tokens/{other['entityId']}"), 204)
        failed(client.get(f"/v2/auth/tokens/{other['entityId']}"), 404)
        failed(client.delete(f"/v2/auth/tokens/{other['entityId']}"), 404)
    with server.client(second) as revoked:
        failed(revoked.get("/v2/users/self"), 401)


def test_another_users_token_ids_are_404(server, alice, bob):
    with alice.client() as client:
        alice_token = ok(client.get("/v2/auth/tokens"))[0]["entityId"]
    with bob.client() as client:
        failed(client.get(f"/v2/auth/tokens/{alice_token}"), 404)
        failed(client.delete(f"/v2/auth/tokens/{alice_token}"), 404)
    with alice.client() as client:
        ok(client.get(f"/v2/auth/tokens/{alice_token}"))


def test_issuer_tokens_reach_only_their_issuer(server):
    owner = make_user(server, "owner")
    first = new_issuer(owner, "First")
    second = new_issuer(owner, "Second")
    with owner.client() as client:
        result = ok(client.post("/v2/auth/tokens/issuers",
                                json={"issuers": [first["entityId"]]}), 201)
        assert result[0]["issuer"] == first["entityId"]
        issuer_token = result[0]["token"]
    with owner.server.client(issuer_token) as client:
        assert [i["entityId"] for i in ok(client.get("/v2/issuers"))] == [first["entityId"]]
        ok(client.get(f"/v2/issuers/{first['entityId']}"))
        failed(client.get(f"/v2/issuers/{second['entityId']}"), 404)
        failed(client.post("/v2/issuers", json={"name": "Third", "email": "a@b.org",
                                                "url": "https://b.org"}), 403)
        failed(client.post("/v2/auth/tokens/issuers",
                           json={"issuers": [first["entityId"]]}), 403)
        failed(client.get("/v2/users/self"), 403)


def test_issuer_tokens_need_a_visible_issuer(server, alice, bob):
    issuer = new_issuer(alice, "Alice's")
    with bob.client() as client:
        failed(client.post("/v2/auth/tokens/issuers", json={"issuers": [issuer["entityId"]]}),
               404)
        failed(client.post("/v2/auth/tokens/issuers", json={"issuers": []}), 400)
        failed(client.post("/v2/auth/tokens/issuers", json={"issuers": "nope"}), 400)


def test_an_expired_token_is_401(strict_server):
    user = make_user(strict_server, "expiring")
    with strict_server.client(user.token) as client:
        ok(client.get("/v2/users/self"))
        time.sleep(2.5)
        response = client.get("/v2/users/self")
        body = failed(response, 401)
        assert "expired" in body["status"]["description"].lower()


def test_rate_limit_answers_429_with_retry_after(strict_server):
    # The strict server allows 30 requests per minute per client; the test above used some.
    statuses = []
    with strict_server.client() as client:
        for _ in range(40):
            response = client.get("/healthz")
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    assert statuses[-1] == 429, statuses
    body = response.json()
    assert body["status"]["success"] is False and body["errorCode"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1
    # Logins are limited per address: a made-up Authorization header does not buy a new bucket.
    login_try = httpx.post(f"{strict_server.url}/o/token", timeout=30,
                           headers={"Authorization": "Bearer made-up-to-dodge-the-limit"},
                           data={"grant_type": "password", "username": "a@example.org",
                                 "password": "guess"})
    assert login_try.status_code == 429
