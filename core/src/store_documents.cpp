// Service documents: (kind, key) -> canonical JSON in the "documents" table of the store. The
// table's key is kind + '\0' + key, so one kind is one contiguous key range.
#include <string>

#include "detail/store_impl.hpp"
#include "laurel/store.hpp"

namespace laurel {
namespace {

constexpr std::size_t kKindMax = 64;
constexpr std::size_t kKeyMax = 511 - kKindMax - 1;  // LMDB's default maximum key size is 511

Status check_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > kKindMax) return invalid("kind", "must be 1 to 64 characters");
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return invalid("kind", "may contain only a-z, 0-9 and _");
    }
  }
  return {};
}

Result<std::string> document_key(std::string_view kind, std::string_view key) {
  LAUREL_TRY(check_kind(kind));
  if (key.empty() || key.size() > kKeyMax) {
    return invalid("key", "must be 1 to " + std::to_string(kKeyMax) + " bytes");
  }
  std::string full(kind);
  full.push_back('\0');
  full.append(key);
  return full;
}

Result<kv::Table> documents_table(Store::Impl& impl) { return impl.env->db("documents"); }

// Reads the document at `key` inside `txn`: null when absent.
Result<Json> read_document(kv::Txn& txn, kv::Table table, std::string_view key) {
  std::string_view stored;
  int rc = txn.get(table, key, &stored);
  if (rc == kv::kNotFound) return Json();
  if (rc != 0) return kv::storage_error(rc, "read document");
  return Json::parse(stored);
}

}  // namespace

Status Store::put_document(std::string_view kind, std::string_view key, const Json& value) {
  auto full = document_key(kind, key);
  if (!full.ok()) return full.error();
  if (!value.is_object()) return invalid("value", "a document must be a JSON object");
  auto table = documents_table(*impl_);
  if (!table.ok()) return table.error();
  std::string text = value.dump();
  return impl_->env->write([&](kv::Txn& txn) -> Status {
    int rc = txn.put(table.value(), full.value(), text);
    if (rc != 0) return kv::storage_error(rc, "write document");
    return {};
  });
}

Result<Json> Store::get_document(std::string_view kind, std::string_view key) const {
  auto full = document_key(kind, key);
  if (!full.ok()) return full.error();
  auto table = documents_table(*impl_);
  if (!table.ok()) return table.error();
  auto found = impl_->env->read([&](kv::Txn& txn) {
    return read_document(txn, table.value(), full.value());
  });
  if (found.ok() && found.value().is_null()) {
    return not_found("key", std::string(kind) + " \"" + std::string(key) + "\" not found");
  }
  return found;
}

Result<bool> Store::delete_document(std::string_view kind, std::string_view key) {
  auto full = document_key(kind, key);
  if (!full.ok()) return full.error();
  auto table = documents_table(*impl_);
  if (!table.ok()) return table.error();
  return impl_->env->write([&](kv::Txn& txn) -> Result<bool> {
    int rc = txn.del(table.value(), full.value());
    if (rc == kv::kNotFound) return false;
    if (rc != 0) return kv::storage_error(rc, "delete document");
    return true;
  });
}

Result<std::vector<std::pair<std::string, Json>>> Store::list_documents(
    std::string_view kind, std::string_view prefix) const {
  LAUREL_TRY(check_kind(kind));
  auto table = documents_table(*impl_);
  if (!table.ok()) return table.error();
  std::string range(kind);
  range.push_back('\0');
  range.append(prefix);
  const std::size_t kind_bytes = kind.size() + 1;
  using Documents = std::vector<std::pair<std::string, Json>>;
  return impl_->env->read([&](kv::Txn& txn) -> Result<Documents> {
    kv::Cursor cursor(txn, table.value());
    if (cursor.open_rc() != 0) return kv::storage_error(cursor.open_rc(), "open cursor");
    Documents documents;
    std::string_view key, value;
    int rc = cursor.move(kv::Move::kSetRange, &key, &value, range);
    for (; rc == 0 && key.substr(0, range.size()) == range;
         rc = cursor.move(kv::Move::kNext, &key, &value)) {
      auto parsed = Json::parse(value);
      if (!parsed.ok()) return parsed.error();
      documents.emplace_back(std::string(key.substr(kind_bytes)), std::move(parsed).value());
    }
    if (rc != 0 && rc != kv::kNotFound) return kv::storage_error(rc, "list documents");
    return documents;
  });
}

Status Store::replace_document(std::string_view kind, std::string_view key, const Json& expected,
                               const Json& value) {
  auto full = document_key(kind, key);
  if (!full.ok()) return full.error();
  if (!value.is_object() && !value.is_null()) {
    return invalid("value", "a document must be a JSON object (or null to delete)");
  }
  auto table = documents_table(*impl_);
  if (!table.ok()) return table.error();
  std::string text = value.dump();
  return impl_->env->write([&](kv::Txn& txn) -> Status {
    auto current = read_document(txn, table.value(), full.value());
    if (!current.ok()) return current.error();
    if (current.value() != expected) {
      return conflict("key", std::string(kind) + " \"" + std::string(key) + "\" changed meanwhile");
    }
    int rc = value.is_null() ? txn.del(table.value(), full.value())
                             : txn.put(table.value(), full.value(), text);
    if (rc != 0 && rc != kv::kNotFound) return kv::storage_error(rc, "write document");
    return {};
  });
}

}  // namespace laurel
