#include "laurel/model.hpp"

#include <algorithm>
#include <array>

#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/validate.hpp"

namespace laurel {
namespace {

// ---- writing ------------------------------------------------------------------------------

Json nullable(const std::string& text) { return text.empty() ? Json() : Json(text); }

Json string_array(const std::vector<std::string>& items) {
  Json array = Json::array();
  for (const auto& item : items) array.push_back(Json(item));
  return array;
}

template <class T>
Json object_array(const std::vector<T>& items) {
  Json array = Json::array();
  for (const auto& item : items) array.push_back(to_json(item));
  return array;
}

// ---- reading: each reader checks the JSON type and names the field -------------------------

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

Status read_string(const Json& json, std::string_view key, std::string& out,
                   const std::string& prefix = {}) {
  const Json* value = json.find(key);
  if (value == nullptr || value->is_null()) {
    out.clear();
    return {};
  }
  if (!value->is_string()) return invalid(join(prefix, key), "must be a string");
  out = value->as_string();
  return {};
}

Status read_bool(const Json& json, std::string_view key, bool& out, const std::string& prefix = {}) {
  const Json* value = json.find(key);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_bool()) return invalid(join(prefix, key), "must be true or false");
  out = value->as_bool();
  return {};
}

Status read_extensions(const Json& json, Json& out) {
  const Json* value = json.find("extensions");
  if (value == nullptr || value->is_null()) {
    out = Json::object();
    return {};
  }
  if (!value->is_object()) return invalid("extensions", "must be an object");
  out = *value;
  return {};
}

Status read_string_list(const Json& json, std::string_view key, std::vector<std::string>& out) {
  out.clear();
  const Json* value = json.find(key);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_array()) return invalid(std::string(key), "must be a list of strings");
  for (std::size_t i = 0; i < value->size(); ++i) {
    const Json& item = value->as_array()[i];
    if (!item.is_string()) return invalid(join(std::string(key), std::to_string(i)), "must be a string");
    out.push_back(item.as_string());
  }
  return {};
}

template <class T, class ReadItem>
Status read_object_list(const Json& json, std::string_view key, std::vector<T>& out,
                        ReadItem read_item) {
  out.clear();
  const Json* value = json.find(key);
  if (value == nullptr || value->is_null()) return {};
  if (!value->is_array()) return invalid(std::string(key), "must be a list");
  if (value->size() > limits::kStaffMax) return invalid(std::string(key), "has too many items");
  for (std::size_t i = 0; i < value->size(); ++i) {
    std::string field = join(std::string(key), std::to_string(i));
    auto item = read_item(value->as_array()[i], field);
    if (!item.ok()) return item.error();
    out.push_back(std::move(item).value());
  }
  return {};
}

// ---- validation helpers --------------------------------------------------------------------

// Only spaces and control characters (" ", "\t", "\u0000"): no name a person could read.
bool is_blank(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
}

Status check_text(const std::string& field, const std::string& value, std::size_t max,
                  bool required) {
  if (value.empty()) {
    if (required) return invalid(field, "is required");
    return {};
  }
  if (required && is_blank(value)) return invalid(field, "must not be blank");
  if (value.size() > max) {
    return invalid(field, "is longer than " + std::to_string(max) + " bytes");
  }
  if (!is_utf8(value)) return invalid(field, "is not valid UTF-8");
  return {};
}

Status check_url(const std::string& field, const std::string& value, bool required) {
  if (value.empty()) {
    if (required) return invalid(field, "is required");
    return {};
  }
  if (value.size() > limits::kUrlMax) return invalid(field, "is longer than 2048 characters");
  if (!is_http_url(value)) return invalid(field, "must be an http(s) URL");
  return {};
}

Status check_image(const std::string& value) {
  if (value.empty()) return {};
  if (is_data_uri(value)) {
    if (value.size() > limits::kDataUriMax) return invalid("image", "data URI is larger than 2 MiB");
    return {};
  }
  if (value.size() > limits::kUrlMax) return invalid("image", "is longer than 2048 characters");
  if (!is_http_url(value)) {
    return invalid("image", "must be an http(s) URL or a data:image/...;base64 URI");
  }
  return {};
}

Status check_id(const std::string& field, const std::string& value) {
  if (value.empty()) return invalid(field, "is required");
  if (!id_from_text(value)) return invalid(field, "is not a valid entityId");
  return {};
}

