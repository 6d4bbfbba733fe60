// Embedded Data Integrity proofs on an OB 3.0 credential (VC Data Integrity 1.0 §4.4, OB 3.0
// §Proofs): every proof Laurel knows is checked (a proof set is only as good as each member),
// proofs of unknown types are reported as warnings, and at least one must verify.
#include "laurel/data_integrity.hpp"
#include "laurel/datetime.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

Result<Json> Verifier::load_context(std::string_view url) {
  std::string key(url);
  if (!supplied(key)) {
    need(key);
    return not_found("@context", "not supplied");
  }
  const Json* document = fetch(key, "JSON-LD context");
  if (document == nullptr) return invalid("@context", "not a JSON object");
  return *document;
}

void Verifier::embedded_proof(const Credential& credential) {
  const Json* proof = credential.vc.find("proof");
  if (proof == nullptr) {
    check("proof", false, "the credential has no proof");
    return;
  }
  std::vector<const Json*> proofs;
  if (proof->is_array()) {
    for (const Json& item : proof->as_array()) proofs.push_back(&item);
  } else {
    proofs.push_back(proof);
  }
  if (proofs.size() > kMaxProofs) {
    check("proof", false, "more than " + std::to_string(kMaxProofs) + " proofs");
    return;
  }
  std::size_t known = 0;
  std::vector<std::string> unknown;
  for (const Json* each : proofs) {
    if (!each->is_object()) {
      check("proof", false, "a proof must be an object");
      continue;
    }
    if (!is_supported_proof(*each)) {
      std::string name = each->get_string("type");
      if (each->find("cryptosuite")) name += " " + each->get_string("cryptosuite");
      unknown.push_back(name);
      continue;
    }
    ++known;
    data_integrity_proof(credential, *each);
  }
  for (const std::string& name : unknown) {
    if (known > 0) warn("a proof of type " + name + " is not verified by Laurel");
  }
  if (known == 0 && !unknown.empty()) {
    check("proof", false,
          "no proof Laurel verifies (" + join(unknown) +
              "); Laurel verifies eddsa-rdfc-2022, eddsa-jcs-2022, eddsa-2022, "
              "Ed25519Signature2020 and ecdsa-sd-2023 (derived proofs)");
  }
}

bool Verifier::data_integrity_proof(const Credential& credential, const Json& proof) {
  std::string suite = proof.find("cryptosuite") ? proof.get_string("cryptosuite")
                                                : proof.get_string("type");
  const std::string& purpose = proof.get_string("proofPurpose");
  if (purpose != kAssertionMethod) {
    check("proof", false, suite + " proofPurpose must be assertionMethod, not \"" + purpose + "\"");
    return false;
  }
  // VC Data Integrity §2.1: created and expires are dateTimes; judge them like the credential's.
  if (const Json* created = proof.find("created")) {
    auto when = created->is_string() ? parse_datetime(created->as_string()) : std::nullopt;
    if (!when || *when > now_ + kClockSkewSeconds) {
      check("proof", false,
            suite + (when ? " proof created in the future (" + format_datetime(*when) + ")"
                          : " proof created is not a dateTime"));
      return false;
    }
  }
  if (const Json* expires = proof.find("expires")) {
    auto when = expires->is_string() ? parse_datetime(expires->as_string()) : std::nullopt;
    if (!when || *when <= now_) {
      check("proof", false,
            suite + (when ? " proof expired " + format_datetime(*when)
                          : " proof expires is not a dateTime"));
      return false;
    }
  }
  const std::string& method = proof.get_string("verificationMethod");
  std::optional<PublicKey> key = proof_key(method, credential.issuer_id);
  if (!key) return false;
  Status verified = verify_proof(credential.vc, proof, *key,
                                 [this](std::string_view url) { return load_context(url); });
  std::string canonical_form = suite == kEddsaJcs2022 ? "JCS (RFC 8785)" : "RDFC-1.0 N-Quads";
  if (!verified.ok()) {
    const Error& error = verified.error();
    if (error.field == "@context" || error.field == "canonicalization") {
      check("canonicalization", false, error.message);
      return false;
    }
    if (error.field != "signature") {
      check("proof", false, suite + ": " + error.message);
      return false;
    }
    check("canonicalization", true, canonical_form);
    check("proof", false, suite + " signature does not verify with " + method);
    return false;
  }
  check("canonicalization", true, canonical_form);
  check("proof", true, suite + " proof by " + method);
  return true;
}

}  // namespace laurel::verifier
