// The verifier's inside, shared by the files of core/src/verify/ (see README.md there): one
// Verifier per verify() call collects the checks of one report. Not a public header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "laurel/datetime.hpp"
#include "laurel/jws.hpp"
#include "laurel/keys.hpp"
#include "laurel/validate.hpp"
#include "laurel/verify.hpp"

namespace laurel::verifier {

// --- JSON-LD shapes the rules read (shared by OB 2.0 and OB 3.0) ------------------------------
bool contains(const std::vector<std::string>& list, std::string_view value);
// "scheme://authority/..." -> authority ("host[:port]"); empty when there is none.
std::string_view authority_of(std::string_view url);
// A string or an array of strings, as JSON-LD allows for single-valued terms.
std::vector<std::string> string_list(const Json* value);
// The id of a term that is either an IRI string or an embedded node with an "id".
std::string node_id(const Json* value);
// The ids of a term holding one node (or IRI) or an array of them.
std::vector<std::string> node_ids(const Json* value);
bool is_datetime(const Json* value);
// True when `value` is the string `wanted` or an array holding it.
bool has_string(const Json* value, std::string_view wanted);
// "a; b; c".
std::string join(const std::vector<std::string>& problems);

// --- keys (shared by OB 2.0 signed assertions and OB 3.0 credentials) ---------------------------
// The public key a key document holds: a bare JWK ("kty"), a "publicKeyJwk", a
// "publicKeyMultibase" (Multikey) or a "publicKeyPem".
Result<PublicKey> key_from_document(const Json& key_document);


class Verifier {
 public:
  Verifier(const DocumentMap* raw, const DocumentSet* prepared, const VerifyOptions& options)
      : raw_(raw),
        prepared_(prepared),
        options_(options),
        now_(options.now ? *options.now : now_seconds()) {}

  // Unbakes, parses and dispatches `input` to the OB 2.0 or OB 3.0 rules (run.cpp).
  Report run(std::string_view input);

 private:
  // --- report (run.cpp) ---------------------------------------------------------------------
  bool check(std::string_view name, bool ok, std::string message) {
    if (!ok) report_.errors.push_back(std::string(name) + ": " + message);
    report_.checks.push_back(Check{std::string(name), ok, std::move(message)});
    return ok;
  }
  void warn(std::string message) { report_.warnings.push_back(std::move(message)); }
  // Records a document the caller did not supply and the verification needs (Report::missing);
  // only HTTP(S) URLs: nothing else can be fetched.
  void need(std::string url) {
    if (is_http_url(url) && !contains(report_.missing, url)) {
      report_.missing.push_back(std::move(url));
    }
  }

  // --- documents (documents.cpp) ------------------------------------------------------------
  // The parsed document at `url` (nullptr when not supplied or unusable, which is reported).
  const Json* fetch(const std::string& url, std::string_view what);
  bool supplied(std::string_view url) const;
  const std::string* raw_text(std::string_view url) const;
  // The JWS a document came in when it was supplied as a compact JWS (a VC-JWT status list):
  // fetch() then gives its payload. nullptr for a plain JSON document.
  const Jws* secured_by(std::string_view url) const;

  // --- Open Badges 2.0 (ob2.cpp) ------------------------------------------------------------
  bool ob2_context(const Json& node, std::string_view name, bool required);
  std::optional<std::vector<std::string>> ob2_types(const Json& node, std::string_view name);
  void ob2_document(const Json& node);
  void ob2_jws(const Json& payload, const Jws& jws);
  bool assertion_fields(const Json& assertion);
  bool badgeclass_fields(const Json& badgeclass, std::string_view name);
  bool profile_fields(const Json& profile, std::string_view name);
  bool class_fields(const Json& node, const std::vector<std::string>& types, std::string_view name);
  void extensions(const Json& node);
  void assertion(const Json& assertion, const Jws* jws);
  void assertion_dates(const Json& assertion);
  void endorsements(const Json* endorsement);
  const Json* badgeclass_of(const Json& assertion);
  const Json* issuer_of(const Json& badgeclass, std::string_view name);
  void hosted_rules(const Json& assertion, const Json& issuer);
  void signed_rules(const Json& assertion, const Jws& jws, const Json* issuer);
  void revocation(const Json& assertion, const Json* issuer);
  void recipient_ob2(const Json& assertion);
  void assertion_summary(const Json& assertion, const Json* badgeclass, const Json* issuer,
                         bool is_signed);

