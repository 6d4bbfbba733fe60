// Signing keys in the store: encrypted at rest (key file or passphrase), rotation, signatures and
// public documents checked with the portable verifier, exactly as a relying party would.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "laurel/documents.hpp"
#include "laurel/ids.hpp"
#include "laurel/jws.hpp"
#include "laurel/keyring.hpp"
#include "laurel/keywrap.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/store.hpp"
#include "laurel/verify.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;
using testing::TempDir;

const std::string kBase = "https://badges.example.org";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string report_text(const Report& report) {
  return report.to_json().dump();
}

const Check* find_check(const Report& report, const std::string& name) {
  for (const Check& check : report.checks) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

/// Every document a verifier of the issuer's badges fetches, as the store publishes them.
// Every public document of the issuer, OB 2.0 and OB 3.0, with its status lists as VC-JWTs.
DocumentMap published(Store& store, const Issuer& issuer, const BadgeClass& badgeclass) {
  DocumentMap documents;
  auto add = [&](const char* kind, const std::string& id) {
    auto document = store.public_document(kind, id, kBase);
    EXPECT_TRUE(document.ok()) << kind << ": " << document.error().message;
    if (document.ok()) documents[document->get_string("id")] = document->dump();
  };
  add("issuer", issuer.entity_id);
  add("badgeclass", badgeclass.entity_id);
  add("revocation_list", issuer.entity_id);
  auto keys = store.list_keys(issuer.entity_id);
  EXPECT_TRUE(keys.ok());
  if (keys.ok()) {
    for (const Json& key : keys.value()) add("key", key.get_string("keyId"));
  }
  add("ob3_issuer", issuer.entity_id);
  add("ob3_achievement", badgeclass.entity_id);
  // Status lists are signed with a key the issuer already has (signing must not add keys).
  std::optional<KeyAlgorithm> list_alg;
  const std::vector<Json> all_keys = store.list_keys(issuer.entity_id).value();
  for (const Json& key : all_keys) {
    if (key.find("retiredAt")->is_null()) list_alg = algorithm_from_name(key.get_string("alg"));
  }
  const std::vector<std::string> lists = store.status_lists(issuer.entity_id).value();
  for (const std::string& list : lists) {
    if (!list_alg) break;
    auto token = store.status_list_credential(issuer.entity_id, list, kBase, *list_alg);
    EXPECT_TRUE(token.ok());
    if (token.ok()) documents[status_list_url(kBase, issuer.entity_id, list)] = token.value();
  }
  return documents;
}

std::string flip_byte(std::string text, std::size_t at) {
  text[at] = text[at] == 'A' ? 'B' : 'A';
  return text;
}

class StoreKeys : public StoreTest {};

TEST_F(StoreKeys, PrivateKeysAreEncryptedAtRestUnderAnOwnerOnlyKeyFile) {
  auto ed = store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA);
  ASSERT_TRUE(ed.ok()) << ed.error().message;
  auto rsa = store().create_key(issuer_.entity_id, KeyAlgorithm::RS256);
  ASSERT_TRUE(rsa.ok()) << rsa.error().message;
  EXPECT_EQ(ed->find("wrappedKey"), nullptr);

  const std::string key_file = store_location() + "/keys.kek";
  struct stat info {};
  ASSERT_EQ(::stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string kek = read_file(key_file);
  ASSERT_EQ(kek.size(), kKekBytes);

  // The records as LMDB holds them: find each by its canonical JSON, unwrap it with the KEK, and
  // look for the private key in the data file in every form it could take.
  const std::string data = read_file(store_location() + "/data.mdb");
  // Copy-on-write leaves older copies of pages in the file: every copy is checked.
  std::set<std::string> found;
  for (std::size_t at = data.find("{\"alg\":"); at != std::string::npos;
       at = data.find("{\"alg\":", at + 1)) {
    std::size_t end = data.find('}', at);
    auto json = Json::parse(std::string_view(data).substr(at, end + 1 - at));
    if (!json.ok() || json->find("wrappedKey") == nullptr) continue;
    auto record = key_record_from_json(json.value());
    ASSERT_TRUE(record.ok()) << record.error().message;
    EXPECT_EQ(record->issuer_id, issuer_.entity_id);
    auto pair = unlock_key(record.value(), kek);
    ASSERT_TRUE(pair.ok()) << pair.error().message;
    const std::string& pkcs8 = pair->private_pkcs8();
    EXPECT_EQ(data.find(pkcs8), std::string::npos);
    // Ed25519's 32-byte seed ends its PKCS#8; any 32 bytes of an RSA key's would be as telling.
    EXPECT_EQ(data.find(pkcs8.substr(pkcs8.size() - 32)), std::string::npos);
    EXPECT_EQ(data.find(pkcs8.substr(pkcs8.size() / 2, 32)), std::string::npos);
    EXPECT_EQ(data.find(base64_encode(pkcs8)), std::string::npos);
    const std::string& pem = record->algorithm == KeyAlgorithm::EdDSA
                                 ? ed->get_string("publicKeyPem")
                                 : rsa->get_string("publicKeyPem");
    EXPECT_EQ(public_key_to_pem(pair->public_key()), pem);
    found.insert(record->key_id);
  }
  EXPECT_EQ(found.size(), 2u);
  auto keys = store().list_keys(issuer_.entity_id);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->size(), 2u);
}

