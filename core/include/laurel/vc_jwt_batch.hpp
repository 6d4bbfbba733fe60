// VC-JWTs for many assertions of one badge class, at close to the speed of signing alone.
//
// A credential's claims differ from its neighbours' in a dozen values (the assertion's id, the
// recipient's identity, salt and subject id, the dates, narrative, evidence, the status list and
// index); the rest (contexts, the issuer's Profile, the Achievement, the badge's name) is the
// same for every credential of the badge class. A batch therefore writes the claims once per
// shape (which optional members are present) through the one credential rule,
// open_badge_credential + vc_jwt_claims, with a sentinel in each varying value, cuts that text at
// the sentinels into a template, and then fills each credential's values into the template: no
// JSON tree, the header encoded once. The template's literals (most of the claims) are encoded
// once too, at each of the three offsets a literal can fall at in base64url's 3-byte groups, so a
// token encodes only its own values and the groups that straddle them.
//
// The template is never trusted on faith: a shape's first credential is made through the tree
// (so a batch of one is exactly Store::credential's path), its second through both, and the
// template is kept only when the two agree byte for byte; debug builds compare every credential.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "laurel/credential.hpp"
#include "laurel/keys.hpp"
#include "laurel/model.hpp"
#include "laurel/result.hpp"

namespace laurel {

class VcJwtBatch {
 public:
  /// Credentials of `badgeclass` by `issuer` with ids under `base_url` (as open_badge_credential
  /// makes them), the issuer named `profile_id` (its Profile URL or did:web), signed by `key`
  /// whose verification method is `key_url`. Copies what it needs except `key`, which must
  /// outlive the batch. Not thread-safe: one batch per thread.
  VcJwtBatch(const BadgeClass& badgeclass, const Issuer& issuer, std::string_view base_url,
             std::string profile_id, const KeyPair& key, std::string key_url);

  /// The VC-JWT of `assertion` whose status bit is `index` of the issuer's list `list_id`
  /// (empty: no bit, as for assertions issued before status lists): byte for byte
  /// sign_credential(open_badge_credential(assertion, badgeclass, issuer, base_url, options),
  /// key, key_url) with options naming profile_id and ob3_credential_status(issuer, base_url,
  /// list_id, index). Errors: as sign_credential; Internal when a debug build's cross-check
  /// finds the template and the tree disagree.
  Result<std::string> sign(const Assertion& assertion, std::string_view list_id,
                           std::uint64_t index);

  /// How many of the credentials sign() made came from a template (the rest through the tree).
  std::size_t templated() const { return templated_; }

 private:
  // The values a credential's claims take from its assertion and status bit, in no order.
  enum class Slot : std::uint8_t {
    EntityId, Identity, Salt, SubjectId, Narrative, IssuedOn, NotBefore, Expires, ExpiresAt,
    Evidence, ListId, ListIndex
  };
  struct Template {
    std::vector<std::string> literals;  // literals[k], slots[k], ..., literals.back()
    std::vector<Slot> slots;
    // encoded[k][p]: the base64url of literals[k] as it falls at an offset p (mod 3) in the
    // claims, less its first (3 - p) % 3 bytes (they complete the group before it) and its last
    // incomplete group (it shares that with what follows). Empty when the literal is shorter
    // than that first part.
    std::vector<std::array<std::string, 3>> encoded;
  };
  struct Shape {
    int uses = 0;
    bool templated = false;  // from the second use on: the template agreed with the tree
    bool refused = false;    // the template disagreed with the tree: this shape takes the tree
    Template claims;
  };

  Json credential(const Assertion& assertion, std::string_view list_id,
                  std::uint64_t index) const;
  Result<std::string> claims_by_tree(const Assertion& assertion, std::string_view list_id,
                                     std::uint64_t index) const;
  std::optional<Template> make_template(const Assertion& like, bool with_status) const;
  /// False when a value cannot go through the template (a date that does not parse). Records
  /// where each literal starts in `out` (literal_at_), for encode_claims.
  bool render(const Template& claims, const Assertion& assertion, std::string_view list_id,
              std::uint64_t index, std::string& out);
  /// Appends base64url(claims_) to `token`, claims_ as render() left it from `claims`.
  void encode_claims(const Template& claims, std::string& token) const;
  /// The token of `claims`, encoded through `shape` when given (rendered from its template).
  Result<std::string> signed_token(std::string_view claims, const Template* shape = nullptr);

  BadgeClass badgeclass_;
  Issuer issuer_;
  std::string base_url_;
  std::string profile_id_;
  Json profile_;
  Json achievement_;
  const KeyPair& key_;
  std::string header_part_;            // base64url of the JWS header, the same for all
  std::map<std::string, Shape> shapes_;  // by shape_key
  std::string claims_;                 // reused for each credential's claims text
  std::vector<std::size_t> literal_at_;  // where render() put each literal in claims_
  std::size_t templated_ = 0;
  std::size_t signature_part_ = 87;  // "." and the last signature (Ed25519, ES256: 86 chars)
};

}  // namespace laurel
