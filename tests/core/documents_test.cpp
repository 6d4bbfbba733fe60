#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "laurel/store.hpp"

namespace laurel {
namespace {

class Documents : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("laurel-documents-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = Store::open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::make_unique<Store>(std::move(store).value());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(Documents, PutThenGetReturnsTheSameJson) {
  Json user = Json::object({{"email", Json("a@b.org")}, {"scopes", Json(Json::Array{Json("rw:issuer")})}});
  ASSERT_TRUE(store_->put_document("users", "u1", user).ok());
  auto read = store_->get_document("users", "u1");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), user);
  EXPECT_EQ(store_->get_document("users", "u2").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->get_document("tokens", "u1").error().code, ErrorCode::NotFound);
}

TEST_F(Documents, ListsOneKindByPrefixInKeyOrder) {
  for (const char* key : {"b:2", "a:1", "b:1", "c"}) {
    ASSERT_TRUE(store_->put_document("things", key, Json::object({{"k", Json(key)}})).ok());
  }
  ASSERT_TRUE(store_->put_document("thingsx", "b:0", Json::object()).ok());
  auto all = store_->list_documents("things");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all.value().size(), 4u);
  EXPECT_EQ(all.value()[0].first, "a:1");
  auto some = store_->list_documents("things", "b:");
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some.value().size(), 2u);
  EXPECT_EQ(some.value()[0].first, "b:1");
  EXPECT_EQ(some.value()[1].second.get_string("k"), "b:2");
}

TEST_F(Documents, ReplaceIsACompareAndSet) {
  Json first = Json::object({{"v", Json(1)}});
  Json second = Json::object({{"v", Json(2)}});
  ASSERT_TRUE(store_->replace_document("tokens", "t", Json(), first).ok());
  EXPECT_EQ(store_->replace_document("tokens", "t", Json(), second).error().code,
            ErrorCode::Conflict);
  ASSERT_TRUE(store_->replace_document("tokens", "t", first, second).ok());
  // Consuming a one-time token: replace with null deletes it, once.
  ASSERT_TRUE(store_->replace_document("tokens", "t", second, Json()).ok());
  EXPECT_EQ(store_->replace_document("tokens", "t", second, Json()).error().code,
            ErrorCode::Conflict);
}

TEST_F(Documents, DeleteReportsWhetherItExisted) {
  ASSERT_TRUE(store_->put_document("users", "u", Json::object()).ok());
  EXPECT_TRUE(store_->delete_document("users", "u").value());
  EXPECT_FALSE(store_->delete_document("users", "u").value());
}

TEST_F(Documents, RefusesBadKindsKeysAndValues) {
  EXPECT_EQ(store_->put_document("Users", "u", Json::object()).error().field, "kind");
  EXPECT_EQ(store_->put_document("", "u", Json::object()).error().field, "kind");
  EXPECT_EQ(store_->put_document("users", "", Json::object()).error().field, "key");
  EXPECT_EQ(store_->put_document("users", std::string(600, 'k'), Json::object()).error().field, "key");
  EXPECT_EQ(store_->put_document("users", "u", Json("text")).error().field, "value");
  EXPECT_EQ(store_->list_documents("no kind").error().field, "kind");
}

TEST_F(Documents, SurviveReopening) {
  ASSERT_TRUE(store_->put_document("users", "u", Json::object({{"n", Json(7)}})).ok());
  store_.reset();
  auto reopened = Store::open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.value().get_document("users", "u").value().find("n")->as_int(), 7);
}

}  // namespace
}  // namespace laurel
