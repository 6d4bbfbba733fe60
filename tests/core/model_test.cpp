#include "laurel/model.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "laurel/ids.hpp"
#include "laurel/recipient.hpp"

namespace laurel {
namespace {

// OB 2.0 extensions are JSON-LD nodes with their own context.
constexpr const char* kExtensionContext = "https://example.org/ext.json";

Issuer sample_issuer() {
  Issuer issuer;
  issuer.entity_id = new_id();
  issuer.name = "Acme Academy";
  issuer.email = "badges@acme.example";
  issuer.url = "https://acme.example";
  issuer.description = "Teaches things";
  issuer.staff = {{"owner@acme.example", "owner"}};
  issuer.extensions = Json::object(
      {{"extensions:Foo", Json::object({{"@context", kExtensionContext},
                                         {"type", "extension:Foo"},
                                         {"bar", Json(1)}})}});
  issuer.created_at = "2026-01-01T00:00:00Z";
  return issuer;
}

BadgeClass sample_badgeclass() {
  BadgeClass badgeclass;
  badgeclass.entity_id = new_id();
  badgeclass.issuer = new_id();
  badgeclass.name = "Welder";
  badgeclass.description = "Can weld";
  badgeclass.criteria_url = "https://acme.example/criteria";
  badgeclass.alignments = {{"Welding", "https://frameworks.example/weld", "", "ESCO", "W1"}};
  badgeclass.tags = {"craft", "metal"};
  badgeclass.expires = Expiration{2, "years"};
  return badgeclass;
}

Assertion sample_assertion() {
  Assertion assertion;
  assertion.entity_id = new_id();
  assertion.badgeclass = new_id();
  assertion.issuer = new_id();
  assertion.recipient.salt = "deadsea";
  assertion.recipient.identity = hash_identity("nobody@example.org", "deadsea").value();
  assertion.recipient.plaintext_identity = "nobody@example.org";
  assertion.issued_on = "2026-01-01T00:00:00Z";
  assertion.expires = "2027-01-01T00:00:00Z";
  assertion.evidence = {{"https://acme.example/work/1", "Welded a gate", "", "", "", ""}};
  return assertion;
}

template <class T, class FromJson>
void expect_round_trip(const T& entity, FromJson from_json) {
  std::string text = to_json(entity).dump();
  auto parsed = Json::parse(text);
  ASSERT_TRUE(parsed.ok());
  auto back = from_json(parsed.value());
  ASSERT_TRUE(back.ok()) << back.error().field << ": " << back.error().message;
  EXPECT_EQ(back.value(), entity);
  EXPECT_EQ(to_json(back.value()).dump(), text);
}

TEST(Model, EveryEntityRoundTripsThroughCanonicalJson) {
  expect_round_trip(sample_issuer(), issuer_from_json);
  expect_round_trip(sample_badgeclass(), badgeclass_from_json);
  expect_round_trip(sample_assertion(), assertion_from_json);
}

TEST(Model, WritesBadgrFieldNames) {
  Json json = to_json(sample_badgeclass());
  for (const char* key : {"entityType", "entityId", "criteriaUrl", "criteriaNarrative", "alignments",
                          "tags", "expires", "extensions", "createdAt"}) {
    EXPECT_NE(json.find(key), nullptr) << key;
  }
  EXPECT_EQ(json.find("alignments")->as_array()[0].get_string("targetCode"), "W1");
  EXPECT_EQ(to_json(sample_assertion()).find("recipient")->get_string("plaintextIdentity"),
            "nobody@example.org");
}

TEST(Model, ValidationNamesTheField) {
  Issuer issuer = sample_issuer();
  issuer.email = "nope";
  EXPECT_EQ(validate(issuer).error().field, "email");
  issuer = sample_issuer();
  issuer.url = "javascript:alert(1)";
  EXPECT_EQ(validate(issuer).error().field, "url");
  issuer = sample_issuer();
  issuer.staff[0].role = "admin";
  EXPECT_EQ(validate(issuer).error().field, "staff.0.role");
  issuer = sample_issuer();
  issuer.name = std::string(300, 'x');
  EXPECT_EQ(validate(issuer).error().field, "name");

  BadgeClass badgeclass = sample_badgeclass();
  badgeclass.alignments[0].target_url = "not a url";
  EXPECT_EQ(validate(badgeclass).error().field, "alignments.0.targetUrl");
  badgeclass = sample_badgeclass();
  badgeclass.expires = Expiration{3, "fortnights"};
  EXPECT_EQ(validate(badgeclass).error().field, "expires.duration");
  badgeclass = sample_badgeclass();
  badgeclass.description.clear();
  EXPECT_EQ(validate(badgeclass).error().field, "description");

  Assertion assertion = sample_assertion();
  assertion.expires = "2025-01-01T00:00:00Z";
  EXPECT_EQ(validate(assertion).error().field, "expires");
  assertion = sample_assertion();
  assertion.recipient.type = "fax";
  EXPECT_EQ(validate(assertion).error().field, "recipient.type");
  assertion = sample_assertion();
  assertion.issued_on = "last tuesday";
  EXPECT_EQ(validate(assertion).error().field, "issuedOn");
  assertion = sample_assertion();
  assertion.evidence[0].url = "";
  assertion.evidence[0].narrative = "";
  EXPECT_EQ(validate(assertion).error().field, "evidence.0");
}

// Issue 13: blank names and untyped extensions were accepted and published.
TEST(Model, RefusesBlankNamesAndUntypedExtensions) {
  for (const std::string& blank : {std::string(" "), std::string("\0", 1), std::string("\t\n")}) {
    Issuer issuer = sample_issuer();
    issuer.name = blank;
    ASSERT_FALSE(validate(issuer).ok());
    EXPECT_EQ(validate(issuer).error().field, "name");
  }
  Issuer issuer = sample_issuer();
  issuer.extensions = Json::object({{"a", Json(5)}});
  EXPECT_EQ(validate(issuer).error().field, "extensions.a");
  issuer.extensions = Json::object({{"extensions:A", Json::object({{"type", "extension:A"}})}});
  EXPECT_EQ(validate(issuer).error().field, "extensions.extensions:A.@context");
  issuer.extensions =
      Json::object({{"extensions:A", Json::object({{"@context", kExtensionContext},
                                                   {"type", Json::Array{Json("Extension")}}})}});
  EXPECT_EQ(validate(issuer).error().field, "extensions.extensions:A.type");
  issuer.extensions = Json::object(
      {{"extensions:A",
        Json::object({{"@context", kExtensionContext},
                      {"type", Json::Array{Json("Extension"), Json("extension:A")}}})}});
  EXPECT_TRUE(validate(issuer).ok());
}

TEST(Model, FromJsonRefusesWrongTypes) {
  Json json = to_json(sample_issuer());
  json.set("name", Json(42));
  auto issuer = issuer_from_json(json);
  ASSERT_FALSE(issuer.ok());
  EXPECT_EQ(issuer.error().field, "name");
  EXPECT_FALSE(issuer_from_json(Json("not an object")).ok());
  Json badge = to_json(sample_badgeclass());
  badge.set("tags", Json("craft"));
  EXPECT_EQ(badgeclass_from_json(badge).error().field, "tags");
}

TEST(Model, PatchChangesOnlyWritableFields) {
  Issuer issuer = sample_issuer();
  auto patched = apply_patch(issuer, Json::object({{"name", Json("New name")}, {"description", Json()}}));
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched.value().name, "New name");
  EXPECT_EQ(patched.value().description, "");
  EXPECT_EQ(patched.value().email, issuer.email);

