"""Public Open Badges 2.0 documents (no authentication), images and baking, /docs and /verify."""

from __future__ import annotations

from pathlib import Path

import httpx
import laurel

from rest_helpers import (PNG_1X1, PNG_DATA_URI, award, failed, needs_documents, needs_verifier,
                          new_badgeclass, new_issuer, ok)

OB2 = "https://w3id.org/openbadges/v2"
REPO = Path(__file__).resolve().parents[3]


def _published(user):
    issuer = new_issuer(user, "Public U", image=PNG_DATA_URI)
    badgeclass = new_badgeclass(user, issuer["entityId"], "Public Badge", image=PNG_DATA_URI)
    assertion = award(user, badgeclass["entityId"], "public@example.org")
    return issuer, badgeclass, assertion


@needs_documents
def test_documents_are_ob2_json_ld_with_ids_under_the_public_url(server, alice):
    issuer, badgeclass, assertion = _published(alice)
    for kind, entity in (("issuers", issuer), ("badges", badgeclass),
                         ("assertions", assertion)):
        response = httpx.get(f"{server.url}/public/{kind}/{entity['entityId']}", timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/ld+json")
        document = response.json()
        assert document["@context"] == OB2
        assert document["id"] == entity["openBadgeId"]
    document = httpx.get(assertion["openBadgeId"], timeout=30).json()
    assert document["badge"] == badgeclass["openBadgeId"]
    assert document["verification"]["type"].lower() in ("hosted", "hostedbadge")


@needs_documents
def test_unknown_public_ids_are_404(server):
    for path in ("/public/issuers/AAAAAAAAAAAAAAAAAAAAAA", "/public/badges/nope",
                 "/public/assertions/AAAAAAAAAAAAAAAAAAAAAA",
                 "/public/assertions/AAAAAAAAAAAAAAAAAAAAAA/image",
                 "/public/collections/no-such-share"):
        failed(httpx.get(f"{server.url}{path}", timeout=30), 404)


@needs_verifier
def test_a_hosted_badge_verifies_with_the_engine_from_its_public_documents(server, alice):
    issuer, badgeclass, assertion = _published(alice)
    documents = {}
    for url in (assertion["openBadgeId"], badgeclass["openBadgeId"], issuer["openBadgeId"],
                f"{issuer['openBadgeId']}/revocations"):
        documents[url] = httpx.get(url, timeout=30).text
    report = laurel.verify(documents[assertion["openBadgeId"]], documents=documents,
                           recipient="public@example.org")
    assert report["valid"] is True, report["errors"]
    assert report["recipientMatch"] is True


@needs_documents
def test_revoked_assertions_are_in_the_revocation_list(server, alice):
    issuer, _, assertion = _published(alice)
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                          json={"revocation_reason": "Issued in error"}))
    revocations = httpx.get(f"{server.url}/public/issuers/{issuer['entityId']}/revocations",
                            timeout=30).json()
    assert revocations["@context"] == OB2
    assert assertion["openBadgeId"] in str(revocations)


@needs_verifier
def test_images_are_served_and_assertions_baked(server, alice):
    issuer, badgeclass, assertion = _published(alice)
    for url in (f"{issuer['openBadgeId']}/image", f"{badgeclass['openBadgeId']}/image"):
        response = httpx.get(url, timeout=30)
        assert response.status_code == 200 and response.content == PNG_1X1
        assert response.headers["content-type"] == "image/png"
    baked = httpx.get(f"{assertion['openBadgeId']}/baked", timeout=30)
    assert baked.status_code == 200 and baked.content.startswith(b"\x89PNG")
    unbaked = laurel.unbake(baked.content)
    embedded = unbaked if isinstance(unbaked, dict) else {}
    assert embedded.get("id") == assertion["openBadgeId"] or \
        assertion["openBadgeId"] in str(unbaked)
    image = httpx.get(assertion["image"], timeout=30)
    assert image.status_code == 200 and image.content == baked.content


def test_remote_images_redirect_and_cannot_be_baked(server, alice):
    issuer = new_issuer(alice, "Remote Image U", image="https://cdn.example.org/logo.png")
    badgeclass = new_badgeclass(alice, issuer["entityId"], image="https://cdn.example.org/b.png")
    assertion = award(alice, badgeclass["entityId"], "remote@example.org")
    response = httpx.get(f"{badgeclass['openBadgeId']}/image", timeout=30)
    assert response.status_code == 302
    assert response.headers["location"] == "https://cdn.example.org/b.png"
    failed(httpx.get(f"{assertion['openBadgeId']}/baked", timeout=30), 404)


def test_openapi_docs_and_verify_page(server):
    docs = httpx.get(f"{server.url}/docs", timeout=30)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    for path in ("/o/token", "/v2/issuers", "/v2/badgeclasses/{entity_id}/issue",
                 "/v2/assertions/revoke", "/v2/backpack/import", "/public/assertions/{entity_id}"):
        assert path in spec["paths"], path
    assert "OAuth2PasswordBearer" in spec["components"]["securitySchemes"]
    widget = REPO / "web-demo"
    built = (widget / "index.html").is_file() and (widget / "laurel" / "laurel.mjs").is_file()
    verify = httpx.get(f"{server.url}/verify", timeout=30, follow_redirects=True)
    if built:  # `make wasm` ran in this checkout: the widget is served, relative paths work
        assert verify.status_code == 200 and "<html" in verify.text.lower()
        assert str(verify.url).endswith("/verify/")
        module = httpx.get(f"{server.url}/verify/laurel/laurel.mjs", timeout=30)
        assert module.status_code == 200
        assert module.headers["content-type"].startswith("text/javascript")
    else:
        failed(verify, 404)


@needs_documents
def test_issuer_keys_are_published(server, alice):
    issuer = new_issuer(alice, "Keyed U")
    with server.open_store() as store:  # keys are made with the Python API or the CLI
        key = store.create_key(issuer["entityId"], "EdDSA")
    keys = httpx.get(f"{issuer['openBadgeId']}/keys", timeout=30)
    assert keys.status_code == 200, keys.text
    [document] = keys.json()
    assert document["owner"] == issuer["openBadgeId"]
    assert "BEGIN PUBLIC KEY" in document["publicKeyPem"]
    one = httpx.get(document["id"], timeout=30)
    assert one.status_code == 200 and one.json() == document
    assert key["keyId"] in document["id"]
    failed(httpx.get(f"{server.url}/public/issuers/AAAAAAAAAAAAAAAAAAAAAA/keys", timeout=30), 404)
