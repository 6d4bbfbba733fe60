#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1  // MD5 is only read (legacy "md5$" identities), never made
#include "detail/hash.hpp"

#include <cryptopp/hmac.h>
#include <cryptopp/md5.h>
#include <cryptopp/misc.h>
#include <cryptopp/sha.h>

namespace laurel::detail {
namespace {
const CryptoPP::byte* bytes(std::string_view data) {
  return reinterpret_cast<const CryptoPP::byte*>(data.data());
}

template <class Hash>
std::string digest(std::string_view first, std::string_view second) {
  Hash hash;
  hash.Update(bytes(first), first.size());
  hash.Update(bytes(second), second.size());
  std::string out(Hash::DIGESTSIZE, '\0');
  hash.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}
}  // namespace

std::string sha256(std::string_view data) { return digest<CryptoPP::SHA256>(data, {}); }
std::string sha256(std::string_view first, std::string_view second) {
  return digest<CryptoPP::SHA256>(first, second);
}
std::string sha384(std::string_view data) { return digest<CryptoPP::SHA384>(data, {}); }
std::string md5(std::string_view first, std::string_view second) {
  return digest<CryptoPP::Weak::MD5>(first, second);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  CryptoPP::HMAC<CryptoPP::SHA256> mac(bytes(key), key.size());
  mac.Update(bytes(data), data.size());
  std::string out(CryptoPP::SHA256::DIGESTSIZE, '\0');
  mac.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CryptoPP::VerifyBufsEqual(bytes(a), bytes(b), a.size());
}

}  // namespace laurel::detail
