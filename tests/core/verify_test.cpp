#include "laurel/verify.hpp"

#include <gtest/gtest.h>

#include <set>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "test_files.hpp"

namespace laurel {
namespace {

using test::fixtures;
using test::read_file;

std::string describe(const Report& report) { return report.to_json().dump(); }

VerifyOptions fixed_now() {
  VerifyOptions options;
  options.now = *parse_datetime("2026-01-01T00:00:00Z");
  return options;
}

// The OB 3.0 fixtures secured as VC-JWT (alone or baked); the others carry embedded Data
// Integrity proofs, which Laurel does not verify.
const std::set<std::string> kOb30Jwt = {"ob30/velocity.jwt", "ob30/simple-jwt.png", "ob30/simple-jwt.svg",
                                        "ob30/simple-jwt_v1.png", "ob30/simple-jwt_v1.svg"};

TEST(OneEdTechFixtures, ReachTheVerdictsOfExpectedJson) {
  auto expected = Json::parse(read_file(fixtures() / "1edtech/expected.json"));
  ASSERT_TRUE(expected.ok());
  DocumentMap documents = test::ob20_documents();
  std::size_t checked = 0;
  for (const auto& [file, verdict_json] : expected->as_object()) {
    if (file.rfind("ob30/", 0) == 0 && !kOb30Jwt.count(file)) continue;
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
  EXPECT_EQ(checked, 42u);
}

}  // namespace
}  // namespace laurel
