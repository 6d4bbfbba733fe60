// Open Badges 2.0: the rules of the 2.0 specification (§Assertion, §BadgeClass, §Profile,
// §VerificationObject, §SignedBadge, §RevocationList, §Extensions) over hosted documents and
// JWSs.
#include <algorithm>
#include <array>

#include "laurel/credential.hpp"
#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/recipient.hpp"
#include "laurel/validate.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

namespace {

// OB 2.0 §JSON-LD: the context, by URL or inlined (the 1EdTech tests inline the v2 context).
constexpr std::string_view kOb2ContextAlternate = "https://openbadgespec.org/v2/context.json";
constexpr std::string_view kObiNamespace = "https://w3id.org/openbadges#";

// OB 2.0 vocabulary classes (the v2 context's terms) a "type" may name without a prefix.
constexpr std::array<std::string_view, 21> kOb2Classes = {"Assertion",
                                                          "BadgeClass",
                                                          "Issuer",
                                                          "Profile",
                                                          "CryptographicKey",
                                                          "RevocationList",
                                                          "Endorsement",
                                                          "AlignmentObject",
                                                          "Criteria",
                                                          "Evidence",
                                                          "Image",
                                                          "IdentityObject",
                                                          "VerificationObject",
                                                          "Extension",
                                                          "HostedBadge",
                                                          "SignedBadge",
                                                          "hosted",
                                                          "signed",
                                                          "TypeValidation",
                                                          "FrameValidation",
                                                          "Organization"};

constexpr std::string_view kRecipientTypes[] = {"email", "url", "telephone", "id"};

}  // namespace

bool Verifier::ob2_context(const Json& node, std::string_view name, bool required) {
  const Json* context = node.find("@context");
  if (context == nullptr) {
    if (required) return check("context", false, std::string(name) + " has no @context");
    return true;
  }
  auto acceptable = [](const Json& item) {
    if (item.is_string()) {
      return item.as_string() == kOb2Context || item.as_string() == kOb2ContextAlternate;
    }
    return item.is_object() && item.get_string("obi") == kObiNamespace;
  };
  bool ok = acceptable(*context);
  if (context->is_array()) {
    for (const Json& item : context->as_array()) ok = ok || acceptable(item);
  }
  if (!ok) {
    return check("context", false,
                 std::string(name) + " @context is not the Open Badges 2.0 context " +
                     std::string(kOb2Context));
  }
  if (required) check("context", true, "Open Badges 2.0 context");
  return true;
}

std::optional<std::vector<std::string>> Verifier::ob2_types(const Json& node,
                                                            std::string_view name) {
  const Json* type = node.find("type");
  if (type == nullptr) {
    check("type", false, std::string(name) + " has no type");
    return std::nullopt;
  }
  std::vector<std::string> types;
  if (type->is_string()) {
    types.push_back(type->as_string());
  } else if (type->is_array()) {
    for (const Json& item : type->as_array()) {
      if (!item.is_string()) {
        check("type", false, std::string(name) + " type entries must be strings");
        return std::nullopt;
      }
      types.push_back(item.as_string());
    }
  } else {
    check("type", false, std::string(name) + " type must be a string or an array of strings");
    return std::nullopt;
  }
  if (types.empty()) {
    check("type", false, std::string(name) + " type is empty");
    return std::nullopt;
  }
  for (const std::string& each : types) {
    bool known = std::find(kOb2Classes.begin(), kOb2Classes.end(), each) != kOb2Classes.end();
    // Anything else must be an IRI (absolute or compact, e.g. "extensions:ApplyLink"): a bare
    // unknown term has no meaning under the context (OB 2.0 §Data Validation, RDF type check).
    if (!known && !is_iri(each)) {
      check("type", false,
            std::string(name) + " type \"" + each + "\" is not an Open Badges class or an IRI");
      return std::nullopt;
    }
  }
  return types;
}

