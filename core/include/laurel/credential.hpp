// Open Badges 3.0: an assertion exported as an OpenBadgeCredential (W3C Verifiable Credentials
// Data Model 2.0) and secured as a VC-JWT (compact JWS, EdDSA / Ed25519).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  /// The issuer's Profile node (ob3_profile_node) and the badge class's Achievement node
  /// (ob3_achievement_node) when the caller built them already: a batch builds them once per
  /// issuer and badge class instead of once per credential. Null: built here.
  const Json* profile = nullptr;
  const Json* achievement = nullptr;
};

/// The credential for `assertion` of `badgeclass` by `issuer`, with ids under `base_url`: the
/// issuer Profile and the Achievement at their OB 3.0 URLs (ob3_documents.hpp), the credential
/// at the assertion's URL. The recipient appears as the salted hash (credentialSubject.identifier,
/// an IdentityObject); a recipient of type "id" (a DID or other IRI) or "url" awarded unhashed is
/// also the subject's id. Pure: no clock, no I/O.
Json open_badge_credential(const Assertion& assertion, const BadgeClass& badgeclass,
                           const Issuer& issuer, std::string_view base_url,
                           const CredentialOptions& options = {});

/// The credential's "evidence" member for an assertion's evidence (OB 3.0 §Evidence).
Json credential_evidence(const std::vector<Evidence>& evidence);

/// The JWT claims set of a VC-JWT: the credential plus iss, jti, sub, nbf and exp as
/// sign_credential describes. Errors: Invalid (field "credential") as sign_credential.
Result<Json> vc_jwt_claims(Json credential);
/// The VC-JWT's protected header less "alg" (jws_sign adds the key's): {"typ": "JWT", "kid"}.
Json vc_jwt_header(std::string_view key_url);

/// VC-JWT: header {"alg": the key's (EdDSA, RS256, ES256), "typ": "JWT", "kid": key_url};
/// payload the credential plus the JWT claims iss (issuer id), jti (credential id), sub (the
/// subject's id, when it has one), nbf (validFrom) and exp (validUntil, when present). Errors:
/// Invalid (field "credential") for a credential without issuer id / validFrom; Crypto.
/// (Taken by value: a caller done with the credential moves it in and saves a copy.)
Result<std::string> sign_credential(Json credential, const KeyPair& key,
                                    std::string_view key_url);

/// How an OB 3.0 credential is secured: a VC-JWT ("vc-jwt", the default) or an embedded Data
/// Integrity proof ("data-integrity": eddsa-rdfc-2022, data_integrity.hpp).
enum class CredentialFormat { VcJwt, DataIntegrity };
/// Accepts exactly "vc-jwt" or "data-integrity".
std::optional<CredentialFormat> credential_format_from_name(std::string_view name);

}  // namespace laurel
