"""The backpack: badges awarded to your confirmed email addresses, badges you imported, and
collections you can share.

Local badges (issued by this server to one of your confirmed addresses) are found through the
store's recipient index; accepting or rejecting one sets the assertion's ``acceptance`` (and
DELETE rejects it, hiding it from your backpack). Imported badges are verified with
``laurel.verify`` (the engine's one verifier) and kept as service documents:

==================  ===========================  ==================================================
kind                key                          value
==================  ===========================  ==================================================
backpack_import     <user>/<entityId>            {entityId, openBadgeId, assertion, badge, report,
                                                  acceptance, source, importedAt}
collection          <user>/<entityId>            {entityId, name, description, published,
                                                  shareHash, assertions [ids], createdAt}
collection_share    shareHash                    {user, collection}
==================  ===========================  ==================================================
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from typing import Any, Dict, List, Optional, Tuple

import anyio
import laurel
from fastapi import APIRouter, Request
from starlette.responses import Response

from .. import accounts
from ..auth import Principal, new_id, scoped
from ..body import opt_bool, opt_list, opt_str, read_object
from ..context import blocking, config_of, store_of, urls_of
from ..envelope import envelope, json_response
from ..errors import ApiError, call, invalid, not_found
from ..fetch import collect_documents, fetch_slot
from .public import cached, data_uri_bytes

router = APIRouter(tags=["backpack"])

IMPORT_KIND = "backpack_import"
COLLECTION_KIND = "collection"
SHARE_KIND = "collection_share"
_ACCEPTANCE = ("Accepted", "Rejected", "Unaccepted")
_TEXT_MAX = 65536

Doc = Dict[str, Any]


def _user(request: Request, principal: Principal) -> Doc:
    try:
        return store_of(request).get_document(accounts.USER_KIND, principal.user_id)
    except laurel.NotFound:
        raise ApiError(401, "This account no longer exists.", error_code="unauthorized") from None


def _local_entries(request: Request, user: Doc) -> List[Doc]:
    """The user's local assertions (not rejected), newest first."""
    store, urls = store_of(request), urls_of(request)
    seen = set()
    entries = []
    names: Dict[str, str] = {}
    for email in accounts.verified_emails(user):
        for assertion in store.iter_assertions(recipient=email, include_revoked=True,
                                               include_expired=True):
            data = assertion.to_dict()
            if data["entityId"] in seen or data.get("acceptance") == "Rejected":
                continue
            seen.add(data["entityId"])
            entries.append(urls.assertion_view(data, names))
    return entries


def _import_view(record: Doc) -> Doc:
    view = {key: record.get(key) for key in ("entityId", "openBadgeId", "acceptance", "source",
                                             "importedAt")}
    view.update(entityType="Assertion", pending=False, imported=True,
                badge=record.get("badge"), assertion=record.get("assertion"),
                revoked=bool((record.get("assertion") or {}).get("revoked", False)))
    return view


def _imports(request: Request, user_id: str) -> List[Doc]:
    return [record for _, record in
            store_of(request).list_documents(IMPORT_KIND, f"{user_id}/")]


def _owns_local(store: Any, user: Doc, assertion_id: str) -> Optional[Doc]:
    """The local assertion if it was awarded to one of the user's confirmed addresses."""
    try:
        assertion = store.get_assertion(assertion_id)
    except (laurel.NotFound, laurel.ValidationError, TypeError):
        return None
    recipient = assertion.recipient
    for email in accounts.verified_emails(user):
        if recipient.matches(email):
            return assertion.to_dict()
    return None


def _backpack_ids(request: Request, user: Doc) -> set:
    ids = {entry["entityId"] for entry in _local_entries(request, user)}
    ids.update(record["entityId"] for record in _imports(request, user["entityId"]))
    return ids


@router.get("/v2/backpack/assertions", summary="The assertions in your backpack")
async def list_backpack(request: Request, principal: Principal = scoped("rw:backpack")) -> Response:
    user = _user(request, principal)

    def entries_of() -> List[Doc]:
        entries = _local_entries(request, user)
        entries.extend(_import_view(record) for record in _imports(request, principal.user_id)
                       if record.get("acceptance") != "Rejected")
        return entries

    return envelope(await blocking(entries_of))  # every page of every address: off the loop


