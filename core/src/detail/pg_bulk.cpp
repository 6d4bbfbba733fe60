#include "detail/pg_bulk.hpp"

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace laurel::detail::pg {

namespace {

// Below this many rows an INSERT from arrays (one round trip) beats COPY (two).
constexpr std::size_t kCopyRows = 256;
// Parameters and COPY messages are sent in pieces of about this many bytes.
constexpr std::size_t kPieceBytes = 8u << 20;
constexpr std::uint32_t kByteaOid = 17;

void put32(std::string& out, std::uint32_t v) {
  const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.append(bytes, 4);
}
void put16(std::string& out, std::uint16_t v) {
  const char bytes[2] = {char(v >> 8), char(v)};
  out.append(bytes, 2);
}

/// A one-dimensional bytea[] in binary array format.
class ByteaArray {
 public:
  void add(std::string_view bytes) {
    put32(items_, static_cast<std::uint32_t>(bytes.size()));
    items_.append(bytes);
    ++count_;
  }
  std::size_t bytes() const { return items_.size(); }
  std::size_t count() const { return count_; }
  std::string encode() const {
    std::string out;
    out.reserve(20 + items_.size());
    put32(out, 1);  // dimensions
    put32(out, 0);  // no nulls
    put32(out, kByteaOid);
    put32(out, static_cast<std::uint32_t>(count_));
    put32(out, 1);  // lower bound
    out += items_;
    return out;
  }
  void reset() {
    items_.clear();
    count_ = 0;
  }

 private:
  std::string items_;
  std::size_t count_ = 0;
};

Status run(Conn& conn, const std::string& sql, const std::vector<std::string>& params,
           std::string_view what) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const std::string& p : params) {
    values.push_back(p.data());
    lengths.push_back(static_cast<int>(p.size()));
    formats.push_back(1);
  }
  Res result(pq().PQexecParams(conn.pg, sql.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), lengths.data(), formats.data(), 1));
  if (!result.ok()) return Error{ErrorCode::Storage, "", failure_text(conn, result, what)};
  return {};
}

/// Rows sent with one statement per piece: `sql` takes $1 (keys) and, with values, $2.
class ArrayStatement {
 public:
  ArrayStatement(Conn& conn, std::string sql, bool with_values, const char* what)
      : conn_(conn), sql_(std::move(sql)), with_values_(with_values), what_(what) {}
  Status add(std::string_view key, std::string_view value) {
    keys_.add(key);
    if (with_values_) values_.add(value);
    if (keys_.bytes() + values_.bytes() >= kPieceBytes) return send();
    return {};
  }
  Status send() {
    if (keys_.count() == 0) return {};
    std::vector<std::string> params{keys_.encode()};
    if (with_values_) params.push_back(values_.encode());
    keys_.reset();
    values_.reset();
    return run(conn_, sql_, params, what_);
  }

 private:
  Conn& conn_;
  std::string sql_;
  bool with_values_;
  const char* what_;
  ByteaArray keys_, values_;
};

/// COPY table (k, v) FROM STDIN (FORMAT binary).
class CopyIn {
 public:
  CopyIn(Conn& conn, const std::string& table) : conn_(conn), table_(table) {}
  Status begin() {
    const std::string sql = "COPY " + table_ + " (k, v) FROM STDIN (FORMAT binary)";
    Res started(pq().PQexec(conn_.pg, sql.c_str()));
    if (started.status() != kCopyIn) {
      return Error{ErrorCode::Storage, "", failure_text(conn_, started, "start COPY")};
    }
    buffer_.assign("PGCOPY\n\377\r\n\0", 11);
    put32(buffer_, 0);  // flags
    put32(buffer_, 0);  // header extension
    return {};
  }
  Status add(std::string_view key, std::string_view value) {
    put16(buffer_, 2);
    put32(buffer_, static_cast<std::uint32_t>(key.size()));
    buffer_.append(key);
    put32(buffer_, static_cast<std::uint32_t>(value.size()));
    buffer_.append(value);
    if (buffer_.size() >= kPieceBytes) return send();
    return {};
  }
  Status end() {
    put16(buffer_, 0xffff);
    LAUREL_TRY(send());
    if (pq().PQputCopyEnd(conn_.pg, nullptr) != 1) return lost();
    Res result(pq().PQgetResult(conn_.pg));
    // Drain: libpq hands one result per command, then null.
    while (PGresult* more = pq().PQgetResult(conn_.pg)) pq().PQclear(more);
    if (!result.ok()) return Error{ErrorCode::Storage, "", failure_text(conn_, result, "COPY")};
    return {};
  }

