// Open Badges 3.0: an assertion exported as an OpenBadgeCredential (W3C Verifiable Credentials
// Data Model 2.0) and secured as a VC-JWT (compact JWS, EdDSA / Ed25519).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/result.hpp"

namespace laurel {

inline constexpr std::string_view kVcContextV2 = "https://www.w3.org/ns/credentials/v2";
inline constexpr std::string_view kVcContextV1 = "https://www.w3.org/2018/credentials/v1";
inline constexpr std::string_view kOb3Context =
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

struct CredentialOptions {
  /// The issuer's id in the credential; empty: its OB 3.0 Profile URL (ob3_documents.hpp).
  /// A did:web issuer names its DID here.
  std::string issuer_id;
  /// The credentialStatus entry (status_list.hpp), or null for none.
  Json status;
};

/// The credential for `assertion` of `badgeclass` by `issuer`, with ids under `base_url`: the
/// issuer Profile and the Achievement at their OB 3.0 URLs (ob3_documents.hpp), the credential
/// at the assertion's URL. The recipient appears as the salted hash (credentialSubject.identifier,
/// an IdentityObject); a recipient of type "id" (a DID or other IRI) or "url" awarded unhashed is
/// also the subject's id. Pure: no clock, no I/O.
Json open_badge_credential(const Assertion& assertion, const BadgeClass& badgeclass,
                           const Issuer& issuer, std::string_view base_url,
                           const CredentialOptions& options = {});

/// VC-JWT: header {"alg": the key's (EdDSA, RS256, ES256), "typ": "JWT", "kid": key_url};
/// payload the credential plus the JWT claims iss (issuer id), jti (credential id), sub (the
/// subject's id, when it has one), nbf (validFrom) and exp (validUntil, when present). Errors:
/// Invalid (field "credential") for a credential without issuer id / validFrom; Crypto.
Result<std::string> sign_credential(const Json& credential, const KeyPair& key,
                                    std::string_view key_url);

/// How an OB 3.0 credential is secured: a VC-JWT ("vc-jwt", the default) or an embedded Data
/// Integrity proof ("data-integrity": eddsa-rdfc-2022, data_integrity.hpp).
enum class CredentialFormat { VcJwt, DataIntegrity };
/// Accepts exactly "vc-jwt" or "data-integrity".
std::optional<CredentialFormat> credential_format_from_name(std::string_view name);

}  // namespace laurel
