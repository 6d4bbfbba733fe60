// The store: issuers, badge classes, assertions and their indexes in named, ordered tables: an
// LMDB environment in a directory (the default), or a PostgreSQL database given by URL. Every
// public call is one transaction: it happens whole or not at all, and a write is durable (fsync'd)
// when the call returns.
//
// Threading: a Store may be used from many threads at once; writers are serialised (one write
// transaction at a time), readers see a consistent snapshot and never block the writer. Several
// processes may open the same store. Ids are accepted as 22-character base64url entityIds.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/credential.hpp"
#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/result.hpp"

namespace laurel {

struct StoreOptions {
  /// Initial LMDB map size; the map doubles whenever a write fills it. Only the first open of a
  /// directory in a process sets it (later opens share that environment).
  std::size_t initial_map_bytes = 64u << 20;
  /// Keep recipients' plaintext identities (Badgr's plaintextIdentity). When false only the salted
  /// hash and a keyed hash for the recipient index are stored.
  bool keep_plaintext = true;
  /// Protects the issuers' private signing keys. Empty (the default): a random key-encryption
  /// key (KEK) in the file "keys.kek" of the data directory, mode 0600, made on first use.
  /// Otherwise the KEK is derived from this passphrase with scrypt (its salt is kept in the
  /// store). The first key operation on a store fixes which of the two it uses, for good.
  std::string passphrase;
};

/// One recipient of an award.
struct RecipientInput {
  std::string identity;
  std::string type = "email";  // email | url | telephone | id
  bool hashed = true;
  std::string subject_id;  // a DID or URL next to the identity (Recipient::subject_id)
  std::string narrative;
  std::vector<Evidence> evidence;
  std::string issued_on;  // ISO 8601; empty = now
  std::string expires;    // ISO 8601; empty = from the badge class's expires, if any
  Json extensions = Json::object();
};

struct IssueOptions {
  /// false: a recipient who already holds an unrevoked assertion of the badge class is skipped
  /// (reported per item as "duplicate"), including repeats within the same batch.
  bool allow_duplicate_awards = true;
  /// false: any invalid item aborts the whole batch (nothing written; every invalid item is
  /// reported). true: invalid items are reported and the valid ones are issued.
  bool skip_invalid = false;
  std::string created_by;
};

/// Called between chunks of a batch with (items done, total); return false to cancel the batch,
/// which then writes nothing and returns ErrorCode::Cancelled. Called on the calling thread while
/// the batch's write transaction is open: it may read from the store but must not write to it
/// (LMDB's writer lock is held, so a write from the same thread would deadlock).
using ProgressFn = std::function<bool(std::size_t done, std::size_t total)>;
/// Receives an export's text chunk by chunk; returns false to stop the export.
using ExportSink = std::function<bool(std::string_view chunk)>;

struct IssueItemResult {
  std::size_t index = 0;     // position in the input
  bool issued = false;
  std::string entity_id;     // set when issued
  std::string code;          // "" when issued, else "duplicate" or "invalid"
  Error error;               // for "invalid": the field and message
};

struct IssueBatchResult {
  std::vector<IssueItemResult> items;
  std::size_t issued = 0;
  std::size_t duplicates = 0;
  std::size_t invalid = 0;
  bool committed = false;  // false when an invalid item aborted the batch
};

/// One item of a batch revocation (Badgr POST /v2/assertions/revoke).
struct RevokeItem {
  std::string entity_id;          // `entityId` or `id` in the Badgr body
  std::string revocation_reason;  // required
};

struct RevokeItemResult {
  std::string entity_id;
  bool revoked = false;
  std::string code;    // "" | "not_found" | "already_revoked" | "invalid"
  std::string reason;  // human-readable explanation when not revoked
};

struct AssertionQuery {
  enum class Scope { Issuer, BadgeClass, Recipient };
  Scope scope = Scope::BadgeClass;
  std::string id;              // issuer or badge class entityId (ignored in the Recipient scope)
  std::string recipient;       // identity (Recipient scope, or a filter within the other scopes)
  std::string recipient_type = "email";
  std::size_t num = 100;       // page size, 1..1000
  std::string after;           // cursor from a previous page's next_cursor
  std::string before;          // cursor from a previous page's prev_cursor
  bool include_revoked = false;
  bool include_expired = false;
  std::int64_t now = 0;        // for expiry; 0 = the current time
};

/// Newest first. Cursors are opaque strings; empty when there is no further page.
struct AssertionPage {
  std::vector<Assertion> items;
  std::string next_cursor;  // pass as `after` for older items
  std::string prev_cursor;  // pass as `before` for newer items
};

/// One table's figures (`laurel stats`); the tree shape (depth, pages) is LMDB's, 0 elsewhere.
struct TableStats {
  std::string name;
  std::uint64_t entries = 0;
  std::uint64_t depth = 0;
  std::uint64_t branch_pages = 0;
  std::uint64_t leaf_pages = 0;
  std::uint64_t overflow_pages = 0;
  std::uint64_t bytes = 0;
};

/// What a large store holds and how its file is used (Store::stats).
struct StoreStats {
  std::uint64_t issuers = 0;
  std::uint64_t badgeclasses = 0;
  std::uint64_t assertions = 0;
  std::uint64_t revoked = 0;
  std::vector<TableStats> tables;  // every named table, by name
  std::string backend;             // the storage backend: "lmdb" (or "postgresql")
  std::uint64_t page_size = 0;
  std::uint64_t map_bytes = 0;     // the memory map's current size (it grows on demand)
  std::uint64_t file_bytes = 0;    // pages in use up to the last one written, in bytes
  std::uint64_t free_pages = 0;    // pages inside file_bytes free for reuse
  std::uint64_t readers = 0;       // reader slots in use
  std::uint64_t max_readers = 0;
  /// file_bytes / assertions, and the same without the free pages (0 when there are none).
  double bytes_per_assertion = 0;
  double live_bytes_per_assertion = 0;
};

/// Store::check's findings: empty `problems` means every index agrees with the records.
struct CheckReport {
  std::uint64_t assertions = 0;   // assertion records checked
  std::uint64_t problem_count = 0;
  std::vector<std::string> problems;  // the first kMaxListed, one sentence each
  static constexpr std::size_t kMaxListed = 1000;
  bool ok() const { return problem_count == 0; }
};

class Store {
 public:
  /// Opens (creating if missing) the store at `path`: a directory (the LMDB backend), or a
  /// postgresql:// URL (the PostgreSQL backend, when built in). Errors: Storage (cannot create or
  /// open the directory or database, with the OS's or the backend's message).
  static Result<Store> open(const std::string& path, const StoreOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  const std::string& path() const;

  // Issuers. create_* ignore any entity_id/created_at in the draft and assign their own.
  // Errors: Invalid (field named), NotFound, Conflict (delete of an issuer with badge classes),
  // Storage.
  Result<Issuer> create_issuer(const Issuer& draft);
  Result<Issuer> get_issuer(std::string_view id) const;
  Result<Issuer> update_issuer(std::string_view id, const Json& patch);
  Status delete_issuer(std::string_view id);
  Result<std::vector<Issuer>> list_issuers() const;

  // Badge classes. Conflict: delete while unrevoked assertions exist.
  Result<BadgeClass> create_badgeclass(const BadgeClass& draft);
  Result<BadgeClass> get_badgeclass(std::string_view id) const;
  /// Never rewrites assertions already issued.
  Result<BadgeClass> update_badgeclass(std::string_view id, const Json& patch);
  Status delete_badgeclass(std::string_view id);
  /// All badge classes, or those of one issuer (NotFound if that issuer does not exist).
  Result<std::vector<BadgeClass>> list_badgeclasses(std::string_view issuer_id = {}) const;

  // Assertions.
  /// Errors: NotFound (badge class), Invalid (recipient or fields), Conflict (duplicate award
  /// when allow_duplicate_awards is false), Storage.
  Result<Assertion> issue(std::string_view badgeclass_id, const RecipientInput& recipient,
                          const IssueOptions& options = {});
  /// One write transaction for the whole batch. Errors: NotFound (badge class), Cancelled,
  /// Storage; per-item problems are in the result.
  Result<IssueBatchResult> issue_batch(std::string_view badgeclass_id,
                                       const std::vector<RecipientInput>& recipients,
                                       const IssueOptions& options = {},
                                       const ProgressFn& progress = {});
  Result<Assertion> get_assertion(std::string_view id) const;
  /// Badgr PUT/PATCH on an assertion (see apply_patch). Revoked assertions refuse (Conflict).
  Result<Assertion> update_assertion(std::string_view id, const Json& patch);
  /// Errors: NotFound, Invalid (empty reason, field "revocationReason"), Conflict (already
  /// revoked).
  Result<Assertion> revoke(std::string_view id, std::string_view reason);
  /// One write transaction; every item gets a result, failures never abort the others.
  Result<std::vector<RevokeItemResult>> revoke_batch(const std::vector<RevokeItem>& items,
                                                     const ProgressFn& progress = {});
  Result<AssertionPage> list_assertions(const AssertionQuery& query) const;
  /// Revoked assertions of an issuer: (entityId, revocationReason) pairs, for the OB 2.0
  /// RevocationList.
  Result<std::vector<std::pair<std::string, std::string>>> revocations(
      std::string_view issuer_id) const;

  // Service documents (accounts, tokens, collections, endorsements, ...): canonical JSON stored
  // under (kind, key) in one LMDB table, so the REST layer keeps every byte in the same
  // environment and transactions as the badges. `kind` is 1..64 of [a-z0-9_]; `key` 1..512 bytes.
  // Errors: Invalid (kind, key or a non-object value), Storage.
  Status put_document(std::string_view kind, std::string_view key, const Json& value);
  /// NotFound when absent.
  Result<Json> get_document(std::string_view kind, std::string_view key) const;
  /// false when it did not exist.
  Result<bool> delete_document(std::string_view kind, std::string_view key);
  /// Documents of a kind whose key starts with `prefix`, in key order.
  Result<std::vector<std::pair<std::string, Json>>> list_documents(
      std::string_view kind, std::string_view prefix = {}) const;
  /// Writes `value` only if the stored document equals `expected` (null = absent), atomically:
  /// one-time tokens and refresh tokens are consumed with this. Conflict when it differs.
  Status replace_document(std::string_view kind, std::string_view key, const Json& expected,
                          const Json& value);

  // Signing keys, signatures and public documents (core/src/store_keys.cpp). An issuer has
  // Ed25519 (EdDSA) and RSA-2048 (RS256) keys; each private key is kept wrapped with AES-256-GCM
  // under the store's KEK (StoreOptions::passphrase) and is never returned by any call. Rotated
  // keys stay published, retired, so badges signed earlier still verify. Key descriptions are
  // the public fields only: {"keyId", "alg", "publicKeyPem", "createdAt", "retiredAt"}.
  //
  // KEK errors, from any call that needs a private key: PermissionDenied (field "passphrase")
  // when the store's keys are protected by a passphrase and none or a wrong one was given, when
  // a passphrase is given for a store whose keys use its key file, or when keys.kek is readable
  // by other users; Crypto when keys.kek is missing or is not the file the keys were wrapped
  // with; Storage when it cannot be created or read.

  /// Makes the KEK available now (creating the key file or the passphrase salt on first use), so
  /// a wrong passphrase is reported when a store opens rather than at its first signature.
  /// Errors: the KEK errors above.
  Status unlock_keys();
  /// A new key of `algorithm` for the issuer. Errors: NotFound (issuer), Conflict (the issuer
  /// already has a key of that algorithm in use: rotate_key replaces it), KEK errors, Crypto.
  Result<Json> create_key(std::string_view issuer_id, KeyAlgorithm algorithm);
  /// The issuer's keys, oldest first, retired ones included. Errors: NotFound, Storage.
  Result<std::vector<Json>> list_keys(std::string_view issuer_id) const;
  /// Retires the issuer's key of `algorithm` in use (if any) and creates its successor, which it
  /// returns. Errors as create_key, without Conflict.
  Result<Json> rotate_key(std::string_view issuer_id, KeyAlgorithm algorithm);

  /// The assertion as an OB 2.0 signed badge: a compact JWS whose payload is its assertion
  /// document (verification {"type": "signed", "creator": key URL}) under `base_url`, signed with
  /// the issuer's key of `algorithm` in use, which is created when the issuer has none.
  /// Errors: NotFound (assertion), Conflict (revoked: a revoked badge is not signed), Invalid
  /// (base_url empty), KEK errors, Crypto.
  Result<std::string> sign(std::string_view assertion_id, std::string_view base_url,
                           KeyAlgorithm algorithm = KeyAlgorithm::RS256);
  /// sign() for many assertions of any issuers, on `threads` threads (0: one per core, at most
  /// 8; never more than 64). One result per id, in order; a bad id fails only its own item
  /// (NotFound, Conflict). Errors for the whole call: Invalid (base_url), KEK errors, Crypto,
  /// Storage.
  Result<std::vector<Result<std::string>>> sign_batch(const std::vector<std::string>& assertion_ids,
                                                      std::string_view base_url,
                                                      KeyAlgorithm algorithm = KeyAlgorithm::RS256,
                                                      unsigned threads = 0);
  /// The assertion as an OB 3.0 OpenBadgeCredential (credential.hpp) secured as a VC-JWT, signed
  /// with the issuer's Ed25519 key in use (created when there is none). Its issuer and achievement
  /// ids are the OB 3.0 documents under `base_url` (ob3_documents.hpp), its credentialStatus the
  /// assertion's Bitstring Status List entry, and the header's "kid" the key's JsonWebKey
  /// verification method in the issuer Profile. With CredentialFormat::DataIntegrity the
  /// credential is JSON text carrying an eddsa-rdfc-2022 proof (data_integrity.hpp) by the same
  /// key, whose verificationMethod is the key's Multikey method in the Profile
  /// (`{base}/public/ob3/issuers/{issuer}#{key_id}`). `algorithm` picks the VC-JWT's key
  /// (EdDSA, RS256 or ES256) as credentials() does. An issuer with did_web is named by its DID
  /// (ob3_documents.hpp) and its methods are DID URLs; its credentialStatus follows its
  /// credential_status setting. Errors as credentials(), and Invalid (field "base_url") for a
  /// did_web issuer under a base URL that is not HTTPS.
  Result<std::string> credential(std::string_view assertion_id, std::string_view base_url,
                                 CredentialFormat format = CredentialFormat::VcJwt,
                                 KeyAlgorithm algorithm = KeyAlgorithm::EdDSA);
  /// credential() for many assertions of any issuers, on `threads` threads as sign_batch:
  /// VC-JWTs signed with each issuer's key of `algorithm` (EdDSA, RS256, ES256), or credentials
  /// with an eddsa-rdfc-2022 Data Integrity proof (JSON text; EdDSA only) whose verificationMethod
  /// is the key's Multikey method in the Profile. One result per id, in order; a bad id fails
  /// only its own item (NotFound, Conflict). Errors for the whole call as sign_batch, and Invalid
  /// (field "alg") for Data Integrity with another algorithm than EdDSA.
  Result<std::vector<Result<std::string>>> credentials(
      const std::vector<std::string>& assertion_ids, std::string_view base_url,
      CredentialFormat format = CredentialFormat::VcJwt,
      KeyAlgorithm algorithm = KeyAlgorithm::EdDSA, unsigned threads = 0);

  // OB 3.0 credential status (core/src/store_status.cpp, detail/status_store.hpp). Every award
  // gets a random free bit of one of its issuer's Bitstring Status Lists (kStatusListBits
  // entries) in the transaction that issues it; revoke and revoke_batch set that bit in the
  // transaction that revokes it.

  /// The ids of the issuer's status lists. Errors: NotFound (issuer), Storage.
  Result<std::vector<std::string>> status_lists(std::string_view issuer_id) const;
  /// One list's revocation bitstring (kStatusListBytes; bit 0 is the leftmost bit of byte 0).
  /// Errors: NotFound (issuer, or "list_id"), Storage.
  Result<std::string> status_list_bits(std::string_view issuer_id,
                                       std::string_view list_id) const;
  /// The assertion's status: {"issuer": id, "list": list id, "index": n}, or null for an
  /// assertion issued before status lists existed. Errors: NotFound, Storage.
  Result<Json> status_entry(std::string_view assertion_id) const;
  /// The list as a BitstringStatusListCredential (status_list.hpp) at its URL under `base_url`,
  /// issued by the issuer's OB 3.0 id (its Profile URL or did:web), validFrom now, secured by the
  /// issuer's key of `algorithm` in use (created when there is none): as a VC-JWT (kid its
  /// JsonWebKey method), or with CredentialFormat::DataIntegrity as JSON text with an
  /// eddsa-rdfc-2022 proof by its Multikey method (EdDSA only). Errors: Invalid (base_url, or
  /// "alg"), NotFound (issuer, "list_id"), KEK errors, Crypto.
  Result<std::string> status_list_credential(std::string_view issuer_id, std::string_view list_id,
                                             std::string_view base_url,
                                             KeyAlgorithm algorithm = KeyAlgorithm::EdDSA,
                                             CredentialFormat format = CredentialFormat::VcJwt);

  /// The OB 2.0 document a verifier fetches (documents.hpp), with ids under `base_url`. `kind`:
  /// "issuer" (listing its keys, retired ones included, and its revocation list), "badgeclass",
  /// "assertion" (hosted), "key" (`id` is a key id) or "revocation_list" (`id` is the issuer's);
  /// or an OB 3.0 document (ob3_documents.hpp): "ob3_issuer" (the Profile with every key, retired
  /// ones included, as verification methods), "ob3_jwks" (an issuer id), "ob3_achievement",
  /// "ob3_did" (the DID document of an issuer with did_web; NotFound for another) or
  /// "ob3_revocation_list" (the issuer's 1EdTech Revocation List). Errors: Invalid (field
  /// "kind", or "base_url" when empty or, for a did_web issuer, not HTTPS), NotFound, Storage.
  Result<Json> public_document(std::string_view kind, std::string_view id,
                               std::string_view base_url) const;

  // A large store's operations (core/src/store_admin.cpp).
  /// Counts per entity, per-table sizes, map size and use, free pages, readers.
  Result<StoreStats> stats() const;
  /// An online, consistent, compacted copy of the store in `destination` (created if missing;
  /// must hold no store yet), taken in one read transaction while others go on reading and
  /// writing: it holds every write committed before the copy began and none after. The copy is
  /// a store: open it where it is (or copy it back) to restore. Errors: Invalid (destination),
  /// Storage.
  Status backup(const std::string& destination) const;
  /// Checks every index against the records (each assertion once in each index that should hold
  /// it, nothing dangling) and the revocation records, in one read transaction. A finding is in
  /// the report, not an error; errors only when the check cannot run (Storage).
  Result<CheckReport> check() const;

  /// Every assertion of `issuer_id` (every issuer when empty), newest first per issuer, revoked
  /// and expired included, as canonical Badgr v2 JSON lines (to_json(assertion).dump() + "\n"),
  /// handed to `sink` in chunks of about 1 MiB from one read transaction: memory stays constant
  /// whatever the count. Returns how many. Errors: NotFound (issuer), Cancelled (sink said
  /// stop), Storage.
  Result<std::uint64_t> export_assertions(std::string_view issuer_id,
                                          const ExportSink& sink) const;

  struct Impl;
  /// For extensions of the store in core/src (keys, backpack); not part of the stable API.
  Impl& impl() const { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace laurel
