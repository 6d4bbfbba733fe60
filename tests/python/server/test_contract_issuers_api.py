"""Contract: every request of Badgr's v2 issuers API document (tests/data/badgr/
issuers-api-examples.json), sent with the document's own example body, answers the documented
status with every field the document's example response shows, of the same JSON type."""

from __future__ import annotations

import base64
from typing import Any, Dict

import pytest

from contract import ENVELOPE, fill, load, missing_fields
from rest_helpers import PNG_DATA_URI, award, make_user, new_badgeclass, new_issuer

EXAMPLES = load("issuers-api-examples.json")["examples"]


@pytest.fixture(scope="module")
def world(server) -> Dict[str, Any]:
    owner = make_user(server, "contract")
    issuer = new_issuer(owner, "Contract U", image=PNG_DATA_URI,
                        badgrDomain="badgrsupportgroup.badgr.com")
    badgeclass = new_badgeclass(owner, issuer["entityId"], "Contract Badge", image=PNG_DATA_URI)
    award(owner, badgeclass["entityId"], "contract-holder@example.org")
    return {"owner": owner, "issuer": issuer, "badgeclass": badgeclass}


def _b64(url: str) -> str:
    return base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def _target(world: Dict[str, Any], example: Dict[str, Any]) -> Dict[str, Any]:
    """The issuer a request acts on: a fresh one for DELETE (it must have no badge classes)."""
    if example["method"] == "DELETE":
        return new_issuer(world["owner"], "Deleted by contract")
    return world["issuer"]


def _path(example: Dict[str, Any], issuer: Dict[str, Any]) -> str:
    return (example["path"].replace("{scope}", "issuers")
            .replace("{idOrEntityId}", issuer["entityId"])
            .replace("{issuerOpenBadgeIdBase64}", _b64(issuer["openBadgeId"])))


def _replacements(world: Dict[str, Any]) -> Dict[str, Any]:
    """The documents' example ids -> ours."""
    owner, issuer, badgeclass = world["owner"], world["issuer"], world["badgeclass"]
    return {"Hey7J-GRSJeu6FNnHQwNyw": owner.entity_id,
            "K829IK8RS6ercwkpeFOn-Q": badgeclass["entityId"],
            "https://api.badgr.io/public/badges/K829IK8RS6ercwkpeFOn-Q": badgeclass["openBadgeId"],
            "https://api.badgr.ws/public/issuers/Uu4wd2I1SKmD3vmtMJ19hw/image": issuer["image"],
            "ZvYydoQhRtOKalNzFPZR2A-Q": issuer["entityId"]}


@pytest.mark.parametrize("example", EXAMPLES,
                         ids=[f"{e['method']} {e['path']}" for e in EXAMPLES])
def test_documented_request_answers_every_documented_field(server, world, example):
    issuer = _target(world, example)
    body = fill(example["request"], _replacements(world)) if example["request"] else None
    if body and isinstance(body.get("expires"), str):
        # The example's expiry equals its issue date: an award never valid, which the core
        # refuses; a later one, with the milliseconds the document shows.
        body["expires"] = "2035-04-25T10:22:36.167Z"
    with world["owner"].client() as client:
        response = client.request(example["method"], _path(example, issuer), json=body)
    assert response.status_code == example["status"], response.text
    if example["status"] == 204:
        assert response.content == b""
        return
    got = response.json()
    for key in ENVELOPE:
        assert key in got, key
    problems = missing_fields(example["response"], got)
    assert not problems, problems
    if body is not None:  # what was sent comes back (fields we keep but do not act on, too)
        sent = {key: value for key, value in body.items()
                if key in ("badgrDomain", "achievementType", "ob3Properties", "preferences",
                           "sourceUrl", "originalJson", "narrative", "issuedOn", "tags")}
        result = got["result"][0]
        for key, value in sent.items():
            assert result.get(key) == value, (key, result.get(key), value)
