// W3C Verifiable Credential Data Integrity proofs with Ed25519 (VC Data Integrity EdDSA
// Cryptosuites v1.0) and P-256 selective disclosure (ECDSA Cryptosuites v1.0): create and check
// the embedded `proof` of a JSON-LD document.
//
//   eddsa-rdfc-2022      issue and verify: RDFC-1.0 canonical N-Quads of the JSON-LD dataset
//   eddsa-jcs-2022       issue and verify: RFC 8785 JCS of the JSON document
//   eddsa-2022           verify only: the suite's earlier name, the same algorithm as rdfc
//   Ed25519Signature2020 verify only: the earlier proof type (no cryptosuite), also RDFC
//   ecdsa-sd-2023        verify only, derived proofs only (what a holder discloses); a base
//                        proof is refused ("base proofs are for the holder to derive from")
//
// The EdDSA suites hash SHA-256(canonical proof configuration) || SHA-256(canonical document)
// and sign the 64 bytes with Ed25519; proofValue is the multibase base58btc ("z...") of the
// signature. ecdsa-sd-2023's proofValue is multibase base64url ("u...") CBOR: the issuer's P-256
// signature over the proof hash, an ephemeral key and the mandatory statements' hash, and one
// signature by the ephemeral key per other disclosed statement (RDFC-1.0 N-Quads, blank nodes
// relabelled through the proof's label map).
//
// Portable (WebAssembly too): contexts come from jsonld::builtin_context() and then the caller's
// loader; no I/O here. Threading: pure functions, any number of threads at once. Nothing throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::string_view kDataIntegrityProofType = "DataIntegrityProof";
inline constexpr std::string_view kEd25519Signature2020Type = "Ed25519Signature2020";
inline constexpr std::string_view kEddsaRdfc2022 = "eddsa-rdfc-2022";
inline constexpr std::string_view kEddsaJcs2022 = "eddsa-jcs-2022";
inline constexpr std::string_view kEddsa2022 = "eddsa-2022";
inline constexpr std::string_view kEcdsaSd2023 = "ecdsa-sd-2023";
inline constexpr std::string_view kAssertionMethod = "assertionMethod";
/// Proofs checked on one document (a proof set); more is a hostile document.
inline constexpr std::size_t kMaxProofs = 16;

/// The options of a new proof (VC Data Integrity §2.1 "proof").
struct ProofOptions {
  std::string cryptosuite{kEddsaRdfc2022};  // eddsa-rdfc-2022 or eddsa-jcs-2022
  std::string verification_method;          // the key's URL (a Multikey), required
  std::string created;                      // XML Schema dateTime; empty: no "created"
  std::string expires;                      // XML Schema dateTime; empty: no "expires"
  std::string proof_purpose{kAssertionMethod};
};

/// `document` with one more proof by `key` (an Ed25519 key pair): "proof" becomes the new proof,
/// or a proof set holding the existing ones and the new one. Contexts: built in, then `loader`.
/// Errors: Invalid (field "cryptosuite", "verificationMethod", "created" or "expires") for bad
/// options; Invalid (field "key") for an RSA key; JSON-LD and RDFC errors (fields "jsonld",
/// "@context", "rdfc") for documents that do not canonicalize; Crypto when signing fails.
Result<Json> add_proof(const Json& document, const KeyPair& key, const ProofOptions& options,
                       const jsonld::DocumentLoader& loader = {});

/// The issuing fast path: `credential` (JSON-LD over built-in contexts only) with an
/// eddsa-rdfc-2022 proof, as canonical JSON text. `created` may be empty. Errors: add_proof's.
Result<std::string> sign_data_integrity(const Json& credential, const KeyPair& key,
                                        std::string_view verification_method,
                                        std::string_view created);

/// Checks one proof's signature over `document` (the secured document; its "proof" member is
/// ignored: the proof set's other proofs are not part of what each one signs). The caller has
/// resolved `key` from proof.verificationMethod (Ed25519 for the EdDSA suites, P-256 for
/// ecdsa-sd-2023) and judges purpose, dates and key ownership.
/// Errors, all Invalid, by field: "proof" (unsupported type or cryptosuite, malformed proof or
/// proofValue), "canonicalization" (the document or proof does not canonicalize: the message
/// says why; an unknown context is NotFound with field "@context" and the URL in the message),
/// "signature" (well-formed, but the signature does not verify).
Status verify_proof(const Json& document, const Json& proof, const PublicKey& key,
                    const jsonld::DocumentLoader& loader = {});

/// True when the proof names a suite Laurel verifies (see the file comment).
bool is_supported_proof(const Json& proof);

}  // namespace laurel
