// Signing keys, signatures and public documents on the store.
//
// Tables (of the store, detail/kv.hpp):
//   keys         key id (16 raw bytes) -> KeyRecord JSON (keyring.hpp): public key in the clear,
//                private key wrapped with AES-256-GCM under the store's KEK
//   issuer_keys  issuer id (16) + key id (16) -> "", so a prefix scan lists an issuer's keys in
//                creation order (ids begin with their creation time, ids.hpp)
//   meta         "keys-kek" -> {"mode": "file"|"passphrase", "check", "kdf", "salt"}: how the KEK
//                is obtained, and an HMAC of a fixed label under it that tells a wrong passphrase
//                or key file apart from a right one without decrypting anything
//
// The KEK itself is never stored: it is read from keys.kek (mode 0600) in the data directory or
// derived from the passphrase with scrypt, once per process and store, and kept in memory with
// the keys it unlocked (a vault per environment and passphrase) so that signing does not pay for
// scrypt, AES-GCM and PKCS#8 parsing on every call.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "detail/hash.hpp"
#include "detail/random.hpp"
#include "detail/status_store.hpp"
#include "detail/store_impl.hpp"
#include "laurel/credential.hpp"
#include "laurel/data_integrity.hpp"
#include "laurel/datetime.hpp"
#include "laurel/documents.hpp"
#include "laurel/jws.hpp"
#include "laurel/keyring.hpp"
#include "laurel/keywrap.hpp"
#include "laurel/ob3_documents.hpp"
#include "laurel/status_list.hpp"
#include "laurel/store.hpp"
#include "laurel/vc_jwt_batch.hpp"

namespace laurel {
namespace {

using detail::raw_bytes;
using kv::Cursor;
using kv::Env;
using kv::storage_error;
using kv::Txn;

constexpr std::size_t kIdBytes = 16;
constexpr char kKekRecordKey[] = "keys-kek";
constexpr char kKeyFileName[] = "keys.kek";
constexpr char kKekCheckLabel[] = "laurel-kek-check:v1";
// The KDF and its cost are recorded with the salt, so a later version that raises the cost can
// still open stores made with this one.
constexpr char kKdfName[] = "scrypt-N32768-r8-p1";
static_assert(kScryptN == 32768 && kScryptR == 8 && kScryptP == 1, "kKdfName names the cost");
// Items per read transaction in sign_batch: long enough to amortise beginning a transaction,
// short enough that a reader never pins old pages for long.
constexpr std::size_t kSignChunk = 256;
constexpr unsigned kDefaultMaxSignThreads = 8;
constexpr unsigned kMaxSignThreads = 64;  // an explicit request beyond this is a mistake


Error permission_denied(std::string message) {
  return Error{ErrorCode::PermissionDenied, "passphrase", std::move(message)};
}
Error crypto_error(std::string field, std::string message) {
  return Error{ErrorCode::Crypto, std::move(field), std::move(message)};
}

Status check_base_url(std::string_view base_url) {
  if (!base_url.starts_with("http://") && !base_url.starts_with("https://")) {
    return invalid("base_url", "must be an http(s) URL, the public address documents live under");
  }
  return {};
}

// ---- tables ----------------------------------------------------------------------------------

struct KeyTables {
  kv::Table keys = 0;
  kv::Table issuer_keys = 0;
};

Result<KeyTables> key_tables(const Store::Impl& impl) {
  KeyTables tables;
  auto keys = impl.env->db("keys");
  if (!keys.ok()) return keys.error();
  auto issuer_keys = impl.env->db("issuer_keys");
  if (!issuer_keys.ok()) return issuer_keys.error();
  tables.keys = keys.value();
  tables.issuer_keys = issuer_keys.value();
  return tables;
}

template <class T>
Result<T> load_entity(Txn& txn, kv::Table dbi, const RawId& id,
                      Result<T> (*from_json)(const Json&), const char* field, const char* what) {
  std::string_view bytes;
  int rc = txn.get(dbi, raw_bytes(id), &bytes);
  if (rc == kv::kNotFound) {
    return not_found(field, std::string("no ") + what + " with id " + quoted(id_to_text(id)));
  }
  if (rc != 0) return storage_error(rc, std::string("read ") + what);
  auto json = Json::parse(bytes);
  if (!json.ok()) {
    return Error{ErrorCode::Internal, field, std::string("stored ") + what + " is corrupt"};
  }
  auto entity = from_json(json.value());
  if (!entity.ok()) {
    return Error{ErrorCode::Internal, field,
                 std::string("stored ") + what + " is invalid: " + entity.error().message};
  }
  return entity;
}

/// The assertion with its revocation record merged in (store.cpp keeps revocations apart), into
/// `out` (whose memory a batch reuses). `check`: as decode_stored_assertion's.
Status load_assertion(const Store::Impl& impl, Txn& txn, const RawId& id, Assertion& out,
                      bool check) {
  std::string_view bytes;
  int found = txn.get(impl.assertions, raw_bytes(id), &bytes);
  if (found == kv::kNotFound) {
    return not_found("id", "no assertion with id " + quoted(id_to_text(id)));
  }
  if (found != 0) return storage_error(found, "read assertion");
  LAUREL_TRY(decode_stored_assertion(bytes, id, "id", check, out));
  std::string_view record;
  int rc = txn.get(impl.revocations, raw_bytes(id), &record);
  if (rc == kv::kNotFound) return {};
  if (rc != 0) return storage_error(rc, "read revocation");
  auto json = Json::parse(record);
  if (!json.ok()) return Error{ErrorCode::Internal, "id", "stored revocation is corrupt"};
  out.revoked = true;
  out.revocation_reason = json->get_string("revocationReason");
  return {};
}

Result<Assertion> load_assertion(const Store::Impl& impl, Txn& txn, const RawId& id) {
  Assertion assertion;
  LAUREL_TRY(load_assertion(impl, txn, id, assertion, true));
  return assertion;
}

Status issuer_exists(const Store::Impl& impl, Txn& txn, const RawId& issuer) {
  int rc = txn.get(impl.issuers, raw_bytes(issuer), nullptr);
  if (rc == kv::kNotFound) {
    return not_found("issuer_id", "no issuer with id " + quoted(id_to_text(issuer)));
  }
  if (rc != 0) return storage_error(rc, "read issuer");
  return {};
}

/// The issuer's key records, oldest first.
Result<std::vector<KeyRecord>> load_key_records(Txn& txn, const KeyTables& tables,
                                                const RawId& issuer) {
  std::vector<KeyRecord> records;
  Cursor cursor(txn, tables.issuer_keys);
  if (cursor.open_rc() != 0) return storage_error(cursor.open_rc(), "open cursor");
  const std::string_view prefix = raw_bytes(issuer);
  std::string_view key;
  int rc = cursor.move(kv::Move::kSetRange, &key, nullptr, prefix);
  for (; rc == 0 && key.starts_with(prefix); rc = cursor.move(kv::Move::kNext, &key, nullptr)) {
    std::string_view stored;
    int got = txn.get(tables.keys, key.substr(kIdBytes), &stored);
    if (got == kv::kNotFound) {
      return Error{ErrorCode::Storage, "", "read key: the issuer's key list names a missing key"};
    }
    if (got != 0) return storage_error(got, "read key");
    auto json = Json::parse(stored);
    if (!json.ok()) return Error{ErrorCode::Internal, "key", "stored key record is corrupt"};
    auto record = key_record_from_json(json.value());
    if (!record.ok()) return Error{ErrorCode::Internal, "key", "stored key record is invalid"};
    records.push_back(std::move(record).value());
  }
  if (rc != 0 && rc != kv::kNotFound) return storage_error(rc, "list keys");
  // Same-millisecond ids keep their (random) order; the creation time decides between seconds.
  std::stable_sort(records.begin(), records.end(), [](const KeyRecord& a, const KeyRecord& b) {
    return a.created_at < b.created_at;
  });
  return records;
}

Status put_key_record(Txn& txn, const KeyTables& tables, const RawId& issuer,
                      const KeyRecord& record) {
  auto key_id = id_from_text(record.key_id);
  if (!key_id) return Error{ErrorCode::Internal, "key", "a new key has a malformed id"};
  int rc = txn.put(tables.keys, raw_bytes(*key_id), to_json(record).dump());
  if (rc != 0) return storage_error(rc, "write key");
  std::string index(raw_bytes(issuer));
  index.append(raw_bytes(*key_id));
  rc = txn.put(tables.issuer_keys, index, "");
  if (rc != 0) return storage_error(rc, "write key index");
  return {};
}

// ---- the key-encryption key --------------------------------------------------------------------

/// What one process holds for one environment and passphrase: the KEK and the keys it unlocked.
struct Vault {
  std::weak_ptr<Env> env;
  std::string passphrase_digest;  // SHA-256 of the passphrase ("" hashed for key-file mode)
  std::string kek;
  std::map<std::string, KeyPair, std::less<>> unlocked;  // key id -> key pair

