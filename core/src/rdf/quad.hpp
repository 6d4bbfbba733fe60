// RDF terms and quads, and their N-Quads text (RDF 1.1 N-Quads, canonical form of RDFC-1.0 §4.6.1
// / RDF 1.2 N-Triples §canonical-ntriples). Shared by the JSON-LD deserializer (which writes
// quads) and the RDFC-1.0 canonicalizer (which reads and writes them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/result.hpp"

namespace laurel::rdf {

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString =
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

struct Term {
  enum class Kind : std::uint8_t { DefaultGraph, Iri, Blank, Literal };
  Kind kind = Kind::DefaultGraph;
  std::string value;     // the IRI, the blank node label (without "_:"), or the lexical form
  std::string datatype;  // literals only: the datatype IRI
  std::string language;  // literals only: the language tag (datatype rdf:langString)

  static Term iri(std::string value) { return Term{Kind::Iri, std::move(value), {}, {}}; }
  static Term blank(std::string label) { return Term{Kind::Blank, std::move(label), {}, {}}; }
  static Term literal(std::string value, std::string datatype, std::string language = {}) {
    return Term{Kind::Literal, std::move(value), std::move(datatype), std::move(language)};
  }
  bool is_blank() const { return kind == Kind::Blank; }
  bool operator==(const Term&) const = default;
};

struct Quad {
  Term subject, predicate, object, graph;  // graph: DefaultGraph, Iri or Blank
  bool operator==(const Quad&) const = default;
};

/// Appends a term in canonical N-Quads form; a blank node is written as "_:" + `blank_label`
/// when that is not empty (the canonicalizer's relabelling), else as "_:" + its own label.
void append_term(std::string& out, const Term& term, std::string_view blank_label = {});

/// Appends one canonical N-Quads line (ending "\n").
void append_quad(std::string& out, const Quad& quad);

/// Parses N-Quads text (RDF 1.1 N-Quads: comments, blank lines, \u and \U escapes, ECHARs).
/// Errors: Invalid, field "nquads", message naming the line and the problem; more than
/// `max_quads` quads is Invalid naming "max_quads".
Result<std::vector<Quad>> parse_nquads(std::string_view text, std::size_t max_quads);

}  // namespace laurel::rdf
