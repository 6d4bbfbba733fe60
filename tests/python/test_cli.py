"""The `laurel` CLI, run in-process: every command, with bad input for each. Exit codes: 0 ok,
1 user error (one line on stderr, no traceback), 2 usage error."""

from __future__ import annotations

import json

import pytest

from cli_support import write_csv

MISSING_ID = "AAAAAAAAAAAAAAAAAAAAAA"


def assert_user_error(result, *fragments):
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert lines[-1].startswith("laurel: error: ")
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


def assert_usage_error(result, fragment):
    assert result.code == 2, (result.out, result.err)
    assert "usage: laurel" in result.err and fragment in result.err
    assert "Traceback" not in result.err


# --- global options, init --------------------------------------------------------------------

def test_version_and_help(cli):
    import laurel

    result = cli("--version", data=False)
    assert result.code == 0 and result.out.strip() == f"laurel {laurel.__version__}"
    result = cli("--help", data=False)
    assert result.code == 0
    for command in ("init", "issuer", "badge", "award", "revoke", "list", "export"):
        assert command in result.out


def test_usage_errors_exit_2(cli):
    assert_usage_error(cli(data=False), "required: COMMAND")
    assert_usage_error(cli("frobnicate"), "invalid choice: 'frobnicate'")
    assert_usage_error(cli("issuer"), "ACTION")
    assert_usage_error(cli("issuer", "create", "--name", "x"), "--email")


def test_init_creates_then_reports_existing(cli, data_dir):
    result = cli("init")
    assert result.code == 0 and "Created an empty Laurel store in" in result.out
    assert (data_dir / "data.mdb").exists()
    assert cli.ok_json("init") == {"path": str(data_dir), "created": False,
                                   "result": "up to date"}
    assert "already" in cli("init").out


def test_commands_need_an_initialised_store(cli):
    for args in (["issuer", "list"], ["badge", "list"], ["list"], ["export"],
                 ["revoke", "--reason", "x", MISSING_ID]):
        assert_user_error(cli(*args), "no Laurel store in", "laurel init")


def test_data_from_environment_and_json_after_the_subcommand(cli, data_dir, monkeypatch):
    monkeypatch.setenv("LAUREL_DATA", str(data_dir))
    assert cli("init", data=False).code == 0
    result = cli("issuer", "list", "--json", data=False)
    assert result.code == 0 and result.json() == {"result": [], "nextCursor": None}
    other = data_dir.parent / "other"
    assert cli("init", "--data", str(other), data=False).code == 0
    assert (other / "data.mdb").exists()


