#include "laurel/keys.hpp"

#include <cstdint>

#include "detail/crypto.hpp"
#include "laurel/ids.hpp"

namespace laurel {

struct KeyPair::Material {
  KeyAlgorithm algorithm;
  PublicKey public_key;
  std::string pkcs8;
  std::unique_ptr<detail::Signer> signer;

  Material() = default;
  Material(const Material&) = delete;
  Material& operator=(const Material&) = delete;
  // The private key bytes do not outlive the key pair in freed memory; volatile stops the
  // compiler from dropping the stores as dead.
  ~Material() {
    volatile char* bytes = pkcs8.data();
    for (std::size_t i = 0; i < pkcs8.size(); ++i) bytes[i] = 0;
  }
};

const char* algorithm_name(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::RS256: return "RS256";
    case KeyAlgorithm::ES256: return "ES256";
    case KeyAlgorithm::EdDSA: break;
  }
  return "EdDSA";
}

std::optional<KeyAlgorithm> algorithm_from_name(std::string_view name) {
  if (name == "RS256") return KeyAlgorithm::RS256;
  if (name == "EdDSA") return KeyAlgorithm::EdDSA;
  if (name == "ES256") return KeyAlgorithm::ES256;
  return std::nullopt;
}

namespace {
constexpr std::string_view kPemBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kPemEnd = "-----END PUBLIC KEY-----";
constexpr std::size_t kPemColumns = 64;  // RFC 7468 §2
constexpr std::size_t kEd25519SpkiPrefixBytes = 12;
}  // namespace

std::string public_key_to_pem(const PublicKey& key) {
  std::string body = base64_encode(key.spki_der);
  std::string pem(kPemBegin);
  pem += '\n';
  for (std::size_t i = 0; i < body.size(); i += kPemColumns) {
    pem.append(body, i, kPemColumns);
    pem += '\n';
  }
  pem += kPemEnd;
  pem += '\n';
  return pem;
}

Result<PublicKey> public_key_from_der(std::string_view der) {
  auto algorithm = detail::inspect_spki(der);
  if (!algorithm.ok()) return algorithm.error();
  return PublicKey{algorithm.value(), std::string(der)};
}

Result<PublicKey> public_key_from_pem(std::string_view pem) {
  if (pem.size() > kPemMaxBytes) return invalid("publicKeyPem", "PEM larger than 16 KiB");
  std::size_t begin = pem.find(kPemBegin);
  std::size_t end = pem.find(kPemEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return invalid("publicKeyPem", "no \"BEGIN PUBLIC KEY\" PEM block");
  }
  std::string_view body = pem.substr(begin + kPemBegin.size(), end - begin - kPemBegin.size());
  auto der = base64_decode(body);
  if (!der) return invalid("publicKeyPem", "PEM body is not base64");
  auto key = public_key_from_der(*der);
  if (!key.ok()) return invalid("publicKeyPem", key.error().message);
  return key;
}

Json public_key_to_jwk(const PublicKey& key) {
  if (key.algorithm == KeyAlgorithm::EdDSA) {
    return Json::object(
        {{"kty", "OKP"},
         {"crv", "Ed25519"},
         {"x", base64url_encode(std::string_view(key.spki_der).substr(kEd25519SpkiPrefixBytes))}});
  }
  if (key.algorithm == KeyAlgorithm::ES256) {
    auto point = detail::p256_point(key.spki_der, false);  // 0x04 || x || y
    if (!point.ok()) return Json::object();
    std::string_view xy = std::string_view(point.value()).substr(1);
    return Json::object({{"kty", "EC"},
                         {"crv", "P-256"},
                         {"x", base64url_encode(xy.substr(0, kP256CoordinateBytes))},
                         {"y", base64url_encode(xy.substr(kP256CoordinateBytes))}});
  }
  auto components = detail::rsa_components(key.spki_der);
  if (!components.ok()) return Json::object();
  return Json::object({{"kty", "RSA"},
                       {"n", base64url_encode(components->first)},
                       {"e", base64url_encode(components->second)}});
}

Result<PublicKey> public_key_from_jwk(const Json& jwk) {
  if (!jwk.is_object()) return invalid("jwk", "a JWK must be an object");
  const std::string& kty = jwk.get_string("kty");
  if (kty == "OKP") {
    if (jwk.get_string("crv") != "Ed25519")
      return invalid("jwk", "only the Ed25519 curve is accepted");
    auto x = base64url_decode(jwk.get_string("x"));
    if (!x || x->size() != kEd25519PublicKeyBytes)
      return invalid("jwk", "\"x\" is not 32 bytes of base64url");
    static constexpr unsigned char kPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    std::string der(reinterpret_cast<const char*>(kPrefix), sizeof(kPrefix));
    der += *x;
    return PublicKey{KeyAlgorithm::EdDSA, std::move(der)};
  }
  if (kty == "RSA") {
    auto n = base64url_decode(jwk.get_string("n"));
    auto e = base64url_decode(jwk.get_string("e"));
    if (!n || !e || n->empty() || e->empty())
      return invalid("jwk", "\"n\" and \"e\" must be base64url");
    if (n->size() > kRsaMaxModulusBits / 8 + 1) return invalid("jwk", "RSA modulus too large");
    auto der = detail::rsa_spki_from_components(*n, *e);
    if (!der.ok()) return der.error();
    return PublicKey{KeyAlgorithm::RS256, std::move(der).value()};
  }
  if (kty == "EC") {
    if (jwk.get_string("crv") != "P-256") return invalid("jwk", "only the P-256 curve is accepted");
    auto x = base64url_decode(jwk.get_string("x"));
    auto y = base64url_decode(jwk.get_string("y"));
    if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
      return invalid("jwk", "\"x\" and \"y\" must be 32 bytes of base64url each");
    }
    auto der = detail::p256_spki_from_point("\x04" + *x + *y, "jwk");
    if (!der.ok()) return der.error();
    return PublicKey{KeyAlgorithm::ES256, std::move(der).value()};
  }
  return invalid("jwk", "unsupported key type \"" + kty +
                            "\" (RSA, OKP/Ed25519 and EC/P-256 are accepted)");
}

bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature) {
  return detail::verify(key.algorithm, key.spki_der, message, signature);
}

KeyPair::KeyPair(std::shared_ptr<const Material> material) : material_(std::move(material)) {}

Result<KeyPair> KeyPair::generate(KeyAlgorithm algorithm) {
  auto pkcs8 = detail::generate_private_key(algorithm);
  if (!pkcs8.ok()) return pkcs8.error();
  return from_pkcs8(algorithm, pkcs8.value());
}

Result<KeyPair> KeyPair::from_pkcs8(KeyAlgorithm algorithm, std::string_view pkcs8_der) {
  std::string spki;
  auto signer = detail::load_signer(algorithm, pkcs8_der, spki);
  if (!signer.ok()) return signer.error();
  auto material = std::make_shared<Material>();
  material->algorithm = algorithm;
  material->public_key = PublicKey{algorithm, std::move(spki)};
  material->pkcs8 = std::string(pkcs8_der);
  material->signer = std::move(signer).value();
  return KeyPair(std::move(material));
}

KeyAlgorithm KeyPair::algorithm() const {
  return material_->algorithm;
}
const PublicKey& KeyPair::public_key() const {
  return material_->public_key;
}
const std::string& KeyPair::private_pkcs8() const {
  return material_->pkcs8;
}
Result<std::string> KeyPair::sign(std::string_view message) const {
  return material_->signer->sign(message);
}

}  // namespace laurel
