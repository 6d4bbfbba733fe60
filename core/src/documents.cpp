#include "laurel/documents.hpp"

namespace laurel {
namespace {

std::string join(std::string_view base_url, std::string_view path, std::string_view id,
                 std::string_view suffix = {}) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string url(base_url);
  url += path;
  url += id;
  url += suffix;
  return url;
}

Json header(std::string_view type, std::string id) {
  return Json::object(
      {{"@context", Json(kOb2Context)}, {"type", Json(type)}, {"id", Json(std::move(id))}});
}

void set_if(Json& document, const char* key, const std::string& value) {
  if (!value.empty()) document.set(key, value);
}

// Badgr keeps extensions as {"extensions:Name": {...}}; OB 2.0 puts them on the node itself.
void merge_extensions(Json& document, const Json& extensions) {
  if (!extensions.is_object()) return;
  for (const auto& [key, value] : extensions.as_object()) {
    if (document.find(key) == nullptr) document.set(key, value);
  }
}

}  // namespace

std::string issuer_url(std::string_view base_url, std::string_view issuer_id) {
  return join(base_url, "/public/issuers/", issuer_id);
}
std::string revocation_list_url(std::string_view base_url, std::string_view issuer_id) {
  return join(base_url, "/public/issuers/", issuer_id, "/revocations");
}
std::string key_url(std::string_view base_url, std::string_view key_id) {
  return join(base_url, "/public/keys/", key_id);
}
std::string badgeclass_url(std::string_view base_url, std::string_view badgeclass_id) {
  return join(base_url, "/public/badges/", badgeclass_id);
}
std::string assertion_url(std::string_view base_url, std::string_view assertion_id) {
  return join(base_url, "/public/assertions/", assertion_id);
}
std::string assertion_image_url(std::string_view base_url, std::string_view assertion_id) {
  return join(base_url, "/public/assertions/", assertion_id, "/image");
}

Json issuer_document(const Issuer& issuer, std::string_view base_url,
                     const std::vector<std::string>& key_ids) {
  Json document = header("Issuer", issuer_url(base_url, issuer.entity_id));
  document.set("name", issuer.name);
  set_if(document, "url", issuer.url);
  set_if(document, "email", issuer.email);
  set_if(document, "description", issuer.description);
  set_if(document, "image", issuer.image);
  document.set("revocationList", revocation_list_url(base_url, issuer.entity_id));
  if (!key_ids.empty()) {
    Json keys = Json::array();
    for (const std::string& key_id : key_ids) keys.push_back(key_url(base_url, key_id));
    document.set("publicKey", std::move(keys));
  }
  merge_extensions(document, issuer.extensions);
  return document;
}

Json badgeclass_document(const BadgeClass& badgeclass, std::string_view base_url) {
  Json document = header("BadgeClass", badgeclass_url(base_url, badgeclass.entity_id));
  document.set("name", badgeclass.name);
  document.set("description", badgeclass.description);
  set_if(document, "image", badgeclass.image);
  document.set("issuer", issuer_url(base_url, badgeclass.issuer));
  // OB 2.0 §BadgeClass: criteria is a URL or a Criteria object with a narrative.
  if (!badgeclass.criteria_narrative.empty()) {
    Json criteria = Json::object({{"narrative", badgeclass.criteria_narrative}});
    set_if(criteria, "id", badgeclass.criteria_url);
    document.set("criteria", std::move(criteria));
  } else if (!badgeclass.criteria_url.empty()) {
    document.set("criteria", badgeclass.criteria_url);
  }
  if (!badgeclass.alignments.empty()) {
    Json alignments = Json::array();
    for (const Alignment& alignment : badgeclass.alignments) {
      Json item = Json::object(
          {{"targetName", alignment.target_name}, {"targetUrl", alignment.target_url}});
      set_if(item, "targetDescription", alignment.target_description);
      set_if(item, "targetFramework", alignment.target_framework);
      set_if(item, "targetCode", alignment.target_code);
      alignments.push_back(std::move(item));
    }
    document.set("alignment", std::move(alignments));
  }
  if (!badgeclass.tags.empty()) {
    Json tags = Json::array();
    for (const std::string& tag : badgeclass.tags) tags.push_back(tag);
    document.set("tags", std::move(tags));
  }
  merge_extensions(document, badgeclass.extensions);
  return document;
}

Json evidence_node(const Evidence& evidence) {
  Json node = Json::object();
  set_if(node, "id", evidence.url);
  set_if(node, "narrative", evidence.narrative);
  set_if(node, "name", evidence.name);
  set_if(node, "description", evidence.description);
  set_if(node, "genre", evidence.genre);
  set_if(node, "audience", evidence.audience);
  return node;
}

Json assertion_document(const Assertion& assertion, std::string_view base_url,
                        std::string_view creator_key_id) {
  Json document = header("Assertion", assertion_url(base_url, assertion.entity_id));
  const Recipient& recipient = assertion.recipient;
  Json identity = Json::object(
      {{"type", recipient.type}, {"hashed", recipient.hashed}, {"identity", recipient.identity}});
  set_if(identity, "salt", recipient.salt);
  document.set("recipient", std::move(identity));
  document.set("badge", badgeclass_url(base_url, assertion.badgeclass));
  document.set("issuedOn", assertion.issued_on);
  document.set("image", assertion_image_url(base_url, assertion.entity_id));
  set_if(document, "expires", assertion.expires);
  set_if(document, "narrative", assertion.narrative);
  if (!assertion.evidence.empty()) {
    Json evidence = Json::array();
    for (const Evidence& item : assertion.evidence) evidence.push_back(evidence_node(item));
    document.set("evidence", std::move(evidence));
  }
  if (assertion.revoked) {
    document.set("revoked", true);
    set_if(document, "revocationReason", assertion.revocation_reason);
  }
  if (creator_key_id.empty()) {
    document.set("verification", Json::object({{"type", "hosted"}}));
  } else {
    document.set("verification", Json::object({{"type", "signed"},
                                               {"creator", key_url(base_url, creator_key_id)}}));
  }
  merge_extensions(document, assertion.extensions);
  return document;
}

Json key_document(std::string_view issuer_id, std::string_view key_id, const PublicKey& key,
                  std::string_view base_url) {
  Json document = header("CryptographicKey", key_url(base_url, key_id));
  document.set("owner", issuer_url(base_url, issuer_id));
  document.set("publicKeyPem", public_key_to_pem(key));
  return document;
}

Json revocation_list_document(std::string_view issuer_id,
                              const std::vector<std::pair<std::string, std::string>>& revoked,
                              std::string_view base_url) {
  Json document = header("RevocationList", revocation_list_url(base_url, issuer_id));
  document.set("issuer", issuer_url(base_url, issuer_id));
  Json entries = Json::array();
  for (const auto& [assertion_id, reason] : revoked) {
    Json entry = Json::object({{"id", assertion_url(base_url, assertion_id)}});
    set_if(entry, "revocationReason", reason);
    entries.push_back(std::move(entry));
  }
  document.set("revokedAssertions", std::move(entries));
  return document;
}

}  // namespace laurel
