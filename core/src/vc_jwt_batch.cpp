#include "laurel/vc_jwt_batch.hpp"

#include <algorithm>
#include <tuple>

#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"

namespace laurel {
namespace {

// Sentinels: values no real assertion carries, each written by the canonical writer as itself
// (no escaping), so the template finds them verbatim. Text sentinels sit inside longer strings
// (the id in the credential's URL, the list id and index in the status entry's); the others are
// whole JSON values. The dates are valid, so vc_jwt_claims derives nbf and exp from them.
constexpr std::string_view kEntityId = "LAURELxSLOTxENTITYxID";
constexpr std::string_view kIdentity = "LAURELxSLOTxIDENTITY";
constexpr std::string_view kSalt = "LAURELxSLOTxSALT";
constexpr std::string_view kSubjectId = "LAURELxSLOTxSUBJECT";
constexpr std::string_view kNarrative = "LAURELxSLOTxNARRATIVE";
constexpr std::string_view kIssuedOn = "2999-01-01T00:00:01Z";
constexpr std::string_view kExpires = "2999-01-01T00:00:02Z";
constexpr std::string_view kEvidenceUrl = "LAURELxSLOTxEVIDENCE";
constexpr std::string_view kListId = "LAURELxSLOTxLIST";
constexpr std::uint64_t kListIndex = 987654321;  // real indexes are below kStatusListBits

std::string quoted_json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string json_text(const Json& value) { return value.dump(); }

// What decides which members a credential has (and so its template): the recipient's type and
// hashing (identityType, whether the identity is the subject's id), the optional values present,
// whether the assertion has a status bit.
std::string shape_key(const Assertion& assertion, bool with_status) {
  const Recipient& recipient = assertion.recipient;
  std::string key = recipient.type;
  key.push_back('\0');
  for (bool present : {recipient.hashed, !recipient.salt.empty(), !recipient.subject_id.empty(),
                       !assertion.narrative.empty(), !assertion.expires.empty(),
                       !assertion.evidence.empty(), with_status}) {
    key.push_back(present ? '1' : '0');
  }
  return key;
}

}  // namespace

VcJwtBatch::VcJwtBatch(const BadgeClass& badgeclass, const Issuer& issuer,
                       std::string_view base_url, std::string profile_id, const KeyPair& key,
                       std::string key_url)
    : badgeclass_(badgeclass),
      issuer_(issuer),
      base_url_(base_url),
      profile_id_(std::move(profile_id)),
      profile_(ob3_profile_node(issuer, profile_id_)),
      achievement_(ob3_achievement_node(badgeclass, base_url)),
      key_(key),
      header_part_(jws_header_part(key, vc_jwt_header(key_url))) {}

Json VcJwtBatch::credential(const Assertion& assertion, std::string_view list_id,
                            std::uint64_t index) const {
  CredentialOptions options;
  options.issuer_id = profile_id_;
  options.profile = &profile_;
  options.achievement = &achievement_;
  options.status = ob3_credential_status(issuer_, base_url_, list_id, index);
  return open_badge_credential(assertion, badgeclass_, issuer_, base_url_, options);
}

Result<std::string> VcJwtBatch::claims_by_tree(const Assertion& assertion,
                                               std::string_view list_id,
                                               std::uint64_t index) const {
  auto claims = vc_jwt_claims(credential(assertion, list_id, index));
  if (!claims.ok()) return claims.error();
  return claims->dump();
}

// The claims of a credential shaped like `like`, every varying value a sentinel, cut at the
// sentinels. Nullopt when the cut is ambiguous (two sentinels overlap).
std::optional<VcJwtBatch::Template> VcJwtBatch::make_template(const Assertion& like,
                                                              bool with_status) const {
  Assertion sample;
  sample.entity_id = kEntityId;
  sample.badgeclass = badgeclass_.entity_id;
  sample.issuer = issuer_.entity_id;
  sample.recipient.type = like.recipient.type;
  sample.recipient.hashed = like.recipient.hashed;
  sample.recipient.identity = kIdentity;
  if (!like.recipient.salt.empty()) sample.recipient.salt = kSalt;
  if (!like.recipient.subject_id.empty()) sample.recipient.subject_id = kSubjectId;
  if (!like.narrative.empty()) sample.narrative = kNarrative;
  sample.issued_on = kIssuedOn;
  if (!like.expires.empty()) sample.expires = kExpires;
  if (!like.evidence.empty()) {
    sample.evidence.emplace_back();
    sample.evidence.back().url = kEvidenceUrl;
  }
  auto text = claims_by_tree(sample, with_status ? kListId : std::string_view(), kListIndex);
  if (!text.ok()) return std::nullopt;

  const std::pair<std::string, Slot> tokens[] = {
      {std::string(kEntityId), Slot::EntityId},
      {quoted_json(kIdentity), Slot::Identity},
      {quoted_json(kSalt), Slot::Salt},
      {quoted_json(kSubjectId), Slot::SubjectId},
      {quoted_json(kNarrative), Slot::Narrative},
      {quoted_json(kIssuedOn), Slot::IssuedOn},
      {json_text(Json(*parse_datetime(kIssuedOn))), Slot::NotBefore},
      {quoted_json(kExpires), Slot::Expires},
      {json_text(Json(*parse_datetime(kExpires))), Slot::ExpiresAt},
      {json_text(credential_evidence(sample.evidence)), Slot::Evidence},
      {std::string(kListId), Slot::ListId},
      {std::to_string(kListIndex), Slot::ListIndex},
  };
  std::vector<std::tuple<std::size_t, std::size_t, Slot>> found;  // position, length, slot
  for (const auto& [token, slot] : tokens) {
    if (slot == Slot::Evidence && sample.evidence.empty()) continue;
    for (std::size_t at = text->find(token); at != std::string::npos;
         at = text->find(token, at + token.size())) {
      found.emplace_back(at, token.size(), slot);
    }
  }
  std::sort(found.begin(), found.end());
  Template cut;
  std::size_t done = 0;
  for (const auto& [at, length, slot] : found) {
    if (at < done) return std::nullopt;
    cut.literals.push_back(text->substr(done, at - done));
    cut.slots.push_back(slot);
    done = at + length;
  }
  cut.literals.push_back(text->substr(done));
  for (const std::string& literal : cut.literals) {
    std::array<std::string, 3>& encoded = cut.encoded.emplace_back();
    for (std::size_t phase = 0; phase < 3; ++phase) {
      const std::size_t head = (3 - phase) % 3;
      if (literal.size() < head) continue;
      const std::size_t whole = (literal.size() - head) / 3 * 3;
      append_base64url(encoded[phase], std::string_view(literal).substr(head, whole));
    }
  }
  return cut;
}

bool VcJwtBatch::render(const Template& claims, const Assertion& assertion,
                        std::string_view list_id, std::uint64_t index, std::string& out) {
  const auto valid_from = parse_datetime(assertion.issued_on);
  const auto valid_until = parse_datetime(assertion.expires);
  // The tree path decides what an unparsable date means (an error, or no "exp").
  if (!valid_from || (!assertion.expires.empty() && !valid_until)) return false;
  const Recipient& recipient = assertion.recipient;
  // The identity stands for the subject's id when the shape says it is one (see
  // open_badge_credential), so it takes the Identity slot there too.
  out.clear();
  literal_at_.clear();
  for (std::size_t k = 0; k < claims.slots.size(); ++k) {
    literal_at_.push_back(out.size());
    out += claims.literals[k];
    switch (claims.slots[k]) {
      case Slot::EntityId: append_json_escaped(out, assertion.entity_id); break;
      case Slot::Identity: append_json_string(out, recipient.identity); break;
      case Slot::Salt: append_json_string(out, recipient.salt); break;
      case Slot::SubjectId: append_json_string(out, recipient.subject_id); break;
      case Slot::Narrative: append_json_string(out, assertion.narrative); break;
      case Slot::IssuedOn: append_json_string(out, assertion.issued_on); break;
      case Slot::NotBefore: Json(*valid_from).dump_to(out); break;
      case Slot::Expires: append_json_string(out, assertion.expires); break;
      case Slot::ExpiresAt: Json(*valid_until).dump_to(out); break;
      case Slot::Evidence: credential_evidence(assertion.evidence).dump_to(out); break;
      case Slot::ListId: append_json_escaped(out, list_id); break;
      case Slot::ListIndex: out += std::to_string(index); break;
    }
  }
  literal_at_.push_back(out.size());
  out += claims.literals.back();
  return true;
}

// base64url works on 3-byte groups, so a literal's groups (less those it shares with the values
// around it) are the same in every token wherever it falls, given its offset mod 3; what lies
// between two literals' own groups (a value and the bytes it shares groups with) starts and ends
// on a group boundary and is encoded in one piece.
void VcJwtBatch::encode_claims(const Template& claims, std::string& token) const {
  const std::string_view text = claims_;
  std::size_t done = 0;  // claims_ encoded so far: whole groups
  for (std::size_t k = 0; k < claims.literals.size(); ++k) {
    const std::size_t phase = literal_at_[k] % 3;
    const std::size_t head = (3 - phase) % 3;
    const std::size_t size = claims.literals[k].size();
    if (size < head) continue;  // inside a group: encoded with the values around it
    const std::size_t own = literal_at_[k] + head;
    append_base64url(token, text.substr(done, own - done));
    token += claims.encoded[k][phase];
    done = own + (size - head) / 3 * 3;
  }
  append_base64url(token, text.substr(done));
}

Result<std::string> VcJwtBatch::signed_token(std::string_view claims, const Template* shape) {
  std::string token;
  // Sized for the header, the payload and the key's signature: a batch holds many tokens.
  token.reserve(header_part_.size() + 1 + (claims.size() + 2) / 3 * 4 + signature_part_);
  token = header_part_;
  token += '.';
  if (shape != nullptr) {
    encode_claims(*shape, token);
  } else {
    append_base64url(token, claims);
  }
  const std::size_t signing_input = token.size();
  LAUREL_TRY(jws_append_signature(key_, token));
  signature_part_ = token.size() - signing_input;
  return token;
}

Result<std::string> VcJwtBatch::sign(const Assertion& assertion, std::string_view list_id,
                                     std::uint64_t index) {
  const bool with_status = !list_id.empty();
  Shape& shape = shapes_[shape_key(assertion, with_status)];
  ++shape.uses;
  if (shape.uses >= 2 && !shape.templated && !shape.refused) {
    // Checked against this credential through the tree; one whose dates do not parse cannot
    // check it, and the next one of the shape tries again.
    auto made = make_template(assertion, with_status);
    auto expected = claims_by_tree(assertion, list_id, index);
    if (!made) {
      shape.refused = true;
    } else if (expected.ok() && render(*made, assertion, list_id, index, claims_)) {
      // The claims text, and its base64url from the encoded literals.
      std::string encoded;
      std::string by_text;
      encode_claims(*made, encoded);
      append_base64url(by_text, claims_);
      shape.templated = claims_ == expected.value() && encoded == by_text;
      shape.refused = !shape.templated;
      if (shape.templated) shape.claims = std::move(*made);
    }
  }
  if (!shape.templated || !render(shape.claims, assertion, list_id, index, claims_)) {
    auto claims = claims_by_tree(assertion, list_id, index);
    if (!claims.ok()) return claims.error();
    return signed_token(claims.value());
  }
#ifndef NDEBUG
  auto expected = claims_by_tree(assertion, list_id, index);
  std::string encoded;
  std::string by_text;
  encode_claims(shape.claims, encoded);
  append_base64url(by_text, claims_);
  if (!expected.ok() || expected.value() != claims_ || encoded != by_text) {
    return Error{ErrorCode::Internal, "credential",
                 "the VC-JWT template and the credential rule disagree for assertion " +
                     assertion.entity_id};
  }
#endif
  ++templated_;
  return signed_token(claims_, &shape.claims);
}

}  // namespace laurel
