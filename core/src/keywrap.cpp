#include "laurel/keywrap.hpp"

#include <cstdint>

#include "detail/crypto.hpp"
#include "detail/random.hpp"

namespace laurel {
namespace {

constexpr char kWrapVersion = 1;

std::string random_string(std::size_t size) {
  std::string out(size, '\0');
  detail::random_bytes(reinterpret_cast<std::uint8_t*>(out.data()), size);
  return out;
}

}  // namespace

std::string new_kek() {
  return random_string(kKekBytes);
}
std::string new_kdf_salt() {
  return random_string(kKdfSaltBytes);
}

Result<std::string> derive_kek(std::string_view passphrase, std::string_view salt) {
  if (passphrase.empty()) return invalid("passphrase", "the passphrase is empty");
  if (salt.size() != kKdfSaltBytes) return invalid("passphrase", "the KDF salt must be 16 bytes");
  return detail::scrypt(passphrase, salt, kScryptN, kScryptR, kScryptP, kKekBytes);
}

Result<std::string> wrap_key(std::string_view kek, const KeyPair& key,
                             std::string_view associated_data) {
  if (kek.size() != kKekBytes) return invalid("kek", "the key-encryption key must be 32 bytes");
  // Random 96-bit nonces: safe for far more than the 2^32 wraps one KEK will ever see
  // (SP 800-38D §8.3).
  std::string nonce = random_string(kWrapNonceBytes);
  auto sealed = detail::aes_gcm_seal(kek, nonce, key.private_pkcs8(), associated_data);
  if (!sealed.ok()) return sealed.error();
  std::string out(1, kWrapVersion);
  out += nonce;
  out += sealed.value();
  return out;
}

Result<KeyPair> unwrap_key(std::string_view kek, KeyAlgorithm algorithm, std::string_view wrapped,
                           std::string_view associated_data) {
  if (kek.size() != kKekBytes) return invalid("kek", "the key-encryption key must be 32 bytes");
  if (wrapped.size() < 1 + kWrapNonceBytes + kWrapTagBytes || wrapped[0] != kWrapVersion) {
    return Error{ErrorCode::Crypto, "key", "not a wrapped key of a known version"};
  }
  auto pkcs8 = detail::aes_gcm_open(kek, wrapped.substr(1, kWrapNonceBytes),
                                    wrapped.substr(1 + kWrapNonceBytes), associated_data);
  if (!pkcs8.ok()) return pkcs8.error();
  auto key = KeyPair::from_pkcs8(algorithm, pkcs8.value());
  volatile char* plain = pkcs8.value().data();
  for (std::size_t i = 0; i < pkcs8.value().size(); ++i) plain[i] = 0;
  return key;
}

}  // namespace laurel
