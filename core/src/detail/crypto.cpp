#include "detail/crypto.hpp"

#include <cryptopp/aes.h>
#include <cryptopp/asn.h>
#include <cryptopp/eccrypto.h>
#include <cryptopp/oids.h>
#include <cryptopp/filters.h>
#include <cryptopp/gcm.h>
#include <cryptopp/integer.h>
#include <cryptopp/osrng.h>
#include <cryptopp/pssr.h>
#include <cryptopp/queue.h>
#include <cryptopp/rsa.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/sha.h>
#include <cryptopp/xed25519.h>
#include <cryptopp/zlib.h>

#include <exception>
#include <memory>
#include <mutex>
#include <vector>
#include <optional>

namespace laurel::detail {
namespace {

using RsaSigner = CryptoPP::RSASS<CryptoPP::PKCS1v15, CryptoPP::SHA256>::Signer;
using RsaVerifier = CryptoPP::RSASS<CryptoPP::PKCS1v15, CryptoPP::SHA256>::Verifier;
// Crypto++'s ECDSA signs and verifies the IEEE P1363 form r || s, which is JOSE's (RFC 7518 §3.4).
using Ecdsa = CryptoPP::ECDSA<CryptoPP::ECP, CryptoPP::SHA256>;

const CryptoPP::byte* bytes(std::string_view data) {
  return reinterpret_cast<const CryptoPP::byte*>(data.data());
}

Error crypto_error(std::string message) {
  return Error{ErrorCode::Crypto, "key", std::move(message)};
}

// Ed25519 SubjectPublicKeyInfo (RFC 8410 §4):
//   SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }.
// The encoding has exactly one form, so it is matched and built byte for byte.
constexpr unsigned char kEd25519SpkiPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
constexpr std::size_t kEd25519SpkiBytes = sizeof(kEd25519SpkiPrefix) + kEd25519PublicKeyBytes;
// rsaEncryption, 1.2.840.113549.1.1.1, as it appears inside an RSA SubjectPublicKeyInfo.
constexpr unsigned char kRsaOid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x01, 0x01};

// P-256 SubjectPublicKeyInfo (RFC 5480 §2): SEQUENCE { SEQUENCE { OID id-ecPublicKey
// 1.2.840.10045.2.1, OID prime256v1 1.2.840.10045.3.1.7 } BIT STRING 0x04 || x || y }. Laurel
// writes and reads this one form (named curve, uncompressed point), matched byte for byte.
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
constexpr std::size_t kP256UncompressedPointBytes = 1 + 2 * kP256CoordinateBytes;
constexpr std::size_t kP256SpkiBytes = sizeof(kP256SpkiPrefix) + kP256UncompressedPointBytes;

const CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP>& p256_group() {
  static const CryptoPP::DL_GroupParameters_EC<CryptoPP::ECP> group(CryptoPP::ASN1::secp256r1());
  return group;
}

bool is_p256_spki(std::string_view der) {
  return der.size() == kP256SpkiBytes &&
         der.substr(0, sizeof(kP256SpkiPrefix)) ==
             std::string_view(reinterpret_cast<const char*>(kP256SpkiPrefix),
                              sizeof(kP256SpkiPrefix)) &&
         der[sizeof(kP256SpkiPrefix)] == '\x04';
}

// A SEC1 point (compressed or not) on P-256 other than the point at infinity.
std::optional<CryptoPP::ECP::Point> p256_decode(std::string_view sec1_point) {
  if (sec1_point.empty() || sec1_point.front() == '\0') return std::nullopt;  // infinity
  try {
    const CryptoPP::ECP& curve = p256_group().GetCurve();
    CryptoPP::ECP::Point point;
    if (!curve.DecodePoint(point, bytes(sec1_point), sec1_point.size())) return std::nullopt;
    if (point.identity || !curve.VerifyPoint(point)) return std::nullopt;
    return point;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string p256_spki_of(const CryptoPP::ECP::Point& point) {
  std::string out(reinterpret_cast<const char*>(kP256SpkiPrefix), sizeof(kP256SpkiPrefix));
  std::string sec1(kP256UncompressedPointBytes, '\0');
  p256_group().GetCurve().EncodePoint(reinterpret_cast<CryptoPP::byte*>(sec1.data()), point,
                                      false);
  return out + sec1;
}

bool is_ed25519_spki(std::string_view der) {
  return der.size() == kEd25519SpkiBytes &&
         der.substr(0, sizeof(kEd25519SpkiPrefix)) ==
             std::string_view(reinterpret_cast<const char*>(kEd25519SpkiPrefix),
                              sizeof(kEd25519SpkiPrefix));
}

bool load_rsa_public(std::string_view der, CryptoPP::RSA::PublicKey& key) {
  CryptoPP::StringSource source(bytes(der), der.size(), true);
  key.Load(source);
  if (source.MaxRetrievable() != 0) return false;  // trailing bytes after the key
  std::size_t bits = key.GetModulus().BitCount();
  if (bits < kRsaMinModulusBits || bits > kRsaMaxModulusBits) return false;
  const CryptoPP::Integer& e = key.GetPublicExponent();
  return e.IsOdd() && e > CryptoPP::Integer::One() && e.BitCount() <= 64;
}

// Signs with a scheme that draws from a generator (RSA blinding, the ECDSA nonce): one pool per
// call keeps signing thread-safe.
template <class CryptoppSigner>
Result<std::string> sign_with_fresh_pool(const CryptoppSigner& signer, std::string_view message,
                                         const char* scheme) {
  try {
    CryptoPP::AutoSeededRandomPool rng;
    std::string signature(signer.MaxSignatureLength(), '\0');
    std::size_t length = signer.SignMessage(rng, bytes(message), message.size(),
                                            reinterpret_cast<CryptoPP::byte*>(signature.data()));
    signature.resize(length);
    return signature;
  } catch (const std::exception& e) {
    return crypto_error(std::string(scheme) + " signing failed: " + e.what());
  }
}

class Ed25519Signer final : public Signer {
 public:
  explicit Ed25519Signer(std::string_view pkcs8) {
    CryptoPP::StringSource source(bytes(pkcs8), pkcs8.size(), true);
    signer_.AccessPrivateKey().Load(source);
  }
  std::string spki() const {
    std::string out(reinterpret_cast<const char*>(kEd25519SpkiPrefix), sizeof(kEd25519SpkiPrefix));
    out.append(reinterpret_cast<const char*>(
                   static_cast<const CryptoPP::ed25519PrivateKey&>(signer_.GetPrivateKey())
                       .GetPublicKeyBytePtr()),
               kEd25519PublicKeyBytes);
    return out;
  }
  Result<std::string> sign(std::string_view message) const override {
    try {
      // Ed25519 signatures are deterministic (RFC 8032 §5.1.6): the generator is not used.
      CryptoPP::RandomNumberGenerator& rng = CryptoPP::NullRNG();
      std::string signature(signer_.MaxSignatureLength(), '\0');
      std::size_t length = signer_.SignMessage(rng, bytes(message), message.size(),
                                               reinterpret_cast<CryptoPP::byte*>(signature.data()));
      signature.resize(length);
      return signature;
    } catch (const std::exception& e) {
      return crypto_error(std::string("Ed25519 signing failed: ") + e.what());
    }
  }

 private:
  CryptoPP::ed25519::Signer signer_;
};

class RsaSignerImpl final : public Signer {
 public:
  explicit RsaSignerImpl(std::string_view pkcs8) {
    CryptoPP::StringSource source(bytes(pkcs8), pkcs8.size(), true);
    CryptoPP::RSA::PrivateKey key;
    key.Load(source);
    signer_ = RsaSigner(key);
  }
  std::string spki() const {
    CryptoPP::RSA::PublicKey public_key(signer_.GetKey());
    std::string out;
    CryptoPP::StringSink sink(out);
    public_key.Save(sink);
    return out;
  }
  Result<std::string> sign(std::string_view message) const override {
    // RSA blinding draws from the generator.
    return sign_with_fresh_pool(signer_, message, "RSA");
  }

 private:
  RsaSigner signer_;
};

class P256Signer final : public Signer {
 public:
  explicit P256Signer(std::string_view pkcs8) {
    CryptoPP::StringSource source(bytes(pkcs8), pkcs8.size(), true);
    signer_.AccessKey().Load(source);
    if (signer_.GetKey().GetGroupParameters().GetSubgroupOrder() !=
        p256_group().GetSubgroupOrder()) {
      throw CryptoPP::Exception(CryptoPP::Exception::INVALID_DATA_FORMAT, "not a P-256 key");
    }
  }
  std::string spki() const {
    std::lock_guard lock(mutex_);
    Ecdsa::PublicKey public_key;
    signer_.GetKey().MakePublicKey(public_key);
    return p256_spki_of(public_key.GetPublicElement());
  }
  Result<std::string> sign(std::string_view message) const override {
    // Crypto++'s curve keeps a scratch point in the key (ECP::m_R is mutable), so a signer must
    // not sign on two threads at once (a batch on every core crashed): each call borrows a copy
    // of its own, kept for the next call.
    std::unique_ptr<Ecdsa::Signer> borrowed;
    {
      std::lock_guard lock(mutex_);
      if (spare_.empty()) {
        borrowed = std::make_unique<Ecdsa::Signer>(signer_);
      } else {
        borrowed = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    // ECDSA draws a fresh secret nonce per signature.
    auto signature = sign_with_fresh_pool(*borrowed, message, "ECDSA P-256");
    std::lock_guard lock(mutex_);
    spare_.push_back(std::move(borrowed));
    return signature;
  }

 private:
  Ecdsa::Signer signer_;  // the key; copied, never used to sign
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Ecdsa::Signer>> spare_;
};

}  // namespace

Result<std::string> generate_private_key(KeyAlgorithm algorithm) {
  try {
    CryptoPP::AutoSeededRandomPool rng;
    std::string out;
    CryptoPP::StringSink sink(out);
    if (algorithm == KeyAlgorithm::EdDSA) {
      CryptoPP::ed25519::Signer signer(rng);
      signer.GetPrivateKey().Save(sink);
    } else if (algorithm == KeyAlgorithm::ES256) {
      Ecdsa::PrivateKey key;
      key.Initialize(rng, CryptoPP::ASN1::secp256r1());
      key.AccessGroupParameters().SetEncodeAsOID(true);  // the named curve, as RFC 5480 asks
      key.Save(sink);
    } else {
      CryptoPP::RSA::PrivateKey key;
      key.GenerateRandomWithKeySize(rng, kRsaModulusBits);
      key.Save(sink);
    }
    return out;
  } catch (const std::exception& e) {
    return crypto_error(std::string("key generation failed: ") + e.what());
  }
}

Result<std::unique_ptr<Signer>> load_signer(KeyAlgorithm algorithm, std::string_view pkcs8,
                                            std::string& spki_out) {
  try {
    if (algorithm == KeyAlgorithm::EdDSA) {
      auto signer = std::make_unique<Ed25519Signer>(pkcs8);
      spki_out = signer->spki();
      return std::unique_ptr<Signer>(std::move(signer));
    }
    if (algorithm == KeyAlgorithm::ES256) {
      auto signer = std::make_unique<P256Signer>(pkcs8);
      spki_out = signer->spki();
      return std::unique_ptr<Signer>(std::move(signer));
    }
    auto signer = std::make_unique<RsaSignerImpl>(pkcs8);
    spki_out = signer->spki();
    CryptoPP::RSA::PublicKey check;
    if (!load_rsa_public(spki_out, check)) return crypto_error("RSA key size out of range");
    return std::unique_ptr<Signer>(std::move(signer));
  } catch (const std::exception& e) {
    return crypto_error(std::string("cannot load the private key: ") + e.what());
  }
}

Result<KeyAlgorithm> inspect_spki(std::string_view der) {
  if (is_ed25519_spki(der)) return KeyAlgorithm::EdDSA;
  if (is_p256_spki(der)) {
    if (!p256_decode(der.substr(sizeof(kP256SpkiPrefix)))) {
      return invalid("publicKey", "P-256 key whose point is not on the curve");
    }
    return KeyAlgorithm::ES256;
  }
  std::string_view oid(reinterpret_cast<const char*>(kRsaOid), sizeof(kRsaOid));
  if (der.size() > 16 && der.substr(0, 32).find(oid) != std::string_view::npos) {
    try {
      CryptoPP::RSA::PublicKey key;
      if (load_rsa_public(der, key)) return KeyAlgorithm::RS256;
      return invalid("publicKey", "RSA key outside 2048..8192 bits or with a bad exponent");
    } catch (const std::exception& e) {
      return invalid("publicKey", std::string("malformed RSA public key: ") + e.what());
    }
  }
  return invalid("publicKey",
                 "not an RSA, Ed25519 or P-256 (named curve, uncompressed) SubjectPublicKeyInfo");
}

bool verify(KeyAlgorithm algorithm, std::string_view spki, std::string_view message,
            std::string_view signature) {
  try {
    if (algorithm == KeyAlgorithm::EdDSA) {
      if (!is_ed25519_spki(spki) || signature.size() != kEd25519SignatureBytes) return false;
      CryptoPP::ed25519::Verifier verifier(bytes(spki.substr(sizeof(kEd25519SpkiPrefix))));
      return verifier.VerifyMessage(bytes(message), message.size(), bytes(signature),
                                    signature.size());
    }
    if (algorithm == KeyAlgorithm::ES256) {
      if (!is_p256_spki(spki) || signature.size() != kP256SignatureBytes) return false;
      auto point = p256_decode(spki.substr(sizeof(kP256SpkiPrefix)));
      if (!point) return false;
      Ecdsa::PublicKey key;
      key.Initialize(p256_group(), *point);
      Ecdsa::Verifier verifier(key);
      return verifier.VerifyMessage(bytes(message), message.size(), bytes(signature),
                                    signature.size());
    }
    CryptoPP::RSA::PublicKey key;
    if (!load_rsa_public(spki, key)) return false;
    RsaVerifier verifier(key);
    if (signature.size() != verifier.SignatureLength()) return false;
    return verifier.VerifyMessage(bytes(message), message.size(), bytes(signature),
                                  signature.size());
  } catch (const std::exception&) {
    return false;
  }
}

Result<std::string> rsa_spki_from_components(std::string_view modulus, std::string_view exponent) {
  try {
    CryptoPP::Integer n(bytes(modulus), modulus.size());
    CryptoPP::Integer e(bytes(exponent), exponent.size());
    CryptoPP::RSA::PublicKey key;
    key.Initialize(n, e);
    std::string out;
    CryptoPP::StringSink sink(out);
    key.Save(sink);
    CryptoPP::RSA::PublicKey check;
    if (!load_rsa_public(out, check)) {
      return invalid("jwk", "RSA key outside 2048..8192 bits or with a bad exponent");
    }
    return out;
  } catch (const std::exception& e) {
    return invalid("jwk", std::string("malformed RSA key: ") + e.what());
  }
}

Result<std::pair<std::string, std::string>> rsa_components(std::string_view spki) {
  try {
    CryptoPP::RSA::PublicKey key;
    if (!load_rsa_public(spki, key)) return invalid("publicKey", "not a usable RSA key");
    auto encode = [](const CryptoPP::Integer& value) {
      std::string out(value.MinEncodedSize(), '\0');
      value.Encode(reinterpret_cast<CryptoPP::byte*>(out.data()), out.size());
      return out;
    };
    return std::make_pair(encode(key.GetModulus()), encode(key.GetPublicExponent()));
  } catch (const std::exception& e) {
    return invalid("publicKey", std::string("malformed RSA key: ") + e.what());
  }
}

Result<std::string> p256_spki_from_point(std::string_view sec1_point, const char* field) {
  try {
    auto point = p256_decode(sec1_point);
    if (!point) return invalid(field, "not a point on the P-256 curve");
    return p256_spki_of(*point);
  } catch (const std::exception& e) {
    return invalid(field, std::string("malformed P-256 point: ") + e.what());
  }
}

Result<std::string> p256_point(std::string_view spki, bool compressed) {
  try {
    auto point = is_p256_spki(spki) ? p256_decode(spki.substr(sizeof(kP256SpkiPrefix)))
                                    : std::nullopt;
    if (!point) return invalid("publicKey", "not a P-256 key");
    const CryptoPP::ECP& curve = p256_group().GetCurve();
    std::string out(curve.EncodedPointSize(compressed), '\0');
    curve.EncodePoint(reinterpret_cast<CryptoPP::byte*>(out.data()), *point, compressed);
    return out;
  } catch (const std::exception& e) {
    return invalid("publicKey", std::string("malformed P-256 key: ") + e.what());
  }
}

namespace {
// Collects inflated output and stops the inflater once the limit is passed, so a small
// "zip bomb" chunk cannot allocate without bound.
class LimitedSink final : public CryptoPP::Bufferless<CryptoPP::Sink> {
 public:
  LimitedSink(std::string& out, std::size_t limit) : out_(out), limit_(limit) {}
  std::size_t Put2(const CryptoPP::byte* data, std::size_t length, int, bool) override {
    if (out_.size() + length > limit_)
      throw CryptoPP::Exception(CryptoPP::Exception::OTHER_ERROR, "limit");
    out_.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

 private:
  std::string& out_;
  std::size_t limit_;
};
}  // namespace

Result<std::string> zlib_inflate(std::string_view data, std::size_t max_output) {
  std::string out;
  try {
    CryptoPP::ZlibDecompressor inflater(new LimitedSink(out, max_output));
    inflater.Put(bytes(data), data.size());
    inflater.MessageEnd();
    return out;
  } catch (const std::exception& e) {
    if (std::string_view(e.what()) == "limit") {
      return invalid("image",
                     "compressed text inflates beyond " + std::to_string(max_output) + " bytes");
    }
    return invalid("image", std::string("corrupt compressed text: ") + e.what());
  }
}

}  // namespace laurel::detail

namespace laurel::detail {

Result<std::string> aes_gcm_seal(std::string_view key, std::string_view nonce,
                                 std::string_view plaintext, std::string_view associated_data) {
  try {
    CryptoPP::GCM<CryptoPP::AES>::Encryption cipher;
    cipher.SetKeyWithIV(bytes(key), key.size(), bytes(nonce), nonce.size());
    std::string ciphertext(plaintext.size(), '\0');
    std::string tag(16, '\0');
    cipher.EncryptAndAuthenticate(reinterpret_cast<CryptoPP::byte*>(ciphertext.data()),
                                  reinterpret_cast<CryptoPP::byte*>(tag.data()), 16, bytes(nonce),
                                  int(nonce.size()), bytes(associated_data), associated_data.size(),
                                  bytes(plaintext), plaintext.size());
    return ciphertext + tag;
  } catch (const std::exception& e) {
    return crypto_error(std::string("AES-GCM encryption failed: ") + e.what());
  }
}

Result<std::string> aes_gcm_open(std::string_view key, std::string_view nonce,
                                 std::string_view ciphertext_and_tag,
                                 std::string_view associated_data) {
  if (ciphertext_and_tag.size() < 16) return crypto_error("wrapped key truncated");
  try {
    CryptoPP::GCM<CryptoPP::AES>::Decryption cipher;
    cipher.SetKeyWithIV(bytes(key), key.size(), bytes(nonce), nonce.size());
    std::size_t length = ciphertext_and_tag.size() - 16;
    std::string plaintext(length, '\0');
    bool ok = cipher.DecryptAndVerify(reinterpret_cast<CryptoPP::byte*>(plaintext.data()),
                                      bytes(ciphertext_and_tag.substr(length)), 16, bytes(nonce),
                                      int(nonce.size()), bytes(associated_data),
                                      associated_data.size(), bytes(ciphertext_and_tag), length);
    if (!ok) return crypto_error("wrong key-encryption key, or the wrapped key was changed");
    return plaintext;
  } catch (const std::exception& e) {
    return crypto_error(std::string("AES-GCM decryption failed: ") + e.what());
  }
}

Result<std::string> scrypt(std::string_view passphrase, std::string_view salt, std::uint64_t n,
                           unsigned r, unsigned p, std::size_t length) {
  try {
    std::string out(length, '\0');
    CryptoPP::Scrypt kdf;
    kdf.DeriveKey(reinterpret_cast<CryptoPP::byte*>(out.data()), out.size(), bytes(passphrase),
                  passphrase.size(), bytes(salt), salt.size(), n, r, p);
    return out;
  } catch (const std::exception& e) {
    return crypto_error(std::string("scrypt failed: ") + e.what());
  }
}

}  // namespace laurel::detail
