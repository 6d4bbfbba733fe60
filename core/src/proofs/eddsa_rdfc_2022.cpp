// eddsa-rdfc-2022 (VC Data Integrity EdDSA Cryptosuites v1.0 §3.2): the document and the proof
// configuration become JSON-LD datasets, canonicalized with RDFC-1.0 and hashed with SHA-256.
// eddsa-2022 (the suite's earlier name) and Ed25519Signature2020 hash the same way.
#include "detail/hash.hpp"
#include "laurel/rdfc.hpp"
#include "proofs/suite.hpp"

namespace laurel::proofs {

namespace {

// A credential needs a few dozen units of RDFC work (rdfc.hpp); a verifier that any stranger can
// hand a document bounds a poison graph far below the library default, to tens of milliseconds.
constexpr rdfc::Limits kProofLimits{.max_work = 20'000, .max_quads = 100'000};

// A JSON-LD failure is a canonicalization failure; an unknown context keeps its own field
// ("@context") so the verifier can ask for the URL.
Error canonicalization_error(Error error) {
  if (error.field != "@context") error.field = "canonicalization";
  if (error.code != ErrorCode::NotFound) error.code = ErrorCode::Invalid;
  return error;
}

Result<std::string> canonical_hash(const Json& document, const jsonld::DocumentLoader& loader) {
  auto canonical = rdfc_canonical_nquads(document, loader);
  if (!canonical.ok()) return canonical.error();
  return detail::sha256(canonical.value());
}

}  // namespace

Result<std::string> rdfc_canonical_nquads(const Json& document,
                                          const jsonld::DocumentLoader& loader) {
  auto nquads = jsonld::to_nquads(document, loader);
  if (!nquads.ok()) return canonicalization_error(nquads.error());
  auto canonical = rdfc::canonicalize(nquads.value(), kProofLimits);
  if (!canonical.ok()) return canonicalization_error(canonical.error());
  return std::move(canonical).value();
}

Result<std::string> rdfc_proof_config_hash(const Json& unsecured, const Json& proof_options,
                                           const jsonld::DocumentLoader& loader) {
  // §3.2.5 Proof Configuration: the options under the document's @context.
  Json proof_config = proof_options;
  if (const Json* context = unsecured.find("@context")) {
    proof_config.set("@context", *context);
  } else {
    proof_config.erase("@context");
  }
  // Issuing a batch signs many documents under one proof configuration: with built-in contexts
  // only (no loader), its hash depends on its text alone, so each thread keeps the last one.
  thread_local std::string last_config_text;
  thread_local std::string last_config_hash;
  std::string config_text = loader ? std::string() : proof_config.dump();
  Result<std::string> config_hash = std::string();
  if (!loader && config_text == last_config_text && !last_config_hash.empty()) {
    config_hash = last_config_hash;
  } else {
    config_hash = canonical_hash(proof_config, loader);
    if (!config_hash.ok()) return config_hash.error();
    if (!loader) {
      last_config_text = std::move(config_text);
      last_config_hash = config_hash.value();
    }
  }
  return config_hash;
}

Result<std::string> rdfc_hash_data(const Json& unsecured, const Json& proof_options,
                                   const jsonld::DocumentLoader& loader) {
  auto config_hash = rdfc_proof_config_hash(unsecured, proof_options, loader);
  if (!config_hash.ok()) return config_hash.error();
  auto document_hash = canonical_hash(unsecured, loader);
  if (!document_hash.ok()) return document_hash.error();
  return config_hash.value() + document_hash.value();
}

}  // namespace laurel::proofs