TEST_F(StoreKeys, KeyFileMissingOrReadableByOthersIsRefused) {
  ASSERT_TRUE(store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA).ok());
  const std::string key_file = store_location() + "/keys.kek";
  auto assertion = issue_to("ada@example.org");

  ::chmod(key_file.c_str(), 0644);
  reopen();  // closing the last Store on a directory drops the KEK held in memory
  auto readable = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
  ASSERT_FALSE(readable.ok());
  EXPECT_EQ(readable.error().code, ErrorCode::PermissionDenied);
  EXPECT_NE(readable.error().message.find("chmod 600"), std::string::npos);

  ::chmod(key_file.c_str(), 0600);
  const std::string kek = read_file(key_file);
  std::filesystem::remove(key_file);
  reopen();
  auto missing = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::Crypto);
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);

  // Another store's key file is not this one's.
  {
    std::ofstream out(key_file, std::ios::binary);
    out << std::string(kKekBytes, 'x');
  }
  ::chmod(key_file.c_str(), 0600);
  reopen();
  auto foreign = store().unlock_keys();
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::Crypto);

  {
    std::ofstream out(key_file, std::ios::binary | std::ios::trunc);
    out << kek;
  }
  reopen();
  EXPECT_TRUE(store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA).ok());
}

class PassphraseKeys : public StoreTest {
 protected:
  StoreOptions options() const override {
    StoreOptions options;
    options.passphrase = passphrase_;
    return options;
  }
  std::string passphrase_ = "correct horse battery staple";
};

TEST_F(PassphraseKeys, KeysNeedTheRightPassphraseAndNoKeyFileIsWritten) {
  auto assertion = issue_to("ada@example.org");
  auto signed_jws = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
  ASSERT_TRUE(signed_jws.ok()) << signed_jws.error().message;
  EXPECT_FALSE(std::filesystem::exists(store_location() + "/keys.kek"));

  passphrase_ = "wrong horse";
  reopen();
  Status wrong = store().unlock_keys();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(wrong.error().field, "passphrase");
  EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
  EXPECT_EQ(store().sign(assertion.entity_id, kBase).error().code, ErrorCode::PermissionDenied);
  // Reading needs no passphrase: the public half is in the clear.
  EXPECT_TRUE(store().list_keys(issuer_.entity_id).ok());
  EXPECT_TRUE(store().public_document("issuer", issuer_.entity_id, kBase).ok());

  passphrase_.clear();
  reopen();
  auto none = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::PermissionDenied);
  EXPECT_NE(none.error().message.find("passphrase"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(store_location() + "/keys.kek"));

  passphrase_ = "correct horse battery staple";
  reopen();
  ASSERT_TRUE(store().unlock_keys().ok());
  auto again = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
  ASSERT_TRUE(again.ok()) << again.error().message;
  Report report = verify(again.value(), published(store(), issuer_, badgeclass_));
  EXPECT_TRUE(report.valid) << report_text(report);
  // Same key as before the reopen: the passphrase unlocked the stored one.
  EXPECT_EQ(store().list_keys(issuer_.entity_id)->size(), 1u);
}

