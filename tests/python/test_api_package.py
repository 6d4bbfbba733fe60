"""The package surface: names, version, the error table, hashing helpers, stubs and docs."""

from __future__ import annotations

import pickle
import pydoc
import re
from pathlib import Path

import pytest

import laurel
from laurel import _core

CONTRACT_NAMES = [
    "Store", "Error", "ValidationError", "NotFound", "Conflict", "PermissionDenied",
    "hash_identity", "identity_matches", "__version__",
]
STORE_METHODS = [
    "create_issuer", "get_issuer", "update_issuer", "delete_issuer", "list_issuers",
    "create_badgeclass", "get_badgeclass", "update_badgeclass", "delete_badgeclass",
    "list_badgeclasses", "issue", "issue_batch", "revoke", "revoke_batch", "get_assertion",
    "list_assertions", "close",
]


def test_contract_names_exist():
    for name in CONTRACT_NAMES:
        assert hasattr(laurel, name), name
    for name in STORE_METHODS:
        assert callable(getattr(laurel.Store, name)), name


def test_version_is_the_cmake_project_version():
    cmake = (Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text()
    expected = re.search(r"project\(laurel VERSION ([0-9.]+)", cmake).group(1)
    assert laurel.__version__ == expected == _core.__version__


@pytest.mark.parametrize("code, cls", [
    ("Invalid", laurel.ValidationError),
    ("NotFound", laurel.NotFound),
    ("PermissionDenied", laurel.PermissionDenied),
    ("Conflict", laurel.Conflict),
    ("Storage", laurel.StorageError),
    ("Crypto", laurel.CryptoError),
    ("Cancelled", laurel.Cancelled),
    ("Internal", laurel.InternalError),
])
def test_each_core_error_code_raises_its_class(code, cls):
    with pytest.raises(cls) as raised:
        _core.raise_error(code, "someField", "went wrong")
    assert isinstance(raised.value, laurel.Error)
    assert raised.value.code == code
    assert raised.value.field == "someField"
    assert raised.value.message == "went wrong"
    assert _core.ERROR_CLASSES[code] is cls


def test_error_without_field_and_unknown_code():
    with pytest.raises(laurel.NotFound) as raised:
        _core.raise_error("NotFound", "", "nothing here")
    assert raised.value.field is None
    assert str(raised.value) == "nothing here"
    with pytest.raises(ValueError, match="unknown error code"):
        _core.raise_error("Nope", "", "x")


def test_validation_error_shows_field_and_is_a_value_error():
    error = laurel.ValidationError("must be an http(s) URL", field="criteriaUrl")
    assert str(error) == "criteriaUrl: must be an http(s) URL"
    assert isinstance(error, ValueError)
    assert isinstance(laurel.NotFound("x"), LookupError)


def test_errors_survive_pickling():
    error = laurel.ValidationError("is required", field="name")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is laurel.ValidationError
    assert (copy.field, copy.message, copy.code) == ("name", "is required", "Invalid")


def test_hash_identity_matches_the_recipe_and_lowercases_email():
    import hashlib

    salt = "c0ffee"
    expected = "sha256$" + hashlib.sha256(b"ada@example.com" + salt.encode()).hexdigest()
    assert laurel.hash_identity("  Ada@Example.COM ", salt) == expected
    assert laurel.identity_matches("ada@example.com", expected, salt)
    assert laurel.identity_matches("ADA@example.com", expected, salt)
    assert not laurel.identity_matches("bob@example.com", expected, salt)
    assert not laurel.identity_matches("ada@example.com", expected, "other-salt")


def test_hash_identity_bad_input():
    with pytest.raises(laurel.ValidationError) as raised:
        laurel.hash_identity("not an email", "salt")
    assert raised.value.field == "recipient.identity"
    with pytest.raises(laurel.ValidationError) as raised:
        laurel.hash_identity("ada@example.com", "salt", type="fax")
    assert raised.value.field == "recipient.type"
    with pytest.raises(TypeError):
        laurel.hash_identity(42, "salt")  # type: ignore[arg-type]


def test_hash_identity_other_types():
    url_hash = laurel.hash_identity("https://example.org/ada", "s", type="url")
    assert url_hash.startswith("sha256$")
    assert laurel.identity_matches("https://example.org/ada", url_hash, "s", type="url")


def test_new_salt_is_fresh_hex():
    first, second = laurel.new_salt(), laurel.new_salt()
    assert first != second
    assert re.fullmatch(r"[0-9a-f]{32}", first)


def test_canonical_json_and_parse_json_use_the_core():
    assert _core.canonical_json({"b": 1, "a": [True, None, "é"]}) == '{"a":[true,null,"é"],"b":1}'
    assert _core.parse_json('{"x": [1, 2.5, "y"]}') == {"x": [1, 2.5, "y"]}
    with pytest.raises(laurel.ValidationError) as raised:
        _core.parse_json("{nope")
    assert raised.value.field == "json"
    with pytest.raises(TypeError, match="value.a: expected a JSON value"):
        _core.canonical_json({"a": object()})
    with pytest.raises(ValueError, match="finite"):
        _core.canonical_json(float("nan"))


def test_help_reads_well():
    text = pydoc.render_doc(laurel.Store, renderer=pydoc.plaintext)
    assert "A Laurel store: one LMDB environment in a directory, or a PostgreSQL database." in text
    assert "issue_batch(self, badgeclass_id" in text
    assert "Awards a badge class to many recipients in one transaction." in text
    assert "Raises NotFound" in text
    assert laurel.Assertion.revoked.__doc__.startswith("whether it was revoked")


def test_type_stubs_cover_the_extension():
    package = Path(laurel.__file__).parent
    stub = (package / "_core.pyi").read_text()
    assert (package / "py.typed").exists()
    for name in ("class Store", "class IssueBatchResult", "def hash_identity",
                 "def identity_matches", "def canonical_json", "def raise_error"):
        assert name in stub, name
    # the core takes a batch's recipients as columns (Store.issue_batch converts any input)
    core_methods = ["issue_columns" if name == "issue_batch" else name for name in STORE_METHODS]
    for method in core_methods:
        assert f"def {method}(" in stub, method
