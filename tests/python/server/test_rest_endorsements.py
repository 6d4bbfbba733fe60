"""Endorsers (CRUD, registration through a one-time link mailed to them) and endorsements
(of issuers, badge classes and assertions; add, list and remove endorsers on an assertion; the
hosted OB 2.0 documents); bad input and wrong roles change nothing."""

from __future__ import annotations

import re

from rest_helpers import (award, failed, make_user, new_badgeclass, new_issuer, ok, unique_email)


def _token(server, address):
    mails = server.mails_to(address)
    assert mails, f"no registration mail to {address}"
    body = mails[-1].get_payload(decode=True).decode()
    found = re.search(r"registration token: (\S+)", body)
    assert found, body
    return found.group(1)


def _endorser(user, name="Acme Guild", register=True):
    address = unique_email("endorser")
    with user.client() as client:
        record = ok(client.post("/v2/endorsers", json={"name": name, "email": address,
                                                       "url": "https://guild.example.org"}),
                    201)[0]
    assert record["registered"] is False and record["owner"] == user.entity_id
    if register:
        with user.server.client() as client:
            record = ok(client.post("/v2/endorsers/register",
                                    json={"token": _token(user.server, address),
                                          "description": "A guild of makers"}))[0]
        assert record["registered"] is True and record["description"] == "A guild of makers"
    return record, address


def test_registration_through_the_mailed_one_time_link(server, alice):
    record, address = _endorser(alice, register=False)
    path = f"/v2/endorsers/{record['entityId']}"
    with server.client() as client:
        failed(client.get(f"/public/endorsers/{record['entityId']}"), 404)  # not yet registered
        body = failed(client.post("/v2/endorsers/register", json={"token": "forged"}), 400)
        assert body["fieldErrors"] == {"token": ["is invalid or was already used"]}
        token = _token(server, address)
        body = failed(client.post("/v2/endorsers/register", json={"token": token, "url": "x"}),
                      400)
        assert body["fieldErrors"] == {"url": ["must be an http(s) URL"]}  # the link survives
        failed(client.post("/v2/endorsers/register", json={"token": token, "owner": "me"}), 400)
        registered = ok(client.post("/v2/endorsers/register", json={"token": token}))[0]
        assert registered["registered"] is True and registered["registeredAt"]
        failed(client.post("/v2/endorsers/register", json={"token": token}), 400)  # used up
        profile = client.get(f"/public/endorsers/{record['entityId']}")
        assert profile.status_code == 200
        assert profile.json()["type"] == "Profile" and profile.json()["email"] == address
        assert profile.json()["id"] == registered["openBadgeId"]
    with alice.client() as client:
        assert failed(client.post(f"{path}/invite"), 409)["errorCode"] == "conflict"
        body = failed(client.patch(path, json={"email": unique_email()}), 400)
        assert body["fieldErrors"] == {"email": ["cannot change once the endorser registered"]}
        assert ok(client.patch(path, json={"description": "Still us"}))[0]["email"] == address


def test_endorser_crud_and_privacy(server, alice, bob):
    record, _ = _endorser(alice, "CRUD Guild", register=False)
    path = f"/v2/endorsers/{record['entityId']}"
    with alice.client() as client:
        assert record["entityId"] in [e["entityId"] for e in ok(client.get("/v2/endorsers"))]
        patched = ok(client.patch(path, json={"description": "Makers", "entityId": "x"}))[0]
        assert patched["description"] == "Makers" and patched["name"] == "CRUD Guild"
        cases = [({"name": ""}, {"name": ["is required"]}),
                 ({"email": "not-an-email"}, {"email": ["must be an email address"]}),
                 ({"url": "ftp://x.org"}, {"url": ["must be an http(s) URL"]}),
                 ({"rank": 1}, {"rank": ["unknown endorser field"]}),
                 ({"name": 7}, {"name": ["must be a string"]})]
        for body, errors in cases:
            assert failed(client.patch(path, json=body), 400)["fieldErrors"] == errors, body
        failed(client.post("/v2/endorsers", json={"name": "No mail"}), 400)
        assert ok(client.get(path))[0]["description"] == "Makers"
        ok(client.post(f"{path}/invite"))
    with bob.client() as client:
        assert record["entityId"] not in [e["entityId"] for e in ok(client.get("/v2/endorsers"))]
        for response in (client.get(path), client.patch(path, json={"name": "bob"}),
                         client.delete(path), client.post(f"{path}/invite")):
            assert failed(response, 404)["nonFieldErrors"] == ["Endorser not found"]
    with server.client() as client:
        failed(client.get("/v2/endorsers"), 401)
    with alice.client() as client:
        replaced = ok(client.put(path, json={"name": "Replaced", "email": "r@example.org"}))[0]
        assert replaced["url"] is None and replaced["description"] is None
        ok(client.delete(path), 204)
        failed(client.get(path), 404)