def test_init_in_a_path_below_a_file_fails_cleanly(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--data", str(blocker / "data"), "init", data=False)
    assert_user_error(result)


# --- issuer ---------------------------------------------------------------------------------

def test_issuer_create_list_show(cli):
    cli("init")
    created = cli.ok_json("issuer", "create", "--name", "Demo U", "--email", "b@demo.edu",
                          "--url", "https://demo.edu", "--description", "Hello")
    assert created["entityType"] == "Issuer" and created["description"] == "Hello"
    assert cli.ok_list("issuer", "list") == [created]
    assert cli.ok_json("issuer", "show", created["entityId"]) == created
    table = cli("issuer", "list")
    assert table.code == 0 and created["entityId"] in table.out and "Demo U" in table.out
    shown = cli("issuer", "show", created["entityId"])
    assert "b@demo.edu" in shown.out


def test_issuer_bad_input(cli):
    cli("init")
    assert_user_error(cli("issuer", "create", "--name", "X", "--email", "nope", "--url",
                          "https://x.org"), "email:", "is not an email address")
    assert_user_error(cli("issuer", "create", "--name", "X", "--email", "a@x.org", "--url",
                          "x.org"), "url:")
    assert_user_error(cli("issuer", "show", MISSING_ID), "no issuer with id")
    assert_user_error(cli("issuer", "show", "bad id"))
    assert_usage_error(cli("issuer", "show"), "ID")


# --- badge ----------------------------------------------------------------------------------

def test_badge_create_list_show(cli_store):
    cli, issuer_id, badge_id = cli_store
    created = cli.ok_json("badge", "create", "--issuer", issuer_id, "--name", "Py",
                          "--description", "Python", "--tag", "a", "--tag", "b",
                          "--criteria-url", "https://demo.edu/py", "--expires", "2", "years",
                          "--alignment", "Coding", "https://example.org/coding")
    assert created["tags"] == ["a", "b"]
    assert created["expires"] == {"amount": 2, "duration": "years"}
    assert created["alignments"][0]["targetName"] == "Coding"
    assert created["criteriaUrl"] == "https://demo.edu/py"
    listed = cli.ok_list("badge", "list")
    assert sorted(b["entityId"] for b in listed) == sorted([badge_id, created["entityId"]])
    assert len(cli.ok_list("badge", "list", "--issuer", issuer_id)) == 2
    assert cli.ok_json("badge", "show", created["entityId"]) == created
    assert "Py" in cli("badge", "list").out


def test_badge_bad_input(cli_store):
    cli, issuer_id, _ = cli_store
    assert_user_error(cli("badge", "create", "--issuer", MISSING_ID, "--name", "x",
                          "--description", "y"), "no issuer")
    assert_user_error(cli("badge", "create", "--issuer", issuer_id, "--name", "x",
                          "--description", "y", "--expires", "two", "years"),
                      "--expires: 'two' is not a whole number")
    assert_user_error(cli("badge", "create", "--issuer", issuer_id, "--name", "x",
                          "--description", "y", "--expires", "2", "aeons"), "expires.duration")
    assert_user_error(cli("badge", "create", "--issuer", issuer_id, "--name", "x",
                          "--description", "y", "--criteria-url", "nope"), "criteriaUrl")
    assert_user_error(cli("badge", "show", MISSING_ID), "no badge class")
    assert_user_error(cli("badge", "list", "--issuer", MISSING_ID), "no issuer")
    assert_usage_error(cli("badge", "create", "--issuer", issuer_id), "--name")


# --- award ----------------------------------------------------------------------------------

def test_award_from_csv(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "people.csv",
                         "email,narrative,evidence_url,evidence_narrative,issued_on,expires\n"
                         "ada@example.com,Top marks,https://example.org/ada,Her notebook,"
                         "2026-01-15,2030-01-01\n"
                         "bob@example.com,,,,,\n")
    summary = cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file))
    assert (summary["awarded"], summary["duplicates"], summary["errors"]) == (2, 0, 0)
    assert [row["line"] for row in summary["rows"]] == [2, 3]
    assert all(row["status"] == "awarded" for row in summary["rows"])
    ada = cli.ok_json("list", "--badge", badge_id, "--recipient", "ada@example.com")["result"][0]
    assert ada["narrative"] == "Top marks"
    assert ada["evidence"][0]["url"] == "https://example.org/ada"
    assert ada["evidence"][0]["narrative"] == "Her notebook"
    assert ada["issuedOn"] == "2026-01-15T00:00:00Z"
    assert ada["expires"] == "2030-01-01T00:00:00Z"
    table = cli("award", "--badge", badge_id, "--csv", str(csv_file))
    assert table.code == 0
    assert "duplicates skipped" in table.out and "awarded" in table.out
    assert cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file))["duplicates"] == 2
    allowed = cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file),
                          "--allow-duplicates")
    assert allowed["awarded"] == 2


def test_award_reports_invalid_rows_by_line_and_writes_nothing(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "people.csv",
                         'email,narrative\n'
                         'ok@example.com,"a narrative\nover two lines"\n'
                         'not-an-email,\n'
                         'fine@example.com,\n'
                         'Late@example.com,\n')
    result = cli("award", "--badge", badge_id, "--csv", str(csv_file))
    assert_user_error(result, f"{csv_file}: line 4: recipient.identity:",
                      "1 invalid row(s)", "nothing was awarded", "--skip-invalid")
    assert cli.ok_json("list", "--badge", badge_id)["result"] == []


def test_award_reports_malformed_rows_by_line(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "people.csv",
                         "email,narrative\n"
                         "a@example.com,x\n"
                         "\n"
                         "b@example.com,x,extra\n"
                         "c@example.com\n")
    result = cli("award", "--badge", badge_id, "--csv", str(csv_file))
    assert_user_error(result, "line 4: expected 2 fields (email, narrative), found 3",
                      "line 5: expected 2 fields", "2 malformed row(s)", "nothing was awarded")
    assert cli.ok_json("list", "--badge", badge_id)["result"] == []


