"""OB 3.0 credentials with an embedded Data Integrity proof from Python and the CLI: issued by
`store.credential(..., format="data-integrity")`, verified by `laurel.verify` against the issuer's
OB 3.0 Profile, and refused once tampered with."""

from __future__ import annotations

import json

import pytest

import laurel

BASE = "https://badges.example.org"


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
    assert report["missing"] == []

    credential["credentialSubject"]["achievement"]["name"] += "!"
    tampered = laurel.verify(json.dumps(credential), documents=documents)
    assert tampered["valid"] is False
    assert any(c["name"] == "proof" and not c["ok"] for c in tampered["checks"])

    alone = laurel.verify(text)
    assert alone["valid"] is False
    assert alone["missing"] == [f"{BASE}/public/ob3/issuers/{issuer.entity_id}"]


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
