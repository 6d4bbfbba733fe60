"""Issuers: CRUD, the openBadgeId/ref forms, staff roles and privacy between users."""

from __future__ import annotations

import base64

from rest_helpers import (failed, make_user, new_badgeclass, new_issuer, ok)


def test_create_makes_the_caller_owner_and_adds_public_ids(server, alice):
    issuer = new_issuer(alice, "Owned U", description="Badges")
    assert issuer["entityType"] == "Issuer"
    # Each member comes with their BadgeUser profile (issue 13).
    assert [(m["user"], m["role"], m["userProfile"]["entityId"]) for m in issuer["staff"]] == [
        (alice.entity_id, "owner", alice.entity_id)]
    assert issuer["createdBy"] == alice.entity_id
    assert issuer["openBadgeId"] == f"{server.url}/public/issuers/{issuer['entityId']}"
    with alice.client() as client:
        assert ok(client.get(f"/v2/issuers/{issuer['entityId']}"))[0] == issuer
        assert issuer["entityId"] in [i["entityId"] for i in ok(client.get("/v2/issuers"))]


def test_create_keeps_badgr_fields_and_warns_of_unknown_ones(server, alice):
    # Issue 13: badgrDomain was dropped with a warning; documented fields are kept now.
    extension = {"@context": "https://example.org/ext.json", "type": "extension:Test", "a": 1}
    with alice.client() as client:
        response = client.post("/v2/issuers", json={
            "name": "Warned", "email": "w@example.org", "url": "https://example.org",
            "badgrDomain": "badgr.example", "notAField": 1,
            "extensions": {"extensions:Test": extension}})
        assert response.status_code == 201
        body = response.json()
        assert body["warnings"] == {"notAField": ["not stored by Laurel; ignored"]}
        assert body["result"][0]["badgrDomain"] == "badgr.example"
        assert body["result"][0]["extensions"] == {"extensions:Test": extension}


def test_create_with_bad_fields_is_400_and_writes_nothing(server):
    user = make_user(server, "badissuer")
    with user.client() as client:
        response = client.post("/v2/issuers", json={"name": "X", "email": "not-an-email",
                                                    "url": "https://example.org"})
        assert "email" in failed(response, 400)["fieldErrors"]
        # Valid for create_issuer, refused when the extensions are set right after (over 64 KiB):
        # the issuer created in between must be gone again.
        response = client.post("/v2/issuers", json={"name": "X", "email": "x@example.org",
                                                    "url": "https://example.org",
                                                    "extensions": {"ext:Big": {"x": "a" * 70000}}})
        assert "extensions" in failed(response, 400)["fieldErrors"]
        response = client.post("/v2/issuers", json={"name": "X", "email": "x@example.org",
                                                    "url": "https://example.org",
                                                    "extensions": ["not", "an", "object"]})
        assert failed(response, 400)["fieldErrors"] == {"extensions": ["must be an object"]}
        response = client.post("/v2/issuers", json={"name": 5, "email": "x@example.org",
                                                    "url": "https://example.org"})
        assert failed(response, 400)["fieldErrors"] == {"name": ["must be a string"]}
        assert ok(client.get("/v2/issuers")) == []


def test_users_never_see_each_others_issuers(server, alice, bob):
    issuer = new_issuer(alice, "Private U")
    path = f"/v2/issuers/{issuer['entityId']}"
    with bob.client() as client:
        assert issuer["entityId"] not in [i["entityId"] for i in ok(client.get("/v2/issuers"))]
        for response in (client.get(path), client.put(path, json={"name": "Mine"}),
                         client.patch(path, json={"name": "Mine"}), client.delete(path),
                         client.get(f"{path}/badgeclasses"),
                         client.post(f"{path}/badgeclasses", json={"name": "B"}),
                         client.get(f"{path}/assertions")):
            body = failed(response, 404)
            assert body["nonFieldErrors"] == ["Issuer not found"]
    with alice.client() as client:
        assert ok(client.get(path))[0]["name"] == "Private U"


def test_unknown_and_malformed_issuer_ids_are_404(server, alice):
    with alice.client() as client:
        failed(client.get("/v2/issuers/AAAAAAAAAAAAAAAAAAAAAA"), 404)
        failed(client.get("/v2/issuers/not-an-id"), 404)


def test_put_and_patch_change_only_the_given_fields(server, alice):
    issuer = new_issuer(alice, "Changing U")
    path = f"/v2/issuers/{issuer['entityId']}"
    with alice.client() as client:
        patched = ok(client.patch(path, json={"description": "Now described"}))[0]
        assert patched["description"] == "Now described" and patched["name"] == "Changing U"
        whole = dict(patched, name="Changed U")  # a Badgr client PUTs back what it GOT
        put = ok(client.put(path, json=whole))[0]
        assert put["name"] == "Changed U" and put["description"] == "Now described"
        response = client.put(path, json={"entityId": "AAAAAAAAAAAAAAAAAAAAAA"})
        assert "entityId" in failed(response, 400)["fieldErrors"]
        response = client.put(path, json={"color": "blue"})
        assert "color" in failed(response, 400)["fieldErrors"]
        assert ok(client.get(path))[0]["name"] == "Changed U"


