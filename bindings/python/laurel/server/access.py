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

from typing import Any, Dict, Optional, Tuple

import laurel

from ..entities import released
from ..organizations import member_role
from .auth import Principal
from .errors import ApiError, not_found

__all__ = ["ROLE_RANK", "require", "role_of", "issuer_for", "badgeclass_for", "assertion_for", "can_see"]

ROLE_RANK = {"staff": 1, "editor": 2, "owner": 3}

Doc = Dict[str, Any]


def role_of(issuer: Doc, user_id: str, store: Any = None) -> Optional[str]:
    """The user's role on the issuer: its staff list, and (given the store) the organization
    owning it."""
    best: Optional[str] = None
    members = list(issuer.get("staff") or ())
    if store is not None:
        role = member_role(store, issuer.get("entityId"), user_id)
        if role is not None:
            members.append({"user": user_id, "role": role})
    for member in members:
        if member.get("user") == user_id:
            role = member.get("role")
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


def assertion_for(store: Any, principal: Principal, assertion_id: str,
                  need: str = "staff") -> Tuple[Doc, Doc]:
    assertion = _get(store.get_assertion, assertion_id, "Assertion")
    try:
        issuer = released(store.get_issuer(assertion["issuer"]))
    except laurel.NotFound:
        raise not_found("Assertion not found") from None
    _check(store, principal, issuer, need, "Assertion")
    return assertion, issuer
