// N-Quads reading and canonical writing (RDF 1.1 N-Quads grammar; canonical form as RDFC-1.0
// requires: IRIs unescaped, literals with ECHARs for \b \t \n \f \r \" \\ and \uXXXX with
// upper-case hex for the other control characters and DEL).
#include <cctype>
#include <string>

#include "rdf/quad.hpp"

namespace laurel::rdf {
namespace {

bool needs_escape(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f || c == '"' || c == '\\';
}

void append_escaped_literal(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // Runs without escapes are copied whole (most literals have none).
  std::size_t run = 0;
  while (run < text.size() && !needs_escape(text[run])) ++run;
  out.append(text.substr(0, run));
  for (char c : text.substr(run)) {
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default: {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 15]);
        } else {
          out.push_back(c);
        }
      }
    }
  }
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  }
}

// The first position at or after `from` holding one of `stops` (npos if none). libstdc++'s
// find_first_of (and stops.find) call memchr once per character; this compares in place.
std::size_t find_any(std::string_view text, std::size_t from, std::string_view stops) {
  for (std::size_t i = from; i < text.size(); ++i) {
    for (char stop : stops) {
      if (text[i] == stop) return i;
    }
  }
  return std::string_view::npos;
}

// A cursor over one line; every read reports failure by returning false with `problem` set.
class LineReader {
 public:
  explicit LineReader(std::string_view line) : line_(line) {}

  std::string problem;

  void skip_space() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t')) ++pos_;
  }
  bool at_end_or_comment() {
    skip_space();
    return pos_ >= line_.size() || line_[pos_] == '#';
  }
  char peek() const { return pos_ < line_.size() ? line_[pos_] : '\0'; }

  bool read_term(Term& term, bool allow_literal) {
    skip_space();
    char c = peek();
    if (c == '<') return read_iri(term);
    if (c == '_') return read_blank(term);
    if (c == '"' && allow_literal) return read_literal(term);
    return fail(allow_literal ? "expected an IRI, a blank node or a literal"
                              : "expected an IRI or a blank node");
  }

  bool read_dot() {
    skip_space();
    if (peek() != '.') return fail("expected '.' at the end of the quad");
    ++pos_;
    if (!at_end_or_comment()) return fail("text after the final '.'");
    return true;
  }

 private:
  bool fail(std::string message) {
    problem = std::move(message);
    return false;
  }

  bool read_hex(std::size_t digits, std::uint32_t& code_point) {
    if (pos_ + digits > line_.size()) return fail("truncated \\u escape");
    code_point = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      char h = line_[pos_++];
      code_point <<= 4;
      if (h >= '0' && h <= '9') code_point |= std::uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f') code_point |= std::uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') code_point |= std::uint32_t(h - 'A' + 10);
      else return fail("bad hex digit in a \\u escape");
    }
    if (code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) {
      return fail("\\u escape names no Unicode scalar value");
    }
    return true;
  }

  // UCHAR after the backslash ('u' or 'U' next).
  bool read_uchar(std::string& out) {
    char kind = line_[pos_++];
    std::uint32_t code_point = 0;
    if (!read_hex(kind == 'u' ? 4 : 8, code_point)) return false;
    append_utf8(out, code_point);
    return true;
  }

  bool read_iri(Term& term) {
    ++pos_;  // '<'
    std::string value;
    // Fast path: a run of plain characters up to '>' is taken whole.
    std::size_t run_end = pos_;
    while (run_end < line_.size()) {
      auto byte = static_cast<unsigned char>(line_[run_end]);
      if (byte == '>' || byte == '\\' || byte <= 0x20 || byte == '<' || byte == '"' ||
          byte == '{' || byte == '}' || byte == '|' || byte == '^' || byte == '`') {
        break;
      }
      ++run_end;
    }
    value.assign(line_.substr(pos_, run_end - pos_));
    pos_ = run_end;
    while (pos_ < line_.size() && line_[pos_] != '>') {
      char c = line_[pos_];
      if (c == '\\') {
        ++pos_;
        if (peek() != 'u' && peek() != 'U') return fail("only \\u and \\U escapes in an IRI");
        if (!read_uchar(value)) return false;
        continue;
      }
      if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' ||
          c == '|' || c == '^' || c == '`') {
        return fail("character not allowed in an IRI");
      }
      value.push_back(c);
      ++pos_;
    }
    if (pos_ >= line_.size()) return fail("unterminated IRI");
    ++pos_;  // '>'
    if (value.find(':') == std::string::npos) return fail("relative IRI <" + value + ">");
    term = Term::iri(std::move(value));
    return true;
  }

  bool read_blank(Term& term) {
    if (line_.substr(pos_, 2) != "_:") return fail("expected '_:'");
    pos_ += 2;
    std::size_t start = pos_;
    // BLANK_NODE_LABEL: name characters and '.', not ending with '.'.
    while (pos_ < line_.size()) {
      char c = line_[pos_];
      auto byte = static_cast<unsigned char>(c);
      if (c == ' ' || c == '\t' || c == '<' || c == '"' || c == '#' || byte < 0x20) break;
      ++pos_;
    }
    while (pos_ > start && line_[pos_ - 1] == '.') --pos_;
    if (pos_ == start) return fail("empty blank node label");
    term = Term::blank(std::string(line_.substr(start, pos_ - start)));
    return true;
  }

  bool read_literal(Term& term) {
    ++pos_;  // '"'
    std::string value;
    while (true) {
      if (pos_ >= line_.size()) return fail("unterminated literal");
      // Copy the run up to the next quote or backslash whole.
      std::size_t stop = find_any(line_, pos_, "\"\\\n\r");
      if (stop == std::string_view::npos) stop = line_.size();
      value.append(line_.substr(pos_, stop - pos_));
      pos_ = stop;
      if (pos_ >= line_.size()) return fail("unterminated literal");
      char c = line_[pos_++];
      if (c == '"') break;
      if (c == '\n' || c == '\r') return fail("raw line break in a literal");
      if (c != '\\') {
        value.push_back(c);
        continue;
      }
      char escaped = peek();
      if (escaped == 'u' || escaped == 'U') {
        if (!read_uchar(value)) return false;
        continue;
      }
      ++pos_;
      switch (escaped) {
        case 't': value.push_back('\t'); break;
        case 'b': value.push_back('\b'); break;
        case 'n': value.push_back('\n'); break;
        case 'r': value.push_back('\r'); break;
        case 'f': value.push_back('\f'); break;
        case '"': value.push_back('"'); break;
        case '\'': value.push_back('\''); break;
        case '\\': value.push_back('\\'); break;
        default: return fail("unknown escape in a literal");
      }
    }
    std::string datatype(kXsdString), language;
    if (peek() == '@') {
      std::size_t start = ++pos_;
      while (pos_ < line_.size() && (std::isalnum(static_cast<unsigned char>(line_[pos_])) ||
                                     line_[pos_] == '-')) {
        ++pos_;
      }
      if (pos_ == start) return fail("empty language tag");
      language = std::string(line_.substr(start, pos_ - start));
      datatype = std::string(kRdfLangString);
    } else if (line_.substr(pos_, 2) == "^^") {
      pos_ += 2;
      Term datatype_term;
      if (peek() != '<' || !read_iri(datatype_term)) {
        return problem.empty() ? fail("expected a datatype IRI after ^^") : false;
      }
      datatype = std::move(datatype_term.value);
    }
    term = Term::literal(std::move(value), std::move(datatype), std::move(language));
    return true;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
};

}  // namespace

