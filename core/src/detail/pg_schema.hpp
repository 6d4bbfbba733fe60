// The store's layout in PostgreSQL and its versions. Each version is one migration step from the
// one before, run in one transaction under the writers' lock (so nodes starting together and a
// concurrent `laurel init` cannot interleave):
//   1  the schema, laurel_schema (version integer) and one kv_<name> table per kv table,
//      created when the store first opens it;
//   2  laurel_tables (name text primary key), the catalog of kv tables that table_names() reads
//      and that Env::db fills; the step lists the kv_ tables version 1 made.
// A database without the schema is created at the current version; an older one is migrated
// only by `laurel init`, so operators choose when the layout changes under running nodes.
#pragma once

#include <string>

#include "detail/pg_conn.hpp"
#include "laurel/result.hpp"

namespace laurel::detail::pg {

inline constexpr int kSchemaVersion = 2;

/// Whether the table `qualified_name` (see qualified) exists.
Result<bool> table_exists(Conn& conn, const std::string& qualified_name);

/// The version stored in `schema` (0: no store there yet).
Result<int> stored_version(Conn& conn, const std::string& schema);

/// Creates the store's schema or migrates it up to `target` (test hooks stop early) in one
/// transaction, holding the writers' lock (`lock_key`: the two arguments of the advisory lock).
/// Returns the version before.
Result<int> migrate(Conn& conn, const std::string& schema, const std::string& lock_key,
                    int target = kSchemaVersion);

/// The qualified, quoted name of a table of the schema.
std::string qualified(const std::string& schema, const std::string& table);

}  // namespace laurel::detail::pg
