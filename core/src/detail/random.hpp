// The CSPRNG: the operating system's generator through Crypto++ (getrandom / /dev/urandom
// natively, crypto.getRandomValues under Emscripten).
#pragma once

#include <cstddef>
#include <cstdint>

namespace laurel::detail {

/// Fills `out` with `size` random bytes. Aborts the process if the OS generator fails: an id or
/// salt from a broken generator must never be written.
void random_bytes(std::uint8_t* out, std::size_t size);

}  // namespace laurel::detail
