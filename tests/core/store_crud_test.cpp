// Opening a store, and create/read/update/delete of issuers and badge classes.
#include <gtest/gtest.h>

#include <fstream>

#include "laurel/ids.hpp"
#include "laurel/store.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;
using testing::TempDir;

TEST(StoreOpen, CreatesTheDirectoryAndItsFiles) {
  TempDir dir;
  const std::string path = dir.sub("nested/store");
  auto store = Store::open(path);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(store->path(), path);
  EXPECT_TRUE(std::filesystem::exists(path + "/data.mdb"));
}

TEST(StoreOpen, RefusesAPathThatIsAFile) {
  TempDir dir;
  const std::string path = dir.sub("plain-file");
  std::ofstream(path) << "not a store";
  auto store = Store::open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
  EXPECT_FALSE(store.error().message.empty());
}

TEST(StoreOpen, RefusesAnEmptyPath) {
  auto store = Store::open("");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::Storage);
}

TEST(StoreOpen, SharesOneEnvironmentWhenADirectoryIsOpenedTwice) {
  TempDir dir;
  auto first = Store::open(dir.path());
  ASSERT_TRUE(first.ok());
  auto second = Store::open(dir.path());
  ASSERT_TRUE(second.ok());
  auto issuer = first->create_issuer(testing::sample_issuer());
  ASSERT_TRUE(issuer.ok());
  // Closing one handle must not break the other (LMDB forbids two environments on one file).
  { Store closing = std::move(first.value()); }
  auto read = second->get_issuer(issuer->entity_id);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->name, "Laurel Academy");
}

TEST(StoreOpen, KeepsDataAcrossReopening) {
  TempDir dir;
  std::string id;
  {
    auto store = Store::open(dir.path());
    ASSERT_TRUE(store.ok());
    auto issuer = store->create_issuer(testing::sample_issuer());
    ASSERT_TRUE(issuer.ok());
    id = issuer->entity_id;
  }
  auto store = Store::open(dir.path());
  ASSERT_TRUE(store.ok());
  auto issuer = store->get_issuer(id);
  ASSERT_TRUE(issuer.ok());
  EXPECT_EQ(issuer->email, "badges@example.org");
}

TEST(StoreOpen, StoreIsMovable) {
  TempDir dir;
  auto opened = Store::open(dir.path());
  ASSERT_TRUE(opened.ok());
  Store moved = std::move(opened.value());
  Store assigned = std::move(moved);
  EXPECT_TRUE(assigned.create_issuer(testing::sample_issuer()).ok());
}

// ---- issuers -------------------------------------------------------------------------------

TEST_F(StoreTest, CreateIssuerAssignsIdAndCreatedAt) {
  Issuer draft = testing::sample_issuer("Other");
  draft.entity_id = "chosen-by-caller";
  draft.created_at = "1999-01-01T00:00:00Z";
  auto issuer = store().create_issuer(draft);
  ASSERT_TRUE(issuer.ok());
  EXPECT_EQ(issuer->entity_id.size(), kIdTextLength);
  EXPECT_TRUE(id_from_text(issuer->entity_id).has_value());
  EXPECT_NE(issuer->created_at, "1999-01-01T00:00:00Z");
  EXPECT_EQ(issuer->name, "Other");
}

TEST_F(StoreTest, GetIssuerReturnsWhatWasCreated) {
  auto issuer = store().get_issuer(issuer_.entity_id);
  ASSERT_TRUE(issuer.ok());
  EXPECT_EQ(issuer.value(), issuer_);
}

TEST_F(StoreTest, CreateIssuerRefusesInvalidFieldsByName) {
  Issuer no_name = testing::sample_issuer("");
  auto created = store().create_issuer(no_name);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::Invalid);
  EXPECT_EQ(created.error().field, "name");

  Issuer bad_url = testing::sample_issuer();
  bad_url.url = "ftp://example.org";
  created = store().create_issuer(bad_url);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().field, "url");

  Issuer bad_email = testing::sample_issuer();
  bad_email.email = "not an email";
  created = store().create_issuer(bad_email);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().field, "email");

  auto issuers = store().list_issuers();
  ASSERT_TRUE(issuers.ok());
  EXPECT_EQ(issuers->size(), 1u) << "nothing is written for invalid input";
}

