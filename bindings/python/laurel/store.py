"""laurel.Store: issuers, badge classes and assertions in one LMDB store."""

from __future__ import annotations

import datetime as _dt
import os
import re
import warnings
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

from . import _core
from .columns import IgnoredColumnsWarning, iso_date, recipient_table
from .entities import Alignment, Assertion, BadgeClass, Entity, Evidence, Expiration, Issuer
from .errors import ValidationError
from .progress import ProgressArg, ProgressCallback, progress_callback
from .results import IssueBatchResult, Page
from .signing import SigningMixin

__all__ = ["Store", "ProgressCallback"]

PathLike = Union[str, "os.PathLike[str]"]
DateLike = Union[str, _dt.date, _dt.datetime, None]
RecipientLike = Union[str, Mapping[str, Any]]

_CAMEL_BOUNDARY = re.compile(r"_([a-z0-9])")


def _camel(name: str) -> str:
    """criteria_url -> criteriaUrl (camelCase names pass through unchanged)."""
    return _CAMEL_BOUNDARY.sub(lambda match: match.group(1).upper(), name)


def _plain(value: Any) -> Any:
    """Entities given as input (Evidence, Alignment, Expiration, ...) become their dicts."""
    if isinstance(value, Entity):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _expiration(expires: Any) -> Any:
    """(amount, duration) or an Expiration becomes {"amount", "duration"}."""
    if isinstance(expires, Entity):
        return expires.to_dict()
    if isinstance(expires, (tuple, list)) and len(expires) == 2:
        return {"amount": expires[0], "duration": expires[1]}
    return expires


def _patch(fields: Mapping[str, Any]) -> Dict[str, Any]:
    return {_camel(key): _plain(iso_date(value, key) if isinstance(value, (_dt.date, _dt.datetime))
                                else value)
            for key, value in fields.items()}


def _id_of(value: Any, name: str) -> Any:
    """Accepts an entity where its id is expected."""
    if type(value) is str:  # the usual case, before isinstance's ABC checks (Entity: a Mapping)
        return value
    if isinstance(value, (Issuer, BadgeClass, Assertion)):
        return value.entity_id
    return value


