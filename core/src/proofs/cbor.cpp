#include "proofs/cbor.hpp"

#include <string>

namespace laurel::proofs {

namespace {
constexpr std::uint8_t kUnsigned = 0;     // major type 0: unsigned integer
constexpr std::uint8_t kBytes = 2;        // major type 2: byte string
constexpr std::uint8_t kArray = 4;        // major type 4: array
constexpr std::uint8_t kMap = 5;          // major type 5: map
constexpr std::uint8_t kOneByte = 24;     // additional info 24..27: 1, 2, 4 or 8 argument bytes
constexpr std::uint8_t kEightBytes = 27;  // 28..30 are reserved, 31 is an indefinite length

Error cbor_error(std::size_t offset, const std::string& message) {
  return invalid("proofValue", "CBOR at byte " + std::to_string(offset) + ": " + message);
}
}  // namespace

Result<std::uint64_t> CborReader::head(std::uint8_t major, const char* expected) {
  const std::size_t start = offset_;
  if (offset_ >= bytes_.size()) return cbor_error(start, std::string("ends before ") + expected);
  const auto initial = static_cast<std::uint8_t>(bytes_[offset_++]);
  if (initial >> 5 != major) return cbor_error(start, std::string("expected ") + expected);
  const std::uint8_t info = initial & 0x1f;
  if (info < kOneByte) return info;
  if (info > kEightBytes) {
    return cbor_error(start, std::string("expected ") + expected + " of definite length");
  }
  const std::size_t width = std::size_t{1} << (info - kOneByte);
  if (bytes_.size() - offset_ < width) {
    return cbor_error(start, std::string("ends inside the length of ") + expected);
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value = (value << 8) | static_cast<std::uint8_t>(bytes_[offset_++]);
  }
  return value;
}

Result<std::size_t> CborReader::count(std::uint8_t major, const char* expected) {
  const std::size_t start = offset_;
  auto items = head(major, expected);
  if (!items.ok()) return items.error();
  if (items.value() > bytes_.size() - offset_) {
    return cbor_error(start, std::string(expected) + " of " + std::to_string(items.value()) +
                                 " items is longer than the input");
  }
  return static_cast<std::size_t>(items.value());
}

Result<std::uint64_t> CborReader::unsigned_int() {
  return head(kUnsigned, "an unsigned integer");
}

Result<std::string_view> CborReader::byte_string() {
  const std::size_t start = offset_;
  auto length = head(kBytes, "a byte string");
  if (!length.ok()) return length.error();
  if (length.value() > bytes_.size() - offset_) {
    return cbor_error(start, "byte string of " + std::to_string(length.value()) +
                                 " bytes is longer than the input");
  }
  std::string_view value = bytes_.substr(offset_, static_cast<std::size_t>(length.value()));
  offset_ += value.size();
  return value;
}

Result<std::size_t> CborReader::array_header() {
  return count(kArray, "an array");
}

Result<std::size_t> CborReader::map_header() {
  return count(kMap, "a map");
}

}  // namespace laurel::proofs
