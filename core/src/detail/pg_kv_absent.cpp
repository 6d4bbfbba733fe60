// Built instead of detail/pg_kv.cpp when PostgreSQL support is not compiled in: a database URL
// then fails to open with a clear message rather than being taken for a directory name.
#include "detail/kv_backends.hpp"

namespace laurel::detail::kv {

Result<std::shared_ptr<Env>> open_postgresql(const std::string& url, const OpenOptions&) {
  (void)url;
  return Error{ErrorCode::Storage, "path",
               "PostgreSQL support is not built in: this Laurel opens store directories only"};
}

}  // namespace laurel::detail::kv
