"""Recipients: CRUD under an issuer, registration through a mailed one-time link (a new account
or an existing one), the recipient's badges in their backpack; bad input and wrong roles change
nothing."""

from __future__ import annotations

import re

import httpx

from rest_helpers import (PASSWORD, award, failed, login, make_user, new_badgeclass, new_issuer,
                          ok, stored_emails, unique_email)


def _token(server, address):
    mails = server.mails_to(address)
    assert mails, f"no registration mail to {address}"
    found = re.search(r"registration token: (\S+)", mails[-1].get_payload(decode=True).decode())
    assert found
    return found.group(1)


def test_a_new_recipient_registers_and_sees_their_badges(server, alice):
    issuer = new_issuer(alice, "Recipients U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Chemistry")
    address = unique_email("newcomer")
    with alice.client() as client:
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/recipients",
                                json={"name": "New Comer", "email": address.upper()}), 201)[0]
        assert record["email"] == address and record["registered"] is False
        failed(client.post(f"/v2/issuers/{issuer['entityId']}/recipients",
                           json={"name": "Twice", "email": address}), 409)
    assertion = award(alice, badgeclass["entityId"], address)
    with alice.client() as client:
        listed = ok(client.get(f"/v2/recipients/{record['entityId']}/assertions"))
        assert [a["entityId"] for a in listed] == [assertion["entityId"]]
    token = _token(server, address)
    with server.client() as client:
        body = failed(client.post("/v2/recipients/register", json={"token": token}), 400)
        assert "password" in body["fieldErrors"]  # a new account needs one; the link survives
        failed(client.post("/v2/recipients/register", json={"token": token, "role": "x"}), 400)
        done = ok(client.post("/v2/recipients/register",
                              json={"token": token, "password": PASSWORD,
                                    "firstName": "New"}))[0]
        assert done["registered"] is True and done["user"] == done["profile"]["entityId"]
        assert stored_emails(done["profile"]) == [{"email": address, "verified": True,
                                              "primary": True}]
        failed(client.post("/v2/recipients/register",
                           json={"token": token, "password": PASSWORD}), 400)  # used up
    tokens = login(server, address)
    assert tokens.status_code == 200, tokens.text
    backpack = httpx.get(f"{server.url}/v2/backpack/assertions", timeout=30,
                         headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
    assert assertion["entityId"] in [a["entityId"] for a in backpack.json()["result"]]
    with alice.client() as client:
        assert ok(client.get(f"/v2/recipients/{record['entityId']}"))[0]["registered"] is True
        failed(client.post(f"/v2/recipients/{record['entityId']}/invite"), 409)
        body = failed(client.patch(f"/v2/recipients/{record['entityId']}",
                                   json={"email": unique_email()}), 400)
        assert body["fieldErrors"] == {"email": ["cannot change once the recipient registered"]}


def test_an_account_with_the_address_confirmed_registers_without_a_password(server, alice):
    holder = make_user(server, "holder")
    issuer = new_issuer(alice, "Existing Recipients U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Physics")
    assertion = award(alice, badgeclass["entityId"], holder.email)
    with alice.client() as client:
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/recipients",
                                json={"name": "Holder", "email": holder.email}), 201)[0]
    with server.client() as client:
        done = ok(client.post("/v2/recipients/register",
                              json={"token": _token(server, holder.email)}))[0]
        assert done["user"] == holder.entity_id
    with holder.client() as client:
        assert assertion["entityId"] in [a["entityId"] for a in
                                         ok(client.get("/v2/backpack/assertions"))]
    with alice.client() as client:
        assert ok(client.get(f"/v2/recipients/{record['entityId']}"))[0]["user"] == \
            holder.entity_id


