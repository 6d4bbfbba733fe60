"""laurel verify, bake, keys and export --ob2, run in-process, with bad input for each. Exit codes:
0 ok (verify: valid), 1 user error or invalid badge, 2 usage error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import laurel

from test_cli import MISSING_ID, assert_usage_error, assert_user_error

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "baking"
PNG = FIXTURES / "public_domain_heart.png"


@pytest.fixture
def awarded(cli_store, monkeypatch):
    """(cli, issuer id, badge id, assertion id) with a badge class that has criteria (OB 2.0
    requires them) awarded to ada@example.org."""
    monkeypatch.delenv("LAUREL_PUBLIC_URL", raising=False)
    monkeypatch.delenv("LAUREL_PASSPHRASE", raising=False)
    cli, issuer_id, _ = cli_store
    badge = cli.ok_json("badge", "create", "--issuer", issuer_id, "--name", "Verified",
                        "--description", "Checked", "--criteria-url", "https://demo.edu/c")
    with laurel.Store(cli.data) as store:
        assertion = store.issue(badge["entityId"], "ada@example.org")
    return cli, issuer_id, badge["entityId"], assertion.entity_id


def exported(cli, tmp_path, *args):
    out = tmp_path / "ob2"
    result = cli("export", "--ob2", str(out), *args)
    assert result.code == 0, result.err
    return out


def test_export_ob2_writes_verifiable_documents_per_badge(awarded, tmp_path):
    cli, issuer_id, badge_id, assertion_id = awarded
    out = exported(cli, tmp_path)
    badge_dir = out / assertion_id
    assert sorted(os.listdir(badge_dir)) == ["assertion.json", "badgeclass.json", "issuer.json",
                                             "revocations.json"]
    assertion = json.loads((badge_dir / "assertion.json").read_text())
    assert assertion["id"] == f"http://localhost:8000/public/assertions/{assertion_id}"
    assert json.loads((badge_dir / "issuer.json").read_text())["type"] == "Issuer"
    assert json.loads((badge_dir / "badgeclass.json").read_text())["id"].endswith(badge_id)

    result = cli("verify", str(badge_dir / "assertion.json"), "--documents", str(badge_dir),
                 "--recipient", "ada@example.org")
    assert result.code == 0, result.out + result.err
    assert "VALID" in result.out and "FAIL" not in result.out
    assert "recipient" in result.out and "matches" in result.out
    wrong = cli("verify", str(badge_dir / "assertion.json"), "--documents", str(badge_dir),
                "--recipient", "eve@example.org")
    assert wrong.code == 1 and "FAIL" in wrong.out and "INVALID" in wrong.out
    # Without its documents the badge cannot be verified.
    alone = cli("verify", str(badge_dir / "assertion.json"))
    assert alone.code == 1 and "INVALID" in alone.out
    report = cli("--json", "verify", str(badge_dir / "assertion.json"), "--documents",
                 str(badge_dir))
    assert report.code == 0 and report.json()["valid"] is True


def test_export_ob2_base_url_and_json_lines_export_unchanged(awarded, tmp_path, monkeypatch):
    cli, issuer_id, _, assertion_id = awarded
    monkeypatch.setenv("LAUREL_PUBLIC_URL", "https://env.example.org/")
    out = exported(cli, tmp_path)
    doc = json.loads((out / assertion_id / "assertion.json").read_text())
    assert doc["id"] == f"https://env.example.org/public/assertions/{assertion_id}"
    out2 = tmp_path / "flag"
    assert cli("export", "--ob2", str(out2), "--base-url", "https://flag.example.org",
               "--issuer", issuer_id).code == 0
    doc = json.loads((out2 / assertion_id / "assertion.json").read_text())
    assert doc["id"].startswith("https://flag.example.org/public/")
    lines = cli("export")
    assert lines.code == 0
    types = [json.loads(line)["entityType"] for line in lines.out.splitlines()]
    assert types == ["Issuer", "BadgeClass", "BadgeClass", "Assertion"]


def test_export_ob2_bad_input(awarded, tmp_path):
    cli, *_ = awarded
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert_user_error(cli("export", "--ob2", str(afile)), "not a directory")
    assert_usage_error(cli("export", "--ob2", str(tmp_path / "d"), "-o", str(tmp_path / "f")),
                       "--ob2")
    assert_user_error(cli("export", "--ob2", str(tmp_path / "d"), "--issuer", MISSING_ID))


def test_verify_reads_a_url_map_and_single_documents(awarded, tmp_path):
    cli, *_ , assertion_id = awarded
    out = exported(cli, tmp_path)
    badge_dir = out / assertion_id
    documents = {}
    for name in ("issuer", "badgeclass", "revocations"):
        document = json.loads((badge_dir / f"{name}.json").read_text())
        documents[document["id"]] = document
    url_map = tmp_path / "docs.json"
    url_map.write_text(json.dumps(documents))
    assert cli("verify", str(badge_dir / "assertion.json"), "--documents",
               str(url_map)).code == 0
    # The same from single documents, --documents repeated.
    args = []
    for name in ("issuer", "badgeclass", "revocations"):
        args += ["--documents", str(badge_dir / f"{name}.json")]
    assert cli("verify", str(badge_dir / "assertion.json"), *args).code == 0
    # A JWS and a baked image from the CLI verify too.
    result = cli("bake", "--assertion", assertion_id, "--image", str(PNG), "--out",
                 str(tmp_path / "baked.png"))
    assert result.code == 0, result.err
    assert laurel.unbake((tmp_path / "baked.png").read_bytes())["id"].endswith(assertion_id)
    assert cli("verify", str(tmp_path / "baked.png"), "--documents", str(badge_dir)).code == 0


def test_verify_bad_input(awarded, tmp_path):
    cli, *_ = awarded
    assert_user_error(cli("verify", str(tmp_path / "missing.json")), "no such file")
    assert_user_error(cli("verify", str(tmp_path)), "is a directory")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{ not json")
    result = cli("verify", str(garbage))
    assert result.code == 1 and "FAIL" in result.out and "Traceback" not in result.err
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert_user_error(cli("verify", str(garbage), "--documents", str(empty_dir)),
                      "no JSON documents")
    assert_user_error(cli("verify", str(garbage), "--documents", str(tmp_path / "nope")),
                      "no such file")
    list_json = tmp_path / "list.json"
    list_json.write_text("[1, 2]")
    assert_user_error(cli("verify", str(garbage), "--documents", str(list_json)), "expected")
    assert_user_error(cli("verify", str(garbage), "--documents", str(garbage)), "not JSON")
    assert_usage_error(cli("verify"), "FILE")
    assert_usage_error(cli("verify", str(garbage), "--recipient-type", "fax"), "recipient-type")


def test_bake_signed_with_a_key_made_on_first_use(awarded, tmp_path):
    cli, issuer_id, _, assertion_id = awarded
    out = tmp_path / "signed.png"
    result = cli("bake", "--assertion", assertion_id, "--image", str(PNG), "--out", str(out),
                 "--signed", "--alg", "EdDSA", "--base-url", "https://b.example.org")
    assert result.code == 0, result.err
    token = laurel.unbake(out.read_bytes())
    assert isinstance(token, str) and token.count(".") == 2
    keys = cli.ok_list("keys", "list", "--issuer", issuer_id)
    assert [k["alg"] for k in keys] == ["EdDSA"]
    exported_dir = exported(cli, tmp_path, "--base-url", "https://b.example.org") / assertion_id
    key_doc = {"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
               "id": f"https://b.example.org/public/keys/{keys[0]['keyId']}",
               "owner": f"https://b.example.org/public/issuers/{issuer_id}",
               "publicKeyPem": keys[0]["publicKeyPem"]}
    (exported_dir / "key.json").write_text(json.dumps(key_doc))
    result = cli("verify", str(out), "--documents", str(exported_dir), "--recipient",
                 "ada@example.org")
    assert result.code == 0, result.out
    assert "signature" in result.out


def test_bake_bad_input(awarded, tmp_path):
    cli, _, _, assertion_id = awarded
    out = str(tmp_path / "out.png")
    assert_user_error(cli("bake", "--assertion", assertion_id, "--image",
                          str(tmp_path / "nope.png"), "--out", out), "no such file")
    not_image = tmp_path / "not-image.png"
    not_image.write_bytes(b"GIF89a....")
    assert_user_error(cli("bake", "--assertion", assertion_id, "--image", str(not_image),
                          "--out", out), "image")
    assert not os.path.exists(out)
    assert_user_error(cli("bake", "--assertion", MISSING_ID, "--image", str(PNG), "--out", out))
    assert_usage_error(cli("bake", "--assertion", assertion_id, "--image", str(PNG)), "--out")
    assert_usage_error(cli("bake", "--assertion", assertion_id, "--image", str(PNG), "--out",
                           out, "--signed", "--alg", "HS256"), "--alg")


def test_keys_commands(awarded):
    cli, issuer_id, *_ = awarded
    created = cli.ok_json("keys", "create", "--issuer", issuer_id)
    assert created["alg"] == "RS256" and created["retiredAt"] is None  # the key itself
    assert_user_error(cli("keys", "create", "--issuer", issuer_id), "rotate")
    rotated = cli.ok_json("keys", "rotate", "--issuer", issuer_id, "--alg", "RS256")
    listed = cli.ok_list("keys", "list", "--issuer", issuer_id)
    assert [k["keyId"] for k in listed] == [created["keyId"], rotated["keyId"]]
    assert listed[0]["retiredAt"] is not None
    table = cli("keys", "list", "--issuer", issuer_id, "--pem")
    assert table.code == 0 and "in use" in table.out and "BEGIN PUBLIC KEY" in table.out
    assert "PRIVATE" not in table.out
    assert_user_error(cli("keys", "list", "--issuer", MISSING_ID), "no issuer")
    assert_usage_error(cli("keys", "create", "--issuer", issuer_id, "--alg", "HS256"), "--alg")
    assert_usage_error(cli("keys", "create"), "--issuer")
    assert_usage_error(cli("keys"), "ACTION")


def test_cli_keys_follow_laurel_passphrase(cli, monkeypatch):
    monkeypatch.setenv("LAUREL_PASSPHRASE", "right one")
    assert cli("init").code == 0
    issuer = cli.ok_json("issuer", "create", "--name", "S U", "--email", "s@example.org",
                         "--url", "https://s.example.org")
    cli.ok_json("keys", "create", "--issuer", issuer["entityId"], "--alg", "EdDSA")
    assert not (cli.data / "keys.kek").exists()
    monkeypatch.setenv("LAUREL_PASSPHRASE", "wrong one")
    assert_user_error(cli("keys", "list", "--issuer", issuer["entityId"]), "wrong passphrase")
    monkeypatch.delenv("LAUREL_PASSPHRASE")
    assert len(cli.ok_list("keys", "list", "--issuer", issuer["entityId"])) == 1
    assert_user_error(cli("keys", "rotate", "--issuer", issuer["entityId"], "--alg", "EdDSA"),
                      "passphrase")
