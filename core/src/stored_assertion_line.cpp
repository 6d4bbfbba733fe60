// The export's line of a stored assertion, spliced from the stored bytes. The stored form
// (append_stored_assertion) is canonical JSON whose members are the canonical JSON of the wire
// form's members, so the wire form (append_canonical_json) is those same member bytes in the same
// key order, with the left-out members put back: the id from the key, the revocation from its
// table and the defaults. Decoding each document into a tree and an Assertion and writing it out
// again (the general path) cost ~10x the export's other work; this reads each byte once.
// Model.StoredAssertionLineMatchesDecoding and the store's export test hold the two to the same
// bytes.
//
// The same split reads a plain stored assertion (no evidence, extensions or escaped strings)
// straight into an Assertion for the batches that read thousands back (Store::credentials):
// building a tree to read a dozen strings from cost VC-JWT issuing a sixth of its overhead.
// Model.StoredAssertionDecodesWithoutTree holds it to the tree path's Assertion.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "laurel/json.hpp"
#include "laurel/model.hpp"

namespace laurel {
namespace {

constexpr std::size_t kBad = std::string_view::npos;

/// The position after the JSON string that starts at text[pos] ('"'), or kBad: the next quote
/// not escaped, found by memchr (an escaped one follows an odd run of backslashes).
std::size_t skip_string(std::string_view text, std::size_t pos) {
  for (std::size_t from = pos + 1; from < text.size();) {
    const void* hit = std::memchr(text.data() + from, '"', text.size() - from);
    if (hit == nullptr) return kBad;
    const std::size_t quote = std::size_t(static_cast<const char*>(hit) - text.data());
    std::size_t run = quote;
    while (run > from && text[run - 1] == '\\') --run;
    if ((quote - run) % 2 == 0) return quote + 1;
    from = quote + 1;
  }
  return kBad;
}

/// The position after the JSON value that starts at text[pos], or kBad. Canonical JSON only (no
/// white space); nesting is followed by counting brackets outside strings.
std::size_t skip_value(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return kBad;
  const char first = text[pos];
  if (first == '"') return skip_string(text, pos);
  if (first == '{' || first == '[') {
    int depth = 0;
    for (std::size_t i = pos; i < text.size();) {
      const char c = text[i];
      if (c == '"') {
        i = skip_string(text, i);
        if (i == kBad) return kBad;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return kBad;
  }
  std::size_t end = pos;  // a number or a literal: up to the next delimiter
  while (end < text.size() && text[end] != ',' && text[end] != '}' && text[end] != ']') ++end;
  return end == pos ? kBad : end;
}

/// Splits the canonical JSON object `text` into the raw values of `keys` (sorted, as canonical
/// JSON orders members), empty for a key it lacks. False when `text` is not such an object, holds
/// a key not in `keys` or holds one twice.
template <std::size_t N>
bool split_members(std::string_view text, const std::array<std::string_view, N>& keys,
                   std::array<std::string_view, N>& values) {
  values.fill({});
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  std::size_t pos = 1;
  std::size_t next_key = 0;  // keys before this one are seen or absent: order is strict
  if (text[pos] == '}') return pos + 1 == text.size();
  for (;;) {
    if (text[pos] != '"') return false;
    const std::size_t after_key = skip_string(text, pos);
    if (after_key == kBad || after_key >= text.size() || text[after_key] != ':') return false;
    const std::size_t key_end = after_key - 1;
    const std::string_view key = text.substr(pos + 1, key_end - pos - 1);
    while (next_key < N && keys[next_key] != key) ++next_key;
    if (next_key == N) return false;
    const std::size_t value_end = skip_value(text, key_end + 2);
    if (value_end == kBad || value_end >= text.size()) return false;
    values[next_key++] = text.substr(key_end + 2, value_end - key_end - 2);
    pos = value_end + 1;
    if (text[value_end] == '}') return pos == text.size();
    if (text[value_end] != ',') return false;
  }
}

/// A member the decoder reads as a string: a JSON string, the empty one counting as absent.
bool string_member(std::string_view& value) {
  if (value == "\"\"") value = {};
  return value.empty() || value.front() == '"';
}

void append_or(std::string& out, std::string_view value, std::string_view otherwise) {
  out += value.empty() ? otherwise : value;
}

enum Top : std::size_t {
  kAcceptance, kBadgeclass, kCreatedAt, kCreatedBy, kEvidence, kExpires, kExtensions, kIssuedOn,
  kIssuer, kNarrative, kRecipient, kVerification, kTopCount
};
constexpr std::array<std::string_view, kTopCount> kTopKeys = {
    "acceptance", "badgeclass", "createdAt", "createdBy", "evidence", "expires", "extensions",
    "issuedOn", "issuer", "narrative", "recipient", "verification"};

enum RecipientMember : std::size_t {
  kHashed, kIdentity, kPlaintextIdentity, kSalt, kSubjectId, kType, kRecipientCount
};
constexpr std::array<std::string_view, kRecipientCount> kRecipientKeys = {
    "hashed", "identity", "plaintextIdentity", "salt", "subjectId", "type"};

/// The stored form's members split into raw values, with what both readers below rely on checked:
/// strings are strings, hashed a literal, evidence an array, extensions an object, and what the
/// decoder requires present. False when `stored` is not in that form.
bool split_stored(std::string_view stored, std::array<std::string_view, kTopCount>& top,
                  std::array<std::string_view, kRecipientCount>& recipient) {
  if (!split_members(stored, kTopKeys, top)) return false;
  if (!split_members(top[kRecipient], kRecipientKeys, recipient)) return false;
  for (Top text : {kAcceptance, kBadgeclass, kCreatedAt, kCreatedBy, kExpires, kIssuedOn, kIssuer,
                   kNarrative, kVerification}) {
    if (!string_member(top[text])) return false;
  }
  for (RecipientMember text : {kIdentity, kPlaintextIdentity, kSalt, kSubjectId, kType}) {
    if (!string_member(recipient[text])) return false;
  }
  const std::string_view hashed = recipient[kHashed];
  if (!hashed.empty() && hashed != "true" && hashed != "false") return false;
  if (!top[kEvidence].empty() && top[kEvidence].front() != '[') return false;
  if (!top[kExtensions].empty() && top[kExtensions].front() != '{') return false;
  // What the decoder requires; anything less is left to it, to be reported.
  return !top[kBadgeclass].empty() && !top[kIssuer].empty() && !top[kIssuedOn].empty() &&
         !recipient[kIdentity].empty();
}

/// Whether `stored` holds no escape and no raw control character (which the parser rejects):
/// then its strings' text is their bytes. Escaped strings are rare; unescaping is the parser's
/// job. One pass without early exit, which the compiler vectorises.
bool plain_text(std::string_view stored) {
  std::uint8_t bad = 0;
  for (char c : stored) {
    const auto byte = std::uint8_t(c);
    bad |= std::uint8_t(byte == '\\') | std::uint8_t(byte < 0x20);
  }
  return bad == 0;
}

/// The text of the JSON string `value` (raw, quotes included; empty: absent) of a plain_text
/// document into `out`.
void plain_string(std::string_view value, std::string& out) {
  if (value.empty()) {
    out.clear();
  } else {
    out.assign(value.substr(1, value.size() - 2));
  }
}

}  // namespace

bool append_canonical_json_of_stored(std::string& out, std::string_view stored,
                                     std::string_view entity_id, bool revoked,
                                     std::string_view revocation_reason) {
  std::array<std::string_view, kTopCount> top;
  std::array<std::string_view, kRecipientCount> recipient;
  if (!split_stored(stored, top, recipient)) return false;
  const std::string_view hashed = recipient[kHashed];

  out += "{\"acceptance\":";
  append_or(out, top[kAcceptance], "\"Unaccepted\"");
  out += ",\"badgeclass\":";
  out += top[kBadgeclass];
  out += ",\"createdAt\":";
  append_or(out, top[kCreatedAt], top[kIssuedOn]);  // left out when it equals issuedOn
  out += ",\"createdBy\":";
  append_or(out, top[kCreatedBy], "null");
  out += ",\"entityId\":";
  append_json_string(out, entity_id);
  out += ",\"entityType\":\"Assertion\",\"evidence\":";
  append_or(out, top[kEvidence], "[]");
  out += ",\"expires\":";
  append_or(out, top[kExpires], "null");
  out += ",\"extensions\":";
  append_or(out, top[kExtensions], "{}");
  out += ",\"issuedOn\":";
  out += top[kIssuedOn];
  out += ",\"issuer\":";
  out += top[kIssuer];
  out += ",\"narrative\":";
  append_or(out, top[kNarrative], "null");
  out += ",\"recipient\":{\"hashed\":";
  append_or(out, hashed, "true");
  out += ",\"identity\":";
  out += recipient[kIdentity];
  out += ",\"plaintextIdentity\":";
  append_or(out, recipient[kPlaintextIdentity], "null");
  out += ",\"salt\":";
  append_or(out, recipient[kSalt], "null");
  out += ",\"subjectId\":";
  append_or(out, recipient[kSubjectId], "null");
  out += ",\"type\":";
  append_or(out, recipient[kType], "\"email\"");
  out += "},\"revocationReason\":";
  if (revocation_reason.empty()) {
    out += "null";
  } else {
    append_json_string(out, revocation_reason);
  }
  out += ",\"revoked\":";
  out += revoked ? "true" : "false";
  out += ",\"verification\":";
  append_or(out, top[kVerification], "\"hosted\"");
  out.push_back('}');
  return true;
}

bool stored_assertion_from_stored(std::string_view stored, std::string_view entity_id,
                                  Assertion& out) {
  std::array<std::string_view, kTopCount> top;
  std::array<std::string_view, kRecipientCount> recipient;
  if (!split_stored(stored, top, recipient)) return false;
  // Evidence and extensions are trees: the tree path reads them.
  if (!top[kEvidence].empty() || !top[kExtensions].empty()) return false;
  // The parser rejects text that is not UTF-8; so does this reader, which copies bytes.
  if (!plain_text(stored) || !simdjson::validate_utf8(stored.data(), stored.size())) {
    return false;
  }
  // Every member is written, over what `out` held before (its strings' memory is reused).
  Recipient& to = out.recipient;
  plain_string(top[kBadgeclass], out.badgeclass);
  plain_string(top[kIssuer], out.issuer);
  plain_string(recipient[kIdentity], to.identity);
  plain_string(recipient[kType], to.type);
  plain_string(recipient[kSalt], to.salt);
  plain_string(recipient[kPlaintextIdentity], to.plaintext_identity);
  plain_string(recipient[kSubjectId], to.subject_id);
  plain_string(top[kIssuedOn], out.issued_on);
  plain_string(top[kNarrative], out.narrative);
  plain_string(top[kExpires], out.expires);
  plain_string(top[kAcceptance], out.acceptance);
  plain_string(top[kVerification], out.verification);
  plain_string(top[kCreatedAt], out.created_at);
  plain_string(top[kCreatedBy], out.created_by);
  // The defaults the stored form leaves out, as read_assertion and stored_assertion_from_json
  // fill them in, and what the store keeps elsewhere.
  if (to.type.empty()) to.type = "email";
  to.hashed = recipient[kHashed] != "false";
  if (out.acceptance.empty()) out.acceptance = "Unaccepted";
  if (out.verification.empty()) out.verification = "hosted";
  if (out.created_at.empty()) out.created_at = out.issued_on;
  out.entity_id.assign(entity_id);
  out.evidence.clear();
  out.extensions = Json::object();
  out.revoked = false;
  out.revocation_reason.clear();
  return true;
}

}  // namespace laurel
