// One entry per cryptosuite (core/src/proofs/README.md): how it turns a document and a proof
// configuration into the bytes Ed25519 signs. Not a public header.
#pragma once

#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/result.hpp"

namespace laurel::proofs {

// SHA-256(canonical proof configuration) || SHA-256(canonical unsecured document): the 64 bytes
// every EdDSA suite signs. `proof_options` is the proof without proofValue. Errors as
// verify_proof()'s "canonicalization" and "proof" ones.
using HashData = Result<std::string> (*)(const Json& unsecured, const Json& proof_options,
                                         const jsonld::DocumentLoader& loader);

struct Suite {
  std::string_view type;         // the proof's "type"
  std::string_view cryptosuite;  // its "cryptosuite"; empty for the legacy proof types
  bool issues;                   // Laurel creates proofs of this suite (else verify only)
  HashData hash_data;
};

// The suite a proof names, or nullptr.
const Suite* find_suite(std::string_view type, std::string_view cryptosuite);

// eddsa_rdfc_2022.cpp: RDFC-1.0 hash data, the proof configuration under the document's
// @context (eddsa-rdfc-2022 §3.2.5; also eddsa-2022 and Ed25519Signature2020).
Result<std::string> rdfc_hash_data(const Json& unsecured, const Json& proof_options,
                                   const jsonld::DocumentLoader& loader);
// eddsa_jcs_2022.cpp: JCS hash data (eddsa-jcs-2022 §3.3).
Result<std::string> jcs_hash_data(const Json& unsecured, const Json& proof_options,
                                  const jsonld::DocumentLoader& loader);

}  // namespace laurel::proofs
