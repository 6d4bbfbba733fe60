"""issue_batch: inputs, per-item results, all-or-nothing, progress, Ctrl-C and the GIL."""

from __future__ import annotations

import os
import signal
import threading

import pytest

import laurel


def count(store, badge, **kwargs):
    return len(list(store.iter_assertions(badgeclass=badge.entity_id, **kwargs)))


def test_batch_of_strings_dicts_and_generators(store, badge):
    result = store.issue_batch(badge.entity_id, [
        "a@example.com",
        {"identity": "b@example.com", "narrative": "Great work",
         "evidence": [{"url": "https://example.org/b"}]},
        {"identity": "https://example.org/c", "type": "url"},
    ], narrative="Default narrative")
    assert isinstance(result, laurel.IssueBatchResult)
    assert (result.issued, result.duplicates, result.invalid, result.committed) == (3, 0, 0, True)
    assert len(result) == 3 and len(result.entity_ids) == 3
    items = list(result)
    assert all(isinstance(i, laurel.IssueItem) and i.issued and i.code is None for i in items)
    assert [i.index for i in items] == [0, 1, 2]
    a, b, c = (store.get_assertion(i.entity_id) for i in items)
    assert a.narrative == "Default narrative"
    assert b.narrative == "Great work" and b.evidence[0].url == "https://example.org/b"
    assert c.recipient.type == "url"
    generated = store.issue_batch(badge.entity_id, (f"g{n}@example.com" for n in range(5)))
    assert generated.issued == 5
    assert result[-1] == result[2] and result[0:2] == items[0:2]
    with pytest.raises(IndexError):
        result[3]
    assert result.core_seconds > 0


def test_invalid_recipient_aborts_the_whole_batch(store, badge):
    with pytest.raises(laurel.ValidationError) as raised:
        store.issue_batch(badge.entity_id, ["a@example.com", "nope", "b@example.com", ""])
    error = raised.value
    assert error.field == "recipients[1].recipient.identity" and error.row == 1
    assert "1 more invalid, 4 recipients in the batch; nothing was issued" in str(error)
    failures = error.results.errors()
    assert [(f.index, f.field) for f in failures] == [(1, "recipient.identity"),
                                                        (3, "recipient.identity")]
    assert count(store, badge) == 0


def test_skip_invalid_issues_the_rest(store, badge):
    result = store.issue_batch(badge.entity_id, ["a@example.com", "nope", "b@example.com"],
                               skip_invalid=True)
    assert (result.issued, result.invalid) == (2, 1)
    assert result[1].code == "invalid" and result[1].message
    assert result.to_records()[1]["code"] == "invalid"
    assert count(store, badge) == 2


def test_duplicates_are_skipped_by_default(store, badge):
    """As `laurel award` does: re-running an award (a notebook cell) awards nobody twice."""
    store.issue(badge.entity_id, "a@example.com")
    result = store.issue_batch(badge.entity_id,
                               ["a@example.com", "b@example.com", "B@example.com"])
    assert (result.issued, result.duplicates) == (1, 2)
    assert [i.code for i in result] == ["duplicate", None, "duplicate"]
    assert count(store, badge) == 2
    again = store.issue_batch(badge.entity_id, ["a@example.com", "a@example.com"],
                              allow_duplicate=True)
    assert again.issued == 2  # when asked for


def test_dataframe_records_are_recipients(store, badge):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({
        "identity": ["a@example.com", "b@example.com", "c@example.com"],
        "narrative": ["Top marks", None, float("nan")],
    })
    result = store.issue_batch(badge.entity_id, frame, narrative="Default")
    assert result.issued == 3
    narratives = [store.get_assertion(i).narrative for i in result.entity_ids]
    assert narratives == ["Top marks", "Default", "Default"]
    series = store.issue_batch(badge.entity_id, frame["identity"], allow_duplicate=True)
    assert series.issued == 3