TEST_F(StoreKeys, PassphraseOnAKeyFileStoreIsRefused) {
  ASSERT_TRUE(store().unlock_keys().ok());
  StoreOptions with_passphrase;
  with_passphrase.passphrase = "anything";
  store_.reset();
  auto opened = Store::open(store_location(), with_passphrase);
  ASSERT_TRUE(opened.ok());
  Status refused = opened->unlock_keys();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);
  EXPECT_NE(refused.error().message.find("key file"), std::string::npos);
}

TEST_F(StoreKeys, SignedAssertionsVerifyWithEachAlgorithmAndTamperingIsCaught) {
  auto assertion = issue_to("ada@example.org");
  for (KeyAlgorithm algorithm : {KeyAlgorithm::RS256, KeyAlgorithm::EdDSA, KeyAlgorithm::ES256}) {
    SCOPED_TRACE(algorithm_name(algorithm));
    auto compact = store().sign(assertion.entity_id, kBase, algorithm);
    ASSERT_TRUE(compact.ok()) << compact.error().message;
    auto parsed = jws_parse(compact.value());
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->header.get_string("alg"), algorithm_name(algorithm));
    auto payload = Json::parse(parsed->payload);
    ASSERT_TRUE(payload.ok());
    EXPECT_EQ(payload->find("verification")->get_string("type"), "signed");
    EXPECT_EQ(payload->get_string("id"), assertion_url(kBase, assertion.entity_id));

    DocumentMap documents = published(store(), issuer_, badgeclass_);
    VerifyOptions options;
    options.recipient = "ada@example.org";
    Report report = verify(compact.value(), documents, options);
    EXPECT_TRUE(report.valid) << report_text(report);
    ASSERT_NE(find_check(report, "signature"), nullptr);
    EXPECT_TRUE(find_check(report, "signature")->ok);
    EXPECT_EQ(report.recipient_match, std::optional<bool>(true));

    const std::string& token = compact.value();
    const std::size_t first_dot = token.find('.');
    const std::size_t second_dot = token.find('.', first_dot + 1);
    for (std::size_t at : {first_dot + 5, second_dot - 7, second_dot + 3, token.size() - 3}) {
      Report tampered = verify(flip_byte(token, at), documents);
      EXPECT_FALSE(tampered.valid) << "byte " << at;
    }
  }
  // The issuer now has one key of each algorithm, created on first use.
  EXPECT_EQ(store().list_keys(issuer_.entity_id)->size(), 3u);
}

TEST_F(StoreKeys, RotationKeepsOldKeysPublishedAndTheirBadgesVerifiable) {
  auto assertion = issue_to("ada@example.org");
  auto before = store().sign(assertion.entity_id, kBase);
  ASSERT_TRUE(before.ok()) << before.error().message;
  auto first_keys = store().list_keys(issuer_.entity_id);
  ASSERT_EQ(first_keys->size(), 1u);
  const std::string old_id = first_keys->front().get_string("keyId");

  auto rotated = store().rotate_key(issuer_.entity_id, KeyAlgorithm::RS256);
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(rotated->get_string("keyId"), old_id);
  auto after = store().sign(assertion.entity_id, kBase);
  ASSERT_TRUE(after.ok());
  auto payload = Json::parse(jws_parse(after.value())->payload);
  EXPECT_EQ(payload->find("verification")->get_string("creator"),
            key_url(kBase, rotated->get_string("keyId")));

  auto keys = store().list_keys(issuer_.entity_id);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(keys->at(0).get_string("keyId"), old_id);
  EXPECT_FALSE(keys->at(0).find("retiredAt")->is_null());
  EXPECT_TRUE(keys->at(1).find("retiredAt")->is_null());

  auto issuer_doc = store().public_document("issuer", issuer_.entity_id, kBase);
  ASSERT_TRUE(issuer_doc.ok());
  EXPECT_EQ(issuer_doc->find("publicKey")->size(), 2u);

  DocumentMap documents = published(store(), issuer_, badgeclass_);
  for (const std::string& token : {before.value(), after.value()}) {
    Report report = verify(token, documents);
    EXPECT_TRUE(report.valid) << report_text(report);
  }
  // Rotating an algorithm the issuer has no key of just creates one.
  ASSERT_TRUE(store().rotate_key(issuer_.entity_id, KeyAlgorithm::EdDSA).ok());
  EXPECT_EQ(store().list_keys(issuer_.entity_id)->size(), 3u);
}

