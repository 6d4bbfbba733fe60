// RDFC-1.0 against the W3C rdf-canon test suite (tests/data/rdfc, W3C licence: see its README),
// and against hostile graphs: each either finishes or fails with an error naming its limit.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/rdfc.hpp"
#include "test_files.hpp"

namespace {

using laurel::Json;
using laurel::rdfc::canonicalize;
using laurel::rdfc::canonicalize_with_map;
using laurel::rdfc::HashAlgorithm;
using laurel::rdfc::Limits;
using laurel::test::read_file;
using laurel::test::test_data;

// One row of tests/data/rdfc/manifest.csv (the suite's own CSV form of manifest.jsonld).
struct ManifestRow {
  std::string id, name, hash_algorithm, rdfc10, rdfc10map;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back().push_back('"');
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

std::vector<ManifestRow> manifest() {
  std::vector<ManifestRow> rows;
  std::string text = read_file(test_data() / "rdfc/manifest.csv");
  std::size_t start = text.find('\n') + 1;  // skip the header
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // the suite's CSV has CRLF lines
    auto fields = split_csv_line(line);
    start = end + 1;
    // test,name,comment,complexity,approval,hashAlgorithm,rdfc10,rdfc10map
    if (fields.size() < 8) continue;
    rows.push_back({fields[0], fields[1], fields[5], fields[6], fields[7]});
  }
  return rows;
}

std::filesystem::path case_file(const std::string& id, const std::string& suffix) {
  return test_data() / "rdfc/rdfc10" / (id + suffix);
}

TEST(Rdfc, PassesEveryEvaluationTestOfTheW3cSuite) {
  int passed = 0, sha384 = 0;
  for (const auto& row : manifest()) {
    SCOPED_TRACE(row.id + " " + row.name);
    if (row.rdfc10 != "TRUE") continue;
    const HashAlgorithm algorithm =
        row.hash_algorithm == "SHA384" ? HashAlgorithm::Sha384 : HashAlgorithm::Sha256;
    ASSERT_TRUE(row.hash_algorithm.empty() || row.hash_algorithm == "SHA256" ||
                row.hash_algorithm == "SHA384")
        << row.hash_algorithm;
    if (algorithm == HashAlgorithm::Sha384) ++sha384;
    auto canonical = canonicalize_with_map(read_file(case_file(row.id, "-in.nq")), algorithm);
    ASSERT_TRUE(canonical.ok()) << canonical.error().message;
    EXPECT_EQ(canonical->nquads, read_file(case_file(row.id, "-rdfc10.nq")));
    if (algorithm == HashAlgorithm::Sha256) {
      auto plain = canonicalize(read_file(case_file(row.id, "-in.nq")));
      ASSERT_TRUE(plain.ok()) << plain.error().message;
      EXPECT_EQ(plain.value(), canonical->nquads);
    }
    ++passed;
  }
  EXPECT_GE(passed, 60);
  EXPECT_EQ(sha384, 1);  // test075
}

// The suite's RDFC10MapTest cases: the issued identifiers map (input label -> canonical label).
TEST(Rdfc, IssuesTheIdentifierMapsOfTheW3cSuite) {
  int checked = 0;
  for (const auto& row : manifest()) {
    if (row.rdfc10map != "TRUE") continue;
    SCOPED_TRACE(row.id + " " + row.name);
    const HashAlgorithm algorithm =
        row.hash_algorithm == "SHA384" ? HashAlgorithm::Sha384 : HashAlgorithm::Sha256;
    auto canonical = canonicalize_with_map(read_file(case_file(row.id, "-in.nq")), algorithm);
    ASSERT_TRUE(canonical.ok()) << canonical.error().message;
    auto expected = Json::parse(read_file(case_file(row.id, "-rdfc10map.json")));
    ASSERT_TRUE(expected.ok());
    std::map<std::string, std::string> wanted;
    for (const auto& [label, canonical_label] : expected->as_object()) {
      wanted.emplace(label, canonical_label.as_string());
    }
    EXPECT_EQ(canonical->issued, wanted);
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(Rdfc, StopsEveryNegativeTestOfTheW3cSuiteAtTheWorkLimit) {
  int negative = 0;
  for (const auto& row : manifest()) {
    if (row.rdfc10 != "RDFC10NegativeEvalTest") continue;
    SCOPED_TRACE(row.id + " " + row.name);
    auto started = std::chrono::steady_clock::now();
    auto canonical = canonicalize(read_file(case_file(row.id, "-in.nq")));
    ASSERT_FALSE(canonical.ok());
    EXPECT_EQ(canonical.error().code, laurel::ErrorCode::Invalid);
    EXPECT_EQ(canonical.error().field, "rdfc");
    EXPECT_NE(canonical.error().message.find("max_work"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
    ++negative;
  }
  EXPECT_EQ(negative, 1);  // test074, the 10-node clique
}

TEST(Rdfc, ASmallerWorkLimitStopsTheEvilPoisonGraphs) {
  Limits limits;
  limits.max_work = 50;
  auto canonical = canonicalize(read_file(case_file("test044", "-in.nq")), limits);
  ASSERT_FALSE(canonical.ok());
  EXPECT_NE(canonical.error().message.find("max_work (50"), std::string::npos);
}

TEST(Rdfc, CanonicalizesTenThousandBlankNodesInAStar) {
  std::string nquads;
  for (int i = 0; i < 10'000; ++i) {
    nquads += "_:n" + std::to_string(i) + " <urn:ex:p> \"" + std::to_string(i) + "\" .\n";
    nquads += "<urn:ex:s> <urn:ex:q> _:n" + std::to_string(i) + " .\n";
  }
  auto canonical = canonicalize(nquads);
  ASSERT_TRUE(canonical.ok()) << canonical.error().message;
  EXPECT_NE(canonical->find("_:c14n9999 "), std::string::npos);
}

TEST(Rdfc, ALongChainOfLookAlikeBlankNodesFailsWithALimitInsteadOfOverflowingTheStack) {
  // Every inner node of the chain has the same first-degree hash, so Hash N-Degree Quads walks
  // the chain recursively from each of them.
  std::string nquads;
  for (int i = 0; i < 10'000; ++i) {
    nquads += "_:n" + std::to_string(i) + " <urn:ex:next> _:n" + std::to_string(i + 1) + " .\n";
  }
  auto canonical = canonicalize(nquads);
  ASSERT_FALSE(canonical.ok());
  EXPECT_EQ(canonical.error().field, "rdfc");
  EXPECT_TRUE(canonical.error().message.find("max_depth") != std::string::npos ||
              canonical.error().message.find("max_work") != std::string::npos)
      << canonical.error().message;
}

TEST(Rdfc, RefusesMoreQuadsThanTheLimit) {
  Limits limits;
  limits.max_quads = 2;
  auto canonical = canonicalize("<urn:a> <urn:p> \"1\" .\n<urn:a> <urn:p> \"2\" .\n"
                                "<urn:a> <urn:p> \"3\" .\n",
                                limits);
  ASSERT_FALSE(canonical.ok());
  EXPECT_NE(canonical.error().message.find("max_quads"), std::string::npos);
}

TEST(Rdfc, NamesTheLineOfAnNQuadsSyntaxError) {
  auto canonical = canonicalize("<urn:a> <urn:p> \"1\" .\n<urn:a> <urn:p> \"2 .\n");
  ASSERT_FALSE(canonical.ok());
  EXPECT_EQ(canonical.error().field, "nquads");
  EXPECT_NE(canonical.error().message.find("line 2"), std::string::npos);
  EXPECT_FALSE(canonicalize("<urn:a> _:p <urn:o> .\n").ok());
  EXPECT_FALSE(canonicalize("<a> <urn:p> <urn:o> .\n").ok());  // relative IRI
  EXPECT_FALSE(canonicalize("<urn:a> <urn:p> <urn:o> . x\n").ok());
}

TEST(Rdfc, RemovesDuplicateQuads) {
  auto canonical = canonicalize("_:x <urn:p> \"1\" .\n_:y <urn:p> \"1\" .\n_:x <urn:p> \"1\" .\n");
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(canonical.value(), "_:c14n0 <urn:p> \"1\" .\n_:c14n1 <urn:p> \"1\" .\n");
}

}  // namespace
