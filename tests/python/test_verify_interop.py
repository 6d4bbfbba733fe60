"""Laurel's JWS against independent implementations: what Laurel signs verifies with PyJWT and
`cryptography`, what they sign verifies with Laurel, and nothing else does (tampering, weak keys,
algorithm confusion)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

import laurel

# Verification suites: the store only makes their documents (on both backends elsewhere).
pytestmark = pytest.mark.lmdb_only

BASE = "https://badges.example.org"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def awarded(store, badge):
    return store.issue(badge.entity_id, "ada@example.org")


def published(store, issuer, badge):
    """{url: document} of everything a verifier of the issuer's badges fetches."""
    documents = {}
    for kind, entity_id in (("issuer", issuer.entity_id), ("badgeclass", badge.entity_id),
                            ("revocation_list", issuer.entity_id)):
        document = store.public_document(kind, entity_id, BASE)
        documents[document["id"]] = document
    for key in store.list_keys(issuer.entity_id):
        document = store.public_document("key", key["keyId"], BASE)
        documents[document["id"]] = document
    return documents


def public_pem(private_key) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


# --- Laurel signs, others verify ----------------------------------------------------------------

@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_a_jws_laurel_signs_verifies_with_pyjwt(store, issuer, badge, awarded, alg):
    token = store.sign(awarded.entity_id, BASE, alg)
    (key,) = store.list_keys(issuer.entity_id)
    assert key["alg"] == alg
    payload = jwt.decode(token, key["publicKeyPem"], algorithms=[alg])
    hosted = store.public_document("assertion", awarded.entity_id, BASE)
    assert payload["verification"] == {
        "type": "signed", "creator": f"{BASE}/public/keys/{key['keyId']}"}
    assert {k: v for k, v in payload.items() if k != "verification"} == \
        {k: v for k, v in hosted.items() if k != "verification"}
    assert jwt.get_unverified_header(token)["alg"] == alg
    other = ed25519.Ed25519PrivateKey.generate() if alg == "EdDSA" else \
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, public_pem(other), algorithms=[alg])


