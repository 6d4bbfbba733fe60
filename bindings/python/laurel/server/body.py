"""Reading request bodies: JSON objects and arrays, forms, and the JSON types of the values
handlers pass on to laurel. Rules about what a badge may contain are the core's; this module only
checks that a value has the JSON type the Python API takes, so a wrong type is a 400 naming the
field.

Every body is decoded here, once, and every decoding failure is a 400 before any handler acts on
it: bytes that are not UTF-8, malformed JSON, ``NaN``/``Infinity`` (not JSON), duplicate keys in
an object (the core refuses them too: last-wins would let two readers disagree), nesting beyond
the parser's depth, and lone UTF-16 surrogates (``"\\ud800"``: valid JSON escapes, yet no
Unicode text, which laurel cannot store). Form bodies get the same text checks.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional

from starlette.requests import Request

from .errors import ApiError, invalid

__all__ = ["parse_json", "read_object", "read_array", "read_form", "opt_str", "opt_bool",
           "opt_list", "opt_dict", "opt_int"]

_MISSING = object()
# A \u escape of a UTF-16 surrogate: only then can a decoded string hold one (the raw bytes are
# decoded strictly, which refuses encoded surrogates), so other bodies skip the walk.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse(message: str) -> ApiError:
    return ApiError(400, "Invalid request", non_field_errors=[message], error_code="invalid")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _unique_keys(pairs: List[Any]) -> Dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
    return value


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_json(raw: bytes) -> Any:
    """The JSON value of a body, or a 400 ApiError saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _refuse(f"the body is not UTF-8: {error.reason} at byte {error.start}") from None
    try:
        value = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except ValueError as error:
        raise _refuse(f"the body is not valid JSON: {error}") from None
    except RecursionError:
        raise _refuse("the body is nested too deeply") from None
    if _SURROGATE_ESCAPE.search(raw) and _has_surrogate(value):
        raise _refuse("the body holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is "
                      "not Unicode text")
    return value


async def _read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise _refuse("a JSON body is required")
    return parse_json(raw)


async def read_form(request: Request) -> Dict[str, Any]:
    """A JSON object or a form (urlencoded or multipart) body as a dict of its text fields
    (files are left out); malformed bodies and text that is not Unicode are 400s."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return await read_object(request)
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - python-multipart's errors for a malformed body
        raise _refuse("the body is not a valid form") from None
    fields = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    if len(fields) != len([key for key, value in form.multi_items() if isinstance(value, str)]):
        raise _refuse("a form field is given twice")
    if _has_surrogate(fields):
        raise _refuse("a form field is not Unicode text")
    return fields


async def read_object(request: Request, *, allow_empty: bool = False) -> Dict[str, Any]:
    """The body as a JSON object (400 otherwise). `allow_empty`: no body reads as {}."""
    if allow_empty and not await request.body():
        return {}
    value = await _read_json(request)
    if not isinstance(value, dict):
        raise ApiError(400, "Invalid request", non_field_errors=["the body must be a JSON object"],
                       error_code="invalid")
    return value


async def read_array(request: Request) -> List[Any]:
    value = await _read_json(request)
    if not isinstance(value, list):
        raise ApiError(400, "Invalid request", non_field_errors=["the body must be a JSON array"],
                       error_code="invalid")
    return value


def opt_str(body: Dict[str, Any], key: str, field: Optional[str] = None) -> Optional[str]:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise invalid(field or key, "must be a string")
    return value


def req_str(body: Dict[str, Any], key: str, field: Optional[str] = None) -> str:
    """A string the caller must give; absent or empty is a 400 naming the field."""
    value = opt_str(body, key, field)
    if not value:
        raise invalid(field or key, "is required")
    return value


def opt_bool(body: Dict[str, Any], key: str, default: bool, field: Optional[str] = None) -> bool:
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise invalid(field or key, "must be true or false")
    return value


def opt_int(body: Dict[str, Any], key: str, field: Optional[str] = None) -> Optional[int]:
    value = body.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise invalid(field or key, "must be an integer")
    return value


def opt_list(body: Dict[str, Any], key: str, field: Optional[str] = None) -> Optional[List[Any]]:
    value = body.get(key)
    if value is not None and not isinstance(value, list):
        raise invalid(field or key, "must be a list")
    return value


def opt_dict(body: Dict[str, Any], key: str, field: Optional[str] = None) -> Optional[Dict[str, Any]]:
    value = body.get(key)
    if value is not None and not isinstance(value, dict):
        raise invalid(field or key, "must be an object")
    return value
