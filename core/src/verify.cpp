#include "laurel/verify.hpp"

#include <algorithm>
#include <array>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "laurel/recipient.hpp"
#include "laurel/validate.hpp"

namespace laurel {

Json Report::to_json() const {
  Json out = Json::object();
  out.set("valid", valid);
  Json check_list = Json::array();
  for (const Check& check : checks) {
    check_list.push_back(
        Json::object({{"name", check.name}, {"ok", check.ok}, {"message", check.message}}));
  }
  out.set("checks", std::move(check_list));
  Json error_list = Json::array();
  for (const std::string& error : errors) error_list.push_back(error);
  out.set("errors", std::move(error_list));
  Json warning_list = Json::array();
  for (const std::string& warning : warnings) warning_list.push_back(warning);
  out.set("warnings", std::move(warning_list));
  out.set("badge", badge);
  out.set("recipientMatch", recipient_match ? Json(*recipient_match) : Json());
  return out;
}

namespace {

// OB 2.0 §JSON-LD: the context, by URL or inlined (the 1EdTech tests inline the v2 context).
constexpr std::string_view kOb2ContextAlternate = "https://openbadgespec.org/v2/context.json";
constexpr std::string_view kObiNamespace = "https://w3id.org/openbadges#";
constexpr std::string_view kOb3ContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context";

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

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "scheme://authority/..." -> authority ("host[:port]"); empty when there is none.
std::string_view authority_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return authority;
}

// A string or an array of strings, as JSON-LD allows for single-valued terms.
std::vector<std::string> string_list(const Json* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->is_string()) {
    out.push_back(value->as_string());
  } else if (value->is_array()) {
    for (const Json& item : value->as_array()) {
      if (item.is_string()) out.push_back(item.as_string());
    }
  }
  return out;
}

// The id of a term that is either an IRI string or an embedded node with an "id".
std::string node_id(const Json* value) {
  if (value == nullptr) return {};
  if (value->is_string()) return value->as_string();
  if (value->is_object()) return value->get_string("id");
  return {};
}

bool is_datetime(const Json* value) {
  return value != nullptr && value->is_string() && parse_datetime(value->as_string()).has_value();
}

class Verifier {
 public:
  Verifier(const DocumentMap* raw, const DocumentSet* prepared, const VerifyOptions& options)
      : raw_(raw),
        prepared_(prepared),
        options_(options),
        now_(options.now ? *options.now : now_seconds()) {}

  Report run(std::string_view input);

 private:
  // --- report -----------------------------------------------------------------------------------
  bool check(std::string_view name, bool ok, std::string message) {
    if (!ok) report_.errors.push_back(std::string(name) + ": " + message);
    report_.checks.push_back(Check{std::string(name), ok, std::move(message)});
    return ok;
  }
  void warn(std::string message) { report_.warnings.push_back(std::move(message)); }

  // --- documents --------------------------------------------------------------------------------
  const Json* fetch(const std::string& url, std::string_view what);

  // --- Open Badges 2.0 --------------------------------------------------------------------------
  bool ob2_context(const Json& node, std::string_view name, bool required);
  std::optional<std::vector<std::string>> ob2_types(const Json& node, std::string_view name);
  void ob2_document(const Json& node);
  bool assertion_fields(const Json& assertion);
  bool badgeclass_fields(const Json& badgeclass, std::string_view name);
  bool profile_fields(const Json& profile, std::string_view name);
  bool class_fields(const Json& node, const std::vector<std::string>& types, std::string_view name);
  void extensions(const Json& node);
  void assertion(const Json& assertion, const struct Jws* jws);
  void endorsements(const Json* endorsement);
  const Json* badgeclass_of(const Json& assertion);
  const Json* issuer_of(const Json& badgeclass, std::string_view name);
  void hosted_rules(const Json& assertion, const Json& issuer);
  void signed_rules(const Json& assertion, const Jws& jws, const Json* issuer);
  void revocation(const Json& assertion, const Json* issuer);
  void recipient_ob2(const Json& assertion);

  // --- Open Badges 3.0 --------------------------------------------------------------------------
  void credential(const Json& credential, const Jws* jws, const Json* claims);

  bool supplied(std::string_view url) const {
    return raw_ != nullptr ? raw_->find(url) != raw_->end() : prepared_->find(url) != nullptr;
  }
  const std::string* raw_text(std::string_view url) const {
    if (raw_ == nullptr) return nullptr;
    auto found = raw_->find(url);
    return found == raw_->end() ? nullptr : &found->second;
  }

