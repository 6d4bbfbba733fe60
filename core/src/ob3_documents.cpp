#include "laurel/ob3_documents.hpp"

#include "laurel/credential.hpp"
#include "laurel/did.hpp"
#include "laurel/multikey.hpp"
#include "laurel/status_list.hpp"

namespace laurel {
namespace {

std::string trimmed(std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url);
}

void set_if(Json& node, const char* key, const std::string& value) {
  if (!value.empty()) node.set(key, value);
}

Json image_node(const std::string& url) {
  return Json::object({{"id", url}, {"type", "Image"}});
}

Json contexts() { return Json::Array{Json(kVcContextV2), Json(kOb3Context)}; }

// The Profile also names its keys: verificationMethod and assertionMethod are DID v1 terms and
// Multikey a Controlled Identifiers one. Without their contexts a JSON-LD verifier in safe mode
// (Digital Bazaar's, checking that the issuer lists a proof's key under assertionMethod) drops
// the terms and refuses the proof.
Json profile_contexts() {
  return Json::Array{Json(kVcContextV2), Json(kOb3Context), Json(kDidContextV1),
                     Json(kMultikeyContextV1)};
}

Json jwk_with_id(const PublishedKey& published, std::string_view profile_id) {
  Json jwk = public_key_to_jwk(published.key);
  jwk.set("kid", jwk_method_id(profile_id, published.key_id));
  jwk.set("alg", algorithm_name(published.key.algorithm));
  jwk.set("use", "sig");
  return jwk;
}

}  // namespace

std::string ob3_issuer_url(std::string_view base_url, std::string_view issuer_id) {
  return trimmed(base_url) + "/public/ob3/issuers/" + std::string(issuer_id);
}
std::string ob3_achievement_url(std::string_view base_url, std::string_view badgeclass_id) {
  return trimmed(base_url) + "/public/ob3/achievements/" + std::string(badgeclass_id);
}
std::string ob3_jwks_url(std::string_view base_url, std::string_view issuer_id) {
  return ob3_issuer_url(base_url, issuer_id) + "/jwks";
}
std::string status_list_url(std::string_view base_url, std::string_view issuer_id,
                            std::string_view list_id) {
  return ob3_issuer_url(base_url, issuer_id) + "/status/" + std::string(list_id);
}
std::string ob3_revocation_list_url(std::string_view base_url, std::string_view issuer_id) {
  return ob3_issuer_url(base_url, issuer_id) + "/revocations";
}
std::string ob3_did_document_url(std::string_view base_url, std::string_view issuer_id) {
  return ob3_issuer_url(base_url, issuer_id) + "/did.json";
}

Result<std::string> ob3_issuer_id(const Issuer& issuer, std::string_view base_url) {
  std::string profile_url = ob3_issuer_url(base_url, issuer.entity_id);
  if (!issuer.did_web) return profile_url;
  auto did = did_web_of(profile_url);
  if (!did.ok()) {
    return invalid("base_url", "the issuer " + issuer.entity_id +
                                   " is named by did:web, which needs an HTTPS base URL, not \"" +
                                   std::string(base_url) + "\"");
  }
  return did;
}

std::string multikey_method_id(std::string_view profile_id, std::string_view key_id) {
  return std::string(profile_id) + "#" + std::string(key_id);
}
std::string jwk_method_id(std::string_view profile_id, std::string_view key_id) {
  return multikey_method_id(profile_id, key_id) + "-jwk";
}

Json ob3_profile_node(const Issuer& issuer, std::string_view profile_id) {
  Json profile = Json::object({{"id", std::string(profile_id)},
                               {"type", Json::Array{Json("Profile")}},
                               {"name", issuer.name}});
  set_if(profile, "url", issuer.url);
  set_if(profile, "email", issuer.email);
  set_if(profile, "description", issuer.description);
  if (!issuer.image.empty()) profile.set("image", image_node(issuer.image));
  return profile;
}

