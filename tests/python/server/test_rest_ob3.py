"""OB 3.0 public documents and credential status over a real `laurel serve`: the Profile and
Achievement the credential names, its key resolved by HTTP (kid -> Profile verification method,
and the JWK Set with PyJWT's PyJWKClient), and the status list, whose bit flips when the
assertion is revoked through the REST API. Caching headers and conditional requests."""

from __future__ import annotations

import base64
import gzip
import json

import httpx
import jwt
import laurel
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from rest_helpers import award, failed, new_badgeclass, new_issuer, ok


def _claims(token: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def _bit(encoded: str, index: int) -> bool:
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) >= 16384
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def _key_by_kid(kid: str):
    """The public key a kid names, dereferenced by HTTP: the Profile, then the method."""
    profile = httpx.get(kid.split("#")[0], timeout=30)
    assert profile.status_code == 200
    assert profile.headers["content-type"].startswith("application/ld+json")
    methods = {method["id"]: method for method in profile.json()["verificationMethod"]}
    assert kid in profile.json()["assertionMethod"]
    return jwt.PyJWK(methods[kid]["publicKeyJwk"])


def test_credential_ids_keys_and_status_resolve_over_http(server, alice):
    issuer = new_issuer(alice, "OB3 U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Rust 101")
    assertion = award(alice, badgeclass["entityId"], "ada@example.org")
    with server.open_store() as store:
        token = store.credential(assertion["entityId"], server.url)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    key = _key_by_kid(header["kid"])
    claims = jwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})
    profile_url = f"{server.url}/public/ob3/issuers/{issuer['entityId']}"
    assert claims["iss"] == profile_url == claims["issuer"]["id"]
    # The same key through the JWK Set, as JOSE libraries look keys up.
    jwks = jwt.PyJWKClient(f"{profile_url}/jwks")
    assert jwt.decode(token, key=jwks.get_signing_key_from_jwt(token),
                      algorithms=["EdDSA"])["jti"] == claims["jti"]

    achievement = claims["credentialSubject"]["achievement"]
    served = httpx.get(achievement["id"], timeout=30).json()
    assert served["id"] == achievement["id"] and served["name"] == "Rust 101"
    assert "Achievement" in served["type"] and served["@context"][0].endswith("/credentials/v2")
    profile = httpx.get(profile_url, timeout=30).json()
    assert profile["name"] == "OB3 U" and "Profile" in profile["type"]

    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    index = int(status["statusListIndex"])
    assert status["id"] == f"{status['statusListCredential']}#{index}"
    assert status["statusListCredential"].startswith(f"{profile_url}/status/")

    listed = httpx.get(status["statusListCredential"], timeout=30)
    assert listed.status_code == 200
    assert listed.headers["content-type"].startswith("application/vc+jwt")
    assert listed.headers["cache-control"] == "public, max-age=60"
    assert listed.headers["access-control-allow-origin"] == "*"
    etag = listed.headers["etag"]
    status_claims = jwt.decode(listed.text, key=_key_by_kid(jwt.get_unverified_header(
        listed.text)["kid"]), algorithms=["EdDSA"])
    assert status_claims["id"] == status["statusListCredential"]
    assert status_claims["issuer"] == profile_url
    assert "BitstringStatusListCredential" in status_claims["type"]
    assert not _bit(status_claims["credentialSubject"]["encodedList"], index)
    unchanged = httpx.get(status["statusListCredential"], headers={"If-None-Match": etag},
                          timeout=30)
    assert unchanged.status_code == 304 and unchanged.headers["etag"] == etag

    with alice.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    changed = httpx.get(status["statusListCredential"], headers={"If-None-Match": etag},
                        timeout=30)
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert _bit(_claims(changed.text)["credentialSubject"]["encodedList"], index)