def test_a_squatter_never_gets_the_victims_address_verified(server, alice):
    """Account pre-hijacking: someone signs up first with the victim's address and never
    confirms it. The victim's registration link makes the victim an account of their own; the
    squatter's account loses the address and never sees the badge or the plaintext address."""
    victim = unique_email("victim")
    squatter = make_user(server, "squatter", confirm=False, address=victim)
    squatter_confirmation = server.mails_to(victim)[-1].get_payload(decode=True).decode()
    issuer = new_issuer(alice, "Pre-hijack U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Biology")
    assertion = award(alice, badgeclass["entityId"], victim)
    with alice.client() as client:
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/recipients",
                                json={"name": "Victim", "email": victim}), 201)[0]
    token = _token(server, victim)
    with server.client() as client:
        body = failed(client.post("/v2/recipients/register", json={"token": token}), 400)
        assert "password" in body["fieldErrors"]  # no linking to the unconfirmed account
        done = ok(client.post("/v2/recipients/register",
                              json={"token": token, "password": "victim's own password"}))[0]
    assert done["user"] != squatter.entity_id
    assert stored_emails(done["profile"]) == [{"email": victim, "verified": True, "primary": True}]
    with squatter.client() as client:
        profile = ok(client.get("/v2/users/self"))[0]
        assert victim not in str(profile)
        backpack = ok(client.get("/v2/backpack/assertions"))
        assert assertion["entityId"] not in [a["entityId"] for a in backpack]
        assert victim not in str(backpack)
        failed(client.get(f"/v2/backpack/assertions/{assertion['entityId']}"), 404)
    # The confirmation link mailed at the squatter's sign-up verifies nothing now.
    link = re.search(r"/v1/user/confirmemail/(\S+)", squatter_confirmation).group(1)
    with server.client() as client:
        failed(client.get(f"/v1/user/confirmemail/{link}"), 400)
    with squatter.client() as client:
        assert victim not in str(ok(client.get("/v2/users/self"))[0])
    # The address logs in to the victim's account, with the victim's password only.
    assert login(server, victim).status_code == 400
    tokens = login(server, victim, "victim's own password")
    assert tokens.status_code == 200, tokens.text
    backpack = httpx.get(f"{server.url}/v2/backpack/assertions", timeout=30,
                         headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
    assert assertion["entityId"] in [a["entityId"] for a in backpack.json()["result"]]
    with alice.client() as client:
        assert ok(client.get(f"/v2/recipients/{record['entityId']}"))[0]["user"] == done["user"]


def test_crud_bad_input_and_roles(server, alice, bob):
    staff = make_user(server, "recstaff")
    issuer = new_issuer(alice, "Recipient Roles U")
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
    create = f"/v2/issuers/{issuer['entityId']}/recipients"
    with staff.client() as client:  # staff may add recipients (as they may award)
        record = ok(client.post(create, json={"name": "Pat", "email": unique_email("pat")}),
                    201)[0]
        for body, errors in (({"name": "No mail"}, {"email": ["is required"]}),
                             ({"email": "not-an-email"},
                              {"email": ['"not-an-email" is not an email address']}),
                             ({"email": unique_email(), "age": 3},
                              {"age": ["unknown recipient field"]}),
                             ({"email": unique_email(), "name": 3},
                              {"name": ["must be a string"]})):
            assert failed(client.post(create, json=body), 400)["fieldErrors"] == errors, body
        path = f"/v2/recipients/{record['entityId']}"
        ok(client.get(path))
        ok(client.post(f"{path}/invite"))
        for response in (client.patch(path, json={"name": "x"}), client.delete(path)):
            assert failed(response, 403)["errorCode"] == "permission_denied"
    with bob.client() as client:
        for response in (client.get(path), client.patch(path, json={"name": "x"}),
                         client.delete(path), client.get(f"{path}/assertions"),
                         client.post(f"{path}/invite")):
            assert failed(response, 404)["nonFieldErrors"] == ["Recipient not found"]
        failed(client.get(create), 404)
    with server.client() as client:
        failed(client.get(path), 401)
        assert failed(client.post("/v2/recipients/register", json={"token": "forged"}),
                      400)["fieldErrors"] == {"token": ["is invalid or was already used"]}
    with alice.client() as client:
        assert [r["entityId"] for r in ok(client.get(create))] == [record["entityId"]]
        current = ok(client.get(path))[0]
        assert current["name"] == "Pat"
        failed(client.patch(path, json={"email": "bad"}), 400)
        renamed = ok(client.patch(path, json={"name": "Patricia", "entityId": "x"}))[0]
        assert renamed["name"] == "Patricia" and renamed["email"] == current["email"]
        failed(client.get(f"{path}/assertions?include_revoked=perhaps"), 400)
        ok(client.delete(path), 204)
        failed(client.get(path), 404)


def test_cli_manages_recipients(cli_store, tmp_path):
    cli, issuer_id, badge_id = cli_store
    record = cli.ok_json("recipient", "create", "--issuer", issuer_id, "--name", "Pat",
                         "--email", "Pat@Example.org")
    assert record["email"] == "pat@example.org"
    bad = cli("recipient", "create", "--issuer", issuer_id, "--email", "nope")
    assert bad.code == 1 and "is not an email address" in bad.err
    twice = cli("recipient", "create", "--issuer", issuer_id, "--email", "pat@example.org")
    assert twice.code == 1 and "already" in twice.err
    people = tmp_path / "people.csv"
    people.write_text("email\npat@example.org\n", encoding="utf-8")
    assert cli("award", "--badge", badge_id, "--csv", str(people)).code == 0
    assert [a["badgeclass"] for a in
            cli.ok_list("recipient", "assertions", record["entityId"])] == [badge_id]
    assert cli.ok_json("recipient", "update", record["entityId"], "--name", "Patricia")[
        "name"] == "Patricia"
    assert [r["entityId"] for r in cli.ok_list("recipient", "list", "--issuer", issuer_id)] == [
        record["entityId"]]
    assert cli.ok_json("recipient", "delete", record["entityId"])["deleted"] is True
    assert cli("recipient", "show", record["entityId"]).code == 1


def test_roles_by_address_go_only_to_an_account_that_confirmed_it(server, alice):
    """The other pre-hijacking path: an owner names a colleague's address as staff; an account
    that only claimed the address (unconfirmed) must not get the role."""
    colleague = unique_email("colleague")
    squatter = make_user(server, "rolesquatter", confirm=False, address=colleague)
    issuer = new_issuer(alice, "Roles by address U")
    roster = [{"user": alice.entity_id, "role": "owner"}, {"user": colleague, "role": "staff"}]
    with alice.client() as client:
        body = failed(client.put(f"/v2/issuers/{issuer['entityId']}", json={"staff": roster}),
                      400)
        assert body["fieldErrors"] == {"staff.1.user": ["no account has confirmed this email"]}
        failed(client.post("/v2/organizations", json={
            "name": "Guild", "url": "https://guild.example.org",
            "members": [{"user": alice.entity_id, "role": "owner"},
                        {"user": colleague, "role": "editor"}]}), 400)
    with squatter.client() as client:
        failed(client.get(f"/v2/issuers/{issuer['entityId']}"), 404)
