// did:web (W3C CCG did:web Method Specification): the DID of a web origin and the URL of its DID
// document. did:key lives in multikey.hpp (it needs no document).
//
// Pure functions over strings (no I/O: the caller fetches). Nothing throws.
#pragma once

#include <string>
#include <string_view>

#include "laurel/result.hpp"

namespace laurel {

/// did:web:example.com -> https://example.com/.well-known/did.json;
/// did:web:example.com:user:alice -> https://example.com/user/alice/did.json;
/// did:web:localhost%3A8443 -> https://localhost:8443/.well-known/did.json (the port's colon is
/// percent-encoded). A "#fragment" or "?query" is ignored. Errors: Invalid (field "did") for
/// anything else (another method, an empty host, a path escaping with "..", bad escapes).
Result<std::string> did_web_document_url(std::string_view did);

/// The did:web naming an HTTPS URL's host (and path, when not "/"): https://example.com:8443/a/b
/// -> did:web:example.com%3A8443:a:b. Errors: Invalid (field "url") for a non-HTTPS URL, or one
/// with a query, fragment or user info.
Result<std::string> did_web_of(std::string_view https_url);

}  // namespace laurel
