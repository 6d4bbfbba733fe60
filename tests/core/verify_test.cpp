#include "laurel/verify.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <fstream>
#include <set>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "sample_badge.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

using test::fixtures;
using test::read_file;

std::string describe(const Report& report) {
  return report.to_json().dump();
}

VerifyOptions fixed_now() {
  VerifyOptions options;
  options.now = *parse_datetime("2026-01-01T00:00:00Z");
  return options;
}

// The Bitstring Status List the two bit-string-list fixtures name, where the 1EdTech validator's
// tests serve it.
const std::string kTestlistUrl =
    "https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/"
    "main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist";

TEST(OneEdTechFixtures, ReachTheVerdictsOfExpectedJson) {
  auto expected = Json::parse(read_file(fixtures() / "1edtech/expected.json"));
  ASSERT_TRUE(expected.ok());
  DocumentMap documents = test::ob20_documents();
  documents[kTestlistUrl] = read_file(fixtures() / "1edtech/ob30/bit-string-list/testlist");
  std::size_t checked = 0;
  for (const auto& [file, verdict_json] : expected->as_object()) {
    const std::string& verdict = verdict_json.as_string();
    Report report = verify(read_file(fixtures() / "1edtech" / file), documents, fixed_now());
    ++checked;
    if (verdict == "invalid") {
      EXPECT_FALSE(report.valid) << file << " " << describe(report);
    } else {
      EXPECT_TRUE(report.valid) << file << " " << describe(report);
      if (verdict == "valid-with-warning") {
        EXPECT_FALSE(report.warnings.empty()) << file << " " << describe(report);
      }
    }
  }
  EXPECT_EQ(checked, 74u);
}

// Issue 11: a peer's revoked credential (Bitstring Status List) was valid with only a warning.
TEST(OneEdTechFixtures, BitstringStatusListRevocationFailsTheStatusCheck) {
  const std::string& list_url = kTestlistUrl;
  DocumentMap documents = {
      {list_url, read_file(fixtures() / "1edtech/ob30/bit-string-list/testlist")}};
  for (const char* file : {"credential-status-revoked.json",
                           "credential-status-revoked-blank-nodes.json"}) {
    const std::string input = read_file(fixtures() / "1edtech/ob30/bit-string-list" / file);
    Report report = verify(input, documents, fixed_now());
    EXPECT_FALSE(report.valid) << file;
    auto status = std::find_if(report.checks.begin(), report.checks.end(),
                               [](const Check& check) { return check.name == "status"; });
    ASSERT_NE(status, report.checks.end()) << file << " " << describe(report);
    EXPECT_FALSE(status->ok) << file;
    EXPECT_NE(status->message.find("revoked (entry 23 of the status list"), std::string::npos)
        << status->message;
    // Without the list: a warning that says so, and the list is what the report asks for.
    Report unknown = verify(input, DocumentMap{}, fixed_now());
    EXPECT_NE(std::find(unknown.missing.begin(), unknown.missing.end(), list_url),
              unknown.missing.end())
        << file;
  }
}