bool Verifier::assertion_fields(const Json& assertion) {
  std::vector<std::string> problems;
  if (!is_iri(assertion.get_string("id"))) problems.push_back("id must be an IRI");
  const Json* recipient = assertion.find("recipient");
  if (recipient == nullptr || !recipient->is_object()) {
    problems.push_back("recipient must be an IdentityObject");
  } else {
    const Json* type = recipient->find("type");
    const Json* identity = recipient->find("identity");
    const Json* hashed = recipient->find("hashed");
    const Json* salt = recipient->find("salt");
    if (type == nullptr || !type->is_string() ||
        std::find(std::begin(kRecipientTypes), std::end(kRecipientTypes), type->as_string()) ==
            std::end(kRecipientTypes)) {
      problems.push_back("recipient.type must be email, url, telephone or id");
    }
    if (identity == nullptr || !identity->is_string() || identity->as_string().empty()) {
      problems.push_back("recipient.identity must be a string");
    }
    if (hashed != nullptr && !hashed->is_bool())
      problems.push_back("recipient.hashed must be a boolean");
    if (salt != nullptr && !salt->is_string() && !salt->is_null())
      problems.push_back("recipient.salt must be a string");
  }
  const Json* badge = assertion.find("badge");
  if (badge == nullptr || !is_iri(node_id(badge)))
    problems.push_back("badge must be an IRI or a BadgeClass");
  const Json* verification = assertion.find("verification");
  if (verification == nullptr || !verification->is_object() || !verification->find("type") ||
      !verification->find("type")->is_string()) {
    problems.push_back("verification must be an object with a type");
  }
  if (!is_datetime(assertion.find("issuedOn")))
    problems.push_back("issuedOn must be an ISO 8601 date-time");
  const Json* expires = assertion.find("expires");
  if (expires != nullptr && !is_datetime(expires))
    problems.push_back("expires must be an ISO 8601 date-time");
  if (const Json* image = assertion.find("image")) {
    std::string url = node_id(image);
    if (is_data_uri(url) || url.rfind("data:", 0) == 0) {
      // OB 2.0 §Assertion: the image is the baked badge at a URL (the 1EdTech validator refuses
      // data: URIs here, unlike on a BadgeClass).
      problems.push_back("image of an Assertion must be a URL, not a data: URI");
    } else if (!is_iri(url)) {
      problems.push_back("image must be an IRI or an Image");
    }
  }
  if (const Json* evidence = assertion.find("evidence")) {
    auto evidence_ok = [](const Json& item) {
      if (item.is_string()) return is_iri(item.as_string());
      if (!item.is_object()) return false;
      const Json* narrative = item.find("narrative");
      return (narrative == nullptr || narrative->is_string()) &&
             (item.find("id") == nullptr || item.find("id")->is_string());
    };
    bool ok = evidence->is_array() ? std::all_of(evidence->as_array().begin(),
                                                 evidence->as_array().end(), evidence_ok)
                                   : evidence_ok(*evidence);
    if (!ok) problems.push_back("evidence must be IRIs or Evidence nodes");
  }
  const Json* narrative = assertion.find("narrative");
  if (narrative != nullptr && !narrative->is_string()) problems.push_back("narrative must be text");
  const Json* revoked = assertion.find("revoked");
  if (revoked != nullptr && !revoked->is_bool()) problems.push_back("revoked must be a boolean");
  std::string message = join(problems);
  return check("fields", problems.empty(),
               problems.empty() ? "Assertion fields and types" : message);
}

