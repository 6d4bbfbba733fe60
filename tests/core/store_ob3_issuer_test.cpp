// An issuer's Open Badges 3.0 settings and what verifiers see of them: did:web issuers (the DID
// document, VC-JWT kids and Data Integrity methods as DID URLs), status list credentials with a
// Data Integrity proof, the 1EdTechRevocationList form, and recipients named by a DID next to
// their hashed email. Real LMDB; documents handed to the verifier as `laurel serve` serves them.
#include <gtest/gtest.h>

#include <algorithm>

#include "laurel/did.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/status_list.hpp"
#include "laurel/store.hpp"
#include "laurel/verify.hpp"
#include "test_support.hpp"

namespace laurel {
namespace {

using testing::StoreTest;

constexpr char kBase[] = "https://badges.example.edu:8443/laurel";
constexpr char kLearnerDid[] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

const Check* find_check(const Report& report, std::string_view name) {
  for (const Check& check : report.checks) {
    if (check.name == name) return &check;
  }
  return nullptr;
}

bool has(const std::vector<std::string>& list, const std::string& wanted) {
  return std::find(list.begin(), list.end(), wanted) != list.end();
}

class Ob3IssuerTest : public StoreTest {
 protected:
  void set_issuer(const Json& patch) {
    auto updated = store().update_issuer(issuer_.entity_id, patch);
    ASSERT_TRUE(updated.ok()) << updated.error().field << ": " << updated.error().message;
    issuer_ = updated.value();
  }
  std::string list_of(const Assertion& assertion) {
    return store().status_entry(assertion.entity_id)->get_string("list");
  }
  std::string list_url_of(const Assertion& assertion) {
    return status_list_url(kBase, issuer_.entity_id, list_of(assertion));
  }
  Json document(std::string_view kind, const std::string& id) {
    auto made = store().public_document(kind, id, kBase);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? made.value() : Json();
  }
};

TEST_F(Ob3IssuerTest, ADidWebIssuersCredentialsVerifyThroughItsDidDocument) {
  set_issuer(Json::object({{"didWeb", true}}));
  Assertion award = issue_to("ada@example.org");
  const std::string profile_url = ob3_issuer_url(kBase, issuer_.entity_id);
  const std::string did = "did:web:badges.example.edu%3A8443:laurel:public:ob3:issuers:" +
                          issuer_.entity_id;
  // The DID resolves (did:web §3.2) to the did.json the REST service serves under the Profile.
  EXPECT_EQ(did_web_document_url(did).value(), ob3_did_document_url(kBase, issuer_.entity_id));
  EXPECT_EQ(did_web_document_url(did).value(), profile_url + "/did.json");

  auto vc_jwt = store().credential(award.entity_id, kBase);
  ASSERT_TRUE(vc_jwt.ok()) << vc_jwt.error().message;
  auto data_integrity = store().credential(award.entity_id, kBase, CredentialFormat::DataIntegrity);
  ASSERT_TRUE(data_integrity.ok()) << data_integrity.error().message;
  auto parsed = jws_parse(vc_jwt.value());
  auto claims = Json::parse(parsed->payload);
  EXPECT_EQ(claims->get_string("iss"), did);
  EXPECT_EQ(claims->find("issuer")->get_string("id"), did);
  const std::string kid = parsed->header.get_string("kid");
  EXPECT_TRUE(kid.starts_with(did + "#")) << kid;
  auto secured = Json::parse(data_integrity.value());
  const std::string method = secured->find("proof")->get_string("verificationMethod");
  EXPECT_TRUE(method.starts_with(did + "#")) << method;

  Json did_document = document("ob3_did", issuer_.entity_id);
  EXPECT_EQ(did_document.get_string("id"), did);
  EXPECT_EQ(did_document.find("@context")->as_array().front().as_string(),
            "https://www.w3.org/ns/did/v1");
  EXPECT_EQ(did_document.find("assertionMethod")->size(), 2u);  // Multikey and JsonWebKey
  EXPECT_EQ(document("ob3_issuer", issuer_.entity_id).get_string("id"), did);

  auto list = store().status_list_credential(issuer_.entity_id, list_of(award), kBase);
  ASSERT_TRUE(list.ok()) << list.error().message;
  DocumentMap documents = {{profile_url + "/did.json", did_document.dump()},
                           {list_url_of(award), list.value()}};
  for (const std::string& input : {vc_jwt.value(), data_integrity.value()}) {
    Report report = verify(input, documents);
    EXPECT_TRUE(report.valid) << report.to_json().dump();
    ASSERT_NE(find_check(report, "key"), nullptr);
    EXPECT_NE(find_check(report, "key")->message.find("DID document"), std::string::npos);
    ASSERT_NE(find_check(report, "status"), nullptr);
    EXPECT_TRUE(find_check(report, "status")->ok);
    // Without the DID document the key is unknown, and the widget is told where to fetch it.
    Report alone = verify(input, DocumentMap{});
    EXPECT_FALSE(alone.valid);
    EXPECT_TRUE(has(alone.missing, profile_url + "/did.json")) << alone.to_json().dump();
  }

  // Another issuer's DID document does not speak for this one.
  Json forged = did_document;
  forged.set("id", "did:web:evil.example");
  Report impostor = verify(vc_jwt.value(), DocumentMap{{profile_url + "/did.json", forged.dump()},
                                                       {list_url_of(award), list.value()}});
  EXPECT_FALSE(impostor.valid);
}

TEST_F(Ob3IssuerTest, DidWebNeedsAnHttpsBaseAndADidWebIssuer) {
  Assertion award = issue_to("ada@example.org");
  EXPECT_EQ(store().public_document("ob3_did", issuer_.entity_id, kBase).error().code,
            ErrorCode::NotFound);
  set_issuer(Json::object({{"didWeb", true}}));
  auto made = store().credentials({award.entity_id}, "http://127.0.0.1:8000");
  ASSERT_TRUE(made.ok());
  ASSERT_FALSE(made->front().ok());
  EXPECT_EQ(made->front().error().field, "base_url");
  EXPECT_EQ(store().public_document("ob3_did", issuer_.entity_id, "http://127.0.0.1:8000")
                .error()
                .field,
            "base_url");
  // The setting survives a reopen and can be turned off again.
  reopen();
  EXPECT_TRUE(store().get_issuer(issuer_.entity_id)->did_web);
  set_issuer(Json::object({{"didWeb", false}}));
  EXPECT_TRUE(store().credential(award.entity_id, "http://127.0.0.1:8000").ok());
  auto bad = store().update_issuer(issuer_.entity_id, Json::object({{"didWeb", "yes"}}));
  EXPECT_EQ(bad.error().field, "didWeb");
}

TEST_F(Ob3IssuerTest, AStatusListWithADataIntegrityProofIsCheckedLikeTheVcJwt) {
  Assertion kept = issue_to("kept@example.org");
  Assertion revoked = issue_to("revoked@example.org");
  ASSERT_EQ(list_of(kept), list_of(revoked));
  auto kept_jwt = store().credential(kept.entity_id, kBase);
  auto revoked_jwt = store().credential(revoked.entity_id, kBase);
  ASSERT_TRUE(store().revoke(revoked.entity_id, "cheated").ok());
  auto list = store().status_list_credential(issuer_.entity_id, list_of(kept), kBase,
                                             KeyAlgorithm::EdDSA, CredentialFormat::DataIntegrity);
  ASSERT_TRUE(list.ok()) << list.error().message;
  auto list_json = Json::parse(list.value());
  ASSERT_TRUE(list_json.ok());
  EXPECT_EQ(list_json->find("proof")->get_string("cryptosuite"), "eddsa-rdfc-2022");
  EXPECT_EQ(list_json->get_string("issuer"), ob3_issuer_url(kBase, issuer_.entity_id));
  EXPECT_TRUE(status_bit(status_list_bits(list_json.value(), "revocation").value(),
                         store().status_entry(revoked.entity_id)->find("index")->as_int()));

  const std::string profile_url = ob3_issuer_url(kBase, issuer_.entity_id);
  DocumentMap documents = {{profile_url, document("ob3_issuer", issuer_.entity_id).dump()},
                           {list_url_of(kept), list.value()}};
  Report good = verify(kept_jwt.value(), documents);
  EXPECT_TRUE(good.valid) << good.to_json().dump();
  EXPECT_TRUE(good.warnings.empty()) << good.to_json().dump();  // the proof was checked
  Report bad = verify(revoked_jwt.value(), documents);
  EXPECT_FALSE(bad.valid);
  EXPECT_NE(find_check(bad, "status")->message.find("revoked"), std::string::npos);

  // A list whose bits were changed after signing (the revocation undone) fails its proof.
  Json undone = list_json.value();
  Json subject = *undone.find("credentialSubject");
  subject.set("encodedList", encode_status_list(std::string(kStatusListBytes, '\0')).value());
  undone.set("credentialSubject", subject);
  documents[list_url_of(kept)] = undone.dump();
  Report forged = verify(revoked_jwt.value(), documents);
  EXPECT_FALSE(forged.valid);
  EXPECT_NE(find_check(forged, "status")->message.find("proof"), std::string::npos)
      << forged.to_json().dump();
  EXPECT_EQ(store()
                .status_list_credential(issuer_.entity_id, list_of(kept), kBase,
                                        KeyAlgorithm::RS256, CredentialFormat::DataIntegrity)
                .error()
                .field,
            "alg");
}

TEST_F(Ob3IssuerTest, CredentialsCarryThe1EdTechRevocationListWhenTheIssuerAsks) {
  Assertion award = issue_to("ada@example.org");
  const std::string revocations = ob3_revocation_list_url(kBase, issuer_.entity_id);
  auto read_status = [&](const std::string& vc_jwt) {
    return *Json::parse(jws_parse(vc_jwt)->payload)->find("credentialStatus");
  };
  // The default is the one BitstringStatusListEntry the OB 3.0 schema allows.
  EXPECT_EQ(read_status(store().credential(award.entity_id, kBase).value()).get_string("type"),
            "BitstringStatusListEntry");

  set_issuer(Json::object({{"credentialStatus", "both"}}));
  auto both = store().credential(award.entity_id, kBase);
  Json status = read_status(both.value());
  ASSERT_TRUE(status.is_array());
  ASSERT_EQ(status.size(), 2u);
  EXPECT_EQ(status.as_array()[0].get_string("type"), "BitstringStatusListEntry");
  EXPECT_EQ(status.as_array()[1].get_string("type"), "1EdTechRevocationList");
  EXPECT_EQ(status.as_array()[1].get_string("id"), revocations);

  const std::string profile_url = ob3_issuer_url(kBase, issuer_.entity_id);
  DocumentMap documents = {
      {profile_url, document("ob3_issuer", issuer_.entity_id).dump()},
      {list_url_of(award),
       store().status_list_credential(issuer_.entity_id, list_of(award), kBase).value()},
      {revocations, document("ob3_revocation_list", issuer_.entity_id).dump()}};
  Report before = verify(both.value(), documents);
  EXPECT_TRUE(before.valid) << before.to_json().dump();

  set_issuer(Json::object({{"credentialStatus", "1edtech"}}));
  auto only = store().credential(award.entity_id, kBase);
  EXPECT_EQ(read_status(only.value()).get_string("type"), "1EdTechRevocationList");
  // Unreachable: a warning that names the list, and the URL to fetch.
  Report unreachable = verify(only.value(), DocumentMap{{profile_url, documents[profile_url]}});
  EXPECT_TRUE(unreachable.valid) << unreachable.to_json().dump();
  EXPECT_TRUE(has(unreachable.missing, revocations));
  ASSERT_FALSE(unreachable.warnings.empty());

  ASSERT_TRUE(store().revoke(award.entity_id, "withdrawn").ok());
  Json listed = document("ob3_revocation_list", issuer_.entity_id);
  EXPECT_EQ(listed.get_string("id"), revocations);
  EXPECT_EQ(listed.get_string("issuer"), profile_url);
  ASSERT_EQ(listed.find("revokedCredentials")->size(), 1u);
  const Json& item = listed.find("revokedCredentials")->as_array()[0];
  EXPECT_EQ(item.get_string("id"), assertion_url(kBase, award.entity_id));
  EXPECT_EQ(item.get_string("revocationReason"), "withdrawn");
  documents[revocations] = listed.dump();
  Report after = verify(only.value(), documents);
  EXPECT_FALSE(after.valid);
  EXPECT_NE(find_check(after, "status")->message.find("revoked"), std::string::npos);
  // A list another issuer published does not revoke (nor clear) this issuer's credentials.
  listed.set("issuer", "https://elsewhere.example/issuer");
  documents[revocations] = listed.dump();
  EXPECT_FALSE(find_check(verify(only.value(), documents), "status")->ok);

  auto bad = store().update_issuer(issuer_.entity_id, Json::object({{"credentialStatus", "x"}}));
  EXPECT_EQ(bad.error().field, "credentialStatus");
}

TEST_F(Ob3IssuerTest, ARecipientNamedByADidNextToTheHashedEmailMatchesEitherWay) {
  RecipientInput recipient = testing::email_recipient("Ada@Example.org");
  recipient.subject_id = kLearnerDid;
  auto award = store().issue(badgeclass_.entity_id, recipient);
  ASSERT_TRUE(award.ok()) << award.error().message;
  EXPECT_TRUE(award->recipient.hashed);
  EXPECT_EQ(award->recipient.subject_id, kLearnerDid);
  EXPECT_EQ(to_json(award.value()).find("recipient")->get_string("subjectId"), kLearnerDid);
  reopen();
  EXPECT_EQ(store().get_assertion(award->entity_id)->recipient.subject_id, kLearnerDid);

  // The backpack's listing by email finds it.
  AssertionQuery query;
  query.scope = AssertionQuery::Scope::Recipient;
  query.recipient = "ada@example.org";
  auto page = store().list_assertions(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].entity_id, award->entity_id);

