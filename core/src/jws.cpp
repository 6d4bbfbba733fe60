#include "laurel/jws.hpp"

#include "laurel/ids.hpp"

namespace laurel {

namespace {
bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}
}  // namespace

bool looks_like_jws(std::string_view text) {
  if (text.empty() || text.size() > kJwsMaxBytes) return false;
  std::size_t dots = 0;
  std::size_t part_length = 0;
  for (char c : text) {
    if (c == '.') {
      if (part_length == 0) return false;
      ++dots;
      part_length = 0;
    } else if (is_base64url_char(c)) {
      ++part_length;
    } else {
      return false;
    }
  }
  return dots == 2 && part_length > 0;
}

std::string jws_header_part(const KeyPair& key, const Json& extra_header) {
  Json header = extra_header.is_object() ? extra_header : Json::object();
  header.set("alg", algorithm_name(key.algorithm()));
  return base64url_encode(header.dump());
}

Status jws_append_signature(const KeyPair& key, std::string& signing_input) {
  auto signature = key.sign(signing_input);
  if (!signature.ok()) return signature.error();
  signing_input += '.';
  append_base64url(signing_input, signature.value());
  return {};
}

Result<std::string> jws_sign(const KeyPair& key, std::string_view payload,
                             const Json& extra_header) {
  std::string token = jws_header_part(key, extra_header);
  token.reserve(token.size() + (payload.size() + 2) / 3 * 4 + 90);  // payload, signature
  token += '.';
  append_base64url(token, payload);
  LAUREL_TRY(jws_append_signature(key, token));
  return token;
}

Result<Jws> jws_parse(std::string_view compact) {
  // Whitespace around a token read from a file or an image chunk is not part of it.
  while (!compact.empty() && (compact.front() == ' ' || compact.front() == '\n' ||
                              compact.front() == '\r' || compact.front() == '\t')) {
    compact.remove_prefix(1);
  }
  while (!compact.empty() && (compact.back() == ' ' || compact.back() == '\n' ||
                              compact.back() == '\r' || compact.back() == '\t')) {
    compact.remove_suffix(1);
  }
  if (compact.size() > kJwsMaxBytes) return invalid("jws", "token larger than 4 MiB");
  if (!looks_like_jws(compact)) return invalid("jws", "not a compact JWS (three base64url parts)");
  std::size_t first = compact.find('.');
  std::size_t second = compact.find('.', first + 1);
  auto header_text = base64url_decode(compact.substr(0, first));
  auto payload = base64url_decode(compact.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(compact.substr(second + 1));
  if (!header_text || !payload || !signature) return invalid("jws", "a part is not base64url");
  auto header = Json::parse(*header_text);
  if (!header.ok() || !header->is_object()) return invalid("jws", "header is not a JSON object");
  const Json* alg = header->find("alg");
  if (alg == nullptr || !alg->is_string()) return invalid("jws", "header has no \"alg\"");
  Jws jws;
  jws.header = std::move(header).value();
  jws.payload = std::move(*payload);
  jws.signing_input = std::string(compact.substr(0, second));
  jws.signature = std::move(*signature);
  return jws;
}

bool jws_verify(const Jws& jws, const PublicKey& key) {
  const Json* alg = jws.header.find("alg");
  if (alg == nullptr || !alg->is_string()) return false;
  // The key decides the algorithm; the header only has to agree (RFC 8725 §3.1).
  if (alg->as_string() != algorithm_name(key.algorithm)) return false;
  return verify_signature(key, jws.signing_input, jws.signature);
}

}  // namespace laurel