bool Verifier::badgeclass_fields(const Json& badgeclass, std::string_view name) {
  std::vector<std::string> problems;
  if (!is_iri(badgeclass.get_string("id"))) problems.push_back("id must be an IRI");
  const Json* badge_name = badgeclass.find("name");
  if (badge_name == nullptr || !badge_name->is_string() || badge_name->as_string().empty()) {
    problems.push_back("name is required text");
  }
  const Json* description = badgeclass.find("description");
  if (description == nullptr || !description->is_string())
    problems.push_back("description is required text");
  const Json* criteria = badgeclass.find("criteria");
  if (criteria == nullptr) {
    problems.push_back("criteria is required");
  } else if (criteria->is_string() ? !is_iri(criteria->as_string()) : !criteria->is_object()) {
    problems.push_back("criteria must be an IRI or a Criteria node");
  }
  const Json* issuer = badgeclass.find("issuer");
  if (issuer == nullptr || !is_iri(node_id(issuer)))
    problems.push_back("issuer must be an IRI or a Profile");
  if (const Json* image = badgeclass.find("image")) {
    std::string url = node_id(image);
    if (!is_iri(url)) problems.push_back("image must be a URL, a data: URI or an Image");
  }
  if (const Json* alignment = badgeclass.find("alignment")) {
    auto alignment_ok = [](const Json& item) {
      return item.is_object() && item.find("targetName") && item.find("targetName")->is_string() &&
             is_iri(item.get_string("targetUrl"));
    };
    bool ok = alignment->is_array() ? std::all_of(alignment->as_array().begin(),
                                                  alignment->as_array().end(), alignment_ok)
                                    : alignment_ok(*alignment);
    if (!ok) problems.push_back("alignment entries need targetName and a targetUrl IRI");
  }
  if (const Json* tags = badgeclass.find("tags")) {
    bool ok = tags->is_string() ||
              (tags->is_array() && std::all_of(tags->as_array().begin(), tags->as_array().end(),
                                               [](const Json& tag) { return tag.is_string(); }));
    if (!ok) problems.push_back("tags must be text");
  }
  std::string message = join(problems);
  return check(name, problems.empty(),
               problems.empty() ? "BadgeClass " + badgeclass.get_string("id") : message);
}

bool Verifier::profile_fields(const Json& profile, std::string_view name) {
  std::vector<std::string> problems;
  if (!is_iri(profile.get_string("id"))) problems.push_back("id must be an IRI");
  const Json* profile_name = profile.find("name");
  if (profile_name == nullptr || !profile_name->is_string() || profile_name->as_string().empty()) {
    problems.push_back("name is required text");
  }
  const Json* url = profile.find("url");
  if (url != nullptr && !(url->is_string() && is_iri(url->as_string())))
    problems.push_back("url must be an IRI");
  const Json* email = profile.find("email");
  if (email != nullptr && !(email->is_string() && is_email(email->as_string()))) {
    problems.push_back("email must be an email address");
  }
  const Json* verification = profile.find("verification");
  if (verification != nullptr && !verification->is_object()) {
    problems.push_back("verification must be a VerificationObject");
  }
  std::string message = join(problems);
  bool ok = check(name, problems.empty(),
                  problems.empty() ? "Profile " + profile.get_string("id") : message);
  if (ok && !is_http_url(profile.get_string("id"))) {
    warn("Issuer Profile " + profile.get_string("id") +
         " is not hosted at an HTTP(S) identifier; many platforms can only handle HTTP(S) issuers");
  }
  return ok;
}

bool Verifier::class_fields(const Json& node, const std::vector<std::string>& types,
                            std::string_view name) {
  auto has = [&](std::string_view type) { return contains(types, type); };
  if (has("Assertion")) return assertion_fields(node);
  if (has("BadgeClass")) return badgeclass_fields(node, name);
  if (has("Issuer") || has("Profile")) return profile_fields(node, name);
  if (has("AlignmentObject")) {
    bool ok = node.find("targetName") && node.find("targetName")->is_string() &&
              is_iri(node.get_string("targetUrl"));
    return check(name, ok,
                 ok ? "AlignmentObject" : "AlignmentObject needs targetName and a targetUrl IRI");
  }
  if (has("CryptographicKey")) {
    bool ok = is_iri(node.get_string("owner")) && !node.get_string("publicKeyPem").empty();
    return check(name, ok,
                 ok ? "CryptographicKey" : "CryptographicKey needs owner and publicKeyPem");
  }
  if (has("RevocationList")) {
    const Json* revoked = node.find("revokedAssertions");
    bool ok = revoked == nullptr || revoked->is_array();
    return check(name, ok, ok ? "RevocationList" : "revokedAssertions must be an array");
  }
  if (has("Endorsement")) {
    const Json* claim = node.find("claim");
    bool ok = claim != nullptr && claim->is_object() && is_iri(claim->get_string("id")) &&
              is_iri(node_id(node.find("issuer"))) && is_datetime(node.find("issuedOn"));
    return check(name, ok, ok ? "Endorsement" : "Endorsement needs claim.id, issuer and issuedOn");
  }
  return check(name, true, "no rules for type " + types.front());
}

