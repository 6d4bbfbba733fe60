// libpq, loaded at run time: the few libpq calls the PostgreSQL backend makes, as a table of
// function pointers filled by dlopen("libpq.so.5") on first use.
//
// Why not link libpq: the manylinux wheel needs only glibc and libstdc++ (scripts/dist.sh checks
// that auditwheel grafts nothing); libpq would pull OpenSSL, Kerberos and LDAP into every wheel
// for a feature most users (LMDB stores) never touch. Loading it on demand keeps the wheel as it
// is and gives a PostgreSQL user one clear message when libpq5 is missing. The declarations below
// are libpq's stable C ABI (libpq-fe.h of PostgreSQL 10 and later), so building needs no libpq
// headers either.
#pragma once

#include <string>

namespace laurel::detail::pg {

struct PGconn;
struct PGresult;

// libpq-fe.h's enums, by value.
enum ConnStatus { kConnectionOk = 0 };
enum ExecStatus {
  kEmptyQuery = 0,
  kCommandOk = 1,
  kTuplesOk = 2,
  kCopyOut = 3,
  kCopyIn = 4,
  kBadResponse = 5,
  kNonfatalError = 6,
  kFatalError = 7,
};
enum TransactionStatus { kTransIdle = 0, kTransActive = 1, kTransInTrans = 2, kTransInError = 3 };
inline constexpr int kDiagSqlState = 'C';  // PG_DIAG_SQLSTATE

/// The libpq entry points the backend uses.
struct Api {
  PGconn* (*PQconnectdb)(const char* conninfo);
  void (*PQfinish)(PGconn* conn);
  int (*PQstatus)(const PGconn* conn);
  int (*PQtransactionStatus)(const PGconn* conn);
  char* (*PQerrorMessage)(const PGconn* conn);
  int (*PQserverVersion)(const PGconn* conn);
  PGresult* (*PQexec)(PGconn* conn, const char* query);
  int (*PQsendQuery)(PGconn* conn, const char* query);
  PGresult* (*PQexecParams)(PGconn* conn, const char* command, int n_params,
                            const unsigned* param_types, const char* const* param_values,
                            const int* param_lengths, const int* param_formats, int result_format);
  PGresult* (*PQprepare)(PGconn* conn, const char* name, const char* query, int n_params,
                         const unsigned* param_types);
  PGresult* (*PQexecPrepared)(PGconn* conn, const char* name, int n_params,
                              const char* const* param_values, const int* param_lengths,
                              const int* param_formats, int result_format);
  int (*PQresultStatus)(const PGresult* result);
  char* (*PQresultErrorMessage)(const PGresult* result);
  char* (*PQresultErrorField)(const PGresult* result, int field);
  int (*PQntuples)(const PGresult* result);
  char* (*PQgetvalue)(const PGresult* result, int row, int column);
  int (*PQgetlength)(const PGresult* result, int row, int column);
  int (*PQgetisnull)(const PGresult* result, int row, int column);
  void (*PQclear)(PGresult* result);
  int (*PQputCopyData)(PGconn* conn, const char* buffer, int bytes);
  int (*PQputCopyEnd)(PGconn* conn, const char* error);
  PGresult* (*PQgetResult)(PGconn* conn);
  char* (*PQescapeIdentifier)(PGconn* conn, const char* text, std::size_t length);
  void (*PQfreemem)(void* pointer);
};

/// libpq's functions, loaded on the first call; null with *error set when libpq5 is missing.
const Api* api(std::string* error);

}  // namespace laurel::detail::pg
