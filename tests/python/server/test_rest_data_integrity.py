"""An award's OB 3.0 credential over REST: /public/assertions/{id}/credential serves the VC-JWT
(default) or the Data Integrity form, which verifies with the Profile the same server serves."""

from __future__ import annotations

import httpx
import laurel

from rest_helpers import award, failed, new_badgeclass, new_issuer, ok


def test_assertion_credential_in_both_formats_verifies_from_the_server(server, alice):
    issuer = new_issuer(alice, "DI University")
    badgeclass = new_badgeclass(alice, issuer["entityId"], "DI Badge")
    assertion = award(alice, badgeclass["entityId"], "di@example.org")
    url = f"{assertion['openBadgeId']}/credential"

    jwt = httpx.get(url, timeout=30)
    assert jwt.status_code == 200 and jwt.headers["content-type"].startswith("application/vc+jwt")
    assert jwt.text.count(".") == 2

    signed = httpx.get(url, params={"format": "data-integrity"}, timeout=30)
    assert signed.status_code == 200, signed.text
    assert signed.headers["content-type"].startswith("application/vc+ld+json")
    credential = signed.json()
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    # What the widget does: verify, fetch what the report says is missing, verify again.
    documents = {}
    report = laurel.verify(signed.text, documents=documents, recipient="di@example.org")
    for _ in range(3):
        if not report["missing"]:
            break
        for missing in report["missing"]:
            documents[missing] = httpx.get(missing, timeout=30).text
        report = laurel.verify(signed.text, documents=documents, recipient="di@example.org")
    assert report["valid"] is True, report["errors"]
    assert credential["proof"]["verificationMethod"].split("#")[0] in documents

    failed(httpx.get(url, params={"format": "ldp"}, timeout=30), 400)
    failed(httpx.get(f"{url.rsplit('/', 2)[0]}/AAAAAAAAAAAAAAAAAAAAAA/credential", timeout=30),
           404)
    with alice.client() as client:
        ok(client.request("DELETE", f"/v2/assertions/{assertion['entityId']}",
                          json={"revocation_reason": "Issued in error"}))
    failed(httpx.get(url, params={"format": "data-integrity"}, timeout=30), 404)
