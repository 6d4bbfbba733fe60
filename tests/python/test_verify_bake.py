"""laurel.verify, laurel.bake and laurel.unbake from Python: round trips through PNG and SVG,
tampering of one byte anywhere is caught, and bad input gives reports or clear errors."""

from __future__ import annotations

import datetime as dt
import zlib
from pathlib import Path

import pytest

import laurel

# Verification suites: the store only makes their documents (on both backends elsewhere).
pytestmark = pytest.mark.lmdb_only

BASE = "https://badges.example.org"
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "baking"
PNG = (FIXTURES / "public_domain_heart.png").read_bytes()
SVG = (FIXTURES / "unbaked_example.svg").read_bytes()


@pytest.fixture
def awarded(store, badge):
    return store.issue(badge.entity_id, "ada@example.org")


@pytest.fixture
def documents(store, issuer, badge, awarded):
    """Everything the awarded badge links to, with a key of each algorithm published."""
    store.create_key(issuer.entity_id, "RS256")
    store.create_key(issuer.entity_id, "EdDSA")
    found = {}
    for kind, entity_id in (("issuer", issuer.entity_id), ("badgeclass", badge.entity_id),
                            ("revocation_list", issuer.entity_id),
                            ("assertion", awarded.entity_id)):
        document = store.public_document(kind, entity_id, BASE)
        found[document["id"]] = document
    for key in store.list_keys(issuer.entity_id):
        document = store.public_document("key", key["keyId"], BASE)
        found[document["id"]] = document
    # The OB 3.0 credential's documents: the issuer Profile (its keys), the Achievement and the
    # status lists its credentialStatus names.
    for kind, entity_id in (("ob3_issuer", issuer.entity_id), ("ob3_achievement", badge.entity_id)):
        document = store.public_document(kind, entity_id, BASE)
        found[document["id"]] = document
    for list_id in store.status_lists(issuer.entity_id):
        url = f"{BASE}/public/ob3/issuers/{issuer.entity_id}/status/{list_id}"
        found[url] = store.status_list_credential(issuer.entity_id, list_id, BASE)
    return found


def hosted(store, awarded):
    return store.public_document("assertion", awarded.entity_id, BASE)


def flip(data, at):
    changed = bytearray(data.encode() if isinstance(data, str) else data)
    changed[at] ^= 0x01 if chr(changed[at]).isalnum() and chr(changed[at] ^ 1).isalnum() else 0
    if bytes(changed) == (data.encode() if isinstance(data, str) else data):
        changed[at] = ord("A") if changed[at] != ord("A") else ord("B")
    return changed.decode() if isinstance(data, str) else bytes(changed)


def png_chunks(data):
    at, chunks = 8, []
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        chunks.append((data[at + 4:at + 8], at, length))
        at += 12 + length
    return chunks


def test_hosted_badge_verifies_in_every_input_form(store, awarded, documents):
    document = hosted(store, awarded)
    for given in (document, laurel._core.canonical_json(document),
                  laurel._core.canonical_json(document).encode()):
        report = laurel.verify(given, documents=documents, recipient="ada@example.org")
        assert report["valid"] is True, report["errors"]
        assert report["recipientMatch"] is True
        assert set(report) == {"valid", "checks", "errors", "warnings", "badge",
                               "recipientMatch", "missing"}
        assert report["missing"] == []  # every document it needs was supplied
        assert all(set(check) == {"name", "ok", "message"} for check in report["checks"])
    report = laurel.verify(document, documents=documents, recipient="eve@example.org")
    assert report["valid"] is False and report["recipientMatch"] is False
    assert laurel.verify(document, documents=documents)["recipientMatch"] is None


@pytest.mark.parametrize("image", [PNG, SVG], ids=["png", "svg"])
@pytest.mark.parametrize("signed", [False, True], ids=["hosted", "jws"])
def test_bake_unbake_round_trip_and_the_baked_image_verifies(store, awarded, documents, image,
                                                             signed):
    badge = store.sign(awarded.entity_id, BASE) if signed else hosted(store, awarded)
    baked = laurel.bake(image, badge)
    assert isinstance(baked, bytes) and baked != image
    assert baked[:4] == image[:4]
    assert laurel.unbake(baked) == badge
    report = laurel.verify(baked, documents=documents, recipient="ada@example.org")
    assert report["valid"] is True, report["errors"]
    # Baking again replaces the badge rather than adding a second one.
    rebaked = laurel.bake(baked, badge)
    assert laurel.unbake(rebaked) == badge
    if image is PNG:
        assert [c[0] for c in png_chunks(rebaked)].count(b"iTXt") == 1
        chunk, at, length = [c for c in png_chunks(baked) if c[0] == b"iTXt"][0]
        assert png_chunks(baked)[-1][0] == b"IEND"
        body = baked[at + 8:at + 8 + length]
        assert body.startswith(b"openbadges\x00\x00\x00")  # uncompressed
        assert zlib.crc32(baked[at + 4:at + 8 + length]) == \
            int.from_bytes(baked[at + 8 + length:at + 12 + length], "big")


