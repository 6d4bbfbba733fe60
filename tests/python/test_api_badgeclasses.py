"""Badge classes: every call, and bad input for each."""

from __future__ import annotations

import pytest

import laurel

MISSING_ID = "AAAAAAAAAAAAAAAAAAAAAA"


def test_create_badgeclass_with_every_field(store, issuer):
    badge = store.create_badgeclass(
        issuer.entity_id, "Data 201", "Cleaned a real data set",
        image="https://example.edu/data.png", criteria_url="https://example.edu/data-201",
        criteria_narrative="Submit a notebook",
        alignments=[{"target_name": "Data wrangling", "target_url": "https://example.org/dw"},
                    {"targetName": "Stats", "targetUrl": "https://example.org/stats",
                     "targetCode": "ST-1"}],
        tags=("data", "python"), expires={"amount": 2, "duration": "years"})
    assert badge.issuer == badge.issuer_id == issuer.entity_id
    assert badge.criteria_url == "https://example.edu/data-201"
    assert badge.criteria_narrative == "Submit a notebook"
    assert badge.tags == ["data", "python"]
    assert [a.target_name for a in badge.alignments] == ["Data wrangling", "Stats"]
    assert badge.alignments[1].target_code == "ST-1"
    assert badge.expires.amount == 2 and badge.expires.duration == "years"
    data = badge.to_dict()
    assert data["entityType"] == "BadgeClass"
    assert data["criteriaUrl"] == "https://example.edu/data-201"
    assert data["alignments"][0]["targetName"] == "Data wrangling"
    assert data["expires"] == {"amount": 2, "duration": "years"}


def test_expires_as_tuple_and_entities_as_input(store, issuer, badge):
    other = store.create_badgeclass(issuer, "Copy", "Same alignments",
                                    alignments=badge.alignments, expires=(30, "days"))
    assert other.expires == laurel.Expiration({"amount": 30, "duration": "days"})
    again = store.create_badgeclass(issuer, "Again", "x", expires=other.expires)
    assert again.expires.to_dict() == {"amount": 30, "duration": "days"}


def test_get_list_update_delete(store, issuer, badge):
    assert store.get_badgeclass(badge.entity_id) == badge
    other_issuer = store.create_issuer("Other", "o@example.org", "https://example.org")
    other = store.create_badgeclass(other_issuer.entity_id, "Other badge", "x")
    assert {b.entity_id for b in store.list_badgeclasses()} == {badge.entity_id, other.entity_id}
    assert [b.entity_id for b in store.list_badgeclasses(issuer.entity_id)] == [badge.entity_id]
    updated = store.update_badgeclass(badge.entity_id, criteria_narrative="Pass the quiz",
                                      tags=["python"])
    assert updated.criteria_narrative == "Pass the quiz"
    assert updated.tags == ["python"]
    store.delete_badgeclass(other.entity_id)
    with pytest.raises(laurel.NotFound):
        store.get_badgeclass(other.entity_id)


def test_badgeclass_name_follows_renames(store, badge):
    assert store.badgeclass_name(badge.entity_id) == badge.name
    store.update_badgeclass(badge.entity_id, name="Renamed badge")
    assert store.badgeclass_name(badge) == "Renamed badge"
    with pytest.raises(laurel.NotFound):
        store.badgeclass_name(MISSING_ID)


@pytest.mark.parametrize("kwargs, field", [
    ({"name": ""}, "name"),
    ({"description": ""}, "description"),
    ({"criteria_url": "not a url"}, "criteriaUrl"),
    ({"image": "ftp://x"}, "image"),
    ({"alignments": [{"target_name": "X", "target_url": "nope"}]}, "alignments.0.targetUrl"),
    ({"alignments": [{"target_url": "https://example.org"}]}, "alignments.0.targetName"),
    ({"expires": {"amount": 0, "duration": "days"}}, "expires.amount"),
    ({"expires": {"amount": 1, "duration": "fortnights"}}, "expires.duration"),
    ({"tags": [""]}, "tags.0"),
])
def test_create_badgeclass_rejects_invalid_fields(store, issuer, kwargs, field):
    arguments = {"issuer_id": issuer.entity_id, "name": "N", "description": "D", **kwargs}
    with pytest.raises(laurel.ValidationError) as raised:
        store.create_badgeclass(**arguments)
    assert raised.value.field == field
    assert store.list_badgeclasses() == []


@pytest.mark.parametrize("kwargs, message", [
    ({"name": 3}, "name: expected str, got int"),
    ({"tags": "python"}, "tags: expected a list of str, got str"),
    ({"tags": [1]}, r"tags\[0\]: expected str, got int"),
    ({"alignments": ["x"]}, r"alignments\[0\]: expected dict, got str"),
    ({"alignments": [{"target": "x"}]}, r"alignments\[0\]: unknown key 'target'"),
    ({"expires": "2 years"}, "expires: expected"),
    ({"expires": {"amount": "2", "duration": "years"}}, "expires.amount: expected int, got str"),
    ({"expires": {"amount": 2, "unit": "years"}}, "expires: unknown key 'unit'"),
])
def test_create_badgeclass_rejects_wrong_types(store, issuer, kwargs, message):
    arguments = {"issuer_id": issuer.entity_id, "name": "N", "description": "D", **kwargs}
    with pytest.raises(TypeError, match=message):
        store.create_badgeclass(**arguments)


def test_unknown_ids(store, issuer):
    with pytest.raises(laurel.NotFound):
        store.create_badgeclass(MISSING_ID, "N", "D")
    for call in (store.get_badgeclass, store.delete_badgeclass,
                 lambda i: store.update_badgeclass(i, name="x")):
        with pytest.raises(laurel.NotFound):
            call(MISSING_ID)


def test_update_badgeclass_refuses_issuer_change(store, issuer, badge):
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_badgeclass(badge.entity_id, issuer=MISSING_ID)
    assert raised.value.field == "issuer"


def test_delete_badgeclass_with_assertions_conflicts(store, badge):
    assertion = store.issue(badge.entity_id, "ada@example.com")
    with pytest.raises(laurel.Conflict):
        store.delete_badgeclass(badge.entity_id)
    store.revoke(assertion.entity_id, "mistake")
    with pytest.raises(laurel.Conflict):  # revoked assertions keep their badge class (issue 13)
        store.delete_badgeclass(badge.entity_id)
    assert store.get_badgeclass(badge.entity_id).entity_id == badge.entity_id


def test_update_badgeclass_never_rewrites_issued_assertions(store, badge):
    assertion = store.issue(badge.entity_id, "ada@example.com")
    store.update_badgeclass(badge.entity_id, name="Python 101 (2026)")
    assert store.get_assertion(assertion.entity_id) == assertion
