"""Assertions: award (one and many), list with cursors, get, update, revoke (one and many),
creation methods."""

from __future__ import annotations

import re

import laurel

from rest_helpers import (award, failed, new_badgeclass, new_issuer, ok)


def _setup(user, name="Awarding U"):
    issuer = new_issuer(user, name)
    return issuer, new_badgeclass(user, issuer["entityId"])


def test_award_returns_the_badgr_assertion_with_a_hashed_recipient(server, alice):
    issuer, badgeclass = _setup(alice)
    assertion = award(alice, badgeclass["entityId"], "Learner@Example.org",
                      narrative="Did the work",
                      evidence=[{"url": "https://example.org/work", "narrative": "the work"}])
    assert assertion["entityType"] == "Assertion"
    assert assertion["badgeclass"] == badgeclass["entityId"]
    assert assertion["issuer"] == issuer["entityId"]
    recipient = assertion["recipient"]
    assert recipient["hashed"] is True and recipient["identity"].startswith("sha256$")
    assert laurel.identity_matches("learner@example.org", recipient["identity"],
                                   recipient["salt"])
    assert assertion["narrative"] == "Did the work"
    assert assertion["evidence"][0]["url"] == "https://example.org/work"
    assert assertion["openBadgeId"] == f"{server.url}/public/assertions/{assertion['entityId']}"
    assert assertion["badgeclassOpenBadgeId"] == badgeclass["openBadgeId"]
    assert assertion["issuerOpenBadgeId"] == issuer["openBadgeId"]
    assert assertion["createdBy"] == alice.entity_id
    assert assertion["revoked"] is False


def test_award_through_the_issuer_names_the_badge_class_in_the_body(server, alice):
    issuer, badgeclass = _setup(alice, "Issuer Scope U")
    other_issuer, other_class = _setup(alice, "Other U")
    path = f"/v2/issuers/{issuer['entityId']}/assertions"
    with alice.client() as client:
        by_id = ok(client.post(path, json={"badgeclass": badgeclass["entityId"],
                                           "recipient": {"identity": "a@example.org"}}), 201)[0]
        by_url = ok(client.post(path, json={"badgeclassOpenBadgeId": badgeclass["openBadgeId"],
                                            "recipient": {"identity": "b@example.org"}}), 201)[0]
        assert by_id["badgeclass"] == by_url["badgeclass"] == badgeclass["entityId"]
        missing = failed(client.post(path, json={"recipient": {"identity": "c@example.org"}}),
                         400)
        assert "badgeclass" in missing["fieldErrors"]
        foreign = failed(client.post(path, json={"badgeclass": other_class["entityId"],
                                                 "recipient": {"identity": "c@example.org"}}),
                         400)
        assert "badgeclass" in foreign["fieldErrors"]


def test_award_refuses_bad_recipients_and_duplicates(server, alice):
    _, badgeclass = _setup(alice, "Picky U")
    path = f"/v2/badgeclasses/{badgeclass['entityId']}/assertions"
    with alice.client() as client:
        body = failed(client.post(path, json={"recipient": {"identity": "not an email"}}), 400)
        assert any(key.startswith("recipient") for key in body["fieldErrors"]), body
        failed(client.post(path, json={}), 400)
        failed(client.post(path, json={"recipient": "x@example.org"}), 400)
        failed(client.post(path, json={"recipient": {"identity": "x@example.org",
                                                     "hashed": "yes"}}), 400)
        failed(client.post(path, json={"recipient": {"identity": "x@example.org"},
                                       "issuedOn": "yesterday"}), 400)
        ok(client.post(path, json={"recipient": {"identity": "once@example.org"}}), 201)
        dup = client.post(path, json={"recipient": {"identity": "once@example.org"},
                                      "allowDuplicateAwards": False})
        failed(dup, 409)
        page = ok(client.get(path))
        assert len(page) == 1