  const DocumentMap* raw_;       // documents as text, parsed on first use, or...
  const DocumentSet* prepared_;  // ...documents parsed once by the caller
  const VerifyOptions& options_;
  std::int64_t now_;
  Report report_;
  std::size_t followed_ = 0;
  // Documents parsed during this run live in owned_ (std::map nodes do not move, so pointers
  // stay valid); parsed_ remembers every URL already followed (nullptr: unusable).
  // A handful of URLs per badge: a vector searched linearly beats a tree. Keys view the callers'
  // map keys, which outlive the run.
  std::map<std::string, Json, std::less<>> owned_;
  std::vector<std::pair<std::string_view, const Json*>> parsed_;
};

const Json* Verifier::fetch(const std::string& url, std::string_view what) {
  for (const auto& [seen, document] : parsed_) {
    if (seen == url) return document;
  }
  std::string_view key;
  const Result<Json>* prepared = nullptr;
  const std::string* text = nullptr;
  if (prepared_ != nullptr) {
    auto found = prepared_->entry(url);
    if (found.second == nullptr) return nullptr;
    key = found.first;
    prepared = found.second;
  } else {
    auto found = raw_->find(url);
    if (found == raw_->end()) return nullptr;
    key = found->first;
    text = &found->second;
  }
  if (++followed_ > kMaxDocumentsFollowed) {
    check("input", false, "more than 64 referenced documents");
    return nullptr;
  }
  const Json* document = nullptr;
  std::string problem;
  if (prepared != nullptr) {
    if (prepared->ok()) {
      document = &prepared->value();
    } else {
      problem = prepared->error().message;
    }
  } else {
    auto parsed = Json::parse(*text);
    if (parsed.ok()) {
      document = &owned_.emplace(url, std::move(parsed).value()).first->second;
    } else {
      problem = parsed.error().message;
    }
  }
  if (document == nullptr || !document->is_object()) {
    check("json", false,
          std::string(what) + " document at " + url + " is not a JSON object" +
              (problem.empty() ? "" : ": " + problem));
    parsed_.emplace_back(key, nullptr);
    return nullptr;
  }
  const std::string& declared = document->get_string("id");
  if (!declared.empty() && declared != url) {
    // The 1EdTech validator's "redirection" warning: the URL led to a node that names itself
    // differently; the node is used under its declared id.
    warn(std::string(what) + " fetched from " + url + " declares its id as " + declared);
  }
  parsed_.emplace_back(key, document);
  return document;
}

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
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
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
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
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
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
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
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
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
      if (!supplied(url)) warn("Endorsement " + url + " was not supplied; not checked");
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
      check("key", false, "CryptographicKey " + creator + " was not supplied");
    }
    return;
  }
  auto key = public_key_from_pem(key_document->get_string("publicKeyPem"));
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
  std::vector<std::string> listed;
  const Json* public_key = issuer->find("publicKey");
  if (public_key != nullptr) {
    if (public_key->is_array()) {
      for (const Json& item : public_key->as_array()) listed.push_back(node_id(&item));
    } else {
      listed.push_back(node_id(public_key));
    }
  }
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

  // Dates (OB 2.0 §Assertion): issued in the past, not expired, not expiring before issue.
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

// --- Open Badges 3.0 ---------------------------------------------------------------------------

