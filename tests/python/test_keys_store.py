"""Store keys from Python: create, list, rotate, the passphrase (argument and $LAUREL_PASSPHRASE),
the key file, public documents and signing with bad input."""

from __future__ import annotations

import stat

import jwt
import pytest

import laurel

BASE = "https://badges.example.org"
MISSING_ID = "AAAAAAAAAAAAAAAAAAAAAA"


def test_create_list_rotate_show_public_halves_only(store, issuer):
    ed = store.create_key(issuer.entity_id, "EdDSA")
    rsa = store.create_key(issuer, alg="RS256")  # an Issuer works where its id is expected
    assert set(ed) == {"keyId", "alg", "publicKeyPem", "createdAt", "retiredAt"}
    assert ed["retiredAt"] is None and ed["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert [k["keyId"] for k in store.list_keys(issuer.entity_id)] == [ed["keyId"], rsa["keyId"]]
    rotated = store.rotate_key(issuer.entity_id, "EdDSA")
    keys = {k["keyId"]: k for k in store.list_keys(issuer.entity_id)}
    assert len(keys) == 3 and keys[ed["keyId"]]["retiredAt"] is not None
    assert keys[rotated["keyId"]]["retiredAt"] is None
    document = store.public_document("issuer", issuer.entity_id, BASE)
    assert document["publicKey"] == [f"{BASE}/public/keys/{k}" for k in keys]
    assert document["revocationList"] == f"{BASE}/public/issuers/{issuer.entity_id}/revocations"
    for key in keys.values():
        assert "PRIVATE" not in str(key) and "wrappedKey" not in key


def test_key_errors(store, issuer):
    store.create_key(issuer.entity_id)
    with pytest.raises(laurel.Conflict):
        store.create_key(issuer.entity_id, "RS256")
    for bad_alg in ("HS256", "rs256", "none", ""):
        with pytest.raises(laurel.ValidationError) as error:
            store.create_key(issuer.entity_id, bad_alg)
        assert error.value.field == "alg"
    with pytest.raises(TypeError):
        store.create_key(issuer.entity_id, 256)
    for call in (lambda: store.create_key(MISSING_ID), lambda: store.list_keys(MISSING_ID),
                 lambda: store.rotate_key(MISSING_ID, "EdDSA"), lambda: store.list_keys("x")):
        with pytest.raises(laurel.NotFound):
            call()


@pytest.mark.lmdb_only  # a database store has no key file
def test_key_file_is_owner_only_and_holds_no_pem(store, issuer, data_dir):
    store.create_key(issuer.entity_id, "EdDSA")
    key_file = data_dir / "keys.kek"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.stat().st_size == 32
    data = (data_dir / "data.mdb").read_bytes()
    assert b"PRIVATE KEY" not in data and b"wrappedKey" in data


def test_passphrase_protects_the_keys(tmp_path, monkeypatch):
    monkeypatch.delenv("LAUREL_PASSPHRASE", raising=False)
    path = tmp_path / "secret-store"
    with laurel.Store(path, passphrase="open sesame") as store:
        issuer = store.create_issuer("P U", "p@example.org", "https://p.example.org")
        badge = store.create_badgeclass(issuer.entity_id, "B", "d", criteria_url="https://c.x")
        assertion = store.issue(badge.entity_id, "ada@example.org")
        token = store.sign(assertion.entity_id, BASE, "EdDSA")
    assert not (path / "keys.kek").exists()
    with pytest.raises(laurel.PermissionDenied) as error:
        laurel.Store(path, passphrase="open barley")
    assert error.value.field == "passphrase" and "wrong passphrase" in str(error.value)
    with laurel.Store(path) as without:  # opens; reading needs no passphrase...
        assert len(without.list_keys(issuer.entity_id)) == 1
        with pytest.raises(laurel.PermissionDenied):  # ...signing does
            without.sign(assertion.entity_id, BASE, "EdDSA")
    monkeypatch.setenv("LAUREL_PASSPHRASE", "open sesame")
    with laurel.Store(path) as from_env:
        again = from_env.sign(assertion.entity_id, BASE, "EdDSA")
        pem = from_env.list_keys(issuer.entity_id)[0]["publicKeyPem"]
    assert jwt.decode(again, pem, algorithms=["EdDSA"]) == jwt.decode(token, pem,
                                                                       algorithms=["EdDSA"])
    with pytest.raises(TypeError):
        laurel.Store(path, passphrase=b"bytes")


@pytest.mark.lmdb_only
def test_a_passphrase_for_a_key_file_store_is_refused(store, issuer, data_dir, monkeypatch):
    store.create_key(issuer.entity_id, "EdDSA")
    store.close()
    monkeypatch.setenv("LAUREL_PASSPHRASE", "not used here")
    with pytest.raises(laurel.PermissionDenied) as error:
        laurel.Store(data_dir)
    assert "key file" in str(error.value)


def test_sign_creates_a_key_on_first_use_and_refuses_revoked_badges(store, issuer, badge):
    assertion = store.issue(badge.entity_id, "ada@example.org")
    assert store.list_keys(issuer.entity_id) == []
    token = store.sign(assertion, BASE)
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    assert [k["alg"] for k in store.list_keys(issuer.entity_id)] == ["RS256"]
    store.sign(assertion.entity_id, BASE)  # the same key again
    assert len(store.list_keys(issuer.entity_id)) == 1
    store.revoke(assertion.entity_id, "Issued in error")
    with pytest.raises(laurel.Conflict):
        store.sign(assertion.entity_id, BASE)
    with pytest.raises(laurel.Conflict):
        store.credential(assertion.entity_id, BASE)
    with pytest.raises(laurel.NotFound):
        store.sign(MISSING_ID, BASE)
    with pytest.raises(laurel.ValidationError) as error:
        store.sign(assertion.entity_id, "not-a-url")
    assert error.value.field == "base_url"
    with pytest.raises(TypeError):
        store.sign(assertion.entity_id, None)


def test_sign_batch_reports_each_item(store, issuer, badge):
    result = store.issue_batch(badge.entity_id, [f"l{i}@example.org" for i in range(300)])
    ids = [item.entity_id for item in result] + [MISSING_ID]
    store.revoke(ids[5], "no")
    signed = store.sign_batch(ids, BASE, "EdDSA", threads=2)
    assert len(signed) == 301
    assert [s["entityId"] for s in signed] == ids
    assert signed[5]["signed"] is False and signed[5]["code"] == "Conflict"
    assert signed[-1]["code"] == "NotFound" and signed[-1]["jws"] is None
    pem = store.list_keys(issuer.entity_id)[0]["publicKeyPem"]
    good = [s for s in signed if s["signed"]]
    assert len(good) == 299
    for item in good[:20]:
        assert jwt.decode(item["jws"], pem, algorithms=["EdDSA"])["id"].endswith(item["entityId"])
    with pytest.raises(TypeError):
        store.sign_batch("one id", BASE)
    with pytest.raises(TypeError):
        store.sign_batch(ids, BASE, threads=-1)


def test_public_documents_and_their_errors(store, issuer, badge):
    assertion = store.issue(badge.entity_id, "ada@example.org")
    for kind, entity_id, doc_type in (("issuer", issuer.entity_id, "Issuer"),
                                      ("badgeclass", badge.entity_id, "BadgeClass"),
                                      ("assertion", assertion.entity_id, "Assertion"),
                                      ("revocation_list", issuer.entity_id, "RevocationList")):
        document = store.public_document(kind, entity_id, BASE + "/")
        assert document["@context"] == "https://w3id.org/openbadges/v2"
        assert document["type"] == doc_type
        assert document["id"].startswith(BASE + "/public/") and "//public" not in document["id"]
    key = store.create_key(issuer.entity_id, "EdDSA")
    key_document = store.public_document("key", key["keyId"], BASE)
    assert key_document["owner"] == f"{BASE}/public/issuers/{issuer.entity_id}"
    assert key_document["publicKeyPem"] == key["publicKeyPem"]
    with pytest.raises(laurel.ValidationError) as error:
        store.public_document("user", issuer.entity_id, BASE)
    assert error.value.field == "kind"
    for kind in ("issuer", "badgeclass", "assertion", "key", "revocation_list"):
        with pytest.raises(laurel.NotFound):
            store.public_document(kind, MISSING_ID, BASE)
        with pytest.raises(laurel.NotFound):
            store.public_document(kind, "nope", BASE)
    with pytest.raises(laurel.ValidationError):
        store.public_document("issuer", issuer.entity_id, "")
    with pytest.raises(TypeError):
        store.public_document("issuer", None, BASE)
    # The assertion document never carries the plaintext recipient.
    assert "ada@example.org" not in str(store.public_document("assertion", assertion.entity_id,
                                                              BASE))


def test_closed_store_refuses_key_calls(store, issuer):
    store.close()
    with pytest.raises(ValueError):
        store.list_keys(issuer.entity_id)
    with pytest.raises(ValueError):
        store.public_document("issuer", issuer.entity_id, BASE)
