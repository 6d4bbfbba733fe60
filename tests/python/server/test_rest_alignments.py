"""Alignments as records: CRUD, badge classes referencing them (and their public documents
listing them), bad input and wrong roles changing nothing."""

from __future__ import annotations

from rest_helpers import failed, make_user, new_badgeclass, new_issuer, ok

STATS = {"targetName": "Statistics", "targetUrl": "https://example.org/stats",
         "targetDescription": "Descriptive statistics", "targetFramework": "Data Skills",
         "targetCode": "DS-1"}


def _public_alignment(server, badgeclass_id):
    with server.client() as client:
        document = client.get(f"/public/badges/{badgeclass_id}").json()
    alignment = document.get("alignment", [])
    return alignment if isinstance(alignment, list) else [alignment]


def test_alignment_records_are_referenced_by_badge_classes(server, alice):
    issuer = new_issuer(alice, "Aligned U")
    inline = {"targetName": "Inline", "targetUrl": "https://example.org/inline"}
    first = new_badgeclass(alice, issuer["entityId"], "Data 1", alignments=[inline])
    second = new_badgeclass(alice, issuer["entityId"], "Data 2")
    with alice.client() as client:
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/alignments", json=STATS),
                    201)[0]
        assert record["entityType"] == "Alignment" and record["issuer"] == issuer["entityId"]
        assert {key: record[key] for key in STATS} == STATS and record["badgeclasses"] == []
        alignment_id = record["entityId"]
        assert [r["entityId"] for r in
                ok(client.get(f"/v2/issuers/{issuer['entityId']}/alignments"))] == [alignment_id]
        for badgeclass in (first, second):
            attached = ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/alignments",
                                      json={"alignment": alignment_id}), 201)[0]
            assert badgeclass["entityId"] in attached["badgeclasses"]
        failed(client.post(f"/v2/badgeclasses/{first['entityId']}/alignments",
                           json={"alignment": alignment_id}), 409)
        got = ok(client.get(f"/v2/badgeclasses/{first['entityId']}"))[0]
        assert [a["targetName"] for a in got["alignments"]] == ["Inline", "Statistics"]
        assert [r["entityId"] for r in
                ok(client.get(f"/v2/badgeclasses/{first['entityId']}/alignments"))] == [
            alignment_id]
    assert {"Statistics", "Inline"} == {a["targetName"] for a in
                                        _public_alignment(server, first["entityId"])}
    with alice.client() as client:
        patched = ok(client.patch(f"/v2/alignments/{alignment_id}",
                                  json={"targetCode": "DS-2", "entityId": "ignored"}))[0]
        assert patched["targetCode"] == "DS-2" and patched["targetName"] == "Statistics"
    for badgeclass in (first, second):
        codes = [a.get("targetCode") for a in _public_alignment(server, badgeclass["entityId"])
                 if a["targetName"] == "Statistics"]
        assert codes == ["DS-2"]
    with alice.client() as client:
        replaced = ok(client.put(f"/v2/alignments/{alignment_id}",
                                 json={"targetName": "Stats", "targetUrl": STATS["targetUrl"]}))[0]
        assert replaced["targetCode"] is None
        ok(client.delete(f"/v2/badgeclasses/{first['entityId']}/alignments/{alignment_id}"), 204)
        assert [a["targetName"] for a in ok(client.get(
            f"/v2/badgeclasses/{first['entityId']}"))[0]["alignments"]] == ["Inline"]
        failed(client.delete(f"/v2/badgeclasses/{first['entityId']}/alignments/{alignment_id}"),
               404)
        ok(client.delete(f"/v2/alignments/{alignment_id}"), 204)
        assert ok(client.get(f"/v2/badgeclasses/{second['entityId']}"))[0]["alignments"] == []
        failed(client.get(f"/v2/alignments/{alignment_id}"), 404)
        assert ok(client.get(f"/v2/issuers/{issuer['entityId']}/alignments")) == []


