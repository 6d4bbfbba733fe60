// IRI helpers for JSON-LD: keyword tests, absolute-IRI tests and RFC 3986 reference resolution.
#include <algorithm>
#include <cctype>
#include <string>

#include "jsonld/internal.hpp"

namespace laurel::jsonld::detail {
namespace {

constexpr std::string_view kKeywords[] = {
    "@base",    "@container", "@context",  "@default", "@direction", "@embed",    "@explicit",
    "@graph",   "@id",        "@import",   "@included", "@index",    "@json",     "@language",
    "@list",    "@nest",      "@none",     "@omitDefault", "@prefix", "@preserve", "@protected",
    "@propagate", "@requireAll", "@reverse", "@set",    "@type",     "@value",    "@version",
    "@vocab",
};

struct IriParts {
  std::optional<std::string_view> scheme, authority, query, fragment;
  std::string_view path;
};

IriParts split(std::string_view iri) {
  IriParts parts;
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  std::size_t colon = iri.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(iri[0]))) {
    bool scheme_ok = true;
    for (std::size_t i = 1; i < colon; ++i) {
      char c = iri[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
        scheme_ok = false;
        break;
      }
    }
    if (scheme_ok) {
      parts.scheme = iri.substr(0, colon);
      iri.remove_prefix(colon + 1);
    }
  }
  if (std::size_t hash = iri.find('#'); hash != std::string_view::npos) {
    parts.fragment = iri.substr(hash + 1);
    iri = iri.substr(0, hash);
  }
  if (std::size_t question = iri.find('?'); question != std::string_view::npos) {
    parts.query = iri.substr(question + 1);
    iri = iri.substr(0, question);
  }
  if (iri.substr(0, 2) == "//") {
    iri.remove_prefix(2);
    std::size_t slash = iri.find('/');
    parts.authority = iri.substr(0, slash);
    iri = slash == std::string_view::npos ? std::string_view() : iri.substr(slash);
  }
  parts.path = iri;
  return parts;
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view input) {
  std::string output;
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../" || input == "/..") {
      input = input.size() == 3 ? std::string_view("/") : input.substr(3);
      std::size_t last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      std::size_t next = input.find('/', input[0] == '/' ? 1 : 0);
      output += input.substr(0, next);
      input = next == std::string_view::npos ? std::string_view() : input.substr(next);
    }
  }
  return output;
}

// RFC 3986 §5.2.3.
std::string merge_paths(const IriParts& base, std::string_view reference_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(reference_path);
  std::size_t last = base.path.rfind('/');
  if (last == std::string_view::npos) return std::string(reference_path);
  return std::string(base.path.substr(0, last + 1)) + std::string(reference_path);
}

std::string recompose(const IriParts& parts, const std::string& path) {
  std::string out;
  if (parts.scheme) out += std::string(*parts.scheme) + ":";
  if (parts.authority) out += "//" + std::string(*parts.authority);
  out += path;
  if (parts.query) out += "?" + std::string(*parts.query);
  if (parts.fragment) out += "#" + std::string(*parts.fragment);
  return out;
}

}  // namespace

bool is_keyword(std::string_view value) {
  if (value.size() < 3 || value[0] != '@') return false;  // the common case, decided at once
  return std::find(std::begin(kKeywords), std::end(kKeywords), value) != std::end(kKeywords);
}

bool has_keyword_form(std::string_view value) {
  if (value.size() < 2 || value[0] != '@') return false;
  return std::all_of(value.begin() + 1, value.end(),
                     [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
}

bool is_absolute_iri(std::string_view value) {
  if (value.empty() || !std::isalpha(static_cast<unsigned char>(value[0]))) return false;
  std::size_t i = 1;
  while (i < value.size() && (std::isalnum(static_cast<unsigned char>(value[i])) ||
                              value[i] == '+' || value[i] == '-' || value[i] == '.')) {
    ++i;
  }
  if (i >= value.size() || value[i] != ':') return false;
  // No whitespace (the ASCII kind std::isspace knows, without its locale look-up).
  return std::none_of(value.begin(), value.end(), [](char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  });
}

bool is_blank_node_id(std::string_view value) { return value.substr(0, 2) == "_:"; }

bool ends_with_gen_delim(std::string_view iri) {
  if (iri.empty()) return false;
  return std::string_view(":/?#[]@").find(iri.back()) != std::string_view::npos;
}

std::string resolve_iri(std::string_view base, std::string_view reference) {
  IriParts ref = split(reference);
  if (ref.scheme) return recompose(ref, remove_dot_segments(ref.path));
  if (base.empty()) return std::string(reference);
  IriParts base_parts = split(base);
  IriParts target;
  target.scheme = base_parts.scheme;
  target.fragment = ref.fragment;
  std::string path;
  if (ref.authority) {
    target.authority = ref.authority;
    target.query = ref.query;
    path = remove_dot_segments(ref.path);
  } else {
    target.authority = base_parts.authority;
    if (ref.path.empty()) {
      path = std::string(base_parts.path);
      target.query = ref.query ? ref.query : base_parts.query;
    } else {
      path = ref.path[0] == '/' ? remove_dot_segments(ref.path)
                                : remove_dot_segments(merge_paths(base_parts, ref.path));
      target.query = ref.query;
    }
  }
  return recompose(target, path);
}

Error jsonld_error(std::string_view code, std::string_view detail) {
  std::string message(code);
  if (!detail.empty()) message += ": " + std::string(detail);
  return invalid("jsonld", std::move(message));
}

}  // namespace laurel::jsonld::detail