Status check_date(const std::string& field, const std::string& value, bool required) {
  if (value.empty()) {
    if (required) return invalid(field, "is required");
    return {};
  }
  if (!parse_datetime(value)) {
    return invalid(field, "must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z");
  }
  return {};
}

bool names_extension_type(const Json& type) {
  auto is_extension = [](const Json& item) {
    return item.is_string() && item.as_string().rfind("extension:", 0) == 0;
  };
  if (type.is_string()) return is_extension(type);
  return type.is_array() && std::any_of(type.as_array().begin(), type.as_array().end(),
                                        is_extension);
}

// OB 2.0 §Extensions: each extension is a JSON-LD node with its own @context (a URL, an object
// or a list of them) and a type that includes "extension:<Name>".
Status check_extensions(const Json& extensions) {
  if (!extensions.is_object()) return invalid("extensions", "must be an object");
  if (extensions.dump().size() > limits::kExtensionsMax) {
    return invalid("extensions", "is larger than 64 KiB");
  }
  for (const auto& [name, node] : extensions.as_object()) {
    const std::string field = "extensions." + name;
    if (!node.is_object()) return invalid(field, "must be an extension object");
    const Json* context = node.find("@context");
    if (context == nullptr ||
        !(context->is_object() || context->is_array() ||
          (context->is_string() && !context->as_string().empty()))) {
      return invalid(field + ".@context", "is required: the extension's JSON-LD context");
    }
    const Json* type = node.find("type");
    if (type == nullptr || !names_extension_type(*type)) {
      return invalid(field + ".type", "must include \"extension:<Name>\"");
    }
  }
  return {};
}

// VCDM 2.0 §4.4: credentialSubject.id is a URL; Laurel takes a DID or an HTTP(S) URL.
Status check_subject_id(const std::string& subject_id) {
  if (subject_id.empty()) return {};
  LAUREL_TRY(check_text("recipient.subjectId", subject_id, limits::kIdentityMax, false));
  if (subject_id.rfind("did:", 0) == 0 ? subject_id.find(':', 4) == std::string::npos
                                       : !is_http_url(subject_id)) {
    return invalid("recipient.subjectId",
                   "must be a DID (did:method:...) or an http(s) URL, not \"" + subject_id + "\"");
  }
  return {};
}

bool is_hex(std::string_view text) {
  // A table and no early exit: every award's 64-digit hashed identity passes here, and three
  // range tests per character with a branch each took 0.19 us of a bulk award's ~4.
  static constexpr auto kHex = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
      table[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    return table;
  }();
  bool all = true;
  for (char c : text) all &= kHex[static_cast<unsigned char>(c)];
  return all;
}

// PATCH: keys a client may change, and read-only keys it may echo back unchanged (Badgr clients
// GET an entity, edit it and PUT the whole object back).
struct PatchRules {
  std::vector<std::string_view> writable;
  std::vector<std::string_view> read_only;
};

Result<Json> merge_patch(Json current, const Json& patch, const PatchRules& rules) {
  if (!patch.is_object()) return invalid("", "the update must be a JSON object");
  for (const auto& [key, value] : patch.as_object()) {
    bool writable = std::find(rules.writable.begin(), rules.writable.end(), key) != rules.writable.end();
    if (writable) {
      current.set(key, value);
      continue;
    }
    bool read_only =
        std::find(rules.read_only.begin(), rules.read_only.end(), key) != rules.read_only.end();
    if (read_only) {
      const Json* existing = current.find(key);
      if (existing == nullptr ? !value.is_null() : *existing != value) {
        return invalid(key, "is read-only");
      }
      continue;
    }
    return invalid(key, "is not a field of this entity");
  }
  return current;
}

const std::vector<std::string_view> kCommonReadOnly = {"entityType", "entityId", "openBadgeId",
                                                       "createdAt", "createdBy"};

std::vector<std::string_view> with_common(std::vector<std::string_view> keys) {
  keys.insert(keys.end(), kCommonReadOnly.begin(), kCommonReadOnly.end());
  return keys;
}

}  // namespace

// ---- to_json -------------------------------------------------------------------------------

Json to_json(const Alignment& alignment) {
  return Json::object({{"targetName", nullable(alignment.target_name)},
                       {"targetUrl", nullable(alignment.target_url)},
                       {"targetDescription", nullable(alignment.target_description)},
                       {"targetFramework", nullable(alignment.target_framework)},
                       {"targetCode", nullable(alignment.target_code)}});
}

