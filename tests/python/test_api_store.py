"""Opening, closing and reopening a store."""

from __future__ import annotations

import pytest

import laurel


def test_store_creates_missing_directories(tmp_path):
    path = tmp_path / "a" / "b" / "data"
    with laurel.Store(path) as store:
        assert store.path == str(path)
        assert not store.closed
    assert (path / "data.mdb").exists()


def test_data_survives_reopening(tmp_path):
    with laurel.Store(tmp_path) as store:
        issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu")
        badge = store.create_badgeclass(issuer.entity_id, "B", "D")
        ids = store.issue_batch(badge.entity_id, ["a@example.com", "b@example.com"]).entity_ids
    with laurel.Store(str(tmp_path)) as store:
        assert store.get_issuer(issuer.entity_id) == issuer
        assert {a.entity_id for a in store.iter_assertions(badgeclass=badge.entity_id)} == set(ids)


def test_closed_store_refuses_calls(tmp_path):
    store = laurel.Store(tmp_path)
    store.close()
    store.close()  # harmless
    assert store.closed
    assert "closed" in repr(store)
    with pytest.raises(ValueError, match="closed"):
        store.list_issuers()


def test_two_stores_on_one_directory_see_each_other(tmp_path):
    with laurel.Store(tmp_path) as first, laurel.Store(tmp_path) as second:
        issuer = first.create_issuer("Example U", "badges@example.edu", "https://example.edu")
        assert second.get_issuer(issuer.entity_id) == issuer


def test_keep_plaintext_false_stores_only_hashes(tmp_path):
    with laurel.Store(tmp_path, keep_plaintext=False) as store:
        issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu")
        badge = store.create_badgeclass(issuer.entity_id, "B", "D")
        assertion = store.issue(badge.entity_id, "ada@example.com")
        assert assertion.recipient.plaintext_identity is None
        assert assertion.recipient.matches("ada@example.com")
        assert [a.entity_id for a in store.list_assertions(recipient="ada@example.com")] == [
            assertion.entity_id]


def test_bad_paths_and_options(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises((laurel.StorageError, FileExistsError, NotADirectoryError)):
        laurel.Store(blocker)
    with pytest.raises(TypeError):
        laurel.Store(42)
    with pytest.raises(TypeError, match="keep_plaintext"):
        laurel.Store(tmp_path, keep_plaintext="no")
    with pytest.raises(TypeError, match="map_size"):
        laurel.Store(tmp_path, map_size=-1)


def test_unwritable_directory_is_a_storage_error(tmp_path):
    import os

    if os.geteuid() == 0:
        # root ignores permissions; a path below a regular file fails for everyone instead.
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(OSError):
            laurel.Store(blocker / "data")
        return
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(laurel.StorageError):
        laurel.Store(locked)
