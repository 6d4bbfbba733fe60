// JSON-LD on Open Badges credentials and on hostile documents: every failure is a clear Error,
// reached in bounded time. (The W3C suite runs in jsonld_w3c_test.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "laurel/jsonld.hpp"
#include "laurel/rdfc.hpp"
#include "test_files.hpp"

namespace {

using laurel::ErrorCode;
using laurel::Json;
using laurel::Result;
using laurel::jsonld::DocumentLoader;
using laurel::jsonld::to_nquads;
using laurel::test::fixtures;
using laurel::test::read_file;

Json parse(std::string_view text) {
  auto parsed = Json::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? parsed.value() : Json();
}

// A loader over a fixed map of URL -> JSON text.
DocumentLoader map_loader(std::map<std::string, std::string> documents) {
  return [documents = std::move(documents)](std::string_view url) -> Result<Json> {
    auto it = documents.find(std::string(url));
    if (it == documents.end()) return laurel::not_found("url", std::string(url));
    return Json::parse(it->second);
  };
}

const DocumentLoader kNoLoader;

TEST(JsonLd, ServesEveryBuiltInContextTheCredentialsName) {
  for (const char* url : {
           "https://www.w3.org/2018/credentials/v1",
           "https://www.w3.org/ns/credentials/v2",
           "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.0.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
           "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
           "https://w3id.org/security/data-integrity/v1",
           "https://w3id.org/security/data-integrity/v2",
           "https://w3id.org/security/multikey/v1",
           "https://w3id.org/security/suites/ed25519-2020/v1",
           "https://www.w3.org/ns/did/v1",
           "https://w3id.org/security/v2",
       }) {
    const Json* context = laurel::jsonld::builtin_context(url);
    ASSERT_NE(context, nullptr) << url;
    EXPECT_NE(context->find("@context"), nullptr) << url;
  }
  EXPECT_EQ(laurel::jsonld::builtin_context("https://example.com/context.json"), nullptr);
  EXPECT_EQ(laurel::jsonld::builtin_context_urls().size(), 15u);
}

TEST(JsonLd, TurnsEveryOb30FixtureIntoCanonicalNQuads) {
  int converted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures() / "1edtech/ob30")) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    Json document = parse(read_file(entry.path()));
    auto nquads = to_nquads(document, kNoLoader);
    ASSERT_TRUE(nquads.ok()) << nquads.error().message;
    // simple-err-context.json lacks the VC context on purpose: its types stay undefined.
    if (entry.path().filename() != "simple-err-context.json") {
      EXPECT_NE(nquads->find("<https://www.w3.org/2018/credentials#VerifiableCredential>"),
                std::string::npos);
    }
    auto canonical = laurel::rdfc::canonicalize(nquads.value());
    ASSERT_TRUE(canonical.ok()) << canonical.error().message;
    ++converted;
  }
  EXPECT_GE(converted, 25);
}

TEST(JsonLd, ExpandsTheSimpleCredentialWithTheOb30Vocabulary) {
  Json document = parse(read_file(fixtures() / "1edtech/ob30/simple.json"));
  auto nquads = to_nquads(document, kNoLoader);
  ASSERT_TRUE(nquads.ok()) << nquads.error().message;
  EXPECT_NE(nquads->find(
                "<http://example.com/credentials/3527> "
                "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> ."),
            std::string::npos)
      << nquads.value();
  // The proof is a graph of its own, named by a blank node.
  EXPECT_NE(nquads->find("<https://w3id.org/security#cryptosuite> \"eddsa-rdfc-2022\"^^"
                         "<https://w3id.org/security#cryptosuiteString> _:"),
            std::string::npos)
      << nquads.value();
}

TEST(JsonLd, NamesTheUrlOfAnUnknownRemoteContext) {
  Json document = parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2",
      "https://example.com/unknown-context.json"], "type": "VerifiableCredential"})");
  auto nquads = to_nquads(document, kNoLoader);
  ASSERT_FALSE(nquads.ok());
  EXPECT_EQ(nquads.error().code, ErrorCode::NotFound);
  EXPECT_NE(nquads.error().message.find("https://example.com/unknown-context.json"),
            std::string::npos);
  // The same URL from the caller's loader works.
  auto loaded = to_nquads(document, map_loader({{"https://example.com/unknown-context.json",
                                                 R"({"@context": {"ex": "urn:ex:"}})"}}));
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
}

