// Laurel's entities as plain values, and their wire form: the Badgr v2 JSON shapes.
//
// Strings that are empty mean "absent" and are written as JSON null. `to_json` writes every field
// (canonical order comes from Json); `*_from_json` reads the same shape back, checks types and
// required fields, and runs the entity's validation, so from_json(to_json(x)) == x for any valid x.
//
// Size limits (checked by validate_*), in bytes of UTF-8:
//   names 1..255, email 3..254, URLs 1..2048 (data: URIs for images up to 2 MiB),
//   descriptions and narratives up to 65536, tags up to 64 of 1..128, alignments up to 64,
//   evidence items up to 64, staff up to 1024, extensions up to 64 KiB of canonical JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/result.hpp"

namespace laurel {

namespace limits {
inline constexpr std::size_t kNameMax = 255;
inline constexpr std::size_t kEmailMax = 254;  // RFC 5321 path limit
inline constexpr std::size_t kUrlMax = 2048;
inline constexpr std::size_t kDataUriMax = 2u << 20;
inline constexpr std::size_t kTextMax = 65536;
inline constexpr std::size_t kTagMax = 128;
inline constexpr std::size_t kListMax = 64;
inline constexpr std::size_t kStaffMax = 1024;
inline constexpr std::size_t kExtensionsMax = 65536;
inline constexpr std::size_t kIdentityMax = 2048;
}  // namespace limits

struct StaffMember {
  std::string user;   // BadgeUser entityId or email
  std::string role;   // owner | editor | staff
  bool operator==(const StaffMember&) const = default;
};

struct Issuer {
  std::string entity_id;
  std::string name;         // required
  std::string email;        // required
  std::string url;          // required, http(s)
  std::string description;
  std::string image;        // http(s) URL or data: URI
  std::vector<StaffMember> staff;
  Json extensions = Json::object();
  std::string created_at;   // ISO 8601 UTC, set by the store
  std::string created_by;
  // Open Badges 3.0 (ob3_documents.hpp). did_web: the credentials name the issuer by the did:web
  // of its Profile URL, whose DID document the REST service serves. credential_status: the
  // credentialStatus its credentials carry: "bitstring" (a BitstringStatusListEntry), "1edtech"
  // (a 1EdTechRevocationList entry) or "both" (an array of the two).
  bool did_web = false;
  std::string credential_status = "bitstring";
  bool operator==(const Issuer&) const = default;
};

struct Alignment {
  std::string target_name;  // required
  std::string target_url;   // required, http(s)
  std::string target_description;
  std::string target_framework;
  std::string target_code;
  bool operator==(const Alignment&) const = default;
};

/// A badge class's default validity: `amount` units of `duration` after issuedOn.
struct Expiration {
  std::int64_t amount = 0;  // 1..10000
  std::string duration;     // days | weeks | months | years
  bool operator==(const Expiration&) const = default;
};

struct BadgeClass {
  std::string entity_id;
  std::string issuer;       // issuer entityId, required
  std::string name;         // required
  std::string description;  // required
  std::string image;
  std::string criteria_url;
  std::string criteria_narrative;
  std::vector<Alignment> alignments;
  std::vector<std::string> tags;
  std::optional<Expiration> expires;
  Json extensions = Json::object();
  std::string created_at;
  std::string created_by;
  bool operator==(const BadgeClass&) const = default;
};

/// OB 2.0 IdentityObject plus Badgr's plaintextIdentity.
struct Recipient {
  std::string identity;            // "sha256$<hex>" when hashed, else the identity itself
  std::string type = "email";      // email | url | telephone | id
  bool hashed = true;
  std::string salt;
  std::string plaintext_identity;  // empty when the store was told not to keep it
  // The recipient's DID or URL next to (or instead of) the identity above: the OB 3.0
  // credentialSubject.id (and the VC-JWT's "sub"). Empty for none.
  std::string subject_id;
  bool operator==(const Recipient&) const = default;
};

struct Evidence {
  std::string url;
  std::string narrative;
  std::string name;
  std::string description;
  std::string genre;
  std::string audience;
  bool operator==(const Evidence&) const = default;
};

struct Assertion {
  std::string entity_id;
  std::string badgeclass;  // badge class entityId
  std::string issuer;      // issuer entityId
  Recipient recipient;
  std::string issued_on;   // ISO 8601 UTC
  std::string narrative;
  std::vector<Evidence> evidence;
  std::string expires;     // ISO 8601 UTC or empty
  bool revoked = false;
  std::string revocation_reason;
  std::string acceptance = "Unaccepted";  // Unaccepted | Accepted | Rejected
  std::string verification = "hosted";    // hosted | signed
  Json extensions = Json::object();
  std::string created_at;
  std::string created_by;
  bool operator==(const Assertion&) const = default;
};

Json to_json(const Issuer& issuer);
Json to_json(const BadgeClass& badgeclass);
Json to_json(const Assertion& assertion);
Json to_json(const Recipient& recipient);
Json to_json(const Evidence& evidence);
Json to_json(const Alignment& alignment);

/// Appends to_json(assertion).dump() to `out`, without building the tree (the batch-issue path).
void append_canonical_json(std::string& out, const Assertion& assertion);

/// The store's form of an assertion: append_canonical_json less what the store keeps elsewhere
/// (id, revocation) and the members equal to their defaults; stored_assertion_from_json reads it
/// (and the full form stores written before it) back, given the id from the key. With `check`
/// false the members are read without validate(): for batches reading back thousands of
/// documents that the store validated when it wrote them (Store::credentials).
void append_stored_assertion(std::string& out, const Assertion& assertion);
Result<Assertion> stored_assertion_from_json(const Json& json, std::string entity_id,
                                             bool check = true);
/// The export's line: append_canonical_json of the assertion that stored_assertion_from_json reads
/// from `stored` with `entity_id` and the revocation, spliced from the stored bytes without
/// decoding them. False, appending nothing, when `stored` is not in append_stored_assertion's
/// form (the full form of older stores, a damaged document): the caller then decodes it.
bool append_canonical_json_of_stored(std::string& out, std::string_view stored,
                                     std::string_view entity_id, bool revoked,
                                     std::string_view revocation_reason);

/// What stored_assertion_from_json(Json::parse(stored), entity_id, false) reads, read straight
/// from the bytes without a tree, into `out` (every member written; its strings' memory reused,
/// for batches decoding one after another). False, `out` then unspecified, when `stored` is not a
/// plain document in append_stored_assertion's form (evidence, extensions, an escaped string,
/// the full form of older stores, damage): the caller then decodes it through the tree.
bool stored_assertion_from_stored(std::string_view stored, std::string_view entity_id,
                                  Assertion& out);

Result<Issuer> issuer_from_json(const Json& json);
Result<BadgeClass> badgeclass_from_json(const Json& json);
Result<Assertion> assertion_from_json(const Json& json);
Result<Evidence> evidence_from_json(const Json& json, const std::string& field);
Result<Alignment> alignment_from_json(const Json& json, const std::string& field);

/// Field rules (required, types, URLs, emails, dates, enums, sizes). Errors name the field in
/// Badgr's camelCase (e.g. "criteriaUrl", "alignments.2.targetUrl").
Status validate(const Issuer& issuer);
Status validate(const BadgeClass& badgeclass);
Status validate(const Assertion& assertion);
Status validate(const Evidence& evidence, const std::string& field);
Status validate(const Alignment& alignment, const std::string& field);

/// Applies a Badgr PATCH body (camelCase keys; only the keys present change; null clears an
/// optional field) to a copy of `current`, validates, and returns it. Read-only keys (entityId,
/// createdAt, issuer of a badge class, recipient of an assertion, ...) are refused by name.
Result<Issuer> apply_patch(const Issuer& current, const Json& patch);
Result<BadgeClass> apply_patch(const BadgeClass& current, const Json& patch);
/// Assertions accept narrative, evidence, issuedOn, expires, extensions, acceptance.
Result<Assertion> apply_patch(const Assertion& current, const Json& patch);

}  // namespace laurel