def _find(request: Request, principal: Principal, entity_id: str) -> Tuple[str, Doc]:
    """("local", assertion) or ("import", record); 404 when it is not in the backpack."""
    store = store_of(request)
    try:
        return "import", store.get_document(IMPORT_KIND, f"{principal.user_id}/{entity_id}")
    except (laurel.NotFound, laurel.ValidationError):
        pass
    assertion = _owns_local(store, _user(request, principal), entity_id)
    if assertion is None:
        raise not_found("Assertion not found in your backpack")
    return "local", assertion


@router.get("/v2/backpack/assertions/{entity_id}", summary="One assertion of your backpack")
async def get_backpack_assertion(request: Request, entity_id: str,
                                 principal: Principal = scoped("rw:backpack")) -> Response:
    origin, found = _find(request, principal, entity_id)
    view = urls_of(request).assertion_view(found) if origin == "local" else _import_view(found)
    return envelope([view])


@router.put("/v2/backpack/assertions/{entity_id}",
            summary="Accept or reject an assertion of your backpack")
async def update_backpack_assertion(request: Request, entity_id: str,
                                    principal: Principal = scoped("rw:backpack")) -> Response:
    body = await read_object(request)
    acceptance = opt_str(body, "acceptance")
    if acceptance not in _ACCEPTANCE:
        raise invalid("acceptance", "must be Accepted, Rejected or Unaccepted")
    origin, found = _find(request, principal, entity_id)
    store = store_of(request)
    if origin == "local":
        updated = await blocking(call, store.update_assertion, entity_id, acceptance=acceptance)
        return envelope([urls_of(request).assertion_view(updated.to_dict())])
    record = dict(found, acceptance=acceptance)
    await blocking(store.replace_document, IMPORT_KIND, f"{principal.user_id}/{entity_id}", found,
                   record)
    return envelope([_import_view(record)])


@router.delete("/v2/backpack/assertions/{entity_id}", status_code=204,
               summary="Remove an assertion from your backpack")
async def delete_backpack_assertion(request: Request, entity_id: str,
                                    principal: Principal = scoped("rw:backpack")) -> Response:
    """An imported badge is deleted; a badge of this server is marked Rejected (the issuer's
    record stays)."""
    origin, _ = _find(request, principal, entity_id)
    store = store_of(request)
    if origin == "local":
        await blocking(call, store.update_assertion, entity_id, acceptance="Rejected")
    else:
        await blocking(store.delete_document, IMPORT_KIND, f"{principal.user_id}/{entity_id}")
    return envelope(status_code=204)


