// The backends' openers, one per location kind; kv::Env::open (kv.cpp) picks one.
#pragma once

#include <memory>
#include <string>

#include "detail/kv.hpp"

namespace laurel::detail::kv {

/// LMDB in `directory` (created if missing): detail/lmdb_kv.cpp.
Result<std::shared_ptr<Env>> open_lmdb(const std::string& directory, const OpenOptions& options);

/// PostgreSQL at `url`: detail/pg_kv.cpp when PostgreSQL support is built in, otherwise
/// detail/pg_kv_absent.cpp, which says so.
Result<std::shared_ptr<Env>> open_postgresql(const std::string& url, const OpenOptions& options);

}  // namespace laurel::detail::kv
