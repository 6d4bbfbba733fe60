"""Issue 13: what a Badgr client written from the reference documents needs, each bug found by
the integrator's run as a test (every one failed before the fix) against a real server."""

from __future__ import annotations

import base64
import time

import httpx

from rest_helpers import (PASSWORD, PNG_1X1, PNG_DATA_URI, award, failed, login, make_user,
                          new_badgeclass, new_issuer, ok)

EXTENSION = {"@context": "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
             "type": ["Extension", "extension:ExampleExtension"], "exampleProperty": "text"}


def _setup(user, name="Fidelity U", **badge):
    issuer = new_issuer(user, name)
    return issuer, new_badgeclass(user, issuer["entityId"], **badge)


def test_delete_assertion_without_a_body_revokes_it(server, alice):
    _, badgeclass = _setup(alice)
    assertion = award(alice, badgeclass["entityId"], "nobody@example.org")
    with alice.client() as client:
        revoked = ok(client.delete(f"/v2/assertions/{assertion['entityId']}"))[0]
    assert revoked["revoked"] is True and revoked["revocationReason"] is None


def test_issuer_badgr_fields_are_kept_on_create_and_update(server, alice):
    preferences = {"defaultPrintCertTemplateId": "5f4e4e4e2dc038241ad01d83",
                   "enabledPrintCertTemplateIds": ["5f4e4e4e2dc038241ad01d83"]}
    issuer = new_issuer(alice, "Kept U", badgrDomain="badgr.example", sourceUrl="https://x.org/1")
    assert issuer["badgrDomain"] == "badgr.example" and issuer["sourceUrl"] == "https://x.org/1"
    path = f"/v2/issuers/{issuer['entityId']}"
    with alice.client() as client:
        body = {**issuer, "badgrDomain": "other.example", "achievementType": "Course",
                "ob3Properties": {"creditHours": 36}, "preferences": preferences}
        updated = ok(client.put(path, json=body))[0]
        for key in ("badgrDomain", "achievementType", "ob3Properties", "preferences"):
            assert updated[key] == body[key], key
        assert updated["sourceUrl"] == "https://x.org/1"
        again = ok(client.get(path))[0]
        assert again == updated
        # A round trip of the whole response changes nothing.
        assert ok(client.put(path, json=again))[0] == again
        failed(client.put(path, json={"preferences": "not an object"}), 400)


def test_badgeclass_example_fields_round_trip(server, alice):
    issuer = new_issuer(alice, "Example Badges U")
    body = {"name": "Math Expert", "description": "Mastery of Math.",
            "criteriaUrl": "https://example.com/criteria", "achievementType": "Course",
            "alignments": [{"targetName": "Algebra", "targetUrl": "https://example.com/algebra",
                            "displayAsSkill": True}],
            "ob3Properties": {"creditHours": 36, "fieldOfStudy": "Research"},
            "preferences": {"includeOnPublicPages": True},
            "extensions": {"extensions:ExampleExtension": EXTENSION}}
    with alice.client() as client:
        created = ok(client.post(f"/v2/issuers/{issuer['entityId']}/badgeclasses", json=body),
                     201)[0]
        assert created["alignments"][0]["displayAsSkill"] is True
        assert created["achievementType"] == "Course" and created["archived"] is False
        assert created["ob3Properties"] == body["ob3Properties"]
        path = f"/v2/badgeclasses/{created['entityId']}"
        assert ok(client.put(path, json=created))[0] == created
        archived = ok(client.put(path, json={"archived": True}))[0]
        assert archived["archived"] is True and archived["archivedDate"]
        # The public document carries the alignment, not Badgr's flag.
        document = client.get(f"/public/badges/{created['entityId']}").json()
        alignment = document["alignment"]
        alignment = alignment[0] if isinstance(alignment, list) else alignment
        assert "displayAsSkill" not in alignment


def test_alignment_records_take_display_as_skill(server, alice):
    issuer = new_issuer(alice, "Skills U")
    with alice.client() as client:
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/alignments", json={
            "targetName": "Stats", "targetUrl": "https://example.org/stats",
            "displayAsSkill": True}), 201)[0]
        assert record["displayAsSkill"] is True
        failed(client.patch(f"/v2/alignments/{record['entityId']}",
                            json={"displayAsSkill": "yes"}), 400)


