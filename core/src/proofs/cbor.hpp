// A CBOR (RFC 8949) reader for the few shapes Data Integrity proof values carry: unsigned
// integers, byte strings, and arrays and maps of definite length. Every read checks its bounds
// against the input; anything else (negative integers, text, tags inside, floats, indefinite
// lengths) is an error, so a hostile proofValue is an Invalid report, never a crash. Not a public
// header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel::proofs {

class CborReader {
 public:
  explicit CborReader(std::string_view bytes) : bytes_(bytes) {}

  // Each read consumes one item. Errors: Invalid (field "proofValue"), the message naming the
  // byte offset and what was expected there.
  Result<std::uint64_t> unsigned_int();
  Result<std::string_view> byte_string();
  // The item counts of an array or a map (pairs), at most the bytes left (each item takes one
  // at least), so a count never asks for more memory than the input justifies.
  Result<std::size_t> array_header();
  Result<std::size_t> map_header();

  bool at_end() const { return offset_ == bytes_.size(); }
  std::size_t offset() const { return offset_; }

 private:
  // The argument of an item of major type `major` (§3: the initial byte's low 5 bits, or the 1,
  // 2, 4 or 8 bytes after it).
  Result<std::uint64_t> head(std::uint8_t major, const char* expected);
  Result<std::size_t> count(std::uint8_t major, const char* expected);

  std::string_view bytes_;
  std::size_t offset_ = 0;
};

}  // namespace laurel::proofs
