// A fixed issuer, badge class and assertion (fixed ids, salt and dates) for document, credential
// and verification tests, with the RFC 8032 and OpenSSL test keys of tests/data/keys.
#pragma once

#include <string>

#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/recipient.hpp"
#include "test_files.hpp"

namespace laurel::test {

inline constexpr const char* kBase = "https://badges.example.edu";
inline constexpr const char* kRecipientEmail = "Ada@Example.org";

inline Issuer sample_issuer() {
  Issuer issuer;
  issuer.entity_id = "AAAAAAAAAAAAAAAAAAAAAA";
  issuer.name = "Example University";
  issuer.email = "badges@example.edu";
  issuer.url = "https://example.edu";
  issuer.description = "Issues badges";
  return issuer;
}

inline BadgeClass sample_badgeclass() {
  BadgeClass badgeclass;
  badgeclass.entity_id = "BBBBBBBBBBBBBBBBBBBBBB";
  badgeclass.issuer = "AAAAAAAAAAAAAAAAAAAAAA";
  badgeclass.name = "Robotics";
  badgeclass.description = "Built a robot";
  badgeclass.image = "https://badges.example.edu/robotics.png";
  badgeclass.criteria_narrative = "Build a robot that walks.";
  badgeclass.tags = {"robots", "making"};
  badgeclass.alignments = {Alignment{"ISTE 4", "https://example.org/iste/4", "", "ISTE", "4"}};
  return badgeclass;
}

inline Assertion sample_assertion() {
  Assertion assertion;
  assertion.entity_id = "CCCCCCCCCCCCCCCCCCCCCC";
  assertion.badgeclass = "BBBBBBBBBBBBBBBBBBBBBB";
  assertion.issuer = "AAAAAAAAAAAAAAAAAAAAAA";
  assertion.recipient.type = "email";
  assertion.recipient.hashed = true;
  assertion.recipient.salt = "5a1t5a1t5a1t5a1t";
  assertion.recipient.identity = hash_identity(kRecipientEmail, assertion.recipient.salt).value();
  assertion.issued_on = "2024-05-01T12:00:00Z";
  assertion.narrative = "Walked across the lab.";
  assertion.evidence = {Evidence{"https://example.org/evidence/1", "video", "", "", "", ""}};
  return assertion;
}

inline KeyPair ed25519_test_key() {
  return KeyPair::from_pkcs8(KeyAlgorithm::EdDSA,
                             read_file(test_data() / "keys/rfc8032_test1_private.der"))
      .value();
}

inline KeyPair rsa_test_key() {
  return KeyPair::from_pkcs8(KeyAlgorithm::RS256,
                             read_file(test_data() / "keys/rsa2048_private.der"))
      .value();
}

}  // namespace laurel::test
