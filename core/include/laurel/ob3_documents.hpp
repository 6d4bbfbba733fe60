// Open Badges 3.0 public documents: the issuer Profile and the Achievement that Laurel's
// OpenBadgeCredentials name by id, JSON-LD with the VC 2.0 and OB 3.0 contexts, each at a stable
// URL under a public base URL (the OB 2.0 documents of documents.hpp stay at their own paths):
//   {base}/public/ob3/issuers/{id}                  Profile, keys as verification methods
//   {base}/public/ob3/issuers/{id}/jwks             JWK Set of the same keys (kid = method id)
//   {base}/public/ob3/issuers/{id}/status/{list}    BitstringStatusListCredential (VC-JWT, or
//                                                   with a Data Integrity proof)
//   {base}/public/ob3/issuers/{id}/revocations      1EdTech Revocation List of the issuer
//   {base}/public/ob3/issuers/{id}/did.json         DID document, for an issuer with did_web
//   {base}/public/ob3/achievements/{id}             Achievement
// An issuer with did_web is named by the did:web of its Profile URL (did.hpp):
// https://host/public/ob3/issuers/{id} -> did:web:host:public:ob3:issuers:{id}, which resolves to
// the did.json above; the Profile, its methods and every credential then use the DID as id.
// Each issuer key appears twice in the Profile's verificationMethod, both listed under
// assertionMethod: `{profile}#{key_id}` as a Multikey (Ed25519 keys only: publicKeyMultibase,
// what Data Integrity proofs name) and `{profile}#{key_id}-jwk` as a JsonWebKey (every key:
// publicKeyJwk, what a VC-JWT's `kid` names). Pure functions: no clock, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/result.hpp"

namespace laurel {

std::string ob3_issuer_url(std::string_view base_url, std::string_view issuer_id);
std::string ob3_achievement_url(std::string_view base_url, std::string_view badgeclass_id);
std::string ob3_jwks_url(std::string_view base_url, std::string_view issuer_id);
std::string status_list_url(std::string_view base_url, std::string_view issuer_id,
                            std::string_view list_id);
std::string ob3_revocation_list_url(std::string_view base_url, std::string_view issuer_id);
std::string ob3_did_document_url(std::string_view base_url, std::string_view issuer_id);
/// The id an issuer has in OB 3.0 documents: its Profile URL, or with did_web the did:web of
/// that URL. Errors: Invalid (field "base_url") for a did_web issuer under a base URL that is
/// not HTTPS (did:web names HTTPS origins only).
Result<std::string> ob3_issuer_id(const Issuer& issuer, std::string_view base_url);
/// `{profile}#{key_id}`: the Multikey verification method (Data Integrity).
std::string multikey_method_id(std::string_view profile_id, std::string_view key_id);
/// `{profile}#{key_id}-jwk`: the JsonWebKey verification method (a VC-JWT's kid).
std::string jwk_method_id(std::string_view profile_id, std::string_view key_id);

/// A published key: its id and public half.
struct PublishedKey {
  std::string key_id;
  PublicKey key;
};

/// The Profile node as a credential embeds it (id, type, name, url, email, description, image);
/// `profile_id` is its id (the Profile URL, or the issuer's DID when it has one).
Json ob3_profile_node(const Issuer& issuer, std::string_view profile_id);
/// The Achievement node of `badgeclass` (id under base_url, criteria, image, tags, alignments).
Json ob3_achievement_node(const BadgeClass& badgeclass, std::string_view base_url);

/// The Profile document: the node with @context, verificationMethod and assertionMethod.
Json ob3_profile_document(const Issuer& issuer, std::string_view profile_id,
                          const std::vector<PublishedKey>& keys);
/// The Achievement document: the node with @context.
Json ob3_achievement_document(const BadgeClass& badgeclass, std::string_view base_url);
/// {"keys": [JWK with "kid" = jwk_method_id, "alg", "use": "sig"]}.
Json ob3_jwks(std::string_view profile_id, const std::vector<PublishedKey>& keys);
/// The DID document of a did_web issuer (DID Core §5): the DID v1 and Multikey contexts, id
/// `did`, and the same verification methods as the Profile, all under assertionMethod.
Json ob3_did_document(std::string_view did, const std::vector<PublishedKey>& keys);

/// A revoked credential: its id and the reason given.
struct RevokedCredential {
  std::string credential_id;
  std::string reason;
};
/// The 1EdTech Revocation List (1EdTech Revocation List Status Method 1.0 §RevocationList):
/// {"id": list_url, "issuer": issuer_id, "revokedCredentials": [{"id", "revocationReason"}]}.
Json ob3_revocation_list(std::string_view list_url, std::string_view issuer_id,
                         const std::vector<RevokedCredential>& revoked);
/// The credentialStatus entry naming it: {"id": list_url, "type": "1EdTechRevocationList"}.
Json revocation_list_entry(std::string_view list_url);

/// The credentialStatus of a credential of `issuer`, as its credential_status setting says: the
/// BitstringStatusListEntry of bit `index` of its list `list_id` (none when `list_id` is empty:
/// an assertion issued before status lists), the 1EdTechRevocationList entry, or both as an
/// array (VCDM 2.0 §4.10 allows several; the OB 3.0 JSON schema allows one, hence the setting).
/// Null when there is nothing to carry.
Json ob3_credential_status(const Issuer& issuer, std::string_view base_url,
                           std::string_view list_id, std::uint64_t index);

}  // namespace laurel
