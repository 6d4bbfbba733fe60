#include "laurel/json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace laurel {
namespace {

const std::string kEmptyString;

bool key_less(const Json::Member& member, std::string_view key) { return member.first < key; }

Result<Json> convert(simdjson::dom::element element, std::size_t depth, std::size_t max_depth) {
  if (depth > max_depth) return invalid("json", "nesting deeper than " + std::to_string(max_depth));
  switch (element.type()) {
    case simdjson::dom::element_type::NULL_VALUE: return Json();
    case simdjson::dom::element_type::BOOL: return Json(bool(element.get_bool().value_unsafe()));
    case simdjson::dom::element_type::INT64:
      return Json(std::int64_t(element.get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
      // Beyond int64: kept as a double, as JavaScript would.
      return Json(double(element.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE: return Json(element.get_double().value_unsafe());
    case simdjson::dom::element_type::STRING:
      return Json(std::string_view(element.get_string().value_unsafe()));
    case simdjson::dom::element_type::ARRAY: {
      Json array = Json::array();
      // Bind the array first: a range-for over value_unsafe() of a temporary result dangles.
      simdjson::dom::array items = element.get_array().value_unsafe();
      for (simdjson::dom::element item : items) {
        auto converted = convert(item, depth + 1, max_depth);
        if (!converted.ok()) return converted.error();
        array.push_back(std::move(converted).value());
      }
      return array;
    }
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object members = element.get_object().value_unsafe();
      Json::Object converted_members;
      converted_members.reserve(members.size());
      for (simdjson::dom::key_value_pair member : members) {
        auto converted = convert(member.value, depth + 1, max_depth);
        if (!converted.ok()) return converted.error();
        converted_members.emplace_back(std::string(member.key), std::move(converted).value());
      }
      // Duplicate keys make a document mean different things to different readers (and so a
      // signature cover something other than what is displayed): refuse them.
      std::string duplicate_key;
      Json object = Json::object_from_members(std::move(converted_members), duplicate_key);
      if (!duplicate_key.empty() || object.is_null()) {
        return invalid("json", "duplicate key \"" + duplicate_key + "\"");
      }
      return object;
    }
  }
  return invalid("json", "unknown JSON value type");
}

void write_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  if (value == 0) {
    // -0.0 as "-0" would read back as the integer 0 and then write as "0": canonical text must
    // be a fixed point (signatures and hashes cover it), so both zeros are "0" (as RFC 8785).
    out += '0';
    return;
  }
  // Shortest %.Ng that reads back to the same double: the same text on every platform.
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  out += buffer;
}

}  // namespace

Json Json::object(std::initializer_list<Member> members) {
  Json object = Json::object();
  for (const auto& member : members) object.set(member.first, member.second);
  return object;
}

Json Json::object_from_members(Object members, std::string& duplicate_key) {
  auto by_key = [](const Member& a, const Member& b) { return a.first < b.first; };
  // Laurel's own documents arrive already in canonical order: skip the moves of a sort.
  if (!std::is_sorted(members.begin(), members.end(), by_key)) {
    std::sort(members.begin(), members.end(), by_key);
  }
  for (std::size_t i = 1; i < members.size(); ++i) {
    if (members[i - 1].first == members[i].first) {
      duplicate_key = members[i].first;
      return Json();
    }
  }
  Json object = Json::object();
  object.object_ = std::move(members);
  return object;
}

// One parser per thread, reused: its buffers grow to the largest document seen. So does the
// padded copy of the text that simdjson reads past its end.
static simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}
static simdjson::simdjson_result<simdjson::dom::element> parse_padded(std::string_view text) {
  thread_local std::string padded;
  padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(text);
  return thread_parser().parse(padded.data(), padded.size(), false);
}

Result<Json> Json::parse(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return invalid("json", "document larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  simdjson::dom::element root;
  auto error = parse_padded(text).get(root);
  if (error) {
    // Reports must be the same natively and in WASM, but simdjson's kernels (haswell/westmere
    // natively, "fallback" on wasm32) name the first problem of malformed text differently: its
    // stage 1 may see an unclosed string, an unescaped character or bad UTF-8 where another
    // kernel sees a misplaced brace. So UTF-8 is checked on its own, and stage-1 findings share
    // one message. tests/wasm/native.test.mjs holds the two builds to this.
    std::string message = simdjson::error_message(error);
    if (!simdjson::validate_utf8(text.data(), text.size())) {
      message = "invalid UTF-8";
    } else if (error == simdjson::UTF8_ERROR || error == simdjson::UNCLOSED_STRING ||
               error == simdjson::UNESCAPED_CHARS || error == simdjson::TAPE_ERROR) {
      message = "syntax error (an unclosed string, an unescaped control character, or a misplaced "
                "comma, colon, brace or bracket)";
    }
    return invalid("json", "not valid JSON: " + message);
  }
  return convert(root, 1, limits.max_depth);
}

std::optional<std::string> json_string_member(std::string_view text, std::string_view key) {
  std::string_view value;
  if (parse_padded(text)[key].get_string().get(value)) return std::nullopt;
  return std::string(value);
}

const Json* Json::find(std::string_view key) const {
  if (kind_ != Kind::Object) return nullptr;
  auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  return it != object_.end() && it->first == key ? &it->second : nullptr;
}

Json* Json::find(std::string_view key) {
  return const_cast<Json*>(static_cast<const Json*>(this)->find(key));
}

Json& Json::set(std::string key, Json value) {
  if (kind_ == Kind::Null) kind_ = Kind::Object;
  auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  if (it != object_.end() && it->first == key) {
    it->second = std::move(value);
    return it->second;
  }
  return object_.insert(it, Member(std::move(key), std::move(value)))->second;
}

bool Json::erase(std::string_view key) {
  auto it = std::lower_bound(object_.begin(), object_.end(), key, key_less);
  if (it == object_.end() || it->first != key) return false;
  object_.erase(it);
  return true;
}

void Json::push_back(Json value) {
  if (kind_ == Kind::Null) kind_ = Kind::Array;
  array_.push_back(std::move(value));
}

std::size_t Json::size() const {
  if (kind_ == Kind::Array) return array_.size();
  if (kind_ == Kind::Object) return object_.size();
  return 0;
}

const std::string& Json::get_string(std::string_view key) const {
  const Json* value = find(key);
  return value != nullptr && value->is_string() ? value->string_ : kEmptyString;
}

bool Json::operator==(const Json& other) const {
  if (is_number() && other.is_number()) {
    if (kind_ == Kind::Int && other.kind_ == Kind::Int) return int_ == other.int_;
    return as_double() == other.as_double();  // 1 and 1.0 are the same JSON number
  }
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::Null: return true;
    case Kind::Bool: return bool_ == other.bool_;
    case Kind::String: return string_ == other.string_;
    case Kind::Array: return array_ == other.array_;
    case Kind::Object: return object_ == other.object_;
    default: return false;
  }
}

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  append_json_escaped(out, text);
  out.push_back('"');
}

