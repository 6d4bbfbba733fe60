"""BadgeUser accounts as service documents, and one-time tokens (recovery, email confirmation).

=============  ========================  ==========================================================
kind           key                       value
=============  ========================  ==========================================================
user           entityId                  {entityId, firstName, lastName, emails [{email, verified,
                                          primary}], url [], telephone [], agreedTermsVersion,
                                          marketingOptIn, passwordHash, createdAt}
user_email     lower-cased email         {user}: makes an address belong to one account; claimed
                                         with compare-and-set, so two sign-ups racing in two
                                         workers cannot both win
one_time       sha256(token) hex         {purpose: recovery|confirm_email, user, email, expires}
=============  ========================  ==========================================================

Changes to a user document are compare-and-set loops (read, change, replace if unchanged), so
concurrent updates from several workers never lose one another.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

import laurel

from .auth import token_key
from .errors import ApiError, invalid

__all__ = ["USER_KIND", "EMAIL_KIND", "ONE_TIME_KIND", "normalize_email", "check_email",
           "check_password", "profile", "find_user_by_email", "update_user", "verified_emails",
           "create_one_time", "consume_one_time"]

USER_KIND = "user"
EMAIL_KIND = "user_email"
ONE_TIME_KIND = "one_time"

# Account rules (not Open Badges rules): a plausible address and a password of sane length.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN = 8
PASSWORD_MAX = 1024

Doc = Dict[str, Any]


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(seconds: Optional[int]) -> Optional[str]:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: Any, field: str = "email") -> str:
    if not isinstance(email, str) or not email.strip():
        raise invalid(field, "is required")
    email = email.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise invalid(field, "is not a valid email address")
    return email


def check_password(password: Any, field: str = "password") -> str:
    if not isinstance(password, str) or not password:
        raise invalid(field, "is required")
    if len(password) < PASSWORD_MIN:
        raise invalid(field, f"must be at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise invalid(field, f"must be at most {PASSWORD_MAX} characters")
    return password


def profile(user: Doc) -> Doc:
    """The Badgr BadgeUser shape: the document without its password hash."""
    return {
        "entityType": "BadgeUser",
        "entityId": user["entityId"],
        "firstName": user.get("firstName"),
        "lastName": user.get("lastName"),
        "emails": [dict(item) for item in user.get("emails", [])],
        "url": list(user.get("url", [])),
        "telephone": list(user.get("telephone", [])),
        "agreedTermsVersion": user.get("agreedTermsVersion"),
        "marketingOptIn": bool(user.get("marketingOptIn", False)),
        "hasPasswordSet": bool(user.get("passwordHash")),
        "createdAt": user.get("createdAt"),
    }


def get_user(store: Any, user_id: str) -> Doc:
    return store.get_document(USER_KIND, user_id)


def find_user_by_email(store: Any, email: str) -> Optional[Doc]:
    try:
        claim = store.get_document(EMAIL_KIND, normalize_email(email))
        return store.get_document(USER_KIND, claim["user"])
    except (laurel.NotFound, laurel.ValidationError):
        return None


def verified_emails(user: Doc) -> List[str]:
    return [item["email"] for item in user.get("emails", []) if item.get("verified")]


def update_user(store: Any, user_id: str, change: Callable[[Doc], Doc], attempts: int = 8) -> Doc:
    """Applies `change` (a function of the current document returning the new one) with
    compare-and-set, retrying when another worker changed the user meanwhile."""
    for _ in range(attempts):
        current = store.get_document(USER_KIND, user_id)
        updated = change(dict(current))
        try:
            store.replace_document(USER_KIND, user_id, current, updated)
            return updated
        except laurel.Conflict:
            continue
    raise ApiError(409, "The account changed too often meanwhile; try again.",
                   error_code="conflict")


def create_one_time(store: Any, purpose: str, user_id: str, ttl: int, **extra: Any) -> str:
    token = secrets.token_urlsafe(32)
    store.put_document(ONE_TIME_KIND, token_key(token),
                       {"purpose": purpose, "user": user_id, "expires": int(time.time()) + ttl,
                        **extra})
    return token


def consume_one_time(store: Any, purpose: str, token: Any, field: str = "token") -> Doc:
    """Uses up a one-time token: its document, removed atomically (compare-and-set to null), so
    two workers presented the same token cannot both accept it. 400 when unknown, expired,
    already used or meant for something else."""
    if not isinstance(token, str) or not token or len(token) > 256:
        raise invalid(field, "is required")
    key = token_key(token)
    try:
        record = store.get_document(ONE_TIME_KIND, key)
    except laurel.NotFound:
        raise invalid(field, "is invalid or was already used") from None
    if record.get("purpose") != purpose:
        raise invalid(field, "is invalid or was already used")
    try:
        store.replace_document(ONE_TIME_KIND, key, record, None)
    except laurel.Conflict:
        raise invalid(field, "is invalid or was already used") from None
    if record.get("expires", 0) <= time.time():
        raise invalid(field, "has expired")
    return record