def test_connector_paths(server, alice):
    issuer = new_issuer(alice, "Connector U")
    with alice.client() as client:
        # Create a BadgeClass: the issuer in the body (by id, or by its public URL).
        created = ok(client.post("/v2/badgeclasses", json={
            "issuer": issuer["entityId"], "name": "Connected", "description": "d",
            "criteriaUrl": "https://example.org/c"}), 201)[0]
        assert created["issuer"] == issuer["entityId"]
        by_url = ok(client.post("/v2/badgeclasses", json={
            "issuerOpenBadgeId": issuer["openBadgeId"], "name": "By URL", "description": "d",
            "criteriaUrl": "https://example.org/c"}), 201)[0]
        assert by_url["issuer"] == issuer["entityId"]
        assert "issuer" in failed(client.post("/v2/badgeclasses", json={"name": "x"}),
                                  400)["fieldErrors"]
        # Issuer tokens at the connector's path, with expires.
        tokens = ok(client.post("/v2/tokens/issuers", json={"issuers": [issuer["entityId"]]}),
                    201)
        assert tokens[0]["issuer"] == issuer["entityId"] and tokens[0]["expires"].endswith("Z")
    # Update a BadgeUser through POST.
    user = make_user(server, "poster")
    with user.client() as client:
        profile = ok(client.post(f"/v2/users/{user.entity_id}", json={"firstName": "Posted"}))[0]
        assert profile["firstName"] == "Posted"


def test_connector_account_creation_and_recovery_paths(server):
    address = f"connector-{time.time_ns()}@example.org"
    created = ok(httpx.post(f"{server.url}/v2/users/self", timeout=30, json={
        "emails": [{"email": address, "primary": True}], "password": PASSWORD,
        "firstName": "Con"}), 201)[0]
    assert created["emails"][0]["email"] == address
    assert ok(httpx.post(f"{server.url}/v2/auth/forgot-password", json={"email": address},
                         timeout=30)) == []
    body = server.mails_to(address)[-1].get_payload(decode=True).decode()
    token = body.split("one-time recovery token")[1].split("\n\n")[1].strip()
    ok(httpx.put(f"{server.url}/v2/auth/forgot-password", timeout=30,
                 json={"token": token, "password": "a new password 1"}))
    assert login(server, address, "a new password 1").status_code == 200


def test_backpack_upload_accepts_a_badge_of_yours(server, alice):
    learner = make_user(server, "uploader")
    _, badgeclass = _setup(alice, "Upload U")
    assertion = award(alice, badgeclass["entityId"], learner.email)
    with learner.client() as client:
        uploaded = ok(client.post("/v2/backpack/assertions", json={
            "badgeclassOpenBadgeId": badgeclass["openBadgeId"],
            "recipient": {"identity": learner.email, "type": "email"}}), 201)[0]
        assert uploaded["entityId"] == assertion["entityId"]
        assert uploaded["acceptance"] == "Accepted"
        failed(client.post("/v2/backpack/assertions", json={}), 400)


def test_response_fields_clients_read(server, alice):
    issuer = new_issuer(alice, "Fields U", image=PNG_DATA_URI)
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Fields Badge", image=PNG_DATA_URI)
    assert issuer["id"] == issuer["entityId"]
    assert issuer["image"] == f"{issuer['openBadgeId']}/image"
    assert badgeclass["image"] == f"{badgeclass['openBadgeId']}/image"
    member = issuer["staff"][0]
    assert member["userProfile"]["entityId"] == alice.entity_id
    assert member["userProfile"]["emails"][0]["email"] == alice.email
    assert issuer["organizationId"] is None
    assertion = award(alice, badgeclass["entityId"], "fields@example.org",
                      issuedOn="2025-04-25T10:22:36.167Z")
    assert assertion["issuedOn"] == "2025-04-25T10:22:36.167Z"
    assert assertion["pending"] is False and assertion["badgeclassName"] == "Fields Badge"
    with alice.client() as client:
        organization = ok(client.post("/v2/organizations", json={"name": "Org of Fields"}),
                          201)[0]
        ok(client.post(f"/v2/organizations/{organization['entityId']}/issuers",
                       json={"issuer": issuer["entityId"]}), 201)
        got = ok(client.get(f"/v2/issuers/{issuer['entityId']}"))[0]
        assert got["organizationId"] == organization["entityId"]
        # `id` forms of idOrEntityId.
        assert ok(client.get(f"/v2/assertions/{assertion['id']}"))[0]["entityId"] == \
            assertion["entityId"]
        # The image URL serves the stored bytes, and a round trip keeps them.
        assert httpx.get(badgeclass["image"], timeout=30).content == PNG_1X1
        ok(client.put(f"/v2/badgeclasses/{badgeclass['entityId']}", json=badgeclass))
        assert httpx.get(badgeclass["image"], timeout=30).content == PNG_1X1
        # Envelope fields.
        body = client.get("/v2/issuers").json()
        assert body["latestTermsVersion"] == 1
        bad = client.post("/v2/issuers", json={"name": "X", "email": "nope",
                                               "url": "https://example.org"}).json()
        assert bad["validationErrors"] and bad["validationErrors"][0].startswith("email")


