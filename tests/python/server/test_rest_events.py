"""Events: CRUD, grouping the assertions awarded at an event and listing them; bad input and
wrong roles change nothing."""

from __future__ import annotations

from rest_helpers import award, failed, make_user, new_badgeclass, new_issuer, ok

FAIR = {"name": "Science Fair 2026", "description": "Annual fair", "startDate": "2026-05-01",
        "endDate": "2026-05-02T18:00:00Z", "location": "Main Hall",
        "url": "https://example.edu/fair"}


def test_event_crud_and_its_assertions(server, alice):
    issuer = new_issuer(alice, "Events U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Fair Winner")
    first = award(alice, badgeclass["entityId"], "ann@example.org")
    second = award(alice, badgeclass["entityId"], "ben@example.org")
    award(alice, badgeclass["entityId"], "cat@example.org")  # not at the event
    with alice.client() as client:
        event = ok(client.post(f"/v2/issuers/{issuer['entityId']}/events", json=FAIR), 201)[0]
        assert event["entityType"] == "Event" and event["issuer"] == issuer["entityId"]
        assert {key: event[key] for key in FAIR} == FAIR
        path = f"/v2/events/{event['entityId']}"
        assert [e["entityId"] for e in
                ok(client.get(f"/v2/issuers/{issuer['entityId']}/events"))] == [event["entityId"]]
        added = ok(client.post(f"{path}/assertions",
                               json={"assertions": [first["entityId"], second["entityId"],
                                                    first["entityId"]]}), 201)
        assert [a["entityId"] for a in added] == [first["entityId"], second["entityId"]]
        listed = ok(client.get(f"{path}/assertions"))
        assert [a["entityId"] for a in listed] == [first["entityId"], second["entityId"]]
        assert listed[0]["openBadgeId"].endswith(f"/public/assertions/{first['entityId']}")
        ok(client.request("DELETE", f"/v2/assertions/{second['entityId']}",
                          json={"revocation_reason": "disqualified"}))
        assert [a["entityId"] for a in ok(client.get(f"{path}/assertions"))] == [
            first["entityId"]]
        assert len(ok(client.get(f"{path}/assertions?include_revoked=true"))) == 2
        patched = ok(client.patch(path, json={"location": "Gym", "entityId": "ignored"}))[0]
        assert patched["location"] == "Gym" and patched["name"] == FAIR["name"]
        replaced = ok(client.put(path, json={"name": "Fair"}))[0]
        assert replaced["location"] is None and replaced["startDate"] is None
        ok(client.delete(f"{path}/assertions/{first['entityId']}"), 204)
        failed(client.delete(f"{path}/assertions/{first['entityId']}"), 404)
        assert [a["entityId"] for a in
                ok(client.get(f"{path}/assertions?include_revoked=1"))] == [second["entityId"]]
        ok(client.delete(path), 204)
        failed(client.get(path), 404)
        failed(client.get(f"{path}/assertions"), 404)
        ok(client.get(f"/v2/assertions/{first['entityId']}"))  # the assertions stay


def test_bad_events_are_refused_and_change_nothing(server, alice, bob):
    issuer = new_issuer(alice, "Bad Events U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Attended")
    mine = award(alice, badgeclass["entityId"], "dee@example.org")
    other_issuer = new_issuer(alice, "Other Events U")
    foreign = award(alice, new_badgeclass(alice, other_issuer["entityId"])["entityId"],
                    "eve@example.org")
    create = f"/v2/issuers/{issuer['entityId']}/events"
    with alice.client() as client:
        cases = [({}, {"name": ["is required"]}),
                 ({"name": " "}, {"name": ["is required"]}),
                 ({"name": 5}, {"name": ["must be a string"]}),
                 ({"name": "x", "startDate": "May 1st"},
                  {"startDate": ["must be an ISO 8601 date or date-time"]}),
                 ({"name": "x", "startDate": "2026-05-02", "endDate": "2026-05-01"},
                  {"endDate": ["must not be before startDate"]}),
                 ({"name": "x", "url": "javascript:alert(1)"}, {"url": ["must be an http(s) URL"]}),
                 ({"name": "x", "venue": "y"}, {"venue": ["unknown event field"]})]
        for body, errors in cases:
            assert failed(client.post(create, json=body), 400)["fieldErrors"] == errors, body
        failed(client.post(create, json=["x"]), 400)
        assert ok(client.get(create)) == []
        event = ok(client.post(create, json=FAIR), 201)[0]
        path = f"/v2/events/{event['entityId']}"
        failed(client.patch(path, json={"endDate": "2020-01-01"}), 400)
        failed(client.put(path, json={"location": "nameless"}), 400)
        assert ok(client.get(path))[0] == event
        for body, errors in (
                ({"assertions": [mine["entityId"], foreign["entityId"]]},
                 {"assertions.1": ["no such assertion of the event's issuer"]}),
                ({"assertions": ["AAAAAAAAAAAAAAAAAAAAAA"]},
                 {"assertions.0": ["no such assertion of the event's issuer"]}),
                ({"assertions": []}, {"assertions": ["list at least one assertion"]}),
                ({"assertions": "x"}, {"assertions": ["must be a list of assertion entityIds"]}),
                ({"assertions": [None]}, {"assertions.0": ["must be an assertion entityId"]}),
                ({}, {"assertions": ["is required: a list of assertion entityIds"]})):
            assert failed(client.post(f"{path}/assertions", json=body),
                          400)["fieldErrors"] == errors, body
        assert ok(client.get(f"{path}/assertions")) == []
        failed(client.get(f"{path}/assertions?include_revoked=maybe"), 400)