def test_endorsements_of_an_assertion_and_their_public_documents(server, alice, bob):
    issuer = new_issuer(alice, "Endorsed U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Welding")
    assertion = award(alice, badgeclass["entityId"], "wes@example.org")
    endorser, _ = _endorser(bob, "Welders Guild")
    unregistered, _ = _endorser(bob, "Pending Guild", register=False)
    path = f"/v2/assertions/{assertion['entityId']}/endorsements"
    with bob.client() as client:  # bob manages the endorser, not the issuer
        body = failed(client.post(path, json={"endorser": unregistered["entityId"]}), 403)
        assert body["nonFieldErrors"] == ["The endorser has not completed registration."]
        made = ok(client.post(path, json={"endorser": endorser["entityId"],
                                          "endorsementComment": "Solid welds"}), 201)[0]
        assert made["claim"] == {"type": "assertion", "entityId": assertion["entityId"],
                                 "endorsementComment": "Solid welds"}
        failed(client.post(path, json={"endorser": endorser["entityId"]}), 409)
        on_class = ok(client.post("/v2/endorsements", json={
            "endorser": endorser["entityId"],
            "claim": {"type": "badgeclass", "entityId": badgeclass["entityId"]}}), 201)[0]
        assert {e["entityId"] for e in ok(client.get("/v2/endorsements"))} == {
            made["entityId"], on_class["entityId"]}
        failed(client.get(path), 404)  # not the issuer's staff
    with server.client() as client:
        document = client.get(f"/public/endorsements/{made['entityId']}")
        assert document.status_code == 200
        assert document.headers["content-type"].startswith("application/ld+json")
        document = document.json()
        assert document["type"] == "Endorsement" and document["id"] == made["openBadgeId"]
        assert document["claim"] == {"id": assertion["openBadgeId"],
                                     "endorsementComment": "Solid welds"}
        assert document["issuer"] == endorser["openBadgeId"]
        assert client.get(document["issuer"].replace(server.url, "")).json()["name"] == \
            "Welders Guild"
        claim = client.get(f"/public/endorsements/{on_class['entityId']}").json()["claim"]
        assert claim["id"] == badgeclass["openBadgeId"]
    with alice.client() as client:  # the issuer's owner lists and removes endorsers
        assert [e["entityId"] for e in ok(client.get(path))] == [made["entityId"]]
        ok(client.get(f"/v2/endorsements/{made['entityId']}"))
        ok(client.delete(f"{path}/{made['entityId']}"), 204)
        assert ok(client.get(path)) == []
    with server.client() as client:
        failed(client.get(f"/public/endorsements/{made['entityId']}"), 404)
    with bob.client() as client:  # the endorser's manager withdraws its own
        ok(client.delete(f"/v2/endorsements/{on_class['entityId']}"), 204)
        assert ok(client.get("/v2/endorsements")) == []


