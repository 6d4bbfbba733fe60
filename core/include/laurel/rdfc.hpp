// RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) over N-Quads: SHA-256 by
// default, SHA-384 on request.
//
// Portable (compiled to WebAssembly too): no I/O, nothing throws across this API. Hash N-Degree
// Quads is exponential on purpose-built "poison" graphs (RDFC-1.0 §Security Considerations), so
// the work is counted and bounded: exceeding Limits::max_work is an Invalid error naming the
// limit, reached in bounded time.
//
// Threading: canonicalize() may run on any number of threads at once (no shared state).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel::rdfc {

struct Limits {
  /// Units of work: one per Hash N-Degree Quads call and one per permutation tried. A credential
  /// needs a few dozen, the W3C "evil" poison graphs (which must succeed) under 10,000; the
  /// 10-node clique (which must fail) would need millions, and stops here in well under a second.
  std::size_t max_work = 100'000;
  /// Nested Hash N-Degree Quads calls (a chain of blank nodes that share hashes nests once per
  /// node): bounds the stack, which is small in WebAssembly.
  std::size_t max_depth = 512;
  /// Quads in the input dataset.
  std::size_t max_quads = 100'000;
};

/// Canonical N-Quads: canonical blank node labels (_:c14n0, _:c14n1, ...), each quad in
/// canonical N-Quads form ending "\n", lines sorted by code point, duplicates removed.
/// Errors (all Invalid): field "nquads" for a syntax error (message names the line), field
/// "rdfc" for an exceeded limit (message names it: "max_work", "max_depth" or
/// "max_quads").
Result<std::string> canonicalize(std::string_view nquads, const Limits& = {});

/// RDFC-1.0's hash algorithm parameter: SHA-256 (the default, what eddsa-rdfc-2022 uses) or
/// SHA-384.
enum class HashAlgorithm { Sha256, Sha384 };

/// canonicalize()'s N-Quads and the issued identifiers map (§4.4 step 7: each input blank node
/// label, without "_:", to its canonical label, e.g. {"e0": "c14n2"}).
struct Canonical {
  std::string nquads;
  std::map<std::string, std::string> issued;
};

/// canonicalize() with a chosen hash algorithm, also returning the issued identifiers map.
/// Errors as canonicalize().
Result<Canonical> canonicalize_with_map(std::string_view nquads, HashAlgorithm,
                                        const Limits& = {});

}  // namespace laurel::rdfc