// Extensions (OB 2.0 §Extensions): nodes typed "Extension". Unknown extensions pass; the
// published example extension's schema (exampleProperty / schema:text is text) is enforced.
void Verifier::extensions(const Json& node) {
  std::vector<std::string> problems;
  std::size_t count = 0;
  for (const auto& [key, value] : node.as_object()) {
    if (key.rfind("extensions:", 0) != 0) continue;
    ++count;
    if (!value.is_object()) {
      problems.push_back(key + " must be a node");
      continue;
    }
    std::vector<std::string> types = string_list(value.find("type"));
    if (!contains(types, "Extension")) problems.push_back(key + " is not typed Extension");
    bool example = std::any_of(types.begin(), types.end(), [](const std::string& type) {
      return type.size() >= 16 && type.compare(type.size() - 16, 16, "ExampleExtension") == 0;
    });
    if (example) {
      for (const char* property : {"exampleProperty", "http://schema.org/text"}) {
        const Json* text = value.find(property);
        if (text != nullptr && !text->is_string())
          problems.push_back(key + " " + property + " must be text");
      }
    }
  }
  if (count == 0) return;
  std::string message = join(problems);
  check("extensions", problems.empty(),
        problems.empty() ? std::to_string(count) + " extension(s)" : message);
}

const Json* Verifier::badgeclass_of(const Json& assertion) {
  const Json* badge = assertion.find("badge");
  if (badge == nullptr) return nullptr;
  if (badge->is_object()) {
    if (!ob2_context(*badge, "BadgeClass", false)) return nullptr;
    auto types = ob2_types(*badge, "BadgeClass");
    if (!types) return nullptr;
    if (!contains(*types, "BadgeClass")) {
      check("badgeclass", false, "badge is not a BadgeClass");
      return nullptr;
    }
    return badgeclass_fields(*badge, "badgeclass") ? badge : nullptr;
  }
  std::string url = node_id(badge);
  const Json* document = fetch(url, "BadgeClass");
  if (document == nullptr) {
    if (!supplied(url)) {
      need(url);
      check("badgeclass", false, "BadgeClass document " + url + " was not supplied");
    }
    return nullptr;
  }
  if (!ob2_context(*document, "BadgeClass", false)) return nullptr;
  auto types = ob2_types(*document, "BadgeClass");
  if (!types) return nullptr;
  if (!contains(*types, "BadgeClass")) {
    check("badgeclass", false, url + " is not a BadgeClass");
    return nullptr;
  }
  return badgeclass_fields(*document, "badgeclass") ? document : nullptr;
}

const Json* Verifier::issuer_of(const Json& badgeclass, std::string_view name) {
  const Json* issuer = badgeclass.find("issuer");
  if (issuer == nullptr) return nullptr;
  const Json* document = issuer;
  std::string url = node_id(issuer);
  if (issuer->is_string()) {
    document = fetch(url, "Issuer");
    if (document == nullptr) {
      if (!supplied(url)) {
        need(url);
        check(name, false, "Issuer document " + url + " was not supplied");
      }
      return nullptr;
    }
  }
  if (!ob2_context(*document, "Issuer", false)) return nullptr;
  auto types = ob2_types(*document, "Issuer");
  if (!types) return nullptr;
  if (!contains(*types, "Issuer") && !contains(*types, "Profile")) {
    check(name, false, url + " is not an Issuer Profile");
    return nullptr;
  }
  return profile_fields(*document, name) ? document : nullptr;
}

void Verifier::endorsements(const Json* endorsement) {
  for (const std::string& url : string_list(endorsement)) {
    const Json* document = fetch(url, "Endorsement");
    if (document == nullptr) {
      if (!supplied(url)) {
        need(url);
        warn("Endorsement " + url + " was not supplied; not checked");
      }
      continue;
    }
    auto types = ob2_types(*document, "Endorsement");
    if (!types) continue;
    class_fields(*document, *types, "endorsements");
  }
}

