// Fuzzes the JSON parser and Laurel's one canonical writer. Every signature and hash over JSON
// relies on two properties checked here for any text the parser accepts:
//   round trip: parse(dump(parse(x))) == parse(x)
//   stability:  dump(parse(dump(parse(x)))) == dump(parse(x)) (canonical text is a fixed point)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "laurel/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = laurel::Json::parse(input);
  if (!parsed.ok()) {
    if (parsed.error().field != "json") std::abort();  // errors name the field
    return 0;
  }
  std::string canonical = parsed->dump();
  auto reparsed = laurel::Json::parse(canonical);
  if (!reparsed.ok()) std::abort();               // the writer produced text the parser refuses
  if (!(reparsed.value() == parsed.value())) std::abort();  // the value changed on the way
  if (reparsed->dump() != canonical) std::abort();  // canonical text is not a fixed point
  return 0;
}
