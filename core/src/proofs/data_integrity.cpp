// The shared part of every suite: proof options in and out, the proof set, proofValue as
// multibase base58btc, Ed25519 over the suite's hash data (laurel/data_integrity.hpp). A suite
// with its own check (ecdsa-sd-2023) is handed the proof whole.
#include "laurel/data_integrity.hpp"

#include <array>

#include "laurel/datetime.hpp"
#include "laurel/multikey.hpp"
#include "proofs/suite.hpp"

namespace laurel {

namespace proofs {

namespace {
constexpr std::array<Suite, 5> kSuites = {{
    {kDataIntegrityProofType, kEddsaRdfc2022, true, rdfc_hash_data, nullptr},
    {kDataIntegrityProofType, kEddsaJcs2022, true, jcs_hash_data, nullptr},
    {kDataIntegrityProofType, kEddsa2022, false, rdfc_hash_data, nullptr},
    {kEd25519Signature2020Type, "", false, rdfc_hash_data, nullptr},
    {kDataIntegrityProofType, kEcdsaSd2023, false, nullptr, verify_ecdsa_sd_2023},
}};
}  // namespace

const Suite* find_suite(std::string_view type, std::string_view cryptosuite) {
  for (const Suite& suite : kSuites) {
    if (suite.type == type && suite.cryptosuite == cryptosuite) return &suite;
  }
  return nullptr;
}

}  // namespace proofs

namespace {

const proofs::Suite* suite_of(const Json& proof) {
  if (!proof.is_object()) return nullptr;
  return proofs::find_suite(proof.get_string("type"), proof.get_string("cryptosuite"));
}

// The document without its proofs: what every proof of a proof set signs (VC DI §2.1.2).
Json unsecured_copy(const Json& document) {
  Json unsecured = document;
  unsecured.erase("proof");
  return unsecured;
}

}  // namespace

bool is_supported_proof(const Json& proof) {
  return suite_of(proof) != nullptr;
}

Result<Json> add_proof(const Json& document, const KeyPair& key, const ProofOptions& options,
                       const jsonld::DocumentLoader& loader) {
  const proofs::Suite* suite = proofs::find_suite(kDataIntegrityProofType, options.cryptosuite);
  if (suite == nullptr || !suite->issues) {
    return invalid("cryptosuite",
                   "Laurel issues eddsa-rdfc-2022 and eddsa-jcs-2022 proofs, not \"" +
                       options.cryptosuite + "\"");
  }
  if (key.algorithm() != KeyAlgorithm::EdDSA) {
    return invalid("key", "Data Integrity EdDSA proofs need an Ed25519 key");
  }
  if (options.verification_method.empty()) {
    return invalid("verificationMethod", "a proof needs the URL of its verification method");
  }
  if (!document.is_object()) return invalid("document", "only a JSON object can carry a proof");
  Json proof = Json::object();
  proof.set("type", std::string(kDataIntegrityProofType));
  proof.set("cryptosuite", options.cryptosuite);
  // XML Schema dateTime (VC DI §2.1 created / expires); Laurel's parser reads the ISO 8601
  // profile both use.
  if (!options.created.empty()) {
    if (!parse_datetime(options.created)) return invalid("created", "not an XML Schema dateTime");
    proof.set("created", options.created);
  }
  if (!options.expires.empty()) {
    if (!parse_datetime(options.expires)) return invalid("expires", "not an XML Schema dateTime");
    proof.set("expires", options.expires);
  }
  proof.set("verificationMethod", options.verification_method);
  proof.set("proofPurpose", options.proof_purpose);
  Json unsecured = unsecured_copy(document);
  // eddsa-jcs-2022 §3.3.1: the proof carries the document's @context (JCS has no other way to
  // bind the proof's terms).
  if (options.cryptosuite == kEddsaJcs2022) {
    if (const Json* context = unsecured.find("@context")) proof.set("@context", *context);
  }
  auto hash_data = suite->hash_data(unsecured, proof, loader);
  if (!hash_data.ok()) return hash_data.error();
  auto signature = key.sign(hash_data.value());
  if (!signature.ok()) return signature.error();
  proof.set("proofValue", "z" + base58btc_encode(signature.value()));

  Json secured = document;
  const Json* existing = document.find("proof");
  if (existing == nullptr) {
    secured.set("proof", std::move(proof));
  } else {
    Json proof_set = existing->is_array() ? *existing : Json(Json::Array{*existing});
    proof_set.push_back(std::move(proof));
    secured.set("proof", std::move(proof_set));
  }
  return secured;
}

Result<std::string> sign_data_integrity(const Json& credential, const KeyPair& key,
                                        std::string_view verification_method,
                                        std::string_view created) {
  ProofOptions options;
  options.verification_method = std::string(verification_method);
  options.created = std::string(created);
  auto secured = add_proof(credential, key, options);
  if (!secured.ok()) return secured.error();
  return secured->dump();
}

Status verify_proof(const Json& document, const Json& proof, const PublicKey& key,
                    const jsonld::DocumentLoader& loader) {
  const proofs::Suite* suite = suite_of(proof);
  if (suite == nullptr) {
    return invalid("proof", "unsupported proof type \"" +
                                (proof.is_object() ? proof.get_string("type") : "") + "\"" +
                                (proof.is_object() && proof.find("cryptosuite")
                                     ? " with cryptosuite \"" + proof.get_string("cryptosuite") +
                                           "\""
                                     : std::string()));
  }
  if (suite->verify != nullptr) return suite->verify(unsecured_copy(document), proof, key, loader);
  if (key.algorithm != KeyAlgorithm::EdDSA) {
    return invalid("proof", "the verification method is not an Ed25519 key");
  }
  const std::string& proof_value = proof.get_string("proofValue");
  auto signature = proof_value.size() > 1 && proof_value.front() == 'z'
                       ? base58btc_decode(std::string_view(proof_value).substr(1))
                       : std::nullopt;
  if (!signature || signature->size() != kEd25519SignatureBytes) {
    return invalid("proof", "proofValue is not a base58btc (\"z...\") Ed25519 signature");
  }
  Json proof_options = proof;
  proof_options.erase("proofValue");
  auto hash_data = suite->hash_data(unsecured_copy(document), proof_options, loader);
  if (!hash_data.ok()) return hash_data.error();
  if (!verify_signature(key, hash_data.value(), *signature)) {
    return invalid("signature", "the signature does not verify");
  }
  return {};
}

}  // namespace laurel