def _b64(url: str, urlsafe: bool = False) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return encode(url.encode()).decode().rstrip("=")


def test_open_badge_id_and_ref_forms_name_the_same_issuer(server, alice):
    issuer = new_issuer(alice, "Referenced U")
    encoded = _b64(issuer["openBadgeId"])
    with alice.client() as client:
        for form in ("openBadgeId", "ref"):
            got = ok(client.get(f"/v2/issuers/{form}/{encoded}"))[0]
            assert got["entityId"] == issuer["entityId"]
            ok(client.patch(f"/v2/issuers/{form}/{_b64(issuer['openBadgeId'], True)}",
                            json={"description": form}))
        assert ok(client.get(f"/v2/issuers/{issuer['entityId']}"))[0]["description"] == "ref"
        failed(client.get(f"/v2/issuers/openBadgeId/{_b64('https://elsewhere.example/x')}"), 404)
        failed(client.get("/v2/issuers/ref/%%%"), 404)
        ok(client.delete(f"/v2/issuers/ref/{encoded}"), 204)
        failed(client.get(f"/v2/issuers/{issuer['entityId']}"), 404)


def test_staff_roles_follow_badgr(server):
    owner, editor, staff = (make_user(server, name) for name in ("owner", "editor", "staffer"))
    issuer = new_issuer(owner, "Roles U")
    path = f"/v2/issuers/{issuer['entityId']}"
    roster = [{"user": owner.entity_id, "role": "owner"},
              {"user": editor.email, "role": "editor"},
              {"user": staff.entity_id, "role": "staff"}]
    with owner.client() as client:
        updated = ok(client.put(path, json={"staff": roster}))[0]
        assert {m["user"]: m["role"] for m in updated["staff"]} == {
            owner.entity_id: "owner", editor.entity_id: "editor", staff.entity_id: "staff"}
    with editor.client() as client:
        ok(client.patch(path, json={"description": "edited by the editor"}))
        badgeclass = ok(client.post(f"{path}/badgeclasses",
                                    json={"name": "Editor's", "description": "d"}), 201)[0]
        failed(client.put(path, json={"staff": roster[:1]}), 403)
        failed(client.delete(path), 403)
    with staff.client() as client:
        ok(client.get(path))
        failed(client.patch(path, json={"description": "staff edit"}), 403)
        failed(client.post(f"{path}/badgeclasses", json={"name": "S", "description": "d"}), 403)
        failed(client.put(f"/v2/badgeclasses/{badgeclass['entityId']}", json={"name": "S"}), 403)
        failed(client.delete(f"/v2/badgeclasses/{badgeclass['entityId']}"), 403)
        assertion = ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                   json={"recipient": {"identity": "learner@example.org"}}),
                       201)[0]
        revoked = ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                                   json={"revocation_reason": "mistake"}))[0]
        assert revoked["revoked"] is True
        issuer_token = ok(client.post("/v2/auth/tokens/issuers",
                                      json={"issuers": [issuer["entityId"]]}), 201)[0]["token"]
    with server.client(issuer_token) as client:  # the staff member's role, on this issuer only
        failed(client.patch(path, json={"description": "via issuer token"}), 403)
        ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                       json={"recipient": {"identity": "second@example.org"}}), 201)


def test_staff_changes_are_checked(server):
    owner = make_user(server, "checker")
    issuer = new_issuer(owner, "Checked U")
    path = f"/v2/issuers/{issuer['entityId']}"
    with owner.client() as client:
        body = failed(client.put(path, json={"staff": [{"user": owner.entity_id,
                                                        "role": "editor"}]}), 400)
        assert body["fieldErrors"] == {"staff": ["an issuer needs at least one owner"]}
        body = failed(client.put(path, json={"staff": [
            {"user": owner.entity_id, "role": "owner"},
            {"user": "nobody-here@example.org", "role": "staff"}]}), 400)
        assert "staff.1.user" in body["fieldErrors"]
        body = failed(client.put(path, json={"staff": [
            {"user": owner.entity_id, "role": "admin"}]}), 400)
        assert "staff.0.role" in body["fieldErrors"]
        assert [(m["user"], m["role"]) for m in ok(client.get(path))[0]["staff"]] == [
            (owner.entity_id, "owner")]


def test_delete_refuses_an_issuer_with_badge_classes(server, alice):
    issuer = new_issuer(alice, "Busy U")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    path = f"/v2/issuers/{issuer['entityId']}"
    with alice.client() as client:
        assert failed(client.delete(path), 409)["errorCode"] == "conflict"
        ok(client.delete(f"/v2/badgeclasses/{badgeclass['entityId']}"), 204)
        ok(client.delete(path), 204)
        failed(client.get(path), 404)
