// Operations a large store needs: stats (what it holds, how its file is used), backup (an online,
// compacted copy) and check (every index against the records).
//
// check reads everything once in one read transaction. The badge class and issuer indexes are
// checked entry by entry from the records' side (each assertion's entry must be there with the
// right expiry) and by count from the index's side: keys are unique, so an index with as many
// entries as there are assertions, each assertion's present, has nothing else. The recipient
// index is keyed by a keyed hash the store cannot recompute without the plaintext, so its
// assertion ids are collected, sorted and merged against the assertions table (which the store
// returns sorted): missing, doubled and dangling entries all show in that one pass.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "detail/kv.hpp"
#include "detail/status_store.hpp"
#include "detail/store_impl.hpp"
#include "laurel/store.hpp"
#include "laurel/status_list.hpp"
#include "laurel/store_testing.hpp"

namespace laurel {
namespace {

using detail::raw_bytes;
using kv::Cursor;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kRecipientKeyBytes = 16;

// ---- stats -------------------------------------------------------------------------------------

TableStats table_stats(std::string name, const kv::TableFigures& figures) {
  TableStats table;
  table.name = std::move(name);
  table.entries = figures.entries;
  table.depth = figures.depth;
  table.branch_pages = figures.branch_pages;
  table.leaf_pages = figures.leaf_pages;
  table.overflow_pages = figures.overflow_pages;
  table.bytes = figures.bytes;
  return table;
}

// ---- check -------------------------------------------------------------------------------------

class Findings {
 public:
  explicit Findings(CheckReport& report) : report_(report) {}
  void add(std::string problem) {
    ++report_.problem_count;
    if (report_.problems.size() < CheckReport::kMaxListed) report_.problems.push_back(std::move(problem));
  }

