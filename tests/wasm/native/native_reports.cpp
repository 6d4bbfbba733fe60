// Native reference driver for the WASM tests: reads one request per line on stdin and writes the
// native verifier's report for it, as canonical JSON, one line each. A request is
//   {"input": "<base64 bytes>", "documents": {"<url>": "<text>"}, "recipient": "...",
//    "recipientType": "...", "now": <seconds>}
// (all but input optional), the same arguments tests/wasm passes to the wasm verify(). A request
// {"canonical": "<JSON text>"} instead answers {"ok": <canonical text>} or {"error": <message>},
// the native side of laurel.canonicalJsonForTests. With "repeat": N the verification runs N times
// and the answer is {"medianNanos": <median time of one verify()>} (bench/wasm_bench.mjs).
// A request {"issue": "<base64 PNG>", "svg": "<base64 SVG>"} issues a fresh badge the way Laurel
// does (new RS256 and Ed25519 keys, a new salt) and answers with its public documents and the
// badge in every form (see issue_badges below), for native and wasm to verify alike.
#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/status_list.hpp"
#include "laurel/documents.hpp"
#include "laurel/json.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/recipient.hpp"
#include "laurel/verify.hpp"

namespace {

bool base64_decode(const std::string& text, std::string& out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out.clear();
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | unsigned(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(char((buffer >> bits) & 0xFF));
    }
  }
  return true;
}

