// The W3C JSON-LD 1.1 toRdf tests (tests/data/jsonld, W3C licence: see its README). Results are
// compared as RDF datasets: both sides canonicalized with RDFC-1.0, as the suite requires
// (isomorphism). Tests the suite marks for JSON-LD 1.0 only, or for options Laurel does not
// offer, are skipped; tests/data/jsonld/toRdf-skipped.txt lists each with its reason, and this
// test holds the list to the rules below.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "laurel/jsonld.hpp"
#include "laurel/rdfc.hpp"
#include "test_files.hpp"

namespace {

using laurel::Json;
using laurel::Result;
using laurel::test::read_file;
using laurel::test::test_data;

constexpr std::string_view kSuiteBase = "https://w3c.github.io/json-ld-api/tests/";

// Serves the suite's own files for its URLs (remote contexts in the tests); nothing else.
Result<Json> suite_loader(std::string_view url) {
  if (url.substr(0, kSuiteBase.size()) != kSuiteBase) {
    return laurel::not_found("url", "not a test-suite URL: " + std::string(url));
  }
  auto path = test_data() / "jsonld" / std::string(url.substr(kSuiteBase.size()));
  if (!std::filesystem::exists(path)) return laurel::not_found("url", std::string(url));
  return Json::parse(read_file(path));
}

// Why a test is not run, or "" when it is.
std::string skip_reason(const Json& test) {
  const Json* option = test.find("option");
  if (option == nullptr) return "";
  if (option->get_string("specVersion") == "json-ld-1.0") return "JSON-LD 1.0 only";
  if (option->get_string("processingMode") == "json-ld-1.0") return "processing mode json-ld-1.0";
  if (const Json* generalized = option->find("produceGeneralizedRdf");
      generalized && generalized->is_bool() && generalized->as_bool()) {
    return "generalized RDF (blank node predicates) is not produced";
  }
  return "";
}

std::string canonical(std::string_view nquads) {
  auto result = laurel::rdfc::canonicalize(nquads);
  return result.ok() ? result.value() : "canonicalization failed: " + result.error().message;
}

TEST(JsonLdW3c, PassesEveryToRdfTestThatNeedsNeitherTheNetworkNorJsonLd10) {
  auto manifest = Json::parse(read_file(test_data() / "jsonld/toRdf-manifest.jsonld"));
  ASSERT_TRUE(manifest.ok());
  int passed = 0, failed = 0;
  std::ostringstream skipped;
  for (const Json& test : manifest->find("sequence")->as_array()) {
    std::string id = test.get_string("@id");
    std::string reason = skip_reason(test);
    if (!reason.empty()) {
      skipped << id << " " << reason << "\n";
      continue;
    }
    SCOPED_TRACE(id + " " + test.get_string("name"));
    std::string input_url = std::string(kSuiteBase) + test.get_string("input");
    auto document = suite_loader(input_url);
    if (!document.ok()) {
      ++failed;
      ADD_FAILURE() << "cannot read " << input_url;
      continue;
    }
    laurel::jsonld::Options options;
    options.base = input_url;
    if (const Json* option = test.find("option")) {
      if (!option->get_string("base").empty()) options.base = option->get_string("base");
      options.rdf_direction = option->get_string("rdfDirection");
      // expandContext names a suite file: the runner reads it, the API takes the document.
      if (const std::string& context = option->get_string("expandContext"); !context.empty()) {
        auto loaded = suite_loader(std::string(kSuiteBase) + context);
        ASSERT_TRUE(loaded.ok()) << context;
        options.expand_context = std::move(loaded).value();
      }
    }
    auto nquads = laurel::jsonld::to_nquads(document.value(), suite_loader, options);
    const auto& types = test.find("@type")->as_array();
    auto is = [&](std::string_view type) {
      return std::find(types.begin(), types.end(), Json(type)) != types.end();
    };
    bool ok = false;
    std::string detail;
    if (is("jld:NegativeEvaluationTest")) {
      std::string code = test.get_string("expectErrorCode");
      ok = !nquads.ok();
      detail = ok ? "" : "expected the error \"" + code + "\", got:\n" + nquads.value();
      if (ok && nquads.error().message.rfind(code, 0) != 0) {
        ok = false;
        detail = "expected \"" + code + "\", got \"" + nquads.error().message + "\"";
      }
    } else if (!nquads.ok()) {
      detail = "error: " + nquads.error().message;
    } else if (is("jld:PositiveSyntaxTest")) {
      ok = true;
    } else {
      std::string expected =
          canonical(read_file(test_data() / "jsonld" / test.get_string("expect")));
      std::string actual = canonical(nquads.value());
      ok = expected == actual;
      detail = "expected:\n" + expected + "actual:\n" + actual;
    }
    if (ok) {
      ++passed;
    } else {
      ++failed;
      ADD_FAILURE() << detail;
    }
  }
  std::cout << "toRdf: " << passed << " passed, " << failed << " failed, skipped:\n"
            << skipped.str();
  EXPECT_EQ(skipped.str(), read_file(test_data() / "jsonld/toRdf-skipped.txt"));
  EXPECT_GT(passed, 400);
}

}  // namespace