void Verifier::credential(const Json& vc, const Jws* jws, const Json* claims) {
  // Context (VCDM 2.0 §4.3, OB 3.0 §JSON-LD): the VC context first, then an OB 3.0 context.
  const Json* context = vc.find("@context");
  std::vector<std::string> contexts = string_list(context);
  bool v2 = !contexts.empty() && contexts.front() == kVcContextV2;
  bool v1 = !contexts.empty() && contexts.front() == kVcContextV1;
  auto ob3 = std::find_if(contexts.begin(), contexts.end(), [](const std::string& url) {
    return url.rfind(kOb3ContextPrefix, 0) == 0;
  });
  if (!check("context", (v1 || v2) && ob3 != contexts.end(),
             (v1 || v2) && ob3 != contexts.end()
                 ? "Verifiable Credentials and Open Badges 3.0 contexts"
                 : "@context must start with the VC context and include the OB 3.0 context")) {
    return;
  }
  if (v1) warn("the credential uses the VC Data Model 1.1 context; OB 3.0 now uses VCDM 2.0");
  if (*ob3 != kOb3Context) warn("the credential uses an older OB 3.0 context: " + *ob3);

  std::vector<std::string> types = string_list(vc.find("type"));
  bool typed = contains(types, "VerifiableCredential") &&
               (contains(types, "OpenBadgeCredential") || contains(types, "AchievementCredential"));
  if (!check("type", typed,
             typed ? "OpenBadgeCredential"
                   : "type must include VerifiableCredential and OpenBadgeCredential")) {
    return;
  }

  std::vector<std::string> problems;
  const Json* issuer = vc.find("issuer");
  std::string issuer_id = node_id(issuer);
  if (!is_iri(issuer_id)) problems.push_back("issuer must be an IRI or a Profile with an id");
  if (issuer != nullptr && issuer->is_object() &&
      !contains(string_list(issuer->find("type")), "Profile")) {
    problems.push_back("issuer must be typed Profile");
  }
  if (!is_iri(vc.get_string("id")) && vc.find("id") != nullptr)
    problems.push_back("id must be an IRI");
  const char* from_name = v2 ? "validFrom" : "issuanceDate";
  const char* until_name = v2 ? "validUntil" : "expirationDate";
  if (!is_datetime(vc.find(from_name)))
    problems.push_back(std::string(from_name) + " must be an ISO 8601 date-time");
  const Json* until = vc.find(until_name);
  if (until != nullptr && !is_datetime(until))
    problems.push_back(std::string(until_name) + " must be an ISO 8601 date-time");
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
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
  if (!check("fields", problems.empty(),
             problems.empty() ? "OpenBadgeCredential fields and types" : message))
    return;

  // Dates, and the JWT claims that must agree with them (VC-JWT, RFC 7519 §4.1).
  std::int64_t issued = *parse_datetime(vc.get_string(from_name));
  if (claims != nullptr && claims->find("nbf") && claims->find("nbf")->is_number()) {
    issued = std::max(issued, claims->find("nbf")->as_int());
  }
  check("issued", issued <= now_ + kClockSkewSeconds,
        issued <= now_ + kClockSkewSeconds ? "valid from " + format_datetime(issued)
                                           : "not valid before " + format_datetime(issued));
  std::optional<std::int64_t> expires;
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
  if (claims != nullptr) {
    std::vector<std::string> mismatches;
    if (claims->find("iss") && claims->get_string("iss") != issuer_id)
      mismatches.push_back("iss is not the issuer");
    if (claims->find("jti") && vc.find("id") && claims->get_string("jti") != vc.get_string("id")) {
      mismatches.push_back("jti is not the credential id");
    }
    if (claims->find("sub") && subject && subject->find("id") &&
        claims->get_string("sub") != subject->get_string("id")) {
      mismatches.push_back("sub is not the credentialSubject id");
    }
    std::string claim_message;
    for (const std::string& each : mismatches)
      claim_message += (claim_message.empty() ? "" : "; ") + each;
    check("credential", mismatches.empty(),
          mismatches.empty() ? "JWT claims agree with the credential" : claim_message);
  }

  // Recipient: the IdentityObjects of credentialSubject.identifier.
  if (!options_.recipient.empty() && subject != nullptr) {
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
    if (!match && subject->get_string("id") == "mailto:" + options_.recipient) match = true;
    report_.recipient_match = match;
    check("recipient", match,
          match ? "the credential was awarded to " + options_.recipient
                : "the credential was not awarded to the given recipient");
  }

  // Proof.
  if (jws == nullptr) {
    const Json* proof = vc.find("proof");
    std::string proof_type = proof == nullptr     ? ""
                             : proof->is_object() ? proof->get_string("type")
                                                  : "multiple";
    check("signature", false,
          proof == nullptr
              ? "the credential has no proof"
              : "embedded Data Integrity proofs (" + proof_type +
                    ") are not verified by Laurel; present the credential as a VC-JWT");
  } else {
    const std::string& kid = jws->header.get_string("kid");
    std::optional<PublicKey> key;
    std::string key_source;
    if (kid.rfind("did:key:", 0) == 0) {
      // A did:key is its own key document; it belongs to the issuer when it is the issuer's id.
      auto loaded = public_key_from_did_key(kid);
      if (!loaded.ok()) {
        check("key", false, loaded.error().message + ": " + kid);
        return;
      }
      std::string did = kid.substr(0, kid.find('#'));
      if (!check("key", did == issuer_id,
                 did == issuer_id ? "did:key of the issuer"
                                  : "key " + kid + " is not the issuer " + issuer_id)) {
        return;
      }
      key = std::move(loaded).value();
      key_source = kid;
    } else if (!kid.empty()) {
      std::string key_url_text = kid;
      const Json* key_document = fetch(key_url_text, "key");
      if (key_document == nullptr && kid.find('#') != std::string::npos) {
        key_url_text = kid.substr(0, kid.find('#'));
        key_document = fetch(key_url_text, "key");
      }
      if (key_document != nullptr) {
        Result<PublicKey> loaded =
            key_document->find("kty") ? public_key_from_jwk(*key_document)
            : key_document->find("publicKeyJwk")
                ? public_key_from_jwk(*key_document->find("publicKeyJwk"))
                : public_key_from_pem(key_document->get_string("publicKeyPem"));
        if (!loaded.ok()) {
          check("key", false, "key " + kid + ": " + loaded.error().message);
          return;
        }
        std::string owner = key_document->get_string("owner");
        if (owner.empty()) owner = key_document->get_string("controller");
        // Bound when the key names the issuer as owner, or names no owner but lives under the
        // issuer's own URL ("<issuer id>#key-1"), which only the issuer controls.
        bool bound = owner == issuer_id || (owner.empty() && kid.rfind(issuer_id + "#", 0) == 0);
        if (!check("key", bound,
                   bound ? "key " + kid + " belongs to the issuer"
                         : "key " + kid + " is owned by " + (owner.empty() ? "nobody" : owner) +
                               ", not by the issuer " + issuer_id)) {
          return;
        }
        // When the issuer's profile is supplied and lists keys, it must list this one (a key
        // the issuer retired from its profile no longer speaks for it).
        if (const Json* profile = fetch(issuer_id, "Issuer")) {
          if (const Json* listed_keys = profile->find("publicKey")) {
            std::vector<std::string> listed;
            if (listed_keys->is_array()) {
              for (const Json& item : listed_keys->as_array()) listed.push_back(node_id(&item));
            } else {
              listed.push_back(node_id(listed_keys));
            }
            if (!contains(listed, kid) && !contains(listed, key_url_text)) {
              check("key", false, "the issuer " + issuer_id + " does not list the key " + kid);
              return;
            }
          }
        }
        key = std::move(loaded).value();
        key_source = kid;
      }
    }
    if (!key && jws->header.find("jwk") != nullptr) {
      auto loaded = public_key_from_jwk(*jws->header.find("jwk"));
      if (!loaded.ok()) {
        check("key", false, "header jwk: " + loaded.error().message);
        return;
      }
      warn("the VC-JWT carries its own key (jwk header); nothing binds that key to the issuer");
      key = std::move(loaded).value();
      key_source = "the header jwk";
    }
    if (!key) {
      check("key", false,
            kid.empty() ? "the VC-JWT names no key (kid or jwk)"
                        : "the key " + kid + " was not supplied and cannot be resolved");
      return;
    }
    bool ok = jws_verify(*jws, *key);
    check("signature", ok,
          ok ? std::string(algorithm_name(key->algorithm)) + " signature by " + key_source
             : "the signature does not verify with " + key_source);
  }
  if (const Json* status = vc.find("credentialStatus")) {
    warn("credentialStatus (" +
         (status->is_object() ? status->get_string("type") : std::string("list")) +
         ") is not checked");
  }

  Json summary = Json::object({{"version", "3.0"},
                               {"type", "OpenBadgeCredential"},
                               {"id", vc.get_string("id")},
                               {"validFrom", vc.get_string(from_name)}});
  if (until != nullptr) summary.set("validUntil", *until);
  if (achievement != nullptr) {
    summary.set("badgeclass", achievement->get_string("id"));
    summary.set("name", achievement->get_string("name"));
    if (achievement->find("description"))
      summary.set("description", *achievement->find("description"));
    std::string image = node_id(achievement->find("image"));
    if (!image.empty()) summary.set("image", image);
  }
  Json issuer_summary = Json::object({{"id", issuer_id}});
  if (issuer != nullptr && issuer->is_object() && !issuer->get_string("name").empty()) {
    issuer_summary.set("name", issuer->get_string("name"));
  }
  summary.set("issuer", std::move(issuer_summary));
  summary.set("verification", jws ? "signed" : "embedded");
  report_.badge = std::move(summary);
}

