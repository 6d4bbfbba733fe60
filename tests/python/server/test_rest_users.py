"""BadgeUser accounts: sign-up, profile, email confirmation and account recovery."""

from __future__ import annotations

import re
import unicodedata
import uuid

import httpx

from rest_helpers import (PASSWORD, confirm_email, failed, login, make_user, ok, stored_emails,
                          unique_email)


def test_sign_up_returns_the_profile_without_the_password(server):
    address = unique_email("signup")
    response = httpx.post(f"{server.url}/v2/users", timeout=30,
                          json={"email": address, "password": PASSWORD, "firstName": "Ada",
                                "lastName": "Lovelace", "marketingOptIn": False})
    profile = ok(response, 201)[0]
    assert profile["entityType"] == "BadgeUser"
    assert profile["firstName"] == "Ada" and profile["lastName"] == "Lovelace"
    assert stored_emails(profile) == [{"email": address, "verified": False, "primary": True}]
    assert profile["hasPasswordSet"] is True
    assert "password" not in response.text.lower().replace("haspasswordset", "")
    assert len(profile["entityId"]) == 22


def test_sign_up_sends_a_confirmation_that_verifies_the_address_once(server):
    user = make_user(server, "confirmer", confirm=False)
    with user.client() as client:
        assert ok(client.get("/v2/users/self"))[0]["emails"][0]["verified"] is False
    body = server.mails_to(user.email)[-1].get_payload(decode=True).decode()
    token = re.search(r"/v1/user/confirmemail/(\S+)", body).group(1)
    ok(httpx.get(f"{server.url}/v1/user/confirmemail/{token}", timeout=30))
    with user.client() as client:
        assert ok(client.get("/v2/users/self"))[0]["emails"][0]["verified"] is True
    again = httpx.get(f"{server.url}/v1/user/confirmemail/{token}", timeout=30)
    assert failed(again, 400)["fieldErrors"] == {"token": ["is invalid or was already used"]}


