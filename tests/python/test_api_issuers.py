"""Issuers: every call, and bad input for each."""

from __future__ import annotations

import pytest

import laurel

MISSING_ID = "AAAAAAAAAAAAAAAAAAAAAA"  # well-formed, never issued


def test_create_issuer_returns_entity_with_attributes_and_badgr_dict(store):
    issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu",
                                 description="About us", image="https://example.edu/logo.png")
    assert len(issuer.entity_id) == 22
    assert issuer.name == "Example U"
    assert issuer.email == "badges@example.edu"
    assert issuer.url == "https://example.edu"
    assert issuer.description == "About us"
    assert issuer.image == "https://example.edu/logo.png"
    assert issuer.created_at.endswith("Z")
    data = issuer.to_dict()
    assert data["entityType"] == "Issuer"
    assert data["entityId"] == issuer.entity_id
    assert data["createdAt"] == issuer.created_at
    data["name"] = "changed"  # to_dict is a copy
    assert issuer.name == "Example U"
    assert "Example U" in repr(issuer)


def test_optional_fields_default_to_none(store):
    issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu")
    assert issuer.description is None and issuer.image is None
    assert issuer.to_dict()["description"] is None


def test_get_and_list_issuers(store, issuer):
    assert store.get_issuer(issuer.entity_id) == issuer
    second = store.create_issuer("Second", "b@example.org", "https://example.org")
    # Ids order by creation time to the millisecond; two made in the same one may swap.
    assert sorted(i.entity_id for i in store.list_issuers()) == sorted(
        [issuer.entity_id, second.entity_id])


def test_update_issuer_with_snake_case_fields(store, issuer):
    updated = store.update_issuer(issuer.entity_id, name="Renamed", description=None)
    assert updated.name == "Renamed"
    assert updated.description is None
    assert store.get_issuer(issuer.entity_id).name == "Renamed"
    assert updated.entity_id == issuer.entity_id


def test_issuer_staff_is_get_issuers_staff_as_pairs(store, issuer):
    assert store.issuer_staff(issuer.entity_id) == [
        (member["user"], member["role"]) for member in issuer.to_dict()["staff"] or []]
    roster = [{"user": "u1", "role": "owner"}, {"user": "u2", "role": "staff"}]
    store.update_issuer(issuer.entity_id, staff=roster)
    assert store.issuer_staff(issuer) == [("u1", "owner"), ("u2", "staff")]
    assert store.get_issuer(issuer.entity_id)["staff"] == roster
    with pytest.raises(laurel.NotFound):
        store.issuer_staff(MISSING_ID)


def test_delete_issuer(store):
    issuer = store.create_issuer("Gone", "gone@example.org", "https://example.org")
    store.delete_issuer(issuer.entity_id)
    with pytest.raises(laurel.NotFound):
        store.get_issuer(issuer.entity_id)


@pytest.mark.parametrize("args, field", [
    (("", "a@example.org", "https://example.org"), "name"),
    (("Name", "not-an-email", "https://example.org"), "email"),
    (("Name", "a@example.org", "ftp://example.org"), "url"),
    (("Name", "a@example.org", "https://example.org", None, "not a url"), "image"),
    (("x" * 256, "a@example.org", "https://example.org"), "name"),
])
def test_create_issuer_rejects_invalid_fields(store, args, field):
    with pytest.raises(laurel.ValidationError) as raised:
        store.create_issuer(*args)
    assert raised.value.field == field
    assert raised.value.message
    assert store.list_issuers() == []


@pytest.mark.parametrize("args, message", [
    ((1, "a@example.org", "https://example.org"), "name: expected str, got int"),
    (("Name", None, "https://example.org"), "email: expected str, got NoneType"),
    (("Name", "a@example.org", b"https://example.org"), "url: expected str, got bytes"),
    (("Name", "a@example.org", "https://example.org", 3), "description: expected str, got int"),
])
def test_create_issuer_rejects_wrong_types(store, args, message):
    with pytest.raises(TypeError, match=message):
        store.create_issuer(*args)


def test_unknown_issuer_ids(store):
    for call in (store.get_issuer, store.delete_issuer,
                 lambda i: store.update_issuer(i, name="x"),
                 lambda i: store.list_badgeclasses(i)):
        with pytest.raises(laurel.NotFound) as raised:
            call(MISSING_ID)
        assert MISSING_ID in str(raised.value)
    with pytest.raises(laurel.NotFound):
        store.get_issuer("not-an-id")
    with pytest.raises(TypeError, match="issuer_id: expected str, got int"):
        store.get_issuer(7)


def test_update_issuer_rejects_read_only_unknown_and_invalid(store, issuer):
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_issuer(issuer.entity_id, entity_id="AAAAAAAAAAAAAAAAAAAAAA")
    assert raised.value.field == "entityId"
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_issuer(issuer.entity_id, colour="blue")
    assert raised.value.field == "colour"
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_issuer(issuer.entity_id, email="nope")
    assert raised.value.field == "email"
    with pytest.raises(TypeError, match="expected a JSON value"):
        store.update_issuer(issuer.entity_id, name=object())
    assert store.get_issuer(issuer.entity_id) == issuer


def test_delete_issuer_with_badge_classes_conflicts(store, issuer, badge):
    with pytest.raises(laurel.Conflict):
        store.delete_issuer(issuer.entity_id)
    assert store.get_issuer(issuer.entity_id) == issuer
