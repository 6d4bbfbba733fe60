"""Laurel's entities as Python objects.

Each entity wraps the Badgr v2 JSON shape that the C++ core writes (``to_json`` in
``core/src/model.cpp``), converted once by the extension. Attributes are the snake_case names of
those camelCase keys; :meth:`Entity.to_dict` returns the shape itself. Entities are read-only
snapshots: change them through :class:`laurel.Store` (``update_issuer``, ``revoke``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Dict, Iterator, List, Optional

__all__ = [
    "Entity",
    "Issuer",
    "BadgeClass",
    "Assertion",
    "Recipient",
    "Evidence",
    "Alignment",
    "Expiration",
]


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists and immutable scalars): what copy.deepcopy gives,
    several times faster (no memo, no dispatch on every scalar; REST reads copy on every request)."""
    if type(value) is dict:
        return {key: _json_copy(item) for key, item in value.items()}
    if type(value) is list:
        return [_json_copy(item) for item in value]
    return value


def released(entity: "Entity") -> Dict[str, Any]:
    """The entity's own dict, not a copy: for a caller that got the entity from the store and
    drops it at once (the REST service's reads, where the copy of to_dict cost about as much as
    the read). The entity must not be used afterwards: the dict is the caller's to change."""
    return entity._data


def _field(key: str, doc: str, wrap: Optional[Callable[[Any], Any]] = None) -> Any:
    def get(self: Entity) -> Any:
        value = self._data.get(key)
        if wrap is not None and value is not None:
            return wrap(value)
        return value

    return property(get, doc=f"{doc} (``{key}``)")


