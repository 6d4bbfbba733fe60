// eddsa-jcs-2022 (VC Data Integrity EdDSA Cryptosuites v1.0 §3.3): the document and the proof
// configuration are hashed as RFC 8785 JCS text; no JSON-LD processing at all.
#include "detail/hash.hpp"
#include "laurel/jcs.hpp"
#include "proofs/suite.hpp"

namespace laurel::proofs {

namespace {

// §3.3.2 Verify Proof: the document's @context must start with the proof's, in order.
bool context_starts_with(const Json* document_context, const Json& proof_context) {
  auto as_list = [](const Json* value) {
    if (value == nullptr) return Json::Array{};
    return value->is_array() ? value->as_array() : Json::Array{*value};
  };
  Json::Array document_list = as_list(document_context);
  Json::Array proof_list = as_list(&proof_context);
  if (proof_list.size() > document_list.size()) return false;
  for (std::size_t i = 0; i < proof_list.size(); ++i) {
    if (proof_list[i] != document_list[i]) return false;
  }
  return true;
}

}  // namespace

Result<std::string> jcs_hash_data(const Json& unsecured, const Json& proof_options,
                                  const jsonld::DocumentLoader&) {
  const Json* proof_context = proof_options.find("@context");
  if (proof_context == nullptr) {
    return detail::sha256(jcs_canonicalize(proof_options)) +
           detail::sha256(jcs_canonicalize(unsecured));
  }
  if (!context_starts_with(unsecured.find("@context"), *proof_context)) {
    return invalid("proof", "the proof's @context is not where the document's @context starts");
  }
  Json document = unsecured;
  document.set("@context", *proof_context);
  return detail::sha256(jcs_canonicalize(proof_options)) +
         detail::sha256(jcs_canonicalize(document));
}

}  // namespace laurel::proofs
