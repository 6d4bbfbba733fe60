// The PostgreSQL backend of kv.hpp: a store in a PostgreSQL database, shared by any number of
// processes on any hosts (docs/postgresql.md).
//
// Layout: one PostgreSQL schema per store (URL parameter `schema`, default "laurel"), holding
//   schema_version  (version integer): the layout's version, one row (see pg_schema.hpp)
//   kv_tables       (name text primary key): the kv tables (version 2 on)
//   kv_<name>       (k bytea primary key, v bytea not null): one per kv table; bytea compares
//                   bytewise, so key order carries over from LMDB unchanged.
//
// Transactions:
//   read:  BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY: one snapshot for the whole
//          transaction, like an LMDB read transaction; runs on a hot standby too.
//   write: BEGIN (READ COMMITTED) + pg_advisory_xact_lock(Laurel, schema): writers on every node
//          queue on one lock, so exactly one write transaction of a store runs at a time, like
//          LMDB's single writer. Every statement after the lock sees everything committed before
//          it and nothing can commit meanwhile, so the store's read-check-write rules (compare-
//          and-set of service documents, duplicate refusal, status bit allocation, id clocks)
//          keep their guarantees without SERIALIZABLE retries.
//   Writes are buffered in the transaction (pg_overlay.hpp) and sent at commit in bulk
//   (pg_bulk.hpp): round trips, not rows, are what a remote database charges for.
#pragma once

#include <memory>
#include <string>

#include "detail/kv.hpp"
#include "laurel/result.hpp"

namespace laurel::detail::kv {

/// Opens the store at a PostgreSQL URL ("postgresql://user@host/db?schema=name&..."; declared
/// in kv_backends.hpp too). A database
/// without the store's schema gets it (like a missing LMDB directory); a schema older than this
/// Laurel's is refused with an error asking for `laurel init` (init_database). Errors: Storage.
Result<std::shared_ptr<Env>> open_postgresql(const std::string& url, const OpenOptions& options);

/// `laurel init`: creates the store's schema in the database at `url`, or migrates it to this
/// Laurel's version (`version`: a test hook stopping at an older layout; 0: the current one).
/// Returns "created", "migrated from version N" or "up to date". Errors: Storage.
Result<std::string> init_database(const std::string& url, int version = 0);

}  // namespace laurel::detail::kv
