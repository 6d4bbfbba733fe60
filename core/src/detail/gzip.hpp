// zlib glue: GZIP (RFC 1952) members as the W3C Bitstring Status List carries its bitstring.
// The only file that names zlib, so the WebAssembly build links the same library (built from
// Debian's source package by scripts/build-wasm.sh) and nothing else changes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel::detail {

/// `bytes` as one GZIP member (best compression). Errors: Internal (zlib failed, e.g. memory).
Result<std::string> gzip(std::string_view bytes);

/// The bytes of a GZIP member, refusing output larger than `max_bytes` (a small hostile input
/// may inflate a thousandfold). Errors: Invalid (field `field`) for anything that is not one
/// complete GZIP member within the bound.
Result<std::string> gunzip(std::string_view member, std::size_t max_bytes, const char* field);

}  // namespace laurel::detail
