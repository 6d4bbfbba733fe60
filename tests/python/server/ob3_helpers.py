"""Helpers for the OB 3.0 API tests: a client registered by RFC 7591, the authorization code
flow with PKCE driven as a browser would (the sign-in form), and token requests with HTTP Basic
client authentication."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import tempfile
from dataclasses import dataclass
from typing import Any, Dict, Optional
from urllib.parse import parse_qs, urlsplit

import httpx
import laurel
import pytest

from rest_helpers import HAS_VERIFIER, Server, User

API = "/ims/ob/v3p0"
SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ = SCOPE + "credential.readonly"
UPSERT = SCOPE + "credential.upsert"
PROFILE_READ = SCOPE + "profile.readonly"
PROFILE_UPDATE = SCOPE + "profile.update"
ALL_SCOPES = " ".join([READ, UPSERT, PROFILE_READ, PROFILE_UPDATE])
REDIRECT = "http://127.0.0.1:9/callback"  # never fetched: the tests read the Location header


@dataclass
class Client:
    server: Server
    client_id: str
    client_secret: str
    redirect_uris: list

    @property
    def basic(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.client_id, self.client_secret)


def register(server: Server, scope: str = ALL_SCOPES + " offline_access",
             redirect_uris: Optional[list] = None, **extra: Any) -> Client:
    body = {"client_name": "Test Wallet", "client_uri": "https://wallet.example.org/",
            "redirect_uris": redirect_uris or [REDIRECT], "scope": scope,
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1", "software_version": "1.0",
            **extra}
    response = httpx.post(f"{server.url}{API}/oauth/register", json=body, timeout=30)
    assert response.status_code == 201, response.text
    data = response.json()
    return Client(server, data["client_id"], data["client_secret"], data["redirect_uris"])


def pkce() -> tuple:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization_params(client: Client, challenge: str, scope: str = ALL_SCOPES,
                         redirect_uri: str = REDIRECT, state: str = "s-123",
                         method: str = "S256") -> Dict[str, str]:
    return {"response_type": "code", "client_id": client.client_id, "redirect_uri": redirect_uri,
            "scope": scope, "state": state, "code_challenge": challenge,
            "code_challenge_method": method}


def sign_in(server: Server, params: Dict[str, str], user: User, decision: str = "allow",
            password: Optional[str] = None) -> httpx.Response:
    """The user's browser: shows the authorization page, then posts its form."""
    page = httpx.get(f"{server.url}{API}/oauth/authorize", params=params, timeout=30)
    assert page.status_code == 200, page.text
    assert "<form" in page.text and "password" in page.text
    form = dict(params, username=user.email, password=password or user.password,
                decision=decision)
    return httpx.post(f"{server.url}{API}/oauth/authorize", data=form, timeout=30)


def redirected(response: httpx.Response) -> Dict[str, str]:
    """The query of the 302 back to the client."""
    assert response.status_code == 302, f"{response.status_code}: {response.text}"
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?") or "?" in location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange(client: Client, code: str, verifier: str,
             redirect_uri: str = REDIRECT, auth: Any = None) -> httpx.Response:
    return httpx.post(f"{client.server.url}{API}/oauth/token",
                      data={"grant_type": "authorization_code", "code": code,
                            "redirect_uri": redirect_uri, "code_verifier": verifier},
                      auth=auth or client.basic, timeout=30)


def tokens_for(client: Client, user: User, scope: str = ALL_SCOPES) -> Dict[str, Any]:
    """The whole authorization code flow; the token response."""
    verifier, challenge = pkce()
    query = redirected(sign_in(client.server, authorization_params(client, challenge, scope),
                               user))
    response = exchange(client, query["code"], verifier)
    assert response.status_code == 200, response.text
    return response.json()


def api(server: Server, token: Optional[str]) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{server.url}{API}", headers=headers, timeout=30)


def jws_payload(jws: str) -> Dict[str, Any]:
    part = jws.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def jws_header(jws: str) -> Dict[str, Any]:
    part = jws.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def status_info(response: httpx.Response, status: int) -> Dict[str, Any]:
    """The Imsx_StatusInfo body of an OB 3.0 API error, after checking the status."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] in ("error", "status")
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
    return body


def minor(body: Dict[str, Any]) -> str:
    return body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def _verifies_laurel_vc_jwts() -> bool:
    """Whether laurel.verify accepts a VC-JWT of Laurel's given the documents its ids lead to
    (the issuer's OB 3.0 Profile, where the header kid's key is): issue 11's verifier work."""
    if not HAS_VERIFIER or not hasattr(laurel.Store, "credential"):
        return False
    base = "https://badges.example.org"
    with tempfile.TemporaryDirectory() as folder:
        store = laurel.Store(folder)
        try:
            issuer = store.create_issuer("Probe", "probe@example.org", "https://example.org")
            badge = store.create_badgeclass(issuer.entity_id, "Probe", "probe")
            token = store.credential(store.issue(badge.entity_id, "a@example.org").entity_id,
                                     base)
            payload = jws_payload(token)
            documents = {}
            for url in (payload["issuer"]["id"], payload["credentialSubject"]["achievement"]["id"]):
                path = url[len(base):].split("/")
                kind = "ob3_issuer" if path[-2] == "issuers" else "ob3_achievement"
                documents[url] = store.public_document(kind, path[-1], base)
            return bool(laurel.verify(token, documents=documents)["valid"])
        except (laurel.Error, KeyError, TypeError):
            return False
        finally:
            store.close()


needs_vc_jwt_verifier = pytest.mark.skipif(
    not _verifies_laurel_vc_jwts(),
    reason="laurel.verify does not resolve the key of Laurel's VC-JWTs (kid -> OB 3.0 Profile "
           "verification method) in this build")