def test_roles_staff_groups_editor_changes_others_see_nothing(server, alice, bob):
    staff = make_user(server, "evtstaff")
    issuer = new_issuer(alice, "Event Roles U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Volunteer")
    assertion = award(alice, badgeclass["entityId"], "fay@example.org")
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
        event = ok(client.post(f"/v2/issuers/{issuer['entityId']}/events", json=FAIR), 201)[0]
    path = f"/v2/events/{event['entityId']}"
    with staff.client() as client:
        ok(client.get(path))
        for response in (client.post(f"/v2/issuers/{issuer['entityId']}/events", json=FAIR),
                         client.patch(path, json={"name": "staff"}),
                         client.put(path, json={"name": "staff"}), client.delete(path)):
            assert failed(response, 403)["errorCode"] == "permission_denied"
        ok(client.post(f"{path}/assertions", json={"assertions": [assertion["entityId"]]}), 201)
    with bob.client() as client:
        for response in (client.get(path), client.patch(path, json={"name": "bob"}),
                         client.delete(path), client.get(f"{path}/assertions"),
                         client.post(f"{path}/assertions",
                                     json={"assertions": [assertion["entityId"]]}),
                         client.delete(f"{path}/assertions/{assertion['entityId']}")):
            assert failed(response, 404)["nonFieldErrors"] == ["Event not found"]
        failed(client.get(f"/v2/issuers/{issuer['entityId']}/events"), 404)
    with server.client() as client:
        failed(client.get(path), 401)
    with alice.client() as client:
        assert ok(client.get(path))[0]["name"] == FAIR["name"]
        assert [a["entityId"] for a in ok(client.get(f"{path}/assertions"))] == [
            assertion["entityId"]]


def test_cli_manages_events(cli_store, tmp_path):
    cli, issuer_id, badge_id = cli_store
    people = tmp_path / "people.csv"
    people.write_text("email\npat@example.org\n", encoding="utf-8")
    assert cli("award", "--badge", badge_id, "--csv", str(people)).code == 0
    assertion_id = cli.ok_json("list", "--badge", badge_id)["result"][0]["entityId"]
    event = cli.ok_json("event", "create", "--issuer", issuer_id, "--name", "Fair",
                        "--start", "2026-05-01", "--location", "Hall")
    assert (event["name"], event["startDate"], event["location"]) == (
        "Fair", "2026-05-01", "Hall")
    assert [e["entityId"] for e in cli.ok_list("event", "list", "--issuer", issuer_id)] == [
        event["entityId"]]
    assert cli.ok_json("event", "add", event["entityId"], assertion_id) == [assertion_id]
    assert [a["entityId"] for a in cli.ok_list("event", "assertions", event["entityId"])] == [
        assertion_id]
    bad = cli("event", "update", event["entityId"], "--end", "2020-01-01")
    assert bad.code == 1 and "endDate: must not be before startDate" in bad.err
    assert cli.ok_json("event", "update", event["entityId"], "--location", "")["location"] is None
    assert cli.ok_json("event", "delete", event["entityId"])["deleted"] is True
    gone = cli("event", "show", event["entityId"])
    assert gone.code == 1 and "no such event" in gone.err
