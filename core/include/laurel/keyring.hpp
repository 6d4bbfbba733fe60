// An issuer's signing keys as stored records: the public half in the clear, the private half
// wrapped (keywrap.hpp) under the store's key-encryption key. Creation, lookup of the key in use
// and rotation are decided here, portably; the store only persists the records (one JSON value per
// key) and holds the KEK. Rotated keys are kept, retired, so that older signed badges still verify
// against the published key documents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel {

struct KeyRecord {
  std::string key_id;     // 22-character entityId
  std::string issuer_id;  // the owning issuer's entityId
  KeyAlgorithm algorithm = KeyAlgorithm::EdDSA;
  PublicKey public_key;
  std::string wrapped_private;  // wrap_key output (binary)
  std::string created_at;       // ISO 8601 UTC
  std::string retired_at;       // empty while the key is in use
  bool operator==(const KeyRecord&) const = default;
};

/// Stored form: {"keyId", "issuer", "alg", "publicKeyPem", "wrappedKey" (base64), "createdAt",
/// "retiredAt" (null while in use)}.
Json to_json(const KeyRecord& record);
/// Errors: Invalid (field named) for a malformed record.
Result<KeyRecord> key_record_from_json(const Json& json);
/// What the faces may show about a key (no wrapped private key): {"keyId", "alg", "publicKeyPem",
/// "createdAt", "retiredAt"}.
Json public_key_info(const KeyRecord& record);

/// A fresh key of `algorithm` for `issuer_id`, wrapped under `kek` with associated data
/// "laurel-key:v1:<issuer>:<key id>:<alg>". Errors: Invalid (kek size), Crypto.
Result<KeyRecord> new_key_record(std::string_view kek, std::string_view issuer_id,
                                 KeyAlgorithm algorithm, std::string_view created_at);
/// The key pair of a record. Errors: Crypto (wrong KEK or a record altered at rest).
Result<KeyPair> unlock_key(const KeyRecord& record, std::string_view kek);

/// The key in use for `algorithm`: the newest record not retired; nullptr when there is none.
const KeyRecord* active_key(const std::vector<KeyRecord>& records, KeyAlgorithm algorithm);
/// Retires the key in use for `algorithm` (if any) at `now` and appends a new one, which it
/// returns. Errors as new_key_record; on error `records` is unchanged.
Result<KeyRecord> rotate_key(std::vector<KeyRecord>& records, std::string_view kek,
                             std::string_view issuer_id, KeyAlgorithm algorithm,
                             std::string_view now);

}  // namespace laurel
