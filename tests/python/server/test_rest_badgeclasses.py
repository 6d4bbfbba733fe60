"""Badge classes: create, list, get, update, delete, and bad bodies."""

from __future__ import annotations

from rest_helpers import (award, failed, make_user, new_badgeclass, new_issuer, ok)

# An OB 2.0 extension: a node with its own context and an extension: type (issue 13).
LEVEL = {"extensions:Level": {"@context": "https://example.org/level.json",
                              "type": "extension:Level", "level": 2}}


def test_create_returns_the_badgr_shape_with_public_ids(server, alice):
    issuer = new_issuer(alice, "Classes U")
    badgeclass = new_badgeclass(
        alice, issuer["entityId"], "Data 201", tags=["data"],
        alignments=[{"targetName": "Stats", "targetUrl": "https://example.org/stats"}],
        expires={"amount": 2, "duration": "years"}, extensions=LEVEL)
    assert badgeclass["entityType"] == "BadgeClass"
    assert badgeclass["issuer"] == issuer["entityId"]
    assert badgeclass["openBadgeId"] == f"{server.url}/public/badges/{badgeclass['entityId']}"
    assert badgeclass["issuerOpenBadgeId"] == issuer["openBadgeId"]
    assert badgeclass["tags"] == ["data"]
    assert badgeclass["alignments"][0]["targetName"] == "Stats"
    assert badgeclass["expires"] == {"amount": 2, "duration": "years"}
    assert badgeclass["extensions"] == LEVEL
    assert badgeclass["createdBy"] == alice.entity_id


def test_lists_per_issuer_and_across_your_issuers(server):
    user = make_user(server, "lister")
    first, second = new_issuer(user, "First"), new_issuer(user, "Second")
    a = new_badgeclass(user, first["entityId"], "A")
    b = new_badgeclass(user, second["entityId"], "B")
    with user.client() as client:
        assert [x["entityId"] for x in
                ok(client.get(f"/v2/issuers/{first['entityId']}/badgeclasses"))] == [a["entityId"]]
        assert {x["entityId"] for x in ok(client.get("/v2/badgeclasses"))} == {
            a["entityId"], b["entityId"]}


def test_other_users_badge_classes_are_404(server, alice, bob):
    issuer = new_issuer(alice, "Hidden Classes")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    path = f"/v2/badgeclasses/{badgeclass['entityId']}"
    with bob.client() as client:
        assert badgeclass["entityId"] not in [x["entityId"] for x in
                                              ok(client.get("/v2/badgeclasses"))]
        for response in (client.get(path), client.put(path, json={"name": "x"}),
                         client.delete(path), client.get(f"{path}/assertions"),
                         client.post(f"{path}/assertions",
                                     json={"recipient": {"identity": "x@example.org"}}),
                         client.post(f"{path}/issue", json={"assertions": [
                             {"recipient": {"identity": "x@example.org"}}]})):
            assert failed(response, 404)["nonFieldErrors"] == ["BadgeClass not found"]


def test_update_changes_fields_and_refuses_read_only_ones(server, alice):
    issuer = new_issuer(alice, "Updating Classes")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    path = f"/v2/badgeclasses/{badgeclass['entityId']}"
    with alice.client() as client:
        updated = ok(client.put(path, json=dict(badgeclass, name="Python 102",
                                                tags=["python"])))[0]
        assert updated["name"] == "Python 102" and updated["tags"] == ["python"]
        body = failed(client.put(path, json={"issuer": "AAAAAAAAAAAAAAAAAAAAAA"}), 400)
        assert "issuer" in body["fieldErrors"]
        body = failed(client.put(path, json={"criteriaUrl": "not a url"}), 400)
        assert "criteriaUrl" in body["fieldErrors"]
        assert ok(client.get(path))[0]["name"] == "Python 102"


def test_update_never_rewrites_issued_assertions(server, alice):
    issuer = new_issuer(alice, "Stable U")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    assertion = award(alice, badgeclass["entityId"], "stable@example.org", narrative="first")
    with alice.client() as client:
        ok(client.put(f"/v2/badgeclasses/{badgeclass['entityId']}", json={"name": "Renamed"}))
        again = ok(client.get(f"/v2/assertions/{assertion['entityId']}"))[0]
    assert again["narrative"] == "first" and again["badgeclass"] == badgeclass["entityId"]


def test_bad_bodies_are_400_and_create_nothing(server):
    user = make_user(server, "badclass")
    issuer = new_issuer(user, "Strict Classes")
    path = f"/v2/issuers/{issuer['entityId']}/badgeclasses"
    cases = [
        ({"description": "no name"}, "name"),
        ({"name": "x" * 300, "description": "d"}, "name"),
        ({"name": "N", "description": "d", "criteriaUrl": "ftp://x"}, "criteriaUrl"),
        ({"name": "N", "description": "d", "tags": "python"}, "tags"),
        ({"name": "N", "description": "d", "expires": 5}, "expires"),
        ({"name": "N", "description": "d", "expires": {"amount": 1, "duration": "eons"}},
         "expires"),
        ({"name": "N", "description": "d", "extensions": ["x"]}, "extensions"),
    ]
    with user.client() as client:
        for body, field in cases:
            response = client.post(path, json=body)
            errors = failed(response, 400)
            assert any(key.startswith(field) for key in errors["fieldErrors"]) or \
                errors["nonFieldErrors"], (body, errors)
        for raw in (b"{", b"[]", b"null", b"\xff\xfe", b""):
            response = client.post(path, content=raw,
                                   headers={"Content-Type": "application/json"})
            failed(response, 400)
        response = client.post(path, json={"name": "N", "description": "d",
                                           "alignments": [{"targetName": "T",
                                                           "targetUrl": "https://x.org",
                                                           "bogus": 1}]})
        failed(response, 400)
        assert ok(client.get(path)) == []


def test_delete_refuses_while_any_assertion_exists(server, alice):
    # Issue 13: once all its assertions were revoked a badge class could be deleted, leaving
    # public assertions pointing at a missing badge class and image.
    issuer = new_issuer(alice, "Deleting Classes")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    unused = new_badgeclass(alice, issuer["entityId"], "Unused")
    assertion = award(alice, badgeclass["entityId"], "holder@example.org")
    path = f"/v2/badgeclasses/{badgeclass['entityId']}"
    with alice.client() as client:
        failed(client.delete(path), 409)
        ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                         json={"revocation_reason": "course cancelled"}))
        failed(client.delete(path), 409)
        assert ok(client.get(path))[0]["entityId"] == badgeclass["entityId"]
        assert client.get(f"/public/badges/{badgeclass['entityId']}").status_code == 200
        ok(client.delete(f"/v2/badgeclasses/{unused['entityId']}"), 204)
        failed(client.get(f"/v2/badgeclasses/{unused['entityId']}"), 404)
