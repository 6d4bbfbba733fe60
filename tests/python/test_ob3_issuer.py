"""An issuer's Open Badges 3.0 settings through the Python API and the CLI, offline: did:web
issuers (create_issuer(did_web=True), `laurel issuer create --did-web`) whose credentials verify
with the DID document from public_document("ob3_did"), also after `laurel export --ob3`; the
status list as a Data Integrity credential; the 1EdTechRevocationList form
(credential_status=...); a recipient's DID next to the hashed email (issue(subject_id=...),
issue_batch and `laurel award` columns)."""

from __future__ import annotations

import json
import subprocess

import pytest

import laurel

from cli_support import laurel_script, write_csv

BASE = "https://badges.example.edu"
LEARNER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def _claims(token: str) -> dict:
    import base64
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def _check(report: dict, name: str) -> dict:
    return next(check for check in report["checks"] if check["name"] == name)


def _cli(data_dir, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([laurel_script(), "--data", str(data_dir), *args],
                          capture_output=True, text=True, timeout=300)


def test_a_did_web_issuer_verifies_with_its_did_document(store, badge):
    issuer = store.create_issuer("DID U", "badges@example.edu", "https://example.edu",
                                 did_web=True)
    assert issuer.did_web is True and issuer.credential_status == "bitstring"
    mine = store.create_badgeclass(issuer, "Web 101", "Served by DID")
    award = store.issue(mine, "ada@example.org")
    did = f"did:web:badges.example.edu:public:ob3:issuers:{issuer.entity_id}"
    token = store.credential(award, BASE)
    assert _claims(token)["iss"] == did
    did_document = store.public_document("ob3_did", issuer, BASE)
    assert did_document["id"] == did
    did_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}/did.json"
    entry = store.status_entry(award)
    list_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}/status/{entry['list']}"
    documents = {did_url: did_document,
                 list_url: store.status_list_credential(issuer, entry["list"], BASE)}
    for credential in (token, store.credential(award, BASE, format="data-integrity")):
        report = laurel.verify(credential, documents=documents)
        assert report["valid"], report["errors"]
        assert "DID document" in _check(report, "key")["message"]
    # http base URLs cannot name a did:web; a plain issuer has no DID document.
    with pytest.raises(laurel.ValidationError) as error:
        store.credential(award, "http://127.0.0.1:8000")
    assert error.value.field == "base_url"
    with pytest.raises(laurel.NotFound):
        store.public_document("ob3_did", badge.issuer, BASE)
    assert store.update_issuer(issuer, did_web=False).did_web is False
    assert _claims(store.credential(award, BASE))["iss"] == \
        f"{BASE}/public/ob3/issuers/{issuer.entity_id}"


def test_status_list_credential_as_data_integrity(store, issuer, badge):
    award = store.issue(badge, "ada@example.org")
    token = store.credential(award, BASE)
    store.revoke(award, "Issued in error")
    entry = store.status_entry(award)
    secured = json.loads(store.status_list_credential(issuer, entry["list"], BASE,
                                                      format="data-integrity"))
    assert secured["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert secured["proof"]["verificationMethod"].startswith(secured["issuer"] + "#")
    list_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}/status/{entry['list']}"
    profile = store.public_document("ob3_issuer", issuer, BASE)
    report = laurel.verify(token, documents={profile["id"]: profile, list_url: secured})
    assert not report["valid"] and "revoked" in _check(report, "status")["message"]
    with pytest.raises(laurel.ValidationError) as error:
        store.status_list_credential(issuer, entry["list"], BASE, format="jsonld")
    assert error.value.field == "format"


def test_credential_status_forms_and_the_1edtech_list(store, issuer, badge):
    store.update_issuer(issuer, credential_status="both")
    award = store.issue(badge, "ada@example.org")
    status = _claims(store.credential(award, BASE))["credentialStatus"]
    assert [entry["type"] for entry in status] == ["BitstringStatusListEntry",
                                                   "1EdTechRevocationList"]
    store.revoke(award, "Issued in error")
    listed = store.public_document("ob3_revocation_list", issuer, BASE)
    assert listed["id"] == status[1]["id"]
    assert listed["revokedCredentials"] == [{"id": f"{BASE}/public/assertions/{award.entity_id}",
                                             "revocationReason": "Issued in error"}]
    with pytest.raises(laurel.ValidationError) as error:
        store.update_issuer(issuer, credential_status="all")
    assert error.value.field == "credentialStatus"