  Vault() = default;
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;
  ~Vault() {
    volatile char* secret = kek.data();
    for (std::size_t i = 0; i < kek.size(); ++i) secret[i] = 0;
  }
};

std::mutex vaults_mutex;
std::vector<std::shared_ptr<Vault>>& vaults() {
  static auto* all = new std::vector<std::shared_ptr<Vault>>();  // never destroyed: see errors.cpp
  return *all;
}

std::string passphrase_digest(const std::string& passphrase) {
  return detail::sha256("laurel-vault:", passphrase);
}

/// The vault for `impl`, or nullptr. Drops vaults of closed environments on the way.
std::shared_ptr<Vault> find_vault(const Store::Impl& impl, const std::string& digest) {
  std::lock_guard lock(vaults_mutex);
  auto& all = vaults();
  std::erase_if(all, [](const std::shared_ptr<Vault>& vault) { return vault->env.expired(); });
  for (const auto& vault : all) {
    if (vault->env.lock() == impl.env && vault->passphrase_digest == digest) return vault;
  }
  return nullptr;
}

std::string kek_check(std::string_view kek) {
  return detail::hmac_sha256(kek, kKekCheckLabel);
}

std::string key_file_path(const Store::Impl& impl) {
  if (!impl.options.key_file.empty()) return impl.options.key_file;
  return impl.path + "/" + kKeyFileName;
}

/// The directory holding the key file (for its temporary sibling and the directory fsync).
std::string key_file_directory(const Store::Impl& impl) {
  const std::string path = key_file_path(impl);
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// A PostgreSQL store has no data directory for keys.kek: its KEK comes from a passphrase or
/// from a key file named explicitly (one file shared by every node).
Status key_file_allowed(const Store::Impl& impl) {
  if (!detail::kv::is_database_url(impl.path) || !impl.options.key_file.empty()) return {};
  return permission_denied(
      "a PostgreSQL store has no data directory for its key file: open it with a passphrase "
      "(Python: Store(url, passphrase=...), or $LAUREL_PASSPHRASE) or with a key file "
      "(StoreOptions::key_file), the same on every node");
}

/// Reads keys.kek: a regular file of exactly kKekBytes that only its owner can read.
/// NotFound (as a value, not an error) when it does not exist.
Result<std::optional<std::string>> read_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return Error{ErrorCode::Storage, "key_file",
                 "cannot open " + path + ": " + std::strerror(errno)};
  }
  struct stat info {};
  std::string kek(kKekBytes, '\0');
  Status status;
  if (::fstat(fd, &info) != 0) {
    status = Error{ErrorCode::Storage, "key_file", "cannot stat " + path};
  } else if (!S_ISREG(info.st_mode) || std::size_t(info.st_size) != kKekBytes) {
    status = crypto_error("key_file", path + " is not a Laurel key file (32 bytes)");
  } else if ((info.st_mode & 077) != 0) {
    // As ssh does with private keys: a KEK others can read protects nothing.
    status = permission_denied(path + " is accessible by other users; run chmod 600 on it");
  } else {
    std::size_t done = 0;
    while (done < kKekBytes) {
      ssize_t got = ::read(fd, kek.data() + done, kKekBytes - done);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      done += std::size_t(got);
    }
    if (done != kKekBytes) status = Error{ErrorCode::Storage, "key_file", "cannot read " + path};
  }
  ::close(fd);
  if (!status.ok()) return status.error();
  return std::optional<std::string>(std::move(kek));
}

Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t wrote = ::write(fd, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return Error{ErrorCode::Storage, "key_file", std::strerror(errno)};
    bytes.remove_prefix(std::size_t(wrote));
  }
  return {};
}

