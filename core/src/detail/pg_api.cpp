#include "detail/pg_api.hpp"

#include <dlfcn.h>

#include <cstring>

namespace laurel::detail::pg {

namespace {

struct Loaded {
  Api api{};
  std::string error;  // empty: loaded
};

template <class Fn>
bool bind(void* library, const char* name, Fn*& slot, std::string& error) {
  void* symbol = dlsym(library, name);
  // memcpy: ISO C++ has no cast from an object pointer to a function pointer (POSIX makes it work).
  std::memcpy(&slot, &symbol, sizeof slot);
  if (slot == nullptr && error.empty()) error = std::string("libpq has no ") + name;
  return slot != nullptr;
}

Loaded load() {
  Loaded loaded;
  void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    loaded.error = "PostgreSQL support needs libpq5 (apt install libpq5): ";
    loaded.error += dlerror();
    return loaded;
  }
  Api& a = loaded.api;
  std::string& e = loaded.error;
  // The library stays loaded for the process's life: connections may live in static pools.
#define LAUREL_PQ(name) bind(library, #name, a.name, e)
  LAUREL_PQ(PQconnectdb);
  LAUREL_PQ(PQfinish);
  LAUREL_PQ(PQstatus);
  LAUREL_PQ(PQtransactionStatus);
  LAUREL_PQ(PQerrorMessage);
  LAUREL_PQ(PQserverVersion);
  LAUREL_PQ(PQexec);
  LAUREL_PQ(PQsendQuery);
  LAUREL_PQ(PQexecParams);
  LAUREL_PQ(PQprepare);
  LAUREL_PQ(PQexecPrepared);
  LAUREL_PQ(PQresultStatus);
  LAUREL_PQ(PQresultErrorMessage);
  LAUREL_PQ(PQresultErrorField);
  LAUREL_PQ(PQntuples);
  LAUREL_PQ(PQgetvalue);
  LAUREL_PQ(PQgetlength);
  LAUREL_PQ(PQgetisnull);
  LAUREL_PQ(PQclear);
  LAUREL_PQ(PQputCopyData);
  LAUREL_PQ(PQputCopyEnd);
  LAUREL_PQ(PQgetResult);
  LAUREL_PQ(PQescapeIdentifier);
  LAUREL_PQ(PQfreemem);
#undef LAUREL_PQ
  if (!e.empty()) e = "PostgreSQL support needs libpq5 (apt install libpq5): " + e;
  return loaded;
}

}  // namespace

const Api* api(std::string* error) {
  static const Loaded loaded = load();
  if (!loaded.error.empty()) {
    if (error != nullptr) *error = loaded.error;
    return nullptr;
  }
  return &loaded.api;
}

}  // namespace laurel::detail::pg
