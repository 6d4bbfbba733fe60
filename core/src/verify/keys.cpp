// Key resolution shared by Open Badges 2.0 (a signed assertion's CryptographicKey) and 3.0 (the
// key a VC-JWT header names), and the rule that a key speaks for an issuer only when bound to it.
#include "laurel/multikey.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

Result<PublicKey> key_from_document(const Json& key_document) {
  if (key_document.find("kty")) return public_key_from_jwk(key_document);
  if (const Json* jwk = key_document.find("publicKeyJwk")) return public_key_from_jwk(*jwk);
  return public_key_from_pem(key_document.get_string("publicKeyPem"));
}

bool Verifier::jwt_signature(const Jws& jws, const std::string& issuer_id) {
  const std::string& kid = jws.header.get_string("kid");
  std::optional<PublicKey> key;
  std::string key_source;
  if (kid.rfind("did:key:", 0) == 0) {
    // A did:key is its own key document; it belongs to the issuer when it is the issuer's id.
    auto loaded = public_key_from_did_key(kid);
    if (!loaded.ok()) {
      check("key", false, loaded.error().message + ": " + kid);
      return false;
    }
    std::string did = kid.substr(0, kid.find('#'));
    if (!check("key", did == issuer_id,
               did == issuer_id ? "did:key of the issuer"
                                : "key " + kid + " is not the issuer " + issuer_id)) {
      return false;
    }
    key = std::move(loaded).value();
    key_source = kid;
  } else if (!kid.empty()) {
    std::string key_url_text = kid;
    const Json* key_document = fetch(key_url_text, "key");
    if (key_document == nullptr && kid.find('#') != std::string::npos) {
      key_url_text = kid.substr(0, kid.find('#'));
      key_document = fetch(key_url_text, "key");
    }
    if (key_document != nullptr) {
      Result<PublicKey> loaded = key_from_document(*key_document);
      if (!loaded.ok()) {
        check("key", false, "key " + kid + ": " + loaded.error().message);
        return false;
      }
      std::string owner = key_document->get_string("owner");
      if (owner.empty()) owner = key_document->get_string("controller");
      // Bound when the key names the issuer as owner, or names no owner but lives under the
      // issuer's own URL ("<issuer id>#key-1"), which only the issuer controls.
      bool bound = owner == issuer_id || (owner.empty() && kid.rfind(issuer_id + "#", 0) == 0);
      if (!check("key", bound,
                 bound ? "key " + kid + " belongs to the issuer"
                       : "key " + kid + " is owned by " + (owner.empty() ? "nobody" : owner) +
                             ", not by the issuer " + issuer_id)) {
        return false;
      }
      // When the issuer's profile is supplied and lists keys, it must list this one (a key
      // the issuer retired from its profile no longer speaks for it).
      if (const Json* profile = fetch(issuer_id, "Issuer")) {
        if (const Json* listed_keys = profile->find("publicKey")) {
          std::vector<std::string> listed = node_ids(listed_keys);
          if (!contains(listed, kid) && !contains(listed, key_url_text)) {
            check("key", false, "the issuer " + issuer_id + " does not list the key " + kid);
            return false;
          }
        }
      }
      key = std::move(loaded).value();
      key_source = kid;
    }
  }
  if (!key && jws.header.find("jwk") != nullptr) {
    auto loaded = public_key_from_jwk(*jws.header.find("jwk"));
    if (!loaded.ok()) {
      check("key", false, "header jwk: " + loaded.error().message);
      return false;
    }
    warn("the VC-JWT carries its own key (jwk header); nothing binds that key to the issuer");
    key = std::move(loaded).value();
    key_source = "the header jwk";
  }
  if (!key) {
    if (!kid.empty()) need(kid.substr(0, kid.find('#')));
    check("key", false,
          kid.empty() ? "the VC-JWT names no key (kid or jwk)"
                      : "the key " + kid + " was not supplied and cannot be resolved");
    return false;
  }
  bool ok = jws_verify(jws, *key);
  check("signature", ok,
        ok ? std::string(algorithm_name(key->algorithm)) + " signature by " + key_source
           : "the signature does not verify with " + key_source);
  return true;
}

}  // namespace laurel::verifier
