#include "laurel/status_list.hpp"

#include <charconv>
#include <memory>

#include "detail/gzip.hpp"
#include "detail/hash.hpp"
#include "detail/memo.hpp"
#include "laurel/credential.hpp"
#include "laurel/ids.hpp"

namespace laurel {
namespace {

bool has_type(const Json& node, std::string_view type) {
  const Json* types = node.find("type");
  if (types == nullptr) return false;
  if (types->is_string()) return types->as_string() == type;
  if (!types->is_array()) return false;
  for (const Json& item : types->as_array()) {
    if (item.is_string() && item.as_string() == type) return true;
  }
  return false;
}

}  // namespace

bool status_bit(std::string_view bits, std::uint64_t index) {
  // Bitstring Status List §3.2: index 0 is the left-most bit of the bitstring.
  if (index / 8 >= bits.size()) return false;
  return (std::uint8_t(bits[index / 8]) >> (7 - index % 8)) & 1u;
}

void set_status_bit(std::string& bits, std::uint64_t index) {
  bits[index / 8] = char(std::uint8_t(bits[index / 8]) | (0x80u >> (index % 8)));
}

Result<std::string> encode_status_list(std::string_view bits) {
  auto compressed = detail::gzip(bits);
  if (!compressed.ok()) return compressed.error();
  // Multibase: "u" announces base64url without padding.
  return "u" + base64url_encode(compressed.value());
}

Result<std::string> decode_status_list(std::string_view encoded) {
  if (encoded.empty() || encoded.front() != 'u') {
    return invalid("encodedList", "must be multibase base64url (starting with \"u\")");
  }
  // A verifier meets one list (up to 131,072 credentials' bits) again and again: inflating it
  // cost more than the rest of a VC-JWT verification. The bits are a pure function of the text,
  // so they are kept by its digest (a changed list is another digest); 64 MB at most.
  using Bits = std::shared_ptr<const std::string>;
  static auto& decoded = *new detail::Memo<Bits>(256, std::size_t{64} << 20);  // never freed
  const std::string digest = detail::sha256(encoded);
  if (std::optional<Bits> known = decoded.find(digest)) return std::string(**known);
  auto compressed = base64url_decode(encoded.substr(1));
  if (!compressed) return invalid("encodedList", "is not base64url");
  auto bits = detail::gunzip(*compressed, kStatusListMaxBytes, "encodedList");
  if (!bits.ok()) return bits;
  decoded.put(digest, std::make_shared<const std::string>(bits.value()), bits->size());
  return bits;
}

Json status_list_entry(std::string_view list_url, std::uint64_t index) {
  const std::string position = std::to_string(index);
  return Json::object({{"id", std::string(list_url) + "#" + position},
                       {"type", std::string(kStatusEntryType)},
                       {"statusPurpose", std::string(kStatusPurposeRevocation)},
                       {"statusListIndex", position},
                       {"statusListCredential", std::string(list_url)}});
}

Result<Json> status_list_credential(std::string_view issuer_id, std::string_view list_url,
                                    std::string_view bits, std::string_view valid_from) {
  auto encoded = encode_status_list(bits);
  if (!encoded.ok()) return encoded.error();
  Json subject = Json::object({{"id", std::string(list_url) + "#list"},
                               {"type", "BitstringStatusList"},
                               {"statusPurpose", std::string(kStatusPurposeRevocation)},
                               {"encodedList", std::move(encoded).value()}});
  return Json::object(
      {{"@context", Json::Array{Json(kVcContextV2)}},
       {"id", std::string(list_url)},
       {"type", Json::Array{Json("VerifiableCredential"), Json(kStatusListCredentialType)}},
       {"issuer", std::string(issuer_id)},
       {"validFrom", std::string(valid_from)},
       {"credentialSubject", std::move(subject)}});
}

Result<StatusEntry> read_status_entry(const Json& entry) {
  if (!entry.is_object()) return invalid("credentialStatus", "must be an object");
  StatusEntry out;
  out.list_url = entry.get_string("statusListCredential");
  if (out.list_url.empty()) {
    return invalid("credentialStatus", "statusListCredential must be a URL");
  }
  out.purpose = entry.get_string("statusPurpose");
  if (out.purpose.empty()) return invalid("credentialStatus", "statusPurpose is missing");
  const Json* index = entry.find("statusListIndex");
  if (index != nullptr && index->is_int() && index->as_int() >= 0) {
    out.index = std::uint64_t(index->as_int());
    return out;
  }
  const std::string text = index != nullptr && index->is_string() ? index->as_string() : "";
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out.index);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return invalid("credentialStatus", "statusListIndex must be a non-negative integer");
  }
  return out;
}

Result<std::string> status_list_bits(const Json& list_credential, std::string_view purpose) {
  if (!has_type(list_credential, kStatusListCredentialType)) {
    return invalid("statusListCredential", "is not a BitstringStatusListCredential");
  }
  const Json* subject = list_credential.find("credentialSubject");
  if (subject == nullptr || !subject->is_object() || !has_type(*subject, "BitstringStatusList")) {
    return invalid("statusListCredential", "its credentialSubject is not a BitstringStatusList");
  }
  // The purpose may be one string or several (Bitstring Status List §2.2).
  const Json* purposes = subject->find("statusPurpose");
  bool purpose_matches = purposes != nullptr && purposes->is_string() &&
                         purposes->as_string() == purpose;
  if (purposes != nullptr && purposes->is_array()) {
    for (const Json& item : purposes->as_array()) {
      purpose_matches = purpose_matches || (item.is_string() && item.as_string() == purpose);
    }
  }
  if (!purpose_matches) {
    return invalid("statusListCredential",
                   "its statusPurpose is not " + std::string(purpose) + " as the entry says");
  }
  auto bits = decode_status_list(subject->get_string("encodedList"));
  if (!bits.ok()) return invalid("statusListCredential", "encodedList " + bits.error().message);
  return bits;
}

}  // namespace laurel
