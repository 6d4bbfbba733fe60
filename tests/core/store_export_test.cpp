// Store::export_assertions: the streamed JSON lines are exactly the assertions as get_assertion
// reads them (to_json(...).dump()), for every shape of award and across the blocks the export
// formats in parallel; per issuer, newest first; a sink that stops ends the export.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "laurel/ids.hpp"
#include "laurel/store.hpp"
#include "laurel/store_testing.hpp"
#include "test_support.hpp"

namespace laurel::testing {
namespace {

class StoreExportTest : public StoreTest {
 protected:
  /// Every line of an export of `issuer_id` ("" for all), the sink's chunks joined.
  std::vector<std::string> export_lines(std::string_view issuer_id = "") {
    std::string text;
    auto count = store().export_assertions(issuer_id, [&](std::string_view chunk) {
      text += chunk;
      return true;
    });
    EXPECT_TRUE(count.ok()) << count.error().message;
    std::vector<std::string> lines;
    for (std::size_t begin = 0; begin < text.size();) {
      const std::size_t end = text.find('\n', begin);
      EXPECT_NE(end, std::string::npos) << "every line ends with a newline";
      if (end == std::string::npos) break;
      lines.push_back(text.substr(begin, end - begin));
      begin = end + 1;
    }
    if (count.ok()) {
      EXPECT_EQ(count.value(), lines.size());
    }
    return lines;
  }

  /// Checks that every line is its assertion as read by id; returns the ids in export order.
  std::vector<std::string> expect_lines_as_read(const std::vector<std::string>& lines) {
    std::vector<std::string> ids;
    for (const std::string& line : lines) {
      auto json = Json::parse(line);
      EXPECT_TRUE(json.ok()) << line;
      if (!json.ok()) continue;
      ids.push_back(json->get_string("entityId"));
      auto read = store().get_assertion(ids.back());
      EXPECT_TRUE(read.ok()) << ids.back();
      if (read.ok()) {
        EXPECT_EQ(line, to_json(read.value()).dump());
      }
    }
    return ids;
  }
};

TEST_F(StoreExportTest, LinesAreTheAssertionsAsReadNewestFirstPerIssuer) {
  // Every optional member, escapes and non-ASCII text, numbers in extensions, other recipient
  // types, a subject id, expiry; then bare awards enough to fill more than one block (16,384).
  std::vector<RecipientInput> varied;
  for (int i = 0; i < 12; ++i) {
    RecipientInput input = email_recipient("varied" + std::to_string(i) + "@example.org");
    if (i % 2 == 0) input.narrative = "Quote \" backslash \\ newline \n tab \t caf\xc3\xa9 \x01";
    if (i % 3 == 0) {
      Evidence evidence;
      evidence.url = "https://example.org/evidence/" + std::to_string(i);
      evidence.narrative = "Built \"it\"";
      evidence.genre = "Project";
      input.evidence = {evidence, evidence};
    }
    if (i % 4 == 1) {
      input.extensions = Json::object(
          {{"extensions:Score",
            Json::object({{"@context", Json("https://example.org/score.json")},
                          {"type", Json("extension:Score")},
                          {"score", Json(97.25)},
                          {"big", Json(1e21)},
                          {"parts", Json(Json::Array{Json(-3), Json("a]\"}"), Json()})}})}});
    }
    if (i % 5 == 2) input.hashed = false;
    if (i == 7) {
      input.type = "url";
      input.identity = "https://example.org/people/7";
      input.subject_id = "did:example:seven";
    }
    if (i == 9) input.expires = "2031-05-01T00:00:00Z";
    if (i == 10) input.issued_on = "2024-02-29T12:00:00Z";
    varied.push_back(input);
  }
  IssueOptions by_someone;
  by_someone.created_by = "admin@example.org";
  auto first = store().issue_batch(badgeclass_.entity_id, varied, by_someone);
  ASSERT_TRUE(first.ok() && first->committed);
  auto bare = store().issue_batch(badgeclass_.entity_id, recipients(17000));
  ASSERT_TRUE(bare.ok() && bare->committed);
  ASSERT_TRUE(store().revoke(first->items[3].entity_id, "Copied \"work\"\n\\").ok());
  ASSERT_TRUE(store().revoke(bare->items[16500].entity_id, "Duplicate").ok());
  ASSERT_TRUE(store()
                  .update_assertion(first->items[4].entity_id,
                                    Json::object({{"acceptance", Json("Accepted")}}))
                  .ok());
  auto other_issuer = store().create_issuer(sample_issuer("Other Academy"));
  ASSERT_TRUE(other_issuer.ok());
  auto other_badge = store().create_badgeclass(sample_badgeclass(other_issuer->entity_id));
  ASSERT_TRUE(other_badge.ok());
  auto other = store().issue_batch(other_badge->entity_id, recipients(5, "other"));
  ASSERT_TRUE(other.ok() && other->committed);
  // The two issuers' documents interleave in the table from here on, revoked ones too.
  for (int i = 0; i < 4; ++i) {
    const std::string email = "late" + std::to_string(i) + "@example.org";
    auto late = store().issue(badgeclass_.entity_id, email_recipient(email));
    ASSERT_TRUE(late.ok());
    auto late_other = store().issue(other_badge->entity_id, email_recipient(email));
    ASSERT_TRUE(late_other.ok());
    if (i % 2 == 1) {
      ASSERT_TRUE(store().revoke(late_other->entity_id, "Late").ok());
    }
  }

  const std::vector<std::string> lines = export_lines();
  ASSERT_EQ(lines.size(), 12u + 17000u + 5u + 8u);
  const std::vector<std::string> ids = expect_lines_as_read(lines);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  // Each issuer's run is newest first (raw ids are time-ordered, so descending).
  std::size_t descents = 0;
  for (std::size_t i = 1; i < ids.size(); ++i) {
    descents += id_from_text(ids[i]).value() < id_from_text(ids[i - 1]).value() ? 1 : 0;
  }
  EXPECT_EQ(descents, ids.size() - 2) << "two runs, one per issuer, each descending";

  const std::vector<std::string> only_other = export_lines(other_issuer->entity_id);
  ASSERT_EQ(only_other.size(), 9u);
  expect_lines_as_read(only_other);
  for (const std::string& line : only_other) {
    EXPECT_NE(std::find(lines.begin(), lines.end(), line), lines.end());
  }
}

// Documents an older store wrote in the full form are decoded and written out the same way.
TEST_F(StoreExportTest, DocumentsInTheOlderFullFormExportTheSame) {
  auto batch = store().issue_batch(badgeclass_.entity_id, recipients(3));
  ASSERT_TRUE(batch.ok() && batch->committed);
  ASSERT_TRUE(store().revoke(batch->items[1].entity_id, "Old \"reason\"").ok());
  const std::vector<std::string> before = export_lines();
  for (const IssueItemResult& item : batch->items) {
    ASSERT_TRUE(test_hooks::to_full_form_document(store(), item.entity_id).ok());
  }
  const std::vector<std::string> after = export_lines();
  EXPECT_EQ(after, before);
  expect_lines_as_read(after);
}

TEST_F(StoreExportTest, ASinkThatStopsEndsTheExport) {
  ASSERT_TRUE(store().issue_batch(badgeclass_.entity_id, recipients(40000)).ok());
  int calls = 0;
  auto count = store().export_assertions("", [&](std::string_view) {
    ++calls;
    return false;
  });
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::Cancelled);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace laurel::testing
