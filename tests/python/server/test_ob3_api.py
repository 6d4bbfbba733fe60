"""The 1EdTech Open Badges API v3p0 end to end over real HTTP: discovery, dynamic client
registration, the authorization code grant with PKCE, credentials page by page, upserts from
another platform, the profile, refresh with rotation and revocation, and a wallet-style client
(Authlib) doing the same."""

from __future__ import annotations

import re
import time
from typing import Dict, List, Tuple

import httpx
import laurel
import pytest

from ob3_helpers import (ALL_SCOPES, API, PROFILE_READ, PROFILE_UPDATE, READ, REDIRECT, UPSERT,
                         Client, api, authorization_params, exchange, jws_header, jws_payload,
                         minor, needs_vc_jwt_verifier, pkce, redirected, register, sign_in,
                         status_info, tokens_for)
from ob3_peer import Peer
from rest_helpers import (Server, award, make_user, new_badgeclass, new_issuer, ok,
                          start_server, stop_server, token_for)

_LINK = re.compile(r'<([^>]+)>;\s*rel="(\w+)"')


def _links(response: httpx.Response) -> Dict[str, str]:
    return {rel: url for url, rel in _LINK.findall(response.headers.get("link", ""))}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory):
    """Another Laurel server: a second platform whose credentials a learner pushes home."""
    running = start_server(tmp_path_factory.mktemp("platform"), workers=1)
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory):
    """The learner's home server, which may fetch from the platform on loopback (the service
    refuses private addresses unless told otherwise)."""
    running = start_server(tmp_path_factory.mktemp("home"), workers=1,
                           env={"LAUREL_FETCH_ALLOW_PRIVATE": "1"})
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def client(server: Server) -> Client:
    return register(server)


# --- discovery and registration ------------------------------------------------------------

def test_discovery_is_a_public_openapi_document_naming_the_endpoints(server):
    from openapi_spec_validator import validate

    response = httpx.get(f"{server.url}{API}/discovery", timeout=30)
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises unless it is a valid OpenAPI 3.0 document
    assert document["openapi"].startswith("3.0")
    assert document["servers"][0]["url"] == f"{server.url}{API}"
    assert set(document["paths"]["/credentials"]) == {"get", "post"}
    assert set(document["paths"]["/profile"]) == {"get", "put"}
    assert "/discovery" in document["paths"]
    assert document["info"]["termsOfService"] and document["info"]["x-imssf-privacyPolicyUrl"]
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == f"{server.url}{API}/oauth/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{server.url}{API}/oauth/authorize"
    assert flow["tokenUrl"] == flow["refreshUrl"] == f"{server.url}{API}/oauth/token"
    assert set(flow["scopes"]) == set(ALL_SCOPES.split())
    assert document["paths"]["/credentials"]["get"]["security"] == [{"OAuth2ACG": [READ]}]


def test_registration_checks_client_metadata(server):
    url = f"{server.url}{API}/oauth/register"
    good = {"client_name": "W", "client_uri": "https://w.example/", "scope": READ,
            "redirect_uris": ["https://w.example/cb"]}
    cases = [
        ({**good, "redirect_uris": []}, "invalid_redirect_uri"),
        ({**good, "redirect_uris": ["http://w.example/cb"]}, "invalid_redirect_uri"),
        ({**good, "redirect_uris": ["https://w.example/cb#frag"]}, "invalid_redirect_uri"),
        ({**good, "scope": "rw:backpack"}, "invalid_client_metadata"),
        ({**good, "token_endpoint_auth_method": "none"}, "invalid_client_metadata"),
        ({**good, "grant_types": ["implicit"]}, "invalid_client_metadata"),
        ({**good, "response_types": ["token"]}, "invalid_client_metadata"),
        ({key: value for key, value in good.items() if key != "client_name"},
         "invalid_client_metadata"),
    ]
    for body, error in cases:
        response = httpx.post(url, json=body, timeout=30)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"] == error, body
    assert httpx.post(url, content=b"[1]", headers={"content-type": "application/json"},
                      timeout=30).status_code == 400
    response = httpx.post(url, json={**good, "logo_uri": "https://w.example/logo.png",
                                     "tos_uri": "https://w.example/tos",
                                     "policy_uri": "https://w.example/privacy"}, timeout=30)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["client_id"] and len(data["client_secret"]) >= 32
    assert isinstance(data["client_id_issued_at"], int) and data["client_secret_expires_at"] == 0
    assert data["token_endpoint_auth_method"] == "client_secret_basic"
    assert data["grant_types"] == ["authorization_code", "refresh_token"]
    assert data["response_types"] == ["code"] and data["redirect_uris"] == good["redirect_uris"]
    assert data["logo_uri"] == "https://w.example/logo.png" and "secretHash" not in data