TEST_F(StoreKeys, CreateKeyRefusesASecondKeyInUseAndUnknownIssuers) {
  ASSERT_TRUE(store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA).ok());
  auto second = store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::Conflict);
  EXPECT_EQ(store().create_key("AAAAAAAAAAAAAAAAAAAAAA", KeyAlgorithm::EdDSA).error().code,
            ErrorCode::NotFound);
  EXPECT_EQ(store().create_key("not an id", KeyAlgorithm::EdDSA).error().code,
            ErrorCode::NotFound);
  EXPECT_EQ(store().list_keys("AAAAAAAAAAAAAAAAAAAAAA").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store().rotate_key("AAAAAAAAAAAAAAAAAAAAAA", KeyAlgorithm::RS256).error().code,
            ErrorCode::NotFound);
}

TEST_F(StoreKeys, HostedPublicDocumentsVerifyAndRevocationIsPublished) {
  auto assertion = issue_to("ada@example.org");
  auto document = store().public_document("assertion", assertion.entity_id, kBase);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document->get_string("@context"), std::string(kOb2Context));
  EXPECT_EQ(document->find("verification")->get_string("type"), "hosted");

  DocumentMap documents = published(store(), issuer_, badgeclass_);
  documents[document->get_string("id")] = document->dump();
  VerifyOptions options;
  options.recipient = "ada@example.org";
  Report report = verify(document->dump(), documents, options);
  EXPECT_TRUE(report.valid) << report_text(report);
  EXPECT_EQ(report.recipient_match, std::optional<bool>(true));

  ASSERT_TRUE(store().revoke(assertion.entity_id, "Issued in error").ok());
  auto list = store().public_document("revocation_list", issuer_.entity_id, kBase);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->find("revokedAssertions")->size(), 1u);
  EXPECT_EQ(list->find("revokedAssertions")->as_array()[0].get_string("id"),
            assertion_url(kBase, assertion.entity_id));
  // The copy the holder kept (not revoked) against the issuer's current list: caught.
  DocumentMap current = published(store(), issuer_, badgeclass_);
  Report revoked = verify(document->dump(), current);
  EXPECT_FALSE(revoked.valid);
  ASSERT_NE(find_check(revoked, "revocation"), nullptr);
  EXPECT_FALSE(find_check(revoked, "revocation")->ok);
  // And a revoked badge is not signed.
  EXPECT_EQ(store().sign(assertion.entity_id, kBase).error().code, ErrorCode::Conflict);
  EXPECT_EQ(store().credential(assertion.entity_id, kBase).error().code, ErrorCode::Conflict);
}

