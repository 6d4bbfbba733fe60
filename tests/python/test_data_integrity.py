"""OB 3.0 credentials with an embedded Data Integrity proof from Python and the CLI: issued by
`store.credential(..., format="data-integrity")`, verified by `laurel.verify` against the issuer's
OB 3.0 Profile, and refused once tampered with."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import laurel

# Verification suites: the store only makes their documents (on both backends elsewhere).
pytestmark = pytest.mark.lmdb_only

BASE = "https://badges.example.org"
DATA = Path(__file__).resolve().parents[1] / "data"


def _profile_documents(store, issuer_id):
    url = f"{BASE}/public/ob3/issuers/{issuer_id}"
    return {url: json.dumps(store.public_document("ob3_issuer", issuer_id, BASE))}


def test_data_integrity_credential_verifies_and_tampering_fails(store, issuer, badge):
    awarded = store.issue(badge.entity_id, "ada@example.org")
    text = store.credential(awarded.entity_id, BASE, format="data-integrity")
    credential = json.loads(text)
    proof = credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].startswith(f"{BASE}/public/ob3/issuers/{issuer.entity_id}#")
    documents = _profile_documents(store, issuer.entity_id)
    report = laurel.verify(text, documents=documents, recipient="ada@example.org")
    assert report["valid"] is True, report["errors"]
    names = {check["name"] for check in report["checks"]}
    assert {"key", "canonicalization", "proof"} <= names
    # The Profile was supplied; only the status list (credentialStatus, not given here) may be asked.
    assert all("/status/" in url for url in report["missing"]), report["missing"]

    credential["credentialSubject"]["achievement"]["name"] += "!"
    tampered = laurel.verify(json.dumps(credential), documents=documents)
    assert tampered["valid"] is False
    assert any(c["name"] == "proof" and not c["ok"] for c in tampered["checks"])

    alone = laurel.verify(text)
    assert alone["valid"] is False
    assert f"{BASE}/public/ob3/issuers/{issuer.entity_id}" in alone["missing"]


def test_vc_jwt_stays_the_default_and_bad_formats_name_the_field(store, badge):
    awarded = store.issue(badge.entity_id, "bob@example.org")
    assert store.credential(awarded.entity_id, BASE).count(".") == 2
    assert store.credential(awarded.entity_id, BASE, format="vc-jwt").count(".") == 2
    with pytest.raises(laurel.ValidationError) as error:
        store.credential(awarded.entity_id, BASE, format="ldp")
    assert error.value.field == "format"


def test_cli_prints_either_format_as_json(cli_store):
    cli, _, badge_id = cli_store
    with laurel.Store(cli.data) as store:
        assertion_id = store.issue(badge_id, "carol@example.org").entity_id
    signed = cli.ok_json("credential", assertion_id, "--format", "data-integrity",
                         "--base-url", BASE)
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    jwt = cli.ok_json("credential", assertion_id, "--base-url", BASE)
    assert isinstance(jwt, str) and jwt.count(".") == 2
    assert cli("credential", assertion_id, "--format", "ldp").code != 0
    assert "data-integrity" in cli("credential", "--help").out


def test_cli_credential_alg_picks_the_vc_jwt_key(cli_store):
    cli, _, badge_id = cli_store
    with laurel.Store(cli.data) as store:
        assertion_id = store.issue(badge_id, "dan@example.org").entity_id
    for alg in ("ES256", "RS256", "EdDSA"):
        token = cli.ok_json("credential", assertion_id, "--alg", alg, "--base-url", BASE)
        head = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
        assert header["alg"] == alg
    refused = cli("credential", assertion_id, "--format", "data-integrity", "--alg", "ES256")
    assert refused.code != 0 and "alg" in refused.out + refused.err


def test_an_ecdsa_sd_2023_derived_credential_verifies_and_a_changed_claim_fails():
    """Issue 10: the 1EdTech selective disclosure fixture, verified from Python."""
    text = (DATA / "fixtures/1edtech/ob30/sd/derivedcredential.json").read_text()
    report = laurel.verify(text, now=1767225600)  # 2026-01-01, as the fixture suites judge it
    assert report["valid"] is True, report["errors"]
    proof = [check for check in report["checks"] if check["name"] == "proof"]
    assert proof and proof[0]["ok"] and "ecdsa-sd-2023" in proof[0]["message"]

    changed = laurel.verify(text.replace('"Teamwork"', '"Teamwerk"'), now=1767225600)
    assert changed["valid"] is False
    assert any(e.startswith("proof:") for e in changed["errors"]), changed["errors"]

    credential = json.loads(text)
    credential["proof"][0]["proofValue"] = credential["proof"][0]["proofValue"][:201]
    truncated = laurel.verify(json.dumps(credential), now=1767225600)
    assert truncated["valid"] is False
    assert any("CBOR" in e for e in truncated["errors"]), truncated["errors"]


def test_an_ecdsa_sd_2023_base_proof_is_reported_as_for_the_holder():
    credential = json.loads((DATA / "fixtures/1edtech/ob30/sd/derivedcredential.json").read_text())
    value = credential["proof"][0]["proofValue"][1:]
    decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    base = b"\xd9\x5d\x00" + decoded[3:]  # the base proof's tag instead of the derived one
    credential["proof"][0]["proofValue"] = "u" + base64.urlsafe_b64encode(base).rstrip(
        b"=").decode()
    report = laurel.verify(json.dumps(credential), now=1767225600)
    assert report["valid"] is False
    assert any("base proofs are for the holder to derive from" in e
               for e in report["errors"]), report["errors"]
