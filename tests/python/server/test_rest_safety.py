"""Stored XSS through images and retried creations (issue 12): SVG badge images are sanitized
and every user-supplied image carries a CSP and nosniff; an Idempotency-Key makes a retried POST
create nothing twice."""

from __future__ import annotations

import base64
import uuid

import httpx

from rest_helpers import PNG_DATA_URI, failed, make_user, new_badgeclass, new_issuer, ok

EVIL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
            b'onload="alert(1)"><script>alert(document.cookie)</script>'
            b'<a href="javascript:alert(2)"><rect width="10" height="10" style="fill:red"/></a>'
            b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
            b'</svg>')
SVG_URI = "data:image/svg+xml;base64," + base64.b64encode(EVIL_SVG).decode()
CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _is_clean(body: bytes) -> None:
    lowered = body.lower()
    for marker in (b"<script", b"onload", b"javascript:", b"foreignobject", b"alert"):
        assert marker not in lowered, body
    assert b"<svg" in lowered and b"<rect" in lowered  # the drawing itself stays


def test_svg_images_are_sanitized_and_served_with_a_csp(server, alice):
    issuer = new_issuer(alice, "SVG U", image=SVG_URI)
    badgeclass = new_badgeclass(alice, issuer["entityId"], "SVG Badge", image=SVG_URI)
    with alice.client() as client:
        assertion = ok(client.post(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                   json={"recipient": {"identity": "svg@example.org"}}), 201)[0]
    for url in (f"{issuer['openBadgeId']}/image", f"{badgeclass['openBadgeId']}/image",
                f"{assertion['openBadgeId']}/image", f"{assertion['openBadgeId']}/baked"):
        response = httpx.get(url, timeout=30)
        assert response.status_code == 200, (url, response.text)
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        _is_clean(response.content)
    baked = httpx.get(f"{assertion['openBadgeId']}/baked", timeout=30).content
    assert b"openbadges:assertion" in baked  # still a baked badge


def test_raster_and_unknown_images_carry_the_same_headers(server, alice):
    html = "data:image/x-html;base64," + base64.b64encode(b"<script>alert(1)</script>").decode()
    for image in (PNG_DATA_URI, html):
        issuer = new_issuer(alice, "Headers U", image=image)
        response = httpx.get(f"{issuer['openBadgeId']}/image", timeout=30)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-type"].split(";")[0] in ("image/png",
                                                                  "application/octet-stream")


def test_an_idempotency_key_awards_once_and_replays_the_answer(server):
    user = make_user(server, "idempotent")
    issuer = new_issuer(user, "Retry U")
    badgeclass = new_badgeclass(user, issuer["entityId"], "Retried")
    path = f"/v2/badgeclasses/{badgeclass['entityId']}/issue"
    batch = {"assertions": [{"recipient": {"identity": f"retry{n}@example.org"}}
                            for n in range(5)]}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    with user.client() as client:
        first = client.post(path, json=batch, headers=key)
        assert first.status_code == 201, first.text
        again = client.post(path, json=batch, headers=key)
        assert again.status_code == 201 and again.content == first.content
        assert again.headers["idempotent-replayed"] == "true"
        awarded = ok(client.get(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                params={"num": 100}))
        assert len(awarded) == 5  # once, not twice
        # The same key with another body is refused; another key awards again.
        other = {"assertions": batch["assertions"][:1]}
        failed(client.post(path, json=other, headers=key), 422)
        failed(client.post(path, json=batch, headers={"Idempotency-Key": ""}), 400)
        ok(client.post(path, json=other, headers={"Idempotency-Key": str(uuid.uuid4())}), 201)
        assert len(ok(client.get(f"/v2/badgeclasses/{badgeclass['entityId']}/assertions",
                                 params={"num": 100}))) == 6


def test_idempotency_keys_are_per_user_and_a_refusal_frees_the_key(server, alice, bob):
    key = {"Idempotency-Key": "shared-key-" + uuid.uuid4().hex}
    with alice.client() as client:
        failed(client.post("/v2/issuers", json={"name": ""}, headers=key), 400)
        mine = ok(client.post("/v2/issuers", json={"name": "Keyed A", "url": "https://a.example",
                                                   "email": "a@example.org"},
                              headers=key), 201)[0]
    with bob.client() as client:  # the same key, another user: a creation of its own
        theirs = ok(client.post("/v2/issuers", json={"name": "Keyed A", "url":
                                                     "https://a.example",
                                                     "email": "a@example.org"},
                                headers=key), 201)[0]
    assert mine["entityId"] != theirs["entityId"]