 private:
  Status send() {
    if (!buffer_.empty() &&
        pq().PQputCopyData(conn_.pg, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return lost();
    }
    buffer_.clear();
    return {};
  }
  Status lost() { return Error{ErrorCode::Storage, "", failure_text(conn_, Res(), "COPY")}; }

  Conn& conn_;
  const std::string& table_;
  std::string buffer_;
};

/// Settles whether the database holds the keys of dirty puts not known either way, so they can
/// go through COPY rather than the slower INSERT ... ON CONFLICT: keys after the table's last key
/// are new (ids and time-ordered keys: one query), the others are looked up together.
Status settle_unknown(Conn& conn, const std::string& table, Overlay& overlay) {
  std::vector<std::pair<std::string_view, Entry*>> unknown;
  for (auto& [key, entry] : overlay.entries) {
    if (entry.dirty && entry.present && entry.in_db == InDb::kUnknown) {
      unknown.emplace_back(key, &entry);
    }
  }
  if (unknown.size() < kCopyRows) return {};  // one upsert statement is cheaper than settling
  const std::string last_sql = "SELECT k FROM " + table + " ORDER BY k DESC LIMIT 1";
  Res last(pq().PQexecParams(conn.pg, last_sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1));
  if (!last.ok()) return Error{ErrorCode::Storage, "", failure_text(conn, last, "read last key")};
  const std::string_view last_key = last.rows() == 1 ? last.cell(0, 0) : std::string_view();
  const bool empty = last.rows() == 0;
  std::vector<std::pair<std::string_view, Entry*>> probe;
  for (auto [key, entry] : unknown) {
    if (empty || key > last_key) {
      entry->in_db = InDb::kAbsent;
    } else {
      probe.emplace_back(key, entry);
    }
  }
  if (probe.size() < kCopyRows) return {};
  ByteaArray keys;
  for (auto [key, entry] : probe) keys.add(key);
  const std::string param = keys.encode();
  const char* values[1] = {param.data()};
  const int lengths[1] = {static_cast<int>(param.size())};
  const int formats[1] = {1};
  Res found(pq().PQexecParams(conn.pg,
                              ("SELECT k FROM " + table + " WHERE k = ANY($1::bytea[])").c_str(),
                              1, nullptr, values, lengths, formats, 1));
  if (!found.ok()) return Error{ErrorCode::Storage, "", failure_text(conn, found, "look up keys")};
  for (auto [key, entry] : probe) entry->in_db = InDb::kAbsent;
  for (int row = 0; row < found.rows(); ++row) {
    auto it = overlay.entries.find(found.cell(row, 0));
    if (it != overlay.entries.end()) it->second.in_db = InDb::kPresent;
  }
  return {};
}

}  // namespace

Status flush(Conn& conn, const std::string& table, Overlay& overlay) {
  if (overlay.dirty == 0) return {};
  LAUREL_TRY(settle_unknown(conn, table, overlay));
  std::vector<std::pair<std::string_view, Entry*>> fresh, upserts, deletes;
  for (auto& [key, entry] : overlay.entries) {
    if (!entry.dirty) continue;
    if (entry.present) {
      (entry.in_db == InDb::kAbsent ? fresh : upserts).emplace_back(key, &entry);
    } else if (entry.in_db != InDb::kAbsent) {
      deletes.emplace_back(key, &entry);
    }
  }
  if (!deletes.empty()) {
    ArrayStatement statement(conn, "DELETE FROM " + table + " WHERE k = ANY($1::bytea[])", false,
                             "delete");
    for (auto [key, entry] : deletes) LAUREL_TRY(statement.add(key, {}));
    LAUREL_TRY(statement.send());
  }
  const std::string insert =
      "INSERT INTO " + table + " (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[])";
  if (fresh.size() >= kCopyRows) {
    CopyIn copy(conn, table);
    LAUREL_TRY(copy.begin());
    for (auto [key, entry] : fresh) LAUREL_TRY(copy.add(key, entry->value));
    LAUREL_TRY(copy.end());
  } else if (!fresh.empty()) {
    ArrayStatement statement(conn, insert, true, "insert");
    for (auto [key, entry] : fresh) LAUREL_TRY(statement.add(key, entry->value));
    LAUREL_TRY(statement.send());
  }
  if (!upserts.empty()) {
    ArrayStatement statement(conn, insert + " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
                             true, "write");
    for (auto [key, entry] : upserts) LAUREL_TRY(statement.add(key, entry->value));
    LAUREL_TRY(statement.send());
  }
  for (auto& [key, entry] : overlay.entries) {
    if (!entry.dirty) continue;
    entry.dirty = false;
    entry.in_db = entry.present ? InDb::kPresent : InDb::kAbsent;
  }
  overlay.dirty = 0;
  return {};
}

}  // namespace laurel::detail::pg
