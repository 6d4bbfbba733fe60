// Crypto++ behind a no-throw wall: every call into Crypto++ for keys, signatures and zlib happens
// in crypto.cpp inside a try block, and failures come back as Result errors (ErrorCode::Crypto).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel::detail {

/// A loaded private key, ready to sign many messages. Immutable; safe to share between threads.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual Result<std::string> sign(std::string_view message) const = 0;
};

/// A fresh private key as PKCS#8 DER. Errors: Crypto.
Result<std::string> generate_private_key(KeyAlgorithm algorithm);
/// Loads a PKCS#8 private key; writes its public key's SubjectPublicKeyInfo DER to `spki_out`.
Result<std::unique_ptr<Signer>> load_signer(KeyAlgorithm algorithm, std::string_view pkcs8,
                                            std::string& spki_out);
/// Checks a SubjectPublicKeyInfo and tells its algorithm. Errors: Invalid (field "publicKey").
Result<KeyAlgorithm> inspect_spki(std::string_view der);
/// Signature check; false on any malformed input.
bool verify(KeyAlgorithm algorithm, std::string_view spki, std::string_view message,
            std::string_view signature);

/// RSA SubjectPublicKeyInfo from big-endian modulus and exponent, and back.
Result<std::string> rsa_spki_from_components(std::string_view modulus, std::string_view exponent);
Result<std::pair<std::string, std::string>> rsa_components(std::string_view spki);

/// P-256 SubjectPublicKeyInfo (named curve, uncompressed point) from a SEC1 point, compressed
/// (0x02/0x03 || x, as Multikey holds it) or not (0x04 || x || y); the point must lie on the
/// curve. Errors: Invalid (field `field`).
Result<std::string> p256_spki_from_point(std::string_view sec1_point, const char* field);
/// The SEC1 point of a P-256 SubjectPublicKeyInfo: 33 bytes compressed or 65 uncompressed.
/// Errors: Invalid (field "publicKey") for anything but a P-256 key.
Result<std::string> p256_point(std::string_view spki, bool compressed);

/// zlib (RFC 1950) decompression, refusing output beyond `max_output` bytes. Errors: Invalid
/// (field "image") for corrupt data or output over the limit.
Result<std::string> zlib_inflate(std::string_view data, std::size_t max_output);

}  // namespace laurel::detail

namespace laurel::detail {

/// AES-256-GCM with a 12-byte nonce and 16-byte tag; `out` is ciphertext || tag.
Result<std::string> aes_gcm_seal(std::string_view key, std::string_view nonce,
                                 std::string_view plaintext, std::string_view associated_data);
/// Errors: Crypto when authentication fails.
Result<std::string> aes_gcm_open(std::string_view key, std::string_view nonce,
                                 std::string_view ciphertext_and_tag,
                                 std::string_view associated_data);
/// scrypt (RFC 7914) into `length` bytes.
Result<std::string> scrypt(std::string_view passphrase, std::string_view salt, std::uint64_t n,
                           unsigned r, unsigned p, std::size_t length);

}  // namespace laurel::detail
