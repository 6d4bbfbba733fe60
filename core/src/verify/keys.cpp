// Key resolution shared by Open Badges 2.0 (a signed assertion's CryptographicKey) and 3.0 (the
// key a VC-JWT header names), and the rule that a key speaks for an issuer only when bound to it.
#include "laurel/multikey.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

Result<PublicKey> key_from_document(const Json& key_document) {
  if (key_document.find("kty")) return public_key_from_jwk(key_document);
  if (const Json* jwk = key_document.find("publicKeyJwk")) return public_key_from_jwk(*jwk);
  if (key_document.find("publicKeyMultibase")) {
    return public_key_from_multibase(key_document.get_string("publicKeyMultibase"));
  }
  return public_key_from_pem(key_document.get_string("publicKeyPem"));
}

const Json* find_verification_method(const Json& controller, std::string_view id) {
  const Json* methods = controller.find("verificationMethod");
  if (methods == nullptr || !methods->is_array()) return nullptr;
  for (const Json& method : methods->as_array()) {
    if (method.is_object() && method.get_string("id") == id) return &method;
  }
  return nullptr;
}

Result<Verifier::JwtKey> Verifier::jwt_key(const Jws& jws, const std::string& issuer_id) {
  const std::string& kid = jws.header.get_string("kid");
  if (kid.rfind("did:key:", 0) == 0) {
    // A did:key is its own key document; it belongs to the issuer when it is the issuer's id.
    auto loaded = public_key_from_did_key(kid);
    if (!loaded.ok()) return invalid("key", loaded.error().message + ": " + kid);
    std::string did = kid.substr(0, kid.find('#'));
    if (did != issuer_id) return invalid("key", "key " + kid + " is not the issuer " + issuer_id);
    return JwtKey{std::move(loaded).value(), kid, "did:key of the issuer"};
  }
  if (!kid.empty()) {
    std::string key_url_text = kid;
    const Json* key_document = fetch(key_url_text, "key");
    if (key_document == nullptr && kid.find('#') != std::string::npos) {
      key_url_text = kid.substr(0, kid.find('#'));
      key_document = fetch(key_url_text, "key");
      // A DID document or an OB 3.0 Profile: the kid names one of its verification methods,
      // which the document's subject controls.
      if (key_document != nullptr) {
        if (const Json* method = find_verification_method(*key_document, kid)) {
          const std::string& controller = method->get_string("controller");
          if (controller != key_document->get_string("id")) {
            return invalid("key", "key " + kid + " is controlled by " + controller +
                                      ", not by the document that lists it");
          }
          key_document = method;
        }
      }
    }
    if (key_document != nullptr) {
      Result<PublicKey> loaded = key_from_document(*key_document);
      if (!loaded.ok()) return invalid("key", "key " + kid + ": " + loaded.error().message);
      std::string owner = key_document->get_string("owner");
      if (owner.empty()) owner = key_document->get_string("controller");
      // Bound when the key names the issuer as owner, or names no owner but lives under the
      // issuer's own URL ("<issuer id>#key-1"), which only the issuer controls.
      bool bound = owner == issuer_id || (owner.empty() && kid.rfind(issuer_id + "#", 0) == 0);
      if (!bound) {
        return invalid("key", "key " + kid + " is owned by " +
                                  (owner.empty() ? "nobody" : owner) + ", not by the issuer " +
                                  issuer_id);
      }
      // When the issuer's profile is supplied and lists keys, it must list this one (a key
      // the issuer retired from its profile no longer speaks for it).
      if (const Json* profile = fetch(issuer_id, "Issuer")) {
        if (const Json* listed_keys = profile->find("publicKey")) {
          std::vector<std::string> listed = node_ids(listed_keys);
          if (!contains(listed, kid) && !contains(listed, key_url_text)) {
            return invalid("key", "the issuer " + issuer_id + " does not list the key " + kid);
          }
        }
      }
      return JwtKey{std::move(loaded).value(), kid, "key " + kid + " belongs to the issuer"};
    }
  }
  if (jws.header.find("jwk") != nullptr) {
    auto loaded = public_key_from_jwk(*jws.header.find("jwk"));
    if (!loaded.ok()) return invalid("key", "header jwk: " + loaded.error().message);
    // A did:key issuer is its key: the header's key speaks for it only when it is that key.
    std::string binding;
    if (issuer_id.rfind("did:key:", 0) == 0) {
      if (did_key_of(loaded.value()) != issuer_id) {
        return invalid("key", "the header jwk is not the key of the issuer " + issuer_id);
      }
      binding = "the header jwk is the issuer's did:key";
    }
    return JwtKey{std::move(loaded).value(), "the header jwk", std::move(binding)};
  }
  if (!kid.empty()) need(kid.substr(0, kid.find('#')));
  return invalid("key", kid.empty() ? "the VC-JWT names no key (kid or jwk)"
                                    : "the key " + kid + " was not supplied and cannot be resolved");
}

bool Verifier::jwt_signature(const Jws& jws, const std::string& issuer_id) {
  auto key = jwt_key(jws, issuer_id);
  if (!key.ok()) {
    check("key", false, key.error().message);
    return false;
  }
  if (key->binding.empty()) {
    warn("the VC-JWT carries its own key (jwk header); nothing binds that key to the issuer");
  } else {
    check("key", true, key->binding);
  }
  bool ok = jws_verify(jws, key->key);
  check("signature", ok,
        ok ? std::string(algorithm_name(key->key.algorithm)) + " signature by " + key->source
           : "the signature does not verify with " + key->source);
  return true;
}

}  // namespace laurel::verifier
