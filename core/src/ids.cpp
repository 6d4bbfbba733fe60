#include "laurel/ids.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>

#include "detail/random.hpp"
#include "laurel/datetime.hpp"

namespace laurel {
namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The two characters of each 12-bit value: whole blocks take two look-ups instead of four.
struct PairTable {
  char pairs[4096][2];
  constexpr explicit PairTable(const char* alphabet) : pairs() {
    for (int value = 0; value < 4096; ++value) {
      pairs[value][0] = alphabet[value >> 6];
      pairs[value][1] = alphabet[value & 63];
    }
  }
};
constexpr PairTable kBase64UrlPairs(kBase64Url);
constexpr PairTable kBase64Pairs(kBase64);

// Appends into `out`, grown once up front: a credential's VC-JWT encodes kilobytes per
// signature, and a batch writes them straight into the token it builds.
void encode_to(std::string& out, std::string_view bytes, const char* alphabet, bool pad) {
  const PairTable& table = alphabet == kBase64Url ? kBase64UrlPairs : kBase64Pairs;
  const std::size_t whole = bytes.size() / 3;
  const std::size_t rest = bytes.size() % 3;
  const std::size_t start = out.size();
  out.resize(start + whole * 4 + (rest == 0 ? 0 : pad ? 4 : rest + 1));
  const auto* in = reinterpret_cast<const std::uint8_t*>(bytes.data());
  char* at = out.data() + start;
  for (std::size_t i = 0; i < whole; ++i, in += 3, at += 4) {
    const std::uint32_t block = (std::uint32_t(in[0]) << 16) | (std::uint32_t(in[1]) << 8) | in[2];
    std::memcpy(at, table.pairs[block >> 12], 2);
    std::memcpy(at + 2, table.pairs[block & 4095], 2);
  }
  if (rest > 0) {
    std::uint32_t block = std::uint32_t(in[0]) << 16;
    if (rest == 2) block |= std::uint32_t(in[1]) << 8;
    *at++ = alphabet[(block >> 18) & 63];
    *at++ = alphabet[(block >> 12) & 63];
    if (rest == 2) *at++ = alphabet[(block >> 6) & 63];
    if (pad) *at++ = '=';
    if (pad && rest == 1) *at++ = '=';
  }
}

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  encode_to(out, bytes, alphabet, pad);
  return out;
}

constexpr int decode_char(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

// 0-63 for the alphabet's characters, -1 for any other byte.
struct DecodeTable {
  std::int8_t value[256];
  constexpr explicit DecodeTable(bool url) : value() {
    for (int c = 0; c < 256; ++c) value[c] = std::int8_t(decode_char(char(c), url));
  }
};
constexpr DecodeTable kBase64UrlTable(true);
constexpr DecodeTable kBase64Table(false);

// The common case (no whitespace allowed: JWS parts, ids): padding only at the end, four
// characters to three bytes at a time. Accepts and rejects exactly what the general loop below
// does.
std::optional<std::string> decode_compact(std::string_view text, bool url) {
  const std::int8_t* table = url ? kBase64UrlTable.value : kBase64Table.value;
  std::size_t length = text.find('=');
  if (length == std::string_view::npos) length = text.size();
  const std::size_t padding = text.size() - length;
  if (padding > 2 || text.find_first_not_of('=', length) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t rest = length % 4;
  if (rest == 1) return std::nullopt;  // 6 leftover bits cannot come from whole bytes
  std::string out(length / 4 * 3 + (rest == 0 ? 0 : rest - 1), '\0');
  const auto* in = reinterpret_cast<const std::uint8_t*>(text.data());
  char* at = out.data();
  for (std::size_t i = 0; i + 4 <= length; i += 4, in += 4, at += 3) {
    const int a = table[in[0]], b = table[in[1]], c = table[in[2]], d = table[in[3]];
    if ((a | b | c | d) < 0) return std::nullopt;
    const std::uint32_t block = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) |
                                (std::uint32_t(c) << 6) | std::uint32_t(d);
    at[0] = char(block >> 16);
    at[1] = char(block >> 8);
    at[2] = char(block);
  }
  if (rest > 0) {
    const int a = table[in[0]], b = table[in[1]], c = rest == 3 ? table[in[2]] : 0;
    if ((a | b | c) < 0) return std::nullopt;
    const std::uint32_t block = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) |
                                (std::uint32_t(c) << 6);
    // Leftover bits must be zero (canonical form).
    if ((block & (rest == 2 ? 0xffffu : 0xffu)) != 0) return std::nullopt;
    at[0] = char(block >> 16);
    if (rest == 3) at[1] = char(block >> 8);
  }
  return out;
}

std::optional<std::string> decode(std::string_view text, bool url, bool skip_space) {
  if (!skip_space) return decode_compact(text, url);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t block = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (skip_space && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    int value = decode_char(c, url);
    if (value < 0) return std::nullopt;
    block = (block << 6) | std::uint32_t(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((block >> bits) & 0xff));
    }
  }
  // 6 leftover bits cannot come from whole bytes; leftover bits must be zero (canonical form).
  if (bits >= 6 || padding > 2) return std::nullopt;
  if ((block & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

RawId make_raw_id(std::uint64_t millis, const std::uint8_t* random10) {
  RawId id{};
  for (int i = 0; i < 6; ++i) id[i] = std::uint8_t(millis >> (8 * (5 - i)));
  std::memcpy(id.data() + 6, random10, 10);
  return id;
}

RawId new_raw_id() {
  // Ids made later in this process sort later, even within one millisecond (two issuers created
  // back to back list in creation order): the time prefix is the wall clock, or one past the
  // last prefix handed out when the clock has not moved on since.
  static std::atomic<std::uint64_t> last_millis{0};
  const std::uint64_t now = now_millis();
  std::uint64_t previous = last_millis.load(std::memory_order_relaxed);
  std::uint64_t chosen = 0;
  do {
    chosen = std::max(now, previous + 1);
  } while (!last_millis.compare_exchange_weak(previous, chosen, std::memory_order_relaxed));
  std::uint8_t random10[10];
  detail::random_bytes(random10, sizeof random10);
  return make_raw_id(chosen, random10);
}

std::string id_to_text(const RawId& id) {
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

std::optional<RawId> id_from_text(std::string_view text) {
  if (text.size() != kIdTextLength) return std::nullopt;
  auto bytes = decode(text, true, false);
  if (!bytes || bytes->size() != 16) return std::nullopt;
  RawId id{};
  std::memcpy(id.data(), bytes->data(), 16);
  return id;
}

std::string new_id() { return id_to_text(new_raw_id()); }

std::string base64url_encode(std::string_view bytes) { return encode(bytes, kBase64Url, false); }
void append_base64url(std::string& out, std::string_view bytes) {
  encode_to(out, bytes, kBase64Url, false);
}
std::optional<std::string> base64url_decode(std::string_view text) {
  return decode(text, true, false);
}
std::string base64_encode(std::string_view bytes) { return encode(bytes, kBase64, true); }
std::optional<std::string> base64_decode(std::string_view text) { return decode(text, false, true); }

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    out.push_back(kHex[std::uint8_t(c) >> 4]);
    out.push_back(kHex[std::uint8_t(c) & 0xf]);
  }
  return out;
}

}  // namespace laurel
