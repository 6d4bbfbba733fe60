// RDFC-1.0 over quads already in memory (not a public header): the Data Integrity suites hand
// over what the JSON-LD deserializer produced instead of writing N-Quads text and reading it
// back (that round trip was a seventh of issuing a credential). The canonical form is the same:
// canonicalization reads only the terms' canonical serialization and the blank node labels.
#pragma once

#include <string>
#include <vector>

#include "laurel/rdfc.hpp"
#include "rdf/quad.hpp"

namespace laurel::rdfc {

/// canonicalize() of these quads; more than limits.max_quads is the same Invalid error.
Result<std::string> canonicalize_quads(std::vector<rdf::Quad> quads, const Limits& limits = {});

}  // namespace laurel::rdfc
