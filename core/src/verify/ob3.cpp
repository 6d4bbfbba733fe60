// Open Badges 3.0: an OpenBadgeCredential (VC Data Model 1.1 or 2.0), presented as a VC-JWT or
// with an embedded proof. One function per concern, run in the order the report lists them:
// context, type and fields, dates (and JWT claims), recipient, proof, summary.
#include <algorithm>

#include "laurel/credential.hpp"
#include "laurel/datetime.hpp"
#include "laurel/recipient.hpp"
#include "laurel/validate.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

namespace {
constexpr std::string_view kOb3ContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context";
}  // namespace

void Verifier::credential(const Json& vc, const Jws* jws, const Json* claims) {
  Credential credential(vc);
  if (!credential_context(credential) || !credential_fields(credential)) return;
  credential_dates(credential, claims);
  if (claims != nullptr) jwt_claims(credential, *claims);
  recipient_ob3(credential);
  if (jws == nullptr) {
    embedded_proof(credential);
  } else if (!jwt_signature(*jws, credential.issuer_id)) {
    return;  // the key could not be trusted: nothing more to say about this credential
  }
  credential_status(credential);
  credential_summary(credential, jws != nullptr);
}

// Context (VCDM 2.0 §4.3, OB 3.0 §JSON-LD): the VC context first, then an OB 3.0 context.
bool Verifier::credential_context(Credential& credential) {
  std::vector<std::string> contexts = string_list(credential.vc.find("@context"));
  bool v2 = !contexts.empty() && contexts.front() == kVcContextV2;
  bool v1 = !contexts.empty() && contexts.front() == kVcContextV1;
  auto ob3 = std::find_if(contexts.begin(), contexts.end(), [](const std::string& url) {
    return url.rfind(kOb3ContextPrefix, 0) == 0;
  });
  if (!check("context", (v1 || v2) && ob3 != contexts.end(),
             (v1 || v2) && ob3 != contexts.end()
                 ? "Verifiable Credentials and Open Badges 3.0 contexts"
                 : "@context must start with the VC context and include the OB 3.0 context")) {
    return false;
  }
  if (v1) warn("the credential uses the VC Data Model 1.1 context; OB 3.0 now uses VCDM 2.0");
  if (*ob3 != kOb3Context) warn("the credential uses an older OB 3.0 context: " + *ob3);
  credential.v2 = v2;
  credential.from_name = v2 ? "validFrom" : "issuanceDate";
  credential.until_name = v2 ? "validUntil" : "expirationDate";
  return true;
}

// Type and fields (OB 3.0 §OpenBadgeCredential, §AchievementSubject, §Achievement).
bool Verifier::credential_fields(Credential& credential) {
  const Json& vc = credential.vc;
  std::vector<std::string> types = string_list(vc.find("type"));
  bool typed = contains(types, "VerifiableCredential") &&
               (contains(types, "OpenBadgeCredential") || contains(types, "AchievementCredential"));
  if (!check("type", typed,
             typed ? "OpenBadgeCredential"
                   : "type must include VerifiableCredential and OpenBadgeCredential")) {
    return false;
  }

  std::vector<std::string> problems;
  const Json* issuer = vc.find("issuer");
  credential.issuer = issuer;
  credential.issuer_id = node_id(issuer);
  if (!is_iri(credential.issuer_id))
    problems.push_back("issuer must be an IRI or a Profile with an id");
  if (issuer != nullptr && issuer->is_object() &&
      !contains(string_list(issuer->find("type")), "Profile")) {
    problems.push_back("issuer must be typed Profile");
  }
  if (!is_iri(vc.get_string("id")) && vc.find("id") != nullptr)
    problems.push_back("id must be an IRI");
  if (!is_datetime(vc.find(credential.from_name)))
    problems.push_back(std::string(credential.from_name) + " must be an ISO 8601 date-time");
  const Json* until = vc.find(credential.until_name);
  if (until != nullptr && !is_datetime(until))
    problems.push_back(std::string(credential.until_name) + " must be an ISO 8601 date-time");
  const Json* subject = vc.find("credentialSubject");
  if (subject != nullptr && subject->is_array() && !subject->as_array().empty())
    subject = &subject->as_array().front();
  const Json* achievement = nullptr;
  if (subject == nullptr || !subject->is_object()) {
    problems.push_back("credentialSubject must be an object");
  } else {
    if (!contains(string_list(subject->find("type")), "AchievementSubject")) {
      problems.push_back("credentialSubject must be typed AchievementSubject");
    }
    achievement = subject->find("achievement");
    if (achievement == nullptr || !achievement->is_object()) {
      problems.push_back("credentialSubject.achievement must be an Achievement");
      achievement = nullptr;
    } else {
      if (!contains(string_list(achievement->find("type")), "Achievement"))
        problems.push_back("achievement must be typed Achievement");
      if (!is_iri(achievement->get_string("id")))
        problems.push_back("achievement.id must be an IRI");
      if (achievement->get_string("name").empty())
        problems.push_back("achievement.name is required");
      if (achievement->find("description") == nullptr)
        problems.push_back("achievement.description is required");
      if (achievement->find("criteria") == nullptr || !achievement->find("criteria")->is_object()) {
        problems.push_back("achievement.criteria is required");
      }
    }
  }
  credential.subject = subject;
  credential.achievement = achievement;
  return check("fields", problems.empty(),
               problems.empty() ? "OpenBadgeCredential fields and types" : join(problems));
}

