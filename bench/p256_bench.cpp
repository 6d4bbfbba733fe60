// P-256 numbers, each beside a baseline measured in the same run (one thread):
//   verifying an OB 3.0 VC-JWT signed ES256 (kid -> the Profile's JsonWebKey), beside the bare
//   Crypto++ ECDSA P-256 check of the same signing input it ends with;
//   signing ES256 VC-JWTs (sign_credential), beside Crypto++ ECDSA P-256 signing of the input;
//   verifying the 1EdTech ecdsa-sd-2023 derived credential (RDFC-1.0 and 16 ECDSA checks), beside
//   the 1EdTech eddsa-rdfc-2022 simple.json (RDFC-1.0 and one Ed25519 check).
#include <cryptopp/eccrypto.h>
#include <cryptopp/oids.h>
#include <cryptopp/osrng.h>

#include <cstdio>
#include <string>

#include "laurel/credential.hpp"
#include "laurel/jws.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/verify.hpp"
#include "bench_support.hpp"
#include "sample_badge.hpp"
#include "timing.hpp"

namespace {

using namespace laurel;
using ::bench::print_beside;
using ::bench::read_file;
using laurel::bench::per_second;
using Ecdsa = CryptoPP::ECDSA<CryptoPP::ECP, CryptoPP::SHA256>;
constexpr std::int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z, the tests' fixed time

void require_valid(const Report& report, const char* what) {
  if (report.valid) return;
  std::fprintf(stderr, "%s does not verify: %s\n", what, report.to_json().dump().c_str());
  std::exit(1);
}

}  // namespace

int main() {
  const Issuer issuer = test::sample_issuer();
  const std::string profile_id = ob3_issuer_url(test::kBase, issuer.entity_id);
  const KeyPair key = ::bench::must(KeyPair::generate(KeyAlgorithm::ES256), "ES256 key");
  const std::string kid = jwk_method_id(profile_id, "P256");
  const Json credential = open_badge_credential(test::sample_assertion(),
                                                test::sample_badgeclass(), issuer, test::kBase);
  const std::string token = ::bench::must(sign_credential(credential, key, kid), "sign");
  DocumentMap documents = {
      {profile_id,
       ob3_profile_document(issuer, profile_id, {PublishedKey{"P256", key.public_key()}}).dump()}};
  VerifyOptions options;
  options.now = kNow;
  require_valid(verify(token, documents, options), "the ES256 VC-JWT");

  // The baseline: Crypto++ alone, the same curve, hash and signing input.
  const Jws parsed = ::bench::must(jws_parse(token), "parse");
  CryptoPP::AutoSeededRandomPool rng;
  Ecdsa::PrivateKey raw_private;
  raw_private.Initialize(rng, CryptoPP::ASN1::secp256r1());
  Ecdsa::Signer raw_signer(raw_private);
  Ecdsa::Verifier raw_verifier(raw_signer);
  const auto* input = reinterpret_cast<const CryptoPP::byte*>(parsed.signing_input.data());
  std::string raw_signature(raw_signer.MaxSignatureLength(), '\0');
  auto* raw_out = reinterpret_cast<CryptoPP::byte*>(raw_signature.data());
  raw_signer.SignMessage(rng, input, parsed.signing_input.size(), raw_out);

  double verify_rate = per_second([&] {
    if (!verify(token, documents, options).valid) std::exit(1);
  });
  double raw_verify = per_second([&] {
    if (!raw_verifier.VerifyMessage(input, parsed.signing_input.size(), raw_out, 64)) std::exit(1);
  });
  print_beside("verify ES256 VC-JWT", verify_rate, "raw Crypto++ ECDSA P-256 verify", raw_verify);

  double sign_rate = per_second([&] {
    if (!sign_credential(credential, key, kid).ok()) std::exit(1);
  });
  double raw_sign = per_second([&] {
    raw_signer.SignMessage(rng, input, parsed.signing_input.size(), raw_out);
  });
  print_beside("sign ES256 VC-JWT", sign_rate, "raw Crypto++ ECDSA P-256 sign", raw_sign);

  const std::string fixtures = std::string(LAUREL_FIXTURES) + "/1edtech/ob30/";
  const std::string derived = read_file(fixtures + "sd/derivedcredential.json");
  const std::string simple = read_file(fixtures + "simple.json");
  require_valid(verify(derived, DocumentMap{}, options), "sd/derivedcredential.json");
  require_valid(verify(simple, DocumentMap{}, options), "simple.json");
  double sd_rate = per_second([&] {
    if (!verify(derived, DocumentMap{}, options).valid) std::exit(1);
  });
  double eddsa_rate = per_second([&] {
    if (!verify(simple, DocumentMap{}, options).valid) std::exit(1);
  });
  print_beside("verify ecdsa-sd-2023 derived (1EdTech)", sd_rate,
               "verify eddsa-rdfc-2022 simple.json", eddsa_rate);
  return 0;
}
