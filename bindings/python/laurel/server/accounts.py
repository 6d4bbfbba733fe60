"""BadgeUser accounts as service documents, and one-time tokens (recovery, email confirmation).

=============  ========================  ==========================================================
kind           key                       value
=============  ========================  ==========================================================
user           entityId                  {entityId, firstName, lastName, emails [{email, verified,
                                          primary}], url [], telephone [], agreedTermsVersion,
                                          marketingOptIn, passwordHash, createdAt}
user_email     email_key(email)          {user}: makes an address belong to one account; claimed
                                         with compare-and-set, so two sign-ups racing in two
                                         workers cannot both win
one_time       sha256(token) hex         {purpose: recovery|confirm_email, user, email, expires}
=============  ========================  ==========================================================

Changes to a user document are compare-and-set loops (read, change, replace if unchanged), so
concurrent updates from several workers never lose one another.

An address is *verified* on an account only by someone who proved control of the address (a
token mailed to it) acting for that account: the confirmation link mailed at sign-up, a recovery
(whose new password the address holder sets), or a recipient registration that creates the
account. A claim by an account that never verified the address does not bind it: whoever proves
control takes the address over (:func:`take_over_email`), so signing up first with someone else's
address (account pre-hijacking) gains nothing.
"""

from __future__ import annotations

import base64
import re
import secrets
import time
import unicodedata
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

import laurel

from .auth import token_key
from .envelope import LATEST_TERMS_VERSION
from .errors import ApiError, invalid

__all__ = ["USER_KIND", "EMAIL_KIND", "ONE_TIME_KIND", "normalize_email", "same_email",
           "check_email", "check_password", "profile", "find_user_by_email", "find_verified_user",
           "update_user",
           "verified_emails", "has_verified", "claim_owner", "mark_verified", "take_over_email",
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
    """The key that makes two spellings of an address one account: NFC (so composed and
    decomposed forms, and the Kelvin sign and K, are one), the domain case-folded, the local
    part lower-cased. The local part is not case-folded further (``ß`` and ``ss`` stay
    different mailboxes); case is ignored in it because mail providers do in practice."""
    email = unicodedata.normalize("NFC", email.strip())
    local, at, domain = email.rpartition("@")
    if not at:
        return email.lower()
    return f"{local.lower()}@{unicodedata.normalize('NFC', domain.casefold())}"


def same_email(left: str, right: str) -> bool:
    return normalize_email(left) == normalize_email(right)


def check_email(email: Any, field: str = "email") -> str:
    if not isinstance(email, str) or not email.strip():
        raise invalid(field, "is required")
    email = unicodedata.normalize("NFC", email.strip())
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


def _email_view(user_id: str, item: Doc) -> Doc:
    """Badgr's CachedEmailAddress: the stored {email, verified, primary} with an entityId (stable:
    derived from the account and the normalized address, so nothing more is stored) and its
    caseVariants (other spellings of it in use; Laurel keeps one spelling, so none)."""
    address = normalize_email(item.get("email") or "")
    digest = token_key(f"{user_id}/{address}")[:32]
    entity_id = base64.urlsafe_b64encode(bytes.fromhex(digest)).rstrip(b"=").decode("ascii")
    return {"entityType": "CachedEmailAddress", "entityId": entity_id, **item,
            "caseVariants": []}


def profile(user: Doc) -> Doc:
    """The Badgr BadgeUser shape: the document without its password hash."""
    emails = user.get("emails", [])
    agreed = user.get("agreedTermsVersion")
    return {
        "entityType": "BadgeUser",
        "entityId": user["entityId"],
        "firstName": user.get("firstName"),
        "lastName": user.get("lastName"),
        "emails": [_email_view(user["entityId"], item) for item in emails],
        "recipient": next((item["email"] for item in emails if item.get("primary")), None),
        "badgrDomain": None,
        "hasAgreedToLatestTermsVersion": isinstance(agreed, int) and
        agreed >= LATEST_TERMS_VERSION,
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


def user_id_of(store: Any, user: str, field: str) -> str:
    """A member given by user entityId or by an account email (one its account confirmed), as
    the user's entityId; 400 naming `field` for an unknown user."""
    if "@" in user:
        found = find_verified_user(store, user)
        if found is None:
            raise invalid(field, "no account has confirmed this email")
        return found["entityId"]
    try:
        store.get_document(USER_KIND, user)
    except (laurel.NotFound, laurel.ValidationError):
        raise invalid(field, "no such user") from None
    return user


def find_verified_user(store: Any, email: str) -> Optional[Doc]:
    """The account that holds `email` *and confirmed it*: the one to grant a role by address
    (an unconfirmed claim may be anyone's)."""
    user = find_user_by_email(store, email)
    return user if user is not None and has_verified(user, email) else None


def verified_emails(user: Doc) -> List[str]:
    return [item["email"] for item in user.get("emails", []) if item.get("verified")]


def has_verified(user: Doc, email: str) -> bool:
    return any(same_email(item, email) for item in verified_emails(user))


def claim_owner(store: Any, email: str) -> Optional[str]:
    try:
        return store.get_document(EMAIL_KIND, normalize_email(email))["user"]
    except (laurel.NotFound, laurel.ValidationError):
        return None


def mark_verified(store: Any, user_id: str, email: str) -> Doc:
    """Marks `email` verified on `user_id`, whose holder just proved control of the address.
    Only while the address still belongs to that account: a confirmation link of an account
    that has since lost the address to its real owner verifies nothing (400)."""
    if claim_owner(store, email) != user_id:
        raise invalid("token", "is invalid or was already used")

    def verify(doc: Doc) -> Doc:
        doc["emails"] = [dict(item, verified=True) if same_email(item.get("email", ""), email)
                         else item for item in doc.get("emails", [])]
        return doc

    return update_user(store, user_id, verify)


def take_over_email(store: Any, email: str, user_id: str) -> None:
    """Gives `email` to `user_id` (whose holder proved control of it): claims it when free, or
    takes it from an account that never verified it, removing it there. Conflict when an
    account that did verify it holds it (that account proved control: the caller links to it
    instead)."""
    key = normalize_email(email)
    for _ in range(8):
        try:
            current = store.get_document(EMAIL_KIND, key)
        except laurel.NotFound:
            current = None
        if current is not None:
            try:
                holder = store.get_document(USER_KIND, current["user"])
            except laurel.NotFound:
                holder = None
            if holder is not None and has_verified(holder, email):
                raise laurel.Conflict("the address belongs to another account")
        try:
            store.replace_document(EMAIL_KIND, key, current, {"user": user_id})
        except laurel.Conflict:
            continue
        if current is not None and holder is not None:
            update_user(store, holder["entityId"], lambda doc: {
                **doc, "emails": [item for item in doc.get("emails", [])
                                  if not same_email(item.get("email", ""), email)]})
        return
    raise ApiError(409, "The address changed hands too often meanwhile; try again.",
                   error_code="conflict")


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


def purge_one_time(store: Any, now: Optional[float] = None) -> int:
    """Deletes expired one-time tokens (recovery, confirmation, registration); returns how many."""
    now = time.time() if now is None else now
    return sum(store.delete_document(ONE_TIME_KIND, key)
               for key, record in store.list_documents(ONE_TIME_KIND, None)
               if record.get("expires", 0) <= now)
