// laurel._core.Store's C++ side, shared by the files that add methods to it (store.cpp for
// entities, documents.cpp for service documents, ...): each gets the py::class_ from bind_store.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "laurel/store.hpp"

namespace laurel::python {

/// Owns the core Store; close() waits for calls in flight (other threads may be inside the core
/// with the GIL released).
class PyStore {
 public:
  PyStore(const std::string& path, bool keep_plaintext, std::size_t initial_map_bytes,
          const std::string& passphrase = {}, const std::string& key_file = {}) {
    StoreOptions options;
    options.keep_plaintext = keep_plaintext;
    options.passphrase = passphrase;
    options.key_file = key_file;
    if (initial_map_bytes != 0) options.initial_map_bytes = initial_map_bytes;
    Result<Store> opened = [&] {
      py::gil_scoped_release nogil;
      return Store::open(path, options);
    }();
    store_.emplace(take(std::move(opened)));
    path_ = store_->path();
  }

  /// Runs `body(store)` without the GIL, under the shared lock that close() waits for.
  template <class Body>
  auto call(Body&& body) {
    py::gil_scoped_release nogil;
    std::shared_lock lock(mutex_);
    if (!store_) throw py::value_error("operation on a closed laurel.Store");
    return body(*store_);
  }

  void close() {
    py::gil_scoped_release nogil;
    std::unique_lock lock(mutex_);
    store_.reset();
  }

  bool closed() {
    std::shared_lock lock(mutex_);
    return !store_;
  }

  const std::string& path() const { return path_; }

 private:
  std::shared_mutex mutex_;
  std::optional<Store> store_;
  std::string path_;
};

/// Defines _core.Store and returns its class, to which later binders add methods.
py::class_<PyStore> bind_store(py::module_& module);
void bind_documents(py::class_<PyStore>& store_class);
/// stats, backup, check (admin.cpp).
void bind_admin(py::class_<PyStore>& store_class);
/// laurel._core.verify/bake/unbake, and the keys, signatures and public documents of a Store.
void bind_signing(py::module_& module, py::class_<PyStore>& store_class);

}  // namespace laurel::python
