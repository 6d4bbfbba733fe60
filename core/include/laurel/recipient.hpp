// Recipient identities (OB 2.0 §IdentityObject): normalisation, salted hashing and matching.
#pragma once

#include <string>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::size_t kSaltBytes = 16;  // 128 bits, hex-encoded to 32 characters

/// Checks `type` (email | url | telephone | id) and the identity's syntax for that type, and
/// returns the normalised identity: emails trimmed and lower-cased, the rest trimmed.
/// Errors: Invalid with field "recipient.type" or "recipient.identity".
Result<std::string> normalize_identity(std::string_view identity, std::string_view type);

/// "sha256$" + lowercase hex SHA-256(normalised identity + salt). Errors as normalize_identity.
Result<std::string> hash_identity(std::string_view identity, std::string_view salt,
                                  std::string_view type = "email");

/// True when `identity` (plaintext, of `type`) is the one behind `hashed_identity`.
/// Accepts "sha256$" and "md5$" hashes in any hex case, salted or not (empty salt), and a
/// plaintext `hashed_identity` compared after normalisation. Comparison is constant-time.
bool identity_matches(std::string_view identity, std::string_view hashed_identity,
                      std::string_view salt, std::string_view type = "email");

/// A fresh random salt: kSaltBytes from the CSPRNG, lowercase hex.
std::string new_salt();

}  // namespace laurel