class Store(SigningMixin):
    """A Laurel store: one LMDB environment in a directory.

    >>> with laurel.Store("laurel-data") as store:
    ...     issuer = store.create_issuer("Example U", "badges@example.edu", "https://example.edu")

    Every call is one transaction: it happens whole or not at all, and a write is on disk when
    the call returns. A Store may be shared by threads (calls release the GIL) and several
    processes may open the same directory. Errors are :class:`laurel.Error` subclasses;
    wrong argument types raise ``TypeError``.

    Args:
        path: the data directory; created if missing.
        keep_plaintext: keep recipients' plaintext identities (Badgr's ``plaintextIdentity``).
            When False only salted hashes and a keyed index hash are stored.
        map_size: initial LMDB map size in bytes (it grows as needed); None for the default.
        passphrase: protects the issuers' private signing keys (scrypt-derived key-encryption
            key); default ``$LAUREL_PASSPHRASE``, and without either a random key file
            ``keys.kek`` (mode 0600) in `path`. A store keeps the choice its first key made.
            Given, it is checked now: PermissionDenied when it is wrong or the store's keys
            use its key file.

    Keys, signatures and public documents: see :class:`laurel.signing.SigningMixin`.
    """

    def __init__(self, path: PathLike, *, keep_plaintext: bool = True,
                 map_size: Optional[int] = None, passphrase: Optional[str] = None) -> None:
        path = os.fspath(path)
        if not isinstance(path, str):
            raise TypeError("path: expected str or os.PathLike[str]")
        if not isinstance(keep_plaintext, bool):
            raise TypeError("keep_plaintext: expected bool")
        if map_size is not None and (not isinstance(map_size, int) or map_size <= 0):
            raise TypeError("map_size: expected a positive int")
        if passphrase is None:
            passphrase = os.environ.get("LAUREL_PASSPHRASE") or None
        elif not isinstance(passphrase, str):
            raise TypeError(f"passphrase: expected str, got {type(passphrase).__name__}")
        os.makedirs(path, exist_ok=True)
        self._core = _core.Store(path, keep_plaintext, map_size or 0, passphrase or "")
        if passphrase:
            try:
                self._core.unlock_keys()
            except BaseException:
                self._core.close()
                raise

    # --- lifetime --------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The data directory."""
        return self._core.path

    @property
    def closed(self) -> bool:
        return self._core.closed

    def close(self) -> None:
        """Closes the LMDB environment (waits for calls in flight). Later calls raise
        ``ValueError``; closing twice is harmless."""
        self._core.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<laurel.Store {self.path!r} ({state})>"

    # --- issuers ---------------------------------------------------------------------------

    def create_issuer(self, name: str, email: str, url: str, description: Optional[str] = None,
                      image: Optional[str] = None, *, created_by: Optional[str] = None,
                      did_web: bool = False, credential_status: str = "bitstring") -> Issuer:
        """Creates an issuer. Raises ValidationError (e.g. field ``"email"``).

        Open Badges 3.0 settings (also changed with :meth:`update_issuer`):
        `did_web` True names the issuer in its credentials by the did:web of its Profile URL
        (an HTTPS base URL is then required; the REST service serves the DID document);
        `credential_status` is the credentialStatus its credentials carry: ``"bitstring"`` (a
        BitstringStatusListEntry), ``"1edtech"`` (a 1EdTechRevocationList entry) or ``"both"``.
        """
        return Issuer(self._core.create_issuer(name, email, url, description, image, created_by,
                                               did_web, credential_status))

    def get_issuer(self, issuer_id: str) -> Issuer:
        """Raises NotFound."""
        return Issuer(self._core.get_issuer(_id_of(issuer_id, "issuer_id")))

    def issuer_staff(self, issuer_id: str) -> List[Tuple[str, str]]:
        """The issuer's staff as (user, role) pairs, as get_issuer(...).staff has them, without
        building the rest of the issuer. Raises NotFound."""
        return self._core.issuer_staff(_id_of(issuer_id, "issuer_id"))

    def update_issuer(self, issuer_id: str, **fields: Any) -> Issuer:
        """Changes the given fields (snake_case or camelCase names; None clears an optional
        field), Badgr PATCH rules. Raises NotFound, ValidationError (read-only or unknown field)."""
        return Issuer(self._core.update_issuer(_id_of(issuer_id, "issuer_id"), _patch(fields)))

    def delete_issuer(self, issuer_id: str) -> None:
        """Raises NotFound, Conflict (the issuer still has badge classes)."""
        self._core.delete_issuer(_id_of(issuer_id, "issuer_id"))

    def list_issuers(self) -> List[Issuer]:
        """All issuers, in id order (creation time, to the millisecond)."""
        return [Issuer(data) for data in self._core.list_issuers()]

    # --- badge classes ---------------------------------------------------------------------

    def create_badgeclass(self, issuer_id: str, name: str, description: str,
                          image: Optional[str] = None, criteria_url: Optional[str] = None,
                          criteria_narrative: Optional[str] = None,
                          alignments: Iterable[Union[Alignment, Mapping[str, Any]]] = (),
                          tags: Iterable[str] = (),
                          expires: Union[Expiration, Mapping[str, Any], Tuple[int, str],
                                         None] = None,
                          *, created_by: Optional[str] = None) -> BadgeClass:
        """Creates a badge class of an issuer.

        Args:
            alignments: dicts with target_name/targetName, target_url, ... or Alignment objects.
            tags: strings.
            expires: default validity of its assertions: ``{"amount": 2, "duration": "years"}``,
                ``(2, "years")`` or an Expiration.

        Raises NotFound (issuer), ValidationError.
        """
        return BadgeClass(self._core.create_badgeclass(
            _id_of(issuer_id, "issuer_id"), name, description, image, criteria_url,
            criteria_narrative, _plain(list(alignments)) if not isinstance(alignments, (str, dict))
            else alignments, tags, _expiration(expires), created_by))

    def get_badgeclass(self, badgeclass_id: str) -> BadgeClass:
        """Raises NotFound."""
        return BadgeClass(self._core.get_badgeclass(_id_of(badgeclass_id, "badgeclass_id")))

    def badgeclass_name(self, badgeclass_id: str) -> str:
        """get_badgeclass(...).name without building the rest of the badge class. Raises
        NotFound."""
        return self._core.badgeclass_name(_id_of(badgeclass_id, "badgeclass_id"))

    def update_badgeclass(self, badgeclass_id: str, **fields: Any) -> BadgeClass:
        """As update_issuer. Assertions already issued are never rewritten."""
        return BadgeClass(self._core.update_badgeclass(_id_of(badgeclass_id, "badgeclass_id"),
                                                       _patch(fields)))

    def delete_badgeclass(self, badgeclass_id: str) -> None:
        """Raises NotFound, Conflict (unrevoked assertions of it exist)."""
        self._core.delete_badgeclass(_id_of(badgeclass_id, "badgeclass_id"))

    def list_badgeclasses(self, issuer_id: Optional[str] = None) -> List[BadgeClass]:
        """All badge classes, or those of one issuer (NotFound if it does not exist)."""
        return [BadgeClass(data)
                for data in self._core.list_badgeclasses(_id_of(issuer_id, "issuer_id"))]

    # --- assertions ------------------------------------------------------------------------

    @staticmethod
    def _defaults(recipient_type: str, hashed: bool, narrative: Optional[str],
                  evidence: Iterable[Any], issued_on: DateLike,
                  expires: DateLike) -> Dict[str, Any]:
        if isinstance(evidence, (str, dict)):
            raise TypeError("evidence: expected a list of evidence (dicts, URLs or Evidence)")
        return {"type": recipient_type, "hashed": hashed, "narrative": narrative,
                "evidence": _plain(list(evidence)), "issued_on": iso_date(issued_on, "issued_on"),
                "expires": iso_date(expires, "expires")}

    def issue(self, badgeclass_id: str, recipient: RecipientLike, *,
              recipient_type: str = "email", hashed: bool = True,
              narrative: Optional[str] = None, evidence: Iterable[Any] = (),
              issued_on: DateLike = None, expires: DateLike = None,
              allow_duplicate: bool = True, created_by: Optional[str] = None,
              subject_id: Optional[str] = None) -> Assertion:
        """Awards a badge class to one recipient.

        Args:
            recipient: the identity (an email unless `recipient_type` says otherwise), or a dict
                with ``identity`` and any of ``type``, ``hashed``, ``subject_id``,
                ``narrative``, ``evidence``, ``issued_on``, ``expires``, ``extensions``
                (overriding the keywords).
            subject_id: the recipient's DID (``did:key:...``) or URL next to the identity: the
                OB 3.0 credential's ``credentialSubject.id`` and VC-JWT ``sub``, while the
                hashed identity stays its ``identifier`` (and the backpack's key).
            evidence: dicts (url, narrative, name, description, genre, audience), URLs, or
                Evidence objects.
            issued_on, expires: ISO 8601 strings, datetimes (naive = UTC) or dates; expires
                defaults to the badge class's validity.
            allow_duplicate: False refuses a second award of the badge class to the recipient.

        Raises NotFound (badge class), ValidationError (e.g. field ``"recipient.identity"``),
        Conflict (a duplicate when allow_duplicate is False).
        """
        defaults = self._defaults(recipient_type, hashed, narrative, evidence, issued_on, expires)
        recipient = _plain(recipient)
        if subject_id is not None:
            recipient = ({**recipient, "subject_id": subject_id} if isinstance(recipient, dict)
                         else {"identity": recipient, "subject_id": subject_id})
        return Assertion(self._core.issue(_id_of(badgeclass_id, "badgeclass_id"),
                                          recipient, defaults, allow_duplicate, created_by))

    def issue_batch(self, badgeclass_id: str, recipients: Any, *,
                    columns: Optional[Mapping[str, str]] = None,
                    allow_duplicate: bool = False, skip_invalid: bool = False,
                    progress: ProgressArg = None, recipient_type: str = "email",
                    hashed: bool = True, narrative: Optional[str] = None,
                    evidence: Iterable[Any] = (), issued_on: DateLike = None,
                    expires: DateLike = None,
                    created_by: Optional[str] = None) -> IssueBatchResult:
        """Awards a badge class to many recipients in one transaction.

        Re-running the same award is safe: recipients who already hold the badge class are
        skipped (reported with code ``"duplicate"``), as ``laurel award`` does.

        Args:
            recipients: a pandas DataFrame (read column by column), a dict of columns, or any
                iterable of identities (str) and row dicts. Columns and keys use one vocabulary
                (:mod:`laurel.columns`): ``email`` (or ``identity``), ``narrative``,
                ``evidence_url``, ``evidence_narrative``, ``issued_on``, ``expires`` (text,
                datetimes or ``pd.Timestamp``), ``type``, ``hashed``, ``evidence``,
                ``extensions``. Missing cells (None, NaN, NaT) take the keyword defaults.
            columns: maps other column names to the vocabulary, e.g. ``{"Mail": "email"}``.
                Columns outside it are ignored, listed in ``result.ignored_columns`` and
                noted with an :class:`laurel.columns.IgnoredColumnsWarning`.
            allow_duplicate: True awards again to recipients who hold the badge already.
            skip_invalid: True issues the valid recipients and reports the invalid ones; False
                (the default) writes nothing if any recipient is invalid.
            progress: True for a progress bar (tqdm: a widget in Jupyter, a bar in a
                terminal), or a callback ``progress(done, total)`` called on this thread.
            recipient_type, hashed, narrative, evidence, issued_on, expires: defaults for every
                recipient, as for :meth:`issue`.

        Returns an IssueBatchResult: one IssueItem per recipient, in input order, each with its
        ``row`` (the DataFrame's index label, else the position); ``result.to_dataframe()``.

        Raises NotFound (badge class); ValidationError when a recipient is invalid and
        skip_invalid is False (nothing written; ``.field`` is ``"recipients[<row>].<field>"``
        of the first, ``.row`` its row label and ``.results`` holds every item), or when the
        columns are unusable (field ``"columns"``); ``TypeError`` for a cell of the wrong type
        (naming its row). Ctrl-C (KeyboardInterrupt) or an exception from `progress` cancels
        the batch: nothing is written and the exception propagates.
        """
        table = recipient_table(recipients, columns)
        if table.ignored:
            warnings.warn(IgnoredColumnsWarning(
                f"ignored the column(s) {', '.join(map(repr, table.ignored))}: not recipient "
                "fields (map them with columns={...} if they are)"), stacklevel=2)
        defaults = self._defaults(recipient_type, hashed, narrative, evidence, issued_on, expires)
        with progress_callback(progress, table.rows, "Awarding") as callback:
            core_result = self._core.issue_columns(
                _id_of(badgeclass_id, "badgeclass_id"), table.columns, table.labels, defaults,
                allow_duplicate, skip_invalid, callback, created_by)
        result = IssueBatchResult(core_result, table.labels, table.ignored)
        if not result.committed:
            failures = result.errors()
            first = failures[0]
            field = f"recipients[{first.row!r}]" + (f".{first.field}" if first.field else "")
            others = len(failures) - 1
            more = f"{others} more invalid, " if others else ""
            error = ValidationError(
                f"{first.message} ({more}{len(result)} recipients in the batch; nothing was "
                "issued)", field=field)
            error.row = first.row  # type: ignore[attr-defined]
            error.results = result  # type: ignore[attr-defined]
            raise error
        return result

    def get_assertion(self, assertion_id: str) -> Assertion:
        """Raises NotFound."""
        return Assertion(self._core.get_assertion(_id_of(assertion_id, "assertion_id")))

    def update_assertion(self, assertion_id: str, **fields: Any) -> Assertion:
        """Changes narrative, evidence, issued_on, expires, extensions or acceptance (Badgr
        PATCH). Raises NotFound, ValidationError, Conflict (revoked)."""
        return Assertion(self._core.update_assertion(_id_of(assertion_id, "assertion_id"),
                                                     _patch(fields)))

    def revoke(self, assertion_id: str, reason: str) -> Assertion:
        """Revokes an assertion. Raises NotFound, ValidationError (empty reason, field
        ``"revocationReason"``), Conflict (already revoked)."""
        return Assertion(self._core.revoke(_id_of(assertion_id, "assertion_id"), reason))

    def revoke_batch(self, items: Iterable[Any], *, reason: Optional[str] = None,
                     progress: ProgressArg = None) -> List[Dict[str, Any]]:
        """Revokes many assertions in one transaction (Badgr ``POST /v2/assertions/revoke``).

        Args:
            items: dicts ``{"entityId" (or "id"): ..., "revocationReason": ...}``,
                ``(entity_id, reason)`` pairs, or bare ids (str or Assertion) when `reason` is
                given.
            reason: the reason for bare ids.

        Returns one dict per item, in order: ``{"entityId", "revoked", "code", "reason"}`` with
        code None, ``"not_found"``, ``"already_revoked"`` or ``"invalid"``. Failures never abort
        the other items.
        """
        if isinstance(items, (str, bytes, Mapping)):
            raise TypeError(f"items: expected an iterable of items, got {type(items).__name__}")
        if reason is not None and not isinstance(reason, str):
            raise TypeError(f"reason: expected str, got {type(reason).__name__}")
        normalized = []
        for index, item in enumerate(items):
            if isinstance(item, (str, Assertion)):
                if reason is None:
                    raise TypeError(f"items[{index}]: a bare id needs reason=...")
                item = (_id_of(item, "id"), reason)
            elif isinstance(item, Mapping) and reason is not None and not (
                    "revocationReason" in item or "reason" in item):
                item = {**item, "revocationReason": reason}
            normalized.append(item)
        with progress_callback(progress, len(normalized), "Revoking") as callback:
            return self._core.revoke_batch(normalized, callback)

    def list_assertions(self, issuer: Optional[str] = None, badgeclass: Optional[str] = None,
                        recipient: Optional[str] = None, include_revoked: bool = False,
                        include_expired: bool = False, num: Optional[int] = None,
                        after: Optional[str] = None, *, before: Optional[str] = None,
                        recipient_type: str = "email") -> Page:
        """One page of assertions, newest first, of an issuer, a badge class or a recipient.

        Give exactly one of `issuer` or `badgeclass`, or only `recipient`; `recipient` with
        either filters that scope to one recipient. `num` is the page size (default 100, at
        most 1000); pass the page's ``next_cursor`` as `after` for the next page.

        Raises NotFound (issuer or badge class), ValidationError (bad cursor or num),
        TypeError (no scope, or both issuer and badgeclass).
        """
        issuer = _id_of(issuer, "issuer")
        badgeclass = _id_of(badgeclass, "badgeclass")
        if issuer is not None and badgeclass is not None:
            raise TypeError("list_assertions: give issuer or badgeclass, not both")
        if badgeclass is not None:
            scope, scope_id = "badgeclass", badgeclass
        elif issuer is not None:
            scope, scope_id = "issuer", issuer
        elif recipient is not None:
            scope, scope_id = "recipient", None
        else:
            raise TypeError("list_assertions: give issuer, badgeclass or recipient "
                            "(iter_assertions() walks every assertion)")
        if num is None:
            num = 100
        if not isinstance(num, int) or isinstance(num, bool):
            raise TypeError(f"num: expected int, got {type(num).__name__}")
        if num < 1:
            raise ValidationError("must be between 1 and 1000", field="num")
        for name, flag in (("include_revoked", include_revoked),
                           ("include_expired", include_expired)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name}: expected bool, got {type(flag).__name__}")
        items, next_cursor, prev_cursor = self._core.list_assertions(
            scope, scope_id, recipient, recipient_type, num, after, before, include_revoked,
            include_expired)
        return Page([Assertion(data) for data in items], next_cursor, prev_cursor)

    def iter_assertions(self, issuer: Optional[str] = None, badgeclass: Optional[str] = None,
                        recipient: Optional[str] = None, *, include_revoked: bool = False,
                        include_expired: bool = False, page_size: int = 1000,
                        recipient_type: str = "email") -> Iterator[Assertion]:
        """Every assertion of a scope (as list_assertions), following the cursors; with no
        scope, every assertion of every issuer. Each page is its own read transaction."""
        if issuer is None and badgeclass is None and recipient is None:
            for each_issuer in self.list_issuers():
                yield from self.iter_assertions(
                    each_issuer.entity_id, include_revoked=include_revoked,
                    include_expired=include_expired, page_size=page_size)
            return
        after = None
        while True:
            page = self.list_assertions(issuer, badgeclass, recipient, include_revoked,
                                        include_expired, page_size, after,
                                        recipient_type=recipient_type)
            yield from page
            if not page.next_cursor:
                return
            after = page.next_cursor

    # --- service documents -----------------------------------------------------------------
    # JSON objects under (kind, key) in the same environment and transactions as the badges:
    # the REST service keeps accounts, tokens and collections here. `kind` is 1..64 of
    # [a-z0-9_]; `key` 1..512 bytes. Bad kinds, keys or values raise ValidationError.

    # --- a large store: stats, backup, check ----------------------------------------------

    def stats(self) -> Dict[str, Any]:
        """What the store holds and how its file is used: ``counts`` per entity, ``tables``
        (entries, pages and bytes of every table), ``backend`` (``"lmdb"``), ``mapBytes``,
        ``fileBytes``, ``freePages``, ``readers`` and ``bytesPerAssertion`` (file bytes per
        assertion)."""
        return self._core.stats()

    def backup(self, destination: PathLike) -> None:
        """An online, consistent, compacted copy of the store in the directory `destination`
        (created if missing; it must not hold a store yet). Other threads and processes go on
        reading and writing meanwhile; the copy holds every write committed before it began.
        The copy is a store: ``laurel.Store(destination)`` opens it."""
        self._core.backup(os.fspath(destination))

    def export_assertions(self, file: Any, issuer_id: Optional[str] = None) -> int:
        """Writes every assertion (of `issuer_id`, else of every issuer), newest first per
        issuer, revoked and expired included, as canonical Badgr v2 JSON lines to `file` (a
        path, or an open file with a file descriptor). Streams from one read transaction in
        constant memory, straight from the core. Returns how many lines."""
        if isinstance(file, (str, bytes, os.PathLike)):
            with open(file, "wb") as out:
                return self._core.export_assertions(issuer_id, out.fileno())
        file.flush()
        try:
            descriptor = file.fileno()
        except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
            return self._core.export_assertions(issuer_id, file.write)
        return self._core.export_assertions(issuer_id, descriptor)

    def check(self) -> Dict[str, Any]:
        """Checks every index against the records: ``{"assertions": n, "problemCount": k,
        "problems": [sentence, ...]}``; ``problemCount == 0`` when all agree."""
        return self._core.check()

    def put_document(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        """Stores (or replaces) the JSON object `value` under (kind, key)."""
        self._core.put_document(kind, key, value)

    def get_document(self, kind: str, key: str) -> Dict[str, Any]:
        """The document under (kind, key). Raises NotFound."""
        return self._core.get_document(kind, key)

    def find_document(self, kind: str, key: str) -> Optional[Dict[str, Any]]:
        """The document under (kind, key), or None when there is none."""
        return self._core.find_document(kind, key)

    def delete_document(self, kind: str, key: str) -> bool:
        """Deletes it; False when there was none."""
        return self._core.delete_document(kind, key)

    def list_documents(self, kind: str, prefix: str = "") -> List[Tuple[str, Dict[str, Any]]]:
        """(key, document) pairs of a kind whose key starts with `prefix`, in key order."""
        return self._core.list_documents(kind, prefix)

    def replace_document(self, kind: str, key: str, expected: Optional[Mapping[str, Any]],
                         value: Optional[Mapping[str, Any]]) -> None:
        """Atomically writes `value` (None deletes) only if the stored document equals
        `expected` (None = absent). Raises Conflict when it differs (someone else changed it)."""
        self._core.replace_document(kind, key, expected, value)

    def revocations(self, issuer_id: str) -> List[Tuple[str, str]]:
        """Revoked assertions of an issuer as (entityId, revocationReason) pairs."""
        return [tuple(pair) for pair in self._core.revocations(_id_of(issuer_id, "issuer_id"))]