def test_batch_revoke_results_carry_id_and_reason(server, alice):
    _, badgeclass = _setup(alice, "Batch Revoke U")
    first = award(alice, badgeclass["entityId"], "b1@example.org")
    with alice.client() as client:
        results = ok(client.post("/v2/assertions/revoke", json=[
            {"id": first["entityId"], "revocationReason": "Course was cancelled"},
            {"entityId": "AAAAAAAAAAAAAAAAAAAAAA", "revocationReason": "unknown"}]))
    assert results[0]["id"] == first["entityId"] and results[0]["revoked"] is True
    assert results[0]["revocationReason"] == "Course was cancelled"
    assert results[1]["revocationReason"] == "unknown" and results[1]["revoked"] is False


def test_num_pages_badge_class_listings(server):
    owner = make_user(server, "pager")
    issuer = new_issuer(owner, "Paged U")
    made = [new_badgeclass(owner, issuer["entityId"], f"Badge {i}")["entityId"] for i in range(3)]
    with owner.client() as client:
        for path in (f"/v2/issuers/{issuer['entityId']}/badgeclasses", "/v2/badgeclasses"):
            response = client.get(path, params={"num": 2})
            assert [item["entityId"] for item in ok(response)] == made[:2]
            link = response.headers["Link"]
            assert 'rel="next"' in link
            following = client.get(link.split(">")[0].lstrip("<"))
            assert [item["entityId"] for item in ok(following)] == made[2:]


def test_public_documents_answer_head_etag_and_410(server, alice):
    _, badgeclass = _setup(alice, "Public Fidelity U", image=PNG_DATA_URI)
    assertion = award(alice, badgeclass["entityId"], "gone@example.org")
    with server.client() as client:
        for path in (f"/public/badges/{badgeclass['entityId']}",
                     f"/public/badges/{badgeclass['entityId']}/image",
                     f"/public/assertions/{assertion['entityId']}"):
            got = client.get(path)
            assert got.status_code == 200 and got.headers["ETag"]
            head = client.head(path)
            assert head.status_code == 200 and head.content == b""
            assert head.headers["ETag"] == got.headers["ETag"]
            unchanged = client.get(path, headers={"If-None-Match": got.headers["ETag"]})
            assert unchanged.status_code == 304 and unchanged.content == b""
    with alice.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Cheating"}))
    with server.client() as client:
        gone = client.get(f"/public/assertions/{assertion['entityId']}")
        assert gone.status_code == 410
        assert gone.json()["revoked"] is True and gone.json()["revocationReason"] == "Cheating"
        # The badge image is still served for the revoked assertion.
        assert client.get(f"/public/assertions/{assertion['entityId']}/image").status_code == 200


def test_password_change_revokes_the_other_tokens(server):
    user = make_user(server, "rotator")
    other = login(server, user.email).json()["access_token"]
    with user.client() as client:
        ok(client.put("/v2/users/self", json={"password": "brand new password",
                                              "currentPassword": PASSWORD}))
        assert client.get("/v2/users/self").status_code == 200  # this token stays
    with user.client(other) as client:
        assert client.get("/v2/users/self").status_code == 401


def test_blank_names_and_untyped_extensions_are_refused(server, alice):
    with alice.client() as client:
        for blank in (" ", "\u0000"):
            body = failed(client.post("/v2/issuers", json={
                "name": blank, "email": "b@example.org", "url": "https://example.org"}), 400)
            assert "name" in body["fieldErrors"]
        issuer = new_issuer(alice, "Extended U")
        for extensions, field in (({"a": 5}, "extensions.a"),
                                  ({"extensions:X": {"type": "extension:X"}},
                                   "extensions.extensions:X.@context")):
            body = failed(client.put(f"/v2/issuers/{issuer['entityId']}",
                                     json={"extensions": extensions}), 400)
            assert field in body["fieldErrors"], body
        good = ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                             json={"extensions": {"extensions:ExampleExtension": EXTENSION}}))[0]
        assert good["extensions"]["extensions:ExampleExtension"] == EXTENSION
        document = client.get(f"/public/issuers/{issuer['entityId']}").json()
        assert document["extensions:ExampleExtension"]["exampleProperty"] == "text"


def test_uploaded_image_bytes_are_served_with_their_type(server, alice):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    issuer = new_issuer(alice, "Image U", image=uri)
    image = httpx.get(issuer["image"], timeout=30)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    assert "max-age" in image.headers["Cache-Control"] and image.headers["ETag"]
