// W3C Bitstring Status List v1.0: the bitstring behind an OB 3.0 credential's
// `credentialStatus` (a BitstringStatusListEntry naming a list credential and an index), its
// encoding (multibase base64url of a GZIP member, index 0 the most significant bit of byte 0),
// and the BitstringStatusListCredential that publishes it. Portable: the verifier decodes lists
// with the same code the store encodes them with, natively and in WebAssembly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/result.hpp"

namespace laurel {

/// Entries per list Laurel makes: the spec's minimum for herd privacy (16 KiB uncompressed).
inline constexpr std::size_t kStatusListBits = 131072;
inline constexpr std::size_t kStatusListBytes = kStatusListBits / 8;
/// Lists a verifier accepts decompress to at most this (a hostile 16 KiB member could inflate
/// to 16 MiB; that is 134 million entries, beyond any real list).
inline constexpr std::size_t kStatusListMaxBytes = 16u << 20;

inline constexpr std::string_view kStatusEntryType = "BitstringStatusListEntry";
inline constexpr std::string_view kStatusListCredentialType = "BitstringStatusListCredential";
inline constexpr std::string_view kStatusPurposeRevocation = "revocation";

/// Bit `index` (0 = the leftmost bit of the first byte); false beyond the end.
bool status_bit(std::string_view bits, std::uint64_t index);
/// Sets bit `index`; `bits` must be long enough.
void set_status_bit(std::string& bits, std::uint64_t index);

/// "u" + base64url (no padding) of the GZIP-compressed bitstring. Errors: Internal (zlib).
Result<std::string> encode_status_list(std::string_view bits);
/// The bitstring of an encodedList. Errors: Invalid (field "encodedList") for a missing "u"
/// multibase prefix, bad base64url, a bad GZIP member, or more than kStatusListMaxBytes.
Result<std::string> decode_status_list(std::string_view encoded);

/// The credentialStatus entry of a credential whose status is bit `index` of the list credential
/// at `list_url`: {"id": list_url#index, "type": "BitstringStatusListEntry", "statusPurpose":
/// "revocation", "statusListIndex": "<index>", "statusListCredential": list_url}.
Json status_list_entry(std::string_view list_url, std::uint64_t index);

/// The unsigned BitstringStatusListCredential for `bits`, issued by `issuer_id` (a URL or DID)
/// at `list_url`, valid from `valid_from` (ISO 8601). Errors: Internal (zlib).
Result<Json> status_list_credential(std::string_view issuer_id, std::string_view list_url,
                                    std::string_view bits, std::string_view valid_from);

/// What a verifier reads from a status entry: the list URL, the index and the purpose.
struct StatusEntry {
  std::string list_url;
  std::uint64_t index = 0;
  std::string purpose;
};
/// Reads a BitstringStatusListEntry (statusListIndex as a decimal string, or a number as some
/// issuers write it). Errors: Invalid (field "credentialStatus") naming the bad member.
Result<StatusEntry> read_status_entry(const Json& entry);

/// The bitstring a BitstringStatusListCredential (the credential JSON, or the payload of its
/// VC-JWT) publishes for `purpose`. Errors: Invalid (field "statusListCredential") when it is not
/// such a credential, its purpose differs, or its encodedList does not decode.
Result<std::string> status_list_bits(const Json& list_credential, std::string_view purpose);

}  // namespace laurel
