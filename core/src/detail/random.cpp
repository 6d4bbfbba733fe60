#include "detail/random.hpp"

#include <cryptopp/osrng.h>

#include <cstdio>
#include <cstdlib>

namespace laurel::detail {

void random_bytes(std::uint8_t* out, std::size_t size) {
  try {
    // Non-blocking generator: getrandom(2) on Linux, which blocks only before the pool is seeded.
    CryptoPP::OS_GenerateRandomBlock(false, out, size);
  } catch (const CryptoPP::Exception& error) {
    std::fprintf(stderr, "laurel: the OS random generator failed: %s\n", error.what());
    std::abort();
  }
}

}  // namespace laurel::detail
