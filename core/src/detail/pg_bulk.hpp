// A write transaction's buffered writes sent in bulk at commit: one or a few statements per
// table, whatever the number of rows.
//   keys known absent (kAppend, kNoOverwrite, or read missing): COPY ... FROM STDIN (FORMAT
//     binary) when many, INSERT ... SELECT FROM unnest($1::bytea[], $2::bytea[]) when few;
//   other puts: INSERT ... FROM unnest(...) ON CONFLICT (k) DO UPDATE;
//   deletes: DELETE ... WHERE k = ANY($1::bytea[]).
// Parameters and rows travel in PostgreSQL's binary formats (no escaping, no hex).
#pragma once

#include <string>

#include "detail/pg_conn.hpp"
#include "detail/pg_overlay.hpp"
#include "laurel/result.hpp"

namespace laurel::detail::pg {

/// Sends the overlay's dirty entries to `table` (a quoted, qualified name) and marks them clean.
Status flush(Conn& conn, const std::string& table, Overlay& overlay);

}  // namespace laurel::detail::pg
