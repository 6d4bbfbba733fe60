// Compact JWS (RFC 7515 §7.1) with RS256 and EdDSA (RFC 8037), as Open Badges 2.0 signed
// assertions and Open Badges 3.0 VC-JWTs use it. Headers are written with the canonical JSON
// writer; payload bytes are signed exactly as given.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel {

/// Compact tokens longer than this are refused before any decoding (hostile input).
inline constexpr std::size_t kJwsMaxBytes = 4u << 20;

/// A parsed (not yet verified) compact JWS.
struct Jws {
  Json header;                // the protected header, an object with a string "alg"
  std::string payload;        // decoded payload bytes
  std::string signing_input;  // "<header b64url>.<payload b64url>", what the signature covers
  std::string signature;      // decoded signature bytes
};

/// Signs `payload` with `key`: header {"alg": RS256|EdDSA} plus the members of `extra_header`
/// (e.g. "typ", "kid", "jwk"; an "alg" there is ignored). Errors: Crypto.
Result<std::string> jws_sign(const KeyPair& key, std::string_view payload,
                             const Json& extra_header = Json::object());

/// jws_sign in two steps, for a caller that writes many tokens under one header: the first part
/// (base64url of the header jws_sign would write), then, once the caller has appended "." and
/// the base64url payload to it, the signature over that signing input (appended with its ".").
/// Errors: Crypto (the token is then left as it was given).
std::string jws_header_part(const KeyPair& key, const Json& extra_header = Json::object());
Status jws_append_signature(const KeyPair& key, std::string& signing_input);

/// Splits and decodes a compact JWS. Errors: Invalid (field "jws") when it is not three base64url
/// parts, the header is not a JSON object with a string "alg", or it exceeds kJwsMaxBytes.
Result<Jws> jws_parse(std::string_view compact);

/// True when the header's "alg" is the key's algorithm (no "none", no algorithm confusion) and
/// the signature verifies.
[[nodiscard]] bool jws_verify(const Jws& jws, const PublicKey& key);

/// Cheap syntactic test: three non-empty base64url parts separated by two dots.
bool looks_like_jws(std::string_view text);

}  // namespace laurel
