// Key resolution shared by Open Badges 2.0 (a signed assertion's CryptographicKey) and 3.0 (the
// key a VC-JWT header names), and the rule that a key speaks for an issuer only when bound to it.
#include "laurel/did.hpp"
#include "laurel/multikey.hpp"
#include "laurel/validate.hpp"
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

namespace {
const Json* find_method(const Json& document, std::string_view wanted, std::string_view base);
}  // namespace

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
  if (kid.rfind("did:web:", 0) == 0) {
    auto loaded = did_web_key(kid, issuer_id);
    if (!loaded.ok()) return loaded.error();
    return JwtKey{std::move(loaded).value(), kid, "key " + kid + " of the issuer's DID document"};
  }
  if (!kid.empty()) {
    std::string key_url_text = kid;
    const Json* key_document = fetch(key_url_text, "key");
    if (key_document == nullptr && kid.find('#') != std::string::npos) {
      key_url_text = kid.substr(0, kid.find('#'));
      key_document = fetch(key_url_text, "key");
    }
    // A DID document or an OB 3.0 Profile (under the kid's URL or the kid itself): the kid names
    // one of its verification methods, which the document's subject controls.
    if (key_document != nullptr) {
      if (const Json* method = find_method(*key_document, kid, kid.substr(0, kid.find('#')));
          method != nullptr && method != key_document) {
        const std::string& controller = method->get_string("controller");
        if (controller != key_document->get_string("id")) {
          return invalid("key", "key " + kid + " is controlled by " + controller +
                                    ", not by the document that lists it");
        }
        key_document = method;
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

namespace laurel::verifier {

namespace {

// "did:..." or an HTTP(S) URL: an identifier whose document could name the issuer's keys.
bool is_dereferenceable(std::string_view id) {
  return id.rfind("did:", 0) == 0 || is_http_url(id);
}

bool same_method(const std::string& listed, std::string_view wanted, std::string_view base) {
  // A DID document may name its methods relative to itself ("#key-1").
  return listed == wanted || (!listed.empty() && listed.front() == '#' &&
                              wanted.size() == base.size() + listed.size() &&
                              wanted.substr(0, base.size()) == base &&
                              wanted.substr(base.size()) == listed);
}

// The verification method `wanted` as `document` describes it (an object in verificationMethod,
// assertionMethod or publicKey), or nullptr.
const Json* find_method(const Json& document, std::string_view wanted, std::string_view base) {
  if (document.get_string("id") == wanted) return &document;
  for (const char* relation : {"verificationMethod", "assertionMethod", "publicKey"}) {
    const Json* methods = document.find(relation);
    if (methods == nullptr) continue;
    if (methods->is_object() && same_method(methods->get_string("id"), wanted, base)) {
      return methods;
    }
    if (!methods->is_array()) continue;
    for (const Json& method : methods->as_array()) {
      if (method.is_object() && same_method(method.get_string("id"), wanted, base)) {
        return &method;
      }
    }
  }
  return nullptr;
}

// True when `document` lists `wanted` under assertionMethod (by reference or embedded).
bool lists_for_assertions(const Json& document, std::string_view wanted, std::string_view base) {
  for (const std::string& id : node_ids(document.find("assertionMethod"))) {
    if (same_method(id, wanted, base)) return true;
  }
  return false;
}

Result<PublicKey> key_from_method(const Json& method) {
  if (const Json* multibase = method.find("publicKeyMultibase")) {
    return public_key_from_multibase(multibase->is_string() ? multibase->as_string() : "");
  }
  if (const Json* jwk = method.find("publicKeyJwk")) return public_key_from_jwk(*jwk);
  return invalid("verificationMethod", "has neither publicKeyMultibase nor publicKeyJwk");
}

}  // namespace

std::optional<PublicKey> Verifier::did_key_method(const std::string& method,
                                                  const std::string& issuer_id) {
  auto key = public_key_from_did_key(method);
  if (!key.ok()) {
    check("key", false, key.error().message + ": " + method);
    return std::nullopt;
  }
  std::string did = method.substr(0, method.find('#'));
  // A urn: issuer has no document that could name its keys: nothing can bind any key to it.
  bool unbindable = did != issuer_id && !is_dereferenceable(issuer_id);
  if (unbindable) {
    warn("the issuer " + issuer_id + " is neither a URL nor a DID: nothing binds the key " + did +
         " to it");
  }
  if (!check("key", did == issuer_id || unbindable,
             did == issuer_id ? "did:key of the issuer"
             : unbindable     ? "did:key " + did + " (the issuer names no keys)"
                              : "key " + method + " is not the issuer " + issuer_id)) {
    return std::nullopt;
  }
  return std::move(key).value();
}

namespace {
std::string did_or_none(const std::string& id) { return id.empty() ? "no DID" : id; }
}  // namespace

Result<PublicKey> Verifier::did_web_key(const std::string& method, const std::string& issuer_id) {
  std::string did = method.substr(0, method.find('#'));
  auto url = did_web_document_url(did);
  if (!url.ok()) return invalid("key", url.error().message + ": " + method);
  const Json* document = fetch(url.value(), "DID document");
  if (document == nullptr) {
    if (supplied(url.value())) {
      return invalid("key", "the DID document " + url.value() + " of " + did + " is unusable");
    }
    need(url.value());
    return invalid("key", "the DID document " + url.value() + " of " + did + " was not supplied");
  }
  // DID Core §7.1.2: the document resolved for a DID has that DID as its id; another DID's
  // document served at this URL speaks for nothing here.
  if (document->get_string("id") != did) {
    return invalid("key", "the DID document " + url.value() + " is for " +
                              did_or_none(document->get_string("id")) + ", not " + did);
  }
  const Json* found = find_method(*document, method, did);
  if (found == nullptr || !lists_for_assertions(*document, method, did)) {
    return invalid("key", "the DID document of " + did + " does not list " + method +
                              " under assertionMethod");
  }
  auto key = key_from_method(*found);
  if (!key.ok()) return invalid("key", "key " + method + ": " + key.error().message);
  if (did != issuer_id && found->get_string("controller") != issuer_id) {
    return invalid("key", "key " + method + " does not belong to the issuer " + issuer_id);
  }
  return key;
}

std::optional<PublicKey> Verifier::did_web_method(const std::string& method,
                                                  const std::string& issuer_id) {
  auto key = did_web_key(method, issuer_id);
  if (!check("key", key.ok(),
             key.ok() ? "key " + method + " of the issuer's DID document"
                      : key.error().message)) {
    return std::nullopt;
  }
  return std::move(key).value();
}

std::optional<PublicKey> Verifier::url_method(const std::string& method,
                                              const std::string& issuer_id) {
  std::string base = method.substr(0, method.find('#'));
  const Json* document = fetch(base, base == issuer_id ? "Issuer" : "verification method");
  if (document == nullptr) {
    if (supplied(base)) return std::nullopt;  // unusable: fetch reported why
    need(base);
    // The 1EdTech convention "<issuer id>#<Multikey>": the key is in the id itself. Only the
    // issuer's document could confirm it, and that was not supplied: usable, with a warning.
    std::string fragment = method.find('#') == std::string::npos
                               ? std::string()
                               : method.substr(method.find('#') + 1);
    auto key = public_key_from_multibase(fragment);
    if (base == issuer_id && key.ok()) {
      warn("the issuer document " + base + " was not supplied: the key of " + method +
           " is read from its id, not confirmed by the issuer");
      check("key", true, "key " + method + " under the issuer's id (read from the id)");
      return std::move(key).value();
    }
    check("key", false, "the key document " + base + " was not supplied");
    return std::nullopt;
  }
  const Json* found = find_method(*document, method, base);
  if (found == nullptr) {
    check("key", false, "the document at " + base + " does not describe the key " + method);
    return std::nullopt;
  }
  auto key = key_from_method(*found);
  if (!key.ok()) {
    check("key", false, "key " + method + ": " + key.error().message);
    return std::nullopt;
  }
  std::string controller = found->get_string("controller");
  if (controller.empty()) controller = found->get_string("owner");
  bool bound = controller == issuer_id;
  if (!bound) {
    const Json* issuer = fetch(issuer_id, "Issuer");
    bound = issuer != nullptr && lists_for_assertions(*issuer, method, issuer_id);
  }
  if (!check("key", bound,
             bound ? "key " + method + " belongs to the issuer"
                   : "key " + method + " is controlled by " +
                         (controller.empty() ? "nobody" : controller) + ", not by the issuer " +
                         issuer_id)) {
    return std::nullopt;
  }
  return std::move(key).value();
}

std::optional<PublicKey> Verifier::proof_key(const std::string& method,
                                             const std::string& issuer_id) {
  if (method.rfind("did:key:", 0) == 0) return did_key_method(method, issuer_id);
  if (method.rfind("did:web:", 0) == 0) return did_web_method(method, issuer_id);
  if (is_http_url(method)) return url_method(method, issuer_id);
  check("key", false,
        method.empty() ? "the proof names no verificationMethod"
                       : "the verification method " + method +
                             " cannot be resolved (did:key, did:web and HTTP(S) URLs can)");
  return std::nullopt;
}

}  // namespace laurel::verifier