def test_listing_pages_with_link_cursors_newest_first(server, alice):
    _, badgeclass = _setup(alice, "Paged U")
    ids = [award(alice, badgeclass["entityId"], f"p{i}@example.org")["entityId"]
           for i in range(5)]
    path = f"/v2/badgeclasses/{badgeclass['entityId']}/assertions"
    seen = []
    with alice.client() as client:
        response = client.get(path, params={"num": 2})
        while True:
            seen.extend(item["entityId"] for item in ok(response))
            match = re.search(r'<([^>]+)>; rel="next"', response.headers.get("link", ""))
            if not match:
                break
            response = client.get(match.group(1))
        assert seen == list(reversed(ids))
        prev = re.search(r'<([^>]+)>; rel="prev"', response.headers["link"]).group(1)
        assert "before=" in prev
        back = ok(client.get(prev))
        assert [item["entityId"] for item in back] == list(reversed(ids))[2:4]
        failed(client.get(path, params={"num": 0}), 400)
        failed(client.get(path, params={"num": "many"}), 400)
        failed(client.get(path, params={"after": "garbage-cursor"}), 400)


def test_listing_filters_by_recipient_and_hides_revoked_unless_asked(server, alice):
    issuer, badgeclass = _setup(alice, "Filtered U")
    keep = award(alice, badgeclass["entityId"], "keep@example.org")
    gone = award(alice, badgeclass["entityId"], "gone@example.org")
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{gone['entityId']}",
                         json={"revocation_reason": "wrong person"}))
        for path in (f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                     f"/v2/issuers/{issuer['entityId']}/assertions"):
            assert [a["entityId"] for a in ok(client.get(path))] == [keep["entityId"]]
            everything = ok(client.get(path, params={"include_revoked": "true"}))
            assert {a["entityId"] for a in everything} == {keep["entityId"], gone["entityId"]}
            only = ok(client.get(path, params={"recipient": "KEEP@example.org"}))
            assert [a["entityId"] for a in only] == [keep["entityId"]]
            failed(client.get(path, params={"include_revoked": "maybe"}), 400)


def test_get_update_and_revoke_one_assertion(server, alice):
    _, badgeclass = _setup(alice, "Single U")
    assertion = award(alice, badgeclass["entityId"], "single@example.org")
    path = f"/v2/assertions/{assertion['entityId']}"
    with alice.client() as client:
        assert ok(client.get(path))[0] == assertion
        updated = ok(client.put(path, json=dict(assertion, narrative="Updated")))[0]
        assert updated["narrative"] == "Updated"
        body = failed(client.put(path, json={"recipient": {"identity": "other@example.org"}}),
                      400)
        assert "recipient" in body["fieldErrors"]
        revoked = ok(client.delete(path, params={"revocation_reason": "Plagiarism"}))[0]
        assert revoked["revoked"] is True and revoked["revocationReason"] == "Plagiarism"
        failed(client.request("DELETE", path, json={"revocation_reason": "again"}), 409)
        failed(client.put(path, json={"narrative": "after revocation"}), 409)
        failed(client.get("/v2/assertions/AAAAAAAAAAAAAAAAAAAAAA"), 404)


def test_another_users_assertions_are_404(server, alice, bob):
    _, badgeclass = _setup(alice, "Private Awards")
    assertion = award(alice, badgeclass["entityId"], "private@example.org")
    path = f"/v2/assertions/{assertion['entityId']}"
    with bob.client() as client:
        failed(client.get(path), 404)
        failed(client.put(path, json={"narrative": "x"}), 404)
        failed(client.request("DELETE", path, json={"revocation_reason": "x"}), 404)
    with alice.client() as client:
        assert ok(client.get(path))[0]["revoked"] is False


