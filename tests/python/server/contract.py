"""Helpers of the contract suites (test_contract_*.py): the reference documents' example bodies
(copied into tests/data/badgr/, see its README), filled in where they write placeholders, and a
check that a response has every field a document shows, with its JSON type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

DATA = Path(__file__).resolve().parents[2] / "data" / "badgr"

# A valid OB 2.0 extension for the documents' "ANY_ADDITIONAL_PROPERTY" placeholders.
EXTENSION_NAME = "extensions:ExampleExtension"
EXTENSION = {"@context": "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
             "type": ["Extension", "extension:ExampleExtension"], "exampleProperty": "text"}
PLACEHOLDER = "ANY_ADDITIONAL_PROPERTY"
ENVELOPE = ("status", "result", "timestamp", "validationErrors", "nonFieldErrors", "fieldErrors",
            "errorCode", "warnings", "latestTermsVersion")


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def fill(value: Any, replacements: Mapping[str, Any], key: str = "") -> Any:
    """The example body with our ids in place of the documents' (`replacements`: their value ->
    ours), a valid extension for each placeholder, and an http(s) URL where a URL field says
    "text"."""
    if isinstance(value, dict):
        if key == "extensions":
            return {EXTENSION_NAME: EXTENSION}
        return {name: fill(item, replacements, name) for name, item in value.items()}
    if isinstance(value, list):
        return [fill(item, replacements, key) for item in value]
    if isinstance(value, str):
        if value in replacements:
            return replacements[value]
        if value == "text" and key.lower().endswith("url"):
            return "https://example.org/text"
    return value


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def missing_fields(shown: Any, actual: Any, path: str = "") -> List[str]:
    """Every field of the documented value `shown` absent from `actual` or of another JSON type
    (null stands for any type: a document's example fills every optional field)."""
    problems: List[str] = []
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, got {_type_name(actual)}"]
        for name, value in shown.items():
            if name == PLACEHOLDER:
                continue
            where = f"{path}.{name}" if path else name
            if name not in actual:
                problems.append(f"{where}: missing")
            elif actual[name] is not None and value is not None:
                problems.extend(missing_fields(value, actual[name], where))
        return problems
    if isinstance(shown, list):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {_type_name(actual)}"]
        if shown and actual:
            problems.extend(missing_fields(shown[0], actual[0], f"{path}[0]"))
        return problems
    if _type_name(shown) != _type_name(actual):
        return [f"{path}: expected {_type_name(shown)}, got {_type_name(actual)}"]
    return problems


def missing_paths(paths: List[Dict[str, str]], body: Any) -> List[str]:
    """The connector's returned fields (``result.recipient.identity``: "array of object" result,
    so each item) absent from `body`."""
    problems = []
    for entry in paths:
        found: Optional[Any] = body
        for part in entry["path"].split("."):
            if isinstance(found, list):
                found = found[0] if found else None
            if found is None:  # an empty list or a null object: nothing below to check
                break
            if not isinstance(found, dict) or part not in found:
                problems.append(entry["path"])
                break
            found = found[part]
    return problems
