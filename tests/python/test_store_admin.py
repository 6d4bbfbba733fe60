"""A large store's operations from Python and the CLI: stats add up to the counts, a backup taken
during a running batch opens, passes check and holds all or none of that batch, and check finds
an index entry removed behind the store's back (exit 1 with the list)."""

from __future__ import annotations

import threading

import pytest

import laurel


def emails(count: int, tag: str):
    return [f"{tag}{i}@example.org" for i in range(count)]


def test_stats_add_up_to_the_counts(store, badge):
    result = store.issue_batch(badge.entity_id, emails(300, "s"))
    store.revoke(result.entity_ids[0], "test")
    stats = store.stats()
    assert stats["counts"] == {"issuers": 1, "badgeclasses": 1, "assertions": 300, "revoked": 1}
    assert stats["backend"] == "lmdb"
    tables = {table["name"]: table for table in stats["tables"]}
    for index in ("assertions", "badgeclass_assertions", "issuer_assertions",
                  "recipient_index"):
        assert tables[index]["entries"] == 300, index
    assert sum(table["bytes"] for table in stats["tables"]) <= stats["fileBytes"]
    assert stats["fileBytes"] <= stats["mapBytes"]
    assert stats["bytesPerAssertion"] == pytest.approx(stats["fileBytes"] / 300)


def test_backup_during_a_running_batch_holds_all_or_none_of_it(store, badge, tmp_path):
    store.issue_batch(badge.entity_id, emails(1000, "before"))
    started = threading.Event()
    failures = []

    def award():
        try:
            store.issue_batch(badge.entity_id, emails(80_000, "during"),
                              progress=lambda done, total: started.set() or True)
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)

    worker = threading.Thread(target=award)
    worker.start()
    assert started.wait(60)
    store.backup(tmp_path / "copy")
    worker.join()
    assert not failures
    with laurel.Store(tmp_path / "copy") as copy:
        assert copy.stats()["counts"]["assertions"] in (1000, 81_000)
        assert copy.stats()["freePages"] == 0
        assert copy.check()["problemCount"] == 0
    with pytest.raises(laurel.ValidationError):
        store.backup(tmp_path / "copy")  # never over an existing store


def test_check_finds_an_index_entry_removed_behind_the_stores_back(store, badge):
    result = store.issue_batch(badge.entity_id, emails(40, "c"))
    assert store.check() == {"assertions": 40, "problemCount": 0, "problems": []}
    victim = result.entity_ids[7]
    store._core._testing_remove_index_entry("recipient", victim)
    report = store.check()
    assert report["problemCount"] == 1
    assert victim in report["problems"][0] and "missing" in report["problems"][0]


def test_cli_stats_backup_and_check(cli_store, tmp_path):
    cli, _issuer_id, badge_id = cli_store
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("email\n" + "\n".join(emails(25, "cli")) + "\n")
    assert cli("award", "--badge", badge_id, "--csv", str(csv_file)).code == 0
    stats = cli.ok_json("stats")
    assert stats["counts"]["assertions"] == 25
    human = cli("stats")
    assert human.code == 0 and "bytes per assertion" in human.out
    assert stats["backend"] == "lmdb" and "lmdb" in human.out
    assert cli("check").code == 0
    copy = tmp_path / "copy"
    backed_up = cli.ok_json("backup", str(copy))
    assert backed_up["bytes"] > 0
    assert cli("--data", str(copy), "check", data=False).code == 0
    assert cli("backup", str(copy)).code != 0  # refuses to overwrite

    with laurel.Store(cli.data) as store:
        victim = store.list_assertions(badgeclass=badge_id)[3].entity_id
        store._core._testing_remove_index_entry("badgeclass", victim)
    broken = cli("check")
    assert broken.code == 1
    assert victim in broken.out and "1 problems" in broken.out
    assert cli.ok_json("stats")["counts"]["assertions"] == 25
    as_json = cli("--json", "check")
    assert as_json.code == 1 and as_json.json()["problemCount"] == 1
