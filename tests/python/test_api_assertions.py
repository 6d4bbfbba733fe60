"""Single assertions: issue, get, update, revoke, list and their bad input."""

from __future__ import annotations

import datetime as dt

import pytest

import laurel

MISSING_ID = "AAAAAAAAAAAAAAAAAAAAAA"


def test_issue_hashes_the_recipient_and_returns_badgr_shape(store, badge):
    assertion = store.issue(badge.entity_id, "Ada@Example.com", narrative="Top of the class",
                            evidence=["https://example.org/work",
                                      {"url": "https://example.org/more", "narrative": "More"}])
    assert assertion.badgeclass == assertion.badgeclass_id == badge.entity_id
    assert assertion.issuer == badge.issuer
    recipient = assertion.recipient
    assert recipient.type == "email" and recipient.hashed
    assert recipient.identity == laurel.hash_identity("ada@example.com", recipient.salt)
    assert recipient.plaintext_identity == "ada@example.com"
    assert recipient.matches("ADA@example.com") and not recipient.matches("bob@example.com")
    assert assertion.narrative == "Top of the class"
    assert [e.url for e in assertion.evidence] == ["https://example.org/work",
                                                   "https://example.org/more"]
    assert assertion.evidence[1].narrative == "More"
    assert not assertion.revoked and assertion.revocation_reason is None
    data = assertion.to_dict()
    assert data["entityType"] == "Assertion"
    assert data["recipient"]["plaintextIdentity"] == "ada@example.com"
    assert data["issuedOn"] == assertion.issued_on
    assert store.get_assertion(assertion.entity_id) == assertion


def test_issue_with_dates_dict_recipient_and_unhashed(store, badge):
    when = dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.timezone.utc)
    assertion = store.issue(badge.entity_id, {"identity": "https://example.org/ada",
                                              "type": "url", "hashed": False},
                            issued_on=when, expires=dt.date(2030, 1, 1))
    assert assertion.issued_on == "2026-01-31T12:00:00Z"
    assert assertion.expires.startswith("2030-01-01")
    assert assertion.recipient.type == "url"
    assert assertion.recipient.hashed is False
    assert assertion.recipient.identity == "https://example.org/ada"


def test_badge_expiry_applies_by_default(store, issuer):
    badge = store.create_badgeclass(issuer.entity_id, "Yearly", "x", expires=(1, "years"))
    assertion = store.issue(badge.entity_id, "ada@example.com", issued_on="2026-03-01")
    assert assertion.expires == "2027-03-01T00:00:00Z"


def test_duplicates_allowed_by_default_and_refused_on_request(store, badge):
    store.issue(badge.entity_id, "ada@example.com")
    store.issue(badge.entity_id, "ada@example.com")
    with pytest.raises(laurel.Conflict):
        store.issue(badge.entity_id, "ADA@example.com", allow_duplicate=False)


@pytest.mark.parametrize("recipient, kwargs, field", [
    ("not-an-email", {}, "recipient.identity"),
    ("", {}, "recipient.identity"),
    ("ada@example.com", {"recipient_type": "fax"}, "recipient.type"),
    ("ada@example.com", {"issued_on": "yesterday"}, "issuedOn"),
    ("ada@example.com", {"expires": "2026-02-30"}, "expires"),
    ("ada@example.com", {"evidence": [{"url": "not a url"}]}, "evidence.0.url"),
    ({"identity": "12345", "type": "telephone"}, {}, "recipient.identity"),
])
def test_issue_rejects_invalid_input(store, badge, recipient, kwargs, field):
    with pytest.raises(laurel.ValidationError) as raised:
        store.issue(badge.entity_id, recipient, **kwargs)
    assert raised.value.field == field
    assert str(raised.value).startswith(field + ": ")
    assert len(store.list_assertions(badgeclass=badge.entity_id)) == 0


@pytest.mark.parametrize("recipient, kwargs, message", [
    (42, {}, "recipient: expected str or dict, got int"),
    ({"identity": 42}, {}, "recipient.identity: expected str, got int"),
    ({"email": "a@b.co"}, {}, "recipient: unknown key 'email'"),
    ({"identity": "a@b.co", "hashed": "yes"}, {}, "recipient.hashed: expected bool, got str"),
    ("a@b.co", {"evidence": "https://x.org"}, "evidence: expected a list"),
    ("a@b.co", {"evidence": [{"link": "x"}]}, r"evidence\[0\]: unknown key 'link'"),
    ("a@b.co", {"issued_on": 2026}, "issued_on: expected str, datetime or date, got int"),
    ("a@b.co", {"narrative": 5}, "narrative: expected str, got int"),
])
def test_issue_rejects_wrong_types(store, badge, recipient, kwargs, message):
    with pytest.raises(TypeError, match=message):
        store.issue(badge.entity_id, recipient, **kwargs)


