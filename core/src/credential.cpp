#include "laurel/credential.hpp"

#include "laurel/ob3_documents.hpp"

#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"

namespace laurel {
namespace {

void set_if(Json& node, const char* key, const std::string& value) {
  if (!value.empty()) node.set(key, value);
}

// OB 3.0 §IdentifierTypeEnum: emailAddress is defined; others use the "ext:" extension form.
const char* identity_type(const std::string& recipient_type) {
  if (recipient_type == "email") return "emailAddress";
  if (recipient_type == "url") return "ext:url";
  if (recipient_type == "telephone") return "ext:telephone";
  return "identifier";
}

}  // namespace

Json credential_evidence(const std::vector<Evidence>& evidence) {
  Json nodes = Json::array();
  for (const Evidence& item : evidence) {
    Json node = evidence_node(item);
    node.set("type", Json::Array{Json("Evidence")});  // OB 3.0 §Evidence: type is required
    nodes.push_back(std::move(node));
  }
  return nodes;
}

Json open_badge_credential(const Assertion& assertion, const BadgeClass& badgeclass,
                           const Issuer& issuer, std::string_view base_url,
                           const CredentialOptions& options) {
  const std::string profile_id = options.issuer_id.empty()
                                     ? ob3_issuer_url(base_url, issuer.entity_id)
                                     : options.issuer_id;
  Json profile = options.profile ? *options.profile : ob3_profile_node(issuer, profile_id);
  Json achievement =
      options.achievement ? *options.achievement : ob3_achievement_node(badgeclass, base_url);

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
  // The subject's own id (VCDM 2.0 §4.8), which wallets and verifiers match and the JWT repeats
  // as "sub": the DID or URL the award named next to the identity, else a recipient named by a
  // DID or URL in the clear (type "id" or "url", not hashed).
  if (!recipient.subject_id.empty()) {
    subject.set("id", recipient.subject_id);
  } else if (!recipient.hashed && (recipient.type == "id" || recipient.type == "url")) {
    subject.set("id", recipient.identity);
  }

  Json credential = Json::object(
      {{"@context", Json::Array{Json(kVcContextV2), Json(kOb3Context)}},
       {"id", assertion_url(base_url, assertion.entity_id)},
       {"type", Json::Array{Json("VerifiableCredential"), Json("OpenBadgeCredential")}},
       {"issuer", std::move(profile)},
       {"name", badgeclass.name},
       {"validFrom", assertion.issued_on},
       {"credentialSubject", std::move(subject)}});
  set_if(credential, "validUntil", assertion.expires);
  if (!options.status.is_null()) credential.set("credentialStatus", options.status);
  if (!assertion.evidence.empty()) credential.set("evidence", credential_evidence(assertion.evidence));
  return credential;
}

Result<Json> vc_jwt_claims(Json credential) {
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
  Json claims = std::move(credential);
  claims.set("iss", issuer_id);
  claims.set("nbf", *valid_from);
  // Copies: a set() may move the members the found strings live in.
  set_if(claims, "jti", std::string(claims.get_string("id")));
  // VC-JOSE-COSE §3.1.2: "sub" repeats the subject's id when it has one.
  if (const Json* subject = claims.find("credentialSubject");
      subject != nullptr && subject->is_object()) {
    set_if(claims, "sub", std::string(subject->get_string("id")));
  }
  if (auto valid_until = parse_datetime(claims.get_string("validUntil"))) {
    claims.set("exp", *valid_until);
  }
  return claims;
}

Json vc_jwt_header(std::string_view key_url) {
  return Json::object({{"typ", "JWT"}, {"kid", std::string(key_url)}});
}

Result<std::string> sign_credential(Json credential, const KeyPair& key,
                                    std::string_view key_url) {
  auto claims = vc_jwt_claims(std::move(credential));
  if (!claims.ok()) return claims.error();
  return jws_sign(key, claims->dump(), vc_jwt_header(key_url));
}

std::optional<CredentialFormat> credential_format_from_name(std::string_view name) {
  if (name == "vc-jwt") return CredentialFormat::VcJwt;
  if (name == "data-integrity") return CredentialFormat::DataIntegrity;
  return std::nullopt;
}

}  // namespace laurel