def test_award_skip_invalid(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "people.csv",
                         "email,issued_on\n"
                         "a@example.com,\n"
                         "b@example.com,not-a-date\n"
                         "c@example.com,2026-01-01,extra\n"
                         "d@example.com,\n")
    summary = cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file), "--skip-invalid")
    assert (summary["awarded"], summary["errors"]) == (2, 2)
    statuses = {row["line"]: row["status"] for row in summary["rows"]}
    assert statuses == {2: "awarded", 3: "invalid", 4: "malformed", 5: "awarded"}
    human = cli("award", "--badge", badge_id, "--csv", str(csv_file), "--skip-invalid",
                "--allow-duplicates")
    assert human.code == 0
    assert "line 3: issuedOn:" in human.err and "line 4: expected 2 fields" in human.err


@pytest.mark.parametrize("content, fragment", [
    ("", "line 1: expected a header row"),
    ("name,narrative\nx,y\n", "line 1: the recipients have no email (or identity) column"),
    ("narrative\nx\n", "line 1: the recipients have no email (or identity) column"),
    ("email,email\na@b.co,a@b.co\n", "line 1: column 'email' appears twice"),
    ("email\n", "no recipients to award"),
    ('email\n"a@b.co\n', "malformed CSV"),
])
def test_award_bad_csv_files(cli_store, tmp_path, content, fragment):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "bad.csv", content)
    assert_user_error(cli("award", "--badge", badge_id, "--csv", str(csv_file)), fragment)


def test_award_other_bad_input(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    assert_user_error(cli("award", "--badge", badge_id, "--csv", str(tmp_path / "none.csv")),
                      "no such file")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("email,narrative\na@b.co,caf\xe9\n".encode("latin-1"))
    assert_user_error(cli("award", "--badge", badge_id, "--csv", str(latin1)), "not UTF-8")
    good = write_csv(tmp_path / "good.csv", "email\na@example.com\n")
    assert_user_error(cli("award", "--badge", MISSING_ID, "--csv", str(good)), "no badge class")
    assert_usage_error(cli("award", "--csv", str(good)), "--badge")
    assert_usage_error(cli("award", "--badge", badge_id), "--csv")


def test_award_accepts_a_bom_and_header_case(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = tmp_path / "excel.csv"
    csv_file.write_bytes("\ufeffEmail , Narrative\r\na@example.com,hi\r\n".encode("utf-8"))
    assert cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file))["awarded"] == 1


# --- revoke ---------------------------------------------------------------------------------

def award_three(cli, badge_id, tmp_path):
    csv_file = write_csv(tmp_path / "three.csv", "email\na@example.com\nb@example.com\n"
                                                 "c@example.com\n")
    summary = cli.ok_json("award", "--badge", badge_id, "--csv", str(csv_file))
    return [row["entityId"] for row in summary["rows"]]


