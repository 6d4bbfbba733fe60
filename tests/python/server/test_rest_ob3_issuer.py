"""An issuer's Open Badges 3.0 settings over a real `laurel serve` behind a public HTTPS base
(``--public-url``, as behind a reverse proxy): a did:web issuer whose DID document the service
serves at the did:web resolution path, its credentials (VC-JWT and Data Integrity) verified by
Laurel with every document fetched from the server over HTTP, by PyJWT with the key read from
the DID document, and by `openbadgeslib` resolving the did:web itself; the status list as a Data
Integrity credential (content negotiation and ``?format=``); the 1EdTechRevocationList form;
and a recipient named by a DID next to the hashed email, from the award to the backpack."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator

import httpx
import jwt
import laurel
import pytest

from rest_helpers import (Server, User, failed, make_user, new_badgeclass, new_issuer, ok,
                          start_server, stop_server)

# The public base the credentials name; requests under it reach the server on loopback.
PUBLIC = "https://badges.example.edu:8443/laurel"
LEARNER_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("proxied"), workers=1,
                           args=["--public-url", PUBLIC])
    yield running
    stop_server(running)


@pytest.fixture(scope="module")
def carol(proxied: Server) -> User:
    return make_user(proxied, "carol")


def _local(server: Server, url: str) -> str:
    """The loopback URL of a public URL (what the reverse proxy would do)."""
    assert url.startswith(PUBLIC + "/"), url
    return server.url + url[len(PUBLIC):]


def _get(server: Server, url: str, **headers: str) -> httpx.Response:
    return httpx.get(_local(server, url), headers=headers, timeout=30)


def _verify(server: Server, credential: str, **options: Any) -> Dict[str, Any]:
    """laurel.verify, fetching every document the report says is missing from the server."""
    documents: Dict[str, str] = {}
    for _ in range(6):
        report = laurel.verify(credential, documents=documents, **options)
        wanted = [url for url in report["missing"] if url not in documents]
        if not wanted:
            return report
        for url in wanted:
            response = _get(server, url)
            assert response.status_code == 200, (url, response.text)
            documents[url] = response.text
    raise AssertionError(f"documents still missing: {report['missing']}")


def _check(report: Dict[str, Any], name: str) -> Dict[str, Any]:
    return next(check for check in report["checks"] if check["name"] == name)


def _award(user: User, badgeclass_id: str, email: str, subject_id: str) -> Dict[str, Any]:
    body = {"recipient": {"identity": email, "type": "email", "hashed": True,
                          "subjectId": subject_id}}
    with user.client() as client:
        return ok(client.post(f"/v2/badgeclasses/{badgeclass_id}/assertions", json=body), 201)[0]


def _credential(server: Server, assertion_id: str, form: str) -> str:
    response = httpx.get(f"{server.url}/public/assertions/{assertion_id}/credential",
                         params={"format": form}, timeout=30)
    assert response.status_code == 200, response.text
    return response.text


def _did_url(did: str) -> str:
    """did:web §3.2 (Read), written out here as a third party would."""
    host, *path = did.split("#")[0][len("did:web:"):].split(":")
    return "https://" + host.replace("%3A", ":") + "/" + "/".join(path) + "/did.json"


def test_a_did_web_issuer_is_served_and_its_credentials_verify(proxied, carol):
    issuer = new_issuer(carol, "DID U", didWeb=True)
    assert issuer["didWeb"] is True and issuer["credentialStatus"] == "bitstring"
    issuer_id = issuer["entityId"]
    did = f"did:web:badges.example.edu%3A8443:laurel:public:ob3:issuers:{issuer_id}"
    badgeclass = new_badgeclass(carol, issuer_id, "Web 101")
    assertion = _award(carol, badgeclass["entityId"], carol.email, LEARNER_DID)

    token = _credential(proxied, assertion["entityId"], "vc-jwt")
    header, claims = jwt.get_unverified_header(token), jwt.decode(
        token, options={"verify_signature": False})
    assert claims["iss"] == did == claims["issuer"]["id"]
    assert header["kid"].startswith(did + "#")

    # The DID document at the did:web resolution path, as the spec derives it from the DID.
    assert _did_url(did) == f"{PUBLIC}/public/ob3/issuers/{issuer_id}/did.json"
    served = _get(proxied, _did_url(did))
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/did+json")
    document = served.json()
    assert document["id"] == did
    assert document["@context"][0] == "https://www.w3.org/ns/did/v1"
    methods = {method["id"]: method for method in document["verificationMethod"]}
    assert header["kid"] in methods and header["kid"] in document["assertionMethod"]
    assert all(method["controller"] == did for method in methods.values())
    # PyJWT with the key the DID document gives for the kid.
    key = jwt.PyJWK(methods[header["kid"]]["publicKeyJwk"])
    assert jwt.decode(token, key=key, algorithms=["EdDSA"])["sub"] == LEARNER_DID

    for form in ("vc-jwt", "data-integrity"):
        credential = _credential(proxied, assertion["entityId"], form)
        report = _verify(proxied, credential, recipient=carol.email)
        assert report["valid"], report["errors"]
        assert "DID document" in _check(report, "key")["message"]
        assert _check(report, "status")["ok"]
        assert report["recipientMatch"] is True
        assert _verify(proxied, credential, recipient=LEARNER_DID)["recipientMatch"] is True
    secured = json.loads(_credential(proxied, assertion["entityId"], "data-integrity"))
    assert secured["proof"]["verificationMethod"] in document["assertionMethod"]
    assert secured["proof"]["verificationMethod"].startswith(did + "#")

    # A plain issuer has no DID document.
    plain = new_issuer(carol, "Plain U")
    assert plain["didWeb"] is False
    failed(httpx.get(f"{proxied.url}/public/ob3/issuers/{plain['entityId']}/did.json",
                     timeout=30), 404)


def test_openbadgeslib_resolves_the_did_web_and_checks_status_and_recipient(proxied, carol):
    obl_verifier = pytest.importorskip("openbadgeslib.ob3.verifier")
    issuer = new_issuer(carol, "Peer-checked DID U", didWeb=True)
    badgeclass = new_badgeclass(carol, issuer["entityId"], "Web 102")
    assertion = _award(carol, badgeclass["entityId"], carol.email, LEARNER_DID)
    token = _credential(proxied, assertion["entityId"], "vc-jwt")
    did = jwt.decode(token, options={"verify_signature": False})["iss"]

    def download(url: str) -> bytes:
        response = _get(proxied, url)
        response.raise_for_status()
        return response.content

    verifier = obl_verifier.OB3Verifier.for_issuer_did(did, download=download)
    credential = verifier.verify(token, expected_recipient=LEARNER_DID, check_status=True,
                                 download=download)
    assert credential.issuer.id == did
    with carol.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    with pytest.raises(obl_verifier.OB3VerificationError):
        verifier.verify(token, check_status=True, download=download)


def test_the_status_list_is_also_a_data_integrity_credential(proxied, carol):
    issuer = new_issuer(carol, "DI list U")
    badgeclass = new_badgeclass(carol, issuer["entityId"], "Lists 101")
    assertion = _award(carol, badgeclass["entityId"], "ada@example.org", LEARNER_DID)
    token = _credential(proxied, assertion["entityId"], "vc-jwt")
    list_url = jwt.decode(token, options={"verify_signature": False})[
        "credentialStatus"]["statusListCredential"]

    as_jwt = _get(proxied, list_url)
    assert as_jwt.headers["content-type"].startswith("application/vc+jwt")
    negotiated = _get(proxied, list_url, Accept="application/vc+ld+json")
    queried = httpx.get(_local(proxied, list_url), params={"format": "data-integrity"},
                        timeout=30)
    for response in (negotiated, queried):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/vc")
        assert response.headers["cache-control"] == "public, max-age=60"
        assert response.headers["vary"] == "Accept"
        listed = response.json()
        assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert "BitstringStatusListCredential" in listed["type"]
    assert negotiated.headers["etag"] != as_jwt.headers["etag"]
    unchanged = _get(proxied, list_url, Accept="application/vc",
                     **{"If-None-Match": negotiated.headers["etag"]})
    assert unchanged.status_code == 304
    failed(httpx.get(_local(proxied, list_url), params={"format": "xml"}, timeout=30), 400)

    profile_url = f"{PUBLIC}/public/ob3/issuers/{issuer['entityId']}"
    documents = {profile_url: _get(proxied, profile_url).text, list_url: negotiated.text}
    report = laurel.verify(token, documents=documents)
    assert report["valid"] and not report["warnings"], report
    with carol.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    documents[list_url] = _get(proxied, list_url, Accept="application/vc").text
    revoked = laurel.verify(token, documents=documents)
    assert not revoked["valid"] and "revoked" in _check(revoked, "status")["message"]

    # Offline, through the Python API: the same form, the same verdict.
    with proxied.open_store() as store:
        list_id = list_url.rsplit("/", 1)[1]
        offline = store.status_list_credential(issuer["entityId"], list_id, PUBLIC,
                                               format="data-integrity")
    assert not laurel.verify(token, documents={**documents, list_url: offline})["valid"]


def test_the_1edtech_revocation_list_is_carried_served_and_read(proxied, carol):
    issuer = new_issuer(carol, "1EdTech U", credentialStatus="both")
    assert issuer["credentialStatus"] == "both"
    with carol.client() as client:
        bad = client.put(f"/v2/issuers/{issuer['entityId']}", json={"credentialStatus": "x"})
        assert failed(bad, 400)["fieldErrors"] == {"credentialStatus": [
            "must be bitstring, 1edtech or both"]}
    badgeclass = new_badgeclass(carol, issuer["entityId"], "Lists 102")
    assertion = _award(carol, badgeclass["entityId"], "ada@example.org", LEARNER_DID)
    token = _credential(proxied, assertion["entityId"], "vc-jwt")
    status = jwt.decode(token, options={"verify_signature": False})["credentialStatus"]
    assert [entry["type"] for entry in status] == ["BitstringStatusListEntry",
                                                   "1EdTechRevocationList"]
    revocations = status[1]["id"]
    assert revocations == f"{PUBLIC}/public/ob3/issuers/{issuer['entityId']}/revocations"
    listed = _get(proxied, revocations)
    assert listed.status_code == 200 and listed.json()["revokedCredentials"] == []
    assert listed.headers["cache-control"] == "public, max-age=60"
    assert _verify(proxied, token)["valid"]

    with carol.client() as client:
        ok(client.delete(f"/v2/assertions/{assertion['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    after = _get(proxied, revocations).json()
    assert after["revokedCredentials"] == [{
        "id": f"{PUBLIC}/public/assertions/{assertion['entityId']}",
        "revocationReason": "Issued in error"}]
    report = _verify(proxied, token)
    assert not report["valid"]
    failures = [check for check in report["checks"] if check["name"] == "status"
                and not check["ok"]]
    assert len(failures) == 2  # the bit and the list both say revoked

    # For verifiers that only know the 1EdTech form, the issuer may carry it alone.
    with carol.client() as client:
        ok(client.put(f"/v2/issuers/{issuer['entityId']}", json={"credentialStatus": "1edtech"}))
    second = _award(carol, badgeclass["entityId"], "bo@example.org", LEARNER_DID)
    only = _credential(proxied, second["entityId"], "vc-jwt")
    entry = jwt.decode(only, options={"verify_signature": False})["credentialStatus"]
    assert entry == {"id": revocations, "type": "1EdTechRevocationList"}
    assert _verify(proxied, only)["valid"]
    profile_url = f"{PUBLIC}/public/ob3/issuers/{issuer['entityId']}"
    unreachable = laurel.verify(only, documents={profile_url: _get(proxied, profile_url).text})
    assert unreachable["valid"], unreachable["errors"]
    assert revocations in unreachable["missing"]
    assert any(revocations in warning for warning in unreachable["warnings"])
    with carol.client() as client:
        ok(client.delete(f"/v2/assertions/{second['entityId']}",
                         params={"revocation_reason": "Issued in error"}))
    assert not _verify(proxied, only)["valid"]


def test_a_did_recipient_next_to_the_email_reaches_the_backpack(proxied, carol):
    issuer = new_issuer(carol, "Backpack U")
    badgeclass = new_badgeclass(carol, issuer["entityId"], "Wallets 101")
    assertion = _award(carol, badgeclass["entityId"], carol.email, LEARNER_DID)
    assert assertion["recipient"]["subjectId"] == LEARNER_DID
    assert assertion["recipient"]["hashed"] is True
    with carol.client() as client:
        listed = ok(client.get("/v2/backpack/assertions"))
        bad = client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions", json={
            "recipient": {"identity": "x@example.org", "subjectId": "not a did"}})
    mine = [item for item in listed if item["entityId"] == assertion["entityId"]]
    assert len(mine) == 1 and mine[0]["recipient"]["subjectId"] == LEARNER_DID
    assert "recipient.subjectId" in failed(bad, 400)["fieldErrors"]
    token = _credential(proxied, assertion["entityId"], "vc-jwt")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == LEARNER_DID == claims["credentialSubject"]["id"]
    assert claims["credentialSubject"]["identifier"][0]["identityType"] == "emailAddress"
