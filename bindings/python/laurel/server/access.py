"""Who may see and change what: Badgr's issuer staff roles.

An issuer's ``staff`` lists ``{user, role}`` with role ``owner``, ``editor`` or ``staff``:

===============================================  ===========
action                                           least role
===============================================  ===========
see the issuer, its badge classes, assertions    staff
award, revoke                                    staff
create, change or delete badge classes           editor
change the issuer, update assertions             editor
change the issuer's staff, delete it            owner
===============================================  ===========

A member of an organization that owns the issuer (laurel.organizations) has their organization
role on it too; the higher of the two counts.

A user who is not on the staff gets 404 — existence itself is private — and a staff member
without the role gets 403. An issuer token (scope ``rw:issuer:<id>``) reaches only its issuer.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional, Tuple

import laurel

from ..entities import released
from ..organizations import member_role
from .auth import Principal
from .errors import ApiError, not_found

__all__ = ["ROLE_RANK", "require", "role_of", "issuer_for", "badgeclass_for", "assertion_of",
           "can_see"]

ROLE_RANK = {"staff": 1, "editor": 2, "owner": 3}
_TOP_ROLE = "owner"

Doc = Dict[str, Any]


def role_of(issuer: Doc, user_id: str, store: Any = None) -> Optional[str]:
    """The user's role on the issuer: its staff list, and (given the store) the organization
    owning it."""
    staff = ((member.get("user"), member.get("role")) for member in issuer.get("staff") or ())
    return _best_role(staff, issuer.get("entityId"), user_id, store)


def _best_role(staff: Iterable[Tuple[Any, Any]], issuer_id: Any, user_id: str,
               store: Any) -> Optional[str]:
    """The highest of the user's roles among `staff` ((user, role) pairs) and, given the store,
    in the organization owning the issuer (not read for an owner: nothing ranks higher)."""
    best = _highest(role for user, role in staff if user == user_id)
    if store is not None and best != _TOP_ROLE:
        best = _highest((best, member_role(store, issuer_id, user_id)))
    return best


def _highest(roles: Iterable[Any]) -> Optional[str]:
    best: Optional[str] = None
    for role in roles:
        if role in ROLE_RANK and (best is None or ROLE_RANK[role] > ROLE_RANK[best]):
            best = role
    return best


def can_see(principal: Principal, issuer: Doc, store: Any = None) -> bool:
    if principal.issuer_only is not None and principal.issuer_only != issuer.get("entityId"):
        return False
    return role_of(issuer, principal.user_id, store) is not None


def _check(store: Any, principal: Principal, issuer: Doc, need: str, what: str) -> None:
    # can_see's rules, with the role looked up once (it reads the organization documents).
    role = None
    if principal.issuer_only is None or principal.issuer_only == issuer.get("entityId"):
        role = role_of(issuer, principal.user_id, store)
    _require_seen(role, need, what)


def _require_seen(role: Optional[str], need: str, what: str) -> None:
    if role is None:
        raise not_found(f"{what} not found")
    require(role, need, "on the issuer")


def require(role: str, need: str, where: str) -> None:
    """403 unless `role` ranks at least `need` (`where`: "on the issuer", ...)."""
    if ROLE_RANK[role] < ROLE_RANK[need]:
        raise ApiError(403, f"This needs the {need} role {where}; you are {role}.",
                       error_code="permission_denied")


def _get(getter: Any, entity_id: str, what: str) -> Doc:
    try:
        return released(getter(entity_id))
    except (laurel.NotFound, laurel.ValidationError, TypeError):
        # A malformed id cannot name anything: the same 404 as an unknown one.
        raise not_found(f"{what} not found") from None


def issuer_for(store: Any, principal: Principal, issuer_id: str, need: str = "staff") -> Doc:
    issuer = _get(store.get_issuer, issuer_id, "Issuer")
    _check(store, principal, issuer, need, "Issuer")
    return issuer


def badgeclass_for(store: Any, principal: Principal, badgeclass_id: str,
                   need: str = "staff") -> Tuple[Doc, Doc]:
    badgeclass = _get(store.get_badgeclass, badgeclass_id, "BadgeClass")
    try:
        issuer = released(store.get_issuer(badgeclass["issuer"]))
    except laurel.NotFound:
        raise not_found("BadgeClass not found") from None
    _check(store, principal, issuer, need, "BadgeClass")
    return badgeclass, issuer


def assertion_of(store: Any, principal: Principal, assertion_id: str,
                 need: str = "staff") -> Doc:
    """The assertion, after the role check on its issuer: only the issuer's staff is read
    (Store.issuer_staff), not the whole issuer."""
    assertion = _get(store.get_assertion, assertion_id, "Assertion")
    issuer_id = assertion["issuer"]
    role = None
    if principal.issuer_only is None or principal.issuer_only == issuer_id:
        try:
            staff = store.issuer_staff(issuer_id)
        except laurel.NotFound:
            raise not_found("Assertion not found") from None
        role = _best_role(staff, issuer_id, principal.user_id, store)
    _require_seen(role, need, "Assertion")
    return assertion
