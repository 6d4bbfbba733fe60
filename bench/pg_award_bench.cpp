// Issue 15's PostgreSQL number: bulk award over PostgreSQL, durable, beside the same award on
// LMDB and beside a plain binary COPY of the same rows into the same tables (the database's own
// limit on this machine), all in one run.
//
//   pg_award_bench <postgresql URL> [batch] [batches]
// scripts/bench.sh starts the private server (scripts/pg-cluster.sh) and passes its URL; without
// a URL the bench says so and exits 0. Each store gets `batches` issue_batch calls of `batch`
// bare-email awards (duplicates refused, as `laurel award` does); the best batch counts.
#include <algorithm>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

#include "bench_support.hpp"
#include "detail/kv.hpp"
#include "detail/pg_bulk.hpp"
#include "detail/pg_conn.hpp"
#include "laurel/store.hpp"

namespace {

using bench::Clock;
using bench::must;
using bench::seconds_since;
namespace pg = laurel::detail::pg;
namespace kv = laurel::detail::kv;

std::string with_schema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

bool sql(pg::Conn& conn, const std::string& text) {
  auto done = pg::exec(conn, text, "bench");
  if (!done.ok()) std::fprintf(stderr, "%s\n", done.error().message.c_str());
  return done.ok();
}

/// Awards per second of the best of `batches` issue_batch calls on the store at `location`.
double award_rate(const std::string& location, std::size_t batch, std::size_t batches) {
  auto store = must(laurel::Store::open(location), "open");
  laurel::Issuer issuer;
  issuer.name = "Bench University";
  issuer.email = "badges@bench.example";
  issuer.url = "https://bench.example";
  issuer = must(store.create_issuer(issuer), "issuer");
  laurel::BadgeClass badge;
  badge.issuer = issuer.entity_id;
  badge.name = "Bench";
  badge.description = "Counted";
  badge.criteria_narrative = "Be counted";
  badge = must(store.create_badgeclass(badge), "badgeclass");
  laurel::IssueOptions options;
  options.allow_duplicate_awards = false;
  double best = 0;
  for (std::size_t b = 0; b < batches; ++b) {
    std::vector<laurel::RecipientInput> recipients(batch);
    for (std::size_t i = 0; i < batch; ++i) {
      recipients[i].identity = "learner" + std::to_string(b * batch + i) + "@example.org";
    }
    const auto start = Clock::now();
    auto result = must(store.issue_batch(badge.entity_id, recipients, options), "issue_batch");
    const double rate = double(batch) / seconds_since(start);
    if (result.issued != batch) {
      std::fprintf(stderr, "issued %zu of %zu\n", result.issued, batch);
      std::exit(1);
    }
    std::printf("  batch %zu: %.0f awards/s\n", b + 1, rate);
    best = std::max(best, rate);
  }
  return best;
}

/// Seconds to COPY every row of the store in `schema` into empty tables of the same shape in
/// `copy_schema`, in one durable transaction: the database's limit for the store's rows.
double copy_seconds(const std::string& url, const std::string& schema,
                    const std::string& copy_schema, std::size_t* rows_copied) {
  auto env = must(kv::Env::open(with_schema(url, schema), {}), "open store tables");
  auto names = must(env->table_names(), "table names");
  pg::Conn conn;
  conn.pg = pg::pq().PQconnectdb(url.c_str());
  sql(conn, "SET client_min_messages TO warning");  // no "drop cascades to" NOTICE lines
  sql(conn, "DROP SCHEMA IF EXISTS " + copy_schema + " CASCADE");
  sql(conn, "CREATE SCHEMA " + copy_schema);
  // The rows in memory first (as the store has them before its commit).
  std::vector<std::pair<std::string, pg::Overlay>> tables;
  double seconds = 0;
  laurel::Status read = env->read([&](kv::Txn& txn) -> laurel::Status {
    for (const std::string& name : names) {
      auto table = env->db(name);
      if (!table.ok()) return table.error();
      pg::Overlay overlay;
      kv::Cursor cursor(txn, table.value());
      std::string_view k, v;
      for (int rc = cursor.move(kv::Move::kFirst, &k, &v); rc == kv::kOk;
           rc = cursor.move(kv::Move::kNext, &k, &v)) {
        pg::Entry entry;
        entry.value = v;
        entry.present = entry.dirty = true;
        entry.in_db = pg::InDb::kAbsent;
        overlay.entries.emplace(k, entry);  // views live as long as the read
        ++overlay.dirty;
        ++*rows_copied;
      }
      const std::string target = copy_schema + ".kv_" + name;
      if (!sql(conn, "CREATE TABLE " + target + " (k bytea PRIMARY KEY, v bytea NOT NULL)")) {
        std::exit(1);
      }
      tables.emplace_back(target, std::move(overlay));
    }
    const auto start = Clock::now();
    sql(conn, "BEGIN");
    for (auto& [target, overlay] : tables) {
      if (laurel::Status sent = pg::flush(conn, target, overlay); !sent.ok()) return sent.error();
    }
    sql(conn, "COMMIT");
    seconds = seconds_since(start);
    return {};
  });
  if (!read.ok()) {
    std::fprintf(stderr, "copy: %s\n", read.error().message.c_str());
    std::exit(1);
  }
  sql(conn, "DROP SCHEMA " + copy_schema + " CASCADE");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]).empty()) {
    std::printf("pg_award_bench: no PostgreSQL URL given (scripts/bench.sh starts one): skipped\n");
    return 0;
  }
  const std::string url = argv[1];
  const std::size_t batch = argc > 2 ? std::stoul(argv[2]) : 50'000;
  const std::size_t batches = argc > 3 ? std::stoul(argv[3]) : 3;
  const std::string schema = "bench_" + std::to_string(::getpid());
  std::printf("bulk award, %zu batches of %zu bare-email awards (duplicates refused), durable\n",
              batches, batch);

  bench::TempDir dir;
  std::printf("LMDB:\n");
  const double lmdb = award_rate(dir.path() + "/store", batch, batches);
  std::printf("PostgreSQL:\n");
  const double postgres = award_rate(with_schema(url, schema), batch, batches);
  std::size_t rows = 0;
  const double copy = copy_seconds(url, schema, schema + "_copy", &rows);
  const double copy_rate = double(batch * batches) / copy;
  {
    pg::Conn conn;
    conn.pg = pg::pq().PQconnectdb(url.c_str());
    sql(conn, "SET client_min_messages TO warning");
    sql(conn, "DROP SCHEMA " + schema + " CASCADE");
  }
  std::printf("binary COPY of the same %zu rows (%zu awards) into the same tables: %.2f s\n",
              rows, batch * batches, copy);
  bench::print_beside("award over PostgreSQL (best batch)", postgres, "award over LMDB", lmdb);
  bench::print_beside("award over PostgreSQL (best batch)", postgres,
                      "COPY of the same rows (awards/s)", copy_rate);
  std::printf("target: >= 50000 awards/s durable over PostgreSQL: %s\n",
              postgres >= 50000 ? "met" : "NOT met");
  return 0;
}
