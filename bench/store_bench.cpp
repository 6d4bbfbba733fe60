// Issue 2's store numbers: issue_batch of 100,000 hashed assertions and revoke_batch of 100,000,
// each beside a raw baseline measured in the same run on the same disk.
//
// The raw baseline is the floor for doing the same job by hand: one LMDB transaction synced once,
// per item SHA-256(identity + salt), the recipient index's keyed hash (HMAC-SHA256), a document of
// the same JSON shape built by string appends, and the same four puts (document, badge class,
// issuer and recipient index entries) with the same keys; no model, no validation, one thread.
// Each measurement uses a fresh directory; each is run three times and the best kept, since the
// machine is shared.
#include <cryptopp/hmac.h>
#include <cryptopp/osrng.h>
#include <cryptopp/sha.h>
#include <lmdb.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "laurel/datetime.hpp"
#include "laurel/ids.hpp"
#include "laurel/json.hpp"
#include "laurel/store.hpp"

namespace {

constexpr std::size_t kItems = 100000;
constexpr int kRounds = 3;
constexpr double kIssueTarget = 100000;
constexpr double kIssueRatioTarget = 0.80;
constexpr double kRevokeTarget = 300000;

using bench::Clock;
using bench::seconds_since;
using bench::TempDir;

void check(int rc, const char* what) {
  if (rc != 0) {
    std::fprintf(stderr, "%s: %s\n", what, mdb_strerror(rc));
    std::exit(1);
  }
}

std::string email(std::size_t i) { return "learner" + std::to_string(i) + "@example.org"; }

std::string bytes(const CryptoPP::byte* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// ---- raw baselines --------------------------------------------------------------------------

struct RawEnv {
  MDB_env* env = nullptr;
  MDB_dbi docs = 0, by_badgeclass = 0, by_issuer = 0, by_recipient = 0, revocations = 0;

  explicit RawEnv(const std::string& path) {
    check(mdb_env_create(&env), "create");
    check(mdb_env_set_maxdbs(env, 8), "maxdbs");
    check(mdb_env_set_mapsize(env, std::size_t(1) << 30), "mapsize");
    check(mdb_env_open(env, path.c_str(), MDB_NOTLS, 0640), "open");
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env, nullptr, 0, &txn), "begin");
    check(mdb_dbi_open(txn, "assertions", MDB_CREATE, &docs), "dbi");
    check(mdb_dbi_open(txn, "badgeclass_assertions", MDB_CREATE, &by_badgeclass), "dbi");
    check(mdb_dbi_open(txn, "issuer_assertions", MDB_CREATE, &by_issuer), "dbi");
    check(mdb_dbi_open(txn, "recipient_assertions", MDB_CREATE, &by_recipient), "dbi");
    check(mdb_dbi_open(txn, "revocations", MDB_CREATE, &revocations), "dbi");
    check(mdb_txn_commit(txn), "commit");
  }
  ~RawEnv() { mdb_env_close(env); }
};

void put(MDB_cursor* cursor, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{value.size(), const_cast<char*>(value.data())};
  check(mdb_cursor_put(cursor, &k, &v, flags), "put");
}

