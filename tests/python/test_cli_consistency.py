"""CLI consistency (issue 14): --json errors, one listing shape, revoke --csv reasons, export
--ob2 key documents for signed badges, the award CSV's column vocabulary, shell completion."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_support import laurel_script, write_csv

REPO = Path(__file__).resolve().parents[2]


def json_error(result) -> dict:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return json.loads(lines[0])["error"]


def test_json_errors_are_json_with_code_field_and_message(cli_store, tmp_path):
    cli, issuer_id, _ = cli_store
    missing = cli("--json", "badge", "show", "AAAAAAAAAAAAAAAAAAAAAA")
    assert missing.code == 1 and missing.out == ""
    assert json_error(missing)["code"] == "NotFound"
    invalid = cli("--json", "issuer", "create", "--name", "X", "--email", "not-an-email",
                  "--url", "https://x.example")
    error = json_error(invalid)
    assert invalid.code == 1
    assert (error["code"], error["field"]) == ("Invalid", "email")
    assert "email" not in error["message"].split(":")[0] or error["message"]
    user = cli("--json", "award", "--badge", "x", "--csv", str(tmp_path / "none.csv"))
    assert user.code == 1 and json_error(user) == {
        "code": "UserError", "field": None, "message": f"{tmp_path / 'none.csv'}: no such file"}
    usage = cli("--json", "award", "--csv", "x.csv")
    assert usage.code == 2
    assert json_error(usage)["code"] == "UsageError"
    assert "--badge" in json_error(usage)["message"]
    plain = cli("badge", "show", "AAAAAAAAAAAAAAAAAAAAAA")
    assert plain.err.startswith("laurel: error: ")


def test_every_listing_has_one_shape(cli_store, tmp_path):
    cli, issuer_id, badge_id = cli_store
    write_csv(tmp_path / "a.csv", "email\na@example.org\n")
    cli.ok_json("award", "--badge", badge_id, "--csv", str(tmp_path / "a.csv"))
    listings = [("issuer", "list"), ("badge", "list"), ("list", "--badge", badge_id),
                ("keys", "list", "--issuer", issuer_id)]
    for args in listings:
        listing = cli.ok_json(*args)
        assert set(listing) == {"result", "nextCursor"}, (args, listing)
        assert isinstance(listing["result"], list)
    assert cli.ok_list("issuer", "list")[0]["entityId"] == issuer_id
    page = cli.ok_json("list", "--badge", badge_id, "--num", "1")
    assert len(page["result"]) == 1


def test_revoke_csv_reads_a_reason_column(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    write_csv(tmp_path / "three.csv", "email\na@example.org\nb@example.org\n")
    a, b = [row["entityId"] for row in
            cli.ok_json("award", "--badge", badge_id, "--csv", str(tmp_path / "three.csv"))["rows"]]
    reasons = write_csv(tmp_path / "r.csv", f"entityId,revocationReason\n{a},Cheated\n{b},\n")
    refused = cli("revoke", "--csv", str(reasons))
    assert refused.code == 1 and "line 3: no reason" in refused.err
    cli.ok_json("revoke", "--csv", str(reasons), "--reason", "Course cancelled")
    listing = cli.ok_json("list", "--badge", badge_id, "--include-revoked")["result"]
    by_id = {item["entityId"]: item["revocationReason"] for item in listing}
    assert by_id == {a: "Cheated", b: "Course cancelled"}


@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_a_signed_bake_verifies_with_the_exported_documents(cli_store, tmp_path, alg):
    cli, issuer_id, _ = cli_store
    badge_id = cli.ok_json("badge", "create", "--issuer", issuer_id, "--name", "Signed",
                           "--description", "A signed badge",
                           "--criteria-url", "https://demo.edu/signed")["entityId"]
    write_csv(tmp_path / "one.csv", "email\nada@example.org\n")
    (assertion,) = [row["entityId"] for row in
                    cli.ok_json("award", "--badge", badge_id, "--csv",
                                str(tmp_path / "one.csv"))["rows"]]
    image = REPO / "tests" / "data" / "baking" / "ztxt_heart.png"
    baked = tmp_path / "baked.png"
    base = "https://badges.example.org"
    cli.ok_json("bake", "--assertion", assertion, "--image", str(image), "--out", str(baked),
                "--signed", "--alg", alg, "--base-url", base)
    export = tmp_path / "export"
    cli.ok_json("export", "--ob2", str(export), "--base-url", base)
    keys = sorted(path.name for path in (export / assertion).glob("key-*.json"))
    assert len(keys) == 1
    report = cli("--json", "verify", str(baked), "--documents", str(export / assertion),
                 "--recipient", "ada@example.org")
    assert report.code == 0, report.out + report.err
    result = report.json()
    assert result["valid"] is True and result["recipientMatch"] is True
    (export / assertion / keys[0]).unlink()  # without the key document it cannot verify
    assert cli("verify", str(baked), "--documents", str(export / assertion)).code == 1


def test_award_csv_uses_the_column_vocabulary_and_notes_ignored_columns(cli_store, tmp_path):
    cli, _, badge_id = cli_store
    csv_file = write_csv(tmp_path / "people.csv",
                         "Email,Name,evidence_url,issuedOn\n"
                         "ada@example.org,Ada,https://example.org/ada,2024-05-06T07:08:09Z\n")
    result = cli("--json", "award", "--badge", badge_id, "--csv", str(csv_file))
    assert result.code == 0, result.err
    summary = result.json()
    assert summary["ignoredColumns"] == ["Name"]
    assert "ignored the column(s) 'Name'" in result.err
    assertion = cli.ok_json("list", "--badge", badge_id)["result"][0]
    assert assertion["evidence"][0]["url"] == "https://example.org/ada"
    assert assertion["issuedOn"].startswith("2024-05-06T07:08:09")


def test_bash_completion_completes_subcommands_and_options(tmp_path):
    script = subprocess.run([laurel_script(), "completion", "bash"], capture_output=True,
                            text=True, check=True).stdout
    (tmp_path / "laurel.bash").write_text(script)
    probe = (f"source {tmp_path / 'laurel.bash'}\n"
             "COMP_WORDS=(laurel aw); COMP_CWORD=1; COMP_LINE='laurel aw'; COMP_POINT=9\n"
             "_shtab_laurel laurel aw laurel; echo \"subcommands: ${COMPREPLY[*]}\"\n"
             "COMP_WORDS=(laurel award --ba); COMP_CWORD=2\n"
             "_shtab_laurel laurel --ba award; echo \"options: ${COMPREPLY[*]}\"\n")
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "subcommands: award" in done.stdout
    assert "options: --badge" in done.stdout


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_loads_in_zsh(tmp_path):
    script = subprocess.run([laurel_script(), "completion", "zsh"], capture_output=True,
                            text=True, check=True).stdout
    assert script.startswith("#compdef laurel")
    functions = tmp_path / "functions"
    functions.mkdir()
    (functions / "_laurel").write_text(script)
    probe = (f"fpath=({functions} $fpath); autoload -Uz compinit; compinit -u -d "
             f"{tmp_path}/zcompdump; autoload -Uz _laurel; "
             "print -r -- ${_comps[laurel]}")
    done = subprocess.run(["zsh", "-f", "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "_laurel"
