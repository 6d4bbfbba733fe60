"""Contract: every action of Badgr's public connector (tests/data/badgr/connector-actions.json,
its parameters and returned fields) at its own path, answering every field the connector
returns."""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Dict, Tuple

import httpx
import pytest

from contract import EXTENSION, EXTENSION_NAME, load, missing_paths
from rest_helpers import (PASSWORD, PNG_DATA_URI, award, login, make_user, new_badgeclass,
                          new_issuer, ok)

ACTIONS = load("connector-actions.json")["actions"]
Request = Tuple[str, str, Any]  # method, path, JSON body (None: none)


@pytest.fixture(scope="module")
def world(server) -> Dict[str, Any]:
    owner = make_user(server, "connector-owner")
    learner = make_user(server, "connector-learner")
    issuer = new_issuer(owner, "Connector Contract U", image=PNG_DATA_URI)
    badgeclass = new_badgeclass(owner, issuer["entityId"], "Connector Badge", image=PNG_DATA_URI)
    return {"server": server, "owner": owner, "learner": learner, "issuer": issuer,
            "badgeclass": badgeclass}


def _award(world: Dict[str, Any]) -> Dict[str, Any]:
    return award(world["owner"], world["badgeclass"]["entityId"], world["learner"].email,
                 narrative="Connected")


def _collection(world: Dict[str, Any]) -> Dict[str, Any]:
    assertion = _award(world)
    with world["learner"].client() as client:
        return ok(client.post("/v2/backpack/collections", json={
            "name": "Connector collection", "description": "Shown",
            "assertions": [assertion["entityId"]], "published": True}), 201)[0]


def _unused_badgeclass(world: Dict[str, Any]) -> str:
    return new_badgeclass(world["owner"], world["issuer"]["entityId"], "Unused")["entityId"]


def _token_id(world: Dict[str, Any]) -> str:
    with world["owner"].client() as client:
        return ok(client.get("/v2/auth/tokens"))[0]["entityId"]


def _other_token_id(world: Dict[str, Any]) -> str:
    """A token of the owner's other than the one the test uses (a second login's)."""
    assert login(world["server"], world["owner"].email).status_code == 200
    with world["owner"].client() as client:
        return next(token["entityId"] for token in ok(client.get("/v2/auth/tokens"))
                    if not token["current"])


