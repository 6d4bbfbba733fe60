#include "laurel/keyring.hpp"

#include <algorithm>

#include "laurel/ids.hpp"
#include "laurel/keywrap.hpp"

namespace laurel {
namespace {

std::string associated_data(const KeyRecord& record) {
  // Binds the wrapped bytes to their record: moved to another issuer, key id or algorithm, they
  // no longer decrypt.
  return "laurel-key:v1:" + record.issuer_id + ":" + record.key_id + ":" +
         algorithm_name(record.algorithm);
}

}  // namespace

Json to_json(const KeyRecord& record) {
  Json json = public_key_info(record);
  json.set("issuer", record.issuer_id);
  json.set("wrappedKey", base64_encode(record.wrapped_private));
  return json;
}

Json public_key_info(const KeyRecord& record) {
  return Json::object(
      {{"keyId", record.key_id},
       {"alg", algorithm_name(record.algorithm)},
       {"publicKeyPem", public_key_to_pem(record.public_key)},
       {"createdAt", record.created_at},
       {"retiredAt", record.retired_at.empty() ? Json() : Json(record.retired_at)}});
}

Result<KeyRecord> key_record_from_json(const Json& json) {
  if (!json.is_object()) return invalid("key", "a key record must be an object");
  KeyRecord record;
  record.key_id = json.get_string("keyId");
  record.issuer_id = json.get_string("issuer");
  if (!id_from_text(record.key_id)) return invalid("keyId", "not an entityId");
  if (record.issuer_id.empty()) return invalid("issuer", "missing");
  auto algorithm = algorithm_from_name(json.get_string("alg"));
  if (!algorithm) return invalid("alg", "must be RS256, EdDSA or ES256");
  record.algorithm = *algorithm;
  auto key = public_key_from_pem(json.get_string("publicKeyPem"));
  if (!key.ok()) return key.error();
  if (key->algorithm != record.algorithm)
    return invalid("publicKeyPem", "not a key of " + json.get_string("alg"));
  record.public_key = std::move(key).value();
  auto wrapped = base64_decode(json.get_string("wrappedKey"));
  if (!wrapped || wrapped->empty()) return invalid("wrappedKey", "not base64");
  record.wrapped_private = std::move(*wrapped);
  record.created_at = json.get_string("createdAt");
  record.retired_at = json.get_string("retiredAt");
  return record;
}

Result<KeyRecord> new_key_record(std::string_view kek, std::string_view issuer_id,
                                 KeyAlgorithm algorithm, std::string_view created_at) {
  if (kek.size() != kKekBytes) return invalid("kek", "the key-encryption key must be 32 bytes");
  auto key = KeyPair::generate(algorithm);
  if (!key.ok()) return key.error();
  KeyRecord record;
  record.key_id = new_id();
  record.issuer_id = std::string(issuer_id);
  record.algorithm = algorithm;
  record.public_key = key->public_key();
  record.created_at = std::string(created_at);
  auto wrapped = wrap_key(kek, key.value(), associated_data(record));
  if (!wrapped.ok()) return wrapped.error();
  record.wrapped_private = std::move(wrapped).value();
  return record;
}

Result<KeyPair> unlock_key(const KeyRecord& record, std::string_view kek) {
  auto key = unwrap_key(kek, record.algorithm, record.wrapped_private, associated_data(record));
  if (!key.ok()) return key.error();
  if (key->public_key() != record.public_key) {
    return Error{ErrorCode::Crypto, "key",
                 "the private key does not match the record's public key"};
  }
  return key;
}

const KeyRecord* active_key(const std::vector<KeyRecord>& records, KeyAlgorithm algorithm) {
  const KeyRecord* newest = nullptr;
  for (const KeyRecord& record : records) {
    if (record.algorithm != algorithm || !record.retired_at.empty()) continue;
    // ISO 8601 UTC strings of one format sort by time; equal times keep the later record.
    if (newest == nullptr || record.created_at >= newest->created_at) newest = &record;
  }
  return newest;
}

Result<KeyRecord> rotate_key(std::vector<KeyRecord>& records, std::string_view kek,
                             std::string_view issuer_id, KeyAlgorithm algorithm,
                             std::string_view now) {
  auto fresh = new_key_record(kek, issuer_id, algorithm, now);
  if (!fresh.ok()) return fresh.error();
  for (KeyRecord& record : records) {
    if (record.algorithm == algorithm && record.retired_at.empty())
      record.retired_at = std::string(now);
  }
  records.push_back(fresh.value());
  return fresh;
}

}  // namespace laurel