 private:
  CheckReport& report_;
};

std::string_view as_view(const std::array<char, kIdBytes>& raw) { return {raw.data(), raw.size()}; }

std::string id_text(std::string_view raw) {
  RawId id{};
  std::memcpy(id.data(), raw.data(), std::min(raw.size(), id.size()));
  return id_to_text(id);
}

/// Entries of `dbi` whose key is an owner id followed by an assertion id not in `assertions`, or
/// whose owner is not the assertion's. Only run when the count says something is extra.
Status find_extra_entries(Txn& txn, kv::Table dbi, const char* index,
                          const std::map<std::string, std::string, std::less<>>& owner_of,
                          Findings& findings) {
  Cursor cursor(txn, dbi);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open index");
  std::string_view key;
  int rc = cursor.move(kv::Move::kFirst, &key, nullptr);
  while (rc == 0) {
    if (key.size() != 2 * kIdBytes) {
      findings.add(std::string(index) + " index: an entry with a malformed key");
    } else {
      auto it = owner_of.find(key.substr(kIdBytes));
      if (it == owner_of.end()) {
        findings.add(std::string(index) + " index lists assertion " + id_text(key.substr(kIdBytes)) +
                     ", which does not exist");
      } else if (it->second != key.substr(0, kIdBytes)) {
        findings.add(std::string(index) + " index lists assertion " + id_text(key.substr(kIdBytes)) +
                     " under " + id_text(key.substr(0, kIdBytes)) + ", not its own");
      }
    }
    rc = cursor.move(kv::Move::kNext, &key, nullptr);
  }
  return rc == kv::kNotFound ? Status{} : Status(storage_error(rc, "read index"));
}

struct AssertionRefs {
  std::string id, badgeclass, issuer;  // raw bytes
  std::string expires;                 // encode_expires
};

Status check_assertions(const Store::Impl& impl, Txn& txn, CheckReport& report,
                        Findings& findings) {
  // Records' side: each assertion's badge class and issuer entries, with its expiry.
  Cursor docs(txn, impl.assertions);
  if (docs.open_rc() != 0) return storage_error(docs.open_rc(), "open assertions");
  std::vector<std::string> badgeclass_owner;  // by position: only needed when counts disagree
  std::uint64_t count = 0;
  std::string_view key, value;
  int rc = docs.move(kv::Move::kFirst, &key, &value);
  while (rc == 0) {
    ++count;
    const std::string id_name = "assertion " + id_text(key);
    RawId raw{};
    std::memcpy(raw.data(), key.data(), std::min(key.size(), raw.size()));
    auto assertion = decode_stored_assertion(value, raw, "");
    if (!assertion.ok()) {
      findings.add(id_name + " is unreadable: " + assertion.error().message);
    } else {
      const auto badgeclass = id_from_text(assertion->badgeclass);
      const auto issuer = id_from_text(assertion->issuer);
      const std::string expires = encode_expires(expires_epoch(assertion->expires));
      const std::pair<const char*, std::pair<kv::Table, std::optional<RawId>>> indexes[] = {
          {"badge class", {impl.badgeclass_assertions, badgeclass}},
          {"issuer", {impl.issuer_assertions, issuer}}};
      for (const auto& [name, where] : indexes) {
        if (!where.second) {
          findings.add(id_name + " names a malformed " + name + " id");
          continue;
        }
        std::string entry(raw_bytes(*where.second));
        entry.append(key);
        std::string_view stored;
        int got = txn.get(where.first, entry, &stored);
        if (got == kv::kNotFound) {
          findings.add(id_name + " is missing from the " + name + " index");
        } else if (got != 0) {
          return storage_error(got, "read index");
        } else if (stored != expires) {
          findings.add(id_name + " has a stale expiry in the " + name + " index");
        }
      }
      if (badgeclass && txn.get(impl.badgeclasses, raw_bytes(*badgeclass), nullptr) != 0) {
        findings.add(id_name + " names badge class " + assertion->badgeclass +
                     ", which does not exist");
      }
    }
    rc = docs.move(kv::Move::kNext, &key, &value);
  }
  if (rc != kv::kNotFound) return storage_error(rc, "read assertions");
  report.assertions = count;

  // Index side, by count; a full scan names the extra entries only when there are some.
  const std::pair<const char*, kv::Table> owner_indexes[] = {
      {"badge class", impl.badgeclass_assertions}, {"issuer", impl.issuer_assertions}};
  for (const auto& [name, dbi] : owner_indexes) {
    std::uint64_t entries = 0;
    if (int got = txn.count(dbi, &entries, nullptr); got != 0) {
      return storage_error(got, "stat index");
    }
    if (entries == count) continue;
    std::map<std::string, std::string, std::less<>> owner_of;
    Cursor again(txn, impl.assertions);
    int at = again.move(kv::Move::kFirst, &key, &value);
    while (at == 0) {
      auto json = Json::parse(value);
      if (json.ok()) {
        auto owner = id_from_text(json->get_string(dbi == impl.issuer_assertions ? "issuer"
                                                                                   : "badgeclass"));
        if (owner) owner_of.emplace(std::string(key), std::string(raw_bytes(*owner)));
      }
      at = again.move(kv::Move::kNext, &key, &value);
    }
    LAUREL_TRY(find_extra_entries(txn, dbi, name, owner_of, findings));
  }
  return {};
}

Status check_recipient_index(const Store::Impl& impl, Txn& txn, Findings& findings) {
  struct Entry {
    std::array<char, kIdBytes> id;          // assertion id (raw)
    std::array<char, kIdBytes> badgeclass;  // the value's badge class id (raw)
  };
  auto state = detail::read_epoch_state(impl.recipients, txn);
  if (!state.ok()) return state.error();
  std::vector<Entry> entries;
  std::map<std::int64_t, std::uint64_t> per_epoch;  // epoch -> entries (-1: the legacy table)
  LAUREL_TRY(detail::scan_recipient_entries(
      impl.recipients, txn, [&](const detail::RecipientEntry& entry) {
        if (entry.malformed) {
          findings.add("recipient index: an entry with a malformed key or value");
          return;
        }
        ++per_epoch[entry.epoch];
        if (!entry.in_filter) {
          findings.add("recipient index: assertion " + id_text(entry.assertion_id) +
                       "'s recipient is missing from epoch " + std::to_string(entry.epoch) +
                       "'s filter (lookups would miss it)");
        }
        Entry& kept = entries.emplace_back();
        std::memcpy(kept.id.data(), entry.assertion_id.data(), kIdBytes);
        std::memcpy(kept.badgeclass.data(), entry.badgeclass_id.data(), kIdBytes);
      }));
  for (const auto& [epoch, count] : per_epoch) {
    if (epoch < 0) continue;
    if (epoch > std::int64_t(state->epoch) || count > state->epoch_entries ||
        (epoch == std::int64_t(state->epoch) && count > state->in_epoch)) {
      findings.add("recipient index: epoch " + std::to_string(epoch) + " holds " +
                   std::to_string(count) + " entries, more than the index state allows");
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return as_view(a.id) < as_view(b.id); });

  Cursor docs(txn, impl.assertions);
  if (docs.open_rc() != 0) return storage_error(docs.open_rc(), "open assertions");
  std::string_view key, value;
  int rc = docs.move(kv::Move::kFirst, &key, &value);
  std::size_t at = 0;
  while (rc == 0 || at < entries.size()) {
    const bool have_doc = rc == 0;
    if (!have_doc || (at < entries.size() && as_view(entries[at].id) < key)) {
      findings.add("recipient index lists assertion " + id_text(as_view(entries[at].id)) +
                   ", which does not exist");
      ++at;
      continue;
    }
    std::size_t held = 0;
    for (; at < entries.size() && as_view(entries[at].id) == key; ++at) {
      ++held;
      auto json = Json::parse(value);
      auto badgeclass = json.ok() ? id_from_text(json->get_string("badgeclass")) : std::nullopt;
      if (badgeclass && raw_bytes(*badgeclass) != as_view(entries[at].badgeclass)) {
        findings.add("recipient index lists assertion " + id_text(key) +
                     " under another badge class");
      }
    }
    if (held == 0) findings.add("assertion " + id_text(key) + " is missing from the recipient index");
    if (held > 1) {
      findings.add("assertion " + id_text(key) + " is in the recipient index " +
                   std::to_string(held) + " times");
    }
    rc = docs.move(kv::Move::kNext, &key, &value);
  }
  return rc == kv::kNotFound ? Status{} : Status(storage_error(rc, "read assertions"));
}

Status check_revocations(const Store::Impl& impl, Txn& txn, Findings& findings) {
  Cursor cursor(txn, impl.revocations);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open revocations");
  std::string_view key, value;
  int rc = cursor.move(kv::Move::kFirst, &key, &value);
  while (rc == 0) {
    if (txn.get(impl.assertions, key, nullptr) != 0) {
      findings.add("revocation record for assertion " + id_text(key) + ", which does not exist");
    } else if (auto json = Json::parse(value); !json.ok()) {
      findings.add("revocation record for assertion " + id_text(key) + " is unreadable");
    }
    rc = cursor.move(kv::Move::kNext, &key, &value);
  }
  return rc == kv::kNotFound ? Status{} : Status(storage_error(rc, "read revocations"));
}

/// OB 3.0 status (status_store.hpp): each slot names an existing assertion and a list whose
/// allocation bit is set; no two assertions share a bit; an assertion's revocation bit is set
/// exactly when it is revoked. Assertions issued before status lists existed have no slot.
Status check_status(const Store::Impl& impl, Txn& txn, const detail::StatusTables& tables,
                    std::uint64_t assertions, Findings& findings) {
  constexpr std::size_t kCountBytes = 4;
  constexpr std::size_t kSlotBytes = kIdBytes + detail::kStatusListIdBytes + 4;
  std::vector<std::string> bits_taken;  // list key + index, to find shared bits
  Cursor cursor(txn, tables.entries);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open status entries");
  std::string_view key, value;
  int rc = cursor.move(kv::Move::kFirst, &key, &value);
  while (rc == 0) {
    const std::string name = "assertion " + id_text(key);
    if (value.size() != kSlotBytes) {
      findings.add("status entry of " + name + " is malformed");
    } else if (txn.get(impl.assertions, key, nullptr) != 0) {
      findings.add("status entry for " + name + ", which does not exist");
    } else {
      const std::string_view list_key = value.substr(0, kIdBytes + detail::kStatusListIdBytes);
      std::uint32_t index = 0;
      for (std::size_t i = 0; i < 4; ++i) {
        index = (index << 8) | std::uint8_t(value[list_key.size() + i]);
      }
      std::string_view record;
      if (txn.get(tables.lists, list_key, &record) != 0 ||
          record.size() != kCountBytes + 2 * kStatusListBytes) {
        findings.add(name + " has a status bit in a list that does not exist");
      } else {
        const bool allocated = status_bit(record.substr(kCountBytes, kStatusListBytes), index);
        const bool revoked_bit =
            status_bit(record.substr(kCountBytes + kStatusListBytes, kStatusListBytes), index);
        const bool revoked = txn.get(impl.revocations, key, nullptr) == 0;
        if (!allocated) findings.add(name + "'s status bit is not marked allocated in its list");
        if (revoked_bit != revoked) {
          findings.add(name + (revoked ? " is revoked but its status bit is clear"
                                       : "'s status bit says revoked but it is not"));
        }
        bits_taken.emplace_back(std::string(value));
      }
    }
    rc = cursor.move(kv::Move::kNext, &key, &value);
  }
  if (rc != kv::kNotFound) return storage_error(rc, "read status entries");
  if (bits_taken.size() > assertions) {
    findings.add("more status entries than assertions");
  }
  std::sort(bits_taken.begin(), bits_taken.end());
  for (std::size_t i = 1; i < bits_taken.size(); ++i) {
    if (bits_taken[i] == bits_taken[i - 1]) findings.add("two assertions share one status bit");
  }
  return {};
}

Status check_badgeclasses(const Store::Impl& impl, Txn& txn, Findings& findings) {
  std::uint64_t count = 0;
  Cursor cursor(txn, impl.badgeclasses);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open badge classes");
  std::string_view key, value;
  int rc = cursor.move(kv::Move::kFirst, &key, &value);
  while (rc == 0) {
    ++count;
    auto json = Json::parse(value);
    auto issuer = json.ok() ? id_from_text(json->get_string("issuer")) : std::nullopt;
    if (!issuer) {
      findings.add("badge class " + id_text(key) + " is unreadable or names no issuer");
    } else {
      if (txn.get(impl.issuers, raw_bytes(*issuer), nullptr) != 0) {
        findings.add("badge class " + id_text(key) + " names an issuer that does not exist");
      }
      std::string entry(raw_bytes(*issuer));
      entry.append(key);
      if (txn.get(impl.issuer_badgeclasses, entry, nullptr) != 0) {
        findings.add("badge class " + id_text(key) + " is missing from its issuer's list");
      }
    }
    rc = cursor.move(kv::Move::kNext, &key, &value);
  }
  if (rc != kv::kNotFound) return storage_error(rc, "read badge classes");
  std::uint64_t entries = 0;
  if (int got = txn.count(impl.issuer_badgeclasses, &entries, nullptr); got != 0) {
    return storage_error(got, "stat issuer badge classes");
  }
  if (entries != count) {
    findings.add("the issuers' badge class lists hold " + std::to_string(entries) +
                 " entries for " + std::to_string(count) + " badge classes");
  }
  return {};
}

}  // namespace

Result<StoreStats> Store::stats() const {
  auto names = impl_->env->table_names();
  if (!names.ok()) return names.error();
  std::vector<std::pair<std::string, kv::Table>> tables;
  for (const std::string& name : names.value()) {
    auto dbi = impl_->env->db(name);
    if (!dbi.ok()) return dbi.error();
    tables.emplace_back(name, dbi.value());
  }
  auto stats = impl_->env->read([&](Txn& txn) -> Result<StoreStats> {
    StoreStats stats;
    for (const auto& [name, dbi] : tables) {
      kv::TableFigures figures;
      if (int rc = txn.figures(dbi, &figures); rc != 0) return storage_error(rc, "stat " + name);
      stats.tables.push_back(table_stats(name, figures));
      if (dbi == impl_->issuers) stats.issuers = figures.entries;
      if (dbi == impl_->badgeclasses) stats.badgeclasses = figures.entries;
      if (dbi == impl_->assertions) stats.assertions = figures.entries;
      if (dbi == impl_->revocations) stats.revoked = figures.entries;
    }
    return stats;
  });
  if (!stats.ok()) return stats;
  auto backend = impl_->env->stats();
  if (!backend.ok()) return backend.error();
  stats->backend = backend->backend;
  stats->page_size = backend->page_size;
  stats->map_bytes = backend->map_bytes;
  stats->file_bytes = backend->file_bytes;
  stats->free_pages = backend->free_pages;
  stats->readers = backend->readers;
  stats->max_readers = backend->max_readers;
  if (stats->assertions > 0) {
    stats->bytes_per_assertion = double(stats->file_bytes) / double(stats->assertions);
    stats->live_bytes_per_assertion =
        double(stats->file_bytes - stats->free_pages * stats->page_size) /
        double(stats->assertions);
  }
  return stats;
}

Status Store::backup(const std::string& destination) const {
  if (destination.empty()) return invalid("destination", "give a directory for the backup");
  std::error_code error;
  std::filesystem::create_directories(destination, error);
  if (error) {
    return Error{ErrorCode::Storage, "destination",
                 "cannot create " + destination + ": " + error.message()};
  }
  if (std::filesystem::exists(std::filesystem::path(destination) / "data.mdb")) {
    return invalid("destination", destination + " already holds a store");
  }
  // A consistent, compacted copy in LMDB's format, whatever the backend.
  return impl_->env->backup(destination);
}

Result<CheckReport> Store::check() const {
  auto status_tables = detail::status_tables(*impl_);  // outside the read transaction
  if (!status_tables.ok()) return status_tables.error();
  return impl_->env->read([&](Txn& txn) -> Result<CheckReport> {
    CheckReport report;
    Findings findings(report);
    LAUREL_TRY(check_assertions(*impl_, txn, report, findings));
    LAUREL_TRY(check_recipient_index(*impl_, txn, findings));
    LAUREL_TRY(check_revocations(*impl_, txn, findings));
    LAUREL_TRY(check_status(*impl_, txn, status_tables.value(), report.assertions, findings));
    LAUREL_TRY(check_badgeclasses(*impl_, txn, findings));
    return report;
  });
}

}  // namespace laurel