TEST_F(StoreKeys, PublicDocumentRefusesUnknownKindsIdsAndBaseUrls) {
  EXPECT_EQ(store().public_document("recipient", issuer_.entity_id, kBase).error().code,
            ErrorCode::Invalid);
  EXPECT_EQ(store().public_document("issuer", issuer_.entity_id, "").error().code,
            ErrorCode::Invalid);
  for (const char* kind : {"issuer", "badgeclass", "assertion", "key", "revocation_list"}) {
    SCOPED_TRACE(kind);
    EXPECT_EQ(store().public_document(kind, "AAAAAAAAAAAAAAAAAAAAAA", kBase).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(store().public_document(kind, "nope", kBase).error().code, ErrorCode::NotFound);
  }
  auto key = store().create_key(issuer_.entity_id, KeyAlgorithm::EdDSA);
  ASSERT_TRUE(key.ok());
  auto key_doc = store().public_document("key", key->get_string("keyId"), kBase);
  ASSERT_TRUE(key_doc.ok());
  EXPECT_EQ(key_doc->get_string("type"), "CryptographicKey");
  EXPECT_EQ(key_doc->get_string("owner"), issuer_url(kBase, issuer_.entity_id));
  EXPECT_EQ(key_doc->get_string("publicKeyPem"), key->get_string("publicKeyPem"));
}

TEST_F(StoreKeys, CredentialIsAnEdDsaVcJwtThatVerifies) {
  auto assertion = issue_to("ada@example.org");
  auto vc_jwt = store().credential(assertion.entity_id, kBase);
  ASSERT_TRUE(vc_jwt.ok()) << vc_jwt.error().message;
  auto parsed = jws_parse(vc_jwt.value());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.get_string("alg"), "EdDSA");
  auto keys = store().list_keys(issuer_.entity_id);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(parsed->header.get_string("kid"),
            jwk_method_id(ob3_issuer_url(kBase, issuer_.entity_id),
                          keys->front().get_string("keyId")));

  DocumentMap documents = published(store(), issuer_, badgeclass_);
  VerifyOptions options;
  options.recipient = "ada@example.org";
  Report report = verify(vc_jwt.value(), documents, options);
  EXPECT_TRUE(report.valid) << report_text(report);
  EXPECT_EQ(report.badge.get_string("version"), "3.0");
  EXPECT_EQ(report.recipient_match, std::optional<bool>(true));
  const std::size_t second_dot = vc_jwt->rfind('.');
  EXPECT_FALSE(verify(flip_byte(vc_jwt.value(), second_dot - 10), documents).valid);
  EXPECT_FALSE(verify(flip_byte(vc_jwt.value(), second_dot + 4), documents).valid);
}

const Check* status_check(const Report& report) {
  for (const Check& check : report.checks) {
    if (check.name == "status") return &check;
  }
  return nullptr;
}

// Issue 11: a credential taken before its assertion was revoked said "valid" forever.
TEST_F(StoreKeys, ACredentialTakenBeforeRevocationIsInvalidOnceRevoked) {
  Assertion kept = issue_to("kept@example.org");
  Assertion assertion = issue_to("ada@example.org");
  auto vc_jwt = store().credential(assertion.entity_id, kBase);
  auto kept_jwt = store().credential(kept.entity_id, kBase);
  ASSERT_TRUE(vc_jwt.ok() && kept_jwt.ok());
  Report before = verify(vc_jwt.value(), published(store(), issuer_, badgeclass_));
  EXPECT_TRUE(before.valid) << report_text(before);
  ASSERT_NE(status_check(before), nullptr);
  EXPECT_TRUE(status_check(before)->ok);

  ASSERT_TRUE(store().revoke(assertion.entity_id, "Issued in error").ok());
  DocumentMap documents = published(store(), issuer_, badgeclass_);
  Report after = verify(vc_jwt.value(), documents);
  EXPECT_FALSE(after.valid);
  ASSERT_NE(status_check(after), nullptr);
  EXPECT_NE(status_check(after)->message.find("revoked"), std::string::npos);
  EXPECT_TRUE(verify(kept_jwt.value(), documents).valid);
  // The same through documents parsed once.
  EXPECT_FALSE(verify(vc_jwt.value(), DocumentSet(documents)).valid);
  EXPECT_TRUE(verify(kept_jwt.value(), DocumentSet(documents)).valid);

  // Without the list: a warning saying so, and the list's URL in `missing`.
  const std::string list_url = status_list_url(
      kBase, issuer_.entity_id, store().status_entry(assertion.entity_id)->get_string("list"));
  documents.erase(list_url);
  Report unknown = verify(vc_jwt.value(), documents);
  EXPECT_TRUE(unknown.valid);
  EXPECT_EQ(status_check(unknown), nullptr);
  EXPECT_EQ(unknown.missing, std::vector<std::string>{list_url});
  ASSERT_FALSE(unknown.warnings.empty());
  EXPECT_NE(unknown.warnings.back().find("could not be fetched"), std::string::npos);

  // A list signed by another issuer does not speak for this one.
  auto other = store().create_issuer(testing::sample_issuer("Other U"));
  auto other_class = store().create_badgeclass(testing::sample_badgeclass(other->entity_id));
  auto other_award = store().issue(other_class->entity_id, testing::email_recipient("x@y.org"));
  ASSERT_TRUE(other_award.ok());
  const std::string other_list = store().status_lists(other->entity_id)->front();
  DocumentMap forged = published(store(), issuer_, badgeclass_);
  forged[list_url] =
      store().status_list_credential(other->entity_id, other_list, kBase).value();
  Report refused = verify(kept_jwt.value(), forged);
  EXPECT_FALSE(refused.valid);
  ASSERT_NE(status_check(refused), nullptr);
  EXPECT_NE(status_check(refused)->message.find("not by the credential's issuer"),
            std::string::npos);
}