Json to_json(const Evidence& evidence) {
  return Json::object({{"url", nullable(evidence.url)},
                       {"narrative", nullable(evidence.narrative)},
                       {"name", nullable(evidence.name)},
                       {"description", nullable(evidence.description)},
                       {"genre", nullable(evidence.genre)},
                       {"audience", nullable(evidence.audience)}});
}

Json to_json(const Recipient& recipient) {
  return Json::object({{"identity", Json(recipient.identity)},
                       {"type", Json(recipient.type)},
                       {"hashed", Json(recipient.hashed)},
                       {"salt", nullable(recipient.salt)},
                       {"plaintextIdentity", nullable(recipient.plaintext_identity)},
                       {"subjectId", nullable(recipient.subject_id)}});
}

Json to_json(const Issuer& issuer) {
  Json staff = Json::array();
  for (const auto& member : issuer.staff) {
    staff.push_back(Json::object({{"user", Json(member.user)}, {"role", Json(member.role)}}));
  }
  return Json::object({{"entityType", Json("Issuer")},
                       {"entityId", Json(issuer.entity_id)},
                       {"name", Json(issuer.name)},
                       {"email", Json(issuer.email)},
                       {"url", Json(issuer.url)},
                       {"description", nullable(issuer.description)},
                       {"image", nullable(issuer.image)},
                       {"staff", std::move(staff)},
                       {"extensions", issuer.extensions},
                       {"didWeb", Json(issuer.did_web)},
                       {"credentialStatus", Json(issuer.credential_status)},
                       {"createdAt", nullable(issuer.created_at)},
                       {"createdBy", nullable(issuer.created_by)}});
}

Json to_json(const BadgeClass& badgeclass) {
  Json expires;
  if (badgeclass.expires) {
    expires = Json::object({{"amount", Json(badgeclass.expires->amount)},
                            {"duration", Json(badgeclass.expires->duration)}});
  }
  return Json::object({{"entityType", Json("BadgeClass")},
                       {"entityId", Json(badgeclass.entity_id)},
                       {"issuer", Json(badgeclass.issuer)},
                       {"name", Json(badgeclass.name)},
                       {"description", Json(badgeclass.description)},
                       {"image", nullable(badgeclass.image)},
                       {"criteriaUrl", nullable(badgeclass.criteria_url)},
                       {"criteriaNarrative", nullable(badgeclass.criteria_narrative)},
                       {"alignments", object_array(badgeclass.alignments)},
                       {"tags", string_array(badgeclass.tags)},
                       {"expires", std::move(expires)},
                       {"extensions", badgeclass.extensions},
                       {"createdAt", nullable(badgeclass.created_at)},
                       {"createdBy", nullable(badgeclass.created_by)}});
}

Json to_json(const Assertion& assertion) {
  return Json::object({{"entityType", Json("Assertion")},
                       {"entityId", Json(assertion.entity_id)},
                       {"badgeclass", Json(assertion.badgeclass)},
                       {"issuer", Json(assertion.issuer)},
                       {"recipient", to_json(assertion.recipient)},
                       {"issuedOn", Json(assertion.issued_on)},
                       {"narrative", nullable(assertion.narrative)},
                       {"evidence", object_array(assertion.evidence)},
                       {"expires", nullable(assertion.expires)},
                       {"revoked", Json(assertion.revoked)},
                       {"revocationReason", nullable(assertion.revocation_reason)},
                       {"acceptance", Json(assertion.acceptance)},
                       {"verification", Json(assertion.verification)},
                       {"extensions", assertion.extensions},
                       {"createdAt", nullable(assertion.created_at)},
                       {"createdBy", nullable(assertion.created_by)}});
}

static void append_string_or_null(std::string& out, const std::string& text) {
  if (text.empty()) {
    out += "null";
  } else {
    append_json_string(out, text);
  }
}