/// The KEK in keys.kek, creating the file if there is none. Creation writes a temporary file and
/// links it into place, so the key file appears whole or not at all and, when two processes race,
/// exactly one file wins and both use it.
Result<std::string> load_or_create_key_file(const Store::Impl& impl) {
  const std::string path = key_file_path(impl);
  auto existing = read_key_file(path);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) return std::move(existing.value().value());

  std::string kek = new_kek();
  std::string suffix(8, '\0');
  detail::random_bytes(reinterpret_cast<std::uint8_t*>(suffix.data()), suffix.size());
  const std::string temporary = key_file_directory(impl) + "/.keys.kek." + hex_encode(suffix);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Error{ErrorCode::Storage, "key_file",
                 "cannot create " + temporary + ": " + std::strerror(errno)};
  }
  Status written = write_all(fd, kek);
  if (written.ok() && (::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0)) {
    written = Error{ErrorCode::Storage, "key_file", "cannot write " + temporary};
  }
  ::close(fd);
  if (!written.ok()) {
    ::unlink(temporary.c_str());
    return written.error();
  }
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return Error{ErrorCode::Storage, "key_file",
                 "cannot create " + path + ": " + std::strerror(link_errno)};
  }
  // The new directory entry must survive a crash as surely as the keys it protects.
  if (int dir = ::open(key_file_directory(impl).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  if (linked != 0) {  // another process made it first: use theirs
    auto theirs = read_key_file(path);
    if (!theirs.ok()) return theirs.error();
    if (!theirs->has_value()) return Error{ErrorCode::Storage, "key_file", path + " vanished"};
    return std::move(theirs.value().value());
  }
  return kek;
}

/// The stored "keys-kek" record, or null.
Result<Json> read_kek_record(const Store::Impl& impl) {
  return impl.env->read([&](Txn& txn) -> Result<Json> {
    std::string_view stored;
    int rc = txn.get(impl.meta, kKekRecordKey, &stored);
    if (rc == kv::kNotFound) return Json();
    if (rc != 0) return storage_error(rc, "read key settings");
    auto json = Json::parse(stored);
    if (!json.ok() || !json->is_object()) {
      return Error{ErrorCode::Internal, "passphrase", "stored key settings are corrupt"};
    }
    return json;
  });
}

/// Writes `record` unless another process wrote one first; returns the record in force.
Result<Json> write_kek_record(Store::Impl& impl, const Json& record) {
  const std::string text = record.dump();
  return impl.env->write([&](Txn& txn) -> Result<Json> {
    std::string_view stored;
    int rc = txn.get(impl.meta, kKekRecordKey, &stored);
    if (rc == 0) {
      txn.rollback_on_return();
      auto json = Json::parse(stored);
      if (!json.ok()) {
        return Error{ErrorCode::Internal, "passphrase", "stored key settings are corrupt"};
      }
      return json;
    }
    if (rc != kv::kNotFound) return storage_error(rc, "read key settings");
    rc = txn.put(impl.meta, kKekRecordKey, text, kv::kNoOverwrite);
    if (rc != 0) return storage_error(rc, "write key settings");
    return record;
  });
}

/// The KEK the record says to use, checked against the record.
Result<std::string> kek_from_record(const Store::Impl& impl, const Json& record) {
  const std::string& mode = record.get_string("mode");
  auto check = base64_decode(record.get_string("check"));
  if (!check || check->size() != detail::kSha256Bytes) {
    return Error{ErrorCode::Internal, "passphrase", "stored key settings are corrupt"};
  }
  const std::string& passphrase = impl.options.passphrase;
  if (mode == "passphrase") {
    if (passphrase.empty()) {
      return permission_denied(
          "this store's signing keys are protected by a passphrase; open the store with one "
          "(Python: Store(path, passphrase=...), or set $LAUREL_PASSPHRASE)");
    }
    if (record.get_string("kdf") != kKdfName) {
      return crypto_error("passphrase", "unknown key derivation " + record.get_string("kdf"));
    }
    auto salt = base64_decode(record.get_string("salt"));
    if (!salt) return Error{ErrorCode::Internal, "passphrase", "stored KDF salt is corrupt"};
    auto kek = derive_kek(passphrase, *salt);
    if (!kek.ok()) return kek.error();
    if (!detail::constant_time_equal(kek_check(kek.value()), *check)) {
      return permission_denied("wrong passphrase: it does not unlock this store's signing keys");
    }
    return kek;
  }
  if (mode == "file") {
    if (!passphrase.empty()) {
      return permission_denied(
          "this store's signing keys are protected by its key file " + key_file_path(impl) +
          ", not by a passphrase; open it without one (unset $LAUREL_PASSPHRASE)");
    }
    LAUREL_TRY(key_file_allowed(impl));
    auto kek = read_key_file(key_file_path(impl));
    if (!kek.ok()) return kek.error();
    if (!kek->has_value()) {
      return crypto_error("key_file", "the key file " + key_file_path(impl) +
                                          " is missing, so the signing keys cannot be unlocked");
    }
    if (!detail::constant_time_equal(kek_check(kek.value().value()), *check)) {
      return crypto_error("key_file", "the key file " + key_file_path(impl) +
                                          " is not the one this store's keys were encrypted with");
    }
    return std::move(kek.value().value());
  }
  return Error{ErrorCode::Internal, "passphrase", "unknown key protection mode " + quoted(mode)};
}

/// The vault of this store and passphrase: found, or made by obtaining the KEK (and, on a
/// store's first key operation, by choosing the key file or the passphrase for good).
Result<std::shared_ptr<Vault>> open_vault(Store::Impl& impl) {
  const std::string digest = passphrase_digest(impl.options.passphrase);
  if (auto vault = find_vault(impl, digest)) return vault;

  // Slow work (scrypt, file I/O) happens outside the vaults lock.
  auto record = read_kek_record(impl);
  if (!record.ok()) return record.error();
  if (record->is_null()) {
    Json fresh = Json::object();
    std::string kek;
    if (!impl.options.passphrase.empty()) {
      std::string salt = new_kdf_salt();
      auto derived = derive_kek(impl.options.passphrase, salt);
      if (!derived.ok()) return derived.error();
      kek = std::move(derived).value();
      fresh = Json::object({{"mode", "passphrase"},
                            {"kdf", kKdfName},
                            {"salt", base64_encode(salt)},
                            {"check", base64_encode(kek_check(kek))}});
    } else {
      LAUREL_TRY(key_file_allowed(impl));
      auto loaded = load_or_create_key_file(impl);
      if (!loaded.ok()) return loaded.error();
      kek = std::move(loaded).value();
      fresh = Json::object({{"mode", "file"}, {"check", base64_encode(kek_check(kek))}});
    }
    record = write_kek_record(impl, fresh);
    if (!record.ok()) return record.error();
  }
  auto kek = kek_from_record(impl, record.value());
  if (!kek.ok()) return kek.error();

  std::lock_guard lock(vaults_mutex);
  for (const auto& vault : vaults()) {
    if (vault->env.lock() == impl.env && vault->passphrase_digest == digest) return vault;
  }
  auto vault = std::make_shared<Vault>();
  vault->env = impl.env;
  vault->passphrase_digest = digest;
  vault->kek = std::move(kek).value();
  vaults().push_back(vault);
  return vault;
}

/// The key pair of `record`, unwrapped once per process and kept in the vault.
Result<KeyPair> unlock(Vault& vault, const KeyRecord& record) {
  {
    std::lock_guard lock(vaults_mutex);
    if (auto it = vault.unlocked.find(record.key_id); it != vault.unlocked.end()) {
      return it->second;
    }
  }
  auto pair = unlock_key(record, vault.kek);
  if (!pair.ok()) return pair.error();
  std::lock_guard lock(vaults_mutex);
  vault.unlocked.emplace(record.key_id, pair.value());
  return pair;
}

// ---- keys ------------------------------------------------------------------------------------

struct SigningKey {
  std::string key_id;
  KeyPair pair;
};

/// A fresh record for `issuer` made outside any transaction (RSA generation takes a while and
/// must not hold the writer lock).
Result<KeyRecord> fresh_record(const Vault& vault, std::string_view issuer_id,
                               KeyAlgorithm algorithm) {
  return new_key_record(vault.kek, issuer_id, algorithm, format_datetime(now_seconds()));
}

/// Adds `fresh` as the issuer's key of its algorithm in use. With `retire`, the key in use (if
/// any) is retired; without, an existing key in use wins: Conflict when `conflict_if_present`,
/// else that key is returned instead (two first signatures racing create one key).
Result<KeyRecord> install_key(Store::Impl& impl, const KeyTables& tables, const RawId& issuer,
                              const KeyRecord& fresh, bool retire, bool conflict_if_present) {
  return impl.env->write([&](Txn& txn) -> Result<KeyRecord> {
    LAUREL_TRY(issuer_exists(impl, txn, issuer));
    auto records = load_key_records(txn, tables, issuer);
    if (!records.ok()) return records.error();
    if (const KeyRecord* current = active_key(records.value(), fresh.algorithm)) {
      if (!retire) {
        if (conflict_if_present) {
          return conflict("alg", std::string("the issuer already has an ") +
                                     algorithm_name(fresh.algorithm) + " key in use (" +
                                     current->key_id + "); rotate_key replaces it");
        }
        txn.rollback_on_return();
        return *current;
      }
      for (KeyRecord& record : records.value()) {
        if (record.algorithm != fresh.algorithm || !record.retired_at.empty()) continue;
        record.retired_at = fresh.created_at;
        LAUREL_TRY(put_key_record(txn, tables, issuer, record));
      }
    }
    LAUREL_TRY(put_key_record(txn, tables, issuer, fresh));
    return fresh;
  });
}

/// The issuer's key of `algorithm` in use, created when it has none.
Result<SigningKey> signing_key(Store::Impl& impl, const KeyTables& tables, Vault& vault,
                               const RawId& issuer, KeyAlgorithm algorithm) {
  auto current = impl.env->read([&](Txn& txn) -> Result<std::optional<KeyRecord>> {
    LAUREL_TRY(issuer_exists(impl, txn, issuer));
    auto records = load_key_records(txn, tables, issuer);
    if (!records.ok()) return records.error();
    const KeyRecord* active = active_key(records.value(), algorithm);
    return active ? std::optional<KeyRecord>(*active) : std::nullopt;
  });
  if (!current.ok()) return current.error();
  KeyRecord record;
  if (current->has_value()) {
    record = std::move(current.value().value());
  } else {
    auto fresh = fresh_record(vault, id_to_text(issuer), algorithm);
    if (!fresh.ok()) return fresh.error();
    auto installed = install_key(impl, tables, issuer, fresh.value(), false, false);
    if (!installed.ok()) return installed.error();
    record = std::move(installed).value();
  }
  auto pair = unlock(vault, record);
  if (!pair.ok()) return pair.error();
  return SigningKey{record.key_id, std::move(pair).value()};
}

/// The issuer of a stored, unrevoked assertion: what pass 1 of sign_batch needs, read without
/// building the model (pass 3 loads and checks the whole assertion).
Result<RawId> stored_issuer(const Store::Impl& impl, Txn& txn, const RawId& id) {
  std::string_view bytes;
  int rc = txn.get(impl.assertions, raw_bytes(id), &bytes);
  if (rc == kv::kNotFound) return not_found("id", "no assertion with id " + quoted(id_to_text(id)));
  if (rc != 0) return storage_error(rc, "read assertion");
  rc = txn.get(impl.revocations, raw_bytes(id), nullptr);
  if (rc == 0) {
    return conflict("id", "assertion " + id_to_text(id) +
                              " is revoked; a revoked badge is not signed");
  }
  if (rc != kv::kNotFound) return storage_error(rc, "read revocation");
  auto issuer_text = json_string_member(bytes, "issuer");
  auto issuer = issuer_text ? id_from_text(*issuer_text) : std::nullopt;
  if (!issuer) return Error{ErrorCode::Internal, "id", "stored assertion has a bad issuer id"};
  return *issuer;
}

Status signable(const Assertion& assertion) {
  if (assertion.revoked) {
    return conflict("id", "assertion " + assertion.entity_id +
                              " is revoked; a revoked badge is not signed");
  }
  return {};
}

// ---- batch signing ---------------------------------------------------------------------------

/// Runs fn(begin, end) over [0, total) in chunks of kSignChunk on `threads` threads (the calling
/// thread is one of them). Falls back to fewer threads when none can be started.
template <class Fn>
void parallel_chunks(std::size_t total, unsigned threads, Fn&& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      std::size_t begin = next.fetch_add(kSignChunk);
      if (begin >= total) return;
      fn(begin, std::min(begin + kSignChunk, total));
    }
  };
  std::vector<std::thread> helpers;
  const std::size_t chunks = (total + kSignChunk - 1) / kSignChunk;
  const std::size_t wanted = std::min<std::size_t>(threads, chunks);
  try {
    for (std::size_t i = 1; i < wanted; ++i) helpers.emplace_back(work);
  } catch (const std::system_error&) {
    // No thread to spare: the calling thread does the rest.
  }
  work();
  for (auto& helper : helpers) helper.join();
}

