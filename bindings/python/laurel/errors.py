"""Laurel's exceptions.

Every error the core reports is raised as a subclass of :class:`Error`, chosen by its code in the
extension's one error table (``bindings/python/src/errors.cpp``):

========================  ==========================================================
core code                 exception
========================  ==========================================================
``Invalid``               :class:`ValidationError` (``.field`` names the input field)
``NotFound``              :class:`NotFound`
``PermissionDenied``      :class:`PermissionDenied`
``Conflict``              :class:`Conflict`
``Storage``               :class:`StorageError`
``Crypto``                :class:`CryptoError`
``Cancelled``             :class:`Cancelled`
``Internal``              :class:`InternalError`
========================  ==========================================================

Wrong Python types (an ``int`` where a ``str`` is expected) raise the built-in ``TypeError``.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
    "Error",
    "ValidationError",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "StorageError",
    "CryptoError",
    "Cancelled",
    "InternalError",
]


class Error(Exception):
    """Base class of every Laurel error.

    Attributes:
        message: what went wrong, as the core wrote it.
        field: the offending input field as a dotted Badgr (camelCase) path such as
            ``"criteriaUrl"`` or ``"alignments.2.targetUrl"``, or ``None``.
        code: the core's error code name (``"Invalid"``, ``"NotFound"``, ...).
    """

    code: str = "Internal"

    def __init__(self, message: str, *, field: Optional[str] = None,
                 code: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:  # keep .field and .code through pickling (multiprocessing)
        return (_rebuild, (type(self), self.message, self.field, self.code))


def _rebuild(cls: type, message: str, field: Optional[str], code: str) -> Error:
    return cls(message, field=field, code=code)


class ValidationError(Error, ValueError):
    """The input broke a rule; :attr:`field` names the field (``str()`` shows ``field: message``)."""

    code = "Invalid"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class NotFound(Error, LookupError):
    """No entity with that id."""

    code = "NotFound"


class PermissionDenied(Error):
    """The caller may not do this."""

    code = "PermissionDenied"


class Conflict(Error):
    """The operation would break an invariant: a duplicate award, revoking twice, deleting a badge
    class that has unrevoked assertions."""

    code = "Conflict"


class StorageError(Error, OSError):
    """LMDB or the file system failed; retrying may help."""

    code = "Storage"


class CryptoError(Error):
    """A key or signature operation failed."""

    code = "Crypto"


class Cancelled(Error):
    """A batch was cancelled before it committed; nothing was written."""

    code = "Cancelled"


class InternalError(Error):
    """A bug in Laurel; please report it."""

    code = "Internal"
