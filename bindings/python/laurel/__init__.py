"""Laurel: an Open Badges engine.

>>> import laurel
>>> with laurel.Store("laurel-data") as store:
...     issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu")
...     badge = store.create_badgeclass(issuer.entity_id, "Python 101", "Finished the course")
...     result = store.issue_batch(badge.entity_id, ["ada@example.com", "alan@example.com"])

Entities (:class:`Issuer`, :class:`BadgeClass`, :class:`Assertion`) have snake_case attributes
and ``to_dict()`` gives their Badgr v2 JSON shape. Errors are :class:`Error` subclasses.
:func:`verify`, :func:`bake` and :func:`unbake` check and carry badges from anywhere; a Store
signs them (``store.sign``, ``store.credential``) and publishes their documents
(``store.public_document``).
"""

from __future__ import annotations

from typing import Optional

# errors first: the extension looks its exception classes up in laurel.errors when it loads.
from .errors import (Cancelled, Conflict, CryptoError, Error, InternalError, NotFound,
                     PermissionDenied, StorageError, ValidationError)
from . import _core
from .entities import (Alignment, Assertion, BadgeClass, Entity, Evidence, Expiration, Issuer,
                       Recipient)
from .columns import IgnoredColumnsWarning
from .progress import ProgressCallback
from .results import IssueBatchResult, IssueItem, Page
from .store import Store, init_store, is_database_url, shown_location
from .verification import bake, unbake, verify
from . import jsonld

__version__: str = _core.__version__

__all__ = [
    "__version__",
    "Store",
    "init_store",
    "is_database_url",
    "shown_location",
    "verify",
    "bake",
    "unbake",
    "Issuer",
    "BadgeClass",
    "Assertion",
    "Recipient",
    "Evidence",
    "Alignment",
    "Expiration",
    "Entity",
    "Page",
    "IssueBatchResult",
    "IssueItem",
    "ProgressCallback",
    "IgnoredColumnsWarning",
    "hash_identity",
    "identity_matches",
    "new_salt",
    "Error",
    "ValidationError",
    "NotFound",
    "Conflict",
    "PermissionDenied",
    "StorageError",
    "CryptoError",
    "Cancelled",
    "InternalError",
]


def hash_identity(identity: str, salt: str, type: str = "email") -> str:
    """``"sha256$" + hex(sha256(normalized identity + salt))``, the OB 2.0 hashed identity.

    Emails are trimmed and lower-cased first. Raises ValidationError (field
    ``"recipient.identity"`` or ``"recipient.type"``) for an identity that is not of `type`.
    """
    return _core.hash_identity(identity, salt, type)


def identity_matches(identity: str, hashed_identity: str, salt: Optional[str],
                     type: str = "email") -> bool:
    """True when the plaintext `identity` is the one behind `hashed_identity` (``sha256$`` or
    ``md5$``, or a plaintext identity), compared in constant time."""
    return _core.identity_matches(identity, hashed_identity, salt or "", type)


def new_salt() -> str:
    """A fresh random salt (16 bytes from the CSPRNG, hex)."""
    return _core.new_salt()