def _import_input(body: Doc) -> Tuple[str, Any]:
    """(source, what to verify) from {url | image | assertion}."""
    given = [key for key in ("url", "image", "assertion") if body.get(key) not in (None, "")]
    if len(given) != 1:
        raise invalid("url", "give exactly one of url, image or assertion")
    source = given[0]
    value = body[source]
    if source == "url":
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise invalid("url", "must be an http(s) URL")
        return source, value
    if source == "image":
        if not isinstance(value, str):
            raise invalid("image", "must be a base64 image or a data: URI")
        data = data_uri_bytes(value)
        if data is None:
            try:
                data = ("", base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                raise invalid("image", "must be a base64 image or a data: URI") from None
        return source, data[1]
    if isinstance(value, dict):
        return source, json.dumps(value)
    if isinstance(value, str):
        return source, value  # JSON text or a compact JWS
    raise invalid("assertion", "must be an Open Badges document or a JWS")


def _verify(subject: Any, documents: Doc, emails: List[str]) -> Doc:
    """The verifier's report, checked against each confirmed address until one matches."""
    verify = getattr(laurel, "verify", None)
    if verify is None:
        raise ApiError(501, "Verification is not available in this build of laurel.",
                       error_code="not_implemented")
    report: Doc = {}
    for email in emails:
        report = call(verify, subject, documents=documents, recipient=email)
        if report.get("recipientMatch"):
            break
    return report


async def _until_disconnected(request: Request) -> None:
    """Returns when the client goes away (the body was read already, so the only message left
    is the disconnect)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def verify_import(request: Request, user: Doc, source: str, value: Any) -> Tuple[Doc, Doc]:
    """Gathers what the badge refers to and runs the verifier: (report, documents by URL).
    The account must have a confirmed address (checked before anything is fetched); fetching
    holds one of the user's fetch slots (429 when all are taken) and stops when the client
    goes away."""
    emails = accounts.verified_emails(user)
    if not emails:
        raise invalid("recipient", "confirm an email address before importing badges")
    store, config = store_of(request), config_of(request)
    documents: Optional[Doc] = None
    failure: Optional[Exception] = None
    with fetch_slot(user["entityId"], config.fetch_per_user):
        async with anyio.create_task_group() as group:
            async def watch() -> None:  # a client that left cancels the fetching
                await _until_disconnected(request)
                group.cancel_scope.cancel()

            group.start_soon(watch)
            try:
                documents = await collect_documents(store, config, source, value)
            except Exception as error:  # noqa: BLE001 - re-raised below, not as a group
                failure = error
            group.cancel_scope.cancel()
    if failure is not None:
        raise failure
    if documents is None:  # the client went away; nobody reads the answer
        raise ApiError(499, "Client closed the request", error_code="client_closed")
    subject = documents.pop("__input__")
    return await blocking(_verify, subject, documents, emails), documents


@router.post("/v2/backpack/import", status_code=201,
             summary="Import a badge (url, baked image or JSON), verified by the engine")
async def import_badge(request: Request, principal: Principal = scoped("rw:backpack")) -> Response:
    return await _import(request, principal, await read_object(request))


@router.post("/v2/backpack/assertions", status_code=201,
             summary="Upload a badge to your backpack (the connector's form of import)")
async def upload_badge(request: Request, principal: Principal = scoped("rw:backpack")) -> Response:
    """With ``url``, ``image`` or ``assertion``: as ``/v2/backpack/import``. With only the
    assertion's fields (``badgeclass`` or ``badgeclassOpenBadgeId``, ``recipient``, ...), as the
    connector sends them: a badge of that badge class this server awarded to one of your
    confirmed addresses is accepted into your backpack."""
    body = await read_object(request)
    if any(body.get(key) not in (None, "") for key in ("url", "image", "assertion")):
        return await _import(request, principal, body)
    urls = urls_of(request)
    badgeclass = opt_str(body, "badgeclass")
    if not badgeclass and isinstance(body.get("badgeclassOpenBadgeId"), str):
        badgeclass = urls.local_id(body["badgeclassOpenBadgeId"], "badges")
    if not badgeclass:
        raise invalid("url", "give url, image or assertion (or the badgeclass of your badge)")
    user = _user(request, principal)
    for entry in _local_entries(request, user):
        if entry.get("badgeclass") == badgeclass:
            updated = await blocking(call, store_of(request).update_assertion,
                                     entry["entityId"], acceptance="Accepted")
            return envelope([urls.assertion_view(updated.to_dict())], status_code=201)
    raise invalid("badgeclass", "none of your confirmed addresses holds a badge of this class")


async def _import(request: Request, principal: Principal, body: Doc) -> Response:
    source, value = _import_input(body)
    report, documents = await verify_import(request, _user(request, principal), source, value)
    # The recipient check is the verifier's too; the other checks say whether the badge holds.
    failures = [f"{check.get('name')}: {check.get('message')}" for check in report.get("checks", [])
                if not check.get("ok") and check.get("name") != "recipient"]
    if failures or not report.get("checks"):
        raise ApiError(400, "The badge did not verify",
                       non_field_errors=failures or report.get("errors") or ["invalid badge"],
                       error_code="invalid_badge")
    if not report.get("recipientMatch"):
        raise ApiError(400, "The badge was not awarded to any of your confirmed addresses",
                       field_errors={"recipient": ["does not match your confirmed emails"]},
                       error_code="recipient_mismatch")
    badge = report.get("badge") or {}
    open_badge_id = badge.get("id") if isinstance(badge, dict) else None
    store, urls = store_of(request), urls_of(request)
    local_id = urls.local_id(open_badge_id, "assertions") if isinstance(open_badge_id, str) else None
    if local_id is not None:  # one of ours: accept it where it lives
        updated = await blocking(call, store.update_assertion, local_id, acceptance="Accepted")
        return envelope([urls.assertion_view(updated.to_dict())], status_code=201)
    for record in _imports(request, principal.user_id):
        if open_badge_id and record.get("openBadgeId") == open_badge_id:
            raise ApiError(409, "This badge is already in your backpack",
                           error_code="conflict")
    entity_id = new_id()
    assertion_doc = documents.get(open_badge_id) if open_badge_id else None
    record = {"entityId": entity_id, "openBadgeId": open_badge_id,
              "assertion": json.loads(assertion_doc) if isinstance(assertion_doc, str)
              else assertion_doc,
              "badge": badge, "report": {"valid": True, "warnings": report.get("warnings", [])},
              "acceptance": "Accepted", "source": source, "importedAt": accounts.now_iso()}
    await blocking(store.put_document, IMPORT_KIND, f"{principal.user_id}/{entity_id}", record)
    return envelope([_import_view(record)], status_code=201)


# --- collections ---------------------------------------------------------------------------

def _collection_assertions(request: Request, record: Doc) -> List[Doc]:
    """The collection's assertions expanded as the backpack shows them (Badgr's connector lists
    objects, not ids); one no longer in the backpack is left out."""
    store, urls = store_of(request), urls_of(request)
    names: Dict[str, str] = {}
    expanded = []
    for entity_id in record.get("assertions", []):
        try:
            expanded.append(_import_view(store.get_document(
                IMPORT_KIND, f"{record.get('owner')}/{entity_id}")))
            continue
        except (laurel.NotFound, laurel.ValidationError):
            pass
        try:
            expanded.append(urls.assertion_view(store.get_assertion(entity_id).to_dict(), names))
        except (laurel.NotFound, laurel.ValidationError):
            continue
    return expanded


def _collection_view(request: Request, record: Doc) -> Doc:
    share_hash = record.get("shareHash") if record.get("published") else None
    return {
        "entityType": "Collection",
        "entityId": record["entityId"],
        "name": record.get("name"),
        "description": record.get("description"),
        "owner": record.get("owner"),
        "published": bool(record.get("published")),
        "shareHash": share_hash,
        "share_url": (f"{config_of(request).base_url}/public/collections/{share_hash}"
                      if share_hash else None),
        "assertions": _collection_assertions(request, record),
        "createdAt": record.get("createdAt"),
        "createdBy": record.get("owner"),  # Badgr's name for who made it: its owner
    }


_COLLECTION_KEYS = {"name", "description", "published", "assertions"}
# Keys of a collection a client may echo back (Badgr clients GET, edit, PUT); ignored.
_COLLECTION_ECHO = {"entityType", "entityId", "owner", "share_url", "shareHash", "createdAt",
                    "createdBy"}


def _collection_fields(request: Request, user: Doc, body: Doc, current: Optional[Doc]) -> Doc:
    for key in body:
        if key not in _COLLECTION_KEYS and key not in _COLLECTION_ECHO:
            raise invalid(key, "is not a field of Collection")
    record = dict(current or {})
    if current is None or "name" in body:
        name = opt_str(body, "name")
        if not name or len(name) > 255:
            raise invalid("name", "is required, at most 255 characters")
        record["name"] = name
    if "description" in body:
        description = opt_str(body, "description")
        if description is not None and len(description) > _TEXT_MAX:
            raise invalid("description", f"must be at most {_TEXT_MAX} characters")
        record["description"] = description
    if "published" in body or current is None:
        record["published"] = opt_bool(body, "published", bool(record.get("published")))
    if "assertions" in body or current is None:
        items = opt_list(body, "assertions") or []
        if len(items) > 1000:
            raise invalid("assertions", "at most 1000 per collection")
        ids = []
        owned = _backpack_ids(request, user) if items else set()
        for index, item in enumerate(items):
            entity_id = item.get("entityId") if isinstance(item, dict) else item
            if not isinstance(entity_id, str) or entity_id not in owned:
                raise invalid(f"assertions.{index}", "is not an assertion of your backpack")
            ids.append(entity_id)
        record["assertions"] = list(dict.fromkeys(ids))
    return record


def _share(record: Doc, was: Optional[Doc]) -> Tuple[Optional[str], Optional[str]]:
    """Keeps `shareHash` in step with `published` (a new hash on each publication, so
    unpublishing kills old links for good): (share hash to index, share hash to drop). The
    index is written after the collection, so a refused or failed write never leaves a link."""
    old_hash = (was or {}).get("shareHash") if (was or {}).get("published") else None
    if record.get("published"):
        if not old_hash:
            record["shareHash"] = secrets.token_urlsafe(16)
            return record["shareHash"], None
        return None, None
    record["shareHash"] = None
    return None, old_hash


def _index_share(store: Any, user_id: str, record: Doc, add: Optional[str],
                 drop: Optional[str]) -> None:
    if add:
        store.put_document(SHARE_KIND, add, {"user": user_id, "collection": record["entityId"]})
    if drop:
        store.delete_document(SHARE_KIND, drop)


@router.get("/v2/backpack/collections", summary="Your collections")
async def list_collections(request: Request,
                           principal: Principal = scoped("rw:backpack")) -> Response:
    def views() -> List[Doc]:
        records = store_of(request).list_documents(COLLECTION_KIND, f"{principal.user_id}/")
        return [_collection_view(request, record) for _, record in records]

    return envelope(await blocking(views))  # reads each listed assertion: off the loop


@router.post("/v2/backpack/collections", status_code=201, summary="Create a collection")
async def create_collection(request: Request,
                            principal: Principal = scoped("rw:backpack")) -> Response:
    body = await read_object(request)
    user = _user(request, principal)
    record = _collection_fields(request, user, body, None)
    record.update(entityId=new_id(), owner=principal.user_id, createdAt=accounts.now_iso())
    store = store_of(request)

    def write() -> None:
        add, drop = _share(record, None)
        store.put_document(COLLECTION_KIND, f"{principal.user_id}/{record['entityId']}", record)
        _index_share(store, principal.user_id, record, add, drop)

    await blocking(write)
    return envelope([_collection_view(request, record)], status_code=201)


def _get_collection(request: Request, principal: Principal, entity_id: str) -> Doc:
    try:
        return store_of(request).get_document(COLLECTION_KIND, f"{principal.user_id}/{entity_id}")
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Collection not found") from None


@router.get("/v2/backpack/collections/{entity_id}", summary="One of your collections")
async def get_collection(request: Request, entity_id: str,
                         principal: Principal = scoped("rw:backpack")) -> Response:
    return envelope([_collection_view(request, _get_collection(request, principal, entity_id))])


@router.put("/v2/backpack/collections/{entity_id}", summary="Update a collection")
async def update_collection(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:backpack")) -> Response:
    body = await read_object(request)
    current = _get_collection(request, principal, entity_id)
    user = _user(request, principal)
    record = _collection_fields(request, user, body, current)
    store = store_of(request)
    key = f"{principal.user_id}/{entity_id}"

    def write() -> None:
        add, drop = _share(record, current)
        try:
            store.replace_document(COLLECTION_KIND, key, current, record)
        except laurel.Conflict:
            raise ApiError(409, "The collection changed meanwhile; reload and retry.",
                           error_code="conflict") from None
        _index_share(store, principal.user_id, record, add, drop)

    await blocking(write)
    return envelope([_collection_view(request, record)])


@router.delete("/v2/backpack/collections/{entity_id}", status_code=204,
               summary="Delete a collection")
async def delete_collection(request: Request, entity_id: str,
                            principal: Principal = scoped("rw:backpack")) -> Response:
    current = _get_collection(request, principal, entity_id)
    store = store_of(request)

    def remove() -> None:
        if current.get("published") and current.get("shareHash"):
            store.delete_document(SHARE_KIND, current["shareHash"])
        store.delete_document(COLLECTION_KIND, f"{principal.user_id}/{entity_id}")

    await blocking(remove)
    return envelope(status_code=204)


@router.api_route("/public/collections/{share_hash}", methods=["GET", "HEAD"],
                  tags=["public"], summary="A published collection (no authentication)")
async def shared_collection(request: Request, share_hash: str) -> Response:
    store, urls = store_of(request), urls_of(request)
    try:
        share = store.get_document(SHARE_KIND, share_hash)
        record = store.get_document(COLLECTION_KIND, f"{share['user']}/{share['collection']}")
    except (laurel.NotFound, laurel.ValidationError):
        raise not_found("Collection not found") from None
    if not record.get("published") or record.get("shareHash") != share_hash:
        raise not_found("Collection not found")  # a stale index entry never serves it
    badges = []
    for entity_id in record.get("assertions", []):
        try:
            imported = store.get_document(IMPORT_KIND, f"{share['user']}/{entity_id}")
            badges.append(imported.get("openBadgeId"))
        except laurel.NotFound:
            badges.append(urls.assertion(entity_id))
    document = {"name": record.get("name"), "description": record.get("description"),
                "assertions": badges}
    return cached(request, json_response(document, headers={"Access-Control-Allow-Origin": "*"}))
