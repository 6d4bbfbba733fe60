// Fuzzes the compact JWS / VC-JWT parser, the payload's JSON, and the key readers fed by
// attacker-chosen header members (a did:key "kid", an embedded "jwk"), each key then checking the
// token. For every token the parser accepts:
//   - its three parts are canonical base64url of what was decoded (no second spelling of a token);
//   - the decoded header is an object with a string "alg", the signing input is the token's first
//     two parts;
//   - re-signing its payload with the fixed key parses back to the same payload and header, and
//     verifies (sign and parse agree).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "laurel/ids.hpp"
#include "laurel/json.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"

#include "fuzz_support.hpp"

namespace {

// Sanitizers watch these; the result is not checked (a genuine token may name its own key).
void verify_with_named_keys(const laurel::Jws& jws) {
  if (const laurel::Json* kid = jws.header.find("kid"); kid != nullptr && kid->is_string()) {
    auto key = laurel::public_key_from_did_key(kid->as_string());
    if (key.ok()) (void)laurel::jws_verify(jws, key.value());
  }
  if (const laurel::Json* jwk = jws.header.find("jwk"); jwk != nullptr) {
    auto key = laurel::public_key_from_jwk(*jwk);
    if (key.ok()) (void)laurel::jws_verify(jws, key.value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = laurel::jws_parse(input);
  if (!parsed.ok()) {
    if (parsed.error().field != "jws") std::abort();
    return 0;
  }
  const laurel::Jws& jws = parsed.value();
  std::string_view token = laurel::fuzz::trim(input);
  if (!laurel::looks_like_jws(token)) std::abort();
  const laurel::Json* alg = jws.header.find("alg");
  if (!jws.header.is_object() || alg == nullptr || !alg->is_string()) std::abort();
  std::size_t second_dot = token.rfind('.');
  if (jws.signing_input != token.substr(0, second_dot)) std::abort();
  std::size_t first_dot = token.find('.');
  auto header_bytes = laurel::base64url_decode(token.substr(0, first_dot));
  if (!header_bytes) std::abort();
  std::string canonical = laurel::base64url_encode(*header_bytes);
  canonical += '.' + laurel::base64url_encode(jws.payload);
  canonical += '.' + laurel::base64url_encode(jws.signature);
  if (canonical != token) std::abort();

  verify_with_named_keys(jws);
  (void)laurel::Json::parse(jws.payload);

  auto resigned = laurel::jws_sign(laurel::fuzz::fixed_key(), jws.payload, jws.header);
  if (!resigned.ok()) std::abort();
  auto reparsed = laurel::jws_parse(resigned.value());
  if (!reparsed.ok() || reparsed->payload != jws.payload) std::abort();
  laurel::Json expected_header = jws.header;
  expected_header.set("alg", "EdDSA");
  if (!(reparsed->header == expected_header)) std::abort();
  if (!laurel::jws_verify(reparsed.value(), laurel::fuzz::fixed_key().public_key())) std::abort();
  return 0;
}