// to_json(assertion).dump() without building the Json tree, which was most of the cost of an
// award (a batch of 100,000 spent ~60% of its time in Json::set, malloc and free). Same bytes:
// members in the byte order of their keys, strings through the canonical writer's escaping,
// nested values (evidence, extensions) through to_json/dump. It sits beside to_json(Assertion) so
// that a field added to one is added to the other; Model.FastAssertionWriterMatchesToJson and the
// store's debug-build cross-check hold them to the same bytes.
void append_canonical_json(std::string& out, const Assertion& assertion) {
  out += "{\"acceptance\":";
  append_json_string(out, assertion.acceptance);
  out += ",\"badgeclass\":";
  append_json_string(out, assertion.badgeclass);
  out += ",\"createdAt\":";
  append_string_or_null(out, assertion.created_at);
  out += ",\"createdBy\":";
  append_string_or_null(out, assertion.created_by);
  out += ",\"entityId\":";
  append_json_string(out, assertion.entity_id);
  out += ",\"entityType\":\"Assertion\",\"evidence\":[";
  for (std::size_t i = 0; i < assertion.evidence.size(); ++i) {
    if (i > 0) out.push_back(',');
    to_json(assertion.evidence[i]).dump_to(out);
  }
  out += "],\"expires\":";
  append_string_or_null(out, assertion.expires);
  out += ",\"extensions\":";
  assertion.extensions.dump_to(out);
  out += ",\"issuedOn\":";
  append_json_string(out, assertion.issued_on);
  out += ",\"issuer\":";
  append_json_string(out, assertion.issuer);
  out += ",\"narrative\":";
  append_string_or_null(out, assertion.narrative);
  const Recipient& recipient = assertion.recipient;
  out += ",\"recipient\":{\"hashed\":";
  out += recipient.hashed ? "true" : "false";
  out += ",\"identity\":";
  append_json_string(out, recipient.identity);
  out += ",\"plaintextIdentity\":";
  append_string_or_null(out, recipient.plaintext_identity);
  out += ",\"salt\":";
  append_string_or_null(out, recipient.salt);
  out += ",\"subjectId\":";
  append_string_or_null(out, recipient.subject_id);
  out += ",\"type\":";
  append_json_string(out, recipient.type);
  out += "},\"revocationReason\":";
  append_string_or_null(out, assertion.revocation_reason);
  out += ",\"revoked\":";
  out += assertion.revoked ? "true" : "false";
  out += ",\"verification\":";
  append_json_string(out, assertion.verification);
  out.push_back('}');
}

// The stored form: canonical JSON of the members that carry information. Left out, because the
// store has them elsewhere or they are the defaults assertion_from_json fills in: entityId (the
// key), entityType, revoked and revocationReason (the revocation table), createdAt when it equals
// issuedOn, null and empty members, acceptance "Unaccepted", verification "hosted", and the
// recipient's hashed true and type "email". A bare award shrinks from ~470 to ~200 bytes.
// Members are appended in key order, as canonical JSON wants; a field added to to_json is added
// here too (Model.StoredAssertionRoundTrips holds them together).
void append_stored_assertion(std::string& out, const Assertion& assertion) {
  char separator = '{';
  auto member = [&](const char* key) {
    out.push_back(separator);
    separator = ',';
    out.push_back('"');
    out += key;
    out += "\":";
  };
  auto text = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    member(key);
    append_json_string(out, value);
  };
  if (assertion.acceptance != "Unaccepted") text("acceptance", assertion.acceptance);
  text("badgeclass", assertion.badgeclass);
  if (assertion.created_at != assertion.issued_on) text("createdAt", assertion.created_at);
  text("createdBy", assertion.created_by);
  if (!assertion.evidence.empty()) {
    member("evidence");
    out.push_back('[');
    for (std::size_t i = 0; i < assertion.evidence.size(); ++i) {
      if (i > 0) out.push_back(',');
      to_json(assertion.evidence[i]).dump_to(out);
    }
    out.push_back(']');
  }
  text("expires", assertion.expires);
  if (assertion.extensions.is_object() && assertion.extensions.size() > 0) {
    member("extensions");
    assertion.extensions.dump_to(out);
  }
  text("issuedOn", assertion.issued_on);
  text("issuer", assertion.issuer);
  text("narrative", assertion.narrative);
  const Recipient& recipient = assertion.recipient;
  member("recipient");
  out.push_back('{');
  if (!recipient.hashed) out += "\"hashed\":false,";
  out += "\"identity\":";
  append_json_string(out, recipient.identity);
  if (!recipient.plaintext_identity.empty()) {
    out += ",\"plaintextIdentity\":";
    append_json_string(out, recipient.plaintext_identity);
  }
  if (!recipient.salt.empty()) {
    out += ",\"salt\":";
    append_json_string(out, recipient.salt);
  }
  if (!recipient.subject_id.empty()) {
    out += ",\"subjectId\":";
    append_json_string(out, recipient.subject_id);
  }
  if (recipient.type != "email") {
    out += ",\"type\":";
    append_json_string(out, recipient.type);
  }
  out.push_back('}');
  if (assertion.verification != "hosted") text("verification", assertion.verification);
  out.push_back('}');
}

