#include "laurel/jcs.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace laurel {

namespace {

// UTF-16 code units of valid UTF-8 text (Json strings are validated on parse).
std::u16string utf16_units(std::string_view utf8) {
  std::u16string units;
  units.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    auto byte = static_cast<unsigned char>(utf8[i]);
    std::uint32_t code_point = byte;
    std::size_t length = 1;
    if (byte >= 0xf0) {
      code_point = byte & 0x07u;
      length = 4;
    } else if (byte >= 0xe0) {
      code_point = byte & 0x0fu;
      length = 3;
    } else if (byte >= 0xc0) {
      code_point = byte & 0x1fu;
      length = 2;
    }
    for (std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3fu);
    }
    i += length;
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      units.push_back(char16_t(0xd800 + (code_point >> 10)));
      units.push_back(char16_t(0xdc00 + (code_point & 0x3ff)));
    } else {
      units.push_back(char16_t(code_point));
    }
  }
  return units;
}

// ECMAScript Number::toString (ECMA-262 §6.1.6.1.20) over the shortest round-trip digits,
// which std::to_chars gives in scientific form.
void append_number(std::string& out, double value) {
  if (value == 0 || !std::isfinite(value)) {  // -0 is "0"; JSON has no NaN or Infinity
    out += '0';
    return;
  }
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // Shortest round-trip digits in scientific form. (Not std::to_chars: Emscripten's libc++ has
  // no floating-point to_chars.)
  char buffer[32];
  int length = 0;
  for (int precision = 0; precision <= 16; ++precision) {
    length = std::snprintf(buffer, sizeof buffer, "%.*e", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string_view text(buffer, std::size_t(length));  // "d.ddde±xx"
  std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::from_chars(text.data() + e + (text[e + 1] == '+' ? 2 : 1), text.data() + text.size(),
                  exponent);
  int k = int(digits.size());
  int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits;
    out.append(std::size_t(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, std::size_t(n));
    out += '.';
    out.append(digits, std::size_t(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(std::size_t(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

// Largest magnitude an integer keeps exactly as a double (2^53).
constexpr std::int64_t kMaxExactInteger = std::int64_t(1) << 53;

void append_jcs(std::string& out, const Json& value) {
  switch (value.kind()) {
    case Json::Kind::Int: {
      std::int64_t integer = value.as_int();
      if (integer >= -kMaxExactInteger && integer <= kMaxExactInteger) {
        out += std::to_string(integer);
      } else {
        append_number(out, double(integer));
      }
      break;
    }
    case Json::Kind::Double: append_number(out, value.as_double()); break;
    case Json::Kind::Array: {
      out += '[';
      bool first = true;
      for (const Json& item : value.as_array()) {
        if (!first) out += ',';
        first = false;
        append_jcs(out, item);
      }
      out += ']';
      break;
    }
    case Json::Kind::Object: {
      // Members are kept sorted by UTF-8 bytes; resort only when a key leaves the BMP-safe
      // range where both orders agree (any 4-byte UTF-8 sequence).
      const Json::Object& members = value.as_object();
      std::vector<const Json::Member*> order;
      order.reserve(members.size());
      bool astral = false;
      for (const Json::Member& member : members) {
        order.push_back(&member);
        astral = astral || std::any_of(member.first.begin(), member.first.end(), [](char c) {
                   return static_cast<unsigned char>(c) >= 0xf0;
                 });
      }
      if (astral) {
        std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
          return utf16_units(a->first) < utf16_units(b->first);
        });
      }
      out += '{';
      bool first = true;
      for (const Json::Member* member : order) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, member->first);
        out += ':';
        append_jcs(out, member->second);
      }
      out += '}';
      break;
    }
    default: value.dump_to(out);  // null, booleans and strings are written alike
  }
}

}  // namespace

std::string jcs_canonicalize(const Json& value) {
  std::string out;
  append_jcs(out, value);
  return out;
}

}  // namespace laurel
