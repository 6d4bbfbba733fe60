// RFC 8785 JSON Canonicalization Scheme (JCS), as the eddsa-jcs-2022 cryptosuite hashes it.
//
// It differs from Laurel's canonical JSON (json.hpp) in two rules: object keys sort by their
// UTF-16 code units (not UTF-8 bytes: the two orders differ only between characters above U+FFFF
// and those in U+E000..U+FFFF), and numbers are written as ECMAScript's Number.prototype.toString
// writes IEEE 754 doubles (1e+21, 1e-7, 0.000001; integers beyond 2^53 lose precision as they do
// in every JCS implementation). Strings escape as both already do (RFC 8785 §3.2.2.2).
//
// Threading: a pure function. Nothing throws.
#pragma once

#include <string>

#include "laurel/json.hpp"

namespace laurel {

/// The JCS text of `value`.
std::string jcs_canonicalize(const Json& value);

}  // namespace laurel
