#include "detail/pg_conn.hpp"

namespace laurel::detail::pg {

const Api& pq() { return *api(nullptr); }

Res& Res::operator=(Res&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) pq().PQclear(result_);
    result_ = other.release();
  }
  return *this;
}

Res::~Res() {
  if (result_ != nullptr) pq().PQclear(result_);
}

PGresult* Res::release() {
  PGresult* result = result_;
  result_ = nullptr;
  return result;
}

int Res::status() const { return result_ == nullptr ? kFatalError : pq().PQresultStatus(result_); }

bool Res::ok() const {
  int s = status();
  return s == kCommandOk || s == kTuplesOk;
}

int Res::rows() const { return result_ == nullptr ? 0 : pq().PQntuples(result_); }

std::string_view Res::cell(int row, int column) const {
  return {pq().PQgetvalue(result_, row, column),
          static_cast<std::size_t>(pq().PQgetlength(result_, row, column))};
}

std::string Res::sqlstate() const {
  if (result_ == nullptr) return {};
  const char* state = pq().PQresultErrorField(result_, kDiagSqlState);
  return state == nullptr ? std::string() : std::string(state);
}

Conn::~Conn() {
  if (pg != nullptr) pq().PQfinish(pg);
}

bool Conn::healthy() const {
  return pg != nullptr && pq().PQstatus(pg) == kConnectionOk &&
         (pending || pq().PQtransactionStatus(pg) == kTransIdle);
}

void Conn::end_quietly() {
  if (pg != nullptr && pq().PQstatus(pg) == kConnectionOk) {
    pending = pq().PQsendQuery(pg, "ROLLBACK") == 1;
  }
}

bool Conn::settle() {
  if (pending) {
    pending = false;
    while (PGresult* result = pq().PQgetResult(pg)) pq().PQclear(result);
  }
  return pq().PQstatus(pg) == kConnectionOk && pq().PQtransactionStatus(pg) == kTransIdle;
}

std::string failure_text(const Conn& conn, const Res& result, std::string_view what) {
  std::string message;
  if (result.get() != nullptr) message = pq().PQresultErrorMessage(result.get());
  if (message.empty() && conn.pg != nullptr) message = pq().PQerrorMessage(conn.pg);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (message.empty()) message = "no answer from the server";
  if (conn.pg != nullptr && pq().PQstatus(conn.pg) != kConnectionOk) {
    message = "connection lost (" + message + ")";
  }
  std::string text = "PostgreSQL: ";
  text += what;
  text += ": ";
  text += message;
  return text;
}

Result<Res> exec(Conn& conn, const std::string& sql, std::string_view what) {
  Res result(pq().PQexec(conn.pg, sql.c_str()));
  if (!result.ok()) return Error{ErrorCode::Storage, "", failure_text(conn, result, what)};
  return result;
}

namespace {

/// `text` between two `quote`s, each `quote` inside doubled: SQL's rule for string literals (')
/// and identifiers (").
std::string enclosed(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

Lease::~Lease() {
  if (conn_ != nullptr) pool_->give_back(std::move(conn_));
}

Result<Lease> Pool::lease() {
  for (;;) {  // an idle connection, its pending answer read outside the lock
    std::unique_ptr<Conn> conn;
    {
      std::lock_guard lock(mutex_);
      if (idle_.empty()) break;
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    if (conn->settle()) {
      std::lock_guard lock(mutex_);
      ++in_use_;
      return Lease(*this, std::move(conn));
    }
  }
  auto conn = std::make_unique<Conn>();
  conn->pg = pq().PQconnectdb(conninfo_.c_str());
  if (conn->pg == nullptr || pq().PQstatus(conn->pg) != kConnectionOk) {
    std::string message = conn->pg == nullptr ? "out of memory" : pq().PQerrorMessage(conn->pg);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Error{ErrorCode::Storage, "", "PostgreSQL: cannot connect: " + message};
  }
  // NOTICEs ("relation ... already exists, skipping" from CREATE ... IF NOT EXISTS) would go to
  // the process's stderr through libpq's default notice processor: warnings and errors only.
  Res quiet(pq().PQexec(conn->pg, "SET client_min_messages TO warning"));
  std::lock_guard lock(mutex_);
  ++in_use_;
  return Lease(*this, std::move(conn));
}

void Pool::give_back(std::unique_ptr<Conn> conn) {
  const bool keep = conn != nullptr && conn->healthy();
  std::lock_guard lock(mutex_);
  --in_use_;
  if (keep) idle_.push_back(std::move(conn));
}

std::uint64_t Pool::in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

std::string quote_literal(std::string_view text) { return enclosed(text, '\''); }

bool in_recovery(Conn& conn) {
  auto recovery = exec(conn, "SELECT pg_is_in_recovery()", "read recovery state");
  return recovery.ok() && recovery->cell(0, 0) == "t";
}

std::string quote_identifier(std::string_view name) { return enclosed(name, '"'); }

}  // namespace laurel::detail::pg