def test_sign_up_refuses_bad_input_with_field_errors(server):
    cases = [
        ({"password": PASSWORD}, "email"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": unique_email(), "password": "short"}, "password"),
        ({"email": unique_email()}, "password"),
        ({"email": unique_email(), "password": PASSWORD, "firstName": 42}, "firstName"),
        ({"email": unique_email(), "password": PASSWORD, "marketingOptIn": "yes"},
         "marketingOptIn"),
    ]
    for body, field in cases:
        response = httpx.post(f"{server.url}/v2/users", json=body, timeout=30)
        assert field in failed(response, 400)["fieldErrors"], body


def _sign_up(server, address, password=PASSWORD):
    return httpx.post(f"{server.url}/v2/users", timeout=30,
                      json={"email": address, "password": password})


def test_an_email_has_one_account_whatever_its_case(server):
    """A taken address gets the same answer as a free one (no account discovery); the owner is
    mailed, and the second password opens nothing."""
    user = make_user(server, "unique")
    fresh = ok(_sign_up(server, unique_email("fresh")), 201)[0]
    taken = ok(_sign_up(server, user.email.upper(), "another password 123"), 201)[0]
    assert sorted(taken) == sorted(fresh) and taken["entityId"] != user.entity_id
    assert taken["emails"][0]["verified"] is False
    assert server.mails_to(user.email)[-1]["Subject"] == \
        "Someone tried to sign up with your address"
    assert login(server, user.email, "another password 123").status_code == 400
    assert login(server, user.email).status_code == 200


def test_unicode_forms_of_an_address_are_one_account(server):
    nfc = f"jos\u00e9-{uuid.uuid4().hex[:8]}@example.org"
    nfd = unicodedata.normalize("NFD", nfc)
    ok(_sign_up(server, nfc), 201)
    ok(_sign_up(server, nfd), 201)
    assert len(server.mails_to(nfc)) == 2  # a confirmation, then the warning to the owner
    assert server.mails_to(nfc)[-1]["Subject"] == "Someone tried to sign up with your address"
    assert login(server, nfd).status_code == 200  # either spelling signs in
    # The Kelvin sign (U+212A) is K in NFC: it neither blocks nor splits the plain address.
    plain = f"kate-{uuid.uuid4().hex[:8]}@example.org"
    kelvin = "\u212a" + plain[1:]
    ok(_sign_up(server, kelvin), 201)
    ok(_sign_up(server, plain.upper()), 201)
    assert login(server, plain).status_code == 200
    assert [m["Subject"] for m in server.mails_to("K" + plain[1:])] == [
        "Confirm your email address", "Someone tried to sign up with your address"]


def test_a_confirmation_can_be_mailed_again(server):
    user = make_user(server, "resend", confirm=False)
    first = len(server.mails_to(user.email))
    for address in (user.email, unique_email("nobody")):  # the same answer either way
        response = httpx.post(f"{server.url}/v1/user/confirmemail", json={"email": address},
                              timeout=30)
        ok(response)
    assert len(server.mails_to(user.email)) == first + 1
    confirm_email(server, user.email)  # the new link works
    with user.client() as client:
        assert ok(client.get("/v2/users/self"))[0]["emails"][0]["verified"] is True
    ok(httpx.post(f"{server.url}/v1/user/confirmemail", json={"email": user.email}, timeout=30))
    assert len(server.mails_to(user.email)) == first + 1  # confirmed: nothing more to send
    failed(httpx.post(f"{server.url}/v1/user/confirmemail", json={"email": "nope"},
                      timeout=30), 400)


def test_profile_is_read_and_updated_through_self(server):
    user = make_user(server, "profile")
    with user.client() as client:
        profile = ok(client.get("/v2/users/self"))[0]
        assert ok(client.get(f"/v2/users/{user.entity_id}"))[0] == profile
        profile["firstName"] = "Grace"
        profile["url"] = ["https://grace.example"]
        updated = ok(client.put("/v2/users/self", json=profile))[0]
        assert updated["firstName"] == "Grace" and updated["url"] == ["https://grace.example"]
        assert ok(client.get("/v2/users/self"))[0]["firstName"] == "Grace"
        failed(client.put("/v2/users/self", json={"isSuperuser": True}), 400)


def test_another_users_profile_is_404(server, alice, bob):
    with bob.client() as client:
        failed(client.get(f"/v2/users/{alice.entity_id}"), 404)
        failed(client.put(f"/v2/users/{alice.entity_id}", json={"firstName": "Mallory"}), 404)


def test_changing_the_password_needs_the_current_one(server):
    user = make_user(server, "changer")
    with user.client() as client:
        response = client.put("/v2/users/self", json={"password": "a brand new password"})
        assert "currentPassword" in failed(response, 400)["fieldErrors"]
        response = client.put("/v2/users/self", json={"password": "a brand new password",
                                                      "currentPassword": "wrong"})
        failed(response, 400)
        ok(client.put("/v2/users/self", json={"password": "a brand new password",
                                              "currentPassword": PASSWORD}))
    assert login(server, user.email).status_code == 400
    assert login(server, user.email, "a brand new password").status_code == 200


def _recovery_token(server, address):
    body = server.mails_to(address)[-1].get_payload(decode=True).decode()
    return re.search(r"token=(\S+)", body).group(1)


def test_account_recovery_sets_a_new_password_and_revokes_old_tokens(server):
    user = make_user(server, "forgetful")
    ok(httpx.post(f"{server.url}/v1/user/forgot-password", json={"email": user.email},
                  timeout=30))
    token = _recovery_token(server, user.email)
    response = httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                         json={"token": token, "password": "recovered password"})
    ok(response)
    with user.client() as client:
        failed(client.get("/v2/users/self"), 401)
    assert login(server, user.email).status_code == 400
    assert login(server, user.email, "recovered password").status_code == 200
    reused = httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                       json={"token": token, "password": "yet another password"})
    assert "token" in failed(reused, 400)["fieldErrors"]


def test_recovery_of_an_unknown_address_looks_the_same_and_sends_nothing(server):
    address = unique_email("ghost")
    response = httpx.post(f"{server.url}/v1/user/forgot-password", data={"email": address},
                          timeout=30)
    ok(response)
    assert server.mails_to(address) == []
    bad = httpx.put(f"{server.url}/v1/user/forgot-password", timeout=30,
                    json={"token": "made-up", "password": "whatever password"})
    assert "token" in failed(bad, 400)["fieldErrors"]
