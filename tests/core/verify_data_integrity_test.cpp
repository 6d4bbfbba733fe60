// Hostile Data Integrity credentials (tests/wasm/cases/data_integrity.mjs builds the same through
// the wasm build): each gives a clear invalid report naming the failing check, in bounded time.
#include <gtest/gtest.h>

#include "laurel/verify.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

constexpr char kVc2[] = "https://www.w3.org/ns/credentials/v2";
constexpr char kOb3[] = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
// Absolute IRIs as properties: terms the contexts do not define would be dropped by expansion.
constexpr char kKnows[] = "https://vocab.example/knows";
constexpr char kItems[] = "https://vocab.example/items";
constexpr char kName[] = "https://vocab.example/name";

Json simple() {
  return Json::parse(test::read_file(test::fixtures() / "1edtech/ob30/simple.json")).value();
}

Json with_subject_member(Json credential, std::string key, Json value) {
  Json subject = *credential.find("credentialSubject");
  subject.set(std::move(key), std::move(value));
  credential.set("credentialSubject", std::move(subject));
  return credential;
}

const Check* failed_check(const Report& report, std::string_view name) {
  for (const Check& check : report.checks) {
    if (check.name == name && !check.ok) return &check;
  }
  return nullptr;
}

bool contains(const Check* check, std::string_view text) {
  return check != nullptr && check->message.find(text) != std::string::npos;
}

TEST(DataIntegrityHostile, APoisonGraphStopsAtTheCanonicalizationWorkLimit) {
  constexpr int kSize = 12;  // every node knows every other: identical first-degree hashes
  Json nodes = Json::array();
  for (int i = 0; i < kSize; ++i) {
    Json knows = Json::array();
    for (int j = 0; j < kSize; ++j) {
      if (j != i) knows.push_back(Json::object({{"@id", "_:n" + std::to_string(j)}}));
    }
    nodes.push_back(Json::object({{"@id", "_:n" + std::to_string(i)}, {kKnows, knows}}));
  }
  Report report = verify(with_subject_member(simple(), kKnows, nodes).dump());
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(contains(failed_check(report, "canonicalization"), "max_work"))
      << report.to_json().dump();
}

TEST(DataIntegrityHostile, TenThousandBlankNodesCanonicalizeAndTheProofFails) {
  Json items = Json::array();
  for (int i = 0; i < 10000; ++i) {
    items.push_back(Json::object({{kName, "item " + std::to_string(i)}}));
  }
  Report report = verify(with_subject_member(simple(), kItems, items).dump());
  EXPECT_FALSE(report.valid);
  EXPECT_NE(failed_check(report, "proof"), nullptr) << report.to_json().dump();
  EXPECT_EQ(failed_check(report, "canonicalization"), nullptr);
}

TEST(DataIntegrityHostile, DeepNestingIsRefusedBeforeAnyJsonLd) {
  std::string deep = "{}";
  for (int i = 0; i < 200; ++i) deep = "{\"nested\":" + deep + "}";
  std::string text = simple().dump();
  text.insert(text.find("\"credentialSubject\":{") + 21, "\"deep\":" + deep + ",");
  Report report = verify(text);
  EXPECT_FALSE(report.valid);
  EXPECT_NE(failed_check(report, "json"), nullptr) << report.to_json().dump();
}

TEST(DataIntegrityHostile, AContextLoopIsAnInvalidReport) {
  Json credential = simple();
  credential.set("@context",
                 Json(Json::Array{Json(kVc2), Json(kOb3), Json("https://evil.example/a")}));
  DocumentMap documents = {{"https://evil.example/a", R"({"@context":"https://evil.example/b"})"},
                           {"https://evil.example/b", R"({"@context":"https://evil.example/a"})"}};
  Report report = verify(credential.dump(), documents);
  EXPECT_FALSE(report.valid);
  const Check* failed = failed_check(report, "canonicalization");
  EXPECT_TRUE(contains(failed, "recursive") || contains(failed, "loop"))
      << report.to_json().dump();
}

TEST(DataIntegrityHostile, RedefiningAProtectedTermIsAnInvalidReport) {
  Json credential = simple();
  credential.set("@context", Json(Json::Array{Json(kVc2), Json(kOb3),
                                              Json::object({{"name", "https://evil.example/n"}})}));
  Report report = verify(credential.dump());
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(contains(failed_check(report, "canonicalization"), "protected"))
      << report.to_json().dump();
}

TEST(DataIntegrityHostile, AnUnknownContextIsMissingAndNamed) {
  Json credential = simple();
  const std::string extra = "https://contexts.example/extra.json";
  credential.set("@context", Json(Json::Array{Json(kVc2), Json(kOb3), Json(extra)}));
  Report report = verify(credential.dump());
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.missing,
            std::vector<std::string>({"https://example.com/issuers/876543", extra}));
  EXPECT_TRUE(contains(failed_check(report, "canonicalization"), extra))
      << report.to_json().dump();
}

TEST(DataIntegrityProofs, PurposeAndDatesOfAProofAreJudged) {
  Json credential = simple();
  Json proof = credential.find("proof")->as_array()[0];
  auto with_proof = [&](Json changed) {
    Json copy = credential;
    copy.set("proof", Json(Json::Array{std::move(changed)}));
    return copy.dump();
  };
  Json authentication = proof;
  authentication.set("proofPurpose", "authentication");
  EXPECT_TRUE(contains(failed_check(verify(with_proof(authentication)), "proof"), "proofPurpose"));
  Json future = proof;
  future.set("created", "2999-01-01T00:00:00Z");
  EXPECT_TRUE(contains(failed_check(verify(with_proof(future)), "proof"), "future"));
  Json expired = proof;
  expired.set("expires", "2011-01-01T00:00:00Z");
  EXPECT_TRUE(contains(failed_check(verify(with_proof(expired)), "proof"), "expired"));
  Json unknown = proof;
  unknown.set("cryptosuite", "bbs-2023");
  EXPECT_TRUE(
      contains(failed_check(verify(with_proof(unknown)), "proof"), "no proof Laurel verifies"));
}

TEST(DataIntegrityProofs, AKeyOfSomebodyElseIsRefused) {
  Json credential = simple();
  Json proof = credential.find("proof")->as_array()[0];
  proof.set("verificationMethod",
            "https://other.example/keys#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
  credential.set("proof", Json(Json::Array{proof}));
  DocumentMap documents = {
      {"https://other.example/keys",
       R"({"id":"https://other.example/keys","verificationMethod":[{"id":"https://other.example/)"
       R"(keys#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi","type":"Multikey","controller":)"
       R"("https://other.example/keys","publicKeyMultibase":"z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92)"
       R"(JmQwXbd5hwi"}]})"}};
  Report report = verify(credential.dump(), documents);
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(contains(failed_check(report, "key"), "not by the issuer"))
      << report.to_json().dump();
}

}  // namespace
}  // namespace laurel