def test_revoke_ids_with_per_item_report(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    a, b, c = award_three(cli, badge_id, tmp_path)
    report = cli.ok_json("revoke", "--reason", "Course cancelled", a, b)
    assert report == [{"entityId": a, "revoked": True, "code": None, "reason": None},
                      {"entityId": b, "revoked": True, "code": None, "reason": None}]
    result = cli("--json", "revoke", "--reason", "again", b, c, MISSING_ID)
    assert result.code == 1
    outcomes = result.json()
    assert [o["code"] for o in outcomes] == ["already_revoked", None, "not_found"]
    assert "2 of 3 assertion(s) were not revoked" in result.err
    table = cli("revoke", "--reason", "x", MISSING_ID)
    assert table.code == 1 and "not_found" in table.out
    listed = cli.ok_json("list", "--badge", badge_id, "--include-revoked")["result"]
    assert {x["entityId"]: x["revocationReason"] for x in listed} == {
        a: "Course cancelled", b: "Course cancelled", c: "again"}


def test_revoke_from_csv(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    a, b, _ = award_three(cli, badge_id, tmp_path)
    csv_file = write_csv(tmp_path / "revoke.csv", f"id,reason\n{a},Cheated\n{b},\n")
    report = cli.ok_json("revoke", "--reason", "Default reason", "--csv", str(csv_file))
    assert [o["revoked"] for o in report] == [True, True]
    reasons = {x["entityId"]: x["revocationReason"]
               for x in cli.ok_json("list", "--badge", badge_id, "--include-revoked")["result"]}
    assert reasons[a] == "Cheated" and reasons[b] == "Default reason"


def test_revoke_bad_input(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    (a, *_) = award_three(cli, badge_id, tmp_path)
    assert_usage_error(cli("revoke", a), "--reason")
    assert_usage_error(cli("revoke", "--reason", "x"), "give assertion IDs or --csv FILE")
    csv_file = write_csv(tmp_path / "r.csv", f"id\n{a}\n")
    assert_usage_error(cli("revoke", "--reason", "x", a, "--csv", str(csv_file)),
                       "one of them")
    assert_user_error(cli("revoke", "--reason", "x", "--csv",
                          str(write_csv(tmp_path / "n.csv", "email\nx\n"))), "unknown column")
    assert_user_error(cli("revoke", "--reason", "x", "--csv",
                          str(write_csv(tmp_path / "m.csv", f"id\n{a},extra\n"))),
                      "line 2: expected 1 fields", "nothing was revoked")
    assert_user_error(cli("revoke", "--reason", "x", "--csv", str(tmp_path / "missing.csv")),
                      "no such file")
    result = cli("revoke", "--reason", "", a)  # the reason is optional (issue 13)
    assert result.code == 0
    listed = cli.ok_json("list", "--badge", badge_id, "--include-revoked")["result"]
    assert [x["revoked"] for x in listed if x["entityId"] == a] == [True]


# --- list, export ---------------------------------------------------------------------------

def test_list_scopes_and_pages(cli_store, tmp_path):
    cli, issuer_id, badge_id = cli_store
    ids = award_three(cli, badge_id, tmp_path)
    first = cli.ok_json("list", "--badge", badge_id, "--num", "2")
    assert len(first["result"]) == 2 and first["nextCursor"]
    second = cli.ok_json("list", "--badge", badge_id, "--num", "2", "--after",
                         first["nextCursor"])
    assert [x["entityId"] for x in first["result"] + second["result"]] == ids[::-1]
    assert len(cli.ok_json("list", "--issuer", issuer_id)["result"]) == 3
    assert len(cli.ok_json("list")["result"]) == 3
    assert len(cli.ok_json("list", "--num", "1")["result"]) == 1
    mine = cli.ok_json("list", "--recipient", "B@example.com")["result"]
    assert [x["entityId"] for x in mine] == [ids[1]]
    table = cli("list", "--badge", badge_id, "--num", "2")
    assert table.code == 0 and "a@example.com" not in table.out and "c@example.com" in table.out
    assert "more: add --after" in table.err


def test_list_bad_input(cli_store):
    cli, issuer_id, badge_id = cli_store
    assert_user_error(cli("list", "--badge", MISSING_ID), "no badge class")
    assert_user_error(cli("list", "--badge", badge_id, "--num", "0"), "num")
    assert_user_error(cli("list", "--badge", badge_id, "--after", "garbage"))
    assert_user_error(cli("list", "--after", "x"), "--after needs")
    assert_user_error(cli("list", "--recipient", "not-an-email"))
    assert_usage_error(cli("list", "--badge", badge_id, "--issuer", issuer_id), "not allowed")
    assert_usage_error(cli("list", "--num", "many"), "invalid int value")


def test_export_json_lines(cli_store, tmp_path):
    cli, issuer_id, badge_id = cli_store
    a, _, _ = award_three(cli, badge_id, tmp_path)
    cli("revoke", "--reason", "x", a)
    result = cli("export")
    assert result.code == 0
    objects = [json.loads(line) for line in result.out.splitlines()]
    assert [o["entityType"] for o in objects] == ["Issuer", "BadgeClass"] + ["Assertion"] * 3
    assert any(o.get("revoked") for o in objects)
    for line in result.out.splitlines():  # canonical: sorted keys, no spaces
        assert line == json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"),
                                  ensure_ascii=False)
    out_file = tmp_path / "export.jsonl"
    to_file = cli("export", "--issuer", issuer_id, "-o", str(out_file))
    assert to_file.code == 0 and "Exported 5 objects" in to_file.err
    assert out_file.read_text() == result.out


def test_export_bad_input(cli_store, tmp_path):
    cli, _, _ = cli_store
    assert_user_error(cli("export", "--issuer", MISSING_ID), "no issuer")
    assert_user_error(cli("export", "-o", str(tmp_path / "no" / "dir" / "x.jsonl")),
                      "No such file")