TEST_F(StoreKeys, SignBatchSignsOnSeveralThreadsAndReportsBadItemsAlone) {
  auto issued = store().issue_batch(badgeclass_.entity_id, testing::recipients(600));
  ASSERT_TRUE(issued.ok());
  std::vector<std::string> ids;
  for (const auto& item : issued->items) ids.push_back(item.entity_id);
  ids.insert(ids.begin() + 300, "AAAAAAAAAAAAAAAAAAAAAA");
  ids.push_back("not an id");
  auto signed_items = store().sign_batch(ids, kBase, KeyAlgorithm::EdDSA, 2);
  ASSERT_TRUE(signed_items.ok()) << signed_items.error().message;
  ASSERT_EQ(signed_items->size(), ids.size());
  EXPECT_EQ(signed_items->at(300).error().code, ErrorCode::NotFound);
  EXPECT_EQ(signed_items->back().error().code, ErrorCode::NotFound);

  DocumentSet documents(published(store(), issuer_, badgeclass_));
  std::set<std::string> subjects;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i == 300 || i + 1 == ids.size()) continue;
    ASSERT_TRUE(signed_items->at(i).ok()) << i << ": " << signed_items->at(i).error().message;
    Report report = verify(signed_items->at(i).value(), documents);
    ASSERT_TRUE(report.valid) << i << ": " << report_text(report);
    subjects.insert(report.badge.get_string("id"));
  }
  EXPECT_EQ(subjects.size(), 600u);  // each item is its own assertion, in order
  EXPECT_EQ(subjects.count(assertion_url(kBase, ids.front())), 1u);
  EXPECT_EQ(store().list_keys(issuer_.entity_id)->size(), 1u);
}

TEST_F(StoreKeys, FirstUsesRacingOnThreadsMakeOneKeyFileAndOneKey) {
  auto assertion = issue_to("ada@example.org");
  constexpr int kThreads = 6;
  std::vector<Result<std::string>> tokens(kThreads, Result<std::string>(std::string()));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      tokens[i] = store().sign(assertion.entity_id, kBase, KeyAlgorithm::EdDSA);
    });
  }
  for (auto& thread : threads) thread.join();
  DocumentMap documents = published(store(), issuer_, badgeclass_);
  for (const auto& token : tokens) {
    ASSERT_TRUE(token.ok()) << token.error().message;
    EXPECT_TRUE(verify(token.value(), documents).valid);
  }
  EXPECT_EQ(store().list_keys(issuer_.entity_id)->size(), 1u);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(store_location())) {
    files += entry.path().filename().string().find("kek") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);  // keys.kek, and no temporary file left behind
}

TEST_F(StoreKeys, SignRefusesABaseUrlThatIsNotHttp) {
  auto assertion = issue_to("ada@example.org");
  EXPECT_EQ(store().sign(assertion.entity_id, "").error().code, ErrorCode::Invalid);
  EXPECT_EQ(store().sign(assertion.entity_id, "ftp://x").error().field, "base_url");
  EXPECT_EQ(store().sign("AAAAAAAAAAAAAAAAAAAAAA", kBase).error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace laurel
