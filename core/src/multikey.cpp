#include "laurel/multikey.hpp"

#include <cstdint>

#include "detail/crypto.hpp"

namespace laurel {

namespace {
constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kDidKeyPrefix = "did:key:";
constexpr std::size_t kDidKeyMaxChars = 128;    // an Ed25519 did:key is 56 characters
constexpr std::size_t kMultibaseMaxChars = 96;  // Ed25519 and P-256 Multikeys: 48, 49 characters
// The multicodecs ed25519-pub (0xed) and p256-pub (0x1200) as unsigned varints.
constexpr std::string_view kEd25519Multicodec = "\xed\x01";
constexpr std::string_view kP256Multicodec = "\x80\x24";
// DER SubjectPublicKeyInfo of an Ed25519 key up to the 32 key bytes (RFC 8410 §4).
constexpr std::string_view kEd25519SpkiPrefix{"\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00",
                                              12};
}  // namespace

std::optional<std::string> base58btc_decode(std::string_view text) {
  std::string bytes;  // big-endian, grown as digits are folded in
  for (char c : text) {
    std::size_t digit = kBase58.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    unsigned carry = unsigned(digit);
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      carry += 58u * std::uint8_t(*it);
      *it = char(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.insert(bytes.begin(), char(carry & 0xff));
      carry >>= 8;
    }
  }
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  return std::string(zeros, '\0') + bytes;
}

std::string base58btc_encode(std::string_view bytes) {
  std::string digits;  // little-endian base-58 digits
  for (unsigned char byte : bytes) {
    unsigned carry = byte;
    for (char& digit : digits) {
      carry += unsigned(std::uint8_t(digit)) << 8;
      digit = char(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits += char(carry % 58);
      carry /= 58;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && bytes[i] == '\0'; ++i) out += '1';
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kBase58[std::uint8_t(*it)];
  return out;
}

std::string public_key_to_multicodec(const PublicKey& key) {
  if (key.algorithm == KeyAlgorithm::EdDSA) {
    return std::string(kEd25519Multicodec) +
           std::string(std::string_view(key.spki_der).substr(kEd25519SpkiPrefix.size()));
  }
  if (key.algorithm == KeyAlgorithm::ES256) {
    auto point = detail::p256_point(key.spki_der, true);
    return point.ok() ? std::string(kP256Multicodec) + point.value() : std::string();
  }
  return {};
}

Result<PublicKey> public_key_from_multicodec(std::string_view bytes) {
  if (bytes.size() == kEd25519Multicodec.size() + kEd25519PublicKeyBytes &&
      bytes.substr(0, kEd25519Multicodec.size()) == kEd25519Multicodec) {
    return PublicKey{KeyAlgorithm::EdDSA, std::string(kEd25519SpkiPrefix) +
                                              std::string(bytes.substr(kEd25519Multicodec.size()))};
  }
  if (bytes.size() == kP256Multicodec.size() + kP256CompressedPointBytes &&
      bytes.substr(0, kP256Multicodec.size()) == kP256Multicodec) {
    auto spki = detail::p256_spki_from_point(bytes.substr(kP256Multicodec.size()),
                                             "publicKeyMultibase");
    if (!spki.ok()) return spki.error();
    return PublicKey{KeyAlgorithm::ES256, std::move(spki).value()};
  }
  return invalid("publicKeyMultibase",
                 "not an Ed25519 (multicodec 0xed01) or compressed P-256 (0x1200) public key");
}

std::string public_key_to_multibase(const PublicKey& key) {
  std::string bytes = public_key_to_multicodec(key);
  return bytes.empty() ? std::string() : "z" + base58btc_encode(bytes);
}

Result<PublicKey> public_key_from_multibase(std::string_view multibase) {
  if (multibase.empty() || multibase.front() != 'z' || multibase.size() > kMultibaseMaxChars) {
    return invalid("publicKeyMultibase", "not a base58btc multibase value (\"z...\")");
  }
  auto bytes = base58btc_decode(multibase.substr(1));
  if (!bytes) return invalid("publicKeyMultibase", "not base58btc");
  return public_key_from_multicodec(*bytes);
}

Result<PublicKey> public_key_from_did_key(std::string_view did) {
  did = did.substr(0, did.find('#'));
  if (did.size() > kDidKeyMaxChars || did.substr(0, kDidKeyPrefix.size()) != kDidKeyPrefix ||
      did.size() == kDidKeyPrefix.size() || did[kDidKeyPrefix.size()] != 'z') {
    return invalid("kid", "not a did:key identifier");
  }
  auto key = public_key_from_multibase(did.substr(kDidKeyPrefix.size()));
  if (!key.ok()) return invalid("kid", "only Ed25519 and P-256 did:key identifiers are supported");
  return key;
}

std::string did_key_of(const PublicKey& key) {
  std::string multibase = public_key_to_multibase(key);
  return multibase.empty() ? std::string() : std::string(kDidKeyPrefix) + multibase;
}

Json multikey_verification_method(const PublicKey& key, std::string id, std::string controller) {
  Json method = Json::object();
  method.set("id", std::move(id));
  method.set("type", std::string(kMultikeyType));
  method.set("controller", std::move(controller));
  method.set("publicKeyMultibase", public_key_to_multibase(key));
  return method;
}

Result<Json> did_key_document(std::string_view did) {
  did = did.substr(0, did.find('#'));
  auto key = public_key_from_did_key(did);
  if (!key.ok()) return key.error();
  std::string method_id = std::string(did) + "#" + std::string(did.substr(kDidKeyPrefix.size()));
  Json document = Json::object();
  document.set("@context",
               Json(Json::Array{Json(kDidContextV1), Json(kMultikeyContextV1)}));
  document.set("id", std::string(did));
  document.set("verificationMethod",
               Json(Json::Array{multikey_verification_method(key.value(), method_id,
                                                             std::string(did))}));
  for (const char* relation : {"authentication", "assertionMethod", "capabilityInvocation",
                               "capabilityDelegation"}) {
    document.set(relation, Json(Json::Array{Json(method_id)}));
  }
  return document;
}

}  // namespace laurel