static Result<Assertion> read_assertion(const Json& json);

Result<Assertion> stored_assertion_from_json(const Json& json, std::string entity_id,
                                             bool check) {
  auto assertion = check ? assertion_from_json(json) : read_assertion(json);
  if (!assertion.ok()) return assertion;
  assertion->entity_id = std::move(entity_id);
  if (assertion->created_at.empty()) assertion->created_at = assertion->issued_on;
  return assertion;
}


// ---- from_json -----------------------------------------------------------------------------

Result<Alignment> alignment_from_json(const Json& json, const std::string& field) {
  if (!json.is_object()) return invalid(field, "must be an object");
  Alignment alignment;
  LAUREL_TRY(read_string(json, "targetName", alignment.target_name, field));
  LAUREL_TRY(read_string(json, "targetUrl", alignment.target_url, field));
  LAUREL_TRY(read_string(json, "targetDescription", alignment.target_description, field));
  LAUREL_TRY(read_string(json, "targetFramework", alignment.target_framework, field));
  LAUREL_TRY(read_string(json, "targetCode", alignment.target_code, field));
  LAUREL_TRY(validate(alignment, field));
  return alignment;
}

Result<Evidence> evidence_from_json(const Json& json, const std::string& field) {
  if (!json.is_object()) return invalid(field, "must be an object");
  Evidence evidence;
  LAUREL_TRY(read_string(json, "url", evidence.url, field));
  LAUREL_TRY(read_string(json, "narrative", evidence.narrative, field));
  LAUREL_TRY(read_string(json, "name", evidence.name, field));
  LAUREL_TRY(read_string(json, "description", evidence.description, field));
  LAUREL_TRY(read_string(json, "genre", evidence.genre, field));
  LAUREL_TRY(read_string(json, "audience", evidence.audience, field));
  LAUREL_TRY(validate(evidence, field));
  return evidence;
}

Result<Issuer> issuer_from_json(const Json& json) {
  if (!json.is_object()) return invalid("", "an issuer must be a JSON object");
  Issuer issuer;
  LAUREL_TRY(read_string(json, "entityId", issuer.entity_id));
  LAUREL_TRY(read_string(json, "name", issuer.name));
  LAUREL_TRY(read_string(json, "email", issuer.email));
  LAUREL_TRY(read_string(json, "url", issuer.url));
  LAUREL_TRY(read_string(json, "description", issuer.description));
  LAUREL_TRY(read_string(json, "image", issuer.image));
  LAUREL_TRY(read_object_list(json, "staff", issuer.staff,
                              [](const Json& item, const std::string& field) -> Result<StaffMember> {
                                if (!item.is_object()) return invalid(field, "must be an object");
                                StaffMember member;
                                LAUREL_TRY(read_string(item, "user", member.user, field));
                                LAUREL_TRY(read_string(item, "role", member.role, field));
                                return member;
                              }));
  LAUREL_TRY(read_extensions(json, issuer.extensions));
  LAUREL_TRY(read_bool(json, "didWeb", issuer.did_web));
  LAUREL_TRY(read_string(json, "credentialStatus", issuer.credential_status));
  if (issuer.credential_status.empty()) issuer.credential_status = "bitstring";  // older stores
  LAUREL_TRY(read_string(json, "createdAt", issuer.created_at));
  LAUREL_TRY(read_string(json, "createdBy", issuer.created_by));
  LAUREL_TRY(validate(issuer));
  return issuer;
}

