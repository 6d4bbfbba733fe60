// Store::Impl, shared with later store units in core/src (signing keys, users, backpack): they
// open their own named databases with env->db(name) and run transactions with env->read/write.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "detail/lmdb.hpp"
#include "laurel/ids.hpp"
#include "laurel/store.hpp"

namespace laurel {

struct Store::Impl {
  std::string path;
  StoreOptions options;
  std::shared_ptr<detail::lmdb::Env> env;

  // Named databases. Entity keys are the 16 raw id bytes; values canonical JSON.
  MDB_dbi meta = 0;  // "recipient-index-secret" -> 32 random bytes
  MDB_dbi issuers = 0;
  MDB_dbi badgeclasses = 0;
  MDB_dbi assertions = 0;   // the document, always with revoked=false (see revocations)
  MDB_dbi revocations = 0;  // assertion id -> {"revocationReason","revokedAt"}
  // Indexes; the key is owner id (16) + assertion id (16), so a prefix scan lists one owner's
  // assertions in creation order.
  MDB_dbi badgeclass_assertions = 0;  // value: expires (8 bytes, see encode_expires)
  MDB_dbi issuer_assertions = 0;      // value: expires
  MDB_dbi issuer_badgeclasses = 0;    // issuer id + badge class id -> ""
  MDB_dbi recipient_assertions =
      0;  // recipient key (16) + assertion id -> badge class id + expires

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

namespace detail {
inline std::string_view raw_bytes(const RawId& id) {
  return {reinterpret_cast<const char*>(id.data()), id.size()};
}
}  // namespace detail

}  // namespace laurel