// tests/data/verify/reports.json: the reports every face must reproduce (see its README).
TEST(GoldenReports, NativeReportsAreTheGoldenOnes) {
  auto cases = Json::parse(read_file(test::test_data() / "verify/reports.json"));
  ASSERT_TRUE(cases.ok());
  ASSERT_GE(cases->size(), 10u);
  DocumentMap ob20 = test::ob20_documents();
  DocumentMap ob3 = {{"https://badges.example.edu/public/keys/KEYKEYKEYKEYKEYKEYKEYK",
                      read_file(test::test_data() / "ob3/key.json")},
                     {"https://badges.example.edu/public/ob3/issuers/AAAAAAAAAAAAAAAAAAAAAA",
                      read_file(test::test_data() / "ob3/issuer.json")}};
  Json updated = Json::array();
  for (const Json& item : cases->as_array()) {
    const std::string& input = item.get_string("input");
    std::string path = input.substr(input.find(':') + 1);
    std::string text = input.rfind("fixtures:", 0) == 0 ? read_file(fixtures() / path)
                                                        : read_file(test::test_data() / path);
    VerifyOptions options;
    options.now = parse_datetime(item.get_string("now"));
    options.recipient = item.get_string("recipient");
    const std::string& which = item.get_string("documents");
    DocumentMap documents = which == "ob20-assets" ? ob20 : which == "ob3" ? ob3 : DocumentMap{};
    Json report = verify(text, documents, options).to_json();
    EXPECT_EQ(report, *item.find("report")) << item.get_string("name");
    updated.push_back(item);
    updated.as_array().back().set("report", std::move(report));
  }
  // LAUREL_UPDATE_GOLDEN=1 rewrites the reports after an intended change (review the diff).
  if (std::getenv("LAUREL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(test::test_data() / "verify/reports.json") << updated.dump() << "\n";
  }
}

TEST(OneEdTechFixtures, PreparedDocumentsGiveTheSameReports) {
  auto expected = Json::parse(read_file(fixtures() / "1edtech/expected.json"));
  ASSERT_TRUE(expected.ok());
  DocumentMap documents = test::ob20_documents();
  DocumentSet prepared(documents);
  EXPECT_EQ(prepared.size(), documents.size());
  for (const auto& [file, verdict] : expected->as_object()) {
    std::string input = read_file(fixtures() / "1edtech" / file);
    EXPECT_EQ(verify(input, prepared, fixed_now()).to_json(),
              verify(input, documents, fixed_now()).to_json())
        << file;
  }
}

}  // namespace
}  // namespace laurel

namespace laurel {
namespace {

using test::kBase;

// A Laurel badge as the public documents of documents.hpp, keyed by their URLs.
struct PublishedBadge {
  Issuer issuer = test::sample_issuer();
  BadgeClass badgeclass = test::sample_badgeclass();
  Assertion assertion = test::sample_assertion();
  std::vector<std::pair<std::string, std::string>> revoked;
  std::string key_id = "KEYKEYKEYKEYKEYKEYKEYK";

