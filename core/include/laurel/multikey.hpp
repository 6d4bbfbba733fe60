// Multikey and did:key: the way Data Integrity proofs and DID documents name Ed25519 and P-256
// public keys.
//
// A Multikey `publicKeyMultibase` (W3C Controlled Identifiers v1.0 §Multikey) is "z" (multibase
// base58btc) + base58btc(multicodec varint + key bytes): Ed25519 is 0xed 0x01 + the 32 key bytes
// (48 characters starting "z6Mk"), P-256 is 0x80 0x24 + the 33-byte compressed point (49
// characters starting "zDn"). A did:key (W3C did:key v0.7) is "did:key:" + that string; its DID
// document is derived from the identifier alone, so it resolves without I/O (portable, WASM too).
//
// Threading: pure functions over values. Nothing throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::string_view kMultikeyType = "Multikey";
inline constexpr std::string_view kMultikeyContextV1 = "https://w3id.org/security/multikey/v1";
inline constexpr std::string_view kDidContextV1 = "https://www.w3.org/ns/did/v1";

/// Bitcoin base58 (the multibase base58btc alphabet); leading zero bytes become '1's.
std::string base58btc_encode(std::string_view bytes);
/// nullopt when `text` holds a character outside the alphabet.
std::optional<std::string> base58btc_decode(std::string_view text);

/// "z6Mk..." for an Ed25519 key, "zDn..." for a P-256 key; empty for RSA keys.
std::string public_key_to_multibase(const PublicKey& key);
/// Reads a publicKeyMultibase. Errors: Invalid (field "publicKeyMultibase") for another multibase
/// than base58btc, another key type than Ed25519 or P-256, bad characters, a wrong length or a
/// P-256 point off the curve.
Result<PublicKey> public_key_from_multibase(std::string_view multibase);
/// The Multikey bytes without the multibase: multicodec varint + key (as ecdsa-sd-2023 proof
/// values carry the ephemeral key); empty for RSA. Errors as public_key_from_multibase.
std::string public_key_to_multicodec(const PublicKey& key);
Result<PublicKey> public_key_from_multicodec(std::string_view bytes);

// public_key_from_did_key() and did_key_of() are declared in keys.hpp (their first home).

/// The Multikey verification method {"id", "type": "Multikey", "controller",
/// "publicKeyMultibase"} of an Ed25519 or P-256 key, as DID documents and OB 3.0 Profiles list it.
Json multikey_verification_method(const PublicKey& key, std::string id, std::string controller);

/// The DID document of a did:key (did:key v0.7 §Document Creation, Multikey form): its one
/// verification method "did:key:z..#z.." listed under authentication, assertionMethod,
/// capabilityInvocation and capabilityDelegation. `did` may carry a fragment (ignored).
/// Errors: as public_key_from_did_key.
Result<Json> did_key_document(std::string_view did);

}  // namespace laurel