std::string base64_encode(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (unsigned char)bytes[i] << 16 | (unsigned char)bytes[i + 1] << 8 | (unsigned char)bytes[i + 2];
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned n = (unsigned char)bytes[i] << 16;
    if (i + 1 < bytes.size()) n |= (unsigned char)bytes[i + 1] << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

template <class T>
T take(laurel::Result<T> result, const char* what) {
  if (!result.ok()) {
    std::cerr << "native_reports: " << what << ": " << result.error().message << '\n';
    std::exit(3);
  }
  return std::move(result).value();
}

// {"recipient", "documents", "revokedDocuments", "badges": {name: text}, "images": {name: base64}}
laurel::Json issue_badges(const std::string& png, const std::string& svg) {
  using namespace laurel;
  constexpr const char* kBase = "https://badges.example.edu";
  constexpr const char* kRecipient = "Ada@Example.org";
  Issuer issuer;
  issuer.entity_id = "AAAAAAAAAAAAAAAAAAAAAA";
  issuer.name = "Example University";
  issuer.email = "badges@example.edu";
  issuer.url = "https://example.edu";
  BadgeClass badgeclass;
  badgeclass.entity_id = "BBBBBBBBBBBBBBBBBBBBBB";
  badgeclass.issuer = issuer.entity_id;
  badgeclass.name = "Robotics";
  badgeclass.description = "Built a robot";
  badgeclass.image = "https://badges.example.edu/robotics.png";
  badgeclass.criteria_narrative = "Build a robot that walks.";
  Assertion assertion;
  assertion.entity_id = "CCCCCCCCCCCCCCCCCCCCCC";
  assertion.badgeclass = badgeclass.entity_id;
  assertion.issuer = issuer.entity_id;
  assertion.recipient.type = "email";
  assertion.recipient.hashed = true;
  assertion.recipient.salt = new_salt();
  assertion.recipient.identity = take(hash_identity(kRecipient, assertion.recipient.salt), "hash");
  assertion.issued_on = "2024-05-01T12:00:00Z";

  KeyPair rsa = take(KeyPair::generate(KeyAlgorithm::RS256), "RSA key");
  KeyPair ed25519 = take(KeyPair::generate(KeyAlgorithm::EdDSA), "Ed25519 key");
  const std::string rsa_id = "RSARSARSARSARSARSARSAR";
  const std::string ed_id = "EDEDEDEDEDEDEDEDEDEDED";

  Json documents = Json::object();
  documents.set(issuer_url(kBase, issuer.entity_id), issuer_document(issuer, kBase, {rsa_id, ed_id}).dump());
  documents.set(badgeclass_url(kBase, badgeclass.entity_id), badgeclass_document(badgeclass, kBase).dump());
  documents.set(key_url(kBase, rsa_id), key_document(issuer.entity_id, rsa_id, rsa.public_key(), kBase).dump());
  documents.set(key_url(kBase, ed_id), key_document(issuer.entity_id, ed_id, ed25519.public_key(), kBase).dump());
  std::string hosted = assertion_document(assertion, kBase).dump();
  documents.set(assertion_url(kBase, assertion.entity_id), hosted);
  Json revoked_documents = documents;
  documents.set(revocation_list_url(kBase, issuer.entity_id),
                revocation_list_document(issuer.entity_id, {}, kBase).dump());
  revoked_documents.set(revocation_list_url(kBase, issuer.entity_id),
                        revocation_list_document(issuer.entity_id, {{assertion.entity_id, "Issued in error"}}, kBase).dump());

  // OB 3.0: the Profile listing the Ed25519 key, and the status list (bit 4711 is the credential's)
  // clear in `documents`, set in `revokedDocuments`, each a VC-JWT signed by the issuer.
  const std::string profile = ob3_issuer_url(kBase, issuer.entity_id);
  documents.set(profile, ob3_profile_document(issuer, profile, {PublishedKey{ed_id, ed25519.public_key()}}).dump());
  revoked_documents.set(profile, *documents.find(profile));
  const std::string list_url = status_list_url(kBase, issuer.entity_id, "LISTLISTLIS");
  constexpr std::uint64_t kIndex = 4711;
  std::string bits(kStatusListBytes, '\0');
  auto signed_list = [&](const std::string& list_bits) {
    Json list = take(status_list_credential(profile, list_url, list_bits, "2024-05-01T12:00:00Z"), "status list");
    return take(sign_credential(list, ed25519, jwk_method_id(profile, ed_id)), "status list VC-JWT");
  };
  documents.set(list_url, signed_list(bits));
  set_status_bit(bits, kIndex);
  revoked_documents.set(list_url, signed_list(bits));

  std::string rs256 = take(jws_sign(rsa, assertion_document(assertion, kBase, rsa_id).dump()), "RS256 JWS");
  CredentialOptions options;
  options.status = status_list_entry(list_url, kIndex);
  std::string credential = take(
      sign_credential(open_badge_credential(assertion, badgeclass, issuer, kBase, options), ed25519,
                      jwk_method_id(profile, ed_id)),
      "VC-JWT");
  Json badges = Json::object({{"hosted", hosted}, {"signed-rs256", rs256}, {"credential-eddsa", credential}});
  Json images = Json::object({{"baked-hosted.png", base64_encode(take(bake(png, hosted), "bake PNG"))},
                              {"baked-rs256.png", base64_encode(take(bake(png, rs256), "bake PNG"))},
                              {"baked-hosted.svg", base64_encode(take(bake(svg, hosted), "bake SVG"))},
                              {"baked-credential.svg", base64_encode(take(bake(svg, credential), "bake SVG"))}});
  return Json::object({{"recipient", kRecipient}, {"documents", documents}, {"revokedDocuments", revoked_documents},
                       {"badges", badges}, {"images", images}});
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    auto request = laurel::Json::parse(line);
    std::string input;
    if (!request.ok() || !base64_decode(request->get_string("input"), input)) {
      std::cerr << "native_reports: bad request line\n";
      return 2;
    }
    if (const laurel::Json* png = request->find("issue")) {
      std::string png_bytes, svg_bytes;
      if (!base64_decode(png->as_string(), png_bytes) || !base64_decode(request->get_string("svg"), svg_bytes)) {
        std::cerr << "native_reports: bad image in issue request\n";
        return 2;
      }
      std::cout << issue_badges(png_bytes, svg_bytes).dump() << '\n';
      continue;
    }
    if (const laurel::Json* text = request->find("canonical")) {
      auto parsed = laurel::Json::parse(text->as_string());
      laurel::Json answer = parsed.ok() ? laurel::Json::object({{"ok", parsed->dump()}})
                                        : laurel::Json::object({{"error", parsed.error().message}});
      std::cout << answer.dump() << '\n';
      continue;
    }
    laurel::DocumentMap documents;
    if (const laurel::Json* map = request->find("documents"); map && map->is_object()) {
      for (const auto& [url, text] : map->as_object()) documents.emplace(url, text.as_string());
    }
    laurel::VerifyOptions options;
    options.recipient = request->get_string("recipient");
    options.recipient_type = request->get_string("recipientType");
    if (const laurel::Json* now = request->find("now"); now && now->is_number()) options.now = now->as_int();
    if (const laurel::Json* repeat = request->find("repeat"); repeat && repeat->is_int()) {
      std::vector<std::int64_t> nanos;
      std::size_t valid = 0;
      for (std::int64_t i = 0; i < repeat->as_int(); ++i) {
        auto start = std::chrono::steady_clock::now();
        laurel::Report report = laurel::verify(input, documents, options);
        nanos.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now() - start).count());
        valid += report.valid ? 1 : 0;  // keeps the work observable
      }
      std::sort(nanos.begin(), nanos.end());
      laurel::Json answer = laurel::Json::object(
          {{"medianNanos", nanos.empty() ? std::int64_t(0) : nanos[nanos.size() / 2]},
           {"valid", valid == nanos.size()}});
      std::cout << answer.dump() << '\n';
      continue;
    }
    std::cout << laurel::verify(input, documents, options).to_json().dump() << '\n';
  }
  return 0;
}