@pytest.mark.parametrize("recipients, message", [
    ("a@example.com", "recipients: expected an iterable of recipients, .* got str"),
    ({"identity": "a@example.com"}, "recipients: expected an iterable"),
    (42, "not iterable"),
    (["a@example.com", 7], r"recipients\[1\]: expected str or dict, got int"),
    ([{"identity": "a@example.com", "narrative": 5}],
     r"recipients\[0\]\.narrative: expected str, got int"),
    ([{"identity": "a@example.com", "evidence": [3]}],
     r"recipients\[0\].evidence\[0\]: expected dict, got int"),
])
def test_batch_rejects_wrong_types_before_writing(store, badge, recipients, message):
    with pytest.raises(TypeError, match=message):
        store.issue_batch(badge.entity_id, recipients)
    assert count(store, badge) == 0


def test_batch_bad_arguments(store, badge):
    with pytest.raises(laurel.NotFound):
        store.issue_batch("AAAAAAAAAAAAAAAAAAAAAA", ["a@example.com"])
    with pytest.raises(TypeError, match="progress: expected a callable"):
        store.issue_batch(badge.entity_id, ["a@example.com"], progress=5)
    with pytest.raises(TypeError):
        store.issue_batch(badge.entity_id, ["a@example.com"], allow_duplicate="no")
    empty = store.issue_batch(badge.entity_id, [])
    assert (empty.issued, len(empty)) == (0, 0)


def test_progress_reports_done_and_total(store, badge):
    calls = []
    result = store.issue_batch(badge.entity_id, [f"p{n}@example.com" for n in range(5000)],
                               progress=lambda done, total: calls.append((done, total)))
    assert result.issued == 5000
    assert calls and calls[-1] == (5000, 5000)
    assert all(total == 5000 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_exception_in_progress_cancels_with_nothing_written(store, badge):
    class Stop(Exception):
        pass

    def progress(done, total):
        raise Stop(f"stop at {done}")

    with pytest.raises(Stop):
        store.issue_batch(badge.entity_id, [f"s{n}@example.com" for n in range(5000)],
                          progress=progress)
    assert count(store, badge) == 0


@pytest.mark.slow
def test_ctrl_c_during_a_batch_aborts_cleanly(store, badge):
    """SIGINT arrives while the core works with the GIL released; the next progress check turns
    it into KeyboardInterrupt, the transaction is rolled back, and the store stays usable."""
    started = threading.Event()

    def progress(done, total):
        if not started.is_set():
            started.set()
            threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGINT)).start()

    with pytest.raises(KeyboardInterrupt):
        store.issue_batch(badge.entity_id, [f"k{n}@example.com" for n in range(100_000)],
                          progress=progress)
    assert count(store, badge) == 0
    assert store.issue_batch(badge.entity_id, ["after@example.com"]).issued == 1


@pytest.mark.slow
def test_ctrl_c_without_a_progress_callback(store, badge):
    timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            store.issue_batch(badge.entity_id, [f"q{n}@example.com" for n in range(300_000)])
    finally:
        timer.cancel()
    assert count(store, badge) == 0


@pytest.mark.slow
def test_batch_releases_the_gil(store, badge):
    recipients = [f"gil{n}@example.com" for n in range(100_000)]
    result = {}
    worker = threading.Thread(
        target=lambda: result.setdefault("batch", store.issue_batch(badge.entity_id, recipients)))
    ticks = 0
    worker.start()
    while worker.is_alive():
        ticks += 1
    worker.join()
    assert result["batch"].issued == 100_000
    # With the GIL held for the whole core call this loop would barely run.
    assert ticks > 10_000


def test_store_shared_by_threads(store, badge):
    errors = []

    def award(prefix):
        try:
            store.issue_batch(badge.entity_id, [f"{prefix}{n}@example.com" for n in range(500)])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=award, args=(f"t{i}-",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(store, badge) == 2000
