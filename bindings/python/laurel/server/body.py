"""Reading request bodies: JSON objects and arrays, and the JSON types of the values handlers
pass on to laurel. Rules about what a badge may contain are the core's; this module only checks
that a value has the JSON type the Python API takes, so a wrong type is a 400 naming the field."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from starlette.requests import Request

from .errors import ApiError, invalid

__all__ = ["read_object", "read_array", "opt_str", "opt_bool", "opt_list", "opt_dict", "opt_int"]

_MISSING = object()


async def _read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise ApiError(400, "Invalid request", non_field_errors=["a JSON body is required"],
                       error_code="invalid")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, "Invalid request",
                       non_field_errors=[f"the body is not valid JSON: {error}"],
                       error_code="invalid") from None
    except RecursionError:
        raise ApiError(400, "Invalid request", non_field_errors=["the body is nested too deeply"],
                       error_code="invalid") from None


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