void Verifier::hosted_rules(const Json& assertion, const Json& issuer) {
  const std::string& id = assertion.get_string("id");
  if (!is_http_url(id)) {
    check("hosted", false, "a hosted assertion's id must be its HTTP(S) URL, not " + id);
    return;
  }
  // OB 2.0 §VerificationObject: the issuer's policy, by default its own origin.
  const Json* policy = issuer.find("verification");
  if (policy != nullptr && policy->is_object()) {
    std::vector<std::string> starts_with = string_list(policy->find("startsWith"));
    if (policy->find("startsWith") != nullptr &&
        std::none_of(starts_with.begin(), starts_with.end(),
                     [&](const std::string& prefix) { return id.rfind(prefix, 0) == 0; })) {
      check("hosted", false,
            "assertion id " + id +
                " does not start with any permitted prefix of the issuer's verification policy");
      return;
    }
  }
  const std::string& issuer_id = issuer.get_string("id");
  std::vector<std::string> allowed;
  if (policy != nullptr && policy->is_object() && policy->find("allowedOrigins") != nullptr) {
    allowed = string_list(policy->find("allowedOrigins"));
  } else if (!authority_of(issuer_id).empty()) {
    allowed.emplace_back(authority_of(issuer_id));
  }
  if (allowed.empty() || !is_http_url(issuer_id)) {
    warn("Issuer " + issuer_id +
         " has no HTTP domain to enforce the hosted verification policy against");
    check("hosted", true, "not enforceable: the issuer has no HTTP domain");
  } else if (!contains(allowed, authority_of(id))) {
    check("hosted", false,
          "assertion " + id + " is not hosted in the allowed origins of its issuer");
    return;
  } else {
    check("hosted", true,
          "hosted at " + std::string(authority_of(id)) + ", an origin the issuer allows");
  }
  // The hosted copy, when the caller fetched it, is authoritative (a revoked badge may still be
  // baked into an old image).
  if (const Json* hosted = fetch(id, "Assertion")) {
    const Json* revoked = hosted->find("revoked");
    if (revoked != nullptr && revoked->is_bool() && revoked->as_bool()) {
      check("revocation", false,
            "the hosted assertion is revoked: " + hosted->get_string("revocationReason"));
    } else if (*hosted != assertion) {
      check("hosted", false, "the hosted copy at " + id + " differs from the presented assertion");
    }
  }
}

void Verifier::signed_rules(const Json& assertion, const Jws& jws, const Json* issuer) {
  const Json* verification = assertion.find("verification");
  std::string creator = verification ? verification->get_string("creator") : "";
  if (creator.empty()) {
    check("key", false, "a signed assertion needs verification.creator, the key's URL");
    return;
  }
  const Json* key_document = fetch(creator, "CryptographicKey");
  if (key_document == nullptr) {
    if (!supplied(creator)) {
      need(creator);
      check("key", false, "CryptographicKey " + creator + " was not supplied");
    }
    return;
  }
  auto key = key_from_document(*key_document);
  if (!key.ok()) {
    check("key", false, "CryptographicKey " + creator + ": " + key.error().message);
    return;
  }
  bool verified = jws_verify(jws, key.value());
  if (!check("signature", verified,
             verified ? std::string(algorithm_name(key->algorithm)) + " signature by " + creator
                      : "the signature does not verify with " + creator)) {
    return;
  }
  if (issuer == nullptr) return;
  // OB 2.0 §SignedBadge: the key's owner is the issuer, and the issuer lists the key.
  const std::string& issuer_id = issuer->get_string("id");
  const std::string& owner = key_document->get_string("owner");
  if (owner != issuer_id) {
    check("key", false,
          "key " + creator + " is owned by " + owner + ", not by the issuer " + issuer_id);
    return;
  }
  std::vector<std::string> listed = node_ids(issuer->find("publicKey"));
  check("key", contains(listed, creator),
        contains(listed, creator)
            ? "key owned and listed by the issuer"
            : "the issuer " + issuer_id + " does not list the key " + creator);
}