  auto read_only = apply_patch(issuer, Json::object({{"entityId", Json("AAAAAAAAAAAAAAAAAAAAAA")}}));
  EXPECT_EQ(read_only.error().field, "entityId");
  // Echoing a read-only field unchanged, as a client that PUTs back what it GOT, is fine.
  EXPECT_TRUE(apply_patch(issuer, Json::object({{"entityId", Json(issuer.entity_id)}})).ok());
  EXPECT_EQ(apply_patch(issuer, Json::object({{"colour", Json("red")}})).error().field, "colour");
  EXPECT_EQ(apply_patch(issuer, Json::object({{"email", Json()}})).error().field, "email");
}

TEST(Model, AssertionPatchNormalisesDates) {
  auto patched = apply_patch(sample_assertion(),
                             Json::object({{"issuedOn", Json("2026-01-02T01:00:00+01:00")}}));
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched.value().issued_on, "2026-01-02T00:00:00Z");
  auto recipient = apply_patch(sample_assertion(), Json::object({{"recipient", Json::object()}}));
  EXPECT_EQ(recipient.error().field, "recipient");
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

TEST(Model, FastAssertionWriterMatchesToJson) {
  Assertion full = sample_assertion();
  full.narrative = "Quote \" backslash \\ newline \n tab \t é";
  full.revoked = true;
  full.revocation_reason = "cheating";
  full.extensions = Json::object(
      {{"extensions:X", Json::object({{"@context", kExtensionContext},
                                         {"type", "extension:X"},
                                         {"a", Json(1.5)}})}});
  full.created_by = "someone";
  full.created_at = "2026-01-01T00:00:00Z";
  Assertion minimal = sample_assertion();
  minimal.evidence.clear();
  minimal.expires.clear();
  minimal.recipient.salt.clear();
  minimal.recipient.plaintext_identity.clear();
  for (const Assertion& assertion : {full, minimal, sample_assertion()}) {
    std::string fast;
    append_canonical_json(fast, assertion);
    EXPECT_EQ(fast, to_json(assertion).dump());
  }
}

/// An assertion with every member away from its default (the stored form keeps them all).
Assertion full_assertion() {
  Assertion full = sample_assertion();
  full.narrative = "Quote \" backslash \\ newline \n tab \t é";
  full.extensions = Json::object(
      {{"extensions:X", Json::object({{"@context", kExtensionContext},
                                      {"type", "extension:X"},
                                      {"a", Json(1.5)}})}});
  full.created_by = "someone";
  full.created_at = "2026-01-01T00:00:00Z";
  full.acceptance = "Accepted";
  full.verification = "signed";
  full.recipient.type = "url";
  full.recipient.hashed = false;
  full.recipient.identity = "https://example.org/me";
  full.recipient.salt.clear();
  full.recipient.plaintext_identity = "https://example.org/me";
  return full;
}

TEST(Model, StoredAssertionRoundTrips) {
  Assertion full = full_assertion();
  Assertion minimal = sample_assertion();
  minimal.evidence.clear();
  minimal.expires.clear();
  minimal.recipient.plaintext_identity.clear();
  minimal.created_at = minimal.issued_on;
  Assertion dated = sample_assertion();  // the store always records createdAt
  dated.created_at = "2026-01-01T00:00:05Z";
  for (const Assertion& assertion : {full, minimal, dated}) {
    std::string stored;
    append_stored_assertion(stored, assertion);
    auto json = Json::parse(stored);
    ASSERT_TRUE(json.ok()) << stored;
    EXPECT_EQ(json->dump(), stored) << "the stored form is canonical JSON";
    auto back = stored_assertion_from_json(json.value(), assertion.entity_id);
    ASSERT_TRUE(back.ok()) << back.error().field << " " << back.error().message;
    EXPECT_EQ(back.value(), assertion) << stored;
    EXPECT_EQ(stored.find("entityId"), std::string::npos);
  }
  // A bare award: the stored form is well under half of the wire form.
  std::string stored, wire;
  append_stored_assertion(stored, minimal);
  append_canonical_json(wire, minimal);
  EXPECT_LT(stored.size() * 2, wire.size()) << stored;
  EXPECT_EQ(stored.find("null"), std::string::npos) << stored;
  // Documents written before the stored form read back the same way.
  auto old = stored_assertion_from_json(to_json(minimal), "ignored-id-from-the-key");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->entity_id, "ignored-id-from-the-key");
}

}  // namespace
// The export's line spliced from the stored bytes is the line the decoder writes: every member
// present and left out, strings with escapes, extensions with numbers, revoked or not.
TEST(Model, StoredAssertionLineMatchesDecoding) {
  Assertion full = full_assertion();
  full.narrative = "Quote \" backslash \\ newline \n tab \t \x01 caf\xc3\xa9 \\\"";
  full.evidence.push_back({"", "Said \"yes\\\"", "Name", "", "", ""});
  full.extensions = Json::object(
      {{"extensions:X", Json::object({{"@context", kExtensionContext},
                                      {"type", "extension:X"},
                                      {"a", Json(1.5)},
                                      {"b", Json(1e21)},
                                      {"c", Json(std::int64_t(-12345678901234))},
                                      {"d", Json(Json::Array{Json("[{\"}]"), true, Json()})}})}});
  full.created_by = "someone \"quoted\"";
  full.created_at = "2026-01-01T00:00:05Z";
  full.recipient.subject_id = "did:example:me";
  Assertion minimal = sample_assertion();
  minimal.evidence.clear();
  minimal.expires.clear();
  minimal.recipient.salt.clear();
  minimal.recipient.plaintext_identity.clear();
  minimal.created_at = minimal.issued_on;
  for (const Assertion& assertion : {full, minimal, sample_assertion()}) {
    for (auto [revoked, reason] : {std::pair{false, ""}, std::pair{true, ""},
                                   std::pair{true, "Fraud: \"copied\"\n"}}) {
      std::string stored;
      append_stored_assertion(stored, assertion);
      auto decoded = stored_assertion_from_json(Json::parse(stored).value(), assertion.entity_id);
      ASSERT_TRUE(decoded.ok());
      decoded->revoked = revoked;
      decoded->revocation_reason = reason;
      std::string spliced;
      ASSERT_TRUE(append_canonical_json_of_stored(spliced, stored, assertion.entity_id, revoked,
                                                  reason))
          << stored;
      EXPECT_EQ(spliced, to_json(decoded.value()).dump()) << stored;
    }
  }
  // Not the stored form: the full form of older stores, damaged or foreign documents. Nothing is
  // appended; the caller decodes them (and reports what it cannot).
  std::string stored;
  append_stored_assertion(stored, minimal);
  const std::string id = minimal.entity_id;
  for (const std::string& other :
       {to_json(minimal).dump(), std::string(), std::string("{}"), stored.substr(1),
        stored.substr(0, stored.size() - 1), stored + " ", "{\"zzz\":1," + stored.substr(1),
        std::string("{\"badgeclass\":1,\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"identity\":\"z\"}}"),
        std::string("{\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"hashed\":0,\"identity\":\"z\"}}"),
        std::string("{\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"type\":\"email\"}}"),
        std::string("{\"badgeclass\":\"a\",\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":"
                    "\"y\",\"recipient\":{\"identity\":\"z\"}}")}) {
    std::string out = "kept";
    EXPECT_FALSE(append_canonical_json_of_stored(out, other, id, false, "")) << other;
    EXPECT_EQ(out, "kept");
  }
}