// Dates, and the JWT claims that must agree with them (VC-JWT, RFC 7519 §4.1).
void Verifier::credential_dates(const Credential& credential, const Json* claims) {
  const Json& vc = credential.vc;
  std::int64_t issued = *parse_datetime(vc.get_string(credential.from_name));
  if (claims != nullptr && claims->find("nbf") && claims->find("nbf")->is_number()) {
    issued = std::max(issued, claims->find("nbf")->as_int());
  }
  check("issued", issued <= now_ + kClockSkewSeconds,
        issued <= now_ + kClockSkewSeconds ? "valid from " + format_datetime(issued)
                                           : "not valid before " + format_datetime(issued));
  std::optional<std::int64_t> expires;
  const Json* until = vc.find(credential.until_name);
  if (until != nullptr) expires = parse_datetime(until->as_string());
  if (claims != nullptr && claims->find("exp") && claims->find("exp")->is_number()) {
    std::int64_t exp = claims->find("exp")->as_int();
    expires = expires ? std::min(*expires, exp) : exp;
  }
  if (expires) {
    check("expiry", *expires > now_,
          *expires > now_ ? "valid until " + format_datetime(*expires)
                          : "expired " + format_datetime(*expires));
  }
}

void Verifier::jwt_claims(const Credential& credential, const Json& claims) {
  const Json& vc = credential.vc;
  const Json* subject = credential.subject;
  std::vector<std::string> mismatches;
  if (claims.find("iss") && claims.get_string("iss") != credential.issuer_id)
    mismatches.push_back("iss is not the issuer");
  if (claims.find("jti") && vc.find("id") && claims.get_string("jti") != vc.get_string("id")) {
    mismatches.push_back("jti is not the credential id");
  }
  if (claims.find("sub") && subject && subject->find("id") &&
      claims.get_string("sub") != subject->get_string("id")) {
    mismatches.push_back("sub is not the credentialSubject id");
  }
  check("credential", mismatches.empty(),
        mismatches.empty() ? "JWT claims agree with the credential" : join(mismatches));
}

// Recipient: the IdentityObjects of credentialSubject.identifier.
void Verifier::recipient_ob3(const Credential& credential) {
  const Json* subject = credential.subject;
  if (options_.recipient.empty() || subject == nullptr) return;
  bool match = false;
  const Json* identifiers = subject->find("identifier");
  std::vector<const Json*> items;
  if (identifiers != nullptr && identifiers->is_array()) {
    for (const Json& item : identifiers->as_array()) items.push_back(&item);
  } else if (identifiers != nullptr) {
    items.push_back(identifiers);
  }
  for (const Json* item : items) {
    if (!item->is_object()) continue;
    std::string type = options_.recipient_type;
    if (type.empty()) type = item->get_string("identityType") == "emailAddress" ? "email" : "id";
    match = match || identity_matches(options_.recipient, item->get_string("identityHash"),
                                      item->get_string("salt"), type);
  }
  const std::string& subject_id = subject->get_string("id");
  if (!match && !subject_id.empty() &&
      (subject_id == "mailto:" + options_.recipient || subject_id == options_.recipient)) {
    match = true;  // a recipient named by its DID or URL (or a mailto: URI)
  }
  report_.recipient_match = match;
  check("recipient", match,
        match ? "the credential was awarded to " + options_.recipient
              : "the credential was not awarded to the given recipient");
}

void Verifier::credential_summary(const Credential& credential, bool signed_as_jwt) {
  const Json& vc = credential.vc;
  const Json* achievement = credential.achievement;
  Json summary = Json::object({{"version", "3.0"},
                               {"type", "OpenBadgeCredential"},
                               {"id", vc.get_string("id")},
                               {"validFrom", vc.get_string(credential.from_name)}});
  if (const Json* until = vc.find(credential.until_name)) summary.set("validUntil", *until);
  if (achievement != nullptr) {
    summary.set("badgeclass", achievement->get_string("id"));
    summary.set("name", achievement->get_string("name"));
    if (achievement->find("description"))
      summary.set("description", *achievement->find("description"));
    std::string image = node_id(achievement->find("image"));
    if (!image.empty()) summary.set("image", image);
  }
  Json issuer_summary = Json::object({{"id", credential.issuer_id}});
  const Json* issuer = credential.issuer;
  if (issuer != nullptr && issuer->is_object() && !issuer->get_string("name").empty()) {
    issuer_summary.set("name", issuer->get_string("name"));
  }
  summary.set("issuer", std::move(issuer_summary));
  summary.set("verification", signed_as_jwt ? "signed" : "embedded");
  report_.badge = std::move(summary);
}

}  // namespace laurel::verifier
