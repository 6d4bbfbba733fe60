"""Public keys as JWKs (RFC 7517): the issuer's published keys, which the core describes as PEM
SubjectPublicKeyInfo (``publicKeyPem``), rewritten as JSON Web Keys for JOSE tooling.

This is a change of encoding only (DER fields to base64url), no cryptography: Ed25519 keys
become ``{"kty": "OKP", "crv": "Ed25519", "x"}`` (RFC 8037) and RSA keys ``{"kty": "RSA", "n",
"e"}`` (RFC 7518 §6.3.1).
"""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Tuple

from .errors import ValidationError

__all__ = ["pem_to_jwk", "issuer_jwks"]

# DER-encoded OIDs of the two algorithms the core signs with.
_OID_ED25519 = bytes.fromhex("2b6570")  # 1.3.101.112
_OID_RSA = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _tlv(data: bytes, offset: int) -> Tuple[int, bytes, int]:
    """(tag, contents, next offset) of the DER element at `offset`."""
    if offset + 2 > len(data):
        raise ValidationError("truncated DER", field="publicKeyPem")
    tag, length = data[offset], data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise ValidationError("bad DER length", field="publicKeyPem")
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise ValidationError("truncated DER", field="publicKeyPem")
    return tag, data[offset:offset + length], offset + length


def _children(contents: bytes) -> List[Tuple[int, bytes]]:
    items, offset = [], 0
    while offset < len(contents):
        tag, value, offset = _tlv(contents, offset)
        items.append((tag, value))
    return items


def _unsigned(value: bytes) -> bytes:
    return value.lstrip(b"\x00") or b"\x00"


def pem_to_jwk(pem: str) -> Dict[str, Any]:
    """The JWK of a PEM ``PUBLIC KEY`` (Ed25519 or RSA). Raises ValidationError (field
    ``publicKeyPem``) for anything else."""
    lines = [line.strip() for line in pem.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN PUBLIC KEY-----" or \
            lines[-1] != "-----END PUBLIC KEY-----":
        raise ValidationError("not a PEM public key", field="publicKeyPem")
    try:
        der = base64.b64decode("".join(lines[1:-1]), validate=True)
    except ValueError:
        raise ValidationError("not a PEM public key", field="publicKeyPem") from None
    tag, spki, _ = _tlv(der, 0)
    parts = _children(spki) if tag == 0x30 else []
    if len(parts) != 2 or parts[0][0] != 0x30 or parts[1][0] != 0x03:
        raise ValidationError("not a SubjectPublicKeyInfo", field="publicKeyPem")
    algorithm = _children(parts[0][1])
    oid = algorithm[0][1] if algorithm and algorithm[0][0] == 0x06 else b""
    bits = parts[1][1]
    if not bits or bits[0] != 0:
        raise ValidationError("bad public key bits", field="publicKeyPem")
    key = bits[1:]
    if oid == _OID_ED25519 and len(key) == 32:
        return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(key)}
    if oid == _OID_RSA:
        tag, rsa, _ = _tlv(key, 0)
        numbers = _children(rsa) if tag == 0x30 else []
        if len(numbers) == 2 and all(item[0] == 0x02 for item in numbers):
            return {"kty": "RSA", "n": _b64url(_unsigned(numbers[0][1])),
                    "e": _b64url(_unsigned(numbers[1][1]))}
    raise ValidationError("not an Ed25519 or RSA public key", field="publicKeyPem")


def issuer_jwks(store: Any, issuer_id: str, *, include_retired: bool = True) -> Dict[str, Any]:
    """The issuer's keys as a JWK Set ``{"keys": [...]}``, each with ``kid`` (the keyId),
    ``alg`` and ``use: "sig"``. Raises NotFound (issuer)."""
    keys = []
    for key in store.list_keys(issuer_id):
        if key.get("retiredAt") and not include_retired:
            continue
        keys.append({**pem_to_jwk(key["publicKeyPem"]), "kid": key["keyId"], "alg": key["alg"],
                     "use": "sig"})
    return {"keys": keys}
