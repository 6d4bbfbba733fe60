// A PostgreSQL transaction behind kv::Txn, and its cursors (see pg_kv.hpp for the isolation
// levels). Reads go to the overlay first (pg_overlay.hpp), then to the database, whose answers
// are remembered in the overlay; writes stay in the overlay until commit (pg_bulk.hpp). Cursors
// merge the overlay with pages of database rows fetched in key order, either direction.
#pragma once

#include <memory>
#include <memory_resource>
#include <shared_mutex>
#include <string>
#include <vector>

#include "detail/kv.hpp"
#include "detail/pg_conn.hpp"
#include "detail/pg_overlay.hpp"

namespace laurel::detail::pg {

/// The quoted, qualified SQL name of every kv table of a store, by kv::Table number.
class TableNames {
 public:
  kv::Table add(std::string qualified_name);
  std::string of(kv::Table table) const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::string> names_;
};

/// One row of a page: views into a result the transaction keeps.
struct Row {
  std::string_view key, value;
};

class PgTxn final : public kv::Txn {
 public:
  PgTxn(const TableNames& tables, Lease conn, bool write)
      : tables_(tables), conn_(std::move(conn)), write_(write) {}
  ~PgTxn() override;

  bool writable() const override { return write_; }
  int get(kv::Table table, std::string_view key, std::string_view* value) override;
  int put(kv::Table table, std::string_view key, std::string_view value,
          unsigned flags) override;
  int del(kv::Table table, std::string_view key) override;
  int clear(kv::Table table) override;
  int count(kv::Table table, std::uint64_t* entries, std::uint64_t* bytes) override;
  std::unique_ptr<kv::CursorImpl> open_cursor(kv::Table table, int* rc) override;

  /// Sends the buffered writes and commits durably.
  Status commit();

  // For cursors.
  Overlay& overlay(kv::Table table);
  /// Database rows in key order from `bound` (excluded unless `inclusive`; no bound: from the
  /// end), ascending when `forward`, at most `limit`. kOk or kFailed.
  int fetch(kv::Table table, bool forward, const std::string* bound, bool inclusive, int limit,
            std::vector<Row>* rows);

 private:
  int fail(std::string text);
  int fail(const Res& result, std::string_view what);
  /// Prepares statement `kind` of `table` on this connection once.
  int prepare(kv::Table table, int kind, std::string* name);
  /// The last key of the table as this transaction sees it.
  int last_key(kv::Table table, std::string_view* key);
  int write_check();

  const TableNames& tables_;
  Lease conn_;  // back to the pool when the transaction ends
  bool write_;
  bool finished_ = false;
  // Declared first, destroyed last: everything below keeps its bytes here.
  Arena arena_;
  std::pmr::monotonic_buffer_resource memory_;  // overlay nodes
  std::vector<std::unique_ptr<Overlay>> overlays_;
  std::vector<Entries> retired_;  // cleared overlays' nodes
  std::vector<Res> kept_;  // results that cursor views point into
};

}  // namespace laurel::detail::pg