def test_bad_endorsements_and_wrong_roles_change_nothing(server, alice, bob):
    staff = make_user(server, "endstaff")
    issuer = new_issuer(alice, "Guarded Endorsements U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Carpentry")
    assertion = award(alice, badgeclass["entityId"], "cara@example.org")
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
    endorser, _ = _endorser(bob, "Carpenters Guild")
    alices, _ = _endorser(alice, "Alice's Guild")
    with bob.client() as client:
        cases = [({"endorser": endorser["entityId"]},
                  {"claim": ["is required: {type, entityId, endorsementComment}"]}),
                 ({"endorser": endorser["entityId"],
                   "claim": {"type": "user", "entityId": "x"}},
                  {"claim.type": ["must be issuer, badgeclass or assertion"]}),
                 ({"endorser": endorser["entityId"],
                   "claim": {"type": "issuer", "entityId": "AAAAAAAAAAAAAAAAAAAAAA"}},
                  {"claim.entityId": ["no such issuer"]}),
                 ({"endorser": endorser["entityId"],
                   "claim": {"type": "issuer", "entityId": issuer["entityId"],
                             "endorsementComment": 5}},
                  {"claim.endorsementComment": ["must be a string"]}),
                 ({"endorser": alices["entityId"],
                   "claim": {"type": "issuer", "entityId": issuer["entityId"]}},
                  {"endorser": ["no such endorser of yours"]}),
                 ({"claim": {"type": "issuer", "entityId": issuer["entityId"]}},
                  {"endorser": ["is required: an endorser entityId"]})]
        for body, errors in cases:
            assert failed(client.post("/v2/endorsements", json=body),
                          400)["fieldErrors"] == errors, body
        assert ok(client.get("/v2/endorsements")) == []
        made = ok(client.post(f"/v2/assertions/{assertion['entityId']}/endorsements",
                              json={"endorser": endorser["entityId"]}), 201)[0]
    path = f"/v2/assertions/{assertion['entityId']}/endorsements"
    with staff.client() as client:  # staff sees them, only editors remove them
        assert [e["entityId"] for e in ok(client.get(path))] == [made["entityId"]]
        assert failed(client.delete(f"{path}/{made['entityId']}"),
                      403)["errorCode"] == "permission_denied"
        failed(client.delete(f"/v2/endorsements/{made['entityId']}"), 403)
    other = make_user(server, "endother")
    with other.client() as client:
        failed(client.get(path), 404)
        failed(client.get(f"/v2/endorsements/{made['entityId']}"), 404)
        failed(client.delete(f"/v2/endorsements/{made['entityId']}"), 404)
    with alice.client() as client:
        assert [e["entityId"] for e in ok(client.get(path))] == [made["entityId"]]
        failed(client.delete(f"/v2/assertions/{assertion['entityId']}/endorsements/nope"), 404)


def test_cli_endorsers_and_endorsements(cli_store):
    cli, issuer_id, badge_id = cli_store
    endorser = cli.ok_json("endorser", "create", "--name", "Guild", "--email", "g@example.org")
    assert endorser["registered"] is False
    early = cli("endorsement", "create", "--endorser", endorser["entityId"], "--type", "issuer",
                "--id", issuer_id)
    assert early.code == 1 and "has not completed registration" in early.err
    assert cli.ok_json("endorser", "register", endorser["entityId"])["registered"] is True
    again = cli("endorser", "register", endorser["entityId"])
    assert again.code == 1 and "registered already" in again.err
    made = cli.ok_json("endorsement", "create", "--endorser", endorser["entityId"], "--type",
                       "badgeclass", "--id", badge_id, "--comment", "Great")
    bad = cli("endorsement", "create", "--endorser", endorser["entityId"], "--type", "assertion",
              "--id", badge_id)
    assert bad.code == 1 and "claim.entityId: no such assertion" in bad.err
    assert [r["entityId"] for r in cli.ok_list("endorsement", "list", "--of", badge_id)] == [
        made["entityId"]]
    document = cli("endorsement", "show", made["entityId"], "--base-url",
                   "https://badges.example.org").json()
    assert document["claim"] == {"id": f"https://badges.example.org/public/badges/{badge_id}",
                                 "endorsementComment": "Great"}
    assert cli.ok_json("endorser", "delete", endorser["entityId"])["deleted"] is True
    assert cli.ok_list("endorsement", "list") == []
