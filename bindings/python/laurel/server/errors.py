"""The REST face's one error table: laurel errors and HTTP-level failures to status codes and
Badgr envelopes.

=============================  ======  ===============================================
raised                         status  envelope
=============================  ======  ===============================================
laurel.ValidationError         400     ``fieldErrors {field: [message]}`` (or
                                       ``nonFieldErrors`` when the core names no field)
laurel.NotFound                404     ``nonFieldErrors``
laurel.PermissionDenied        403
laurel.Conflict                409
laurel.StorageError            503     retry later (``Retry-After: 1``)
other laurel.Error             500
TypeError from a laurel call   400     the body had a value of the wrong JSON type
ApiError                       its own (401, 403, 404, 413, 429, ...)
malformed or non-object body   400
=============================  ======  ===============================================

Nothing else maps a status: handlers raise, this module answers.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Type, TypeVar

import laurel
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .envelope import envelope

__all__ = ["ApiError", "LAUREL_ERRORS", "call", "install_error_handlers", "not_found"]

log = logging.getLogger("laurel.server")

# (exception class, HTTP status, Badgr errorCode). Order matters: first match wins.
LAUREL_ERRORS: Tuple[Tuple[Type[BaseException], int, str], ...] = (
    (laurel.ValidationError, 400, "invalid"),
    (laurel.NotFound, 404, "not_found"),
    (laurel.PermissionDenied, 403, "permission_denied"),
    (laurel.Conflict, 409, "conflict"),
    (laurel.StorageError, 503, "storage"),
    (laurel.Error, 500, "internal"),
)


class ApiError(Exception):
    """An HTTP-level failure raised by the server itself (auth, rate limit, body shape)."""

    def __init__(self, status: int, description: str, *,
                 field_errors: Optional[Mapping[str, List[str]]] = None,
                 non_field_errors: Optional[List[str]] = None, error_code: Optional[str] = None,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.field_errors = dict(field_errors or {})
        self.non_field_errors = list(non_field_errors or ([] if field_errors else [description]))
        self.error_code = error_code
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return envelope(status_code=self.status, description=self.description,
                        field_errors=self.field_errors, non_field_errors=self.non_field_errors,
                        error_code=self.error_code, headers=self.headers)


def not_found(what: str = "Not found") -> ApiError:
    """The 404 used wherever existence itself is private (another user's issuer, token, ...)."""
    return ApiError(404, what, error_code="not_found")


def invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "Invalid request", field_errors={field: [message]},
                    error_code="invalid")


def _laurel_response(error: laurel.Error, prefix: str = "") -> Response:
    for cls, status, code in LAUREL_ERRORS:
        if isinstance(error, cls):
            break
    message = getattr(error, "message", str(error))
    field = getattr(error, "field", None)
    if status == 400 and field:
        return envelope(status_code=400, description="Invalid request",
                        field_errors={prefix + field: [message]}, error_code=code)
    if status >= 500:
        log.error("laurel error %s: %s", type(error).__name__, message)
    headers = {"Retry-After": "1"} if status == 503 else None
    description = {400: "Invalid request", 404: "Not found", 403: "Permission denied",
                   409: "Conflict"}.get(status, "Server error")
    return envelope(status_code=status, description=description, non_field_errors=[message],
                    error_code=code, headers=headers)


class PrefixedError(Exception):
    """A laurel error whose field belongs inside a larger body (``assertions.3.recipient``)."""

    def __init__(self, error: laurel.Error, prefix: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.prefix = prefix


T = TypeVar("T")


def call(function: Callable[..., T], *args: Any, field_prefix: str = "", **kwargs: Any) -> T:
    """Calls into laurel; a TypeError or ValueError that is not a laurel error (the binding's
    answer to a JSON value of the wrong type) becomes a 400, never a 500. `field_prefix` is put
    before the field a ValidationError names."""
    try:
        return function(*args, **kwargs)
    except laurel.Error as error:
        if field_prefix:
            raise PrefixedError(error, field_prefix) from error
        raise
    except (TypeError, ValueError) as error:
        raise ApiError(400, "Invalid request", non_field_errors=[str(error)],
                       error_code="invalid") from error


def _field_of(location: Tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> Response:
        return error.response()

    @app.exception_handler(PrefixedError)
    async def prefixed_error(_: Request, error: PrefixedError) -> Response:
        return _laurel_response(error.error, error.prefix)

    @app.exception_handler(laurel.Error)
    async def laurel_error(_: Request, error: laurel.Error) -> Response:
        return _laurel_response(error)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, error: RequestValidationError) -> Response:
        field_errors: Dict[str, List[str]] = {}
        for item in error.errors():
            field_errors.setdefault(_field_of(tuple(item.get("loc", ()))), []).append(
                str(item.get("msg", "invalid")))
        return envelope(status_code=400, description="Invalid request", field_errors=field_errors,
                        error_code="invalid")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> Response:
        description = str(error.detail) if error.detail else "Error"
        return envelope(status_code=error.status_code, description=description,
                        non_field_errors=[description], headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> Response:
        log.exception("unhandled error")
        return envelope(status_code=500, description="Server error",
                        non_field_errors=["internal server error"], error_code="internal")
