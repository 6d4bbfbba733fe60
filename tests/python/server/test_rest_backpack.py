"""The backpack: badges awarded to your confirmed addresses, acceptance, imports verified by the
engine, and collections with share URLs."""

from __future__ import annotations

import base64

import httpx

from rest_helpers import (PNG_DATA_URI, award, failed, make_user, needs_verifier, new_badgeclass,
                          new_issuer, ok)


def _issuer_and_class(user, name="Backpack Issuer"):
    issuer = new_issuer(user, name)
    return issuer, new_badgeclass(user, issuer["entityId"], image=PNG_DATA_URI)


def test_badges_awarded_to_a_confirmed_address_are_in_the_backpack(server, alice):
    earner = make_user(server, "earner")
    _, badgeclass = _issuer_and_class(alice)
    assertion = award(alice, badgeclass["entityId"], earner.email.upper())
    with earner.client() as client:
        listed = ok(client.get("/v2/backpack/assertions"))
        assert [a["entityId"] for a in listed] == [assertion["entityId"]]
        assert ok(client.get(f"/v2/backpack/assertions/{assertion['entityId']}"))[0][
            "acceptance"] == "Unaccepted"
        accepted = ok(client.put(f"/v2/backpack/assertions/{assertion['entityId']}",
                                 json={"acceptance": "Accepted"}))[0]
        assert accepted["acceptance"] == "Accepted"
        failed(client.put(f"/v2/backpack/assertions/{assertion['entityId']}",
                          json={"acceptance": "Loved"}), 400)
        ok(client.delete(f"/v2/backpack/assertions/{assertion['entityId']}"), 204)
        assert ok(client.get("/v2/backpack/assertions")) == []


def test_unconfirmed_addresses_and_other_users_see_nothing(server, alice, bob):
    unconfirmed = make_user(server, "unconfirmed", confirm=False)
    _, badgeclass = _issuer_and_class(alice, "Careful Issuer")
    assertion = award(alice, badgeclass["entityId"], unconfirmed.email)
    with unconfirmed.client() as client:
        assert ok(client.get("/v2/backpack/assertions")) == []
        failed(client.get(f"/v2/backpack/assertions/{assertion['entityId']}"), 404)
    with bob.client() as client:
        failed(client.get(f"/v2/backpack/assertions/{assertion['entityId']}"), 404)
        failed(client.put(f"/v2/backpack/assertions/{assertion['entityId']}",
                          json={"acceptance": "Rejected"}), 404)
        failed(client.delete(f"/v2/backpack/assertions/{assertion['entityId']}"), 404)


def test_collections_crud_and_share_urls(server, alice):
    earner = make_user(server, "collector")
    _, badgeclass = _issuer_and_class(alice, "Collection Issuer")
    first = award(alice, badgeclass["entityId"], earner.email)
    second = award(alice, badgeclass["entityId"], earner.email)
    with earner.client() as client:
        created = ok(client.post("/v2/backpack/collections", json={
            "name": "My best", "description": "Badges I like",
            "assertions": [first["entityId"]]}), 201)[0]
        assert created["published"] is False and created["share_url"] is None
        path = f"/v2/backpack/collections/{created['entityId']}"
        published = ok(client.put(path, json={"published": True,
                                              "assertions": [first["entityId"],
                                                             second["entityId"]]}))[0]
        share_url = published["share_url"]
        assert share_url.startswith(f"{server.url}/public/collections/")
        shared = httpx.get(share_url, timeout=30).json()
        assert shared["name"] == "My best"
        assert shared["assertions"] == [first["openBadgeId"], second["openBadgeId"]]
        assert [c["entityId"] for c in ok(client.get("/v2/backpack/collections"))] == [
            created["entityId"]]
        failed(client.put(path, json={"assertions": ["AAAAAAAAAAAAAAAAAAAAAA"]}), 400)
        failed(client.post("/v2/backpack/collections", json={"description": "no name"}), 400)
        unpublished = ok(client.put(path, json={"published": False}))[0]
        assert unpublished["share_url"] is None
        failed(httpx.get(share_url, timeout=30), 404)
        ok(client.delete(path), 204)
        failed(client.get(path), 404)


def test_collections_are_private_to_their_owner(server, alice, bob):
    with alice.client() as client:
        created = ok(client.post("/v2/backpack/collections", json={"name": "Alice's"}), 201)[0]
    path = f"/v2/backpack/collections/{created['entityId']}"
    with bob.client() as client:
        failed(client.get(path), 404)
        failed(client.put(path, json={"name": "Bob's now"}), 404)
        failed(client.delete(path), 404)
        assert created["entityId"] not in [c["entityId"] for c in
                                           ok(client.get("/v2/backpack/collections"))]


@needs_verifier
def test_import_by_url_and_by_baked_image_is_verified(server, alice):
    earner = make_user(server, "importer")
    _, badgeclass = _issuer_and_class(alice, "Import Issuer")
    by_url = award(alice, badgeclass["entityId"], earner.email)
    by_image = award(alice, badgeclass["entityId"], earner.email)
    someone_else = award(alice, badgeclass["entityId"], "someone.else@example.org")
    baked = httpx.get(f"{by_image['openBadgeId']}/baked", timeout=30).content
    with earner.client() as client:
        imported = ok(client.post("/v2/backpack/import", json={"url": by_url["openBadgeId"]}),
                      201)[0]
        assert imported["entityId"] == by_url["entityId"]
        assert imported["acceptance"] == "Accepted"
        image = base64.b64encode(baked).decode()
        ok(client.post("/v2/backpack/import", json={"image": image}), 201)
        body = failed(client.post("/v2/backpack/import",
                                  json={"url": someone_else["openBadgeId"]}), 400)
        assert body["errorCode"] == "recipient_mismatch"
        failed(client.post("/v2/backpack/import", json={}), 400)
        failed(client.post("/v2/backpack/import", json={"url": "ftp://x"}), 400)
        failed(client.post("/v2/backpack/import", json={"image": "!!!not base64"}), 400)
        failed(client.post("/v2/backpack/import",
                           json={"assertion": {"@context": "https://w3id.org/openbadges/v2",
                                               "type": "Assertion"}}), 400)


@needs_verifier
def test_import_of_a_revoked_badge_is_refused(server, alice):
    earner = make_user(server, "revokedimport")
    _, badgeclass = _issuer_and_class(alice, "Revoking Import Issuer")
    assertion = award(alice, badgeclass["entityId"], earner.email)
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                          json={"revocation_reason": "no"}))
    with earner.client() as client:
        body = failed(client.post("/v2/backpack/import", json={"url": assertion["openBadgeId"]}),
                      400)
        assert body["errorCode"] == "invalid_badge"


@needs_verifier
def test_import_of_a_signed_badge_follows_its_key(server, alice):
    earner = make_user(server, "signedimport")
    _, badgeclass = _issuer_and_class(alice, "Signing Issuer")
    assertion = award(alice, badgeclass["entityId"], earner.email)
    import laurel

    with server.open_store() as store:  # signing is the Python API's (or the CLI's)
        jws = store.sign(assertion["entityId"], server.url, alg="EdDSA")
    assert jws.count(".") == 2
    with earner.client() as client:
        imported = ok(client.post("/v2/backpack/import", json={"assertion": jws}), 201)[0]
        assert imported["entityId"] == assertion["entityId"]
        tampered = jws[:-4] + ("AAAA" if not jws.endswith("AAAA") else "BBBB")
        body = failed(client.post("/v2/backpack/import", json={"assertion": tampered}), 400)
        assert body["errorCode"] == "invalid_badge"
