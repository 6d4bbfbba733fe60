// ecdsa-sd-2023, verify only (W3C Data Integrity ECDSA Cryptosuites v1.0 §3.4-3.6): the derived
// proof a holder makes from the issuer's base proof, disclosing some claims. The issuer signed
// (with its P-256 key) the proof configuration's hash, an ephemeral P-256 key and the hash of the
// mandatory statements; the ephemeral key signed each other statement on its own. The holder
// keeps the statements it discloses and their signatures; the verifier recomputes the statements
// from the disclosed document and checks every signature.
#include <algorithm>
#include <map>
#include <vector>

#include "detail/hash.hpp"
#include "laurel/ids.hpp"
#include "laurel/multikey.hpp"
#include "proofs/cbor.hpp"
#include "proofs/suite.hpp"
#include "rdf/quad.hpp"

namespace laurel::proofs {

namespace {

// §3.5.7 serializeDerivedProofValue: the CBOR tag 0xd95d01 marks a derived proof, 0xd95d00 a base
// proof (what the issuer hands the holder).
constexpr std::string_view kDerivedHeader{"\xd9\x5d\x01", 3};
constexpr std::string_view kBaseHeader{"\xd9\x5d\x00", 3};
constexpr std::size_t kDerivedComponents = 5;
// Beyond any credential (one signature per disclosed non-mandatory statement) and a bound on the
// ECDSA checks a stranger's document can ask for.
constexpr std::size_t kMaxSignatures = 4096;
constexpr std::size_t kMaxLabelBytes = 64;  // an HMAC-SHA-256 label is 32 bytes

struct DerivedProof {
  std::string_view base_signature;
  std::string_view public_key;  // Multikey bytes: multicodec 0x1200 + compressed P-256 point
  std::vector<std::string_view> signatures;
  std::map<std::string, std::string> label_map;  // "c14nN" -> "u" + base64url(HMAC label)
  std::vector<std::uint64_t> mandatory_indexes;
};

// The verifier names the suite before the message ("ecdsa-sd-2023: ...").
Error proof_error(std::string message) {
  return invalid("proof", std::move(message));
}

// §3.5.8 parseDerivedProofValue: [baseSignature, publicKey, signatures, compressedLabelMap,
// mandatoryIndexes], decompressing the label map (§3.5.6: integer N -> "c14nN", bytes ->
// "u" + base64url-no-pad).
Result<DerivedProof> parse_derived_proof(std::string_view decoded) {
  CborReader cbor(decoded.substr(kDerivedHeader.size()));
  DerivedProof proof;
  auto components = cbor.array_header();
  if (!components.ok()) return components.error();
  if (components.value() != kDerivedComponents) {
    return invalid("proofValue", "a derived proof value holds 5 components, not " +
                                     std::to_string(components.value()));
  }
  auto base_signature = cbor.byte_string();
  if (!base_signature.ok()) return base_signature.error();
  proof.base_signature = base_signature.value();
  auto public_key = cbor.byte_string();
  if (!public_key.ok()) return public_key.error();
  proof.public_key = public_key.value();
  auto signatures = cbor.array_header();
  if (!signatures.ok()) return signatures.error();
  if (signatures.value() > kMaxSignatures) {
    return invalid("proofValue", "more than " + std::to_string(kMaxSignatures) + " signatures");
  }
  for (std::size_t i = 0; i < signatures.value(); ++i) {
    auto signature = cbor.byte_string();
    if (!signature.ok()) return signature.error();
    proof.signatures.push_back(signature.value());
  }
  auto labels = cbor.map_header();
  if (!labels.ok()) return labels.error();
  for (std::size_t i = 0; i < labels.value(); ++i) {
    auto canonical = cbor.unsigned_int();
    if (!canonical.ok()) return canonical.error();
    auto label = cbor.byte_string();
    if (!label.ok()) return label.error();
    if (label->empty() || label->size() > kMaxLabelBytes) {
      return invalid("proofValue", "a label map entry is not 1 to 64 bytes");
    }
    proof.label_map["c14n" + std::to_string(canonical.value())] =
        "u" + base64url_encode(label.value());
  }
  auto mandatory = cbor.array_header();
  if (!mandatory.ok()) return mandatory.error();
  for (std::size_t i = 0; i < mandatory.value(); ++i) {
    auto index = cbor.unsigned_int();
    if (!index.ok()) return index.error();
    proof.mandatory_indexes.push_back(index.value());
  }
  if (!cbor.at_end()) {
    return invalid("proofValue", "bytes after the derived proof value (offset " +
                                     std::to_string(cbor.offset() + kDerivedHeader.size()) + ")");
  }
  return proof;
}

// §3.4.1 labelReplacementCanonicalizeJsonLd, verifier side: the document's canonical N-Quads
// with each "_:c14nN" replaced through the label map (the issuer's HMAC labels), sorted again.
Result<std::vector<std::string>> relabelled_statements(
    const Json& unsecured, const std::map<std::string, std::string>& label_map,
    const jsonld::DocumentLoader& loader) {
  auto canonical = rdfc_canonical_nquads(unsecured, loader);
  if (!canonical.ok()) return canonical.error();
  auto quads = rdf::parse_nquads(canonical.value(), std::size_t(-1));
  if (!quads.ok()) return Error{ErrorCode::Internal, "canonicalization", quads.error().message};
  std::vector<std::string> statements;
  statements.reserve(quads->size());
  for (rdf::Quad& quad : quads.value()) {
    for (rdf::Term* term : {&quad.subject, &quad.object, &quad.graph}) {
      if (!term->is_blank()) continue;
      auto label = label_map.find(term->value);
      if (label == label_map.end()) {
        return proof_error("the label map has no label for the blank node _:" + term->value);
      }
      term->value = label->second;
    }
    std::string line;
    rdf::append_quad(line, quad);
    statements.push_back(std::move(line));
  }
  std::sort(statements.begin(), statements.end());
  return statements;
}

}  // namespace

Status verify_ecdsa_sd_2023(const Json& unsecured, const Json& proof, const PublicKey& key,
                            const jsonld::DocumentLoader& loader) {
  const std::string& proof_value = proof.get_string("proofValue");
  // Multibase base64url without padding ("u...") (§3.5.7).
  auto decoded = proof_value.size() > 1 && proof_value.front() == 'u'
                     ? base64url_decode(std::string_view(proof_value).substr(1))
                     : std::nullopt;
  if (!decoded) return proof_error("proofValue is not multibase base64url (\"u...\")");
  if (decoded->rfind(kBaseHeader, 0) == 0) {
    return proof_error(
        "base proofs are not supported: base proofs are for the holder to derive from, and a "
        "verifier checks the derived proof");
  }
  if (decoded->rfind(kDerivedHeader, 0) != 0) {
    return proof_error("proofValue does not start with the derived proof header 0xd95d01");
  }
  auto derived = parse_derived_proof(decoded.value());
  if (!derived.ok()) return proof_error(derived.error().message);
  if (key.algorithm != KeyAlgorithm::ES256) {
    return proof_error("the proof needs a P-256 verification method, not an " +
                       std::string(algorithm_name(key.algorithm)) + " key");
  }
  auto ephemeral = public_key_from_multicodec(derived->public_key);
  if (!ephemeral.ok() || ephemeral->algorithm != KeyAlgorithm::ES256) {
    return proof_error("the proof's ephemeral public key is not a P-256 Multikey");
  }

  // §3.6.2 createVerifyData.
  Json proof_options = proof;
  proof_options.erase("proofValue");
  auto proof_hash = rdfc_proof_config_hash(unsecured, proof_options, loader);
  if (!proof_hash.ok()) return proof_hash.error();
  auto relabelled = relabelled_statements(unsecured, derived->label_map, loader);
  if (!relabelled.ok()) return relabelled.error();
  const std::vector<std::string>& statements = relabelled.value();
  std::vector<bool> mandatory(statements.size(), false);
  for (std::uint64_t index : derived->mandatory_indexes) {
    if (index >= statements.size()) {
      return proof_error("mandatory index " + std::to_string(index) + " is past the " +
                         std::to_string(statements.size()) + " disclosed statements");
    }
    mandatory[index] = true;
  }
  std::string mandatory_text;
  std::vector<const std::string*> non_mandatory;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (mandatory[i]) {
      mandatory_text += statements[i];
    } else {
      non_mandatory.push_back(&statements[i]);
    }
  }

  // §3.6.3 verifyProof: the issuer's signature first (so a forged document costs one check),
  // then one signature per non-mandatory statement by the ephemeral key.
  if (derived->signatures.size() != non_mandatory.size()) {
    return invalid("signature", std::to_string(derived->signatures.size()) + " signatures for " +
                                    std::to_string(non_mandatory.size()) +
                                    " non-mandatory statements");
  }
  std::string base_data = proof_hash.value();
  base_data += derived->public_key;
  base_data += detail::sha256(mandatory_text);
  if (!verify_signature(key, base_data, derived->base_signature)) {
    return invalid("signature", "the base signature does not verify");
  }
  for (std::size_t i = 0; i < non_mandatory.size(); ++i) {
    if (!verify_signature(ephemeral.value(), *non_mandatory[i], derived->signatures[i])) {
      return invalid("signature", "the signature of statement " + std::to_string(i) +
                                      " does not verify");
    }
  }
  return {};
}

}  // namespace laurel::proofs