TEST_F(StoreTest, GetIssuerReportsUnknownAndMalformedIdsAsNotFound) {
  for (const char* id : {"", "short", "AAAAAAAAAAAAAAAAAAAAAA", "!!!!!!!!!!!!!!!!!!!!!!",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto issuer = store().get_issuer(id);
    ASSERT_FALSE(issuer.ok()) << id;
    EXPECT_EQ(issuer.error().code, ErrorCode::NotFound) << id;
  }
}

TEST_F(StoreTest, UpdateIssuerChangesOnlyThePatchedFields) {
  auto updated = store().update_issuer(
      issuer_.entity_id, Json::object({{"name", Json("Renamed")}, {"description", Json()}}));
  ASSERT_TRUE(updated.ok()) << updated.error().field << ": " << updated.error().message;
  EXPECT_EQ(updated->name, "Renamed");
  EXPECT_EQ(updated->description, "");
  EXPECT_EQ(updated->email, issuer_.email);
  EXPECT_EQ(updated->entity_id, issuer_.entity_id);
  auto read = store().get_issuer(issuer_.entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), updated.value());
}

TEST_F(StoreTest, UpdateIssuerRefusesReadOnlyAndUnknownKeysAndBadValues) {
  auto changed_id = store().update_issuer(
      issuer_.entity_id, Json::object({{"entityId", Json("AAAAAAAAAAAAAAAAAAAAAA")}}));
  ASSERT_FALSE(changed_id.ok());
  EXPECT_EQ(changed_id.error().code, ErrorCode::Invalid);
  EXPECT_EQ(changed_id.error().field, "entityId");

  auto unknown = store().update_issuer(issuer_.entity_id, Json::object({{"colour", Json("red")}}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "colour");

  auto bad_url = store().update_issuer(issuer_.entity_id, Json::object({{"url", Json("nope")}}));
  ASSERT_FALSE(bad_url.ok());
  EXPECT_EQ(bad_url.error().field, "url");

  auto not_object = store().update_issuer(issuer_.entity_id, Json("name"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().code, ErrorCode::Invalid);

  auto missing =
      store().update_issuer("AAAAAAAAAAAAAAAAAAAAAA", Json::object({{"name", Json("x")}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);

  auto read = store().get_issuer(issuer_.entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), issuer_) << "refused updates write nothing";
}

TEST_F(StoreTest, DeleteIssuerWithBadgeClassesIsAConflict) {
  Status deleted = store().delete_issuer(issuer_.entity_id);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::Conflict);
  EXPECT_EQ(deleted.error().field, "issuer");
  EXPECT_TRUE(store().get_issuer(issuer_.entity_id).ok());
}

TEST_F(StoreTest, DeleteIssuerWithoutBadgeClassesRemovesIt) {
  ASSERT_TRUE(store().delete_badgeclass(badgeclass_.entity_id).ok());
  Status deleted = store().delete_issuer(issuer_.entity_id);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  auto gone = store().get_issuer(issuer_.entity_id);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
  Status again = store().delete_issuer(issuer_.entity_id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::NotFound);
  Status malformed = store().delete_issuer("x");
  EXPECT_EQ(malformed.error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, ListIssuersReturnsAllInCreationOrder) {
  auto second = store().create_issuer(testing::sample_issuer("Second"));
  ASSERT_TRUE(second.ok());
  auto issuers = store().list_issuers();
  ASSERT_TRUE(issuers.ok());
  ASSERT_EQ(issuers->size(), 2u);
  EXPECT_EQ(issuers.value()[0].entity_id, issuer_.entity_id);
  EXPECT_EQ(issuers.value()[1].entity_id, second->entity_id);
}

// ---- badge classes --------------------------------------------------------------------------

TEST_F(StoreTest, GetBadgeClassReturnsWhatWasCreated) {
  auto badgeclass = store().get_badgeclass(badgeclass_.entity_id);
  ASSERT_TRUE(badgeclass.ok());
  EXPECT_EQ(badgeclass.value(), badgeclass_);
  EXPECT_EQ(badgeclass->issuer, issuer_.entity_id);
}

TEST_F(StoreTest, CreateBadgeClassNeedsAnExistingIssuer) {
  auto unknown = store().create_badgeclass(testing::sample_badgeclass("AAAAAAAAAAAAAAAAAAAAAA"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_EQ(unknown.error().field, "issuer");

  auto malformed = store().create_badgeclass(testing::sample_badgeclass("not-an-id"));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().field, "issuer");

  auto missing = store().create_badgeclass(testing::sample_badgeclass(""));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::Invalid);
  EXPECT_EQ(missing.error().field, "issuer");
}

TEST_F(StoreTest, CreateBadgeClassRefusesInvalidFieldsByName) {
  BadgeClass no_description = testing::sample_badgeclass(issuer_.entity_id);
  no_description.description.clear();
  auto created = store().create_badgeclass(no_description);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::Invalid);
  EXPECT_EQ(created.error().field, "description");

  BadgeClass bad_alignment = testing::sample_badgeclass(issuer_.entity_id);
  bad_alignment.alignments.push_back(Alignment{"Skill", "not a url", "", "", ""});
  created = store().create_badgeclass(bad_alignment);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().field, "alignments.0.targetUrl");

  BadgeClass bad_expiry = testing::sample_badgeclass(issuer_.entity_id);
  bad_expiry.expires = Expiration{3, "fortnights"};
  created = store().create_badgeclass(bad_expiry);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::Invalid);

  auto all = store().list_badgeclasses();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(StoreTest, UpdateBadgeClassAppliesThePatchButNotToTheIssuer) {
  auto updated = store().update_badgeclass(
      badgeclass_.entity_id,
      Json::object({{"name", Json("Advanced Knots")}, {"tags", Json(Json::Array{Json("rope")})}}));
  ASSERT_TRUE(updated.ok()) << updated.error().field << ": " << updated.error().message;
  EXPECT_EQ(updated->name, "Advanced Knots");
  EXPECT_EQ(updated->tags, std::vector<std::string>{"rope"});

  auto other = store().create_issuer(testing::sample_issuer("Other"));
  ASSERT_TRUE(other.ok());
  auto moved = store().update_badgeclass(badgeclass_.entity_id,
                                         Json::object({{"issuer", Json(other->entity_id)}}));
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().field, "issuer");

  auto bad = store().update_badgeclass(badgeclass_.entity_id, Json::object({{"name", Json(7)}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "name");

  auto missing = store().update_badgeclass("", Json::object());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, UpdateBadgeClassNeverRewritesIssuedAssertions) {
  Assertion issued = issue_to("ada@example.org");
  auto updated = store().update_badgeclass(
      badgeclass_.entity_id,
      Json::object({{"expires", Json::object({{"amount", Json(1)}, {"duration", Json("days")}})}}));
  ASSERT_TRUE(updated.ok()) << updated.error().field << ": " << updated.error().message;
  auto read = store().get_assertion(issued.entity_id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), issued);
  EXPECT_EQ(read->expires, "");
}

// Issue 13: a badge class whose assertions were all revoked was deleted, and the revoked
// assertions' public documents then pointed at a missing badge class.
TEST_F(StoreTest, DeleteBadgeClassWithAnyAssertionIsAConflict) {
  Assertion first = issue_to("ada@example.org");
  Assertion second = issue_to("grace@example.org");
  ASSERT_TRUE(store().revoke(first.entity_id, "mistake").ok());
  Status deleted = store().delete_badgeclass(badgeclass_.entity_id);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::Conflict);
  EXPECT_EQ(deleted.error().field, "badgeclass");

  ASSERT_TRUE(store().revoke(second.entity_id, "mistake").ok());
  deleted = store().delete_badgeclass(badgeclass_.entity_id);
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.error().code, ErrorCode::Conflict);
  EXPECT_TRUE(store().get_badgeclass(badgeclass_.entity_id).ok());
}

TEST_F(StoreTest, DeleteBadgeClassReportsUnknownIds) {
  EXPECT_EQ(store().delete_badgeclass("AAAAAAAAAAAAAAAAAAAAAA").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().delete_badgeclass("?").error().code, ErrorCode::NotFound);
}

TEST_F(StoreTest, ListBadgeClassesByIssuer) {
  auto other_issuer = store().create_issuer(testing::sample_issuer("Other"));
  ASSERT_TRUE(other_issuer.ok());
  auto theirs =
      store().create_badgeclass(testing::sample_badgeclass(other_issuer->entity_id, "Theirs"));
  ASSERT_TRUE(theirs.ok());
  auto mine2 = store().create_badgeclass(testing::sample_badgeclass(issuer_.entity_id, "Second"));
  ASSERT_TRUE(mine2.ok());

  auto mine = store().list_badgeclasses(issuer_.entity_id);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ(mine.value()[0].entity_id, badgeclass_.entity_id);
  EXPECT_EQ(mine.value()[1].entity_id, mine2->entity_id);

  auto all = store().list_badgeclasses();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);

  auto unknown = store().list_badgeclasses("AAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().list_badgeclasses("bad").error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace laurel