void append_json_escaped(std::string& out, std::string_view text) {
  // Nearly every string needs no escape: that is checked in one pass without early exit (which
  // the compiler vectorises) and the string appended whole.
  std::uint8_t special = 0;
  for (char c : text) {
    const auto byte = static_cast<std::uint8_t>(c);
    special |= std::uint8_t(byte < 0x20) | std::uint8_t(byte == '"') | std::uint8_t(byte == '\\');
  }
  if (special == 0) {
    out.append(text);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  // Runs of characters that need no escape (nearly all of them) are appended whole.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0xf]);
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

void Json::dump_to(std::string& out) const {
  switch (kind_) {
    case Kind::Null: out += "null"; break;
    case Kind::Bool: out += bool_ ? "true" : "false"; break;
    case Kind::Int: out += std::to_string(int_); break;
    case Kind::Double: write_double(out, double_); break;
    case Kind::String: append_json_string(out, string_); break;
    case Kind::Array: {
      out.push_back('[');
      for (std::size_t i = 0; i < array_.size(); ++i) {
        if (i) out.push_back(',');
        array_[i].dump_to(out);
      }
      out.push_back(']');
      break;
    }
    case Kind::Object: {
      out.push_back('{');
      for (std::size_t i = 0; i < object_.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, object_[i].first);
        out.push_back(':');
        object_[i].second.dump_to(out);
      }
      out.push_back('}');
      break;
    }
  }
}

std::string Json::dump() const {
  std::string out;
  // Containers are usually documents of a few hundred bytes to a few kilobytes: start with room
  // for one instead of growing from nothing.
  if (kind_ == Kind::Array || kind_ == Kind::Object) out.reserve(1024);
  dump_to(out);
  return out;
}

}  // namespace laurel
