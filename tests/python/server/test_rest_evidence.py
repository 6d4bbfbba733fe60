"""Evidence items on an assertion: list, add, get, replace, change and delete them; the public
assertion shows them; bad input, revoked assertions and wrong roles change nothing."""

from __future__ import annotations

from rest_helpers import award, failed, make_user, new_badgeclass, new_issuer, ok

FULL = {"url": "https://example.org/work/1", "narrative": "Built a parser", "name": "Parser",
        "description": "A recursive-descent parser", "genre": "Project", "audience": "Teachers"}


def _assertion(owner, name="Evidence U", **extra):
    issuer = new_issuer(owner, name)
    badgeclass = new_badgeclass(owner, issuer["entityId"])
    return issuer, award(owner, badgeclass["entityId"], "learner@example.org", **extra)


def test_evidence_crud_is_reflected_in_the_assertion_and_its_public_document(server, alice):
    _, assertion = _assertion(alice, evidence=[{"url": "https://example.org/first"}])
    path = f"/v2/assertions/{assertion['entityId']}/evidence"
    with alice.client() as client:
        listed = ok(client.get(path))
        assert [(item["index"], item["url"]) for item in listed] == [
            (0, "https://example.org/first")]
        added = ok(client.post(path, json=FULL), 201)[0]
        assert added["index"] == 1 and {k: added[k] for k in FULL} == FULL
        assert ok(client.get(f"{path}/1"))[0]["genre"] == "Project"
        patched = ok(client.patch(f"{path}/1", json={"genre": "Essay", "audience": None}))[0]
        assert patched["genre"] == "Essay" and patched["audience"] is None
        assert patched["name"] == "Parser"
        replaced = ok(client.put(f"{path}/0", json={"narrative": "Only words", "index": 0}))[0]
        assert replaced["narrative"] == "Only words" and replaced["url"] is None
        whole = ok(client.get(f"/v2/assertions/{assertion['entityId']}"))[0]
        assert [item["narrative"] for item in whole["evidence"]] == ["Only words",
                                                                     "Built a parser"]
    with server.client() as client:
        public = client.get(f"/public/assertions/{assertion['entityId']}").json()
    evidence = public["evidence"]
    evidence = evidence if isinstance(evidence, list) else [evidence]
    assert any(item.get("narrative") == "Only words" for item in evidence)
    assert any(item.get("genre") == "Essay" for item in evidence)
    with alice.client() as client:
        ok(client.delete(f"{path}/0"), 204)
        assert [item["name"] for item in ok(client.get(path))] == ["Parser"]
        ok(client.delete(f"{path}/0"), 204)
        assert ok(client.get(path)) == []
        failed(client.delete(f"{path}/0"), 404)


def test_bad_evidence_is_refused_and_changes_nothing(server, alice):
    _, assertion = _assertion(alice, "Bad Evidence U",
                              evidence=[{"url": "https://example.org/keep"}])
    path = f"/v2/assertions/{assertion['entityId']}/evidence"
    with alice.client() as client:
        body = failed(client.post(path, json={"url": "not a url"}), 400)
        assert body["fieldErrors"] == {"evidence.1.url": ["must be an http(s) URL"]}
        body = failed(client.post(path, json={"name": "no url nor narrative"}), 400)
        assert list(body["fieldErrors"]) == ["evidence.1"]
        failed(client.post(path, json={"name": 5, "url": "https://example.org/x"}), 400)
        failed(client.post(path, json=["https://example.org/x"]), 400)
        failed(client.post(path, content=b"{"), 400)
        failed(client.patch(f"{path}/0", json={"url": None}), 400)  # nothing left
        failed(client.put(f"{path}/0", json={"url": "ftp://example.org/x"}), 400)
        failed(client.put(f"{path}/3", json={"url": "https://example.org/x"}), 404)
        failed(client.put(f"{path}/-1", json={"url": "https://example.org/x"}), 404)
        failed(client.get(f"{path}/zero"), 400)
        assert [item["url"] for item in ok(client.get(path))] == ["https://example.org/keep"]
        ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                          json={"revocation_reason": "withdrawn"}))
        failed(client.post(path, json={"url": "https://example.org/late"}), 409)
        failed(client.delete(f"{path}/0"), 409)
        assert [item["url"] for item in ok(client.get(path))] == ["https://example.org/keep"]


def test_roles_staff_reads_editor_writes_others_see_nothing(server, alice, bob):
    staff = make_user(server, "evstaff")
    issuer, assertion = _assertion(alice, "Evidence Roles U",
                                   evidence=[{"url": "https://example.org/keep"}])
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
    path = f"/v2/assertions/{assertion['entityId']}/evidence"
    with staff.client() as client:
        assert len(ok(client.get(path))) == 1
        ok(client.get(f"{path}/0"))
        for response in (client.post(path, json={"url": "https://example.org/s"}),
                         client.put(f"{path}/0", json={"url": "https://example.org/s"}),
                         client.patch(f"{path}/0", json={"name": "s"}),
                         client.delete(f"{path}/0")):
            assert failed(response, 403)["errorCode"] == "permission_denied"
    with bob.client() as client:
        for response in (client.get(path), client.get(f"{path}/0"),
                         client.post(path, json={"url": "https://example.org/b"}),
                         client.patch(f"{path}/0", json={"name": "b"}),
                         client.delete(f"{path}/0")):
            assert failed(response, 404)["nonFieldErrors"] == ["Assertion not found"]
    with server.client() as client:
        failed(client.get(path), 401)
    with alice.client() as client:
        assert [item["url"] for item in ok(client.get(path))] == ["https://example.org/keep"]
        assert ok(client.get(path))[0]["name"] is None


def test_cli_lists_adds_updates_and_deletes_evidence(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    people = tmp_path / "people.csv"
    people.write_text("email\npat@example.org\n", encoding="utf-8")
    assert cli("award", "--badge", badge_id, "--csv", str(people)).code == 0
    assertion_id = cli.ok_json("list", "--badge", badge_id)["result"][0]["entityId"]
    assert cli.ok_list("evidence", "list", assertion_id) == []
    items = cli.ok_list("evidence", "add", assertion_id, "--url", "https://example.org/w",
                        "--genre", "Essay")
    assert [(i["url"], i["genre"]) for i in items] == [("https://example.org/w", "Essay")]
    items = cli.ok_list("evidence", "update", assertion_id, "0", "--narrative", "Wrote it",
                        "--genre", "")
    assert (items[0]["narrative"], items[0]["genre"]) == ("Wrote it", None)
    bad = cli("evidence", "add", assertion_id, "--url", "nope")
    assert bad.code == 1 and "evidence.1.url: must be an http(s) URL" in bad.err
    missing = cli("evidence", "delete", assertion_id, "4")
    assert missing.code == 1 and "no evidence item 4" in missing.err
    assert len(cli.ok_list("evidence", "list", assertion_id)) == 1
    assert cli.ok_list("evidence", "delete", assertion_id, "0") == []
