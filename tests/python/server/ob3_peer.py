"""A peer platform for the OB 3.0 API tests: another implementation's issuer, made here with
PyJWT and `cryptography`, whose Profile and key documents a stdlib HTTP server publishes on
loopback. Its VC-JWTs are what a wallet would push into Laurel."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Optional

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

OB3_CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


class Peer:
    """An issuer on http://127.0.0.1:PORT: /issuer (its Profile, listing its key) and /key (a
    CryptographicKey with the Ed25519 public key)."""

    def __init__(self) -> None:
        self._key = ed25519.Ed25519PrivateKey.generate()
        documents: Dict[str, bytes] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                body = documents.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/ld+json")
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.issuer_url, self.key_url = f"{self.url}/issuer", f"{self.url}/key"
        pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        documents["/issuer"] = json.dumps({
            "@context": "https://w3id.org/openbadges/v2", "type": "Issuer",
            "id": self.issuer_url, "name": "Peer College", "url": self.url,
            "email": "registrar@peer.example", "publicKey": [self.key_url]}).encode()
        documents["/key"] = json.dumps({
            "@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
            "id": self.key_url, "owner": self.issuer_url, "publicKeyPem": pem}).encode()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def credential(self, email: str, name: str = "Peer Achievement",
                   valid_from: str = "2025-03-04T05:06:07Z",
                   credential_id: Optional[str] = None) -> str:
        """An OpenBadgeCredential for `email` (hashed and salted) as a VC-JWT; a new
        ``urn:uuid:`` id unless `credential_id` is given (a re-issue)."""
        salt = secrets.token_hex(8)
        identity = "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()
        credential_id = credential_id or f"urn:uuid:{uuid.uuid4()}"
        claims = {
            "@context": OB3_CONTEXTS, "id": credential_id,
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.issuer_url, "type": ["Profile"], "name": "Peer College"},
            "name": name, "validFrom": valid_from,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{"type": "IdentityObject", "hashed": True, "salt": salt,
                                "identityHash": identity, "identityType": "emailAddress"}],
                "achievement": {"id": f"{self.url}/achievements/1", "type": ["Achievement"],
                                "name": name, "description": "Done elsewhere",
                                "criteria": {"narrative": "Passed the peer's exam"}}},
            "iss": self.issuer_url, "jti": credential_id,
            "nbf": int(datetime.fromisoformat(valid_from.replace("Z", "+00:00")).timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm="EdDSA",
                          headers={"kid": self.key_url, "typ": "JWT"})

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
