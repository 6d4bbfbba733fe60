// Shared by the files of the laurel._core extension. The extension converts types, releases the
// GIL around calls into the core and raises errors from one table (errors.cpp); keyword defaults,
// iteration, pandas input and progress bars live in the pure-Python package (laurel/).
//
// Each bind_<concept> adds one concept of the core to the module; module.cpp calls them in order.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

#include "laurel/json.hpp"
#include "laurel/result.hpp"

namespace laurel::python {

namespace py = pybind11;

void bind_errors(py::module_& module);
void bind_json(py::module_& module);
void bind_recipient(py::module_& module);
void bind_jsonld(py::module_& module);
// bind_store and the binders that add methods to _core.Store are declared in py_store.hpp.

// --- errors.cpp: the one table from ErrorCode to laurel.errors classes ----------------------

/// Sets the Python exception for `error` (a laurel.Error subclass with .code, .field, .message)
/// and throws py::error_already_set. Needs the GIL.
[[noreturn]] void raise_error(const Error& error);

/// The value of `result`, or raise_error. Needs the GIL.
template <class T>
T take(Result<T>&& result) {
  if (!result.ok()) raise_error(result.error());
  return std::move(result).value();
}
inline void check(const Status& status) {
  if (!status.ok()) raise_error(status.error());
}

// --- json.cpp: the one conversion between core Json and Python objects ----------------------

/// dict (keys sorted, as canonical JSON), list, str, int, float, bool, None.
py::object to_python(const Json& json);
/// Accepts dict with str keys, list, tuple, str, int, float, bool, None; anything else raises
/// TypeError naming `what` (the argument or field being converted).
Json from_python(py::handle object, std::string_view what);

/// A Python str as UTF-8; TypeError naming `what` for anything else.
std::string as_string(py::handle object, std::string_view what);
/// As as_string, with None (and a float NaN, pandas' missing value) read as "".
std::string as_optional_string(py::handle object, std::string_view what);
/// True when `object` is None or a float NaN.
bool is_missing(py::handle object);
/// A Python bool (not an int); TypeError naming `what` otherwise.
bool as_bool(py::handle object, std::string_view what);

}  // namespace laurel::python