unsigned sign_threads(unsigned threads) {
  if (threads == 0) {
    threads = std::clamp(std::thread::hardware_concurrency(), 1u, kDefaultMaxSignThreads);
  }
  return std::min(threads, kMaxSignThreads);
}

/// Pass 1 of a batch: each assertion's issuer; ids that do not resolve fail their own item.
std::vector<RawId> assertion_issuers(const Store::Impl& impl,
                                     const std::vector<std::string>& assertion_ids,
                                     unsigned threads, std::vector<Result<std::string>>& results) {
  std::vector<RawId> issuers(assertion_ids.size());
  parallel_chunks(assertion_ids.size(), threads, [&](std::size_t begin, std::size_t end) {
    Status read = impl.env->read([&](Txn& txn) -> Status {
      for (std::size_t i = begin; i < end; ++i) {
        auto id = parse_id(assertion_ids[i], "id", "assertion");
        if (!id.ok()) {
          results[i] = id.error();
          continue;
        }
        auto issuer = stored_issuer(impl, txn, id.value());
        if (!issuer.ok()) {
          results[i] = issuer.error();
          continue;
        }
        issuers[i] = issuer.value();
      }
      return {};
    });
    if (!read.ok()) {
      for (std::size_t i = begin; i < end; ++i) results[i] = read.error();
    }
  });
  return issuers;
}

