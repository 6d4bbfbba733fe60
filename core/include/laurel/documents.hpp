// Open Badges 2.0 public documents (JSON-LD, @context https://w3id.org/openbadges/v2) for the
// entities Laurel holds, each at a stable URL under a public base URL:
//   {base}/public/issuers/{id}                  Issuer (Profile)
//   {base}/public/issuers/{id}/revocations      RevocationList
//   {base}/public/keys/{key_id}                 CryptographicKey
//   {base}/public/badges/{id}                   BadgeClass
//   {base}/public/assertions/{id}               Assertion
//   {base}/public/assertions/{id}/image         the assertion's baked image
// Pure functions of their inputs: no clock, no I/O, the same input gives the same document.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"

namespace laurel {

inline constexpr std::string_view kOb2Context = "https://w3id.org/openbadges/v2";

/// `base_url` without trailing slashes (e.g. "https://badges.example.org").
std::string issuer_url(std::string_view base_url, std::string_view issuer_id);
std::string revocation_list_url(std::string_view base_url, std::string_view issuer_id);
std::string key_url(std::string_view base_url, std::string_view key_id);
std::string badgeclass_url(std::string_view base_url, std::string_view badgeclass_id);
std::string assertion_url(std::string_view base_url, std::string_view assertion_id);
std::string assertion_image_url(std::string_view base_url, std::string_view assertion_id);

/// Issuer Profile. `key_ids` are the issuer's published keys, oldest first (rotated keys stay
/// listed so older signed badges still verify); they become "publicKey".
Json issuer_document(const Issuer& issuer, std::string_view base_url,
                     const std::vector<std::string>& key_ids = {});
/// BadgeClass, with "issuer" pointing at the issuer document and the extensions merged in.
Json badgeclass_document(const BadgeClass& badgeclass, std::string_view base_url);
/// One piece of an assertion's evidence as OB 2.0 §Evidence writes it (id = its url, narrative,
/// name, description, genre, audience; each when set). OB 3.0 credentials add its type.
Json evidence_node(const Evidence& evidence);
/// Assertion. With an empty `creator_key_id` the verification is {"type": "hosted"}; otherwise
/// {"type": "signed", "creator": key URL} (the document then is the payload of a JWS).
Json assertion_document(const Assertion& assertion, std::string_view base_url,
                        std::string_view creator_key_id = {});
/// CryptographicKey: "owner" is the issuer document, "publicKeyPem" the SubjectPublicKeyInfo.
Json key_document(std::string_view issuer_id, std::string_view key_id, const PublicKey& key,
                  std::string_view base_url);
/// RevocationList from (assertion entityId, revocationReason) pairs; an empty reason is omitted.
Json revocation_list_document(std::string_view issuer_id,
                              const std::vector<std::pair<std::string, std::string>>& revoked,
                              std::string_view base_url);

}  // namespace laurel
