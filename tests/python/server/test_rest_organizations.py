"""Organizations: CRUD, members' roles governing the issuers an organization owns, bad input and
wrong roles changing nothing."""

from __future__ import annotations

from rest_helpers import award, failed, make_user, new_issuer, ok


def _organization(owner, name="Guild of Schools", **extra):
    with owner.client() as client:
        return ok(client.post("/v2/organizations",
                              json={"name": name, "url": "https://guild.example.org", **extra}),
                  201)[0]


def test_members_roles_govern_the_issuers_it_owns(server, alice):
    editor, staff, outsider = (make_user(server, name) for name in
                               ("orgeditor", "orgstaff", "orgoutsider"))
    organization = _organization(alice)
    assert organization["members"] == [{"user": alice.entity_id, "role": "owner"}]
    path = f"/v2/organizations/{organization['entityId']}"
    issuer = new_issuer(alice, "Org School")
    issuer_path = f"/v2/issuers/{issuer['entityId']}"
    with alice.client() as client:
        members = [{"user": alice.entity_id, "role": "owner"},
                   {"user": editor.email, "role": "editor"},
                   {"user": staff.entity_id, "role": "staff"}]
        updated = ok(client.patch(path, json={"members": members}))[0]
        assert {m["user"]: m["role"] for m in updated["members"]} == {
            alice.entity_id: "owner", editor.entity_id: "editor", staff.entity_id: "staff"}
    with editor.client() as client:  # not the issuer's staff yet: the organization owns nothing
        failed(client.get(issuer_path), 404)
    with alice.client() as client:
        added = ok(client.post(f"{path}/issuers", json={"issuer": issuer["entityId"]}), 201)
        assert added[0]["entityId"] == issuer["entityId"]
        assert ok(client.get(path))[0]["issuers"] == [issuer["entityId"]]
        failed(client.post(f"{path}/issuers", json={"issuer": issuer["entityId"]}), 409)
    with editor.client() as client:
        assert issuer["entityId"] in [i["entityId"] for i in ok(client.get("/v2/issuers"))]
        badgeclass = ok(client.post(f"{issuer_path}/badgeclasses",
                                    json={"name": "Org Badge", "description": "d"}), 201)[0]
        failed(client.put(issuer_path, json={"staff": [{"user": editor.entity_id,
                                                        "role": "owner"}]}), 403)
        failed(client.delete(issuer_path), 403)
        assert [i["entityId"] for i in ok(client.get(f"{path}/issuers"))] == [issuer["entityId"]]
        failed(client.delete(path), 403)
        failed(client.patch(path, json={"members": [{"user": editor.entity_id,
                                                     "role": "owner"}]}), 403)
        ok(client.patch(path, json={"description": "edited by an editor"}))
    with staff.client() as client:
        ok(client.get(issuer_path))
        failed(client.post(f"{issuer_path}/badgeclasses",
                           json={"name": "Staff Badge", "description": "d"}), 403)
        award(staff, badgeclass["entityId"], "pupil@example.org")
        failed(client.patch(path, json={"description": "staff edit"}), 403)
    with outsider.client() as client:
        for response in (client.get(path), client.patch(path, json={"name": "x"}),
                         client.delete(path), client.get(f"{path}/issuers"),
                         client.post(f"{path}/issuers", json={"issuer": issuer["entityId"]})):
            assert failed(response, 404)["nonFieldErrors"] == ["Organization not found"]
        failed(client.get(issuer_path), 404)
        assert ok(client.get("/v2/organizations")) == []
    with alice.client() as client:
        ok(client.delete(f"{path}/issuers/{issuer['entityId']}"), 204)
        failed(client.delete(f"{path}/issuers/{issuer['entityId']}"), 404)
    with editor.client() as client:  # released: the organization's roles no longer reach it
        failed(client.get(issuer_path), 404)
    with alice.client() as client:
        ok(client.post(f"{path}/issuers", json={"issuer": issuer["entityId"]}), 201)
        ok(client.delete(path), 204)
        failed(client.get(path), 404)
        ok(client.get(issuer_path))  # the issuer stays, with its own staff
    with editor.client() as client:
        failed(client.get(issuer_path), 404)


def test_bad_organizations_are_refused_and_change_nothing(server, alice, bob):
    organization = _organization(alice, "Checked Guild")
    path = f"/v2/organizations/{organization['entityId']}"
    bobs_issuer = new_issuer(bob, "Bob's School")
    with alice.client() as client:
        for body, errors in (({"name": ""}, {"name": ["is required"]}),
                             ({"name": 3}, {"name": ["must be a string"]}),
                             ({"url": "nope"}, {"url": ["must be an http(s) URL"]}),
                             ({"motto": "x"}, {"motto": ["unknown organization field"]}),
                             ({"members": [{"user": alice.entity_id, "role": "editor"}]},
                              {"members": ["an organization needs at least one owner"]}),
                             ({"members": [{"user": alice.entity_id, "role": "boss"}]},
                              {"members.0.role": ["must be owner, editor or staff"]}),
                             ({"members": [{"user": "nobody@example.org", "role": "owner"}]},
                              {"members.0.user": ["no account has confirmed this email"]}),
                             ({"members": "alice"},
                              {"members": ["must be a list of {user, role}"]})):
            assert failed(client.patch(path, json=body), 400)["fieldErrors"] == errors, body
        failed(client.post("/v2/organizations", json={"description": "nameless"}), 400)
        failed(client.post("/v2/organizations", content=b"[]"), 400)
        assert failed(client.post(f"{path}/issuers", json={"issuer": bobs_issuer["entityId"]}),
                      400)["fieldErrors"] == {"issuer": ["no such issuer of yours"]}
        failed(client.post(f"{path}/issuers", json={}), 400)
        current = ok(client.get(path))[0]
        assert current["name"] == "Checked Guild" and current["issuers"] == []
        assert current["members"] == [{"user": alice.entity_id, "role": "owner"}]
        assert [o["entityId"] for o in ok(client.get("/v2/organizations"))].count(
            organization["entityId"]) == 1
    with bob.client() as client:  # bob owns his issuer but is not in the organization
        failed(client.post(f"{path}/issuers", json={"issuer": bobs_issuer["entityId"]}), 404)
    with server.client() as client:
        failed(client.get("/v2/organizations"), 401)


def test_cli_manages_organizations(cli_store):
    cli, issuer_id, _ = cli_store
    record = cli.ok_json("organization", "create", "--name", "Guild", "--member", "u1:owner")
    assert record["members"] == [{"user": "u1", "role": "owner"}] and record["issuers"] == []
    organization_id = record["entityId"]
    assert cli.ok_json("organization", "add-issuer", organization_id, issuer_id)[
        "issuers"] == [issuer_id]
    again = cli("organization", "add-issuer", organization_id, issuer_id)
    assert again.code == 1 and "owns this issuer already" in again.err
    bad = cli("organization", "members", organization_id, "u2:editor")
    assert bad.code == 1 and "at least one owner" in bad.err
    usage = cli("organization", "members", organization_id, "u2")
    assert usage.code == 1 and "USER:ROLE" in usage.err
    assert cli.ok_json("organization", "members", organization_id, "u2:owner", "u1:staff")[
        "members"] == [{"user": "u2", "role": "owner"}, {"user": "u1", "role": "staff"}]
    assert cli.ok_json("organization", "remove-issuer", organization_id, issuer_id)[
        "issuers"] == []
    assert cli.ok_json("organization", "delete", organization_id)["deleted"] is True
    assert cli.ok_list("organization", "list") == []
