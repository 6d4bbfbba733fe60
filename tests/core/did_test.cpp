#include "laurel/did.hpp"

#include <gtest/gtest.h>

namespace laurel {
namespace {

// did:web Method Specification §3.2 (Read): the examples of the specification.
TEST(DidWeb, DocumentUrlsFollowTheSpecificationExamples) {
  EXPECT_EQ(did_web_document_url("did:web:w3c-ccg.github.io").value(),
            "https://w3c-ccg.github.io/.well-known/did.json");
  EXPECT_EQ(did_web_document_url("did:web:w3c-ccg.github.io:user:alice").value(),
            "https://w3c-ccg.github.io/user/alice/did.json");
  EXPECT_EQ(did_web_document_url("did:web:example.com%3A3000:user:alice").value(),
            "https://example.com:3000/user/alice/did.json");
  EXPECT_EQ(did_web_document_url("did:web:example.com#key-1").value(),
            "https://example.com/.well-known/did.json");
}

TEST(DidWeb, HostileIdentifiersAreRefused) {
  for (std::string_view bad : {"did:key:z6Mk", "did:web:", "did:web:example.com::a",
                               "did:web:example.com:..", "did:web:evil.com%2Fpath",
                               "did:web:a%3", "did:web:user@host", "did:web:example.com:a/b"}) {
    auto url = did_web_document_url(bad);
    ASSERT_FALSE(url.ok()) << bad;
    EXPECT_EQ(url.error().field, "did");
  }
}

TEST(DidWeb, AnHttpsUrlNamesItsDidAndBack) {
  EXPECT_EQ(did_web_of("https://example.com").value(), "did:web:example.com");
  EXPECT_EQ(did_web_of("https://example.com:8443/issuers/1/").value(),
            "did:web:example.com%3A8443:issuers:1");
  EXPECT_EQ(did_web_document_url(did_web_of("https://example.com:8443/issuers/1").value()).value(),
            "https://example.com:8443/issuers/1/did.json");
  EXPECT_FALSE(did_web_of("http://example.com").ok());
  EXPECT_FALSE(did_web_of("https://example.com/a?b").ok());
}

}  // namespace
}  // namespace laurel