Json ob3_achievement_node(const BadgeClass& badgeclass, std::string_view base_url) {
  Json achievement = Json::object({{"id", ob3_achievement_url(base_url, badgeclass.entity_id)},
                                   {"type", Json::Array{Json("Achievement")}},
                                   {"name", badgeclass.name},
                                   {"description", badgeclass.description}});
  Json criteria = Json::object();
  set_if(criteria, "id", badgeclass.criteria_url);
  set_if(criteria, "narrative", badgeclass.criteria_narrative);
  achievement.set("criteria", std::move(criteria));
  if (!badgeclass.image.empty()) achievement.set("image", image_node(badgeclass.image));
  if (!badgeclass.tags.empty()) {
    Json tags = Json::array();
    for (const std::string& tag : badgeclass.tags) tags.push_back(tag);
    achievement.set("tag", std::move(tags));
  }
  if (!badgeclass.alignments.empty()) {
    Json alignments = Json::array();
    for (const Alignment& alignment : badgeclass.alignments) {
      Json item = Json::object({{"type", Json::Array{Json("Alignment")}},
                                {"targetName", alignment.target_name},
                                {"targetUrl", alignment.target_url}});
      set_if(item, "targetDescription", alignment.target_description);
      set_if(item, "targetFramework", alignment.target_framework);
      set_if(item, "targetCode", alignment.target_code);
      alignments.push_back(std::move(item));
    }
    achievement.set("alignment", std::move(alignments));
  }
  return achievement;
}

namespace {

// Each key as a Multikey (Ed25519 only) and a JsonWebKey, all listed under assertionMethod.
void set_verification_methods(Json& document, std::string_view profile_id,
                              const std::vector<PublishedKey>& keys) {
  Json methods = Json::array();
  Json assertion_methods = Json::array();
  const std::string controller(profile_id);
  for (const PublishedKey& published : keys) {
    if (published.key.algorithm == KeyAlgorithm::EdDSA) {
      const std::string id = multikey_method_id(profile_id, published.key_id);
      methods.push_back(multikey_verification_method(published.key, id, controller));
      assertion_methods.push_back(id);
    }
    const std::string jwk_id = jwk_method_id(profile_id, published.key_id);
    methods.push_back(Json::object({{"id", jwk_id},
                                    {"type", "JsonWebKey"},
                                    {"controller", controller},
                                    {"publicKeyJwk", jwk_with_id(published, profile_id)}}));
    assertion_methods.push_back(jwk_id);
  }
  document.set("verificationMethod", std::move(methods));
  document.set("assertionMethod", std::move(assertion_methods));
}

}  // namespace

Json ob3_profile_document(const Issuer& issuer, std::string_view profile_id,
                          const std::vector<PublishedKey>& keys) {
  Json document = ob3_profile_node(issuer, profile_id);
  document.set("@context", profile_contexts());
  set_verification_methods(document, profile_id, keys);
  return document;
}

Json ob3_did_document(std::string_view did, const std::vector<PublishedKey>& keys) {
  Json document = Json::object({{"@context", Json::Array{Json(kDidContextV1),
                                                         Json(kMultikeyContextV1)}},
                                {"id", std::string(did)}});
  set_verification_methods(document, did, keys);
  return document;
}

Json ob3_revocation_list(std::string_view list_url, std::string_view issuer_id,
                         const std::vector<RevokedCredential>& revoked) {
  Json items = Json::array();
  for (const RevokedCredential& each : revoked) {
    Json item = Json::object({{"id", each.credential_id}});
    set_if(item, "revocationReason", each.reason);
    items.push_back(std::move(item));
  }
  return Json::object({{"id", std::string(list_url)},
                       {"issuer", std::string(issuer_id)},
                       {"revokedCredentials", std::move(items)}});
}

Json revocation_list_entry(std::string_view list_url) {
  return Json::object({{"id", std::string(list_url)}, {"type", "1EdTechRevocationList"}});
}

Json ob3_achievement_document(const BadgeClass& badgeclass, std::string_view base_url) {
  Json document = ob3_achievement_node(badgeclass, base_url);
  document.set("@context", contexts());
  return document;
}

Json ob3_jwks(std::string_view profile_id, const std::vector<PublishedKey>& keys) {
  Json jwks = Json::array();
  for (const PublishedKey& published : keys) jwks.push_back(jwk_with_id(published, profile_id));
  return Json::object({{"keys", std::move(jwks)}});
}

Json ob3_credential_status(const Issuer& issuer, std::string_view base_url,
                           std::string_view list_id, std::uint64_t index) {
  Json bitstring;
  if (!list_id.empty() && issuer.credential_status != "1edtech") {
    bitstring = status_list_entry(status_list_url(base_url, issuer.entity_id, list_id), index);
  }
  if (issuer.credential_status == "bitstring") return bitstring;
  Json revocation_list =
      revocation_list_entry(ob3_revocation_list_url(base_url, issuer.entity_id));
  if (issuer.credential_status == "1edtech" || bitstring.is_null()) return revocation_list;
  return Json::Array{std::move(bitstring), std::move(revocation_list)};
}

}  // namespace laurel
