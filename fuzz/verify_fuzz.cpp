// Fuzzes the verifier's whole input surface: JSON, compact JWS, PNG and SVG (with unbaking),
// against a fixed set of documents for a Laurel-published badge, so mutated inputs reach the
// deep checks (badge class, issuer, key, revocation list) and not only the parsers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "laurel/bake.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "laurel/verify.hpp"

#include "fuzz_support.hpp"

namespace {

constexpr std::string_view kBase = "https://badges.example.edu";

const laurel::DocumentMap& documents() {
  static const laurel::DocumentMap map = [] {
    using namespace laurel;
    const KeyPair& key = fuzz::fixed_key();
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
    badgeclass.criteria_narrative = "Build a robot that walks.";
    DocumentMap out;
    out[issuer_url(kBase, issuer.entity_id)] = issuer_document(issuer, kBase, {"K1"}).dump();
    out[badgeclass_url(kBase, badgeclass.entity_id)] =
        badgeclass_document(badgeclass, kBase).dump();
    out[key_url(kBase, "K1")] =
        key_document(issuer.entity_id, "K1", key.public_key(), kBase).dump();
    out[revocation_list_url(kBase, issuer.entity_id)] =
        revocation_list_document(issuer.entity_id, {{"RRRRRRRRRRRRRRRRRRRRRR", "mistake"}}, kBase)
            .dump();
    return out;
  }();
  return map;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  laurel::VerifyOptions options;
  options.now = 1767225600;  // 2026-01-01: fixed, so a crash reproduces
  options.recipient = "ada@example.org";
  laurel::Report report = laurel::verify(input, documents(), options);
  // Invariants every face relies on.
  if (report.valid != report.errors.empty()) std::abort();
  if (report.checks.empty()) std::abort();
  if (report.to_json().dump().empty()) std::abort();
  if (auto baked = laurel::unbake(input); baked.ok() && baked->text.empty()) std::abort();
  (void)laurel::jws_parse(input);
  return 0;
}
