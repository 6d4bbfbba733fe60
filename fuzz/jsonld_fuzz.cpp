// Fuzzes JSON-LD toRdf and RDFC-1.0 together. For any JSON text the parser accepts:
//   to_nquads never crashes and fails only with an Error naming its field;
//   its N-Quads always parse back and canonicalize (or stop at a named limit);
//   canonical N-Quads are a fixed point: canonicalize(canonicalize(x)) == canonicalize(x).
// Small limits keep each input fast; the built-in contexts are the only remote documents.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/rdfc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto document = laurel::Json::parse(input);
  if (!document.ok()) return 0;
  laurel::jsonld::Options options;
  options.max_quads = 2000;
  auto nquads = laurel::jsonld::to_nquads(document.value(), {}, options);
  if (!nquads.ok()) {
    const std::string& field = nquads.error().field;
    if (field != "jsonld" && field != "@context") std::abort();
    return 0;
  }
  laurel::rdfc::Limits limits;
  limits.max_work = 5000;
  auto canonical = laurel::rdfc::canonicalize(nquads.value(), limits);
  if (!canonical.ok()) {
    if (canonical.error().field != "rdfc") std::abort();  // our own N-Quads must parse
    return 0;
  }
  auto again = laurel::rdfc::canonicalize(canonical.value(), limits);
  if (!again.ok() || again.value() != canonical.value()) std::abort();
  return 0;
}