def test_batch_issue_is_all_or_nothing(server, alice):
    _, badgeclass = _setup(alice, "Batch U")
    path = f"/v2/badgeclasses/{badgeclass['entityId']}/issue"
    with alice.client() as client:
        issued = ok(client.post(path, json={"assertions": [
            {"recipient": {"identity": f"batch{i}@example.org"}, "narrative": f"n{i}"}
            for i in range(20)]}), 201)
        assert len(issued) == 20 and issued[3]["narrative"] == "n3"
        body = failed(client.post(path, json={"assertions": [
            {"recipient": {"identity": "fine@example.org"}},
            {"recipient": {"identity": "broken"}},
            {"recipient": {"identity": "fine2@example.org"}},
            {"recipient": {"identity": "also broken"}}]}), 400)
        assert sorted(key.split(".")[1] for key in body["fieldErrors"]) == ["1", "3"]
        failed(client.post(path, json={"assertions": []}), 400)
        failed(client.post(path, json={"assertions": ["x@example.org"]}), 400)
        failed(client.post(path, json={"assertions": [{"narrative": "no recipient"}]}), 400)
        listed = ok(client.get(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                               params={"num": 100}))
        assert len(listed) == 20


def test_batch_issue_skips_duplicates_with_warnings(server, alice):
    _, badgeclass = _setup(alice, "Dedup U")
    award(alice, badgeclass["entityId"], "held@example.org")
    with alice.client() as client:
        response = client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/issue", json={
            "allowDuplicateAwards": False,
            "assertions": [{"recipient": {"identity": "held@example.org"}},
                           {"recipient": {"identity": "new@example.org"}},
                           {"recipient": {"identity": "new@example.org"}}]})
        assert response.status_code == 201
        body = response.json()
        assert len(body["result"]) == 1
        assert set(body["warnings"]) == {"assertions.0", "assertions.2"}


def test_batch_revoke_reports_each_item(server, alice, bob):
    _, badgeclass = _setup(alice, "Revoking U")
    first = award(alice, badgeclass["entityId"], "r1@example.org")
    second = award(alice, badgeclass["entityId"], "r2@example.org")
    _, bobs_class = _setup(bob, "Bob's U")
    bobs = award(bob, bobs_class["entityId"], "r3@example.org")
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{second['entityId']}",
                         json={"revocation_reason": "early"}))
        results = ok(client.post("/v2/assertions/revoke", json=[
            {"entityId": first["entityId"], "revocationReason": "Course was cancelled"},
            {"id": second["entityId"], "revocationReason": "again"},
            {"entityId": bobs["entityId"], "revocationReason": "not mine"},
            {"entityId": "AAAAAAAAAAAAAAAAAAAAAA", "revocationReason": "unknown"},
            {"revocationReason": "no id"},
        ]))
        assert [r["revoked"] for r in results] == [True, False, False, False, False]
        assert [r["code"] for r in results] == [None, "already_revoked", "not_found",
                                                "not_found", "invalid"]
        assert results[0]["entityId"] == first["entityId"]
        failed(client.post("/v2/assertions/revoke", json={"entityId": first["entityId"]}), 400)
    with bob.client() as client:
        assert ok(client.get(f"/v2/assertions/{bobs['entityId']}"))[0]["revoked"] is False


def test_creation_methods_distinguish_api_awards_from_local_ones(server, alice):
    issuer, badgeclass = _setup(alice, "Methods U")
    api = award(alice, badgeclass["entityId"], "api@example.org")
    with server.open_store() as store:  # the same LMDB environment, from this process
        local = store.issue(badgeclass["entityId"], "local@example.org")
    with alice.client() as client:
        result = ok(client.get("/v2/assertions/creation-methods",
                               params=[("ids", api["entityId"]), ("ids", local.entity_id),
                                       ("ids", "AAAAAAAAAAAAAAAAAAAAAA")]))
        assert {item["entityId"]: item["creationMethod"] for item in result} == {
            api["entityId"]: "api", local.entity_id: "local"}
        comma = ok(client.get("/v2/assertions/creation-methods",
                              params={"ids": f"{api['entityId']},{local.entity_id}"}))
        assert len(comma) == 2
        failed(client.get("/v2/assertions/creation-methods"), 400)