// ---- test-only corruption (store_testing.hpp) --------------------------------------------------

namespace laurel::test_hooks {

Status remove_index_entry(Store& store, std::string_view index, std::string_view assertion_id) {
  Store::Impl& impl = store.impl();
  auto id = parse_id(assertion_id, "assertion_id", "assertion");
  if (!id.ok()) return id.error();
  kv::Table dbi = index == "badgeclass" ? impl.badgeclass_assertions
                : index == "issuer"   ? impl.issuer_assertions
                : index == "recipient" ? impl.recipients.entries
                : index == "recipient-legacy" ? impl.recipients.legacy
                                       : kv::Table(0);
  if (dbi == 0) return invalid("index", "one of badgeclass, issuer, recipient, recipient-legacy");
  const std::string_view raw = detail::raw_bytes(id.value());
  return impl.env->write([&](kv::Txn& txn) -> Status {
    kv::Cursor cursor(txn, dbi);
    if (cursor.open_rc() != 0) return kv::storage_error(cursor.open_rc(), "open index");
    std::string_view key;
    int rc = cursor.move(kv::Move::kFirst, &key, nullptr);
    while (rc == 0 && !key.ends_with(raw)) rc = cursor.move(kv::Move::kNext, &key, nullptr);
    if (rc == kv::kNotFound) return not_found("assertion_id", "no such index entry");
    if (rc != 0) return kv::storage_error(rc, "read index");
    if ((rc = cursor.del()) != 0) return kv::storage_error(rc, "delete index entry");
    return {};
  });
}

Status set_recipient_epoch_entries(Store& store, std::uint64_t epoch_entries) {
  if (epoch_entries == 0) return invalid("epoch_entries", "must be at least 1");
  Store::Impl& impl = store.impl();
  return impl.env->write([&](kv::Txn& txn) -> Status {
    return detail::set_epoch_entries(impl.recipients, txn, epoch_entries);
  });
}

Status clear_recipient_filter(Store& store, std::string_view assertion_id) {
  Store::Impl& impl = store.impl();
  auto id = parse_id(assertion_id, "assertion_id", "assertion");
  if (!id.ok()) return id.error();
  const std::string_view raw = detail::raw_bytes(id.value());
  return impl.env->write([&](kv::Txn& txn) -> Status {
    auto state = detail::read_epoch_state(impl.recipients, txn);
    if (!state.ok()) return state.error();
    std::string key;
    LAUREL_TRY(detail::scan_recipient_entries(
        impl.recipients, txn, [&](const detail::RecipientEntry& entry) {
          if (entry.epoch >= 0 && entry.assertion_id == raw) {
            const auto probe = detail::filter_probe(entry.recipient_key,
                                                    detail::filter_chunks(state->epoch_entries));
            key = detail::filter_key(std::uint32_t(entry.epoch), probe.chunk);
          }
        }));
    if (key.empty()) return not_found("assertion_id", "no such recipient index entry");
    const std::string zeros(detail::kFilterChunkBytes, '\0');
    if (int rc = txn.put(impl.recipients.filters, key, zeros); rc != 0) {
      return kv::storage_error(rc, "write recipient filter");
    }
    return {};
  });
}

Status to_legacy_recipient_index(Store& store) {
  Store::Impl& impl = store.impl();
  return impl.env->write([&](kv::Txn& txn) -> Status {
    std::vector<std::pair<std::string, std::string>> legacy;
    LAUREL_TRY(detail::scan_recipient_entries(
        impl.recipients, txn, [&](const detail::RecipientEntry& entry) {
          if (entry.epoch < 0 || entry.malformed) return;
          legacy.emplace_back(std::string(entry.recipient_key).append(entry.assertion_id),
                              std::string(entry.badgeclass_id));
        }));
    for (const auto& [key, value] : legacy) {
      if (int rc = txn.put(impl.recipients.legacy, key, value); rc != 0) {
        return kv::storage_error(rc, "write legacy recipient index");
      }
    }
    return detail::drop_epochs(impl.recipients, txn);
  });
}

Status to_full_form_document(Store& store, std::string_view assertion_id) {
  auto assertion = store.get_assertion(assertion_id);
  if (!assertion.ok()) return assertion.error();
  Store::Impl& impl = store.impl();
  const RawId id = id_from_text(assertion_id).value();  // get_assertion parsed it
  const std::string document = to_json(assertion.value()).dump();
  return impl.env->write([&](detail::kv::Txn& txn) -> Status {
    if (int rc = txn.put(impl.assertions, detail::raw_bytes(id), document); rc != 0) {
      return detail::kv::storage_error(rc, "write assertion");
    }
    return {};
  });
}

}  // namespace laurel::test_hooks