void Verifier::revocation(const Json& assertion, const Json* issuer) {
  const Json* revoked = assertion.find("revoked");
  if (revoked != nullptr && revoked->is_bool() && revoked->as_bool()) {
    check("revocation", false,
          "the assertion is revoked: " + assertion.get_string("revocationReason"));
    return;
  }
  if (issuer == nullptr) return;
  std::string list_url = node_id(issuer->find("revocationList"));
  if (list_url.empty()) {
    check("revocation", true, "not revoked (the issuer publishes no revocation list)");
    return;
  }
  const Json* list = fetch(list_url, "RevocationList");
  if (list == nullptr) {
    if (!supplied(list_url)) {
      need(list_url);
      check("revocation", false, "the issuer's RevocationList " + list_url + " was not supplied");
    }
    return;
  }
  const Json* entries = list->find("revokedAssertions");
  const std::string& id = assertion.get_string("id");
  const std::string& uid = assertion.get_string("uid");
  std::vector<const Json*> items;
  if (entries != nullptr && entries->is_array()) {
    for (const Json& entry : entries->as_array()) items.push_back(&entry);
  } else if (entries != nullptr) {
    items.push_back(entries);  // a one-entry list may be written without the array
  }
  for (const Json* entry : items) {
    bool hit = entry->is_string()
                   ? entry->as_string() == id
                   : entry->is_object() && ((!id.empty() && entry->get_string("id") == id) ||
                                            (!uid.empty() && entry->get_string("uid") == uid));
    if (hit) {
      std::string reason = entry->is_object() ? entry->get_string("revocationReason") : "";
      check("revocation", false, "revoked in " + list_url + (reason.empty() ? "" : ": " + reason));
      return;
    }
  }
  check("revocation", true, "not in the issuer's revocation list");
}

void Verifier::recipient_ob2(const Json& assertion) {
  if (options_.recipient.empty()) return;
  const Json* recipient = assertion.find("recipient");
  if (recipient == nullptr || !recipient->is_object()) return;
  std::string type =
      options_.recipient_type.empty() ? recipient->get_string("type") : options_.recipient_type;
  std::string salt = recipient->get_string("salt");
  const std::string& identity = recipient->get_string("identity");
  bool match = identity_matches(options_.recipient, identity, salt, type);
  report_.recipient_match = match;
  check("recipient", match,
        match ? "the badge was awarded to " + options_.recipient
              : "the badge was not awarded to the given recipient");
}

// Dates (OB 2.0 §Assertion): issued in the past, not expired, not expiring before issue.
void Verifier::assertion_dates(const Json& assertion) {
  std::int64_t issued = *parse_datetime(assertion.get_string("issuedOn"));
  check("issued", issued <= now_ + kClockSkewSeconds,
        issued <= now_ + kClockSkewSeconds
            ? "issued " + format_datetime(issued)
            : "issued in the future (" + format_datetime(issued) + ")");
  if (const Json* expires_value = assertion.find("expires")) {
    std::int64_t expires = *parse_datetime(expires_value->as_string());
    if (expires < issued) {
      check("expiry", false, "expires (" + format_datetime(expires) + ") before it was issued");
    } else {
      check("expiry", expires > now_,
            expires > now_ ? "expires " + format_datetime(expires)
                           : "expired " + format_datetime(expires));
    }
  }
}