def test_issue_to_unknown_badge(store):
    with pytest.raises(laurel.NotFound):
        store.issue(MISSING_ID, "ada@example.com")
    with pytest.raises(TypeError, match="badgeclass_id: expected str"):
        store.issue(None, "ada@example.com")


def test_update_assertion(store, badge):
    assertion = store.issue(badge.entity_id, "ada@example.com")
    updated = store.update_assertion(assertion.entity_id, narrative="Updated",
                                     evidence=[{"url": "https://example.org/e"}])
    assert updated.narrative == "Updated"
    assert updated.evidence[0].url == "https://example.org/e"
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_assertion(assertion.entity_id, recipient={"identity": "x"})
    assert raised.value.field == "recipient"
    with pytest.raises(laurel.NotFound):
        store.update_assertion(MISSING_ID, narrative="x")


def test_revoke_and_its_errors(store, badge, issuer):
    assertion = store.issue(badge.entity_id, "ada@example.com")
    revoked = store.revoke(assertion.entity_id, "Issued by mistake")
    assert revoked.revoked and revoked.revocation_reason == "Issued by mistake"
    assert store.get_assertion(assertion.entity_id).revoked
    assert store.revocations(issuer.entity_id) == [(assertion.entity_id, "Issued by mistake")]
    with pytest.raises(laurel.Conflict):
        store.revoke(assertion.entity_id, "again")
    with pytest.raises(laurel.Conflict):
        store.update_assertion(assertion.entity_id, narrative="x")
    other = store.issue(badge.entity_id, "bob@example.com")
    assert store.revoke(other.entity_id, "").revoked  # the reason is optional (issue 13)
    with pytest.raises(laurel.NotFound):
        store.revoke(MISSING_ID, "x")
    with pytest.raises(TypeError, match="reason: expected str"):
        store.revoke(other.entity_id, None)


def test_revoke_batch_reports_every_item_like_badgr(store, badge):
    first = store.issue(badge.entity_id, "a@example.com")
    second = store.issue(badge.entity_id, "b@example.com")
    store.revoke(second.entity_id, "earlier")
    third = store.issue(badge.entity_id, "c@example.com")
    results = store.revoke_batch([
        {"entityId": first.entity_id, "revocationReason": "mistake"},
        {"id": second.entity_id, "revocationReason": "again"},
        (MISSING_ID, "gone"),
        {"entityId": third.entity_id, "revocationReason": ""},
    ])
    assert [sorted(r) for r in results] == [["code", "entityId", "reason", "revoked"]] * 4
    assert results[0] == {"entityId": first.entity_id, "revoked": True, "code": None,
                          "reason": None}
    assert (results[1]["revoked"], results[1]["code"]) == (False, "already_revoked")
    assert (results[2]["revoked"], results[2]["code"]) == (False, "not_found")
    assert (results[3]["revoked"], results[3]["code"]) == (True, None)  # reason optional
    assert all(r["reason"] for r in results[1:3])
    assert store.get_assertion(first.entity_id).revocation_reason == "mistake"
    assert store.get_assertion(third.entity_id).revocation_reason is None


def test_revoke_batch_with_bare_ids_and_a_reason(store, badge):
    ids = store.issue_batch(badge.entity_id, ["a@example.com", "b@example.com"]).entity_ids
    results = store.revoke_batch([ids[0], store.get_assertion(ids[1])], reason="course cancelled")
    assert [r["revoked"] for r in results] == [True, True]
    assert store.get_assertion(ids[1]).revocation_reason == "course cancelled"


@pytest.mark.parametrize("items, kwargs, message", [
    ("abc", {}, "items: expected an iterable"),
    (["abc"], {}, r"items\[0\]: a bare id needs reason"),
    ([42], {}, r"items\[0\]: expected dict or \(entity_id, reason\), got int"),
    ([("a", "b", "c")], {}, r"items\[0\]: expected \(entity_id, reason\)"),
    ([{"entityId": "a", "why": "x"}], {}, r"items\[0\]: unknown key 'why'"),
    (["a"], {"reason": 3}, "reason: expected str"),
])
def test_revoke_batch_rejects_wrong_types(store, items, kwargs, message):
    with pytest.raises(TypeError, match=message):
        store.revoke_batch(items, **kwargs)


