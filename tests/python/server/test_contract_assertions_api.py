"""Contract: every operation of Badgr's v2 assertions API document (tests/data/badgr/
assertions-api.json), with its documented body fields, answers with the documented envelope
fields (and batch revocation with every documented item field), under both scopes."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

from contract import load
from rest_helpers import award, make_user, new_badgeclass, new_issuer

DOCUMENT = load("assertions-api.json")


@pytest.fixture(scope="module")
def world(server) -> Dict[str, Any]:
    owner = make_user(server, "assertions-contract")
    issuer = new_issuer(owner, "Assertions Contract U")
    badgeclass = new_badgeclass(owner, issuer["entityId"], "Assertions Contract Badge")
    return {"owner": owner, "issuer": issuer, "badgeclass": badgeclass}


def _bind(text: str, values: Dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# Operations under /v2/{scope}/... run under both scopes, the others once.
CASES = [(operation, scope) for operation in DOCUMENT["operations"]
         for scope in (("issuers", "badgeclasses") if "{scope}" in operation["path"]
                       else ("issuers",))]


@pytest.mark.parametrize("operation, scope", CASES,
                         ids=[f"{o['method']} {o['path']} ({s})" for o, s in CASES])
def test_documented_operation_answers_the_documented_fields(server, world, scope, operation):
    owner, badgeclass = world["owner"], world["badgeclass"]
    first = award(owner, badgeclass["entityId"], "contract-a@example.org")
    second = award(owner, badgeclass["entityId"], "contract-b@example.org")
    scope_id = world["issuer"]["entityId"] if scope == "issuers" else badgeclass["entityId"]
    values = {"scope": scope, "idOrEntityId": first["id"], "idOrEntityId2": second["entityId"],
              "assertion": first["entityId"], "assertion2": second["id"],
              "badgeclass": badgeclass["entityId"],
              "badgeclassOpenBadgeId": badgeclass["openBadgeId"]}
    path = _bind(operation["path"], {**values, "idOrEntityId": (
        scope_id if "{scope}" in operation["path"] else first["id"])})
    body = operation.get("body")
    body = json.loads(_bind(json.dumps(body), values)) if body is not None else None
    query = {key: _bind(str(value), values) for key, value in operation.get("query", {}).items()}
    with owner.client() as client:
        response = client.request(operation["method"], path, json=body, params=query)
    assert response.status_code == operation["status"], response.text
    got = response.json()
    for key in DOCUMENT["envelope"]:
        assert key in got, key
    assert got["status"]["success"] is True
    for item in got["result"] if "item" in operation else []:
        for key in operation["item"]:
            assert key in item, (key, item)
    if operation["method"] == "PUT":
        assert got["result"][0]["issuedOn"] == body["issuedOn"]
        assert got["result"][0]["expires"] == body["expires"]
