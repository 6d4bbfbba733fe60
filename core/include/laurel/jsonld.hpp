// JSON-LD 1.1 (W3C Recommendation): context processing, expansion and deserialization to an RDF
// dataset as N-Quads, as far as Data Integrity proofs need it, over laurel::Json.
//
// Portable (compiled to WebAssembly too): no I/O. Remote contexts come through a DocumentLoader
// the caller supplies; the contexts Open Badges 3.0 credentials name are built in (embedded at
// build time from the npm packages that publish them, see core/contexts/) and served by
// builtin_context(). Nothing throws across this API; every failure is an Error.
//
// Threading: every function may be called from any number of threads at once. Processed built-in
// contexts are cached process-wide (built once, read-only afterwards).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/result.hpp"

namespace laurel::jsonld {

/// Returns the parsed document at `url`, or an Error (NotFound) when it cannot be had.
/// Called only for contexts that are not built in. May be empty (no remote contexts at all).
using DocumentLoader = std::function<Result<Json>(std::string_view url)>;

/// Limits against hostile documents; each one exceeded is an Invalid error naming it.
struct Options {
  /// The document's base IRI (used to resolve relative IRIs); empty for none.
  std::string base;
  /// Nested context definitions (scoped contexts inside scoped contexts, remote inside remote).
  std::size_t max_context_depth = 32;
  /// Remote contexts dereferenced while processing one document (a loop is reported on its own).
  std::size_t max_remote_contexts = 64;
  /// Nesting of node objects, values and lists in the document being expanded.
  std::size_t max_depth = 64;
  /// N-Quads produced by to_nquads (bounds memory on documents that fan out).
  std::size_t max_quads = 100'000;
  /// to_nquads: how @direction reaches RDF: "" (dropped, the default), "i18n-datatype" or
  /// "compound-literal" (JSON-LD 1.1 rdfDirection).
  std::string rdf_direction;
  /// JSON-LD API expandContext: a context (or a map with an "@context" entry, or a URL the
  /// loader resolves) applied before the document's own; null for none.
  Json expand_context;
};

/// Expanded form (JSON-LD 1.1 expansion algorithm, processing mode json-ld-1.1, ordered).
/// Errors: Invalid (field "jsonld", message naming the JSON-LD error code and the culprit term
/// or URL) for an invalid document or context, a context loop, a redefined protected term or an
/// exceeded limit; NotFound (field "@context") naming the URL of a context nobody could load.
Result<Json> expand(const Json& document, const DocumentLoader& loader, const Options& = {});

/// The document's RDF dataset as N-Quads lines (each ending "\n"), in the algorithm's order
/// (not canonical: pass the text to laurel::rdfc::canonicalize for that). Blank nodes are
/// labelled _:b0, _:b1, ... in order of first use. Errors as for expand().
Result<std::string> to_nquads(const Json& document, const DocumentLoader& loader,
                              const Options& = {});

/// The built-in contexts: the parsed document for a known URL, nullptr otherwise. The pointer
/// stays valid for the life of the process.
const Json* builtin_context(std::string_view url);

/// The URLs builtin_context() knows, sorted.
const std::vector<std::string>& builtin_context_urls();

}  // namespace laurel::jsonld
