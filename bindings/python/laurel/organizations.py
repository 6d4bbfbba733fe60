"""Organizations: a named group of users (members with roles owner, editor or staff) that owns
issuers. A member's role in an organization is their role on each issuer it owns, beside the
issuer's own staff list (the higher of the two counts). An issuer belongs to at most one
organization.

Service documents:

======================  ==========  =======================================================
kind                    key         value
======================  ==========  =======================================================
organization            entityId    {entityId, entityType, name, description, url, email,
                                     members [{user, role}], createdAt, createdBy,
                                     updatedAt}
issuer_organization     issuer id   {organization}
======================  ==========  =======================================================
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional

from .errors import Conflict, NotFound, ValidationError
from .records import Field, RecordKind, functions
from .records.api import check_url

__all__ = ["ORGANIZATION", "ORGANIZATION_KIND", "ISSUER_ORGANIZATION_KIND",
           "ORGANIZATION_FIELDS", "ROLES", "create_organization", "get_organization",
           "list_organizations", "update_organization", "check_members", "set_members",
           "delete_organization", "add_issuer", "remove_issuer", "issuers_of", "organization_of",
           "member_role", "parse_member"]

ISSUER_ORGANIZATION_KIND = "issuer_organization"
ROLES = ("owner", "editor", "staff")

Doc = Dict[str, Any]


def check_members(members: Any) -> List[Doc]:
    """The members list checked: [{user, role}], no user twice, at least one owner."""
    if isinstance(members, (str, bytes)) or not isinstance(members, Iterable):
        raise ValidationError("must be a list of {user, role}", field="members")
    checked: List[Doc] = []
    seen = set()
    for index, member in enumerate(members):
        field = f"members.{index}"
        if not isinstance(member, Mapping):
            raise ValidationError("must be an object {user, role}", field=field)
        user, role = member.get("user"), member.get("role")
        if not isinstance(user, str) or not user:
            raise ValidationError("is required", field=f"{field}.user")
        if role not in ROLES:
            raise ValidationError("must be owner, editor or staff", field=f"{field}.role")
        if user in seen:
            raise ValidationError("is listed twice", field=f"{field}.user")
        seen.add(user)
        checked.append({"user": user, "role": role})
    if not any(member["role"] == "owner" for member in checked):
        raise ValidationError("an organization needs at least one owner", field="members")
    return checked


def _check(store: Any, fields: Doc, current: Optional[Doc]) -> Doc:
    """An http(s) url; members checked when given (kept when not)."""
    check_url(fields)
    if fields.get("members") is None:
        fields["members"] = current["members"] if current else []
    else:
        fields["members"] = check_members(fields["members"])
    return fields


def parse_member(text: str) -> Doc:
    """A member as the CLI takes one: ``USER:ROLE``."""
    user, separator, role = text.rpartition(":")
    if not separator or not user:
        raise ValidationError(f"{text!r}: give a member as USER:ROLE", field="members")
    return {"user": user, "role": role}


def _issuers(store: Any, record: Doc) -> Doc:
    return {"issuers": issuers_of(store, record["entityId"])}


# Its members govern it (their roles: laurel.server.records), not an issuer's staff.
ORGANIZATION = RecordKind(
    kind="organization", entity_type="Organization", noun="organization",
    plural="organizations", cli="organization", help="organizations that own issuers",
    fields=(Field("name", required=True, column="name"), Field("description"),
            Field("url", column="url"), Field("email"),
            Field("members", kind=list, role="owner", option="--member", item=parse_member,
                  text=lambda member: f"{member['user']}:{member['role']}")),
    owner=None, check=_check, computed=_issuers,
    roles={"list": "staff", "get": "staff", "create": "staff", "update": "editor",
           "delete": "owner"},
    shown=("entityId", "name", "description", "url", "email", "members", "issuers"),
    columns=(("name", "name"), ("members", lambda record: len(record["members"]))))
ORGANIZATION_KIND = ORGANIZATION.kind
ORGANIZATION_FIELDS = ORGANIZATION.field_names

_create, get_organization, _list, update_organization, delete_organization = \
    functions(ORGANIZATION)


def create_organization(store: Any, fields: Mapping[str, Any], *,
                        created_by: Optional[str] = None,
                        members: Optional[Iterable[Mapping[str, Any]]] = None) -> Doc:
    """A new organization; `members` defaults to `created_by` as its owner (and none without
    it). Raises ValidationError."""
    if members is None and fields.get("members") is None and created_by:
        members = [{"user": created_by, "role": "owner"}]
    given = {**fields, "members": check_members(members)} if members is not None else fields
    return _create(store, None, given, created_by=created_by)


def list_organizations(store: Any, member: Optional[str] = None) -> List[Doc]:
    """Every organization, or those `member` (a user id) belongs to."""
    return [record for record in _list(store)
            if member is None or any(item["user"] == member for item in record["members"])]


def set_members(store: Any, organization_id: str, members: Iterable[Mapping[str, Any]]) -> Doc:
    """Replaces the members ([{user, role}], at least one owner). Raises NotFound,
    ValidationError (field ``members...``), Conflict."""
    return update_organization(store, organization_id, {"members": check_members(members)})


def issuers_of(store: Any, organization_id: str) -> List[str]:
    """The entityIds of the issuers the organization owns."""
    return sorted(key for key, link in store.list_documents(ISSUER_ORGANIZATION_KIND)
                  if link.get("organization") == organization_id)


def organization_of(store: Any, issuer_id: str) -> Optional[Doc]:
    """The organization that owns an issuer, or None."""
    try:
        link = store.find_document(ISSUER_ORGANIZATION_KIND, issuer_id)
        if link is None:  # most issuers: no exception raised and caught on every request
            return None
        return store.find_document(ORGANIZATION_KIND, link["organization"])
    except ValidationError:
        return None


def add_issuer(store: Any, organization_id: str, issuer_id: str) -> None:
    """The organization owns the issuer from now on. Raises NotFound (organization),
    ValidationError (field ``issuer``: no such issuer), Conflict (an organization owns it
    already)."""
    current = get_organization(store, organization_id)
    try:
        issuer = store.get_issuer(issuer_id).entity_id
    except (NotFound, ValidationError, TypeError):
        raise ValidationError("no such issuer", field="issuer") from None
    try:
        store.replace_document(ISSUER_ORGANIZATION_KIND, issuer, None,
                               {"organization": current["entityId"]})
    except Conflict:
        raise Conflict("an organization owns this issuer already") from None


def remove_issuer(store: Any, organization_id: str, issuer_id: str) -> None:
    """The organization no longer owns the issuer. Raises NotFound (not one of its issuers)."""
    current = get_organization(store, organization_id)
    link = {"organization": current["entityId"]}
    try:
        store.replace_document(ISSUER_ORGANIZATION_KIND, issuer_id, link, None)
    except (Conflict, ValidationError):
        raise NotFound("the organization does not own this issuer") from None


def member_role(store: Any, issuer_id: str, user_id: str) -> Optional[str]:
    """The user's role on an issuer through the organization that owns it, or None."""
    organization = organization_of(store, issuer_id)
    if organization is None:
        return None
    for member in organization.get("members", []):
        if member.get("user") == user_id:
            return member.get("role")
    return None