def test_unknown_ob3_documents_are_404(server, alice):
    issuer = new_issuer(alice, "OB3 404 U")
    base = f"{server.url}/public/ob3"
    for path in ("/issuers/AAAAAAAAAAAAAAAAAAAAAA", "/achievements/AAAAAAAAAAAAAAAAAAAAAA",
                 "/issuers/AAAAAAAAAAAAAAAAAAAAAA/jwks",
                 f"/issuers/{issuer['entityId']}/status/AAAAAAAAAAA",
                 f"/issuers/{issuer['entityId']}/status/..%2F..",
                 "/issuers/AAAAAAAAAAAAAAAAAAAAAA/status/AAAAAAAAAAA"):
        failed(httpx.get(base + path, timeout=30), 404)


def test_es256_credential_verifies_with_pyjwt_cryptography_and_laurel_over_http(server, alice):
    """Issue 11: an ES256 VC-JWT whose kid resolves over HTTP to the issuer's P-256 JWK."""
    issuer = new_issuer(alice, "ES256 U")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "Curves 101")
    assertion = award(alice, badgeclass["entityId"], "ada@example.org")
    with server.open_store() as store:
        token = store.credential(assertion["entityId"], server.url, alg="ES256")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256"
    profile_url = f"{server.url}/public/ob3/issuers/{issuer['entityId']}"
    key = _key_by_kid(header["kid"])  # the Profile's JsonWebKey verification method
    claims = jwt.decode(token, key=key, algorithms=["ES256"])
    assert claims["iss"] == profile_url
    jwks = jwt.PyJWKClient(f"{profile_url}/jwks")
    assert jwt.decode(token, key=jwks.get_signing_key_from_jwt(token),
                      algorithms=["ES256"])["jti"] == claims["jti"]

    # The signature is the JOSE r || s, checked with `cryptography` directly.
    (jwk,) = [item for item in httpx.get(f"{profile_url}/jwks", timeout=30).json()["keys"]
              if item["kid"] == header["kid"]]
    assert (jwk["kty"], jwk["crv"], jwk["alg"]) == ("EC", "P-256", "ES256")
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_unb64(jwk["x"]), "big"), int.from_bytes(_unb64(jwk["y"]), "big"),
        ec.SECP256R1())
    signing_input, signature = token.rsplit(".", 1)
    raw = _unb64(signature)
    assert len(raw) == 64
    numbers.public_key().verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        signing_input.encode(), ec.ECDSA(hashes.SHA256()))

    # One changed character of the claims fails everywhere.
    head, body, tail = token.split(".")
    claims_text = _unb64(body).decode().replace("Curves 101", "Curves 102")
    tampered = f"{head}.{base64.urlsafe_b64encode(claims_text.encode()).rstrip(b'=').decode()}" \
               f".{tail}"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, key=key, algorithms=["ES256"])

    # Laurel's verifier, the documents fetched over HTTP as a verifier does.
    # (The list first: signing it gives the issuer its EdDSA key, which the Profile then lists.)
    status_url = claims["credentialStatus"]["statusListCredential"]
    status_list = httpx.get(status_url, timeout=30).text
    documents = {status_url: status_list, profile_url: httpx.get(profile_url, timeout=30).json()}
    report = laurel.verify(token, documents=documents, recipient="ada@example.org")
    assert report["valid"] is True, report["errors"]
    signature_check = [c for c in report["checks"] if c["name"] == "signature"][0]
    assert signature_check["ok"] and signature_check["message"].startswith("ES256")
    assert laurel.verify(tampered, documents=documents)["valid"] is False

    # The same over REST, and bad algs are a 400 naming the field.
    served = httpx.get(f"{server.url}/public/assertions/{assertion['entityId']}/credential",
                       params={"alg": "ES256"}, timeout=30)
    assert served.status_code == 200
    assert jwt.get_unverified_header(served.text)["kid"] == header["kid"]
    assert jwt.decode(served.text, key=key, algorithms=["ES256"])["jti"] == claims["jti"]
    for params in ({"alg": "HS256"}, {"alg": "ES256", "format": "data-integrity"}):
        refused = httpx.get(f"{server.url}/public/assertions/{assertion['entityId']}/credential",
                            params=params, timeout=30)
        assert refused.status_code == 400 and "alg" in refused.text


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
