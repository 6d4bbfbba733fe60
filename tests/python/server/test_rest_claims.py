"""Qualifying badges for claims: editors make a badge class claimable, recipients claim it once
they hold valid assertions of every qualifying badge class; bad input and wrong roles change
nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from cli_support import write_csv
from rest_helpers import (award, failed, make_user, new_badgeclass, new_issuer, ok, token_for)


def _claimable(owner, issuer_id):
    first = new_badgeclass(owner, issuer_id, "Python 101")
    second = new_badgeclass(owner, issuer_id, "Python 102")
    target = new_badgeclass(owner, issuer_id, "Python Master")
    with owner.client() as client:
        record = ok(client.put(f"/v2/badgeclasses/{target['entityId']}/qualifying",
                               json={"qualifying": [first["entityId"], second["entityId"]]}))[0]
    assert record["qualifying"] == [first["entityId"], second["entityId"]]
    assert record["entityType"] == "QualifyingBadges"
    assert record["qualifyingOpenBadgeIds"][0].endswith(f"/public/badges/{first['entityId']}")
    return first, second, target


def test_a_recipient_with_every_qualifying_badge_claims_it_once(server, alice):
    learner = make_user(server, "learner")
    issuer = new_issuer(alice, "Claims U")
    first, second, target = _claimable(alice, issuer["entityId"])
    claim = f"/v2/badgeclasses/{target['entityId']}/claim"
    award(alice, first["entityId"], learner.email.upper())  # emails match case-insensitively
    with learner.client() as client:
        status = ok(client.get(claim))[0]
        assert status["qualifies"] is False and status["missing"] == [second["entityId"]]
        body = failed(client.post(claim), 403)
        assert body["errorCode"] == "not_qualified"
        assert body["nonFieldErrors"] == [
            f"missing qualifying badge class: Python 102 ({second['entityId']})"]
    with alice.client() as client:  # nothing was awarded by the refused claim
        assert ok(client.get(f"/v2/badgeclasses/{target['entityId']}/assertions")) == []
    award(alice, second["entityId"], learner.email)
    with learner.client() as client:
        assert ok(client.get(claim))[0]["qualifies"] is True
        assertion = ok(client.post(claim), 201)[0]
        assert assertion["badgeclass"] == target["entityId"]
        assert assertion["recipient"]["plaintextIdentity"] == learner.email
        assert failed(client.post(claim), 409)["errorCode"] == "conflict"
    with alice.client() as client:
        listed = ok(client.get(f"/v2/badgeclasses/{target['entityId']}/assertions"))
        assert [item["entityId"] for item in listed] == [assertion["entityId"]]


def test_revoked_and_expired_qualifying_badges_do_not_count(server, alice):
    learner = make_user(server, "lapsed")
    issuer = new_issuer(alice, "Lapsed U")
    first, second, target = _claimable(alice, issuer["entityId"])
    held = award(alice, first["entityId"], learner.email)
    award(alice, second["entityId"], learner.email, issuedOn="2019-01-01T00:00:00Z",
          expires="2020-01-01T00:00:00Z")
    claim = f"/v2/badgeclasses/{target['entityId']}/claim"
    with learner.client() as client:
        assert ok(client.get(claim))[0]["missing"] == [second["entityId"]]
    award(alice, second["entityId"], learner.email)
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{held['entityId']}",
                          json={"revocation_reason": "cheating"}))
    with learner.client() as client:
        assert ok(client.get(claim))[0]["missing"] == [first["entityId"]]
        failed(client.post(claim), 403)


def test_badges_held_under_another_verified_email_count(server, alice):
    learner = make_user(server, "twomail")
    issuer = new_issuer(alice, "Two Mail U")
    first, second, target = _claimable(alice, issuer["entityId"])
    award(alice, first["entityId"], learner.email)
    award(alice, second["entityId"], learner.email)
    with learner.client() as client:
        body = failed(client.post(f"/v2/badgeclasses/{target['entityId']}/claim",
                                  json={"email": "someone-else@example.org"}), 400)
        assert body["fieldErrors"] == {"email": ["is not one of your verified email addresses"]}
        assertion = ok(client.post(f"/v2/badgeclasses/{target['entityId']}/claim",
                                   json={"email": learner.email}), 201)[0]
        assert assertion["recipient"]["plaintextIdentity"] == learner.email


def test_qualifying_lists_are_checked_and_bad_ones_change_nothing(server, alice, bob):
    issuer = new_issuer(alice, "Checked Claims U")
    first, second, target = _claimable(alice, issuer["entityId"])
    hidden = new_badgeclass(bob, new_issuer(bob, "Bob's")["entityId"], "Bob's badge")
    path = f"/v2/badgeclasses/{target['entityId']}/qualifying"
    with alice.client() as client:
        cases = [({"qualifying": []}, {"qualifying": ["list at least one qualifying badge class"]}),
                 ({"qualifying": [target["entityId"]]},
                  {"qualifying.0": ["a badge class cannot qualify for itself"]}),
                 ({"qualifying": [first["entityId"], first["entityId"]]},
                  {"qualifying.1": ["is listed twice"]}),
                 ({"qualifying": [first["entityId"], "AAAAAAAAAAAAAAAAAAAAAA"]},
                  {"qualifying.1": ["no such badge class"]}),
                 ({"qualifying": [hidden["entityId"]]}, {"qualifying.0": ["no such badge class"]}),
                 ({"qualifying": [7]}, {"qualifying.0": ["must be a badge class entityId"]}),
                 ({"qualifying": "x"}, {"qualifying": ["must be a list"]}),
                 ({}, {"qualifying": ["is required: a list of badge class entityIds"]})]
        for body, errors in cases:
            assert failed(client.put(path, json=body), 400)["fieldErrors"] == errors, body
        failed(client.put(path, content=b"[1"), 400)
        shown = ok(client.get(path))[0]
        assert shown["qualifying"] == [first["entityId"], second["entityId"]]
        # What a client read may be sent back (with more): only `qualifying` is read.
        assert ok(client.put(path, json={**shown, "note": "kept aside"}))[0]["qualifying"] == [
            first["entityId"], second["entityId"]]
        listed = ok(client.get("/v2/claimable"))
        assert target["entityId"] in [item["badgeclass"] for item in listed]
        ok(client.delete(path), 204)
        failed(client.get(path), 404)
        failed(client.delete(path), 404)
        assert target["entityId"] not in [item["badgeclass"] for item in
                                          ok(client.get("/v2/claimable"))]
    with bob.client() as client:  # not claimable any more: unknown to a claimant
        failed(client.post(f"/v2/badgeclasses/{target['entityId']}/claim"), 404)
        failed(client.get(f"/v2/badgeclasses/{target['entityId']}/claim"), 404)
        failed(client.post("/v2/badgeclasses/AAAAAAAAAAAAAAAAAAAAAA/claim"), 404)


def test_roles_and_scopes(server, alice, bob):
    staff = make_user(server, "claimstaff")
    issuer = new_issuer(alice, "Claim Roles U")
    first, second, target = _claimable(alice, issuer["entityId"])
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
    path = f"/v2/badgeclasses/{target['entityId']}/qualifying"
    with staff.client() as client:
        assert ok(client.get(path))[0]["qualifying"] == [first["entityId"], second["entityId"]]
        assert failed(client.put(path, json={"qualifying": [first["entityId"]]}),
                      403)["errorCode"] == "permission_denied"
        failed(client.delete(path), 403)
    with bob.client() as client:
        for response in (client.get(path), client.put(path, json={"qualifying": []}),
                         client.delete(path)):
            assert failed(response, 404)["nonFieldErrors"] == ["BadgeClass not found"]
        assert target["entityId"] not in [item["badgeclass"] for item in
                                          ok(client.get("/v2/claimable"))]
    with alice.client() as client:
        assert ok(client.get(path))[0]["qualifying"] == [first["entityId"], second["entityId"]]
    issuer_only = token_for(server, bob.email, "rw:issuer")
    with server.client(issuer_only) as client:
        assert failed(client.post(f"/v2/badgeclasses/{target['entityId']}/claim"),
                      403)["errorCode"] == "insufficient_scope"
    backpack_only = token_for(server, alice.email, "rw:backpack")
    with server.client(backpack_only) as client:
        failed(client.put(path, json={"qualifying": [first["entityId"]]}), 403)
    with server.client() as client:
        failed(client.post(f"/v2/badgeclasses/{target['entityId']}/claim"), 401)
        failed(client.get(path), 401)


def test_an_unverified_account_cannot_claim(server, alice):
    unverified = make_user(server, "unverified", confirm=False)
    issuer = new_issuer(alice, "Unverified U")
    _, _, target = _claimable(alice, issuer["entityId"])
    with unverified.client() as client:
        body = failed(client.post(f"/v2/badgeclasses/{target['entityId']}/claim"), 403)
        assert body["nonFieldErrors"] == ["Verify an email address before claiming badges."]


def test_cli_sets_checks_and_awards_claims(cli_store, tmp_path):
    cli, issuer_id, first_id = cli_store
    target = cli.ok_json("badge", "create", "--issuer", issuer_id, "--name", "Master",
                         "--description", "All of them")["entityId"]
    record = cli.ok_json("claim", "set", target, first_id)
    assert record["qualifying"] == [first_id]
    assert [r["badgeclass"] for r in cli.ok_list("claim", "list")] == [target]
    result = cli("--json", "claim", "check", target, "pat@example.org")
    assert result.code == 1 and result.json()["missing"] == [first_id]
    result = cli("claim", "award", target, "pat@example.org")
    assert result.code == 1 and "Traceback" not in result.err
    assert ("laurel: error: the recipient does not hold valid assertions of: "
            f"Demo ({first_id})") in result.err
    people = write_csv(tmp_path / "people.csv", "email\nother@example.org\n")
    assert cli("award", "--badge", first_id, "--csv", str(people)).code == 0
    result = cli("--json", "claim", "award", target, "pat@example.org", "other@example.org")
    assert result.code == 0, result.err
    assert result.json()["recipient"]["plaintextIdentity"] == "pat@example.org"
    again = cli("claim", "award", target, "pat@example.org", "other@example.org")
    assert again.code == 1 and "already holds" in again.err
    bad = cli("claim", "set", target, target)
    assert bad.code == 1 and "cannot qualify for itself" in bad.err
    assert cli.ok_json("claim", "show", target)["qualifying"] == [first_id]
    assert cli.ok_json("claim", "remove", target) == {"badgeclass": target, "removed": True}
    gone = cli("claim", "show", target)
    assert gone.code == 1 and "not claimable" in gone.err
    assert cli("claim", "remove", target).code == 1


def test_concurrent_claims_through_both_workers_award_once(server, alice):
    learner = make_user(server, "racer")
    issuer = new_issuer(alice, "Racing Claims U")
    first, second, target = _claimable(alice, issuer["entityId"])
    award(alice, first["entityId"], learner.email)
    award(alice, second["entityId"], learner.email)

    def claim(_):
        with learner.client() as client:
            return client.post(f"/v2/badgeclasses/{target['entityId']}/claim").status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(claim, range(6)))
    assert statuses == [201] + [409] * 5
    with alice.client() as client:
        assert len(ok(client.get(f"/v2/badgeclasses/{target['entityId']}/assertions"))) == 1