void Verifier::assertion(const Json& assertion, const Jws* jws) {
  if (!assertion_fields(assertion)) return;
  extensions(assertion);
  const Json* verification = assertion.find("verification");
  std::string verification_type = verification->get_string("type");
  bool is_signed = verification_type == "signed" || verification_type == "SignedBadge";
  bool is_hosted = verification_type == "hosted" || verification_type == "HostedBadge";
  if (!is_signed && !is_hosted) {
    check("fields", false, "verification.type must be hosted or signed, not " + verification_type);
    return;
  }
  if (is_signed && jws == nullptr) {
    check("signature", false, "a signed assertion must be presented as its JWS, not as bare JSON");
  }
  if (is_hosted && jws != nullptr) {
    check("signature", false, "the JWS payload declares hosted verification");
  }

  assertion_dates(assertion);
  recipient_ob2(assertion);

  const Json* badgeclass = badgeclass_of(assertion);
  const Json* issuer = badgeclass ? issuer_of(*badgeclass, "issuer") : nullptr;
  if (badgeclass != nullptr) {
    extensions(*badgeclass);
    endorsements(badgeclass->find("endorsement"));
  }
  endorsements(assertion.find("endorsement"));
  if (issuer != nullptr && is_hosted) hosted_rules(assertion, *issuer);
  if (is_signed && jws != nullptr) signed_rules(assertion, *jws, issuer);
  revocation(assertion, issuer);

  assertion_summary(assertion, badgeclass, issuer, is_signed);
}

void Verifier::assertion_summary(const Json& assertion, const Json* badgeclass,
                                 const Json* issuer, bool is_signed) {
  // Built member by member with moves: Json::object's initializer list would copy every value.
  Json summary = Json::object();
  summary.set("version", "2.0");
  summary.set("type", "Assertion");
  summary.set("id", assertion.get_string("id"));
  summary.set("issuedOn", assertion.get_string("issuedOn"));
  summary.set("verification", is_signed ? "signed" : "hosted");
  if (const Json* expires = assertion.find("expires")) summary.set("expires", *expires);
  if (const Json* recipient = assertion.find("recipient")) summary.set("recipient", *recipient);
  const Json* revoked = assertion.find("revoked");
  summary.set("revoked", revoked != nullptr && revoked->is_bool() && revoked->as_bool());
  if (badgeclass != nullptr) {
    summary.set("badgeclass", badgeclass->get_string("id"));
    summary.set("name", badgeclass->get_string("name"));
    summary.set("description", badgeclass->get_string("description"));
    std::string image = node_id(badgeclass->find("image"));
    if (!image.empty()) summary.set("image", image);
  }
  if (issuer != nullptr) {
    Json issuer_summary = Json::object();
    issuer_summary.set("id", issuer->get_string("id"));
    issuer_summary.set("name", issuer->get_string("name"));
    if (!issuer->get_string("url").empty()) issuer_summary.set("url", issuer->get_string("url"));
    summary.set("issuer", std::move(issuer_summary));
  }
  report_.badge = std::move(summary);
}

void Verifier::ob2_document(const Json& node) {
  if (node.find("@context") == nullptr &&
      (node.find("uid") != nullptr || node.find("verify") != nullptr)) {
    check("context", false,
          "an Open Badges 1.x assertion (no @context); Laurel verifies Open Badges 2.0 and 3.0");
    return;
  }
  if (!ob2_context(node, "the document", true)) return;
  auto types = ob2_types(node, "the document");
  if (!types) return;
  check("type", true, "type " + types->front());
  if (contains(*types, "Assertion")) {
    assertion(node, nullptr);
    return;
  }
  bool ok = class_fields(node, *types, "fields");
  if (!ok) return;
  extensions(node);
  Json summary =
      Json::object({{"version", "2.0"}, {"type", types->front()}, {"id", node.get_string("id")}});
  if (!node.get_string("name").empty()) summary.set("name", node.get_string("name"));
  if (contains(*types, "BadgeClass")) {
    // A badge class is only as good as its issuer.
    if (const Json* issuer = issuer_of(node, "issuer")) {
      summary.set("issuer", Json::object({{"id", issuer->get_string("id")},
                                          {"name", issuer->get_string("name")}}));
    }
    endorsements(node.find("endorsement"));
  }
  report_.badge = std::move(summary);
}

void Verifier::ob2_jws(const Json& payload, const Jws& jws) {
  if (!ob2_context(payload, "the JWS payload", true)) return;
  auto types = ob2_types(payload, "the JWS payload");
  if (!types) return;
  bool carries_assertion = contains(*types, "Assertion");
  if (!check("type", carries_assertion,
             carries_assertion ? "type Assertion" : "a JWS must carry an Assertion")) {
    return;
  }
  assertion(payload, &jws);
}

}  // namespace laurel::verifier