/// Pass 2 of a batch: the key of each of `needed` that `keys` lacks, added to it; on the calling
/// thread (it may create keys). `vault` is opened on first need and kept for later calls.
Status add_issuer_keys(Store::Impl& impl, const KeyTables& tables,
                       const std::vector<RawId>& needed, KeyAlgorithm algorithm,
                       std::shared_ptr<Vault>& vault, std::map<RawId, SigningKey>& keys) {
  for (const RawId& issuer : needed) {
    if (keys.count(issuer) != 0) continue;
    if (!vault) {
      auto opened = open_vault(impl);
      if (!opened.ok()) return opened.error();
      vault = std::move(opened).value();
    }
    auto key = signing_key(impl, tables, *vault, issuer, algorithm);
    if (!key.ok()) return key.error();
    keys.emplace(issuer, std::move(key).value());
  }
  return {};
}

/// The keys of the issuers of the items that have not failed.
Result<std::map<RawId, SigningKey>> issuer_keys(Store::Impl& impl, const KeyTables& tables,
                                                const std::vector<RawId>& issuers,
                                                KeyAlgorithm algorithm,
                                                const std::vector<Result<std::string>>& results) {
  std::vector<RawId> needed;
  for (std::size_t i = 0; i < issuers.size(); ++i) {
    if (results[i].ok()) needed.push_back(issuers[i]);
  }
  std::map<RawId, SigningKey> keys;
  std::shared_ptr<Vault> vault;
  LAUREL_TRY(add_issuer_keys(impl, tables, needed, algorithm, vault, keys));
  return keys;
}

/// The issuer of the first of `assertion_ids` that names a signable stored assertion (looking at
/// no more than a chunk of them), or nullopt: Store::credentials' first guess at which keys its
/// batch needs. Errors are left to the items, which meet them again.
std::optional<RawId> first_issuer(const Store::Impl& impl,
                                  const std::vector<std::string>& assertion_ids) {
  auto found = impl.env->read([&](Txn& txn) -> Result<std::optional<RawId>> {
    for (std::size_t i = 0; i < std::min(assertion_ids.size(), kSignChunk); ++i) {
      auto id = id_from_text(assertion_ids[i]);
      if (!id) continue;
      auto issuer = stored_issuer(impl, txn, *id);
      if (issuer.ok()) return std::optional<RawId>(issuer.value());
    }
    return std::optional<RawId>();
  });
  return found.ok() ? found.value() : std::nullopt;
}

}  // namespace

// ---- public API ------------------------------------------------------------------------------

Status Store::unlock_keys() {
  auto vault = open_vault(*impl_);
  if (!vault.ok()) return vault.error();
  return {};
}

Result<Json> Store::create_key(std::string_view issuer_id, KeyAlgorithm algorithm) {
  auto issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!issuer.ok()) return issuer.error();
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  // Fail fast on an unknown issuer, before paying for the KEK and a new RSA key.
  LAUREL_TRY(
      impl_->env->read([&](Txn& txn) { return issuer_exists(*impl_, txn, issuer.value()); }));
  auto vault = open_vault(*impl_);
  if (!vault.ok()) return vault.error();
  auto fresh = fresh_record(*vault.value(), id_to_text(issuer.value()), algorithm);
  if (!fresh.ok()) return fresh.error();
  auto installed = install_key(*impl_, tables.value(), issuer.value(), fresh.value(), false, true);
  if (!installed.ok()) return installed.error();
  return public_key_info(installed.value());
}

Result<std::vector<Json>> Store::list_keys(std::string_view issuer_id) const {
  auto issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!issuer.ok()) return issuer.error();
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  return impl_->env->read([&](Txn& txn) -> Result<std::vector<Json>> {
    LAUREL_TRY(issuer_exists(*impl_, txn, issuer.value()));
    auto records = load_key_records(txn, tables.value(), issuer.value());
    if (!records.ok()) return records.error();
    std::vector<Json> keys;
    for (const KeyRecord& record : records.value()) keys.push_back(public_key_info(record));
    return keys;
  });
}

