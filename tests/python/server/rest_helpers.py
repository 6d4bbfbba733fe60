"""Helpers for the REST tests: start and stop real `laurel serve` processes (uvicorn) on
loopback over a real LMDB store, make accounts (confirming their email through the server's
outbox), get tokens, and check Badgr envelopes."""

from __future__ import annotations

import base64
import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import httpx
import laurel
import pytest
from pg_cluster import PASSPHRASE as PG_PASSPHRASE

PASSWORD = "correct horse battery staple"
# A 1x1 PNG, as a data: URI (badge images stored in the store can be served and baked).
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
PNG_DATA_URI = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()


# Public documents, verification and baking come from the engine's issue-4 surface
# (Store.public_document, laurel.verify, laurel.bake/unbake); the tests that need it wait for it.
HAS_DOCUMENTS = hasattr(laurel.Store, "public_document")
HAS_VERIFIER = all(hasattr(laurel, name) for name in ("verify", "bake", "unbake"))
needs_documents = pytest.mark.skipif(not HAS_DOCUMENTS,
                                     reason="laurel.Store.public_document is not in this build")
needs_verifier = pytest.mark.skipif(not (HAS_DOCUMENTS and HAS_VERIFIER),
                                    reason="laurel.verify/bake/unbake are not in this build")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    data: Any  # the store: an LMDB directory (Path) or a database URL (str)
    process: subprocess.Popen
    log: Path
    outbox: Path
    env: Dict[str, str]

    def open_store(self) -> laurel.Store:
        """The server's store, opened from this process (with the server's passphrase)."""
        return laurel.Store(self.data, passphrase=self.env.get("LAUREL_PASSPHRASE") or None)

    def client(self, token: Optional[str] = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def mails_to(self, address: str) -> List[email.message.Message]:
        found = []
        for path in sorted(self.outbox.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if str(message["To"]) == address:
                found.append(message)
        return found


def start_server(tmp: Path, *, workers: int = 2, env: Optional[Dict[str, str]] = None,
                 args: Sequence[str] = (), data: Optional[str] = None,
                 port: Optional[int] = None) -> Server:
    """`laurel serve` on loopback over `data`: a database URL (mail then goes to tmp/outbox,
    keys under the tests' passphrase), by default the LMDB directory tmp/data."""
    port = port or _free_port()
    location: Any = data if data is not None else tmp / "data"
    tmp.mkdir(parents=True, exist_ok=True)
    log = tmp / "server.log"
    own_env = dict(env or {})
    if laurel.is_database_url(str(location)):
        own_env.setdefault("LAUREL_OUTBOX", str(tmp / "outbox"))
        own_env.setdefault("LAUREL_PASSPHRASE", PG_PASSPHRASE)
        if "--read-only" not in args:
            # `laurel init` first, as docs/deploy.md says: workers opening an empty schema at
            # the same moment race to create it (a core limitation, reported).
            laurel.init_store(str(location))
    environment = dict(os.environ)
    environment.update(own_env)
    # Cheaper Argon2 than production so sign-ups and logins do not dominate the suite; the
    # algorithm (Argon2id) and the code path are the same.
    environment.setdefault("LAUREL_ARGON2_TIME_COST", "1")
    environment.setdefault("LAUREL_ARGON2_MEMORY_KIB", "8192")
    environment.setdefault("LAUREL_ARGON2_PARALLELISM", "1")
    command = [sys.executable, "-m", "laurel", "--data", str(location), "serve", "--host",
               "127.0.0.1", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning", *args]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   env=environment)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"laurel serve exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"laurel serve did not start:\n{log.read_text()}")
        time.sleep(0.1)
    outbox = Path(own_env.get("LAUREL_OUTBOX") or Path(location) / "outbox")
    return Server(url=url, data=location, process=process, log=log, outbox=outbox, env=own_env)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    text = server.log.read_text(errors="replace")
    # A 500 or a traceback anywhere in the run is a bug, whatever the tests saw.
    assert "Traceback" not in text, text[-4000:]


@dataclass
class User:
    server: Server
    email: str
    password: str
    entity_id: str
    token: str
    refresh: str

    def client(self, token: Optional[str] = None) -> httpx.Client:
        return self.server.client(token or self.token)


def unique_email(name: str = "user") -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.org"


def login(server: Server, address: str, password: str = PASSWORD,
          scope: Optional[str] = None) -> httpx.Response:
    form = {"grant_type": "password", "username": address, "password": password}
    if scope is not None:
        form["scope"] = scope
    return httpx.post(f"{server.url}/o/token", data=form, timeout=30)


def token_for(server: Server, address: str, scope: str) -> str:
    response = login(server, address, scope=scope)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def confirm_email(server: Server, address: str) -> None:
    mails = server.mails_to(address)
    assert mails, f"no confirmation mail to {address}"
    body = mails[-1].get_payload(decode=True).decode()
    link = re.search(r"/v1/user/confirmemail/(\S+)", body)
    assert link, body
    response = httpx.get(f"{server.url}/v1/user/confirmemail/{link.group(1)}", timeout=30)
    assert response.status_code == 200, response.text


def make_user(server: Server, name: str = "user", *, confirm: bool = True,
              address: Optional[str] = None) -> User:
    address = address or unique_email(name)
    response = httpx.post(f"{server.url}/v2/users",
                          json={"email": address, "password": PASSWORD, "firstName": name.title(),
                                "lastName": "Tester"}, timeout=30)
    assert response.status_code == 201, response.text
    user_id = response.json()["result"][0]["entityId"]
    if confirm:
        confirm_email(server, address)
    tokens = login(server, address)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return User(server, address, PASSWORD, user_id, body["access_token"], body["refresh_token"])


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The envelope's result after checking the status and the envelope's shape."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    if status == 204:
        assert response.content == b""
        return None
    body = response.json()
    assert body["status"]["success"] is True
    for key in ("result", "validationErrors", "fieldErrors", "nonFieldErrors", "errorCode",
                "timestamp", "warnings"):
        assert key in body
    return body["result"]


def failed(response: httpx.Response, status: int) -> Dict[str, Any]:
    """The error envelope after checking the status."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    body = response.json()
    assert body["status"]["success"] is False
    assert body["result"] == []
    return body


def stored_emails(profile: Dict[str, Any]) -> List[Dict[str, Any]]:
    """A BadgeUser's emails as stored ({email, verified, primary}), without the ids and case
    variants each CachedEmailAddress also carries."""
    return [{key: item[key] for key in ("email", "verified", "primary")}
            for item in profile["emails"]]


def new_issuer(user: User, name: str = "Example University", **extra: Any) -> Dict[str, Any]:
    with user.client() as client:
        return ok(client.post("/v2/issuers", json={"name": name, "email": "badges@example.edu",
                                                    "url": "https://example.edu", **extra}),
                  201)[0]


def new_badgeclass(user: User, issuer_id: str, name: str = "Python 101",
                   **extra: Any) -> Dict[str, Any]:
    body = {"name": name, "description": "Finished the course",
            "criteriaUrl": "https://example.edu/python-101", **extra}
    with user.client() as client:
        return ok(client.post(f"/v2/issuers/{issuer_id}/badgeclasses", json=body), 201)[0]


def award(user: User, badgeclass_id: str, identity: str, **extra: Any) -> Dict[str, Any]:
    body = {"recipient": {"identity": identity, "type": "email", "hashed": True}, **extra}
    with user.client() as client:
        return ok(client.post(f"/v2/badgeclasses/{badgeclass_id}/assertions", json=body),
                  201)[0]
