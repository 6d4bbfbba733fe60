"""OB 3.0 interoperability with the pure-Python peer `openbadgeslib` (PyPI, test-only), status
lists included: Laurel's credential verifies in the peer with its status list fetched from a real
`laurel serve` (and fails there once revoked); the peer's credential, with a Bitstring Status List
the peer made and signed, verifies in Laurel (and fails once the peer revokes it)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import httpx
import laurel
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rest_helpers import award, new_badgeclass, new_issuer, ok

obl_verifier = pytest.importorskip("openbadgeslib.ob3.verifier")
obl_signer = pytest.importorskip("openbadgeslib.ob3.signer")
obl_status = pytest.importorskip("openbadgeslib.ob3.status_list")
obl_did = pytest.importorskip("openbadgeslib.ob3.did")


def _download(url: str) -> bytes:
    response = httpx.get(url, timeout=30)
    response.raise_for_status()
    return response.content


def test_laurels_credential_and_status_list_verify_in_openbadgeslib(server, alice):
    issuer = new_issuer(alice, "Interop U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Interop 101")
    assertion = award(alice, badgeclass["entityId"], "ada@example.org")
    with server.open_store() as store:
        token = store.credential(assertion["entityId"], server.url)
        pem = next(key["publicKeyPem"] for key in store.list_keys(issuer["entityId"])
                   if key["alg"] == "EdDSA")
    verifier = obl_verifier.OB3Verifier(pubkey_pem=pem)
    credential = verifier.verify(token, check_status=True, download=_download)
    assert credential.issuer.id == f"{server.url}/public/ob3/issuers/{issuer['entityId']}"

    with alice.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    with pytest.raises(obl_verifier.OB3VerificationError, match="(?i)revocation.* is set"):
        verifier.verify(token, check_status=True, download=_download)
    # Without the status check the peer still accepts the signature: the bit is what changed.
    verifier.verify(token)


def test_a_did_recipient_is_checked_by_openbadgeslib_and_laurel(server, alice):
    issuer = new_issuer(alice, "Interop DID U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Interop 102")
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    with server.open_store() as store:
        assertion = store.issue(badgeclass["entityId"], did, recipient_type="id", hashed=False)
        token = store.credential(assertion, server.url)
        pem = next(key["publicKeyPem"] for key in store.list_keys(issuer["entityId"])
                   if key["alg"] == "EdDSA")
    verifier = obl_verifier.OB3Verifier(pubkey_pem=pem)
    credential = verifier.verify(token, expected_recipient=did, check_status=True,
                                 download=_download)
    assert credential.issuer.id.endswith(issuer["entityId"])
    with pytest.raises(obl_verifier.OB3VerificationError):
        verifier.verify(token, expected_recipient="did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92"
                                                  "JmQwXbd5hwi")
    profile = httpx.get(f"{server.url}/public/ob3/issuers/{issuer['entityId']}", timeout=30)
    report = laurel.verify(token, documents={profile.json()["id"]: profile.text}, recipient=did)
    assert report["recipientMatch"] is True


def _peer_credential(did: str, list_url: str, index: int, private_pem: bytes) -> str:
    now = datetime.now(tz=timezone.utc).replace(microsecond=0)
    vc = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2f0a7a36-7c1e-4c47-9f0e-4a7e8b4a0c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Peer Academy"},
        "name": "Peer Badge",
        "validFrom": (now - timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": "did:example:learner-1", "type": ["AchievementSubject"],
            "achievement": {"id": "https://peer.example/achievements/1", "type": ["Achievement"],
                            "name": "Peer Badge", "description": "Made by the peer",
                            "criteria": {"narrative": "Done"}}},
        "credentialStatus": obl_status.status_entry(list_url, "revocation", index),
    }
    payload = dict(vc, iss=did, jti=vc["id"], sub="did:example:learner-1",
                   nbf=int((now - timedelta(minutes=5)).timestamp()))
    return obl_signer.OB3Signer(private_pem, algorithm="EdDSA").sign_payload(payload)


def test_openbadgeslibs_credential_and_its_own_status_list_verify_in_laurel():
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    did = obl_did.did_key_from_pem(public_pem)
    list_url = "https://peer.example/status/1"
    index = 4242
    token = _peer_credential(did, list_url, index, private_pem)

    def signed_list(revoked: set) -> str:
        vc = obl_status.build_status_list_credential(did, list_url, "revocation", revoked)
        return obl_status.sign_status_list_credential(vc, private_pem, "EdDSA")

    report = laurel.verify(token, documents={list_url: signed_list({7})})
    assert report["valid"], report["errors"]
    status = next(check for check in report["checks"] if check["name"] == "status")
    assert status["ok"] and str(index) in status["message"]
    revoked = laurel.verify(token, documents={list_url: signed_list({7, index})})
    assert not revoked["valid"]
    assert any(error.startswith("status:") and "revoked" in error for error in revoked["errors"])
    # The list as the peer's plain JSON credential (no proof) is read too, with a warning.
    unsigned = obl_status.build_status_list_credential(did, list_url, "revocation", {index})
    plain = laurel.verify(token, documents={list_url: json.dumps(unsigned)})
    assert not plain["valid"]
    # A list signed by another key is refused.
    other = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    forged = obl_status.sign_status_list_credential(
        obl_status.build_status_list_credential(did, list_url, "revocation", set()), other,
        "EdDSA")
    assert not laurel.verify(token, documents={list_url: forged})["valid"]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["credentialStatus"]["statusListCredential"] == list_url