Result<Json> Store::rotate_key(std::string_view issuer_id, KeyAlgorithm algorithm) {
  auto issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!issuer.ok()) return issuer.error();
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  LAUREL_TRY(
      impl_->env->read([&](Txn& txn) { return issuer_exists(*impl_, txn, issuer.value()); }));
  auto vault = open_vault(*impl_);
  if (!vault.ok()) return vault.error();
  auto fresh = fresh_record(*vault.value(), id_to_text(issuer.value()), algorithm);
  if (!fresh.ok()) return fresh.error();
  auto installed = install_key(*impl_, tables.value(), issuer.value(), fresh.value(), true, false);
  if (!installed.ok()) return installed.error();
  return public_key_info(installed.value());
}

Result<std::string> Store::sign(std::string_view assertion_id, std::string_view base_url,
                                KeyAlgorithm algorithm) {
  auto signed_items = sign_batch({std::string(assertion_id)}, base_url, algorithm, 1);
  if (!signed_items.ok()) return signed_items.error();
  return std::move(signed_items.value().front());
}

Result<std::vector<Result<std::string>>> Store::sign_batch(
    const std::vector<std::string>& assertion_ids, std::string_view base_url,
    KeyAlgorithm algorithm, unsigned threads) {
  LAUREL_TRY(check_base_url(base_url));
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  const std::size_t total = assertion_ids.size();
  threads = sign_threads(threads);
  std::vector<Result<std::string>> results(total, Result<std::string>(std::string()));
  auto issuers = assertion_issuers(*impl_, assertion_ids, threads, results);
  auto keys = issuer_keys(*impl_, tables.value(), issuers, algorithm, results);
  if (!keys.ok()) return keys.error();

  // Pass 3: documents and signatures. The assertion is read again (a revocation in between is
  // seen) rather than held from pass 1, which keeps a large batch's memory to its results.
  parallel_chunks(total, threads, [&](std::size_t begin, std::size_t end) {
    Status read = impl_->env->read([&](Txn& txn) -> Status {
      for (std::size_t i = begin; i < end; ++i) {
        if (!results[i].ok()) continue;
        auto assertion = load_assertion(*impl_, txn, *id_from_text(assertion_ids[i]));
        if (!assertion.ok()) {
          results[i] = assertion.error();
          continue;
        }
        if (Status usable = signable(assertion.value()); !usable.ok()) {
          results[i] = usable.error();
          continue;
        }
        const SigningKey& key = keys->at(issuers[i]);
        Json document = assertion_document(assertion.value(), base_url, key.key_id);
        results[i] = jws_sign(key.pair, document.dump());
      }
      return {};
    });
    if (!read.ok()) {
      for (std::size_t i = begin; i < end; ++i) results[i] = read.error();
    }
  });
  return results;
}

Result<std::string> Store::credential(std::string_view assertion_id, std::string_view base_url,
                                      CredentialFormat format, KeyAlgorithm algorithm) {
  auto made = credentials({std::string(assertion_id)}, base_url, format, algorithm, 1);
  if (!made.ok()) return made.error();
  return std::move(made.value().front());
}