Result<BadgeClass> badgeclass_from_json(const Json& json) {
  if (!json.is_object()) return invalid("", "a badge class must be a JSON object");
  BadgeClass badgeclass;
  LAUREL_TRY(read_string(json, "entityId", badgeclass.entity_id));
  LAUREL_TRY(read_string(json, "issuer", badgeclass.issuer));
  LAUREL_TRY(read_string(json, "name", badgeclass.name));
  LAUREL_TRY(read_string(json, "description", badgeclass.description));
  LAUREL_TRY(read_string(json, "image", badgeclass.image));
  LAUREL_TRY(read_string(json, "criteriaUrl", badgeclass.criteria_url));
  LAUREL_TRY(read_string(json, "criteriaNarrative", badgeclass.criteria_narrative));
  LAUREL_TRY(read_object_list(json, "alignments", badgeclass.alignments, alignment_from_json));
  LAUREL_TRY(read_string_list(json, "tags", badgeclass.tags));
  if (const Json* expires = json.find("expires"); expires != nullptr && !expires->is_null()) {
    if (!expires->is_object()) return invalid("expires", "must be {amount, duration} or null");
    const Json* amount = expires->find("amount");
    if (amount == nullptr || !amount->is_int()) {
      return invalid("expires.amount", "must be a whole number");
    }
    Expiration expiration;
    expiration.amount = amount->as_int();
    LAUREL_TRY(read_string(*expires, "duration", expiration.duration, "expires"));
    badgeclass.expires = expiration;
  }
  LAUREL_TRY(read_extensions(json, badgeclass.extensions));
  LAUREL_TRY(read_string(json, "createdAt", badgeclass.created_at));
  LAUREL_TRY(read_string(json, "createdBy", badgeclass.created_by));
  LAUREL_TRY(validate(badgeclass));
  return badgeclass;
}

// assertion_from_json without validate(): the members read and defaulted, nothing checked.
static Result<Assertion> read_assertion(const Json& json) {
  if (!json.is_object()) return invalid("", "an assertion must be a JSON object");
  Assertion assertion;
  LAUREL_TRY(read_string(json, "entityId", assertion.entity_id));
  LAUREL_TRY(read_string(json, "badgeclass", assertion.badgeclass));
  LAUREL_TRY(read_string(json, "issuer", assertion.issuer));
  const Json* recipient = json.find("recipient");
  if (recipient == nullptr || !recipient->is_object()) {
    return invalid("recipient", "is required and must be an object");
  }
  LAUREL_TRY(read_string(*recipient, "identity", assertion.recipient.identity, "recipient"));
  LAUREL_TRY(read_string(*recipient, "type", assertion.recipient.type, "recipient"));
  if (assertion.recipient.type.empty()) assertion.recipient.type = "email";  // Badgr's default
  LAUREL_TRY(read_bool(*recipient, "hashed", assertion.recipient.hashed, "recipient"));
  LAUREL_TRY(read_string(*recipient, "salt", assertion.recipient.salt, "recipient"));
  LAUREL_TRY(read_string(*recipient, "plaintextIdentity", assertion.recipient.plaintext_identity,
                         "recipient"));
  LAUREL_TRY(read_string(*recipient, "subjectId", assertion.recipient.subject_id, "recipient"));
  LAUREL_TRY(read_string(json, "issuedOn", assertion.issued_on));
  LAUREL_TRY(read_string(json, "narrative", assertion.narrative));
  LAUREL_TRY(read_object_list(json, "evidence", assertion.evidence, evidence_from_json));
  LAUREL_TRY(read_string(json, "expires", assertion.expires));
  LAUREL_TRY(read_bool(json, "revoked", assertion.revoked));
  LAUREL_TRY(read_string(json, "revocationReason", assertion.revocation_reason));
  LAUREL_TRY(read_string(json, "acceptance", assertion.acceptance));
  if (assertion.acceptance.empty()) assertion.acceptance = "Unaccepted";
  LAUREL_TRY(read_string(json, "verification", assertion.verification));
  if (assertion.verification.empty()) assertion.verification = "hosted";
  LAUREL_TRY(read_extensions(json, assertion.extensions));
  LAUREL_TRY(read_string(json, "createdAt", assertion.created_at));
  LAUREL_TRY(read_string(json, "createdBy", assertion.created_by));
  return assertion;
}

Result<Assertion> assertion_from_json(const Json& json) {
  auto assertion = read_assertion(json);
  if (!assertion.ok()) return assertion;
  LAUREL_TRY(validate(assertion.value()));
  return assertion;
}

// ---- validate ------------------------------------------------------------------------------

Status validate(const Alignment& alignment, const std::string& field) {
  LAUREL_TRY(check_text(join(field, "targetName"), alignment.target_name, limits::kNameMax, true));
  LAUREL_TRY(check_url(join(field, "targetUrl"), alignment.target_url, true));
  LAUREL_TRY(check_text(join(field, "targetDescription"), alignment.target_description,
                        limits::kTextMax, false));
  LAUREL_TRY(check_text(join(field, "targetFramework"), alignment.target_framework,
                        limits::kNameMax, false));
  LAUREL_TRY(check_text(join(field, "targetCode"), alignment.target_code, limits::kNameMax, false));
  return {};
}

