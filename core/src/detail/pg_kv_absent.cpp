// Built instead of detail/pg_kv.cpp when PostgreSQL support is not compiled in: a database URL
// then fails to open with a clear message rather than being taken for a directory name.
#include "detail/kv_backends.hpp"
#include "detail/pg_kv.hpp"

namespace laurel::detail::kv {

namespace {
Error absent() {
  return Error{ErrorCode::Storage, "path",
               "PostgreSQL support is not built in: this Laurel opens store directories only"};
}
}  // namespace

Result<std::shared_ptr<Env>> open_postgresql(const std::string&, const OpenOptions&) {
  return absent();
}

Result<std::string> init_database(const std::string&, int) { return absent(); }

}  // namespace laurel::detail::kv
