"""OB 3.0 credential status through the Python API and the CLI, offline: every award owns a bit of
its issuer's Bitstring Status List; revoking sets it; the earlier credential then verifies invalid
with the list from Store.status_list_credential, and 'laurel export --ob3' writes what a verifier
needs. Batch credentials (Store.credentials) in both formats."""

from __future__ import annotations

import json
import subprocess

import pytest

import laurel

from cli_support import laurel_script

BASE = "https://badges.example.edu"


def _documents(store: laurel.Store, issuer_id: str, badge_id: str) -> dict:
    documents = {}
    for kind, entity_id in (("ob3_issuer", issuer_id), ("ob3_achievement", badge_id)):
        document = store.public_document(kind, entity_id, BASE)
        documents[document["id"]] = document
    for list_id in store.status_lists(issuer_id):
        url = f"{BASE}/public/ob3/issuers/{issuer_id}/status/{list_id}"
        documents[url] = store.status_list_credential(issuer_id, list_id, BASE)
    return documents


def _status(report: dict):
    return next((check for check in report["checks"] if check["name"] == "status"), None)


def test_revoking_invalidates_the_credential_taken_before(store, issuer, badge):
    kept = store.issue(badge, "kept@example.org")
    gone = store.issue(badge, "ada@example.org")
    kept_vc, gone_vc = store.credential(kept, BASE), store.credential(gone, BASE)
    before = laurel.verify(gone_vc, documents=_documents(store, issuer.entity_id, badge.entity_id),
                           recipient="ada@example.org")
    assert before["valid"], before["errors"]
    assert _status(before)["ok"]

    store.revoke(gone, "Issued in error")
    entry = store.status_entry(gone)
    bits = store.status_list_bits(issuer, entry["list"])
    assert len(bits) == 16384 and bits[entry["index"] // 8] >> (7 - entry["index"] % 8) & 1
    documents = _documents(store, issuer.entity_id, badge.entity_id)
    after = laurel.verify(gone_vc, documents=documents)
    assert not after["valid"]
    assert not _status(after)["ok"] and "revoked" in _status(after)["message"]
    assert laurel.verify(kept_vc, documents=documents)["valid"]

    # Without the list: valid with a warning, and the list in `missing`.
    list_url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}/status/{entry['list']}"
    del documents[list_url]
    unknown = laurel.verify(gone_vc, documents=documents)
    assert unknown["valid"] and unknown["missing"] == [list_url]
    assert any("could not be fetched" in warning for warning in unknown["warnings"])


def test_credentials_batch_in_both_formats_and_bad_items(store, issuer, badge):
    batch = store.issue_batch(badge, [f"l{i}@example.org" for i in range(300)])
    ids = [item.entity_id for item in batch]
    store.revoke(ids[5], "gone")
    made = store.credentials(ids + ["AAAAAAAAAAAAAAAAAAAAAA"], BASE, threads=2)
    assert len(made) == 301
    assert made[5]["code"] == "Conflict" and made[-1]["code"] == "NotFound"
    documents = _documents(store, issuer.entity_id, badge.entity_id)
    for item, assertion_id in zip(made[:4], ids):
        assert item["signed"] and item["entityId"] == assertion_id
        assert laurel.verify(item["credential"], documents=documents)["valid"]
    assert made[0]["credential"] == store.credential(ids[0], BASE)  # deterministic EdDSA
    rs256 = store.credentials(ids[:2], BASE, alg="RS256")
    assert all(item["signed"] for item in rs256)
    assert laurel.verify(rs256[0]["credential"],
                         documents=_documents(store, issuer.entity_id, badge.entity_id))["valid"]
    di = store.credentials(ids[:2], BASE, format="data-integrity")
    credential = json.loads(di[0]["credential"])
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"] == \
        f"{BASE}/public/ob3/issuers/{issuer.entity_id}#" + store.list_keys(issuer)[0]["keyId"]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    with pytest.raises(laurel.ValidationError) as refused:
        store.credentials(ids[:1], BASE, format="jwt")
    assert refused.value.field == "format"
    with pytest.raises(laurel.ValidationError) as refused:
        store.credentials(ids[:1], BASE, format="data-integrity", alg="RS256")
    assert refused.value.field == "alg"
    with pytest.raises(TypeError):
        store.credentials("abc", BASE)


@pytest.mark.lmdb_only  # the CLI over --data DIR
def test_export_ob3_verifies_offline_and_reports_revocation(store, issuer, badge, data_dir,
                                                            tmp_path):
    kept = store.issue(badge, "kept@example.org")
    gone = store.issue(badge, "ada@example.org")
    gone_vc = store.credential(gone, BASE)
    store.revoke(gone, "Issued in error")
    store.close()
    out = tmp_path / "ob3"

    def laurel_cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([laurel_script(), "--data", str(data_dir), *args],
                              capture_output=True, text=True, timeout=300)

    exported = laurel_cli("--json", "export", "--ob3", str(out), "--base-url", BASE)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == {"directory": str(out), "credentials": 1, "skipped": 0}
    credential = out / "credentials" / f"{kept.entity_id}.jwt"
    documents = out / "documents.json"
    valid = laurel_cli("verify", str(credential), "--documents", str(documents))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    earlier = tmp_path / "earlier.jwt"
    earlier.write_text(gone_vc)
    revoked = laurel_cli("verify", str(earlier), "--documents", str(documents))
    assert revoked.returncode == 1 and "revoked" in revoked.stdout + revoked.stderr
    usage = laurel_cli("export", "--ob3", str(out), "--ob2", str(out))
    assert usage.returncode == 2