Status validate(const Evidence& evidence, const std::string& field) {
  if (evidence.url.empty() && evidence.narrative.empty()) {
    return invalid(field, "evidence needs a url or a narrative");
  }
  LAUREL_TRY(check_url(join(field, "url"), evidence.url, false));
  LAUREL_TRY(check_text(join(field, "narrative"), evidence.narrative, limits::kTextMax, false));
  LAUREL_TRY(check_text(join(field, "name"), evidence.name, limits::kNameMax, false));
  LAUREL_TRY(check_text(join(field, "description"), evidence.description, limits::kTextMax, false));
  LAUREL_TRY(check_text(join(field, "genre"), evidence.genre, limits::kNameMax, false));
  LAUREL_TRY(check_text(join(field, "audience"), evidence.audience, limits::kNameMax, false));
  return {};
}

Status validate(const Issuer& issuer) {
  LAUREL_TRY(check_text("name", issuer.name, limits::kNameMax, true));
  if (issuer.email.empty()) return invalid("email", "is required");
  if (!is_email(issuer.email)) return invalid("email", "\"" + issuer.email + "\" is not an email address");
  LAUREL_TRY(check_url("url", issuer.url, true));
  LAUREL_TRY(check_text("description", issuer.description, limits::kTextMax, false));
  LAUREL_TRY(check_image(issuer.image));
  if (issuer.staff.size() > limits::kStaffMax) return invalid("staff", "has more than 1024 members");
  for (std::size_t i = 0; i < issuer.staff.size(); ++i) {
    const auto& member = issuer.staff[i];
    std::string field = "staff." + std::to_string(i);
    LAUREL_TRY(check_text(field + ".user", member.user, limits::kNameMax, true));
    if (member.role != "owner" && member.role != "editor" && member.role != "staff") {
      return invalid(field + ".role", "must be owner, editor or staff");
    }
  }
  LAUREL_TRY(check_extensions(issuer.extensions));
  const std::string& status = issuer.credential_status;
  if (status != "bitstring" && status != "1edtech" && status != "both") {
    return invalid("credentialStatus", "must be bitstring, 1edtech or both");
  }
  LAUREL_TRY(check_date("createdAt", issuer.created_at, false));
  return {};
}

Status validate(const BadgeClass& badgeclass) {
  LAUREL_TRY(check_id("issuer", badgeclass.issuer));
  LAUREL_TRY(check_text("name", badgeclass.name, limits::kNameMax, true));
  LAUREL_TRY(check_text("description", badgeclass.description, limits::kTextMax, true));
  LAUREL_TRY(check_image(badgeclass.image));
  LAUREL_TRY(check_url("criteriaUrl", badgeclass.criteria_url, false));
  LAUREL_TRY(check_text("criteriaNarrative", badgeclass.criteria_narrative, limits::kTextMax, false));
  if (badgeclass.alignments.size() > limits::kListMax) {
    return invalid("alignments", "has more than 64 items");
  }
  for (std::size_t i = 0; i < badgeclass.alignments.size(); ++i) {
    LAUREL_TRY(validate(badgeclass.alignments[i], "alignments." + std::to_string(i)));
  }
  if (badgeclass.tags.size() > limits::kListMax) return invalid("tags", "has more than 64 tags");
  for (std::size_t i = 0; i < badgeclass.tags.size(); ++i) {
    LAUREL_TRY(check_text("tags." + std::to_string(i), badgeclass.tags[i], limits::kTagMax, true));
  }
  if (badgeclass.expires) {
    if (badgeclass.expires->amount < 1 || badgeclass.expires->amount > 10000) {
      return invalid("expires.amount", "must be between 1 and 10000");
    }
    const std::string& unit = badgeclass.expires->duration;
    if (unit != "days" && unit != "weeks" && unit != "months" && unit != "years") {
      return invalid("expires.duration", "must be days, weeks, months or years");
    }
  }
  LAUREL_TRY(check_extensions(badgeclass.extensions));
  LAUREL_TRY(check_date("createdAt", badgeclass.created_at, false));
  return {};
}