void append_term(std::string& out, const Term& term, std::string_view blank_label) {
  switch (term.kind) {
    case Term::Kind::DefaultGraph: return;
    case Term::Kind::Iri:
      out.push_back('<');
      out += term.value;
      out.push_back('>');
      return;
    case Term::Kind::Blank:
      out += "_:";
      out += blank_label.empty() ? std::string_view(term.value) : blank_label;
      return;
    case Term::Kind::Literal:
      out.push_back('"');
      append_escaped_literal(out, term.value);
      out.push_back('"');
      if (!term.language.empty()) {
        out.push_back('@');
        out += term.language;
      } else if (term.datatype != kXsdString) {
        out += "^^<";
        out += term.datatype;
        out.push_back('>');
      }
      return;
  }
}

void append_quad(std::string& out, const Quad& quad) {
  append_term(out, quad.subject);
  out.push_back(' ');
  append_term(out, quad.predicate);
  out.push_back(' ');
  append_term(out, quad.object);
  if (quad.graph.kind != Term::Kind::DefaultGraph) {
    out.push_back(' ');
    append_term(out, quad.graph);
  }
  out += " .\n";
}

Result<std::vector<Quad>> parse_nquads(std::string_view text, std::size_t max_quads) {
  std::vector<Quad> quads;
  std::size_t line_number = 0;
  while (!text.empty()) {
    std::size_t end = find_any(text, 0, "\n\r");
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    LineReader reader(line);
    if (reader.at_end_or_comment()) continue;
    if (quads.size() >= max_quads) {
      return invalid("rdfc", "more than max_quads (" + std::to_string(max_quads) + ") quads");
    }
    Quad quad;
    bool ok = reader.read_term(quad.subject, false) && reader.read_term(quad.predicate, false);
    if (ok && quad.predicate.kind != Term::Kind::Iri) {
      reader.problem = "the predicate must be an IRI";
      ok = false;
    }
    ok = ok && reader.read_term(quad.object, true);
    if (ok) {
      reader.skip_space();
      if (reader.peek() != '.') ok = reader.read_term(quad.graph, false);
    }
    ok = ok && reader.read_dot();
    if (!ok) {
      return invalid("nquads", "line " + std::to_string(line_number) + ": " + reader.problem);
    }
    quads.push_back(std::move(quad));
  }
  return quads;
}

}  // namespace laurel::rdf