Result<std::vector<Result<std::string>>> Store::credentials(
    const std::vector<std::string>& assertion_ids, std::string_view base_url,
    CredentialFormat format, KeyAlgorithm algorithm, unsigned threads) {
  LAUREL_TRY(check_base_url(base_url));
  if (format == CredentialFormat::DataIntegrity && algorithm != KeyAlgorithm::EdDSA) {
    return invalid("alg", "Data Integrity proofs (eddsa-rdfc-2022) are made with EdDSA keys");
  }
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  auto status_tables = detail::status_tables(*impl_);
  if (!status_tables.ok()) return status_tables.error();
  const std::size_t total = assertion_ids.size();
  threads = sign_threads(threads);
  std::vector<Result<std::string>> results(total, Result<std::string>(std::string()));

  // The keys, one per issuer, are resolved on the calling thread (resolving may create one), and
  // which issuers a batch names is only known from its assertions. Rather than read every
  // assertion twice (once for its issuer, as sign_batch does), the documents are made in rounds:
  // the first knows the key of the first assertion's issuer, and an item naming an issuer
  // without a key yet waits for the next round, after its issuer's key is resolved. A batch of
  // one issuer's assertions (the usual) takes one round and reads each assertion once.
  std::vector<RawId> issuers(total);
  std::map<RawId, SigningKey> keys;
  std::shared_ptr<Vault> vault;
  if (auto first = first_issuer(*impl_, assertion_ids)) {
    LAUREL_TRY(add_issuer_keys(*impl_, tables.value(), {*first}, algorithm, vault, keys));
  }
  std::vector<std::uint8_t> waiting(total, 0);  // by item: its issuer had no key in its round
  std::vector<std::size_t> round;                // the items of a later round
  std::vector<RawId> needed;                     // and their issuers

  // The documents and signatures. Each chunk reads in one transaction. The badge classes and
  // issuers loaded, with their Achievement and Profile nodes and for VC-JWTs a VcJwtBatch per
  // badge class (its claims templates), are kept from chunk to chunk in a pool that lends each
  // chunk a set no other chunk is using: a batch usually holds few of them.
  struct LoadedBadgeClass {
    BadgeClass badgeclass;
    Json achievement;
    std::unique_ptr<VcJwtBatch> vc_jwts;
  };
  struct LoadedIssuer {
    Issuer issuer;
    std::string profile_id;
    Json profile;
  };
  struct Loaded {
    std::map<std::string, LoadedBadgeClass, std::less<>> badgeclasses;
    std::map<RawId, LoadedIssuer> issuers;
    Assertion assertion;  // the item being made, its memory reused from item to item
  };
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Loaded>> pool;
  // Item i of the current round, its issuer's key known (`keys` is only read during a round).
  auto make = [&](Txn& txn, Loaded& lent, std::size_t i) {
    auto& badgeclasses = lent.badgeclasses;
    auto& issuer_entities = lent.issuers;
    auto id = parse_id(assertion_ids[i], "id", "assertion");
    if (!id.ok()) {
      results[i] = id.error();
      return;
    }
    // Unchecked: the store validated each assertion when it wrote it, and checking it again
    // cost a VC-JWT batch a twentieth of its time.
    Assertion& assertion = lent.assertion;
    if (Status read = load_assertion(*impl_, txn, id.value(), assertion, false); !read.ok()) {
      results[i] = read.error();
      return;
    }
    if (Status usable = signable(assertion); !usable.ok()) {
      results[i] = usable.error();
      return;
    }
    auto issuer_id = id_from_text(assertion.issuer);
    if (!issuer_id) {
      results[i] = Error{ErrorCode::Internal, "id", "stored assertion has a bad issuer id"};
      return;
    }
    issuers[i] = *issuer_id;
    auto key_of = keys.find(issuers[i]);
    if (key_of == keys.end()) {
      waiting[i] = 1;
      return;
    }
    const SigningKey& key = key_of->second;
    auto badgeclass = badgeclasses.find(assertion.badgeclass);
    if (badgeclass == badgeclasses.end()) {
      auto badgeclass_id = id_from_text(assertion.badgeclass);
      auto loaded = badgeclass_id ? load_entity<BadgeClass>(txn, impl_->badgeclasses,
                                                            *badgeclass_id, &badgeclass_from_json,
                                                            "badgeclass", "badge class")
                                  : Result<BadgeClass>(not_found("badgeclass", "bad id"));
      if (!loaded.ok()) {
        results[i] = loaded.error();
        return;
      }
      Json achievement = ob3_achievement_node(loaded.value(), base_url);
      badgeclass = badgeclasses
                       .emplace(assertion.badgeclass,
                                LoadedBadgeClass{std::move(loaded).value(),
                                                 std::move(achievement), nullptr})
                       .first;
    }
    auto issuer = issuer_entities.find(issuers[i]);
    if (issuer == issuer_entities.end()) {
      auto loaded = load_entity<Issuer>(txn, impl_->issuers, issuers[i], &issuer_from_json,
                                        "issuer", "issuer");
      if (!loaded.ok()) {
        results[i] = loaded.error();
        return;
      }
      // The Profile's id: its URL, or its DID for a did:web issuer.
      auto profile_id = ob3_issuer_id(loaded.value(), base_url);
      if (!profile_id.ok()) {
        results[i] = profile_id.error();
        return;
      }
      Json profile = ob3_profile_node(loaded.value(), profile_id.value());
      issuer = issuer_entities
                   .emplace(issuers[i],
                            LoadedIssuer{std::move(loaded).value(), std::move(profile_id).value(),
                                         std::move(profile)})
                   .first;
    }
    auto slot = detail::read_status_slot(txn, status_tables.value(), raw_bytes(id.value()));
    if (!slot.ok()) {
      results[i] = slot.error();
      return;
    }
    const LoadedIssuer& by = issuer->second;
    const detail::StatusSlot* found = slot->has_value() ? &slot->value() : nullptr;
    const std::string_view list_id = found ? std::string_view(found->list_id) : "";
    const std::uint64_t index = found ? found->index : 0;
    LoadedBadgeClass& loaded = badgeclass->second;
    if (format == CredentialFormat::VcJwt) {
      if (!loaded.vc_jwts) {
        loaded.vc_jwts =
            std::make_unique<VcJwtBatch>(loaded.badgeclass, by.issuer, base_url, by.profile_id,
                                         key.pair, jwk_method_id(by.profile_id, key.key_id));
      }
      results[i] = loaded.vc_jwts->sign(assertion, list_id, index);
      return;
    }
    CredentialOptions options;
    options.issuer_id = by.profile_id;
    options.profile = &by.profile;
    options.achievement = &loaded.achievement;
    options.status = ob3_credential_status(by.issuer, base_url, list_id, index);
    Json vc = open_badge_credential(assertion, loaded.badgeclass, by.issuer, base_url,
                                    options);
    results[i] = sign_data_integrity(vc, key.pair, multikey_method_id(by.profile_id, key.key_id),
                                     assertion.issued_on);
  };
  // One round over `count` items, the k-th being item_of(k).
  auto run_round = [&](std::size_t count, auto item_of) {
    parallel_chunks(count, threads, [&](std::size_t begin, std::size_t end) {
      std::unique_ptr<Loaded> lent;
      {
        std::lock_guard lock(pool_mutex);
        if (!pool.empty()) {
          lent = std::move(pool.back());
          pool.pop_back();
        }
      }
      if (!lent) lent = std::make_unique<Loaded>();
      Status read = impl_->env->read([&](Txn& txn) -> Status {
        for (std::size_t k = begin; k < end; ++k) {
          if (results[item_of(k)].ok()) make(txn, *lent, item_of(k));
        }
        return {};
      });
      if (!read.ok()) {
        for (std::size_t k = begin; k < end; ++k) results[item_of(k)] = read.error();
      }
      std::lock_guard lock(pool_mutex);
      pool.push_back(std::move(lent));
    });
  };
  run_round(total, [](std::size_t k) { return k; });
  for (;;) {
    round.clear();
    needed.clear();
    for (std::size_t i = 0; i < total; ++i) {
      if (waiting[i] != 0 && results[i].ok()) {
        round.push_back(i);
        needed.push_back(issuers[i]);
      }
      waiting[i] = 0;
    }
    if (round.empty()) break;
    // Every waiting item's issuer gets its key now, so this round leaves none waiting.
    LAUREL_TRY(add_issuer_keys(*impl_, tables.value(), needed, algorithm, vault, keys));
    run_round(round.size(), [&](std::size_t k) { return round[k]; });
  }
  return results;
}

