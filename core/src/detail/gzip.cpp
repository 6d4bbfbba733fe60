#include "detail/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace laurel::detail {
namespace {
// windowBits 15 + 16: zlib writes and reads a GZIP header and trailer instead of zlib's own.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;  // zlib's default
}  // namespace

Result<std::string> gzip(std::string_view bytes) {
  if (bytes.size() > std::numeric_limits<uInt>::max()) {
    return Error{ErrorCode::Internal, "gzip", "input too large"};
  }
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Error{ErrorCode::Internal, "gzip", "cannot start zlib's deflate"};
  }
  std::string out(deflateBound(&stream, uLong(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = uInt(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = uInt(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Error{ErrorCode::Internal, "gzip", "zlib's deflate failed"};
  out.resize(written);
  return out;
}

Result<std::string> gunzip(std::string_view member, std::size_t max_bytes, const char* field) {
  if (member.size() > std::numeric_limits<uInt>::max()) return invalid(field, "too large");
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
    return Error{ErrorCode::Internal, field, "cannot start zlib's inflate"};
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
  stream.avail_in = uInt(member.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    const std::size_t chunk = std::min<std::size_t>(64u << 10, max_bytes + 1 - out.size());
    const std::size_t before = out.size();
    out.resize(before + chunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    stream.avail_out = uInt(chunk);
    rc = inflate(&stream, Z_NO_FLUSH);
    out.resize(before + (chunk - stream.avail_out));
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      return invalid(field, "decompresses to more than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) break;  // truncated input
  }
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return invalid(field, "is not a complete GZIP stream");
  if (trailing) return invalid(field, "has bytes after its GZIP stream");
  return out;
}

}  // namespace laurel::detail
