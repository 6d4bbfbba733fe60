// Connections to one PostgreSQL database: owned results, a pool shared by the threads of one
// store handle, and the error text of a failed command.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "detail/pg_api.hpp"
#include "laurel/result.hpp"

namespace laurel::detail::pg {

/// The loaded libpq (call only after api() succeeded once).
const Api& pq();

/// An owned PGresult.
class Res {
 public:
  Res() = default;
  explicit Res(PGresult* result) : result_(result) {}
  Res(Res&& other) noexcept : result_(other.release()) {}
  Res& operator=(Res&& other) noexcept;
  Res(const Res&) = delete;
  Res& operator=(const Res&) = delete;
  ~Res();

  PGresult* get() const { return result_; }
  PGresult* release();
  int status() const;
  bool ok() const;  // COMMAND_OK or TUPLES_OK
  int rows() const;
  std::string_view cell(int row, int column) const;
  /// The SQLSTATE ("" when none).
  std::string sqlstate() const;

 private:
  PGresult* result_ = nullptr;
};

/// One server connection and the statements prepared on it.
struct Conn {
  PGconn* pg = nullptr;
  std::vector<std::uint8_t> prepared;  // per table * kStatementKinds: 1 once prepared
  bool pending = false;  // a ROLLBACK was sent and its answer not read yet (end_quietly)
  ~Conn();
  bool healthy() const;  // connected and outside any transaction (or about to be: pending)
  /// Ends the transaction without waiting for the server's answer, which the next lease reads:
  /// a read transaction's ROLLBACK costs no round trip.
  void end_quietly();
  /// Reads the answer end_quietly left; false when the connection is no longer usable.
  bool settle();
};

/// "PostgreSQL: <what>: <server or libpq message>".
std::string failure_text(const Conn& conn, const Res& result, std::string_view what);

/// Runs `sql` (one or more statements, text protocol): the last result, or an Error{Storage}.
Result<Res> exec(Conn& conn, const std::string& sql, std::string_view what);

class Pool;

/// A connection leased from a Pool, given back when the lease ends, on every path (an early
/// error return too), so the pool's count of connections in use stays exact.
class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Conn> conn) : pool_(&pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Conn& operator*() const { return *conn_; }
  Conn* operator->() const { return conn_.get(); }

 private:
  Pool* pool_;
  std::unique_ptr<Conn> conn_;  // null once moved from
};

/// Idle connections for reuse; a connection returns only when healthy.
class Pool {
 public:
  explicit Pool(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  Result<Lease> lease();
  std::uint64_t in_use() const;

 private:
  friend class Lease;
  void give_back(std::unique_ptr<Conn> conn);

  std::string conninfo_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::uint64_t in_use_ = 0;
};

/// The SQL identifier `name` in double quotes.
std::string quote_identifier(std::string_view name);
/// The SQL string literal `text` in single quotes.
std::string quote_literal(std::string_view text);

/// True when the server behind `conn` is a hot standby (false also when it cannot tell).
bool in_recovery(Conn& conn);

}  // namespace laurel::detail::pg
