#include "laurel/rdfc.hpp"

namespace laurel::rdfc {

Result<std::string> canonicalize(std::string_view, const Limits&) {
  return Error{ErrorCode::Internal, "rdfc", "not yet implemented"};
}

}  // namespace laurel::rdfc