Result<std::string> Store::status_list_credential(std::string_view issuer_id,
                                                  std::string_view list_id,
                                                  std::string_view base_url,
                                                  KeyAlgorithm algorithm,
                                                  CredentialFormat format) {
  LAUREL_TRY(check_base_url(base_url));
  if (format == CredentialFormat::DataIntegrity && algorithm != KeyAlgorithm::EdDSA) {
    return invalid("alg", "Data Integrity proofs (eddsa-rdfc-2022) are made with EdDSA keys");
  }
  auto issuer = get_issuer(issuer_id);
  if (!issuer.ok()) return issuer.error();
  auto profile_id = ob3_issuer_id(issuer.value(), base_url);
  if (!profile_id.ok()) return profile_id.error();
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  auto bits = status_list_bits(issuer_id, list_id);
  if (!bits.ok()) return bits.error();
  auto vault = open_vault(*impl_);
  if (!vault.ok()) return vault.error();
  auto raw_issuer = parse_id(issuer_id, "issuer_id", "issuer");
  if (!raw_issuer.ok()) return raw_issuer.error();
  auto key = signing_key(*impl_, tables.value(), *vault.value(), raw_issuer.value(), algorithm);
  if (!key.ok()) return key.error();
  const std::string now = format_datetime(now_seconds());
  auto list = laurel::status_list_credential(
      profile_id.value(), status_list_url(base_url, issuer_id, list_id), bits.value(), now);
  if (!list.ok()) return list.error();
  if (format == CredentialFormat::DataIntegrity) {
    return sign_data_integrity(list.value(), key->pair,
                               multikey_method_id(profile_id.value(), key->key_id), now);
  }
  return sign_credential(list.value(), key->pair, jwk_method_id(profile_id.value(), key->key_id));
}

Result<Json> Store::public_document(std::string_view kind, std::string_view id,
                                    std::string_view base_url) const {
  static constexpr std::string_view kKinds[] = {
      "issuer",          "badgeclass", "assertion", "key",
      "revocation_list", "ob3_issuer", "ob3_jwks",  "ob3_achievement",
      "ob3_did",         "ob3_revocation_list"};
  if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
    return invalid("kind",
                   "must be issuer, badgeclass, assertion, key, revocation_list, ob3_issuer, "
                   "ob3_jwks, ob3_achievement, ob3_did or ob3_revocation_list, not " +
                       quoted(kind));
  }
  LAUREL_TRY(check_base_url(base_url));
  const char* what = kind == "key"                                           ? "key"
                     : kind == "badgeclass" || kind == "ob3_achievement"    ? "badge class"
                     : kind == "assertion"       ? "assertion"
                                                 : "issuer";
  auto raw = parse_id(id, "id", what);
  if (!raw.ok()) return raw.error();

  if (kind == "revocation_list") {
    auto revoked = revocations(id);
    if (!revoked.ok()) return revoked.error();
    return revocation_list_document(id, revoked.value(), base_url);
  }
  if (kind == "ob3_revocation_list") {
    auto issuer = get_issuer(id);
    if (!issuer.ok()) return issuer.error();
    auto issuer_id = ob3_issuer_id(issuer.value(), base_url);
    if (!issuer_id.ok()) return issuer_id.error();
    auto revoked = revocations(id);
    if (!revoked.ok()) return revoked.error();
    std::vector<RevokedCredential> listed;
    for (const auto& [assertion_id, reason] : revoked.value()) {
      listed.push_back(RevokedCredential{assertion_url(base_url, assertion_id), reason});
    }
    return ob3_revocation_list(ob3_revocation_list_url(base_url, id), issuer_id.value(), listed);
  }
  auto tables = key_tables(*impl_);
  if (!tables.ok()) return tables.error();
  return impl_->env->read([&](Txn& txn) -> Result<Json> {
    if (kind == "issuer") {
      auto issuer = load_entity<Issuer>(txn, impl_->issuers, raw.value(), &issuer_from_json, "id",
                                        "issuer");
      if (!issuer.ok()) return issuer.error();
      auto records = load_key_records(txn, tables.value(), raw.value());
      if (!records.ok()) return records.error();
      std::vector<std::string> key_ids;
      for (const KeyRecord& record : records.value()) key_ids.push_back(record.key_id);
      return issuer_document(issuer.value(), base_url, key_ids);
    }
    if (kind == "ob3_issuer" || kind == "ob3_jwks" || kind == "ob3_did") {
      auto issuer = load_entity<Issuer>(txn, impl_->issuers, raw.value(), &issuer_from_json, "id",
                                        "issuer");
      if (!issuer.ok()) return issuer.error();
      if (kind == "ob3_did" && !issuer->did_web) {
        return not_found("id", "the issuer " + quoted(id) + " is not named by a did:web");
      }
      auto profile_id = ob3_issuer_id(issuer.value(), base_url);
      if (!profile_id.ok()) return profile_id.error();
      auto records = load_key_records(txn, tables.value(), raw.value());
      if (!records.ok()) return records.error();
      std::vector<PublishedKey> keys;
      for (const KeyRecord& record : records.value()) {
        keys.push_back(PublishedKey{record.key_id, record.public_key});
      }
      if (kind == "ob3_jwks") return ob3_jwks(profile_id.value(), keys);
      if (kind == "ob3_did") return ob3_did_document(profile_id.value(), keys);
      return ob3_profile_document(issuer.value(), profile_id.value(), keys);
    }
    if (kind == "ob3_achievement") {
      auto badgeclass = load_entity<BadgeClass>(txn, impl_->badgeclasses, raw.value(),
                                                &badgeclass_from_json, "id", "badge class");
      if (!badgeclass.ok()) return badgeclass.error();
      return ob3_achievement_document(badgeclass.value(), base_url);
    }
    if (kind == "badgeclass") {
      auto badgeclass = load_entity<BadgeClass>(txn, impl_->badgeclasses, raw.value(),
                                                &badgeclass_from_json, "id", "badge class");
      if (!badgeclass.ok()) return badgeclass.error();
      return badgeclass_document(badgeclass.value(), base_url);
    }
    if (kind == "assertion") {
      auto assertion = load_assertion(*impl_, txn, raw.value());
      if (!assertion.ok()) return assertion.error();
      return assertion_document(assertion.value(), base_url);
    }
    // kind == "key"
    std::string_view stored;
    int rc = txn.get(tables->keys, raw_bytes(raw.value()), &stored);
    if (rc == kv::kNotFound) return not_found("id", "no key with id " + quoted(id));
    if (rc != 0) return storage_error(rc, "read key");
    auto json = Json::parse(stored);
    if (!json.ok()) return Error{ErrorCode::Internal, "id", "stored key record is corrupt"};
    auto record = key_record_from_json(json.value());
    if (!record.ok()) return Error{ErrorCode::Internal, "id", "stored key record is invalid"};
    return key_document(record->issuer_id, record->key_id, record->public_key, base_url);
  });
}

}  // namespace laurel