// A plain stored assertion read without a tree is the Assertion the tree path reads, whatever the
// output held before (a batch reuses it); a document the bytes reader leaves to the tree
// (evidence, extensions, escapes, other forms) is refused.
TEST(Model, StoredAssertionDecodesWithoutTree) {
  Assertion plain = sample_assertion();
  plain.evidence.clear();
  plain.created_at = plain.issued_on;
  Assertion minimal = plain;
  minimal.expires.clear();
  minimal.recipient.salt.clear();
  minimal.recipient.plaintext_identity.clear();
  Assertion other = full_assertion();  // every default away from its value
  other.narrative = "Caf\xc3\xa9 <b>ok</b> / 'single'";
  other.extensions = Json::object();
  other.evidence.clear();
  other.recipient.subject_id = "did:example:me";
  Assertion typed = minimal;
  typed.recipient.type = "id";
  typed.recipient.hashed = false;
  typed.recipient.identity = "did:example:you";
  typed.created_at = "2026-02-01T00:00:00Z";
  typed.created_by = "someone";
  Assertion reused = full_assertion();  // what the previous item left: every member set
  reused.revoked = true;
  reused.revocation_reason = "Earlier";
  for (const Assertion& assertion : {plain, minimal, other, typed, plain}) {
    std::string stored;
    append_stored_assertion(stored, assertion);
    auto by_tree =
        stored_assertion_from_json(Json::parse(stored).value(), assertion.entity_id, false);
    ASSERT_TRUE(by_tree.ok());
    ASSERT_TRUE(stored_assertion_from_stored(stored, assertion.entity_id, reused)) << stored;
    EXPECT_EQ(reused, by_tree.value()) << stored;
    EXPECT_EQ(reused, assertion) << stored;
  }

  Assertion escaped = plain;
  escaped.narrative = "Quote \" newline \n";
  Assertion control = plain;
  control.recipient.salt = std::string("a\x01z");
  Assertion with_extensions = full_assertion();
  with_extensions.evidence.clear();
  std::vector<std::string> refused;
  for (const Assertion& assertion : {sample_assertion(), escaped, control, with_extensions}) {
    refused.emplace_back();
    append_stored_assertion(refused.back(), assertion);
  }
  std::string stored;
  append_stored_assertion(stored, minimal);
  for (const std::string& bytes :
       {to_json(minimal).dump(), std::string(), std::string("{}"), stored.substr(1),
        stored + " ", "{\"zzz\":1," + stored.substr(1),
        std::string("{\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"identity\":\"z\xff\"}}"),
        std::string("{\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"identity\":\"z\n\"}}"),
        std::string("{\"badgeclass\":\"a\",\"issuedOn\":\"x\",\"issuer\":\"y\",\"recipient\":"
                    "{\"hashed\":null,\"identity\":\"z\"}}")}) {
    refused.push_back(bytes);
  }
  for (const std::string& bytes : refused) {
    Assertion out;
    EXPECT_FALSE(stored_assertion_from_stored(bytes, "id", out)) << bytes;
  }
}

}  // namespace laurel