/// Issues kItems by hand; returns items/s and fills `ids` with the raw keys.
double raw_issue(const std::string& path, std::vector<std::string>& ids) {
  RawEnv raw(path);
  const auto start = Clock::now();
  const std::string badgeclass_id(16, '\x01'), issuer_id(16, '\x02');
  const std::string badgeclass_text =
      laurel::id_to_text(laurel::RawId{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
  const std::string issuer_text =
      laurel::id_to_text(laurel::RawId{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
  const std::string now = laurel::format_datetime(laurel::now_seconds());
  std::vector<CryptoPP::byte> random(kItems * 26);
  CryptoPP::OS_GenerateRandomBlock(false, random.data(), random.size());
  const std::uint64_t millis = laurel::now_millis();
  ids.resize(kItems);
  for (std::size_t i = 0; i < kItems; ++i) {
    laurel::RawId id = laurel::make_raw_id(millis, &random[i * 10]);
    ids[i] = bytes(id.data(), id.size());
  }
  std::sort(ids.begin(), ids.end());
  CryptoPP::byte secret[32] = {7};

  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(raw.env, nullptr, 0, &txn), "begin");
  MDB_cursor *docs, *by_badgeclass, *by_issuer, *by_recipient;
  check(mdb_cursor_open(txn, raw.docs, &docs), "cursor");
  check(mdb_cursor_open(txn, raw.by_badgeclass, &by_badgeclass), "cursor");
  check(mdb_cursor_open(txn, raw.by_issuer, &by_issuer), "cursor");
  check(mdb_cursor_open(txn, raw.by_recipient, &by_recipient), "cursor");
  std::string doc, key(32, '\0');
  const std::string expires(8, '\xff');
  CryptoPP::byte digest[32];
  for (std::size_t i = 0; i < kItems; ++i) {
    const std::string identity = email(i);
    const std::string salt = laurel::hex_encode(bytes(&random[kItems * 10 + i * 16], 16));
    CryptoPP::SHA256 sha;
    sha.Update(reinterpret_cast<const CryptoPP::byte*>(identity.data()), identity.size());
    sha.Update(reinterpret_cast<const CryptoPP::byte*>(salt.data()), salt.size());
    sha.Final(digest);
    const std::string hashed = "sha256$" + laurel::hex_encode(bytes(digest, 32));
    CryptoPP::HMAC<CryptoPP::SHA256> mac(secret, sizeof secret);
    const std::string message = "email:" + identity;
    mac.Update(reinterpret_cast<const CryptoPP::byte*>(message.data()), message.size());
    mac.Final(digest);

    // The same document shape the store writes, by string appends.
    doc.clear();
    doc += "{\"acceptance\":\"Unaccepted\",\"badgeclass\":\"" + badgeclass_text +
           "\",\"createdAt\":\"" + now + "\",\"createdBy\":null,\"entityId\":\"" +
           laurel::base64url_encode(ids[i]) +
           "\",\"entityType\":\"Assertion\",\"evidence\":[],\"expires\":null,\"extensions\":{},"
           "\"issuedOn\":\"" +
           now + "\",\"issuer\":\"" + issuer_text +
           "\",\"narrative\":null,\"recipient\":{\"hashed\":true,\"identity\":\"" + hashed +
           "\",\"plaintextIdentity\":\"" + identity + "\",\"salt\":\"" + salt +
           "\",\"type\":\"email\"},\"revocationReason\":null,\"revoked\":false,"
           "\"verification\":\"hosted\"}";
    put(docs, ids[i], doc, MDB_APPEND);
    key.replace(0, 16, badgeclass_id);
    key.replace(16, 16, ids[i]);
    put(by_badgeclass, key, expires, MDB_APPEND);
    key.replace(0, 16, issuer_id);
    put(by_issuer, key, expires, MDB_APPEND);
    key.replace(0, 16, bytes(digest, 16));
    put(by_recipient, key, badgeclass_id, 0);
  }
  check(mdb_txn_commit(txn), "commit");  // closes the write cursors
  return double(kItems) / seconds_since(start);
}

double raw_revoke(const std::string& path, const std::vector<std::string>& ids) {
  RawEnv raw(path);
  const auto start = Clock::now();
  const std::string now = laurel::format_datetime(laurel::now_seconds());
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(raw.env, nullptr, 0, &txn), "begin");
  MDB_cursor* revocations;
  check(mdb_cursor_open(txn, raw.revocations, &revocations), "cursor");
  std::string record;
  for (const std::string& id : ids) {
    MDB_val k{id.size(), const_cast<char*>(id.data())}, v{};
    check(mdb_get(txn, raw.docs, &k, &v), "get assertion");
    if (mdb_get(txn, raw.revocations, &k, &v) != MDB_NOTFOUND) std::exit(1);
    record.assign("{\"revocationReason\":");
    laurel::append_json_string(record, "Course was cancelled");
    record += ",\"revokedAt\":\"" + now + "\"}";
    put(revocations, id, record, MDB_APPEND);
  }
  check(mdb_txn_commit(txn), "commit");
  return double(kItems) / seconds_since(start);
}

// ---- the store -------------------------------------------------------------------------------

struct StoreRun {
  double issue = 0;
  double revoke = 0;
};

StoreRun store_run(const std::string& path) {
  auto store = laurel::Store::open(path);
  if (!store.ok()) std::exit(1);
  laurel::Issuer issuer_draft;
  issuer_draft.name = "Bench Academy";
  issuer_draft.email = "bench@example.org";
  issuer_draft.url = "https://example.org";
  auto issuer = store->create_issuer(issuer_draft);
  laurel::BadgeClass badgeclass_draft;
  badgeclass_draft.issuer = issuer->entity_id;
  badgeclass_draft.name = "Throughput";
  badgeclass_draft.description = "Issued by the benchmark";
  auto badgeclass = store->create_badgeclass(badgeclass_draft);
  if (!issuer.ok() || !badgeclass.ok()) std::exit(1);

  std::vector<laurel::RecipientInput> recipients(kItems);
  for (std::size_t i = 0; i < kItems; ++i) recipients[i].identity = email(i);
  StoreRun run;
  auto start = Clock::now();
  auto batch = store->issue_batch(badgeclass->entity_id, recipients);
  run.issue = double(kItems) / seconds_since(start);
  if (!batch.ok() || batch->issued != kItems) {
    std::fprintf(stderr, "issue_batch failed\n");
    std::exit(1);
  }
  std::vector<laurel::RevokeItem> items(kItems);
  for (std::size_t i = 0; i < kItems; ++i) {
    items[i] = {batch->items[i].entity_id, "Course was cancelled"};
  }
  start = Clock::now();
  auto revoked = store->revoke_batch(items);
  run.revoke = double(kItems) / seconds_since(start);
  if (!revoked.ok() || !revoked->back().revoked) {
    std::fprintf(stderr, "revoke_batch failed\n");
    std::exit(1);
  }
  return run;
}

}  // namespace

int main() {
  StoreRun best;
  double raw_issue_best = 0, raw_revoke_best = 0;
  for (int round = 0; round < kRounds; ++round) {
    {
      TempDir dir;
      std::vector<std::string> ids;
      raw_issue_best = std::max(raw_issue_best, raw_issue(dir.path(), ids));
      raw_revoke_best = std::max(raw_revoke_best, raw_revoke(dir.path(), ids));
    }
    {
      TempDir dir;
      StoreRun run = store_run(dir.path());
      best.issue = std::max(best.issue, run.issue);
      best.revoke = std::max(best.revoke, run.revoke);
    }
  }
  const double issue_ratio = best.issue / raw_issue_best;
  const double revoke_ratio = best.revoke / raw_revoke_best;
  std::printf(
      "issue_batch: %.0f items/s; raw baseline %.0f items/s; ratio %.2f"
      " (target >= %.0f/s and ratio >= %.2f: %s)\n",
      best.issue, raw_issue_best, issue_ratio, kIssueTarget, kIssueRatioTarget,
      best.issue >= kIssueTarget && issue_ratio >= kIssueRatioTarget ? "met" : "MISSED");
  std::printf(
      "revoke_batch: %.0f items/s; raw baseline %.0f items/s; ratio %.2f"
      " (target >= %.0f/s: %s)\n",
      best.revoke, raw_revoke_best, revoke_ratio, kRevokeTarget,
      best.revoke >= kRevokeTarget ? "met" : "MISSED");
  std::printf("(%zu items per batch, best of %d rounds, durable: one synced commit per batch)\n",
              kItems, kRounds);
  return 0;
}