TEST(JsonLd, ReportsAContextLoop) {
  auto loader = map_loader({
      {"https://example.com/a", R"({"@context": ["https://example.com/b", {"a": "urn:a"}]})"},
      {"https://example.com/b", R"({"@context": ["https://example.com/a", {"b": "urn:b"}]})"},
  });
  auto nquads = to_nquads(parse(R"({"@context": "https://example.com/a", "a": 1})"), loader);
  ASSERT_FALSE(nquads.ok());
  EXPECT_EQ(nquads.error().code, ErrorCode::Invalid);
  EXPECT_NE(nquads.error().message.find("recursive context inclusion"), std::string::npos)
      << nquads.error().message;
}

TEST(JsonLd, StopsALongChainOfRemoteContexts) {
  std::map<std::string, std::string> documents;
  for (int i = 0; i < 200; ++i) {
    documents["https://example.com/" + std::to_string(i)] =
        R"({"@context": ["https://example.com/)" + std::to_string(i + 1) + R"(", {"t": "urn:t"}]})";
  }
  auto nquads = to_nquads(parse(R"({"@context": "https://example.com/0", "t": 1})"),
                          map_loader(documents));
  ASSERT_FALSE(nquads.ok());
  EXPECT_EQ(nquads.error().code, ErrorCode::Invalid);
  EXPECT_TRUE(nquads.error().message.find("max_remote_contexts") != std::string::npos ||
              nquads.error().message.find("contexts nested deeper") != std::string::npos)
      << nquads.error().message;
}

TEST(JsonLd, RefusesToRedefineAProtectedTerm) {
  auto nquads = to_nquads(parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2",
      {"VerifiableCredential": "urn:evil:Credential"}], "type": "VerifiableCredential"})"),
                          kNoLoader);
  ASSERT_FALSE(nquads.ok());
  EXPECT_EQ(nquads.error().code, ErrorCode::Invalid);
  EXPECT_EQ(nquads.error().message, "protected term redefinition: VerifiableCredential");
}

TEST(JsonLd, StopsDeepNestingWithAClearError) {
  Json document = parse(R"({"@context": {"@vocab": "urn:ex:"}})");
  Json* inner = &document;
  for (int i = 0; i < 1000; ++i) inner = &inner->set("child", Json::object());
  auto nquads = to_nquads(document, kNoLoader);
  ASSERT_FALSE(nquads.ok());
  EXPECT_NE(nquads.error().message.find("nested deeper than 64"), std::string::npos)
      << nquads.error().message;
}

TEST(JsonLd, StopsDeeplyNestedScopedContexts) {
  // Each term's scoped context defines the next term with a scoped context of its own.
  std::string context = R"({"@vocab": "urn:ex:"})";
  for (int i = 0; i < 20; ++i) {
    context = R"({"@vocab": "urn:ex:", "t": {"@id": "urn:ex:t", "@context": )" + context + "}}";
  }
  laurel::jsonld::Options options;
  options.max_context_depth = 8;
  auto nquads = to_nquads(parse(R"({"@context": )" + context + R"(, "t": {"v": 1}})"), kNoLoader,
                          options);
  ASSERT_FALSE(nquads.ok());
  EXPECT_NE(nquads.error().message.find("contexts nested deeper than 8"), std::string::npos)
      << nquads.error().message;
}

TEST(JsonLd, HandlesTenThousandBlankNodesQuickly) {
  Json items = Json::array();
  for (int i = 0; i < 10'000; ++i) items.push_back(Json::object({{"value", i}}));
  Json document = Json::object({{"@context", Json::object({{"@vocab", "urn:ex:"}})},
                                {"item", std::move(items)}});
  auto started = std::chrono::steady_clock::now();
  auto nquads = to_nquads(document, kNoLoader);
  ASSERT_TRUE(nquads.ok()) << nquads.error().message;
  auto canonical = laurel::rdfc::canonicalize(nquads.value());
  ASSERT_TRUE(canonical.ok()) << canonical.error().message;
  EXPECT_NE(canonical->find("_:c14n10000 "), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
}

TEST(JsonLd, RefusesMoreQuadsThanTheLimit) {
  Json items = Json::array();
  for (int i = 0; i < 100; ++i) items.push_back(i);
  Json document = Json::object({{"@context", Json::object({{"@vocab", "urn:ex:"}})},
                                {"value", std::move(items)}});
  laurel::jsonld::Options options;
  options.max_quads = 10;
  auto nquads = to_nquads(document, kNoLoader, options);
  ASSERT_FALSE(nquads.ok());
  EXPECT_NE(nquads.error().message.find("max_quads"), std::string::npos);
}

TEST(JsonLd, WritesJsonLiteralsAsCanonicalJson) {
  auto nquads = to_nquads(parse(R"({"@context": {"data": {"@id": "urn:ex:data", "@type": "@json"}},
      "@id": "urn:ex:s", "data": {"b": [1.5, 1e21, 1E-7, 100.0, "\u00e9\n"], "a": true}})"),
                          kNoLoader);
  ASSERT_TRUE(nquads.ok()) << nquads.error().message;
  EXPECT_EQ(nquads.value(),
            "<urn:ex:s> <urn:ex:data> \"{\\\"a\\\":true,\\\"b\\\":[1.5,1e+21,1e-7,100,"
            "\\\"\u00e9\\\\n\\\"]}\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n");
}

TEST(JsonLd, SortsJsonLiteralKeysByUtf16CodeUnitsAsRfc8785Asks) {
  // U+1F600 (a surrogate pair, 0xD83D...) sorts before U+FB01 in UTF-16, after it in UTF-8.
  auto nquads = to_nquads(parse(R"({"@context": {"data": {"@id": "urn:ex:data", "@type": "@json"}},
      "@id": "urn:ex:s", "data": {"\ufb01": 1, "\ud83d\ude00": 2}})"),
                          kNoLoader);
  ASSERT_TRUE(nquads.ok()) << nquads.error().message;
  EXPECT_NE(nquads->find("{\\\"\U0001F600\\\":2,\\\"\uFB01\\\":1}"), std::string::npos)
      << nquads.value();
}

TEST(JsonLd, GivesTheSameAnswerOnManyThreadsAtOnce) {
  Json document = parse(read_file(fixtures() / "1edtech/ob30/complete_v1.json"));
  auto expected = to_nquads(document, kNoLoader);
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto again = to_nquads(document, kNoLoader);
        if (!again.ok() || again.value() != expected.value()) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(JsonLd, WritesNumbersInTheirCanonicalForms) {
  auto nquads = to_nquads(parse(R"({"@context": {"@vocab": "urn:ex:"}, "@id": "urn:ex:s",
      "i": 42, "d": 1.5, "w": 2.0, "big": 1e21})"),
                          kNoLoader);
  ASSERT_TRUE(nquads.ok()) << nquads.error().message;
  const std::string xsd = "^^<http://www.w3.org/2001/XMLSchema#";
  EXPECT_NE(nquads->find("<urn:ex:i> \"42\"" + xsd + "integer>"), std::string::npos);
  EXPECT_NE(nquads->find("<urn:ex:d> \"1.5E0\"" + xsd + "double>"), std::string::npos);
  EXPECT_NE(nquads->find("<urn:ex:w> \"2\"" + xsd + "integer>"), std::string::npos);
  EXPECT_NE(nquads->find("<urn:ex:big> \"1.0E21\"" + xsd + "double>"), std::string::npos);
}

TEST(JsonLd, GivesTheSameAnswerOnEveryCallWithTheSharedContextCache) {
  Json document = parse(read_file(fixtures() / "1edtech/ob30/complete.json"));
  auto first = to_nquads(document, kNoLoader);
  ASSERT_TRUE(first.ok()) << first.error().message;
  for (int i = 0; i < 3; ++i) {
    auto again = to_nquads(document, kNoLoader);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), first.value());
  }
}

}  // namespace