def test_other_methods_and_paths_answer_imsx_status_info(server):
    with api(server, None) as session:
        response = session.delete("/credentials")
        assert minor(status_info(response, 405)) == "not_allowed"
        assert response.headers["allow"] == "GET, POST"
        assert session.get("/oauth/token").headers["allow"] == "POST"
        assert minor(status_info(session.get("/badges"), 404)) == "not_found"


# --- the authorization code grant ------------------------------------------------------------

def test_authorization_refuses_unknown_clients_and_redirect_uris_on_the_page(server, client):
    _, challenge = pkce()
    url = f"{server.url}{API}/oauth/authorize"
    for params in (dict(authorization_params(client, challenge), client_id="nobody"),
                   authorization_params(client, challenge,
                                        redirect_uri="http://127.0.0.1:9/other")):
        response = httpx.get(url, params=params, timeout=30)
        assert response.status_code == 400 and "location" not in response.headers
        assert response.headers["x-frame-options"] == "DENY"


def test_authorization_errors_go_back_to_the_client_with_the_state(server, client, alice):
    verifier, challenge = pkce()
    url = f"{server.url}{API}/oauth/authorize"
    cases = [(authorization_params(client, verifier, method="plain"), "invalid_request"),
             (dict(authorization_params(client, challenge), code_challenge=""),
              "invalid_request"),
             (dict(authorization_params(client, challenge), response_type="token"),
              "unsupported_response_type"),
             (authorization_params(client, challenge, scope=READ + " rw:issuer"),
              "invalid_scope")]
    for params, error in cases:
        query = redirected(httpx.get(url, params=params, timeout=30))
        assert query["error"] == error and query["state"] == "s-123", params
        assert "code" not in query
    denied = redirected(sign_in(server, authorization_params(client, challenge), alice, "deny"))
    assert denied["error"] == "access_denied" and denied["state"] == "s-123"
    wrong = sign_in(server, authorization_params(client, challenge), alice,
                    password="not the password")
    assert wrong.status_code == 400 and "location" not in wrong.headers
    assert "Wrong email or password" in wrong.text


def test_code_exchange_checks_pkce_client_redirect_and_single_use(server, alice):
    client = register(server, redirect_uris=[REDIRECT, "http://127.0.0.1:9/second"])
    other = register(server)
    verifier, challenge = pkce()
    query = redirected(sign_in(server, authorization_params(client, challenge, READ), alice))
    assert query["state"] == "s-123" and query["scope"] == READ
    code = query["code"]

    wrong_verifier = exchange(client, code, pkce()[0])
    assert wrong_verifier.status_code == 400 and wrong_verifier.json()["error"] == "invalid_grant"
    assert exchange(client, code, verifier, "http://127.0.0.1:9/second").json()["error"] == \
        "invalid_grant"
    assert exchange(other, code, verifier).json()["error"] == "invalid_grant"
    no_auth = httpx.post(f"{server.url}{API}/oauth/token",
                         data={"grant_type": "authorization_code", "code": code,
                               "redirect_uri": REDIRECT, "code_verifier": verifier}, timeout=30)
    assert no_auth.status_code == 401 and no_auth.json()["error"] == "invalid_client"
    assert no_auth.headers["www-authenticate"].startswith("Basic")
    bad_secret = exchange(client, code, verifier, auth=(client.client_id, "x" * 43))
    assert bad_secret.status_code == 401
    assert exchange(client, code, "short").json()["error"] == "invalid_request"

    granted = exchange(client, code, verifier)
    assert granted.status_code == 200, granted.text
    assert granted.headers["cache-control"] == "no-store"
    tokens = granted.json()
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == READ
    assert tokens["expires_in"] > 0 and tokens["refresh_token"] != tokens["access_token"]
    with api(server, tokens["access_token"]) as session:
        assert session.get("/credentials").status_code == 200

    replayed = exchange(client, code, verifier)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    with api(server, tokens["access_token"]) as session:  # a replayed code revokes its tokens
        status_info(session.get("/credentials"), 401)


