#include "laurel/jsonld.hpp"

namespace laurel::jsonld {

Result<Json> expand(const Json&, const DocumentLoader&, const Options&) {
  return Error{ErrorCode::Internal, "jsonld", "not yet implemented"};
}

Result<std::string> to_nquads(const Json&, const DocumentLoader&, const Options&) {
  return Error{ErrorCode::Internal, "jsonld", "not yet implemented"};
}

const Json* builtin_context(std::string_view) { return nullptr; }

const std::vector<std::string>& builtin_context_urls() {
  static const std::vector<std::string> urls;
  return urls;
}

}  // namespace laurel::jsonld