  DocumentMap documents(const PublicKey* key = nullptr) const {
    DocumentMap map;
    map[issuer_url(kBase, issuer.entity_id)] =
        issuer_document(issuer, kBase,
                        key ? std::vector<std::string>{key_id} : std::vector<std::string>{})
            .dump();
    map[badgeclass_url(kBase, badgeclass.entity_id)] =
        badgeclass_document(badgeclass, kBase).dump();
    map[revocation_list_url(kBase, issuer.entity_id)] =
        revocation_list_document(issuer.entity_id, revoked, kBase).dump();
    if (key)
      map[key_url(kBase, key_id)] = key_document(issuer.entity_id, key_id, *key, kBase).dump();
    return map;
  }
  std::string hosted() const { return assertion_document(assertion, kBase).dump(); }
  std::string signed_with(const KeyPair& key) const {
    return jws_sign(key, assertion_document(assertion, kBase, key_id).dump()).value();
  }
};

bool has_failed_check(const Report& report, std::string_view name) {
  return std::any_of(report.checks.begin(), report.checks.end(),
                     [&](const Check& check) { return check.name == name && !check.ok; });
}

TEST(Verify, LaurelHostedAssertionIsValidWithItsDocuments) {
  PublishedBadge badge;
  Report report = verify(badge.hosted(), badge.documents(), fixed_now());
  EXPECT_TRUE(report.valid) << describe(report);
  EXPECT_FALSE(report.recipient_match.has_value());
  EXPECT_EQ(report.badge.get_string("name"), "Robotics");
  EXPECT_EQ(report.badge.get_string("verification"), "hosted");
  EXPECT_EQ(report.badge.find("issuer")->get_string("name"), "Example University");
}

TEST(Verify, ReportJsonHasTheShapeEveryFaceReturns) {
  PublishedBadge badge;
  VerifyOptions options = fixed_now();
  options.recipient = "ada@example.org";
  Json json = verify(badge.hosted(), badge.documents(), options).to_json();
  for (const char* key :
       {"valid", "checks", "errors", "warnings", "badge", "recipientMatch", "missing"}) {
    EXPECT_NE(json.find(key), nullptr) << key;
  }
  EXPECT_EQ(json.size(), 7u);
  EXPECT_TRUE(json.find("missing")->is_array());
  EXPECT_TRUE(json.find("recipientMatch")->as_bool());
  const Json& first = json.find("checks")->as_array().at(0);
  EXPECT_EQ(first.size(), 3u);
  EXPECT_TRUE(first.find("name")->is_string() && first.find("ok")->is_bool() &&
              first.find("message")->is_string());
  EXPECT_TRUE(verify("x").to_json().find("recipientMatch")->is_null());
}

TEST(Verify, RecipientMatchesOnlyTheAwardedIdentity) {
  PublishedBadge badge;
  VerifyOptions options = fixed_now();
  options.recipient = "  ADA@example.org ";
  Report match = verify(badge.hosted(), badge.documents(), options);
  EXPECT_TRUE(match.valid) << describe(match);
  EXPECT_EQ(match.recipient_match, true);
  options.recipient = "eve@example.org";
  Report other = verify(badge.hosted(), badge.documents(), options);
  EXPECT_FALSE(other.valid);
  EXPECT_EQ(other.recipient_match, false);
  EXPECT_TRUE(has_failed_check(other, "recipient"));
}

TEST(Verify, SignedAssertionsVerifyWithBothAlgorithmsAndEveryTamperingIsCaught) {
  for (const KeyPair& key : {test::rsa_test_key(), test::ed25519_test_key()}) {
    PublishedBadge badge;
    DocumentMap documents = badge.documents(&key.public_key());
    std::string token = badge.signed_with(key);
    Report report = verify(token, documents, fixed_now());
    EXPECT_TRUE(report.valid) << describe(report);
    EXPECT_EQ(report.badge.get_string("verification"), "signed");
    std::size_t payload_at = token.find('.') + 5;
    std::size_t signature_at = token.rfind('.') + 5;
    for (std::size_t at :
         {std::size_t(3), payload_at, payload_at + 40, signature_at, token.size() - 2}) {
      std::string tampered = token;
      tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
      Report bad = verify(tampered, documents, fixed_now());
      EXPECT_FALSE(bad.valid) << "changed character " << at << " " << describe(bad);
    }
  }
}

TEST(Verify, SignedAssertionNeedsAKeyOwnedAndListedByTheIssuer) {
  KeyPair key = test::ed25519_test_key();
  PublishedBadge badge;
  std::string token = badge.signed_with(key);
  DocumentMap documents = badge.documents(&key.public_key());
  documents.erase(key_url(kBase, badge.key_id));
  EXPECT_TRUE(has_failed_check(verify(token, documents, fixed_now()), "key"));

  documents = badge.documents(&key.public_key());
  documents[key_url(kBase, badge.key_id)] =
      key_document("SOMEONEELSESOMEONEELSE", badge.key_id, key.public_key(), kBase).dump();
  Report stolen = verify(token, documents, fixed_now());
  EXPECT_FALSE(stolen.valid);
  EXPECT_TRUE(has_failed_check(stolen, "key")) << describe(stolen);

  documents = badge.documents(&key.public_key());
  documents[issuer_url(kBase, badge.issuer.entity_id)] =
      issuer_document(badge.issuer, kBase).dump();
  EXPECT_TRUE(has_failed_check(verify(token, documents, fixed_now()), "key"));

  KeyPair other = test::rsa_test_key();
  documents = badge.documents(&other.public_key());
  EXPECT_TRUE(has_failed_check(verify(token, documents, fixed_now()), "signature"));
}

TEST(Verify, SignedAssertionPresentedAsBareJsonIsNotTrusted) {
  KeyPair key = test::ed25519_test_key();
  PublishedBadge badge;
  std::string bare = assertion_document(badge.assertion, kBase, badge.key_id).dump();
  EXPECT_TRUE(
      has_failed_check(verify(bare, badge.documents(&key.public_key()), fixed_now()), "signature"));
}

TEST(Verify, RevocationByFlagByListAndByOneEntryList) {
  PublishedBadge badge;
  badge.revoked = {{badge.assertion.entity_id, "awarded by mistake"}};
  Report listed = verify(badge.hosted(), badge.documents(), fixed_now());
  EXPECT_FALSE(listed.valid);
  EXPECT_TRUE(has_failed_check(listed, "revocation"));
  EXPECT_NE(describe(listed).find("awarded by mistake"), std::string::npos);

  // A one-entry list written as a single object instead of an array.
  PublishedBadge single;
  DocumentMap documents = single.documents();
  documents[revocation_list_url(kBase, single.issuer.entity_id)] =
      Json::object({{"@context", std::string(kOb2Context)},
                    {"type", "RevocationList"},
                    {"id", revocation_list_url(kBase, single.issuer.entity_id)},
                    {"revokedAssertions",
                     Json::object({{"id", assertion_url(kBase, single.assertion.entity_id)}})}})
          .dump();
  EXPECT_TRUE(has_failed_check(verify(single.hosted(), documents, fixed_now()), "revocation"));

  PublishedBadge flagged;
  flagged.assertion.revoked = true;
  EXPECT_TRUE(
      has_failed_check(verify(flagged.hosted(), flagged.documents(), fixed_now()), "revocation"));

  // An old baked copy is caught by the hosted copy the caller fetched.
  PublishedBadge hosted;
  std::string old_copy = hosted.hosted();
  hosted.assertion.revoked = true;
  DocumentMap with_copy = hosted.documents();
  with_copy[assertion_url(kBase, hosted.assertion.entity_id)] = hosted.hosted();
  EXPECT_TRUE(has_failed_check(verify(old_copy, with_copy, fixed_now()), "revocation"));

  PublishedBadge missing;
  DocumentMap no_list = missing.documents();
  no_list.erase(revocation_list_url(kBase, missing.issuer.entity_id));
  EXPECT_TRUE(has_failed_check(verify(missing.hosted(), no_list, fixed_now()), "revocation"));
}

TEST(Verify, DatesAreJudgedAgainstNow) {
  PublishedBadge badge;
  badge.assertion.expires = "2025-06-01T00:00:00Z";
  EXPECT_TRUE(has_failed_check(verify(badge.hosted(), badge.documents(), fixed_now()), "expiry"));
  VerifyOptions earlier;
  earlier.now = *parse_datetime("2025-01-01T00:00:00Z");
  EXPECT_TRUE(verify(badge.hosted(), badge.documents(), earlier).valid);
  earlier.now = *parse_datetime("2024-04-01T00:00:00Z");
  EXPECT_TRUE(has_failed_check(verify(badge.hosted(), badge.documents(), earlier), "issued"));
}

TEST(Verify, MissingDocumentsMakeTheBadgeInvalidAndAreListedAsData) {
  PublishedBadge badge;
  Report bare = verify(badge.hosted(), DocumentMap{}, fixed_now());
  EXPECT_TRUE(has_failed_check(bare, "badgeclass"));
  ASSERT_EQ(bare.missing.size(), 1u);
  EXPECT_EQ(bare.missing[0], Json::parse(badge.hosted()).value().get_string("badge"));
  DocumentMap no_issuer = badge.documents();
  no_issuer.erase(issuer_url(kBase, badge.issuer.entity_id));
  Report without_issuer = verify(badge.hosted(), no_issuer, fixed_now());
  EXPECT_TRUE(has_failed_check(without_issuer, "issuer"));
  EXPECT_EQ(without_issuer.missing,
            std::vector<std::string>{issuer_url(kBase, badge.issuer.entity_id)});
  EXPECT_TRUE(verify(badge.hosted(), badge.documents(), fixed_now()).missing.empty());
}

TEST(Verify, HostedAssertionMustLiveWhereItsIssuerAllows) {
  PublishedBadge badge;
  Json moved = Json::parse(badge.hosted()).value();
  moved.set("id", "https://elsewhere.example/a/1");
  EXPECT_TRUE(has_failed_check(verify(moved.dump(), badge.documents(), fixed_now()), "hosted"));
}

TEST(Verify, BakeUnbakeVerifyRoundTripAndTamperedChunk) {
  PublishedBadge badge;
  KeyPair key = test::ed25519_test_key();
  DocumentMap documents = badge.documents(&key.public_key());
  std::string heart = read_file(fixtures() / "baking/public_domain_heart.png");
  std::string svg = read_file(fixtures() / "baking/unbaked_example.svg");
  for (const std::string& content : {badge.hosted(), badge.signed_with(key)}) {
    for (const std::string& image : {heart, svg}) {
      auto baked = bake(image, content);
      ASSERT_TRUE(baked.ok());
      Report report = verify(baked.value(), documents, fixed_now());
      EXPECT_TRUE(report.valid) << describe(report);
    }
  }
  auto baked = bake(heart, badge.hosted());
  ASSERT_TRUE(baked.ok());
  std::string tampered = baked.value();
  std::size_t at = tampered.find("Robotics");
  at = at == std::string::npos ? tampered.find("issuedOn") : at;
  ASSERT_NE(at, std::string::npos);
  tampered[at + 2] ^= 0x01;
  Report report = verify(tampered, documents, fixed_now());
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(has_failed_check(report, "input")) << describe(report);
}

TEST(Verify, BakedUrlIsFollowedThroughTheDocuments) {
  PublishedBadge badge;
  DocumentMap documents = badge.documents();
  documents["http://example.org/badgeinstance1"] = badge.hosted();
  // text_url_heart.png (an OB 1.0 style bake) carries only the URL
  // http://example.org/badgeinstance1: the verifier reads the assertion from the documents.
  Report report = verify(test::read_file(test::test_data() / "baking/text_url_heart.png"),
                         documents, fixed_now());
  EXPECT_EQ(report.badge.get_string("id"), assertion_url(kBase, badge.assertion.entity_id));
  EXPECT_FALSE(has_failed_check(report, "input"));
  Report unsupplied = verify(test::read_file(test::test_data() / "baking/text_url_heart.png"),
                             DocumentMap{}, fixed_now());
  EXPECT_TRUE(has_failed_check(unsupplied, "input"));
}

TEST(Verify, HostileInputGivesAnInvalidReportNotACrash) {
  std::string deep(100000, '[');
  std::string deep_object;
  for (int i = 0; i < 1000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(1000, '}');
  std::vector<std::string> inputs = {
      "",
      "   ",
      deep,
      deep_object,
      "{\"@context\":\"" + std::string(8 << 20, 'x') + "\"}",
      "{\"type\":\"Assertion\",\"id\":\"\xc3\x28\"}",
      "\xff\xfe\xfd",
      "{\"a\":1,\"a\":2}",
      "a.b.c",
      "eyJhbGciOiJub25lIn0.e30.",
      std::string(kImageMaxBytes + 1, '{'),
      std::string("\x89PNG\r\n\x1a\n", 8),
      read_file(fixtures() / "1edtech/ob20/simple-badge.png").substr(0, 300),
      "<svg><openbadges:assertion verify=\"https://x\"><![CDATA[{",
      "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":\"Assertion\"}",
      "{\"@context\":\"https://w3id.org/openbadges/v2\",\"type\":[],\"id\":\"https://x\"}",
      "{\"vc\":7}",
  };
  for (const std::string& input : inputs) {
    Report report = verify(input, DocumentMap{}, fixed_now());
    EXPECT_FALSE(report.valid) << input.substr(0, 60);
    EXPECT_FALSE(report.errors.empty()) << input.substr(0, 60);
  }
  Report deep_report = verify(deep_object, DocumentMap{}, fixed_now());
  EXPECT_NE(describe(deep_report).find("nesting"), std::string::npos) << describe(deep_report);
}

TEST(Verify, ReferenceLoopsAndHugeDocumentMapsAreBounded) {
  // A badge class whose issuer is itself, and many endorsements: the verifier follows a bounded
  // number of documents.
  PublishedBadge badge;
  DocumentMap documents = badge.documents();
  Json badgeclass =
      Json::parse(documents[badgeclass_url(kBase, badge.badgeclass.entity_id)]).value();
  Json endorsements = Json::array();
  for (int i = 0; i < 200; ++i) {
    std::string url = "https://e.example/" + std::to_string(i);
    endorsements.push_back(url);
    documents[url] = "{\"type\":\"Endorsement\",\"id\":\"" + url + "\"}";
  }
  badgeclass.set("endorsement", std::move(endorsements));
  documents[badgeclass_url(kBase, badge.badgeclass.entity_id)] = badgeclass.dump();
  Report report = verify(badge.hosted(), documents, fixed_now());
  EXPECT_FALSE(report.valid);
  EXPECT_NE(describe(report).find("more than 64"), std::string::npos);
}

}  // namespace
}  // namespace laurel
