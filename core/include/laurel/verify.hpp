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
#include <vector>

#include "laurel/json.hpp"

namespace laurel {

/// URL -> document text, as fetched by the caller.
using DocumentMap = std::map<std::string, std::string, std::less<>>;

inline constexpr std::size_t kMaxDocumentsFollowed = 64;

struct VerifyOptions {
  /// A recipient identity (e.g. an email) to match against the badge's recipient; empty: none.
  std::string recipient;
  /// Its type (email | url | telephone | id); empty: the type the badge declares.
  std::string recipient_type;
  /// The time to judge issue and expiry dates against, in seconds since the epoch; nullopt: now.
  std::optional<std::int64_t> now;
};

/// One named check. Names are stable (faces and tests rely on them): input, json, jws, context,
/// type, fields, badgeclass, issuer, dates, issued, expiry, recipient, revocation, signature,
/// key, hosted, endorsements, extensions, credential.
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

  /// {"valid", "checks": [{"name", "ok", "message"}], "errors", "warnings", "badge",
  ///  "recipientMatch"} — the dict every face returns.
  Json to_json() const;
};

/// Verifies `input` (JSON text, compact JWS, or PNG/SVG bytes). Never throws, never does I/O.
Report verify(std::string_view input, const DocumentMap& documents = {},
              const VerifyOptions& options = {});

}  // namespace laurel
