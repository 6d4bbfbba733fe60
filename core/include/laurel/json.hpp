// A small JSON value and Laurel's one canonical JSON writer.
//
// Parsing goes through simdjson (UTF-8 validated, depth and size limited); writing is canonical:
// object keys sorted by their UTF-8 bytes, no insignificant whitespace, RFC 8259 escaping (only
// '"', '\\' and control characters are escaped), integers in decimal, other numbers in the
// shortest form that reads back to the same double. Every stored value, every signed payload and
// every hash over JSON uses this writer, so the same value always gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "laurel/result.hpp"

namespace laurel {

/// Limits that keep hostile input from exhausting memory or stack.
struct JsonLimits {
  std::size_t max_bytes = 16u << 20;  // 16 MiB: far above any real badge document
  std::size_t max_depth = 64;         // Open Badges documents nest fewer than 10 levels
};

class Json {
 public:
  enum class Kind { Null, Bool, Int, Double, String, Array, Object };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;  // kept sorted by key, keys unique

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b) : kind_(Kind::Bool), bool_(b) {}
  Json(int i) : kind_(Kind::Int), int_(i) {}
  Json(std::int64_t i) : kind_(Kind::Int), int_(i) {}
  Json(double d) : kind_(Kind::Double), double_(d) {}
  Json(const char* s) : kind_(Kind::String), string_(s) {}
  Json(std::string s) : kind_(Kind::String), string_(std::move(s)) {}
  Json(std::string_view s) : kind_(Kind::String), string_(s) {}
  Json(Array a) : kind_(Kind::Array), array_(std::move(a)) {}

  static Json object() { Json j; j.kind_ = Kind::Object; return j; }
  static Json array() { Json j; j.kind_ = Kind::Array; return j; }
  /// Builds an object from members in any order; later duplicates replace earlier ones.
  static Json object(std::initializer_list<Member> members);
  /// Builds an object from members in any order, sorting once (the parser's fast path). When two
  /// members share a key, returns null and puts the key in `duplicate_key`.
  static Json object_from_members(Object members, std::string& duplicate_key);

  /// Parses UTF-8 JSON text. Errors are Invalid with field "json" and a message naming the
  /// problem (syntax, depth, size, UTF-8).
  static Result<Json> parse(std::string_view text, const JsonLimits& limits = {});

  /// Canonical text (see the file comment).
  std::string dump() const;
  void dump_to(std::string& out) const;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Double; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_object() const { return kind_ == Kind::Object; }

  bool as_bool() const { return bool_; }
  std::int64_t as_int() const { return kind_ == Kind::Double ? static_cast<std::int64_t>(double_) : int_; }
  double as_double() const { return kind_ == Kind::Int ? static_cast<double>(int_) : double_; }
  const std::string& as_string() const { return string_; }
  const Array& as_array() const { return array_; }
  Array& as_array() { return array_; }
  const Object& as_object() const { return object_; }

  /// Object member lookup; nullptr when absent or when this is not an object.
  const Json* find(std::string_view key) const;
  Json* find(std::string_view key);
  /// Sets (or replaces) a member, keeping keys sorted. Turns null into an empty object.
  Json& set(std::string key, Json value);
  bool erase(std::string_view key);
  /// Appends to an array. Turns null into an empty array.
  void push_back(Json value);
  std::size_t size() const;

  /// String member or "" when absent or not a string.
  const std::string& get_string(std::string_view key) const;

  bool operator==(const Json& other) const;
  bool operator!=(const Json& other) const { return !(*this == other); }

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  Array array_;
  Object object_;
};

/// The string member `key` of the JSON object `text`, read without building a Json tree (for a
/// caller that needs one member of many stored records). Nullopt when `text` is not a JSON
/// object with a string member `key`.
std::optional<std::string> json_string_member(std::string_view text, std::string_view key);

/// Appends `text` to `out` as a JSON string literal (quotes included), RFC 8259 escaping.
void append_json_string(std::string& out, std::string_view text);
/// The same without the quotes: `text` as it reads inside a JSON string literal.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace laurel
