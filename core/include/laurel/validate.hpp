// Syntax rules shared by the model, the store and the verifier.
#pragma once

#include <string_view>

namespace laurel {

/// http:// or https:// followed by a host; no spaces or control characters.
bool is_http_url(std::string_view text);
/// Any absolute IRI: a scheme ("[a-z][a-z0-9+.-]*:") followed by at least one character,
/// no whitespace or control characters (urn:uuid:..., did:key:..., mailto:...).
bool is_iri(std::string_view text);
/// local@domain with a dot in the domain, no spaces, at most 254 characters.
bool is_email(std::string_view text);
/// "+" followed by 7..15 digits (E.164).
bool is_telephone(std::string_view text);
/// A data: URI with a base64 image payload ("data:image/png;base64,...").
bool is_data_uri(std::string_view text);
/// Well-formed UTF-8.
bool is_utf8(std::string_view text);

}  // namespace laurel
