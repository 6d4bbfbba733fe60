"""Signing keys, signed badges and public Open Badges documents: the methods of laurel.Store
that need the issuers' keys (a mixin, so store.py keeps to entities).

Keys are per issuer, Ed25519 (``"EdDSA"``), RSA-2048 (``"RS256"``) and P-256 (``"ES256"``). Private keys are encrypted
at rest (AES-256-GCM) under a key-encryption key: a random key file ``keys.kek`` (mode 0600) in
the data directory by default, or one derived from ``Store(path, passphrase=...)`` /
``$LAUREL_PASSPHRASE``. No method returns a private key.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

__all__ = ["SigningMixin", "KEY_ALGORITHMS", "DOCUMENT_KINDS"]

KEY_ALGORITHMS = ("RS256", "EdDSA", "ES256")
DOCUMENT_KINDS = ("issuer", "badgeclass", "assertion", "key", "revocation_list", "ob3_issuer",
                  "ob3_jwks", "ob3_achievement", "ob3_did", "ob3_revocation_list")


def _id(value: Any) -> Any:
    """An entity (Issuer, Assertion, ...) where its id is expected."""
    entity_id = getattr(value, "entity_id", None)
    return entity_id if isinstance(entity_id, str) else value


class SigningMixin:
    """Mixed into :class:`laurel.Store`; ``self._core`` is the extension's store."""

    _core: Any

    # --- keys --------------------------------------------------------------------------------

    def create_key(self, issuer_id: str, alg: str = "RS256") -> Dict[str, Any]:
        """Creates a signing key for the issuer.

        Returns its public description ``{"keyId", "alg", "publicKeyPem", "createdAt",
        "retiredAt": None}``. Raises NotFound (issuer), Conflict (the issuer already has a key
        of `alg` in use: :meth:`rotate_key` replaces it), ValidationError (field ``"alg"``:
        not RS256, EdDSA or ES256), PermissionDenied (passphrase missing or wrong).
        """
        return self._core.create_key(_id(issuer_id), alg)

    def list_keys(self, issuer_id: str) -> List[Dict[str, Any]]:
        """The issuer's keys, oldest first, retired ones included (``retiredAt`` set): public
        information only. Raises NotFound."""
        return self._core.list_keys(_id(issuer_id))

    def rotate_key(self, issuer_id: str, alg: str) -> Dict[str, Any]:
        """Retires the issuer's key of `alg` in use (it stays published, so badges it signed
        still verify) and creates its successor, which it returns. Raises as create_key,
        without Conflict."""
        return self._core.rotate_key(_id(issuer_id), alg)

    # --- signed badges -----------------------------------------------------------------------

    def sign(self, assertion_id: str, base_url: str, alg: str = "RS256") -> str:
        """The assertion as an OB 2.0 signed badge: a compact JWS whose payload is its assertion
        document with ``verification: {"type": "signed", "creator": <key URL>}`` and ids under
        `base_url`. An issuer without a key of `alg` gets one on first use.

        Raises NotFound, Conflict (the assertion is revoked), ValidationError (`alg`, or
        `base_url` not http(s)), PermissionDenied (passphrase).
        """
        return self._core.sign(_id(assertion_id), base_url, alg)

    def sign_batch(self, assertion_ids: Iterable[str], base_url: str, alg: str = "RS256", *,
                   threads: int = 0) -> List[Dict[str, Any]]:
        """:meth:`sign` for many assertions, on `threads` threads (0: every core).

        Returns one dict per id, in order: ``{"entityId", "signed", "jws", "code", "reason"}``
        (``code`` None when signed, else ``"NotFound"`` or ``"Conflict"``). Raises as sign for
        problems of the whole call (base_url, alg, keys).
        """
        if isinstance(assertion_ids, (str, bytes)):
            raise TypeError("assertion_ids: expected an iterable of ids, got "
                            f"{type(assertion_ids).__name__}")
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
            raise TypeError("threads: expected an int >= 0")
        return self._core.sign_batch([_id(item) for item in assertion_ids], base_url, alg,
                                     threads)

    def credential(self, assertion_id: str, base_url: str, format: str = "vc-jwt",
                   alg: str = "EdDSA") -> str:
        """The assertion as an Open Badges 3.0 OpenBadgeCredential, signed with the issuer's
        key of `alg` (``"EdDSA"``, the default, ``"RS256"`` or ``"ES256"``; created on first
        use; Data Integrity is EdDSA only). Its issuer and achievement are the OB 3.0 documents
        under `base_url` (``/public/ob3/issuers/{id}``, ``/public/ob3/achievements/{id}``), its
        ``credentialStatus`` the assertion's BitstringStatusListEntry.

        `format` ``"vc-jwt"`` (default) gives a compact VC-JWT whose header ``kid`` is the key's
        JsonWebKey verification method in the issuer Profile (``{profile}#{keyId}-jwk``);
        ``"data-integrity"`` gives the credential as JSON text with an embedded
        ``eddsa-rdfc-2022`` proof whose verificationMethod is the key's Multikey in the Profile
        (``{profile}#{keyId}``). Raises as sign, and ValidationError (field ``format``) for
        another format or ``alg``."""
        return self._core.credential(_id(assertion_id), base_url, format, alg)

    def credentials(self, assertion_ids: Iterable[str], base_url: str, *,
                    format: str = "vc-jwt", alg: Optional[str] = None,
                    threads: int = 0) -> List[Dict[str, Any]]:
        """:meth:`credential` for many assertions in one call into the core, on `threads`
        threads (0: every core).

        `format` is ``"vc-jwt"`` (signed with each issuer's key of `alg`: ``"EdDSA"``, the
        default, ``"RS256"`` or ``"ES256"``) or ``"data-integrity"`` (the credential as JSON text with an
        ``eddsa-rdfc-2022`` proof whose verificationMethod is ``{profile}#{keyId}``; EdDSA only).
        Returns one dict per id, in order: ``{"entityId", "signed", "credential", "code",
        "reason"}`` (``code`` None when signed, else ``"NotFound"`` or ``"Conflict"``: revoked).
        Raises as sign for problems of the whole call, ValidationError (``format``, ``alg``).
        """
        if isinstance(assertion_ids, (str, bytes)):
            raise TypeError("assertion_ids: expected an iterable of ids, got "
                            f"{type(assertion_ids).__name__}")
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
            raise TypeError("threads: expected an int >= 0")
        return self._core.credentials([_id(item) for item in assertion_ids], base_url, format,
                                      alg or "EdDSA", threads)

    # --- credential status (OB 3.0, W3C Bitstring Status List) ------------------------------

    def status_lists(self, issuer_id: str) -> List[str]:
        """The ids of the issuer's status lists (each assertion owns a random bit of one, given
        when it was issued). Raises NotFound."""
        return self._core.status_lists(_id(issuer_id))

    def status_list_bits(self, issuer_id: str, list_id: str) -> bytes:
        """One list's revocation bitstring (16 KiB; bit 0 is the most significant bit of byte
        0), set for revoked assertions. Raises NotFound (issuer, or field ``"list_id"``)."""
        return self._core.status_list_bits(_id(issuer_id), list_id)

    def status_entry(self, assertion_id: str) -> Any:
        """``{"issuer", "list", "index"}``: where the assertion's status bit lives, or None for
        an assertion issued before status lists existed. Raises NotFound."""
        return self._core.status_entry(_id(assertion_id))

    def status_list_credential(self, issuer_id: str, list_id: str, base_url: str,
                               alg: str = "EdDSA", *, format: str = "vc-jwt") -> str:
        """The list as a signed BitstringStatusListCredential (``validFrom`` now) at
        ``{base_url}/public/ob3/issuers/{issuer_id}/status/{list_id}``: what a verifier fetches
        from a credential's ``credentialStatus.statusListCredential``; offline, put it in the
        verifier's documents under that URL.

        `format` ``"vc-jwt"`` (default) gives a compact VC-JWT; ``"data-integrity"`` the list
        credential as JSON text with an ``eddsa-rdfc-2022`` proof (EdDSA only). Raises NotFound,
        ValidationError (base_url, alg, format), PermissionDenied (passphrase)."""
        return self._core.status_list_credential(_id(issuer_id), list_id, base_url, alg, format)

    # --- public documents --------------------------------------------------------------------

    def public_document(self, kind: str, id: str, base_url: str) -> Dict[str, Any]:
        """The Open Badges 2.0 JSON-LD document a verifier fetches, ids under `base_url`.

        `kind` is ``"issuer"`` (with its keys and revocation list), ``"badgeclass"``,
        ``"assertion"`` (hosted verification), ``"key"`` (a CryptographicKey; `id` is its keyId)
        or ``"revocation_list"`` (`id` is the issuer's); or an OB 3.0 document:
        ``"ob3_issuer"`` (the Profile, keys as Multikey and JsonWebKey verification methods),
        ``"ob3_jwks"`` (the same keys as a JWK Set), ``"ob3_achievement"``, ``"ob3_did"`` (the
        DID document of an issuer created with ``did_web=True``, served at
        ``/public/ob3/issuers/{id}/did.json``) or ``"ob3_revocation_list"`` (the issuer's 1EdTech
        Revocation List). Raises ValidationError (kind, base_url: HTTPS for a did:web issuer),
        NotFound.
        """
        return self._core.public_document(kind, _id(id), base_url)

    def unlock_keys(self) -> None:
        """Loads the key-encryption key now (``Store(..., passphrase=...)`` does this when it
        opens). Raises PermissionDenied for a wrong or missing passphrase, CryptoError when the
        key file is missing or not this store's."""
        self._core.unlock_keys()