def test_list_assertions_pages_newest_first(store, badge, issuer):
    ids = store.issue_batch(badge.entity_id,
                            [f"learner{n}@example.com" for n in range(25)]).entity_ids
    page = store.list_assertions(badgeclass=badge.entity_id, num=10)
    assert isinstance(page, laurel.Page)
    assert len(page) == 10 and page.next_cursor
    seen = [a.entity_id for a in page]
    while page.next_cursor:
        page = store.list_assertions(badgeclass=badge.entity_id, num=10, after=page.next_cursor)
        seen += [a.entity_id for a in page]
    assert sorted(seen) == sorted(ids) and len(seen) == 25
    assert seen == list(reversed(ids))
    by_issuer = store.list_assertions(issuer=issuer.entity_id, num=1000)
    assert len(by_issuer) == 25 and by_issuer.next_cursor is None
    assert [a.entity_id for a in store.iter_assertions(badgeclass=badge, page_size=7)] == seen
    assert len(list(store.iter_assertions())) == 25
    assert page[0].entity_id == seen[20] and isinstance(page[0:2], list)
    assert page.to_dicts()[0]["entityId"] == seen[20]


def test_list_assertions_filters(store, badge, issuer):
    ada = store.issue(badge.entity_id, "ada@example.com")
    bob = store.issue(badge.entity_id, "bob@example.com")
    old = store.issue(badge.entity_id, "old@example.com", issued_on="2020-01-01",
                      expires="2021-01-01")
    store.revoke(bob.entity_id, "mistake")
    ids = lambda page: {a.entity_id for a in page}  # noqa: E731
    assert ids(store.list_assertions(badgeclass=badge.entity_id)) == {ada.entity_id}
    assert ids(store.list_assertions(badgeclass=badge.entity_id, include_revoked=True)) == {
        ada.entity_id, bob.entity_id}
    assert ids(store.list_assertions(issuer=issuer.entity_id, include_expired=True)) == {
        ada.entity_id, old.entity_id}
    assert ids(store.list_assertions(recipient="ADA@example.com")) == {ada.entity_id}
    assert ids(store.list_assertions(badgeclass=badge.entity_id,
                                     recipient="bob@example.com", include_revoked=True)) == {
        bob.entity_id}


def test_list_assertions_bad_input(store, badge, issuer):
    with pytest.raises(TypeError, match="give issuer, badgeclass or recipient"):
        store.list_assertions()
    with pytest.raises(TypeError, match="not both"):
        store.list_assertions(issuer=issuer.entity_id, badgeclass=badge.entity_id)
    with pytest.raises(laurel.NotFound):
        store.list_assertions(badgeclass=MISSING_ID)
    with pytest.raises(laurel.NotFound):
        store.list_assertions(issuer=MISSING_ID)
    with pytest.raises(laurel.ValidationError) as raised:
        store.list_assertions(badgeclass=badge.entity_id, num=0)
    assert raised.value.field == "num"
    with pytest.raises(laurel.ValidationError):
        store.list_assertions(badgeclass=badge.entity_id, num=1001)
    with pytest.raises(laurel.ValidationError):
        store.list_assertions(badgeclass=badge.entity_id, after="not-a-cursor")
    with pytest.raises(TypeError, match="num: expected int"):
        store.list_assertions(badgeclass=badge.entity_id, num="10")
    with pytest.raises(TypeError, match="include_revoked: expected bool"):
        store.list_assertions(badgeclass=badge.entity_id, include_revoked="yes")
    with pytest.raises(laurel.ValidationError):
        store.list_assertions(recipient="not-an-email")


def test_get_assertion_and_revocations_bad_input(store, badge):
    with pytest.raises(laurel.NotFound) as raised:
        store.get_assertion(MISSING_ID)
    assert str(raised.value) == f'no assertion with id "{MISSING_ID}"'
    with pytest.raises(TypeError, match="assertion_id: expected str, got int"):
        store.get_assertion(5)
    with pytest.raises(laurel.NotFound):
        store.revocations(MISSING_ID)
    with pytest.raises(TypeError, match="issuer_id: expected str"):
        store.revocations(None)
    assertion = store.issue(badge.entity_id, "ada@example.com")
    with pytest.raises(laurel.ValidationError) as raised:
        store.update_assertion(assertion.entity_id, acceptance="Maybe")
    assert raised.value.field == "acceptance"
    accepted = store.update_assertion(assertion.entity_id, acceptance="Accepted")
    assert accepted.acceptance == "Accepted"