def _badgeclass_body(world: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    return {"name": "Connector made", "description": "Made by the connector",
            "image": PNG_DATA_URI, "achievementType": "Course",
            "criteriaUrl": "https://example.org/criteria", "criteriaNarrative": "Do it",
            "alignments": [{"targetName": "Skill", "targetUrl": "https://example.org/skill",
                            "targetDescription": "d", "targetFramework": "f",
                            "targetCode": "c"}],
            "tags": ["connector"], "expires": {"amount": 2, "duration": "years"},
            "extensions": {EXTENSION_NAME: EXTENSION}, **extra}


def _award_body(world: Dict[str, Any], identity: str) -> Dict[str, Any]:
    return {"recipient": {"identity": identity, "hashed": True, "type": "email"},
            "issuedOn": "2025-04-25T10:22:36.167Z", "narrative": "Connected",
            "evidence": [{"url": "https://example.org/evidence", "narrative": "Proof"}],
            "expires": "2035-04-25T10:22:36.167Z",
            "extensions": {EXTENSION_NAME: EXTENSION}}


def _profile_body() -> Dict[str, Any]:
    return {"firstName": "Connie", "lastName": "Nector", "url": ["https://example.org"],
            "telephone": ["+15555550100"], "agreedTermsVersion": 1, "marketingOptIn": False}


def _recovery_token(server: Any, address: str) -> str:
    body = server.mails_to(address)[-1].get_payload(decode=True).decode()
    return re.search(r"recovery token[^\n]*\n\n(\S+)", body).group(1)


# Each action: (who acts, a function of the world giving the request).
REQUESTS: Dict[str, Tuple[str, Callable[[Dict[str, Any]], Request]]] = {
    "Create a BadgeClass": ("owner", lambda w: (
        "POST", "/v2/badgeclasses", _badgeclass_body(w, issuer=w["issuer"]["entityId"]))),
    "Create a BadgeUser account": ("nobody", lambda w: (
        "POST", "/v2/users/self", {**_profile_body(), "password": PASSWORD,
                                   "emails": [{"email": f"new-{time.time_ns()}@example.org",
                                               "primary": True}]})),
    "Create a Collection": ("learner", lambda w: (
        "POST", "/v2/backpack/collections",
        {"name": "Made", "description": "d", "assertions": [_award(w)["entityId"]]})),
    "Create a Issuer": ("owner", lambda w: (
        "POST", "/v2/issuers", {"name": "Connector Issuer", "email": "c@example.org",
                                "url": "https://example.org", "description": "d",
                                "image": PNG_DATA_URI,
                                "extensions": {EXTENSION_NAME: EXTENSION}})),
    "Create an Issuer's BadgeClass": ("owner", lambda w: (
        "POST", f"/v2/issuers/{w['issuer']['entityId']}/badgeclasses", _badgeclass_body(w))),
    "Delete a BadgeClass": ("owner", lambda w: (
        "DELETE", f"/v2/badgeclasses/{_unused_badgeclass(w)}", None)),
    "Delete a collection": ("learner", lambda w: (
        "DELETE", f"/v2/backpack/collections/{_collection(w)['entityId']}", None)),
    "Delete an Issuer": ("owner", lambda w: (
        "DELETE", f"/v2/issuers/{new_issuer(w['owner'], 'Doomed')['entityId']}", None)),
    "Get a BadgeClass": ("owner", lambda w: (
        "GET", f"/v2/badgeclasses/{w['badgeclass']['entityId']}", None)),
    "Get a BadgeUser's profile": ("owner", lambda w: ("GET", "/v2/users/self", None)),
    "Get a Collection": ("learner", lambda w: (
        "GET", f"/v2/backpack/collections/{_collection(w)['entityId']}", None)),
    "Get a single Assertion": ("owner", lambda w: (
        "GET", f"/v2/assertions/{_award(w)['entityId']}", None)),
    "Get an AccessToken": ("owner", lambda w: ("GET", f"/v2/auth/tokens/{_token_id(w)}", None)),
    "Get an Issuer": ("owner", lambda w: ("GET", f"/v2/issuers/{w['issuer']['entityId']}", None)),
    "Get Assertions": ("owner", lambda w: (
        "GET", f"/v2/issuers/{_award(w)['issuer']}/assertions", None)),
    "Get Assertions in a user's backpack": ("learner", lambda w: (
        "GET", f"/v2/backpack/assertions?_={_award(w)['entityId']}", None)),
    "Get Backpack Assertion details": ("learner", lambda w: (
        "GET", f"/v2/backpack/assertions/{_award(w)['entityId']}", None)),
    "Get BadgeClass's Assertions": ("owner", lambda w: (
        "GET", f"/v2/badgeclasses/{_award(w)['badgeclass']}/assertions", None)),
    "Get Collections": ("learner", lambda w: (
        "GET", f"/v2/backpack/collections?_={_collection(w)['entityId']}", None)),
    "Get Issuer's BadgeClasses": ("owner", lambda w: (
        "GET", f"/v2/issuers/{w['issuer']['entityId']}/badgeclasses?num=10", None)),
    "Get Issuers": ("owner", lambda w: ("GET", "/v2/issuers", None)),
    "Get user's access tokens": ("owner", lambda w: ("GET", "/v2/auth/tokens", None)),
    "Get user's BadgeClasses": ("owner", lambda w: ("GET", "/v2/badgeclasses", None)),
    "Import a Assertion to backpack": ("learner", lambda w: (
        "POST", "/v2/backpack/import", {"url": _award(w)["openBadgeId"]})),
    "Issue an Assertion": ("owner", lambda w: (
        "POST", f"/v2/badgeclasses/{w['badgeclass']['entityId']}/assertions",
        _award_body(w, "issued@example.org"))),
    "Issue an Assertion (single recipient)": ("owner", lambda w: (
        "POST", f"/v2/issuers/{w['issuer']['entityId']}/assertions",
        {**_award_body(w, "single@example.org"), "badgeclass": w["badgeclass"]["entityId"]})),
    "Issue multiple BadgeClass": ("owner", lambda w: (
        "POST", f"/v2/badgeclasses/{w['badgeclass']['entityId']}/issue",
        {"assertions": [_award_body(w, "many-1@example.org"),
                         _award_body(w, "many-2@example.org")]})),
    "Recover an account": ("nobody", None),  # tested on its own below (needs the mailed token)
    "Remove an assertion from backpack": ("learner", lambda w: (
        "DELETE", f"/v2/backpack/assertions/{_award(w)['entityId']}", None)),
    "Request an account recovery email": ("nobody", lambda w: (
        "POST", "/v2/auth/forgot-password", {"email": w["learner"].email})),
    "Retrieve issuer tokens": ("owner", lambda w: (
        "POST", "/v2/tokens/issuers", {"issuers": [w["issuer"]["entityId"]]})),
    "Revoke an AccessToken": ("owner", lambda w: (
        "DELETE", f"/v2/auth/tokens/{_other_token_id(w)}", None)),
    "Revoke an Assertion": ("owner", lambda w: (
        "DELETE", f"/v2/assertions/{_award(w)['entityId']}", None)),
    "Revoke multiple Assertions": ("owner", lambda w: (
        "POST", "/v2/assertions/revoke",
        [{"entityId": _award(w)["entityId"], "revocationReason": "Course was cancelled"}])),
    "Update a BadgeClass": ("owner", lambda w: (
        "PUT", f"/v2/badgeclasses/{w['badgeclass']['entityId']}",
        {"description": "Updated by the connector", "achievementType": "Course"})),
    "Update a BadgeUser": ("owner", lambda w: ("PUT", "/v2/users/self", _profile_body())),
    "Update a Collection": ("learner", lambda w: (
        "PUT", f"/v2/backpack/collections/{_collection(w)['entityId']}",
        {"name": "Renamed"})),
    "Update an Assertion": ("owner", lambda w: (
        "PUT", f"/v2/assertions/{_award(w)['entityId']}",
        {"narrative": "Updated", "issuedOn": "2025-04-25T10:22:36.167Z"})),
    "Update an Issuer": ("owner", lambda w: (
        "PUT", f"/v2/issuers/{w['issuer']['entityId']}", {"description": "Updated"})),
    "Update Assertion acceptance in Backpack": ("learner", lambda w: (
        "PUT", f"/v2/backpack/assertions/{_award(w)['entityId']}", {"acceptance": "Accepted"})),
    "Upload a Assertion to backpack": ("learner", lambda w: (
        "POST", "/v2/backpack/assertions",
        {"badgeclassOpenBadgeId": _award(w)["badgeclassOpenBadgeId"],
         "recipient": {"identity": w["learner"].email, "type": "email"}})),
}


# Every returned field is checked: none is a known gap any more.
KNOWN_GAPS: Dict[str, Tuple[str, ...]] = {}


def _returns(action: str) -> list:
    gaps = KNOWN_GAPS.get(action, ())
    return [entry for entry in ACTIONS[action]["returns"]
            if not entry["path"].startswith(gaps) or not gaps]


def test_every_connector_action_is_mapped():
    assert sorted(REQUESTS) == sorted(ACTIONS)


@pytest.mark.parametrize("action", sorted(name for name, (_, make) in REQUESTS.items() if make))
def test_connector_action_answers_every_returned_field(server, world, action):
    who, make = REQUESTS[action]
    method, path, body = make(world)
    client = (server.client() if who == "nobody" else world[who].client())
    with client:
        response = client.request(method, path, json=body)
    assert response.status_code < 300, f"{action}: {response.status_code} {response.text}"
    if response.status_code == 204 or not ACTIONS[action]["returns"]:
        return
    problems = missing_paths(_returns(action), response.json())
    assert not problems, f"{action}: {problems}"


def test_recover_an_account(server):
    user = make_user(server, "connector-recovery")
    ok(httpx.post(f"{server.url}/v2/auth/forgot-password", json={"email": user.email},
                  timeout=30))
    token = _recovery_token(server, user.email)
    response = httpx.put(f"{server.url}/v2/auth/forgot-password", timeout=30,
                         json={"token": token, "password": "recovered password"})
    problems = missing_paths(ACTIONS["Recover an account"]["returns"], response.json())
    assert response.status_code == 200 and not problems, (response.text, problems)
    assert login(server, user.email, "recovered password").status_code == 200


def test_a_collection_lists_its_assertions_expanded_and_takes_them_back(world):
    """The connector shows a collection's assertions as objects (the backpack's own entries); a
    client that GETs one, edits it and PUTs it back sends those objects, not ids."""
    collection = _collection(world)
    second = _award(world)
    path = f"/v2/backpack/collections/{collection['entityId']}"
    with world["learner"].client() as client:
        shown = ok(client.get(path))[0]
        [entry] = shown["assertions"]
        assert entry["entityType"] == "Assertion" and entry["openBadgeId"].startswith("http")
        assert entry["badgeclassName"] == "Connector Badge"
        assert entry["recipient"]["plaintextIdentity"] == world["learner"].email
        echoed = ok(client.put(path, json={**shown, "assertions": [*shown["assertions"],
                                                                   second["entityId"]]}))[0]
        assert [item["entityId"] for item in echoed["assertions"]] == [
            entry["entityId"], second["entityId"]]
        listed = next(item for item in ok(client.get("/v2/backpack/collections"))
                      if item["entityId"] == collection["entityId"])
        assert listed["assertions"] == echoed["assertions"]


def test_profile_emails_are_cached_email_addresses(server):
    user = make_user(server, "connector-emails")
    with user.client() as client:
        [email] = ok(client.get("/v2/users/self"))[0]["emails"]
        assert email["entityType"] == "CachedEmailAddress" and email["caseVariants"] == []
        assert email["email"] == user.email and email["primary"] is True
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", email["entityId"])
        again = ok(client.put("/v2/users/self", json={"firstName": "Same"}))[0]["emails"][0]
        assert again["entityId"] == email["entityId"]  # stable: a client may keep it
    other = make_user(server, "connector-emails-other")
    with other.client() as client:
        assert ok(client.get("/v2/users/self"))[0]["emails"][0]["entityId"] != email["entityId"]