class Entity(Mapping):
    """Base class: an immutable view of one Badgr v2 JSON object. It is a read-only mapping of
    those camelCase keys (``assertion["issuedOn"]``, ``dict(assertion)``), so a list or a page of
    entities becomes a table with ``pd.DataFrame(...)``."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__}: expected dict, got {type(data).__name__}")
        self._data = data

    def to_dict(self) -> Dict[str, Any]:
        """The Badgr v2 JSON shape (camelCase keys), as a fresh dict you may modify."""
        return _json_copy(self._data)

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        # nested objects are copies, so the snapshot stays unchanged
        return _json_copy(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._data == other._data  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._data.get("entityId")))

    def _repr_fields(self) -> List[str]:
        return []

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._repr_fields())
        return f"{type(self).__name__}({shown})"


class Recipient(Entity):
    """The recipient of an assertion (OB 2.0 IdentityObject plus Badgr's plaintextIdentity)."""

    __slots__ = ()
    identity = _field("identity", '"sha256$<hex>" when hashed, else the identity itself')
    type = _field("type", "email, url, telephone or id")
    hashed = _field("hashed", "whether identity is a salted hash")
    salt = _field("salt", "the salt of the hash, or None")
    plaintext_identity = _field(
        "plaintextIdentity", "the identity in clear, or None when the store does not keep it")
    subject_id = _field("subjectId", "the recipient's DID or URL next to the identity (the OB 3.0 "
                                     "credentialSubject.id), or None")

    def matches(self, identity: str) -> bool:
        """True when `identity` (plaintext) is this recipient."""
        from . import _core

        return _core.identity_matches(identity, self.identity, self.salt or "", self.type)

    def _repr_fields(self) -> List[str]:
        return ["type", "identity", "plaintext_identity"]


class Evidence(Entity):
    """One piece of evidence of an assertion."""

    __slots__ = ()
    url = _field("url", "where the evidence is")
    narrative = _field("narrative", "Markdown describing the evidence")
    name = _field("name", "a short name")
    description = _field("description", "a longer description")
    genre = _field("genre", "the kind of evidence")
    audience = _field("audience", "who the evidence is for")

    def _repr_fields(self) -> List[str]:
        return ["url", "narrative"]


class Alignment(Entity):
    """An alignment of a badge class to a competency or standard."""

    __slots__ = ()
    target_name = _field("targetName", "name of the competency")
    target_url = _field("targetUrl", "URL of the competency")
    target_description = _field("targetDescription", "description of the competency")
    target_framework = _field("targetFramework", "framework the competency belongs to")
    target_code = _field("targetCode", "code of the competency in its framework")

    def _repr_fields(self) -> List[str]:
        return ["target_name", "target_url"]


class Expiration(Entity):
    """A badge class's default validity: `amount` `duration`s after issuedOn."""

    __slots__ = ()
    amount = _field("amount", "how many units")
    duration = _field("duration", "days, weeks, months or years")

    def _repr_fields(self) -> List[str]:
        return ["amount", "duration"]


def _list_of(cls: type) -> Callable[[List[Dict[str, Any]]], List[Any]]:
    return lambda items: [cls(item) for item in items]


class Issuer(Entity):
    """An issuer: the organisation that awards badges."""

    __slots__ = ()
    entity_type = _field("entityType", '"Issuer"')
    entity_id = _field("entityId", "22-character id")
    name = _field("name", "display name")
    email = _field("email", "contact email")
    url = _field("url", "home page")
    description = _field("description", "description, or None")
    image = _field("image", "image URL or data: URI, or None")
    staff = _field("staff", "list of {user, role}")
    extensions = _field("extensions", "extension objects")
    did_web = _field("didWeb", "True: OB 3.0 credentials name the issuer by its did:web")
    credential_status = _field("credentialStatus",
                               "OB 3.0 credentialStatus form: bitstring, 1edtech or both")
    created_at = _field("createdAt", "ISO 8601 UTC creation time")
    created_by = _field("createdBy", "who created it, or None")

    def _repr_fields(self) -> List[str]:
        return ["entity_id", "name", "url"]


class BadgeClass(Entity):
    """A badge class: what an assertion awards."""

    __slots__ = ()
    entity_type = _field("entityType", '"BadgeClass"')
    entity_id = _field("entityId", "22-character id")
    issuer = _field("issuer", "entityId of the issuer")
    name = _field("name", "display name")
    description = _field("description", "description")
    image = _field("image", "image URL or data: URI, or None")
    criteria_url = _field("criteriaUrl", "URL of the criteria, or None")
    criteria_narrative = _field("criteriaNarrative", "Markdown criteria, or None")
    alignments = _field("alignments", "list of Alignment", _list_of(Alignment))
    tags = _field("tags", "list of tags")
    expires = _field("expires", "default validity (Expiration), or None", Expiration)
    extensions = _field("extensions", "extension objects")
    created_at = _field("createdAt", "ISO 8601 UTC creation time")
    created_by = _field("createdBy", "who created it, or None")

    @property
    def issuer_id(self) -> str:
        """Same as :attr:`issuer`: the entityId of the issuer."""
        return self._data["issuer"]

    def _repr_fields(self) -> List[str]:
        return ["entity_id", "name", "issuer"]


class Assertion(Entity):
    """An assertion: one badge class awarded to one recipient."""

    __slots__ = ()
    entity_type = _field("entityType", '"Assertion"')
    entity_id = _field("entityId", "22-character id")
    badgeclass = _field("badgeclass", "entityId of the badge class")
    issuer = _field("issuer", "entityId of the issuer")
    recipient = _field("recipient", "the Recipient", Recipient)
    issued_on = _field("issuedOn", "ISO 8601 UTC issue time")
    narrative = _field("narrative", "Markdown narrative, or None")
    evidence = _field("evidence", "list of Evidence", _list_of(Evidence))
    expires = _field("expires", "ISO 8601 UTC expiry, or None")
    revoked = _field("revoked", "whether it was revoked")
    revocation_reason = _field("revocationReason", "why it was revoked, or None")
    acceptance = _field("acceptance", "Unaccepted, Accepted or Rejected")
    verification = _field("verification", "hosted or signed")
    extensions = _field("extensions", "extension objects")
    created_at = _field("createdAt", "ISO 8601 UTC creation time")
    created_by = _field("createdBy", "who issued it, or None")

    @property
    def badgeclass_id(self) -> str:
        """Same as :attr:`badgeclass`: the entityId of the badge class."""
        return self._data["badgeclass"]

    @property
    def issuer_id(self) -> str:
        """Same as :attr:`issuer`: the entityId of the issuer."""
        return self._data["issuer"]

    def _repr_fields(self) -> List[str]:
        return ["entity_id", "badgeclass", "issued_on", "revoked"]