  auto vc_jwt = store().credential(award->entity_id, kBase);
  auto claims = Json::parse(jws_parse(vc_jwt.value())->payload);
  const Json* subject = claims->find("credentialSubject");
  EXPECT_EQ(subject->get_string("id"), kLearnerDid);
  EXPECT_EQ(claims->get_string("sub"), kLearnerDid);
  const Json& identifier = subject->find("identifier")->as_array()[0];
  EXPECT_EQ(identifier.get_string("identityType"), "emailAddress");
  EXPECT_TRUE(identifier.get_string("identityHash").starts_with("sha256$"));

  const std::string profile_url = ob3_issuer_url(kBase, issuer_.entity_id);
  DocumentMap documents = {{profile_url, document("ob3_issuer", issuer_.entity_id).dump()}};
  for (const char* who : {"ada@example.org", kLearnerDid}) {
    VerifyOptions options;
    options.recipient = who;
    Report report = verify(vc_jwt.value(), documents, options);
    EXPECT_EQ(report.recipient_match, std::optional<bool>(true)) << who;
  }
  VerifyOptions stranger;
  stranger.recipient = "eve@example.org";
  EXPECT_EQ(verify(vc_jwt.value(), documents, stranger).recipient_match,
            std::optional<bool>(false));

  recipient.subject_id = "mailto ada";
  auto refused = store().issue(badgeclass_.entity_id, recipient);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "recipient.subjectId");
}

}  // namespace
}  // namespace laurel
