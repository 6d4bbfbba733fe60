#include "laurel/keyring.hpp"

#include <gtest/gtest.h>

#include "laurel/documents.hpp"
#include "laurel/ids.hpp"
#include "laurel/jws.hpp"
#include "laurel/keywrap.hpp"
#include "laurel/verify.hpp"
#include "sample_badge.hpp"

namespace laurel {
namespace {

const std::string kIssuer = "AAAAAAAAAAAAAAAAAAAAAA";

TEST(KeyRing, NewRecordUnlocksToASigningKeyMatchingItsPublicKey) {
  std::string kek = new_kek();
  for (KeyAlgorithm algorithm : {KeyAlgorithm::EdDSA, KeyAlgorithm::RS256}) {
    auto record = new_key_record(kek, kIssuer, algorithm, "2026-01-01T00:00:00Z");
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_TRUE(id_from_text(record->key_id).has_value());
    EXPECT_EQ(record->algorithm, algorithm);
    auto key = unlock_key(record.value(), kek);
    ASSERT_TRUE(key.ok()) << key.error().message;
    auto signature = key->sign("m");
    ASSERT_TRUE(signature.ok());
    EXPECT_TRUE(verify_signature(record->public_key, "m", signature.value()));
  }
}

TEST(KeyRing, StoredFormRoundTripsAndHidesNothingPrivateInThePublicInfo) {
  std::string kek = new_kek();
  auto record = new_key_record(kek, kIssuer, KeyAlgorithm::EdDSA, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(record.ok());
  auto back = key_record_from_json(Json::parse(to_json(record.value()).dump()).value());
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), record.value());
  Json info = public_key_info(record.value());
  EXPECT_EQ(info.find("wrappedKey"), nullptr);
  EXPECT_TRUE(info.find("retiredAt")->is_null());
  EXPECT_EQ(info.get_string("alg"), "EdDSA");
}

TEST(KeyRing, RecordMovedToAnotherIssuerOrKeyDoesNotUnlock) {
  std::string kek = new_kek();
  auto record = new_key_record(kek, kIssuer, KeyAlgorithm::EdDSA, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(record.ok());
  KeyRecord moved = record.value();
  moved.issuer_id = "BBBBBBBBBBBBBBBBBBBBBB";
  EXPECT_EQ(unlock_key(moved, kek).error().code, ErrorCode::Crypto);
  KeyRecord renamed = record.value();
  renamed.key_id = new_id();
  EXPECT_FALSE(unlock_key(renamed, kek).ok());
  KeyRecord swapped = record.value();
  swapped.public_key = test::ed25519_test_key().public_key();
  EXPECT_FALSE(unlock_key(swapped, kek).ok());
  EXPECT_FALSE(unlock_key(record.value(), new_kek()).ok());
}

TEST(KeyRing, RotationRetiresTheOldKeyWhoseBadgesStillVerify) {
  std::string kek = new_kek();
  std::vector<KeyRecord> records;
  EXPECT_EQ(active_key(records, KeyAlgorithm::EdDSA), nullptr);
  auto first = rotate_key(records, kek, kIssuer, KeyAlgorithm::EdDSA, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(first.ok());
  auto rsa = rotate_key(records, kek, kIssuer, KeyAlgorithm::RS256, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(rsa.ok());
  ASSERT_NE(active_key(records, KeyAlgorithm::EdDSA), nullptr);
  EXPECT_EQ(active_key(records, KeyAlgorithm::EdDSA)->key_id, first->key_id);

  // A badge signed with the first key...
  Assertion assertion = test::sample_assertion();
  std::string token = jws_sign(unlock_key(records[0], kek).value(),
                               assertion_document(assertion, test::kBase, first->key_id).dump())
                          .value();

  auto second = rotate_key(records, kek, kIssuer, KeyAlgorithm::EdDSA, "2026-02-01T00:00:00Z");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].retired_at, "2026-02-01T00:00:00Z");
  EXPECT_TRUE(records[1].retired_at.empty());  // the RSA key is untouched
  EXPECT_EQ(active_key(records, KeyAlgorithm::EdDSA)->key_id, second->key_id);

  // ...still verifies: every key, retired or not, stays published and listed.
  std::vector<std::string> key_ids;
  DocumentMap documents;
  for (const KeyRecord& record : records) {
    key_ids.push_back(record.key_id);
    documents[key_url(test::kBase, record.key_id)] =
        key_document(kIssuer, record.key_id, record.public_key, test::kBase).dump();
  }
  documents[issuer_url(test::kBase, kIssuer)] =
      issuer_document(test::sample_issuer(), test::kBase, key_ids).dump();
  documents[badgeclass_url(test::kBase, assertion.badgeclass)] =
      badgeclass_document(test::sample_badgeclass(), test::kBase).dump();
  documents[revocation_list_url(test::kBase, kIssuer)] =
      revocation_list_document(kIssuer, {}, test::kBase).dump();
  Report report = verify(token, documents);
  EXPECT_TRUE(report.valid) << report.to_json().dump();
}

TEST(KeyRing, MalformedRecordsAreRefused) {
  EXPECT_FALSE(key_record_from_json(Json("x")).ok());
  EXPECT_EQ(key_record_from_json(Json::object({{"keyId", "short"}})).error().field, "keyId");
  std::string kek = new_kek();
  Json stored = to_json(new_key_record(kek, kIssuer, KeyAlgorithm::EdDSA, "t").value());
  Json wrong_alg = stored;
  wrong_alg.set("alg", "RS256");
  EXPECT_FALSE(key_record_from_json(wrong_alg).ok());
  Json no_wrapped = stored;
  no_wrapped.set("wrappedKey", "");
  EXPECT_FALSE(key_record_from_json(no_wrapped).ok());
  EXPECT_EQ(new_key_record("short", kIssuer, KeyAlgorithm::EdDSA, "t").error().field, "kek");
}

}  // namespace
}  // namespace laurel
