#include "laurel/result.hpp"

namespace laurel {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::Invalid: return "Invalid";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::PermissionDenied: return "PermissionDenied";
    case ErrorCode::Conflict: return "Conflict";
    case ErrorCode::Storage: return "Storage";
    case ErrorCode::Crypto: return "Crypto";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Internal: return "Internal";
  }
  return "Internal";
}

}  // namespace laurel
