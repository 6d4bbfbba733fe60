// Signing keys: Ed25519, RSA-2048 and P-256 key pairs, public keys as PEM (SubjectPublicKeyInfo)
// and JWK, and raw signatures. One algorithm per job, no knobs (libsodium's habit): RS256 is
// RSASSA-PKCS1-v1_5 with SHA-256 over a 2048-bit modulus, EdDSA is Ed25519, ES256 is ECDSA over
// P-256 with SHA-256 and its signature the 64 bytes r || s (RFC 7518 §3.4, IEEE P1363).
//
// Threading: PublicKey and KeyPair are immutable values; any number of threads may verify or sign
// with the same object at once. No function here throws; Crypto++ failures become
// ErrorCode::Crypto.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/result.hpp"

namespace laurel {

/// The JOSE names: "RS256", "EdDSA" and "ES256".
enum class KeyAlgorithm { RS256, EdDSA, ES256 };

const char* algorithm_name(KeyAlgorithm algorithm);
/// Accepts exactly "RS256", "EdDSA" or "ES256".
std::optional<KeyAlgorithm> algorithm_from_name(std::string_view name);

inline constexpr std::size_t kRsaModulusBits = 2048;     // keys Laurel creates
inline constexpr std::size_t kRsaMinModulusBits = 2048;  // keys Laurel accepts...
inline constexpr std::size_t kRsaMaxModulusBits = 8192;  // ...bounded so verification stays cheap
inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kP256CoordinateBytes = 32;     // x and y of a P-256 point
inline constexpr std::size_t kP256CompressedPointBytes = 33;  // SEC1 0x02/0x03 || x
inline constexpr std::size_t kP256SignatureBytes = 64;        // r || s
inline constexpr std::size_t kPemMaxBytes = 16384;  // an 8192-bit RSA SPKI is ~1.4 KiB

/// A public key: its algorithm and its DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
struct PublicKey {
  KeyAlgorithm algorithm = KeyAlgorithm::EdDSA;
  std::string spki_der;
  bool operator==(const PublicKey&) const = default;
};

/// "-----BEGIN PUBLIC KEY-----" PEM of the SubjectPublicKeyInfo, 64 columns, trailing newline.
std::string public_key_to_pem(const PublicKey& key);
/// Reads a PUBLIC KEY PEM (RSA, Ed25519 or P-256 with the named-curve OID). Errors: Invalid
/// (field "publicKeyPem") for anything that is not one PEM block holding a well-formed RSA
/// (2048..8192 bits), Ed25519 or P-256 key (a point on the curve).
Result<PublicKey> public_key_from_pem(std::string_view pem);
/// Reads a DER SubjectPublicKeyInfo. Errors as public_key_from_pem (field "publicKey").
Result<PublicKey> public_key_from_der(std::string_view der);

/// RFC 7517 JWK: {"kty":"RSA","n","e"}, {"kty":"OKP","crv":"Ed25519","x"} (RFC 8037) or
/// {"kty":"EC","crv":"P-256","x","y"} (RFC 7518 §6.2).
Json public_key_to_jwk(const PublicKey& key);
/// Errors: Invalid (field "jwk") for other key types, bad base64url or bad sizes.
Result<PublicKey> public_key_from_jwk(const Json& jwk);

/// "did:key:z6Mk..." (W3C did:key, Ed25519: multicodec 0xed01) or "did:key:zDn..." (P-256:
/// multicodec 0x1200, compressed point), base58btc, with or without a "#fragment", and the DID
/// of an Ed25519 or P-256 public key. Errors: Invalid (field "kid") for other DID methods, key
/// types or malformed identifiers.
Result<PublicKey> public_key_from_did_key(std::string_view did);
std::string did_key_of(const PublicKey& key);  // empty for RSA keys
// (Defined in multikey.cpp beside the other Multikey forms: laurel/multikey.hpp.)

/// True when `signature` is a valid signature of `message` under `key` (RS256, EdDSA or ES256
/// per the key's algorithm; ES256 takes r || s, high S accepted). Never throws; a malformed key
/// or signature is simply false.
[[nodiscard]] bool verify_signature(const PublicKey& key, std::string_view message,
                                    std::string_view signature);

/// A key pair. The private half stays inside: the only way out is private_pkcs8(), which exists
/// for the store to encrypt keys at rest and must never reach a face.
class KeyPair {
 public:
  /// A fresh key from the CSPRNG. Errors: Crypto.
  static Result<KeyPair> generate(KeyAlgorithm algorithm);
  /// Loads a PKCS#8 DER private key of `algorithm` (as private_pkcs8() wrote it).
  /// Errors: Crypto (malformed or of another algorithm).
  static Result<KeyPair> from_pkcs8(KeyAlgorithm algorithm, std::string_view pkcs8_der);

  KeyAlgorithm algorithm() const;
  const PublicKey& public_key() const;
  /// PKCS#8 DER of the private key. For encryption at rest only.
  const std::string& private_pkcs8() const;

  /// Signs `message` (RS256: RSASSA-PKCS1-v1_5 SHA-256; EdDSA: Ed25519; ES256: ECDSA P-256
  /// SHA-256, r || s). Errors: Crypto.
  Result<std::string> sign(std::string_view message) const;

  struct Material;  // Crypto++ objects, defined in core/src/keys.cpp

 private:
  explicit KeyPair(std::shared_ptr<const Material> material);
  std::shared_ptr<const Material> material_;
};

}  // namespace laurel