# --- scopes ---------------------------------------------------------------------------------

def test_tokens_need_the_operations_scope(server, client, alice):
    with api(server, None) as anonymous:
        body = status_info(anonymous.get("/credentials"), 401)
        assert minor(body) == "unauthorizedrequest"
        assert anonymous.get("/profile").headers["www-authenticate"].startswith("Bearer")
    with api(server, "not-a-token") as forged:
        status_info(forged.get("/credentials"), 401)
    profile_only = tokens_for(client, alice, PROFILE_READ)["access_token"]
    with api(server, profile_only) as session:
        assert minor(status_info(session.get("/credentials"), 403)) == "forbidden"
        status_info(session.post("/credentials", content="a.b.c",
                                 headers={"content-type": "text/plain"}), 403)
        status_info(session.put("/profile", json={"givenName": "X"}), 403)
        assert session.get("/profile").status_code == 200
    # Badgr tokens and OB 3.0 tokens do not stand in for each other.
    with api(server, alice.token) as badgr:
        status_info(badgr.get("/credentials"), 403)
    with server.client(profile_only) as session:
        assert session.get("/v2/backpack/assertions").status_code == 403


# --- credentials ----------------------------------------------------------------------------

def _awards(awarder, learner, dates: List[str]) -> Tuple[dict, List[dict]]:
    issuer = new_issuer(awarder, "OB3 API University")
    badgeclass = new_badgeclass(awarder, issuer["entityId"], name="Wallet Ready")
    return issuer, [award(awarder, badgeclass["entityId"], learner.email, issuedOn=date)
                    for date in dates]


def _all_pages(session: httpx.Client, first_url: str) -> Tuple[List[str], List[int]]:
    """Follows rel="next" to the end: every JWS and each page's size."""
    jws, sizes, url, seen = [], [], first_url, 0
    while url:
        response = session.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["credential"] == []
        jws.extend(body["compactJwsString"])
        sizes.append(len(body["compactJwsString"]))
        links = _links(response)
        assert "first" in links and "last" in links
        assert ("prev" in links) == (seen > 0)
        seen += 1
        url = links.get("next")
    return jws, sizes