def test_bad_alignments_are_refused_and_change_nothing(server, alice):
    issuer = new_issuer(alice, "Bad Alignments U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Data 3")
    other = new_issuer(alice, "Other Alignments U")
    path = f"/v2/issuers/{issuer['entityId']}/alignments"
    with alice.client() as client:
        assert failed(client.post(path, json={"targetName": 5}), 400)["fieldErrors"] == {
            "targetName": ["must be a string"]}
        assert failed(client.post(path, json={"target": "x"}), 400)["fieldErrors"] == {
            "target": ["unknown alignment field"]}
        failed(client.post(path, content=b"nope"), 400)
        good = ok(client.post(path, json=STATS), 201)[0]
        broken = ok(client.post(path, json={"targetName": "Broken", "targetUrl": "nope"}), 201)[0]
        attach = f"/v2/badgeclasses/{badgeclass['entityId']}/alignments"
        assert failed(client.post(attach, json={"alignment": broken["entityId"]}),
                      400)["fieldErrors"] == {"targetUrl": ["must be an http(s) URL"]}
        foreign = ok(client.post(f"/v2/issuers/{other['entityId']}/alignments", json=STATS),
                     201)[0]
        assert failed(client.post(attach, json={"alignment": foreign["entityId"]}),
                      400)["fieldErrors"] == {
            "alignment": ["no such alignment of this badge class's issuer"]}
        failed(client.post(attach, json={"alignment": "AAAAAAAAAAAAAAAAAAAAAA"}), 400)
        failed(client.post(attach, json={}), 400)
        ok(client.post(attach, json={"alignment": good["entityId"]}), 201)
        body = failed(client.patch(f"/v2/alignments/{good['entityId']}",
                                   json={"targetUrl": "ftp://example.org/x"}), 400)
        assert body["fieldErrors"] == {"targetUrl": ["must be an http(s) URL"]}
        failed(client.put(f"/v2/alignments/{good['entityId']}", json={"targetName": "Only"}),
               400)
        assert ok(client.get(f"/v2/alignments/{good['entityId']}"))[0]["targetUrl"] == \
            STATS["targetUrl"]
        held = ok(client.get(f"/v2/badgeclasses/{badgeclass['entityId']}"))[0]["alignments"]
        assert [(a["targetName"], a["targetUrl"]) for a in held] == [
            ("Statistics", STATS["targetUrl"])]


def test_roles_staff_reads_editor_writes_others_see_nothing(server, alice, bob):
    staff = make_user(server, "alstaff")
    issuer = new_issuer(alice, "Alignment Roles U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Data 4")
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
        record = ok(client.post(f"/v2/issuers/{issuer['entityId']}/alignments", json=STATS),
                    201)[0]
    path = f"/v2/alignments/{record['entityId']}"
    attach = f"/v2/badgeclasses/{badgeclass['entityId']}/alignments"
    with staff.client() as client:
        ok(client.get(path))
        assert len(ok(client.get(f"/v2/issuers/{issuer['entityId']}/alignments"))) == 1
        for response in (client.post(f"/v2/issuers/{issuer['entityId']}/alignments", json=STATS),
                         client.patch(path, json={"targetCode": "x"}),
                         client.put(path, json=STATS), client.delete(path),
                         client.post(attach, json={"alignment": record["entityId"]}),
                         client.delete(f"{attach}/{record['entityId']}")):
            assert failed(response, 403)["errorCode"] == "permission_denied"
    with bob.client() as client:
        for response in (client.get(path), client.patch(path, json={"targetCode": "x"}),
                         client.delete(path)):
            assert failed(response, 404)["nonFieldErrors"] == ["Alignment not found"]
        failed(client.get(f"/v2/issuers/{issuer['entityId']}/alignments"), 404)
        failed(client.post(attach, json={"alignment": record["entityId"]}), 404)
    with server.client() as client:
        failed(client.get(path), 401)
    with alice.client() as client:
        current = ok(client.get(path))[0]
        assert {key: current[key] for key in STATS} == STATS and current["badgeclasses"] == []


def test_cli_manages_alignments(cli_store):
    cli, issuer_id, badge_id = cli_store
    record = cli.ok_json("alignment", "create", "--issuer", issuer_id, "--name", "Stats",
                         "--url", "https://example.org/stats", "--code", "S1")
    alignment_id = record["entityId"]
    assert [r["entityId"] for r in cli.ok_list("alignment", "list", "--issuer", issuer_id)] == [
        alignment_id]
    assert cli.ok_json("alignment", "attach", alignment_id, "--badge", badge_id)[
        "badgeclasses"] == [badge_id]
    badge = cli.ok_json("badge", "show", badge_id)
    assert [a["targetCode"] for a in badge["alignments"]] == ["S1"]
    bad = cli("alignment", "update", alignment_id, "--url", "nope")
    assert bad.code == 1 and "targetUrl: must be an http(s) URL" in bad.err
    assert cli.ok_json("alignment", "update", alignment_id, "--code", "")["targetCode"] is None
    assert [a["targetCode"] for a in cli.ok_json("badge", "show", badge_id)["alignments"]] == [
        None]
    assert cli.ok_json("alignment", "detach", alignment_id, "--badge", badge_id)[
        "badgeclasses"] == []
    assert cli.ok_json("badge", "show", badge_id)["alignments"] == []
    assert cli.ok_json("alignment", "delete", alignment_id)["deleted"] is True
    missing = cli("alignment", "show", alignment_id)
    assert missing.code == 1 and "no such alignment" in missing.err