Status validate(const Assertion& assertion) {
  LAUREL_TRY(check_id("badgeclass", assertion.badgeclass));
  LAUREL_TRY(check_id("issuer", assertion.issuer));
  const Recipient& recipient = assertion.recipient;
  static constexpr std::array<std::string_view, 4> kTypes = {"email", "url", "telephone", "id"};
  if (std::find(kTypes.begin(), kTypes.end(), recipient.type) == kTypes.end()) {
    return invalid("recipient.type", "must be email, url, telephone or id");
  }
  LAUREL_TRY(check_text("recipient.identity", recipient.identity, limits::kIdentityMax, true));
  if (recipient.hashed) {
    std::string_view identity = recipient.identity;
    bool sha = identity.substr(0, 7) == "sha256$" && identity.size() == 7 + 64 && is_hex(identity.substr(7));
    bool md5 = identity.substr(0, 4) == "md5$" && identity.size() == 4 + 32 && is_hex(identity.substr(4));
    if (!sha && !md5) return invalid("recipient.identity", "a hashed identity must be sha256$<64 hex>");
  }
  LAUREL_TRY(check_text("recipient.salt", recipient.salt, 256, false));
  LAUREL_TRY(check_text("recipient.plaintextIdentity", recipient.plaintext_identity,
                        limits::kIdentityMax, false));
  LAUREL_TRY(check_subject_id(recipient.subject_id));
  LAUREL_TRY(check_date("issuedOn", assertion.issued_on, true));
  LAUREL_TRY(check_date("expires", assertion.expires, false));
  if (!assertion.expires.empty() &&
      *parse_datetime(assertion.expires) <= *parse_datetime(assertion.issued_on)) {
    return invalid("expires", "must be after issuedOn");
  }
  LAUREL_TRY(check_text("narrative", assertion.narrative, limits::kTextMax, false));
  if (assertion.evidence.size() > limits::kListMax) return invalid("evidence", "has more than 64 items");
  for (std::size_t i = 0; i < assertion.evidence.size(); ++i) {
    LAUREL_TRY(validate(assertion.evidence[i], "evidence." + std::to_string(i)));
  }
  LAUREL_TRY(check_text("revocationReason", assertion.revocation_reason, limits::kTextMax, false));
  const std::string& acceptance = assertion.acceptance;
  if (acceptance != "Unaccepted" && acceptance != "Accepted" && acceptance != "Rejected") {
    return invalid("acceptance", "must be Unaccepted, Accepted or Rejected");
  }
  if (assertion.verification != "hosted" && assertion.verification != "signed") {
    return invalid("verification", "must be hosted or signed");
  }
  LAUREL_TRY(check_extensions(assertion.extensions));
  LAUREL_TRY(check_date("createdAt", assertion.created_at, false));
  return {};
}

// ---- apply_patch ---------------------------------------------------------------------------

Result<Issuer> apply_patch(const Issuer& current, const Json& patch) {
  static const PatchRules rules{{"name", "email", "url", "description", "image", "staff",
                                 "extensions", "didWeb", "credentialStatus"},
                                with_common({})};
  auto merged = merge_patch(to_json(current), patch, rules);
  if (!merged.ok()) return merged.error();
  return issuer_from_json(merged.value());
}

Result<BadgeClass> apply_patch(const BadgeClass& current, const Json& patch) {
  static const PatchRules rules{{"name", "description", "image", "criteriaUrl", "criteriaNarrative",
                                 "alignments", "tags", "expires", "extensions"},
                                with_common({"issuer"})};
  auto merged = merge_patch(to_json(current), patch, rules);
  if (!merged.ok()) return merged.error();
  return badgeclass_from_json(merged.value());
}

Result<Assertion> apply_patch(const Assertion& current, const Json& patch) {
  static const PatchRules rules{
      {"narrative", "evidence", "issuedOn", "expires", "extensions", "acceptance"},
      with_common({"badgeclass", "issuer", "recipient", "revoked", "revocationReason",
                   "verification"})};
  auto merged = merge_patch(to_json(current), patch, rules);
  if (!merged.ok()) return merged.error();
  // Dates are stored in one canonical UTC form.
  for (const char* key : {"issuedOn", "expires"}) {
    const Json* value = merged.value().find(key);
    if (value != nullptr && value->is_string()) {
      auto normalized = normalize_datetime(value->as_string());
      if (!normalized) return invalid(key, "must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z");
      merged.value().set(key, Json(*normalized));
    }
  }
  return assertion_from_json(merged.value());
}

}  // namespace laurel
