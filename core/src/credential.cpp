#include "laurel/credential.hpp"

#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"

namespace laurel {
namespace {

void set_if(Json& node, const char* key, const std::string& value) {
  if (!value.empty()) node.set(key, value);
}

Json image_node(const std::string& url) {
  return Json::object({{"id", url}, {"type", "Image"}});
}

// OB 3.0 §IdentifierTypeEnum: emailAddress is defined; others use the "ext:" extension form.
const char* identity_type(const std::string& recipient_type) {
  if (recipient_type == "email") return "emailAddress";
  if (recipient_type == "url") return "ext:url";
  if (recipient_type == "telephone") return "ext:telephone";
  return "identifier";
}

}  // namespace

Json open_badge_credential(const Assertion& assertion, const BadgeClass& badgeclass,
                           const Issuer& issuer, std::string_view base_url) {
  Json profile = Json::object({{"id", issuer_url(base_url, issuer.entity_id)},
                               {"type", Json::Array{Json("Profile")}},
                               {"name", issuer.name}});
  set_if(profile, "url", issuer.url);
  set_if(profile, "email", issuer.email);
  set_if(profile, "description", issuer.description);
  if (!issuer.image.empty()) profile.set("image", image_node(issuer.image));

  Json achievement = Json::object({{"id", badgeclass_url(base_url, badgeclass.entity_id)},
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

  const Recipient& recipient = assertion.recipient;
  Json identifier = Json::object({{"type", "IdentityObject"},
                                  {"hashed", recipient.hashed},
                                  {"identityHash", recipient.identity},
                                  {"identityType", identity_type(recipient.type)}});
  set_if(identifier, "salt", recipient.salt);
  Json subject = Json::object({{"type", Json::Array{Json("AchievementSubject")}},
                               {"identifier", Json::Array{std::move(identifier)}},
                               {"achievement", std::move(achievement)}});
  set_if(subject, "narrative", assertion.narrative);

  Json credential = Json::object(
      {{"@context", Json::Array{Json(kVcContextV2), Json(kOb3Context)}},
       {"id", assertion_url(base_url, assertion.entity_id)},
       {"type", Json::Array{Json("VerifiableCredential"), Json("OpenBadgeCredential")}},
       {"issuer", std::move(profile)},
       {"name", badgeclass.name},
       {"validFrom", assertion.issued_on},
       {"credentialSubject", std::move(subject)}});
  set_if(credential, "validUntil", assertion.expires);
  if (!assertion.evidence.empty()) {
    Json evidence = Json::array();
    for (const Evidence& item : assertion.evidence) {
      Json node = Json::object({{"type", Json::Array{Json("Evidence")}}});
      set_if(node, "id", item.url);
      set_if(node, "narrative", item.narrative);
      set_if(node, "name", item.name);
      set_if(node, "description", item.description);
      set_if(node, "genre", item.genre);
      set_if(node, "audience", item.audience);
      evidence.push_back(std::move(node));
    }
    credential.set("evidence", std::move(evidence));
  }
  return credential;
}

Result<std::string> sign_credential(const Json& credential, const KeyPair& key,
                                    std::string_view key_url) {
  if (key.algorithm() != KeyAlgorithm::EdDSA) {
    return invalid("key", "OB 3.0 credentials are signed with Ed25519 (EdDSA) keys");
  }
  const Json* issuer = credential.find("issuer");
  std::string issuer_id = issuer == nullptr     ? ""
                          : issuer->is_string() ? issuer->as_string()
                                                : issuer->get_string("id");
  auto valid_from = parse_datetime(credential.get_string("validFrom"));
  if (issuer_id.empty() || !valid_from) {
    return invalid("credential", "the credential needs an issuer id and a validFrom date");
  }
  // VC-JOSE (VCDM 2.0): the credential is the JWT claims set; the registered claims repeat what
  // it says so that JWT libraries check them too (RFC 7519 §4.1).
  Json claims = credential;
  claims.set("iss", issuer_id);
  claims.set("nbf", *valid_from);
  set_if(claims, "jti", credential.get_string("id"));
  if (auto valid_until = parse_datetime(credential.get_string("validUntil"))) {
    claims.set("exp", *valid_until);
  }
  Json header = Json::object({{"typ", "JWT"}, {"kid", std::string(key_url)}});
  return jws_sign(key, claims.dump(), header);
}

}  // namespace laurel
