#include "detail/kv.hpp"

#include "detail/kv_backends.hpp"

namespace laurel::detail::kv {
namespace {

std::string& failure_slot() {
  thread_local std::string text;
  return text;
}

}  // namespace

const std::string& failure_text() { return failure_slot(); }

void set_failure(std::string text) { failure_slot() = std::move(text); }

Error storage_error(int rc, std::string_view what) {
  std::string message(what);
  switch (rc) {
    case kNotFound:
      message += ": not found";
      break;
    case kKeyExists:
      message += ": key exists";
      break;
    default:
      message += ": " + failure_text();
      break;
  }
  return Error{ErrorCode::Storage, "", std::move(message)};
}

bool is_database_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::shared_ptr<Env>> Env::open(const std::string& location, const OpenOptions& options) {
  if (is_database_url(location)) return open_postgresql(location, options);
  return open_lmdb(location, options);
}

}  // namespace laurel::detail::kv