def test_unbake_reads_ob1_bakes_of_the_bakery_fixtures():
    heart = laurel.unbake((FIXTURES / "baked_heart.png").read_bytes())
    assert isinstance(heart, (dict, str)) and heart
    example = laurel.unbake((FIXTURES / "baked_example.svg").read_bytes())
    assert isinstance(example, (dict, str))
    assert "http" in str(example)


def test_one_byte_changed_in_payload_signature_or_chunk_is_caught(store, awarded, documents):
    for alg in ("RS256", "EdDSA"):
        token = store.sign(awarded.entity_id, BASE, alg)
        assert laurel.verify(token, documents=documents)["valid"] is True
        first, second = token.index("."), token.rindex(".")
        for at in (3, first + 10, (first + second) // 2, second - 2, second + 5, len(token) - 2):
            assert laurel.verify(flip(token, at), documents=documents)["valid"] is False, \
                (alg, at)
    baked = laurel.bake(PNG, store.sign(awarded.entity_id, BASE))
    chunk, at, length = [c for c in png_chunks(baked) if c[0] == b"iTXt"][0]
    for offset in (at + 20, at + 8 + length // 2, at + 8 + length - 3):
        report = laurel.verify(flip(baked, offset), documents=documents)
        assert report["valid"] is False, offset
    vc = store.credential(awarded.entity_id, BASE)
    assert laurel.verify(vc, documents=documents)["valid"] is True
    assert laurel.verify(flip(vc, vc.index(".") + 30), documents=documents)["valid"] is False


def test_dates_are_judged_against_now(store, awarded, documents):
    document = hosted(store, awarded)
    past = dt.datetime(2001, 1, 1)
    report = laurel.verify(document, documents=documents, now=past)
    assert report["valid"] is False
    assert [c for c in report["checks"] if c["name"] == "issued"][0]["ok"] is False
    assert laurel.verify(document, documents=documents,
                         now=dt.datetime.now(dt.timezone.utc))["valid"] is True
    assert laurel.verify(document, documents=documents, now=4102444800)["valid"] is True


def test_bad_input_gives_an_invalid_report_not_an_exception(store, awarded):
    for given in ("", "not json", "{", "a.b.c", b"\x89PNG\r\n\x1a\n\x00", b"\xff\xfe\x00",
                  {"type": "Assertion"}, "[" * 10000 + "]" * 10000):
        report = laurel.verify(given)
        assert report["valid"] is False and report["errors"], given
    # Documents missing: the badge cannot be checked, so it is not valid.
    assert laurel.verify(hosted(store, awarded))["valid"] is False


def test_wrong_types_raise_type_error_and_bad_images_validation_error(store, awarded):
    document = hosted(store, awarded)
    with pytest.raises(TypeError):
        laurel.verify(12)
    with pytest.raises(TypeError):
        laurel.verify(document, documents=["not", "a", "mapping"])
    with pytest.raises(TypeError):
        laurel.verify(document, documents={1: "x"})
    with pytest.raises(TypeError):
        laurel.verify(document, now="yesterday")
    with pytest.raises(TypeError):
        laurel.bake("not bytes", document)
    with pytest.raises(TypeError):
        laurel.bake(PNG, 42)
    with pytest.raises(TypeError):
        laurel.unbake("text")
    with pytest.raises(laurel.ValidationError) as error:
        laurel.bake(b"GIF89a not a png", document)
    assert error.value.field == "image"
    with pytest.raises(laurel.ValidationError) as error:
        laurel.bake(PNG, "neither JSON nor a JWS")
    assert error.value.field == "assertion"
    with pytest.raises(laurel.ValidationError) as error:
        laurel.unbake(PNG)  # carries no badge
    assert error.value.field == "image"
    with pytest.raises(laurel.ValidationError):
        laurel.unbake(PNG[:40])  # truncated
