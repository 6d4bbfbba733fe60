"""Service documents on laurel.Store (used by the REST service): every call and bad input."""

from __future__ import annotations

import threading

import pytest

import laurel


def test_put_get_list_delete(store):
    store.put_document("user", "u1", {"name": "Ada", "emails": ["ada@example.com"]})
    store.put_document("user", "u2", {"name": "Alan"})
    store.put_document("token", "u1/a", {"scope": "rw:issuer"})
    assert store.get_document("user", "u1") == {"name": "Ada", "emails": ["ada@example.com"]}
    assert store.list_documents("user") == [("u1", {"name": "Ada",
                                                    "emails": ["ada@example.com"]}),
                                            ("u2", {"name": "Alan"})]
    store.put_document("token", "u2/b", {"scope": "r:profile"})
    assert store.list_documents("token", "u1/") == [("u1/a", {"scope": "rw:issuer"})]
    store.put_document("user", "u2", {"name": "Alan T."})
    assert store.get_document("user", "u2") == {"name": "Alan T."}
    assert store.delete_document("user", "u2") is True
    assert store.delete_document("user", "u2") is False
    with pytest.raises(laurel.NotFound):
        store.get_document("user", "u2")


def test_replace_document_is_compare_and_set(store):
    store.replace_document("once", "t", None, {"used": False})
    with pytest.raises(laurel.Conflict):
        store.replace_document("once", "t", None, {"used": False})
    store.replace_document("once", "t", {"used": False}, {"used": True})
    with pytest.raises(laurel.Conflict):
        store.replace_document("once", "t", {"used": False}, {"used": True})
    store.replace_document("once", "t", {"used": True}, None)
    assert store.list_documents("once") == []


def test_replace_document_lets_exactly_one_of_many_threads_win(store):
    store.put_document("once", "t", {"used": False})
    wins, conflicts = [], []

    def consume():
        try:
            store.replace_document("once", "t", {"used": False}, {"used": True})
            wins.append(1)
        except laurel.Conflict:
            conflicts.append(1)

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(wins), len(conflicts)) == (1, 7)


@pytest.mark.parametrize("call, exception", [
    (lambda s: s.put_document("Bad Kind", "k", {}), laurel.ValidationError),
    (lambda s: s.put_document("user", "", {}), laurel.ValidationError),
    (lambda s: s.put_document("user", "k" * 513, {}), laurel.ValidationError),
    (lambda s: s.put_document("user", "k", [1, 2]), laurel.ValidationError),
    (lambda s: s.replace_document("user", "k", None, "text"), laurel.ValidationError),
    (lambda s: s.put_document("user", 5, {}), TypeError),
    (lambda s: s.put_document("user", "k", {"x": object()}), TypeError),
    (lambda s: s.get_document(None, "k"), TypeError),
    (lambda s: s.list_documents("user", 3), TypeError),
])
def test_document_bad_input(store, call, exception):
    with pytest.raises(exception):
        call(store)
