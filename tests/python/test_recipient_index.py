"""The epoch-partitioned recipient index from Python: with small epochs (a test knob) a few dozen
awards cross many epochs, and a recipient's badges, the duplicate refusal of issue_batch and
`check` stay exact; a store holding the index of before the epochs keeps working."""

from __future__ import annotations

import laurel
from pg_cluster import open_store


def emails(count: int, tag: str = "learner"):
    return [f"{tag}{i}@example.org" for i in range(count)]


def award_rounds(store, badge_id: str, count: int, rounds: int) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    for _ in range(rounds):
        result = store.issue_batch(badge_id, emails(count), allow_duplicate=True)
        for email, entity_id in zip(emails(count), result.entity_ids):
            held.setdefault(email, []).append(entity_id)
    return held


def all_pages(store, email: str, num: int) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        page = store.list_assertions(recipient=email, num=num, after=after)
        ids += [assertion.entity_id for assertion in page]
        if not page.next_cursor:
            return ids
        after = page.next_cursor


def expect_exact(store, held: dict[str, list[str]]):
    for email, issued in held.items():
        assert all_pages(store, email, 2) == issued[::-1], email
        assert all_pages(store, email, 1000) == issued[::-1], email
    assert all_pages(store, "nobody@example.org", 10) == []


def test_lookups_and_duplicates_across_epochs(store, badge):
    store._core._testing_set_recipient_epoch_entries(4)
    held = award_rounds(store, badge.entity_id, 5, 5)  # 25 entries: epochs 0..6
    expect_exact(store, held)

    result = store.issue_batch(badge.entity_id, ["learner0@example.org", "fresh@example.org",
                                                 *emails(5, "other"), "fresh@example.org"])
    assert [item.code for item in result if not item.issued] == [
        "duplicate", "duplicate"]
    assert result.issued == 6
    tables = {table["name"]: table for table in store.stats()["tables"]}
    assert tables["recipient_index"]["entries"] == 31
    assert store.check()["problemCount"] == 0


def test_check_finds_a_damaged_filter(store, badge):
    store._core._testing_set_recipient_epoch_entries(6)
    held = award_rounds(store, badge.entity_id, 4, 4)
    victim = held["learner1@example.org"][2]
    store._core._testing_clear_recipient_filter(victim)
    report = store.check()
    assert report["problemCount"] >= 1
    assert any(victim in problem and "filter" in problem for problem in report["problems"])


def test_a_store_with_the_old_index_keeps_working(store_location, badge, store):
    store._core._testing_set_recipient_epoch_entries(3)
    held = award_rounds(store, badge.entity_id, 3, 3)
    store._core._testing_to_legacy_recipient_index()
    store.close()
    with open_store(store_location) as reopened:
        tables = {table["name"]: table for table in reopened.stats()["tables"]}
        assert tables["recipient_assertions"]["entries"] == 9
        assert tables["recipient_index"]["entries"] == 0
        expect_exact(reopened, held)
        more = award_rounds(reopened, badge.entity_id, 3, 2)
        for email, ids in more.items():
            held[email] += ids
        expect_exact(reopened, held)
        again = reopened.issue_batch(badge.entity_id, ["learner2@example.org"])
        assert again[0].code == "duplicate"
        assert reopened.check()["problemCount"] == 0