def test_a_did_next_to_the_hashed_email(store, issuer, badge):
    award = store.issue(badge, "Ada@Example.org", subject_id=LEARNER_DID)
    assert award.recipient.subject_id == LEARNER_DID and award.recipient.hashed
    claims = _claims(store.credential(award, BASE))
    assert claims["sub"] == LEARNER_DID == claims["credentialSubject"]["id"]
    assert claims["credentialSubject"]["identifier"][0]["identityType"] == "emailAddress"
    assert [a.entity_id for a in store.list_assertions(recipient="ada@example.org")] == \
        [award.entity_id]
    profile = store.public_document("ob3_issuer", issuer, BASE)
    token = store.credential(award, BASE)
    for who in ("ada@example.org", LEARNER_DID):
        report = laurel.verify(token, documents={profile["id"]: profile}, recipient=who)
        assert report["recipientMatch"] is True, who

    other = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    batch = store.issue_batch(badge, [{"email": "bo@example.org", "did": other},
                                      {"email": "cy@example.org"}])
    subjects = [store.get_assertion(item.entity_id).recipient.subject_id for item in batch]
    assert subjects == [other, None]
    with pytest.raises(laurel.ValidationError) as error:
        store.issue(badge, "dee@example.org", subject_id="somebody")
    assert error.value.field == "recipient.subjectId"


@pytest.mark.lmdb_only  # the CLI over --data DIR (over a URL: test_database_url.py)
def test_cli_sets_the_settings_and_awards_with_dids(store, issuer, badge, data_dir, tmp_path):
    store.close()
    created = _cli(data_dir, "--json", "issuer", "create", "--name", "CLI DID U", "--email",
                   "b@example.edu", "--url", "https://example.edu", "--did-web",
                   "--credential-status", "both")
    assert created.returncode == 0, created.stderr
    made = json.loads(created.stdout)
    assert made["didWeb"] is True and made["credentialStatus"] == "both"
    updated = _cli(data_dir, "--json", "issuer", "update", made["entityId"], "--no-did-web")
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["didWeb"] is False
    assert _cli(data_dir, "issuer", "update", made["entityId"]).returncode == 2

    csv = write_csv(tmp_path / "awards.csv",
                    f"email,subject_id\nada@example.org,{LEARNER_DID}\nbo@example.org,\n")
    awarded = _cli(data_dir, "award", "--badge", badge.entity_id, "--csv", str(csv))
    assert awarded.returncode == 0, awarded.stdout + awarded.stderr
    with laurel.Store(data_dir) as reopened:
        subjects = {a.recipient.plaintext_identity: a.recipient.subject_id
                    for a in reopened.list_assertions(badgeclass=badge)}
    assert subjects == {"ada@example.org": LEARNER_DID, "bo@example.org": None}


@pytest.mark.lmdb_only
def test_export_ob3_of_a_did_web_issuer_verifies_offline(store, data_dir, tmp_path):
    issuer = store.create_issuer("Export DID U", "b@example.edu", "https://example.edu",
                                 did_web=True, credential_status="both")
    mine = store.create_badgeclass(issuer, "Exported", "Offline")
    award = store.issue(mine, "ada@example.org")
    store.close()
    out = tmp_path / "ob3"
    exported = _cli(data_dir, "export", "--ob3", str(out), "--base-url", BASE)
    assert exported.returncode == 0, exported.stderr
    documents = json.loads((out / "documents.json").read_text())
    assert f"{BASE}/public/ob3/issuers/{issuer.entity_id}/did.json" in documents
    assert f"{BASE}/public/ob3/issuers/{issuer.entity_id}/revocations" in documents
    verified = _cli(data_dir, "verify", str(out / "credentials" / f"{award.entity_id}.jwt"),
                    "--documents", str(out / "documents.json"))
    assert verified.returncode == 0, verified.stdout + verified.stderr