def test_credentials_page_by_page_with_links_and_since(server, client, alice, bob):
    learner = make_user(server, "learner")
    dates = ["2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", "2022-01-01T00:00:00Z",
             "2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]
    issuer, awarded = _awards(alice, learner, dates)
    revoked = award(alice, awarded[0]["badgeclass"], learner.email)
    with alice.client() as session:
        session.request("DELETE", f"/v2/assertions/{revoked['entityId']}",
                        json={"revocation_reason": "mistake"})
    bob_badge = award(alice, awarded[0]["badgeclass"], bob.email)

    tokens = tokens_for(client, learner, READ)
    with api(server, tokens["access_token"]) as session:
        first = session.get("/credentials", params={"limit": 2})
        assert first.status_code == 200 and first.headers["x-total-count"] == "5"
        links = _links(first)
        assert set(links) == {"next", "last", "first"}
        assert links["next"].endswith("/credentials?limit=2&offset=2")
        assert links["last"].endswith("offset=4") and links["first"].endswith("offset=0")
        jws, sizes = _all_pages(session, f"{server.url}{API}/credentials?limit=2")
        assert sizes == [2, 2, 1]
        ids = [jws_payload(token)["id"] for token in jws]
        assert ids == [item["openBadgeId"] for item in awarded]  # oldest first, nothing twice
        assert bob_badge["openBadgeId"] not in ids and revoked["openBadgeId"] not in ids

        middle = session.get("/credentials", params={"limit": 2, "offset": 2})
        assert set(_links(middle)) == {"next", "last", "first", "prev"}
        assert _links(middle)["prev"].endswith("offset=0")

        since = session.get("/credentials", params={"since": "2022-06-01T00:00:00Z", "limit": 1})
        assert since.headers["x-total-count"] == "2"
        assert "since=2022-06-01T00%3A00%3A00Z" in _links(since)["next"]
        later, _ = _all_pages(session, _links(since)["first"])
        assert [jws_payload(token)["id"] for token in later] == ids[3:]

        everything = session.get("/credentials")
        assert len(everything.json()["compactJwsString"]) == 5 and "next" not in _links(everything)
        for params in ({"limit": 0}, {"limit": "two"}, {"offset": -1}, {"since": "yesterday"}):
            assert minor(status_info(session.get("/credentials", params=params), 400)) == \
                "invalid_query_parameter"

    bobs = tokens_for(client, bob, READ)["access_token"]
    with api(server, bobs) as session:  # another learner sees only their own
        listed = session.get("/credentials").json()["compactJwsString"]
        assert [jws_payload(token)["id"] for token in listed] == [bob_badge["openBadgeId"]]


@needs_vc_jwt_verifier
def test_a_fetched_vc_jwt_verifies_with_laurel(server, client, alice):
    learner = make_user(server, "verifier")
    _, awarded = _awards(alice, learner, ["2024-05-01T00:00:00Z"])
    token = tokens_for(client, learner, READ + " " + UPSERT)["access_token"]
    with api(server, token) as session:
        [jws] = session.get("/credentials").json()["compactJwsString"]
        # Pushing back one of this server's own: it is there already (200), and not twice.
        again = session.post("/credentials", content=jws, headers={"content-type": "text/plain"})
        assert again.status_code == 200 and again.text == jws
        assert session.get("/credentials").headers["x-total-count"] == "1"
    # What a verifier fetches: the issuer's Profile (the kid's key is one of its methods) and
    # the status list the credential names.
    payload = jws_payload(jws)
    profile_url = jws_header(jws)["kid"].split("#")[0]
    assert profile_url == payload["issuer"]["id"] and profile_url.startswith(server.url)
    documents = {profile_url: httpx.get(profile_url, timeout=30).text}
    status = payload.get("credentialStatus") or {}
    if status.get("statusListCredential"):
        documents[status["statusListCredential"]] = httpx.get(
            status["statusListCredential"], timeout=30).text
    report = laurel.verify(jws, documents=documents, recipient=learner.email)
    assert report["valid"], report
    assert report["recipientMatch"] is True
    assert report["badge"]["id"] == awarded[0]["openBadgeId"]
    tampered = jws[:-4] + ("AAAA" if not jws.endswith("AAAA") else "BBBB")
    assert not laurel.verify(tampered, documents=documents)["valid"]


# --- upsert -------------------------------------------------------------------------------

def _tamper(jws: str) -> str:
    header, payload, signature = jws.split(".")
    flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    return ".".join([header, flipped, signature])


@pytest.fixture(scope="module")
def peer():
    running = Peer()
    yield running
    running.close()


def test_upsert_a_credential_from_a_peer_platform(home, peer):
    client = register(home)
    learner = make_user(home, "pusher")
    bystander = make_user(home, "bystander")
    jws = peer.credential(learner.email)
    token = tokens_for(client, learner, READ + " " + UPSERT)["access_token"]
    plain = {"content-type": "text/plain"}
    with api(home, token) as session:
        created = session.post("/credentials", content=jws, headers=plain)
        assert created.status_code == 201, created.text
        assert created.text == jws and created.headers["content-type"].startswith("text/plain")
        etag = created.headers["etag"]
        replaced = session.post("/credentials", content=jws, headers=plain)
        assert replaced.status_code == 200 and replaced.text == jws
        conditional = session.post("/credentials", content=jws,
                                   headers={**plain, "if-none-match": etag})
        assert conditional.status_code == 304 and conditional.content == b""
        # The same id re-issued (other bytes): it replaces the stored one.
        credential_id = jws_payload(jws)["id"]
        reissued = peer.credential(learner.email, valid_from="2025-06-01T00:00:00Z",
                                   credential_id=credential_id)
        assert session.post("/credentials", content=reissued, headers=plain).status_code == 200
        older = peer.credential(learner.email, "Older", valid_from="2024-01-01T00:00:00Z")
        assert session.post("/credentials", content=older, headers=plain).status_code == 201

        listed = session.get("/credentials")
        assert listed.headers["x-total-count"] == "2"
        assert listed.json()["compactJwsString"] == [older, reissued]  # oldest first
        since = session.get("/credentials", params={"since": "2025-05-01T00:00:00Z"})
        assert since.json()["compactJwsString"] == [reissued]

        for body, headers in ((_tamper(jws), plain), (peer.credential(bystander.email), plain),
                              ("not a jws", plain), (jws, {"content-type": "image/png"}),
                              ('{"type": ["VerifiableCredential"]}',
                               {"content-type": "application/json"}),
                              ("[1, 2]", {"content-type": "application/json"})):
            status_info(session.post("/credentials", content=body, headers=headers), 400)
        assert session.get("/credentials").headers["x-total-count"] == "2"

    with api(home, tokens_for(client, bystander, UPSERT + " " + READ)["access_token"]) as session:
        status_info(session.post("/credentials", content=jws, headers=plain), 400)  # not theirs
        assert session.get("/credentials").headers["x-total-count"] == "0"


@needs_vc_jwt_verifier
def test_upsert_a_credential_from_another_laurel(home, platform):
    """A learner takes a credential from one Laurel (its OB 3.0 API) to another."""
    learner = make_user(home, "traveller")
    elsewhere = make_user(platform, "traveller", address=learner.email)
    issuer_there = make_user(platform, "registrar")
    _, [there] = _awards(issuer_there, elsewhere, ["2025-02-03T00:00:00Z"])
    with api(platform, tokens_for(register(platform), elsewhere, READ)["access_token"]) as s:
        [jws] = s.get("/credentials").json()["compactJwsString"]
    assert jws_payload(jws)["id"] == there["openBadgeId"]
    token = tokens_for(register(home), learner, READ + " " + UPSERT)["access_token"]
    with api(home, token) as session:
        plain = {"content-type": "text/plain"}
        assert session.post("/credentials", content=jws, headers=plain).status_code == 201
        assert session.post("/credentials", content=jws, headers=plain).status_code == 200
        status_info(session.post("/credentials", content=_tamper(jws), headers=plain), 400)
        assert session.get("/credentials").json()["compactJwsString"] == [jws]


# --- profile ------------------------------------------------------------------------------

def test_profile_get_and_put(server, client):
    learner = make_user(server, "profiled")
    token = tokens_for(client, learner, PROFILE_READ + " " + PROFILE_UPDATE)["access_token"]
    with api(server, token) as session:
        profile = session.get("/profile").json()
        assert profile["type"] == ["Profile"] and profile["email"] == learner.email
        assert profile["name"] == "Profiled Tester" and profile["givenName"] == "Profiled"
        assert profile["id"] == f"{server.url}/v2/users/{learner.entity_id}"
        assert any("ob/v3p0/context" in context for context in profile["@context"])

        changed = session.put("/profile", json={**profile, "givenName": "Ada",
                                                "familyName": "Lovelace",
                                                "phone": "+44 20 7946 0000",
                                                "url": "https://ada.example.org"})
        assert changed.status_code == 200, changed.text
        assert changed.json()["name"] == "Ada Lovelace"
        again = session.get("/profile").json()
        assert again["phone"] == "+44 20 7946 0000" and again["url"] == "https://ada.example.org"
        for body in ({**profile, "email": "someone-else@example.org"},
                     {**profile, "dateOfBirth": "1815-12-10"}, {**profile, "id": "urn:x"},
                     {**profile, "givenName": "x" * 300}, {**profile, "url": "ftp://x"}, [1]):
            status_info(session.put("/profile", json=body), 400)
        status_info(session.put("/profile", content=b"{", headers={
            "content-type": "application/json"}), 400)
    with learner.client() as badgr:  # the same account behind both APIs
        me = ok(badgr.get("/v2/users/self"))[0]
        assert me["firstName"] == "Ada" and me["telephone"][0] == "+44 20 7946 0000"


# --- refresh and revocation ----------------------------------------------------------------

def _token_request(client: Client, data: dict, auth=None) -> httpx.Response:
    return httpx.post(f"{client.server.url}{API}/oauth/token", data=data,
                      auth=auth or client.basic, timeout=30)


def test_refresh_rotates_and_revocation_ends_the_grant(server, client, alice):
    tokens = tokens_for(client, alice, READ + " " + PROFILE_READ)
    other = register(server)
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    assert _token_request(other, refresh).json()["error"] == "invalid_grant"
    wider = _token_request(client, {**refresh, "scope": READ + " " + UPSERT})
    assert wider.json()["error"] == "invalid_scope"

    renewed = _token_request(client, {**refresh, "scope": READ})
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()
    assert fresh["scope"] == READ and fresh["refresh_token"] != tokens["refresh_token"]
    with api(server, tokens["access_token"]) as old:
        status_info(old.get("/credentials"), 401)  # rotation retires the old access token
    assert _token_request(client, refresh).json()["error"] == "invalid_grant"  # and refresh
    with api(server, fresh["access_token"]) as session:
        assert session.get("/credentials").status_code == 200
        status_info(session.get("/profile"), 403)  # narrowed

    revoke = f"{server.url}{API}/oauth/revoke"
    assert httpx.post(revoke, data={"token": fresh["access_token"]},
                      timeout=30).status_code == 401  # no client authentication
    # Another client cannot revoke it; the owner can; unknown tokens are fine (RFC 7009 §2.2).
    assert httpx.post(revoke, data={"token": fresh["access_token"]}, auth=other.basic,
                      timeout=30).status_code == 200
    with api(server, fresh["access_token"]) as session:
        assert session.get("/credentials").status_code == 200
    response = httpx.post(revoke, data={"token": fresh["access_token"],
                                        "token_type_hint": "access_token"},
                          auth=client.basic, timeout=30)
    assert response.status_code == 200
    with api(server, fresh["access_token"]) as session:
        status_info(session.get("/credentials"), 401)
    assert _token_request(client, {"grant_type": "refresh_token",
                                   "refresh_token": fresh["refresh_token"]}).json()["error"] == \
        "invalid_grant"
    assert httpx.post(revoke, data={"token": "unknown"}, auth=client.basic,
                      timeout=30).status_code == 200
    garbage = httpx.post(f"{server.url}{API}/oauth/token", content=b"{not json",
                         headers={"content-type": "application/json"}, auth=client.basic,
                         timeout=30)
    assert garbage.status_code == 400 and garbage.json()["error"] == "invalid_request"

    # Revoked from the account's own token list (or by a password reset): the refresh is dead.
    listed = tokens_for(client, alice, READ)
    with alice.client() as badgr:
        ob3 = [token for token in ok(badgr.get("/v2/auth/tokens")) if token["type"] == "ob3"]
        assert ob3  # every OB 3.0 grant of hers so far, this one among them
        for token in ob3:
            ok(badgr.delete(f"/v2/auth/tokens/{token['entityId']}"), 204)
    with api(server, listed["access_token"]) as session:
        status_info(session.get("/credentials"), 401)
    assert _token_request(client, {"grant_type": "refresh_token",
                                   "refresh_token": listed["refresh_token"]}).json()["error"] == \
        "invalid_grant"

    # Revoking by refresh token ends the access token too.
    third = tokens_for(client, alice, READ)
    assert httpx.post(revoke, data={"token": third["refresh_token"]}, auth=client.basic,
                      timeout=30).status_code == 200
    with api(server, third["access_token"]) as session:
        status_info(session.get("/credentials"), 401)
    # The existing Badgr token endpoint neither takes OB 3.0 refresh tokens nor changed.
    fourth = tokens_for(client, alice, READ)
    badgr = httpx.post(f"{server.url}/o/token", data={"grant_type": "refresh_token",
                                                      "refresh_token": fourth["refresh_token"]},
                       timeout=30)
    assert badgr.status_code == 400 and badgr.json()["error"] == "invalid_grant"
    assert token_for(server, alice.email, "rw:backpack")


def test_an_expired_access_token_is_refused_and_refresh_renews_it(strict_server):
    """On a server whose access tokens live 2 seconds: what refresh tokens are for."""
    learner = make_user(strict_server, "sleeper")
    client = register(strict_server)
    tokens = tokens_for(client, learner, READ)
    assert tokens["expires_in"] == 2
    time.sleep(2.5)
    with api(strict_server, tokens["access_token"]) as session:
        body = status_info(session.get("/credentials"), 401)
        assert "expired" in body["imsx_description"].lower()
    renewed = _token_request(client, {"grant_type": "refresh_token",
                                      "refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    with api(strict_server, renewed.json()["access_token"]) as session:
        assert session.get("/credentials").status_code == 200


def test_unsupported_grants_and_malformed_token_requests(server, client):
    assert _token_request(client, {"grant_type": "password", "username": "a",
                                   "password": "b"}).json()["error"] == "unsupported_grant_type"
    assert _token_request(client, {}).json()["error"] == "invalid_request"
    assert _token_request(client, {"grant_type": "authorization_code", "code": "x",
                                   "redirect_uri": REDIRECT,
                                   "code_verifier": "v" * 43}).json()["error"] == "invalid_grant"
    mangled = httpx.post(f"{server.url}{API}/oauth/token", data={"grant_type": "refresh_token"},
                         headers={"authorization": "Basic !!!"}, timeout=30)
    assert mangled.status_code == 401


# --- a wallet's OAuth client ----------------------------------------------------------------

def test_a_wallet_built_on_authlib_completes_the_flow(server, alice):
    from authlib.integrations.httpx_client import OAuth2Client
    from authlib.common.security import generate_token

    registered = register(server)
    base = f"{server.url}{API}"
    wallet = OAuth2Client(registered.client_id, registered.client_secret,
                          scope=READ + " " + PROFILE_READ, redirect_uri=REDIRECT,
                          code_challenge_method="S256",
                          token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(48)
    url, state = wallet.create_authorization_url(f"{base}/oauth/authorize",
                                                 code_verifier=verifier)
    assert "code_challenge_method=S256" in url
    params = dict(httpx.URL(url).params)
    back = sign_in(server, params, alice)
    assert back.status_code == 302
    token = wallet.fetch_token(f"{base}/oauth/token",
                               authorization_response=back.headers["location"],
                               code_verifier=verifier)
    assert token["access_token"] and token["refresh_token"]
    assert wallet.get(f"{base}/profile").json()["email"] == alice.email
    assert wallet.get(f"{base}/credentials").status_code == 200
    renewed = wallet.refresh_token(f"{base}/oauth/token")
    assert renewed["access_token"] != token["access_token"]
    assert wallet.get(f"{base}/credentials").status_code == 200
    wallet.revoke_token(f"{base}/oauth/revoke", token=renewed["access_token"],
                        token_type_hint="access_token")
    assert wallet.get(f"{base}/credentials").status_code == 401
    wallet.close()


# --- junk -----------------------------------------------------------------------------------

_JUNK = [b"", b"{", b"[]", b"null", b"1", b'"text"', b"\xff\xfe\x00", b"a.b.c", b"..",
         b"[" * 5000 + b"]" * 5000, b"x" * 100000,
         b'{"redirect_uris": [5], "scope": 7, "client_name": {}, "client_uri": []}',
         b'{"grant_type": ["authorization_code"], "code": 5, "code_verifier": null}',
         b'{"client_id": 5, "redirect_uri": [], "scope": 1, "state": {}, "decision": "allow",'
         b' "response_type": "code", "code_challenge": 1, "code_challenge_method": "S256"}',
         b'{"givenName": 5, "url": [], "phone": {}, "email": 1, "name": null}',
         b"grant_type=refresh_token&refresh_token=%ff%fe&scope=%00",
         b"token=&token_type_hint=5"]


def test_junk_never_gives_a_500(server, client, alice):
    token = tokens_for(client, alice)["access_token"]
    endpoints = [("POST", "/oauth/register", None), ("POST", "/oauth/authorize", None),
                 ("POST", "/oauth/token", client.basic), ("POST", "/oauth/revoke", client.basic),
                 ("POST", "/credentials", None), ("PUT", "/profile", None)]
    with api(server, token) as session:
        before = session.get("/profile").json()
        for method, path, auth in endpoints:
            for body in _JUNK:
                for content_type in ("application/json", "text/plain",
                                     "application/x-www-form-urlencoded"):
                    response = session.request(method, path, content=body,
                                               headers={"content-type": content_type},
                                               **({"auth": auth} if auth else {}))
                    assert 400 <= response.status_code < 500, (path, body[:60], response.text)
        for query in ("limit=1e9", "limit=99999999999999999999", "offset=%00", "since=%ff",
                      "since=2020-13-45", "limit=1&limit=2&offset=-0"):
            assert session.get(f"/credentials?{query}").status_code in (200, 400), query
        assert session.get("/profile").json() == before
