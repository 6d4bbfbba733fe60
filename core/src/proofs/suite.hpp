// One entry per cryptosuite (core/src/proofs/README.md): how it turns a document and a proof
// configuration into the bytes the key signs, or (selective disclosure) how it checks a proof
// whole. Not a public header.
#pragma once

#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel::proofs {

// SHA-256(canonical proof configuration) || SHA-256(canonical unsecured document): the 64 bytes
// every EdDSA suite signs. `proof_options` is the proof without proofValue. Errors as
// verify_proof()'s "canonicalization" and "proof" ones.
using HashData = Result<std::string> (*)(const Json& unsecured, const Json& proof_options,
                                         const jsonld::DocumentLoader& loader);

// A suite that checks its proofs itself (ecdsa-sd-2023: many signatures, no single hash data).
// `proof` is the whole proof, proofValue included. Errors as verify_proof()'s.
using VerifyProof = Status (*)(const Json& unsecured, const Json& proof, const PublicKey& key,
                               const jsonld::DocumentLoader& loader);

struct Suite {
  std::string_view type;         // the proof's "type"
  std::string_view cryptosuite;  // its "cryptosuite"; empty for the legacy proof types
  bool issues;                   // Laurel creates proofs of this suite (else verify only)
  HashData hash_data;            // Ed25519 over hash data (the EdDSA suites), or null
  VerifyProof verify;            // the suite's own check, when hash_data is null
};

// The suite a proof names, or nullptr.
const Suite* find_suite(std::string_view type, std::string_view cryptosuite);

// eddsa_rdfc_2022.cpp: RDFC-1.0 hash data, the proof configuration under the document's
// @context (eddsa-rdfc-2022 §3.2.5; also eddsa-2022 and Ed25519Signature2020).
Result<std::string> rdfc_hash_data(const Json& unsecured, const Json& proof_options,
                                   const jsonld::DocumentLoader& loader);
// Its two halves, shared with ecdsa-sd-2023: SHA-256 of the canonical proof configuration, and
// a document's canonical N-Quads (RDFC-1.0, "_:c14nN" labels, sorted lines).
Result<std::string> rdfc_proof_config_hash(const Json& unsecured, const Json& proof_options,
                                           const jsonld::DocumentLoader& loader);
Result<std::string> rdfc_canonical_nquads(const Json& document,
                                          const jsonld::DocumentLoader& loader);
// eddsa_jcs_2022.cpp: JCS hash data (eddsa-jcs-2022 §3.3).
Result<std::string> jcs_hash_data(const Json& unsecured, const Json& proof_options,
                                  const jsonld::DocumentLoader& loader);
// ecdsa_sd_2023.cpp: a derived ecdsa-sd-2023 proof (ECDSA Cryptosuites v1.0 §3.6); a base proof
// is refused (it is for the holder to derive from).
Status verify_ecdsa_sd_2023(const Json& unsecured, const Json& proof, const PublicKey& key,
                            const jsonld::DocumentLoader& loader);

}  // namespace laurel::proofs
