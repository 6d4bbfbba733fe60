// OB 3.0 credential status (OB 3.0 §Credential Status, W3C Bitstring Status List v1.0, 1EdTech
// Revocation List): each credentialStatus entry is followed through the caller's documents and
// reported as a "status" check. A revoked (or suspended) credential is invalid; a list the
// caller did not supply is a warning that says the status went unchecked, and its URL is listed
// in the report's `missing` so a face that can fetch (the widget) fetches it and verifies again.
#include <utility>

#include "laurel/status_list.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

void Verifier::credential_status(const Credential& credential) {
  const Json* status = credential.vc.find("credentialStatus");
  if (status == nullptr) return;
  // VCDM 2.0 §4.10: one entry or several.
  std::vector<const Json*> entries;
  if (status->is_array()) {
    for (const Json& entry : status->as_array()) entries.push_back(&entry);
  } else {
    entries.push_back(status);
  }
  for (const Json* entry : entries) {
    const std::string& type = entry->is_object() ? entry->get_string("type") : std::string();
    // StatusList2021Entry is the Bitstring Status List's earlier name, with the same members.
    if (type == kStatusEntryType || type == "StatusList2021Entry") {
      bitstring_status(credential, *entry);
    } else if (type == "1EdTechRevocationList") {
      revocation_list_status(credential, *entry);
    } else {
      warn("credentialStatus of type " + (type.empty() ? std::string("(none)") : type) +
           " is not checked");
    }
  }
}

void Verifier::bitstring_status(const Credential& credential, const Json& entry) {
  auto read = read_status_entry(entry);
  if (!read.ok()) {
    check("status", false, read.error().message);
    return;
  }
  const StatusEntry& wanted = read.value();
  if (!supplied(wanted.list_url)) {
    need(wanted.list_url);
    warn("the status list " + wanted.list_url + " could not be fetched: the credential's " +
         wanted.purpose + " status was not checked");
    return;
  }
  const Json* list = fetch(wanted.list_url, "status list");
  if (list == nullptr) return;  // fetch reported why
  // The list speaks for the credential only when its issuer issued the credential.
  const std::string list_issuer = node_id(list->find("issuer"));
  if (list_issuer != credential.issuer_id) {
    check("status", false,
          "the status list " + wanted.list_url + " is issued by " +
              (list_issuer.empty() ? std::string("nobody") : list_issuer) +
              ", not by the credential's issuer " + credential.issuer_id);
    return;
  }
  if (const Jws* jws = secured_by(wanted.list_url)) {
    auto key = jwt_key(*jws, credential.issuer_id);
    if (!key.ok()) {
      check("status", false, "the status list " + wanted.list_url +
                                 " is not signed by a key of the issuer: " +
                                 key.error().message);
      return;
    }
    if (key->binding.empty()) {
      warn("the status list " + wanted.list_url +
           " carries its own key (jwk header); nothing binds that key to the issuer");
    }
    if (!jws_verify(*jws, key->key)) {
      check("status", false, "the signature of the status list " + wanted.list_url +
                                 " does not verify with " + key->source);
      return;
    }
  } else if (list->find("proof") != nullptr) {
    std::string failures = status_list_proof_failures(*list, credential.issuer_id);
    if (!failures.empty()) {
      check("status", false, "the proof of the status list " + wanted.list_url +
                                 " does not hold: " + failures);
      return;
    }
  } else {
    warn("the status list " + wanted.list_url +
         " is neither a VC-JWT nor secured by a proof: nothing shows the issuer published it");
  }
  auto bits = status_list_bits(*list, wanted.purpose);
  if (!bits.ok()) {
    check("status", false, "status list " + wanted.list_url + ": " + bits.error().message);
    return;
  }
  if (wanted.index >= bits->size() * 8) {
    check("status", false,
          "statusListIndex " + std::to_string(wanted.index) + " is beyond the end of the list " +
              wanted.list_url + " (" + std::to_string(bits->size() * 8) + " entries)");
    return;
  }
  const bool set = status_bit(bits.value(), wanted.index);
  const std::string where =
      "entry " + std::to_string(wanted.index) + " of the status list " + wanted.list_url;
  if (wanted.purpose == kStatusPurposeRevocation) {
    check("status", !set, set ? "the credential is revoked (" + where + ")"
                              : "not revoked (" + where + ")");
  } else if (wanted.purpose == "suspension") {
    check("status", !set, set ? "the credential is suspended (" + where + ")"
                              : "not suspended (" + where + ")");
  } else {
    warn("status purpose " + wanted.purpose + " is " + (set ? "set" : "not set") + " (" + where +
         "); Laurel judges revocation and suspension only");
  }
}

std::string Verifier::status_list_proof_failures(const Json& list, const std::string& issuer_id) {
  Report outer = std::exchange(report_, Report{});
  Credential secured(list);
  secured.issuer_id = issuer_id;
  embedded_proof(secured);
  Report inner = std::exchange(report_, std::move(outer));
  for (std::string& url : inner.missing) need(std::move(url));
  return join(inner.errors);
}

// 1EdTech Revocation List: the document at the entry's id lists revoked credentials by id.
void Verifier::revocation_list_status(const Credential& credential, const Json& entry) {
  const std::string& list_url = entry.get_string("id");
  if (!supplied(list_url)) {
    need(list_url);
    warn("the revocation list " + (list_url.empty() ? std::string("(no id)") : list_url) +
         " could not be fetched: the credential's revocation status was not checked");
    return;
  }
  const Json* list = fetch(list_url, "revocation list");
  if (list == nullptr) return;
  // 1EdTech Revocation List §RevocationList: the list names its issuer, who must be the
  // credential's.
  const std::string list_issuer = node_id(list->find("issuer"));
  if (!list_issuer.empty() && list_issuer != credential.issuer_id) {
    check("status", false, "the revocation list " + list_url + " is issued by " + list_issuer +
                               ", not by the credential's issuer " + credential.issuer_id);
    return;
  }
  const Json* revoked = list->find("revokedCredentials");
  if (revoked == nullptr || !revoked->is_array()) {
    check("status", false, "the revocation list " + list_url + " has no revokedCredentials");
    return;
  }
  const std::string& credential_id = credential.vc.get_string("id");
  const bool listed = !credential_id.empty() && contains(node_ids(revoked), credential_id);
  check("status", !listed,
        listed ? "the credential is revoked (listed in " + list_url + ")"
               : "not revoked (not listed in " + list_url + ")");
}

}  // namespace laurel::verifier