// True when `value` is the string `wanted` or an array holding it.
bool has_string(const Json* value, std::string_view wanted) {
  if (value == nullptr) return false;
  if (value->is_string()) return value->as_string() == wanted;
  if (!value->is_array()) return false;
  return std::any_of(value->as_array().begin(), value->as_array().end(), [&](const Json& item) {
    return item.is_string() && item.as_string() == wanted;
  });
}

bool is_credential(const Json& document) {
  if (document.find("vc") != nullptr) return true;
  if (has_string(document.find("type"), "VerifiableCredential")) return true;
  const Json* context = document.find("@context");
  return has_string(context, kVcContextV1) || has_string(context, kVcContextV2);
}

Report Verifier::run(std::string_view input) {
  if (input.size() > kImageMaxBytes) {
    check("input", false, "input larger than 32 MiB");
    return std::move(report_);
  }
  std::string unbaked;
  std::string_view text = input;
  ImageKind kind = image_kind(input);
  if (kind != ImageKind::Other) {
    auto baked = unbake(input);
    if (!check("input", baked.ok(),
               baked.ok() ? std::string(kind == ImageKind::Png ? "baked PNG" : "baked SVG")
                          : baked.error().message)) {
      return std::move(report_);
    }
    if (baked->kind == BakedBadge::Kind::Url) {
      if (!supplied(baked->text)) {
        check("input", false, "the image points at " + baked->text + ", which was not supplied");
        return std::move(report_);
      }
      if (const std::string* text_found = raw_text(baked->text)) {
        unbaked = *text_found;
      } else {
        const Result<Json>* parsed = prepared_->find(baked->text);
        if (!parsed->ok()) {
          check("json", false, "the document at " + baked->text + ": " + parsed->error().message);
          return std::move(report_);
        }
        unbaked = parsed->value().dump();
      }
    } else {
      unbaked = std::move(baked->text);
    }
    text = unbaked;
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() == '{') {
    auto document = Json::parse(text);
    if (!check("json", document.ok() && document->is_object(),
               document.ok() ? (document->is_object() ? "well-formed JSON" : "not a JSON object")
                             : document.error().message)) {
      return std::move(report_);
    }
    if (is_credential(document.value())) {
      credential(document.value(), nullptr, nullptr);
    } else {
      ob2_document(document.value());
    }
    return std::move(report_);
  }
  auto jws = jws_parse(text);
  if (!jws.ok()) {
    check("input", false,
          kind == ImageKind::Other
              ? "input is not JSON, a compact JWS or a PNG/SVG image"
              : "the baked badge is not JSON or a JWS: " + jws.error().message);
    return std::move(report_);
  }
  check("jws", true, "compact JWS, " + jws->header.get_string("alg"));
  auto payload = Json::parse(jws->payload);
  if (!check("json", payload.ok() && payload->is_object(),
             payload.ok() ? (payload->is_object() ? "well-formed JSON payload"
                                                  : "payload is not a JSON object")
                          : "payload: " + payload.error().message)) {
    return std::move(report_);
  }
  if (is_credential(payload.value())) {
    const Json* vc = payload->find("vc");
    if (vc != nullptr) {
      if (!vc->is_object()) {
        check("json", false, "the vc claim is not an object");
        return std::move(report_);
      }
      credential(*vc, &jws.value(), &payload.value());
    } else {
      credential(payload.value(), &jws.value(), &payload.value());
    }
    return std::move(report_);
  }
  if (!ob2_context(payload.value(), "the JWS payload", true)) return std::move(report_);
  auto types = ob2_types(payload.value(), "the JWS payload");
  if (!types) return std::move(report_);
  bool carries_assertion = contains(*types, "Assertion");
  if (!check("type", carries_assertion,
             carries_assertion ? "type Assertion" : "a JWS must carry an Assertion")) {
    return std::move(report_);
  }
  assertion(payload.value(), &jws.value());
  return std::move(report_);
}

}  // namespace

DocumentSet::DocumentSet(const DocumentMap& documents) {
  for (const auto& [url, text] : documents) add(url, text);
}

void DocumentSet::add(std::string url, std::string_view text) {
  auto parsed = Json::parse(text);
  parsed_.insert_or_assign(std::move(url), std::move(parsed));
}

const Result<Json>* DocumentSet::find(std::string_view url) const {
  return entry(url).second;
}

std::pair<std::string_view, const Result<Json>*> DocumentSet::entry(std::string_view url) const {
  auto found = parsed_.find(url);
  if (found == parsed_.end()) return {std::string_view(), nullptr};
  return {found->first, &found->second};
}

namespace {
Report finish(Report report) {
  report.valid = !report.checks.empty() && std::all_of(report.checks.begin(), report.checks.end(),
                                                       [](const Check& c) { return c.ok; });
  return report;
}
}  // namespace

Report verify(std::string_view input, const DocumentSet& documents, const VerifyOptions& options) {
  return finish(Verifier(nullptr, &documents, options).run(input));
}

Report verify(std::string_view input, const DocumentMap& documents, const VerifyOptions& options) {
  return finish(Verifier(&documents, nullptr, options).run(input));
}

}  // namespace laurel
