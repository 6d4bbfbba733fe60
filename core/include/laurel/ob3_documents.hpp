// Open Badges 3.0 public documents: the issuer Profile and the Achievement that Laurel's
// OpenBadgeCredentials name by id, JSON-LD with the VC 2.0 and OB 3.0 contexts, each at a stable
// URL under a public base URL (the OB 2.0 documents of documents.hpp stay at their own paths):
//   {base}/public/ob3/issuers/{id}                  Profile, keys as verification methods
//   {base}/public/ob3/issuers/{id}/jwks             JWK Set of the same keys (kid = method id)
//   {base}/public/ob3/issuers/{id}/status/{list}    BitstringStatusListCredential (VC-JWT)
//   {base}/public/ob3/achievements/{id}             Achievement
// Each issuer key appears twice in the Profile's verificationMethod, both listed under
// assertionMethod: `{profile}#{key_id}` as a Multikey (Ed25519 keys only: publicKeyMultibase,
// what Data Integrity proofs name) and `{profile}#{key_id}-jwk` as a JsonWebKey (every key:
// publicKeyJwk, what a VC-JWT's `kid` names). Pure functions: no clock, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"

namespace laurel {

std::string ob3_issuer_url(std::string_view base_url, std::string_view issuer_id);
std::string ob3_achievement_url(std::string_view base_url, std::string_view badgeclass_id);
std::string ob3_jwks_url(std::string_view base_url, std::string_view issuer_id);
std::string status_list_url(std::string_view base_url, std::string_view issuer_id,
                            std::string_view list_id);
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

}  // namespace laurel