def test_laurel_rs256_signature_checks_with_cryptography_directly(store, issuer, awarded):
    token = store.sign(awarded.entity_id, BASE)
    header, payload, signature = token.split(".")
    public_key = serialization.load_pem_public_key(
        store.list_keys(issuer.entity_id)[0]["publicKeyPem"].encode())
    assert public_key.key_size == 2048
    public_key.verify(unb64url(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(),
                      hashes.SHA256())  # raises InvalidSignature otherwise


def test_a_vc_jwt_laurel_signs_verifies_with_pyjwt(store, issuer, awarded):
    token = store.credential(awarded.entity_id, BASE)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    (key,) = [k for k in store.list_keys(issuer.entity_id) if k["alg"] == "EdDSA"]
    profile = f"{BASE}/public/ob3/issuers/{issuer.entity_id}"
    assert header["kid"] == f"{profile}#{key['keyId']}-jwk"  # a JsonWebKey in the OB 3.0 Profile
    claims = jwt.decode(token, key["publicKeyPem"], algorithms=["EdDSA"])
    assert claims["iss"] == profile
    assert claims["jti"] == f"{BASE}/public/assertions/{awarded.entity_id}"
    assert "OpenBadgeCredential" in claims["type"]
    identifier = claims["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"].startswith("sha256$")
    assert "ada@example.org" not in json.dumps(claims)


# --- others sign, Laurel verifies --------------------------------------------------------------

def _foreign_documents(store, issuer, badge, awarded, private_key, key_id="foreign-key"):
    """The store's documents, with a key Laurel never saw published as the issuer's."""
    documents = published(store, issuer, badge)
    key_url = f"{BASE}/public/keys/{key_id}"
    issuer_url = f"{BASE}/public/issuers/{issuer.entity_id}"
    documents[issuer_url] = dict(documents[issuer_url], publicKey=[key_url])
    documents[key_url] = {"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
                          "id": key_url, "owner": issuer_url,
                          "publicKeyPem": public_pem(private_key)}
    payload = store.public_document("assertion", awarded.entity_id, BASE)
    payload["verification"] = {"type": "signed", "creator": key_url}
    return documents, payload, key_url


@pytest.mark.parametrize("alg", ["RS256", "EdDSA"])
def test_a_jws_pyjwt_signs_verifies_with_laurel(store, issuer, badge, awarded, alg):
    private_key = ed25519.Ed25519PrivateKey.generate() if alg == "EdDSA" else \
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    documents, payload, key_url = _foreign_documents(store, issuer, badge, awarded, private_key)
    token = jwt.encode(payload, private_key, algorithm=alg)
    report = laurel.verify(token, documents=documents, recipient="ada@example.org")
    assert report["valid"] is True, report["errors"]
    assert report["recipientMatch"] is True
    signature = [c for c in report["checks"] if c["name"] == "signature"]
    assert signature and signature[0]["ok"] and key_url in signature[0]["message"]

    # The same token against a key the issuer does not own: invalid.
    stranger = ed25519.Ed25519PrivateKey.generate() if alg == "EdDSA" else \
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    documents[key_url] = dict(documents[key_url], publicKeyPem=public_pem(stranger))
    report = laurel.verify(token, documents=documents)
    assert report["valid"] is False
    assert any(e.startswith("signature:") for e in report["errors"]), report["errors"]


def test_a_vc_jwt_pyjwt_signs_verifies_with_laurel(store, issuer, badge, awarded):
    private_key = ed25519.Ed25519PrivateKey.generate()
    # The key is published as a JsonWebKey verification method of the issuer's OB 3.0 Profile,
    # the document an OB 3.0 credential's issuer id names.
    profile = store.public_document("ob3_issuer", issuer.entity_id, BASE)
    key_url = f"{profile['id']}#foreign-key"
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(private_key.public_key()))
    profile["verificationMethod"] = profile.get("verificationMethod", []) + [
        {"id": key_url, "type": "JsonWebKey", "controller": profile["id"], "publicKeyJwk": jwk}]
    profile["assertionMethod"] = profile.get("assertionMethod", []) + [key_url]
    documents = {profile["id"]: profile}
    laurel_token = store.credential(awarded.entity_id, BASE)
    claims = jwt.decode(laurel_token, options={"verify_signature": False})
    token = jwt.encode(claims, private_key, algorithm="EdDSA", headers={"kid": key_url})
    report = laurel.verify(token, documents=documents, recipient="ada@example.org")
    assert report["valid"] is True, report["errors"]
    assert report["badge"]["version"] == "3.0"
    claims["credentialSubject"]["achievement"]["name"] = "Forged"
    forged = jwt.encode(claims, ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA",
                        headers={"kid": key_url})
    assert laurel.verify(forged, documents=documents)["valid"] is False


def test_weak_keys_and_algorithm_confusion_are_refused(store, issuer, badge, awarded):
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    documents, payload, key_url = _foreign_documents(store, issuer, badge, awarded, weak)
    rs_header = b64url(b'{"alg":"RS256"}')
    signing_input = f"{rs_header}.{b64url(json.dumps(payload).encode())}"
    weak_signature = weak.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    report = laurel.verify(f"{signing_input}.{b64url(weak_signature)}", documents=documents)
    assert report["valid"] is False
    assert any(e.startswith("key:") for e in report["errors"]), report["errors"]

    strong = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    documents, payload, key_url = _foreign_documents(store, issuer, badge, awarded, strong)
    body = b64url(json.dumps(payload).encode())
    pem = public_pem(strong).encode()
    # HS256 keyed with the public key (the classic confusion attack) and alg "none".
    hs_header = b64url(b'{"alg":"HS256","typ":"JWT"}')
    none_header = b64url(b'{"alg":"none"}')
    mac = hmac.new(pem, f"{hs_header}.{body}".encode(), hashlib.sha256).digest()
    for token in (f"{hs_header}.{body}.{b64url(mac)}",
                  f"{none_header}.{body}.",
                  f"{none_header}.{body}.{b64url(b'x')}"):
        report = laurel.verify(token, documents=documents)
        assert report["valid"] is False, token