  // --- Open Badges 3.0 (ob3.cpp) ------------------------------------------------------------
  // What the OB 3.0 rules learn about a credential, passed from one concern to the next.
  struct Credential {
    explicit Credential(const Json& credential) : vc(credential) {}
    const Json& vc;
    bool v2 = false;                  // VCDM 2.0 (validFrom) or 1.1 (issuanceDate)
    std::string issuer_id;
    const Json* issuer = nullptr;     // the issuer term (IRI or Profile)
    const Json* subject = nullptr;    // the (first) credentialSubject
    const Json* achievement = nullptr;
    const char* from_name = "validFrom";
    const char* until_name = "validUntil";
  };
  void credential(const Json& vc, const Jws* jws, const Json* claims);
  bool credential_context(Credential& credential);
  bool credential_fields(Credential& credential);
  void credential_dates(const Credential& credential, const Json* claims);
  void jwt_claims(const Credential& credential, const Json& claims);
  void recipient_ob3(const Credential& credential);
  void embedded_proof(const Credential& credential);
  // credentialStatus (status.cpp): each entry's list followed through the documents, a "status"
  // check per entry; a list not supplied is a warning and a `missing` URL.
  void credential_status(const Credential& credential);
  void bitstring_status(const Credential& credential, const Json& entry);
  void revocation_list_status(const Credential& credential, const Json& entry);
  // The Data Integrity proof of a status list credential, checked by the proof rules into a
  // report of its own (the credential's report keeps one "status" check; missing documents
  // carry over). The failures joined, or empty when the proof verified for `issuer_id`.
  std::string status_list_proof_failures(const Json& list, const std::string& issuer_id);
  void credential_summary(const Credential& credential, bool signed_as_jwt);

  // --- keys (keys.cpp) ----------------------------------------------------------------------
  // The key a VC-JWT header names (kid: a did:key or a key document; else the header's jwk),
  // checked to belong to the issuer, and the signature under it. False when no key could be
  // trusted (reported); true once the signature check ran, whatever its outcome.
  bool jwt_signature(const Jws& jws, const std::string& issuer_id);
  // The key behind jwt_signature: its source (the kid, or "the header jwk") and, for a key
  // bound to the issuer, the sentence saying how. Errors: Invalid with the reason the key
  // cannot be trusted or found (a missing document is recorded with need()).
  struct JwtKey {
    PublicKey key;
    std::string source;
    std::string binding;  // empty for the header jwk, which nothing binds to the issuer
  };
  Result<JwtKey> jwt_key(const Jws& jws, const std::string& issuer_id);
  // The key of a Data Integrity proof's verificationMethod, resolved (did:key without I/O,
  // did:web and HTTP(S) through the documents) and checked to belong to the issuer; the "key"
  // check says how. nullopt when it failed (reported).
  std::optional<PublicKey> proof_key(const std::string& method, const std::string& issuer_id);
  std::optional<PublicKey> did_key_method(const std::string& method, const std::string& issuer_id);
  std::optional<PublicKey> did_web_method(const std::string& method, const std::string& issuer_id);
  // The key of a did:web method from its DID document (did_web_document_url, through the
  // documents), listed under assertionMethod and bound to the issuer (the DID is the issuer, or
  // the method's controller is). Errors: Invalid (field "key") with the reason; a DID document
  // not supplied is recorded with need(). Shared by proofs and VC-JWT kids.
  Result<PublicKey> did_web_key(const std::string& method, const std::string& issuer_id);
  std::optional<PublicKey> url_method(const std::string& method, const std::string& issuer_id);

  // --- Data Integrity proofs (proofs.cpp) -----------------------------------------------------
  // One proof: purpose, dates, key, canonicalization and signature. True when it verified.
  bool data_integrity_proof(const Credential& credential, const Json& proof);
  // Contexts the built-in ones lack, from the caller's documents (reported missing if absent).
  Result<Json> load_context(std::string_view url);

  const DocumentMap* raw_;       // documents as text, parsed on first use, or...
  const DocumentSet* prepared_;  // ...documents parsed once by the caller
  const VerifyOptions& options_;
  std::int64_t now_;
  Report report_;
  std::size_t followed_ = 0;
  // Documents parsed during this run live in owned_ (std::map nodes do not move, so pointers
  // stay valid); parsed_ remembers every URL already followed (nullptr: unusable).
  // A handful of URLs per badge: a vector searched linearly beats a tree. Keys view the callers'
  // map keys, which outlive the run.
  std::map<std::string, Json, std::less<>> owned_;
  std::map<std::string, Jws, std::less<>> secured_;  // documents supplied as a compact JWS
  std::vector<std::pair<std::string_view, const Json*>> parsed_;
};

}  // namespace laurel::verifier
