// Private keys at rest: AES-256-GCM under a key-encryption key (KEK), the KEK either random (kept
// in a 0600 key file by the store) or derived from a passphrase with scrypt. Portable and pure:
// the store decides where KEKs and wrapped keys live.
//
// Wrapped form: version byte 1 || 12-byte random nonce || ciphertext || 16-byte GCM tag. The
// associated data (e.g. "<issuer id>/<key id>/<alg>") binds a wrapped key to its place, so a
// wrapped key copied to another record does not unwrap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::size_t kKekBytes = 32;  // AES-256
inline constexpr std::size_t kKdfSaltBytes = 16;
inline constexpr std::size_t kWrapNonceBytes = 12;  // GCM's native nonce size (SP 800-38D)
inline constexpr std::size_t kWrapTagBytes = 16;
// scrypt cost (RFC 7914): N = 2^15, r = 8, p = 1 is about 32 MiB and ~0.1 s natively, the
// interactive-login setting; it runs once when a store opens.
inline constexpr std::uint64_t kScryptN = 1u << 15;
inline constexpr unsigned kScryptR = 8;
inline constexpr unsigned kScryptP = 1;

/// kKekBytes from the CSPRNG.
std::string new_kek();
/// A fresh kKdfSaltBytes salt for derive_kek.
std::string new_kdf_salt();
/// scrypt(passphrase, salt) -> kKekBytes. Errors: Invalid (field "passphrase") for an empty
/// passphrase or a salt that is not kKdfSaltBytes; Crypto.
Result<std::string> derive_kek(std::string_view passphrase, std::string_view salt);

/// Encrypts `key`'s PKCS#8 under `kek`. Errors: Invalid (field "kek") when the KEK is not
/// kKekBytes; Crypto.
Result<std::string> wrap_key(std::string_view kek, const KeyPair& key,
                             std::string_view associated_data);
/// Decrypts and loads a wrapped key. Errors: Crypto when the KEK or associated data is wrong or
/// the wrapped bytes were changed (GCM authentication), or the key is not of `algorithm`.
Result<KeyPair> unwrap_key(std::string_view kek, KeyAlgorithm algorithm, std::string_view wrapped,
                           std::string_view associated_data);

}  // namespace laurel
