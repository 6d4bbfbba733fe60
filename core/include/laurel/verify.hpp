// The verifier: one implementation for native, Python, WebAssembly and REST.
//
// Input is what a relying party holds: an Open Badges 2.0 document (a hosted assertion, or a
// badge class / issuer / other node), a compact JWS (an OB 2.0 signed assertion or an OB 3.0
// VC-JWT), or a baked PNG/SVG (unbaked first). Everything the badge refers to (badge class,
// issuer, key, revocation list, endorsements, the hosted copy of the assertion) comes from
// `documents`, a map from URL to document text that the caller fetched: the verifier does no I/O,
// keeps no state and may run on any number of threads at once.
//
// An invalid badge is an outcome, not an error: verify() always returns a Report. Hostile input is
// bounded: inputs over kImageMaxBytes (32 MiB), JSON over 16 MiB or nested deeper than 64, tokens
// over 4 MiB, more than kMaxDocumentsFollowed referenced documents, invalid UTF-8 and truncated or
// malformed images all give valid=false with a check naming the problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/jws.hpp"
#include "laurel/result.hpp"

namespace laurel {

/// URL -> document text, as fetched by the caller.
using DocumentMap = std::map<std::string, std::string, std::less<>>;

inline constexpr std::size_t kMaxDocumentsFollowed = 64;
/// Issue dates up to this far ahead of `now` pass: the issuer's and verifier's clocks differ.
inline constexpr std::int64_t kClockSkewSeconds = 300;

struct VerifyOptions {
  /// A recipient identity (e.g. an email) to match against the badge's recipient; empty: none.
  /// When given and not matching, the "recipient" check fails and the report is invalid.
  std::string recipient;
  /// Its type (email | url | telephone | id); empty: the type the badge declares.
  std::string recipient_type;
  /// The time to judge issue and expiry dates against, in seconds since the epoch; nullopt: now.
  std::optional<std::int64_t> now;
};

/// One named check. Names are stable (faces and tests rely on them): input, json, jws, context,
/// type, fields, badgeclass, issuer, issued, expiry, recipient, revocation, signature, key,
/// hosted, endorsements, extensions, credential (VC-JWT claims against the credential), proof
/// (an embedded Data Integrity proof: purpose, dates, signature) and canonicalization (its
/// JSON-LD / RDFC-1.0 or JCS form). With embedded proofs "key" says whose key signed and why it
/// belongs to the issuer; each proof of a proof set adds its own key, canonicalization and proof.
/// status: an OB 3.0 credentialStatus entry (its Bitstring Status List or 1EdTech Revocation
/// List).
struct Check {
  std::string name;
  bool ok = false;
  std::string message;
  bool operator==(const Check&) const = default;
};

struct Report {
  bool valid = false;                   // every check passed
  std::vector<Check> checks;            // in the order they ran
  std::vector<std::string> errors;      // "<check>: <message>" of each failed check
  std::vector<std::string> warnings;    // problems that do not make the badge invalid
  Json badge;                           // summary of what was verified; null if nothing parsed
  std::optional<bool> recipient_match;  // nullopt when no recipient was given
  /// URLs of documents the verification needed and the caller did not supply (badge class,
  /// issuer, key, revocation or status list, DID document, JSON-LD context...), in the order
  /// asked: fetch them, add them to the documents and verify again.
  std::vector<std::string> missing;

  /// {"valid", "checks": [{"name", "ok", "message"}], "errors", "warnings", "badge",
  ///  "recipientMatch", "missing"} — the dict every face returns.
  Json to_json() const;
};

/// Verifies `input` (JSON text, compact JWS, or PNG/SVG bytes). Never throws, never does I/O.
/// With no documents write `DocumentMap{}` (a bare `{}` also matches the DocumentSet overload).
Report verify(std::string_view input, const DocumentMap& documents = {},
              const VerifyOptions& options = {});

/// Documents parsed once, for verifying many badges against the same issuers and badge classes
/// (a batch, or a server with a document cache): the same report as with the DocumentMap, without
/// re-parsing shared documents. Immutable once built; may be shared between threads for reading.
class DocumentSet {
 public:
  DocumentSet() = default;
  explicit DocumentSet(const DocumentMap& documents);
  /// Adds (or replaces) the document at `url`. Text that does not parse is kept as its error and
  /// reported by the verifications that follow that URL. A compact JWS (a status list served as
  /// a VC-JWT) stands for its payload; its signature is checked by whoever follows it.
  void add(std::string url, std::string_view text);
  /// The JWS the document at `url` came in, or nullptr when it was plain JSON or is absent.
  const Jws* secured(std::string_view url) const;
  /// nullptr when no document was added at `url`.
  const Result<Json>* find(std::string_view url) const;
  std::size_t size() const { return parsed_.size(); }
  /// The stored URL (a view that lives as long as this set) and document, or {"", nullptr}.
  std::pair<std::string_view, const Result<Json>*> entry(std::string_view url) const;

 private:
  std::map<std::string, Result<Json>, std::less<>> parsed_;
  std::map<std::string, Jws, std::less<>> secured_;
};

Report verify(std::string_view input, const DocumentSet& documents,
              const VerifyOptions& options = {});

}  // namespace laurel
