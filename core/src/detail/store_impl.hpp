// Store::Impl, shared with later store units in core/src (signing keys, users, backpack): they
// open their own named databases with env->db(name) and run transactions with env->read/write.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "detail/kv.hpp"
#include "detail/recipient_index.hpp"
#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/json.hpp"
#include "laurel/model.hpp"
#include "laurel/store.hpp"

namespace laurel {

namespace kv = detail::kv;

struct Store::Impl {
  std::string path;
  StoreOptions options;
  std::shared_ptr<kv::Env> env;

  // Named databases. Entity keys are the 16 raw id bytes; values canonical JSON.
  kv::Table meta = 0;  // "recipient-index-secret" -> 32 random bytes
  kv::Table issuers = 0;
  kv::Table badgeclasses = 0;
  kv::Table assertions = 0;   // the document, always with revoked=false (see revocations)
  kv::Table revocations = 0;  // assertion id -> {"revocationReason","revokedAt"}
  // Indexes; the key is owner id (16) + assertion id (16), so a prefix scan lists one owner's
  // assertions in creation order.
  kv::Table badgeclass_assertions = 0;  // value: expires (8 bytes, see encode_expires)
  kv::Table issuer_assertions = 0;      // value: expires
  kv::Table issuer_badgeclasses = 0;    // issuer id + badge class id -> ""
  // The recipient index (epochs, filters, the legacy table of old stores): recipient_index.hpp.
  detail::RecipientTables recipients;

  /// Per-store secret for the recipient index's keyed hash (never leaves the store).
  std::string recipient_secret;

  /// First 16 bytes of HMAC-SHA256(secret, type ":" normalised identity).
  std::string recipient_key(std::string_view type, std::string_view normalized_identity) const;
};

/// `text` in quotes, cut to 64 bytes and with control characters replaced: ids from callers may
/// be anything, and error messages stay short and printable.
inline std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 64)) out.push_back(static_cast<std::uint8_t>(c) < 0x20 ? '?' : c);
  if (text.size() > 64) out += "...";
  out += "\"";
  return out;
}

/// The raw id behind an entityId; NotFound on `field` ("no <what> with id ...") when malformed,
/// since a malformed id names no entity.
inline Result<RawId> parse_id(std::string_view text, const char* field, const char* what) {
  auto id = id_from_text(text);
  if (!id) return not_found(field, std::string("no ") + what + " with id " + quoted(text));
  return *id;
}

inline constexpr std::int64_t kNeverExpires = std::numeric_limits<std::int64_t>::max();

/// Expiry as 8 big-endian bytes with the sign bit flipped, so byte order is numeric order (the
/// value of the badge class and issuer index entries).
inline std::string encode_expires(std::int64_t expires) {
  std::uint64_t bits = std::uint64_t(expires) ^ (std::uint64_t(1) << 63);
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = char(bits >> (8 * (7 - i)));
  return out;
}
inline std::int64_t decode_expires(std::string_view bytes) {
  if (bytes.size() < 8) return kNeverExpires;
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | std::uint8_t(bytes[i]);
  return std::int64_t(bits ^ (std::uint64_t(1) << 63));
}
/// An ISO 8601 expiry (empty: never) as seconds since the epoch.
inline std::int64_t expires_epoch(const std::string& expires) {
  if (expires.empty()) return kNeverExpires;
  return parse_datetime(expires).value_or(kNeverExpires);
}

/// A stored assertion document (model.hpp's stored form) read back as the assertion `id` into
/// `out`. Internal errors name `field`: a document the store wrote and cannot read is corruption.
/// `check`: as stored_assertion_from_json's; unchecked, a plain document is read without a tree
/// (stored_assertion_from_stored), the same Assertion at a fraction of the cost, into the memory
/// `out` already holds.
inline Status decode_stored_assertion(std::string_view bytes, const RawId& id, const char* field,
                                      bool check, Assertion& out) {
  if (!check && stored_assertion_from_stored(bytes, id_to_text(id), out)) return {};
  auto json = Json::parse(bytes);
  if (!json.ok()) {
    return Error{ErrorCode::Internal, field,
                 "stored assertion is corrupt: " + json.error().message};
  }
  auto assertion = stored_assertion_from_json(json.value(), id_to_text(id), check);
  if (!assertion.ok()) {
    return Error{ErrorCode::Internal, field,
                 "stored assertion is invalid: " + assertion.error().field + " " +
                     assertion.error().message};
  }
  out = std::move(assertion).value();
  return {};
}
inline Result<Assertion> decode_stored_assertion(std::string_view bytes, const RawId& id,
                                                 const char* field, bool check = true) {
  Assertion assertion;
  LAUREL_TRY(decode_stored_assertion(bytes, id, field, check, assertion));
  return assertion;
}

namespace detail {
inline std::string_view raw_bytes(const RawId& id) {
  return {reinterpret_cast<const char*>(id.data()), id.size()};
}
}  // namespace detail

}  // namespace laurel
