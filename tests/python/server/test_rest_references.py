"""Reference rules (laurel.references): what deleting or changing a record does to the records
linking to it, through a real server. The first three are the integrator's reference-integrity
bugs of issue 13 (the fourth, a badge class whose assertions are all revoked, is in
test_rest_badgeclasses)."""

from __future__ import annotations

import re

from rest_helpers import award, failed, make_user, new_badgeclass, new_issuer, ok

STATS = {"targetName": "Statistics", "targetUrl": "https://example.org/stats"}


def _alignment(client, issuer_id, badgeclass_id):
    record = ok(client.post(f"/v2/issuers/{issuer_id}/alignments", json=STATS), 201)[0]
    ok(client.post(f"/v2/badgeclasses/{badgeclass_id}/alignments",
                   json={"alignment": record["entityId"]}), 201)
    return record


def test_clearing_a_badge_class_alignments_unlinks_the_records(server, alice):
    issuer = new_issuer(alice, "Unlinked U")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    with alice.client() as client:
        record = _alignment(client, issuer["entityId"], badgeclass["entityId"])
        path = f"/v2/badgeclasses/{badgeclass['entityId']}"
        ok(client.put(path, json={"alignments": []}))
        got = ok(client.get(f"/v2/alignments/{record['entityId']}"))[0]
        assert got["badgeclasses"] == []
        ok(client.patch(f"/v2/alignments/{record['entityId']}", json={"targetCode": "S-2"}))
        assert ok(client.get(path))[0]["alignments"] == []


def test_a_deleted_badge_class_leaves_alignment_records(server, alice):
    issuer = new_issuer(alice, "Deleted Aligned U")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    with alice.client() as client:
        record = _alignment(client, issuer["entityId"], badgeclass["entityId"])
        ok(client.delete(f"/v2/badgeclasses/{badgeclass['entityId']}"), 204)
        got = ok(client.get(f"/v2/alignments/{record['entityId']}"))[0]
        assert got["badgeclasses"] == []


def test_a_deleted_qualifying_badge_class_leaves_the_qualifying_list(server, alice):
    learner = make_user(server, "qualifier")
    issuer = new_issuer(alice, "Qualifying Refs U")
    held = new_badgeclass(alice, issuer["entityId"], "Held")
    dropped = new_badgeclass(alice, issuer["entityId"], "Dropped")
    target = new_badgeclass(alice, issuer["entityId"], "Target")
    award(alice, held["entityId"], learner.email)
    qualifying = f"/v2/badgeclasses/{target['entityId']}/qualifying"
    with alice.client() as client:
        ok(client.put(qualifying, json={"qualifying": [held["entityId"], dropped["entityId"]]}))
        ok(client.delete(f"/v2/badgeclasses/{dropped['entityId']}"), 204)
        assert ok(client.get(qualifying))[0]["qualifying"] == [held["entityId"]]
    with learner.client() as client:  # the claim needs only what is left, and works
        assert ok(client.post(f"/v2/badgeclasses/{target['entityId']}/claim"), 201)


def test_an_emptied_qualifying_list_and_a_deleted_claimable_badge_go(server, alice):
    issuer = new_issuer(alice, "Emptied U")
    only = new_badgeclass(alice, issuer["entityId"], "Only")
    target = new_badgeclass(alice, issuer["entityId"], "Target")
    other = new_badgeclass(alice, issuer["entityId"], "Other target")
    with alice.client() as client:
        ok(client.put(f"/v2/badgeclasses/{target['entityId']}/qualifying",
                      json={"qualifying": [only["entityId"]]}))
        ok(client.put(f"/v2/badgeclasses/{other['entityId']}/qualifying",
                      json={"qualifying": [target["entityId"]]}))
        ok(client.delete(f"/v2/badgeclasses/{only['entityId']}"), 204)
        failed(client.get(f"/v2/badgeclasses/{target['entityId']}/qualifying"), 404)
        ok(client.delete(f"/v2/badgeclasses/{target['entityId']}"), 204)
        failed(client.get(f"/v2/badgeclasses/{other['entityId']}/qualifying"), 404)


def test_deleting_an_issuer_cascades_to_its_records(server):
    owner = make_user(server, "cascader")
    issuer = new_issuer(owner, "Cascade U")
    issuer_id = issuer["entityId"]
    with owner.client() as client:
        alignment = ok(client.post(f"/v2/issuers/{issuer_id}/alignments", json=STATS), 201)[0]
        event = ok(client.post(f"/v2/issuers/{issuer_id}/events",
                               json={"name": "Fair", "startDate": "2026-05-01"}), 201)[0]
        recipient = ok(client.post(f"/v2/issuers/{issuer_id}/recipients",
                                   json={"name": "Ann", "email": "ann-cascade@example.org"}),
                       201)[0]
        organization = ok(client.post("/v2/organizations", json={"name": "Cascade Org"}), 201)[0]
        ok(client.post(f"/v2/organizations/{organization['entityId']}/issuers",
                       json={"issuer": issuer_id}), 201)
        badgeclass = new_badgeclass(owner, issuer_id)
        # Refused while a badge class is left (the core's rule), and nothing changed.
        failed(client.delete(f"/v2/issuers/{issuer_id}"), 409)
        assert ok(client.get(f"/v2/alignments/{alignment['entityId']}"))
        ok(client.delete(f"/v2/badgeclasses/{badgeclass['entityId']}"), 204)
        ok(client.delete(f"/v2/issuers/{issuer_id}"), 204)
        failed(client.get(f"/v2/alignments/{alignment['entityId']}"), 404)
        failed(client.get(f"/v2/events/{event['entityId']}"), 404)
        failed(client.get(f"/v2/recipients/{recipient['entityId']}"), 404)
        assert ok(client.get(f"/v2/organizations/{organization['entityId']}/issuers")) == []


def test_endorsements_of_a_deleted_badge_class_are_withdrawn(server, alice):
    issuer = new_issuer(alice, "Endorsed Refs U")
    badgeclass = new_badgeclass(alice, issuer["entityId"])
    with alice.client() as client:
        endorser = ok(client.post("/v2/endorsers", json={
            "name": "Guild", "email": f"guild-{badgeclass['entityId'][:8]}@example.org",
            "url": "https://guild.example.org"}), 201)[0]
    mails = server.mails_to(endorser["email"])
    token = re.search(r"registration token: (\S+)", mails[-1].get_payload(decode=True)
                      .decode()).group(1)
    with server.client() as client:
        ok(client.post("/v2/endorsers/register", json={"token": token}))
    with alice.client() as client:
        made = ok(client.post("/v2/endorsements", json={
            "endorser": endorser["entityId"],
            "claim": {"type": "badgeclass", "entityId": badgeclass["entityId"]}}), 201)[0]
        ok(client.delete(f"/v2/badgeclasses/{badgeclass['entityId']}"), 204)
        assert made["entityId"] not in {e["entityId"] for e in ok(client.get("/v2/endorsements"))}
    with server.client() as client:
        assert client.get(f"/public/endorsements/{made['entityId']}").status_code == 404
