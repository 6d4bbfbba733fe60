"""Issuer public keys as PEM and JWK: the staff listing and the public JWK Set, checked against
PyJWT and cryptography reading the same keys; wrong roles and unknown issuers see nothing."""

from __future__ import annotations

import json

import httpx
import jwt
import laurel
from cryptography.hazmat.primitives.serialization import (Encoding, PublicFormat,
                                                          load_pem_public_key)

from rest_helpers import failed, make_user, new_issuer, ok


def _same_key(pem: str, jwk: dict) -> bool:
    from_pem = load_pem_public_key(pem.encode())
    if jwk["kty"] == "RSA":
        return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk)).public_numbers() == \
            from_pem.public_numbers()
    from_jwk = jwt.algorithms.OKPAlgorithm.from_jwk(json.dumps(jwk))
    return from_jwk.public_bytes(Encoding.Raw, PublicFormat.Raw) == \
        from_pem.public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_keys_are_served_as_pem_and_jwk(server, alice):
    issuer = new_issuer(alice, "JWK U")
    with server.open_store() as store:  # keys are made with the Python API or the CLI
        first = store.create_key(issuer["entityId"], "EdDSA")
        rsa = store.create_key(issuer["entityId"], "RS256")
        second = store.rotate_key(issuer["entityId"], "EdDSA")
    with alice.client() as client:
        keys = ok(client.get(f"/v2/issuers/{issuer['entityId']}/keys"))
    # Keys made within one second may list in either order: compare by id.
    by_id = {key["keyId"]: key for key in keys}
    assert set(by_id) == {first["keyId"], rsa["keyId"], second["keyId"]}
    assert by_id[first["keyId"]]["retiredAt"] and by_id[second["keyId"]]["retiredAt"] is None
    for key in keys:
        assert key["jwk"]["kid"] == key["keyId"] and key["jwk"]["use"] == "sig"
        assert key["jwk"]["kty"] == ("RSA" if key["alg"] == "RS256" else "OKP")
        assert _same_key(key["publicKeyPem"], key["jwk"])
        assert key["openBadgeId"] == f"{server.url}/public/keys/{key['keyId']}"
        assert httpx.get(key["openBadgeId"], timeout=30).json()["publicKeyPem"] == \
            key["publicKeyPem"]
    jwks = httpx.get(f"{server.url}/public/issuers/{issuer['entityId']}/jwks", timeout=30)
    assert jwks.status_code == 200
    assert jwks.headers["content-type"].startswith("application/jwk-set+json")
    assert jwks.json() == {"keys": [key["jwk"] for key in keys]}
    for key in jwks.json()["keys"]:  # public members only: no "d", "p", "q", ...
        assert set(key) <= {"kty", "crv", "x", "n", "e", "kid", "alg", "use"}


def test_keys_of_an_issuer_without_keys_and_wrong_callers(server, alice, bob):
    issuer = new_issuer(alice, "Keyless U")
    with alice.client() as client:
        assert ok(client.get(f"/v2/issuers/{issuer['entityId']}/keys")) == []
    assert httpx.get(f"{server.url}/public/issuers/{issuer['entityId']}/jwks",
                     timeout=30).json() == {"keys": []}
    failed(httpx.get(f"{server.url}/public/issuers/AAAAAAAAAAAAAAAAAAAAAA/jwks", timeout=30), 404)
    failed(httpx.get(f"{server.url}/public/issuers/%20/jwks", timeout=30), 404)
    with bob.client() as client:
        assert failed(client.get(f"/v2/issuers/{issuer['entityId']}/keys"),
                      404)["nonFieldErrors"] == ["Issuer not found"]
    with server.client() as client:
        failed(client.get(f"/v2/issuers/{issuer['entityId']}/keys"), 401)
    staff = make_user(server, "keystaff")
    with alice.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}",
                      json={"staff": [{"user": alice.entity_id, "role": "owner"},
                                      {"user": staff.entity_id, "role": "staff"}]}))
    with staff.client() as client:
        assert ok(client.get(f"/v2/issuers/{issuer['entityId']}/keys")) == []


def test_pem_to_jwk_refuses_what_is_not_a_public_key():
    from laurel.jwk import pem_to_jwk

    for bad in ("", "hello", "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----",
                "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----",
                "-----BEGIN PUBLIC KEY-----\nMAUGAytlcA==\n-----END PUBLIC KEY-----"):
        try:
            pem_to_jwk(bad)
        except laurel.ValidationError as error:
            assert error.field == "publicKeyPem"
        else:
            raise AssertionError(f"accepted {bad!r}")


def test_cli_prints_the_jwk_set(cli_store):
    cli, issuer_id, _ = cli_store
    assert cli.ok_json("jwks", issuer_id) == {"keys": []}
    assert cli("keys", "create", "--issuer", issuer_id, "--alg", "EdDSA").code == 0
    assert cli("keys", "rotate", "--issuer", issuer_id, "--alg", "EdDSA").code == 0
    listed = cli.ok_list("keys", "list", "--issuer", issuer_id)
    every = cli.ok_json("jwks", issuer_id)["keys"]
    assert [key["kid"] for key in every] == [key["keyId"] for key in listed]
    assert len(every) == 2 and all(key["crv"] == "Ed25519" for key in every)
    assert [key["kid"] for key in cli.ok_json("jwks", issuer_id, "--active")["keys"]] == [
        key["keyId"] for key in listed if not key["retiredAt"]]
    missing = cli("jwks", "AAAAAAAAAAAAAAAAAAAAAA")
    assert missing.code == 1 and "Traceback" not in missing.err
