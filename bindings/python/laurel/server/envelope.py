"""Badgr's response envelope.

Every /v2 response body is ``{status: {success, description}, result: [...], validationErrors,
fieldErrors, nonFieldErrors, errorCode, warnings, timestamp, latestTermsVersion}``; `result` is
always a list (one item for a single entity). ``validationErrors`` repeats every field error as
``"<field>: <message>"`` (Badgr clients show that list), and ``latestTermsVersion`` is the
version of the terms of service a user agrees to (``agreedTermsVersion``). Bodies are
serialised here, once, to bytes: the handlers never go through FastAPI's response-model encoder,
which would cost more than the store call itself.
"""

from __future__ import annotations

import json
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional

from starlette.responses import Response

__all__ = ["envelope", "json_response", "dumps", "LATEST_TERMS_VERSION"]

LATEST_TERMS_VERSION = 1


# One encoder for every body, made once: JSONEncoder.encode builds its C encoder anew on every
# call (about a microsecond, a fifth of a body's encoding). The same C encoder and options as
# ``JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)``, so the bytes
# are the same; without the circular check (the markers dict, None here) a body that contained
# itself would fail with RecursionError instead of ValueError: no body does.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
_C_ENCODE = getattr(json.encoder, "c_make_encoder", None)
_ENCODE = (_C_ENCODE(None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",",
                     False, False, True) if _C_ENCODE is not None else None)


def dumps(value: Any) -> bytes:
    if _ENCODE is None:  # a Python without the C accelerator
        return _ENCODER.encode(value).encode("utf-8")
    return "".join(_ENCODE(value, 0)).encode("utf-8")


_second_text = (-1, "")  # (Unix second, its "YYYY-MM-DDTHH:MM:SS"), formatted once per second


def _now() -> str:
    """UTC now as ISO 8601 with milliseconds and "Z". Every envelope carries one: formatting
    the date part once per second instead of through datetime keeps it off the profile."""
    global _second_text
    now = time.time()
    second = int(now)
    if second != _second_text[0]:
        _second_text = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return f"{_second_text[1]}.{int((now - second) * 1000):03d}Z"


def envelope(result: Optional[Iterable[Any]] = None, *, status_code: int = 200,
             description: str = "ok", success: Optional[bool] = None,
             field_errors: Optional[Mapping[str, List[str]]] = None,
             non_field_errors: Optional[List[str]] = None,
             validation_errors: Optional[List[str]] = None, error_code: Optional[str] = None,
             warnings: Optional[Mapping[str, List[str]]] = None,
             headers: Optional[Mapping[str, str]] = None) -> Response:
    """A Badgr envelope response. `success` defaults to ``status_code < 400``."""
    if status_code == 204:
        return Response(status_code=204, headers=dict(headers or {}))
    if validation_errors is None and field_errors:
        validation_errors = [f"{field}: {message}" for field, messages in field_errors.items()
                             for message in messages]
    body: Dict[str, Any] = {
        "status": {"success": status_code < 400 if success is None else success,
                   "description": description},
        "result": list(result) if result is not None else [],
        "validationErrors": list(validation_errors) if validation_errors else [],
        "fieldErrors": dict(field_errors) if field_errors else {},
        "nonFieldErrors": list(non_field_errors) if non_field_errors else [],
        "errorCode": error_code,
        "warnings": dict(warnings) if warnings else {},
        "timestamp": _now(),
        "latestTermsVersion": LATEST_TERMS_VERSION,
    }
    if headers or status_code < 200 or status_code == 304:
        return Response(dumps(body), status_code=status_code,
                        headers=dict(headers) if headers else None, media_type="application/json")
    return _JsonBody(dumps(body), status_code)


class _JsonBody(Response):
    """``Response(body, status_code, media_type="application/json")`` for a status with a body
    and no extra headers, without Response.__init__'s general header handling (a tenth of an
    envelope's cost): the same two headers, in the same order (tests: test_rest_hot_path.py)."""

    media_type = "application/json"

    def __init__(self, body: bytes, status_code: int) -> None:
        self.status_code = status_code
        self.background = None
        self.body = body
        self.raw_headers = [(b"content-length", str(len(body)).encode("latin-1")),
                            (b"content-type", b"application/json")]


def json_response(value: Any, *, status_code: int = 200, media_type: str = "application/json",
                  headers: Optional[Mapping[str, str]] = None) -> Response:
    """A plain JSON body (public Open Badges documents and the OAuth2 token endpoint, which have
    their own standard shapes)."""
    return Response(dumps(value), status_code=status_code, media_type=media_type,
                    headers=dict(headers or {}))
