// Laurel's one error table for Python: each core ErrorCode raises one class of laurel.errors.
// The classes are written in Python (laurel/errors.py) so they read well in help() and can be
// raised by pure-Python code with the same fields.
#include <array>

#include "bindings.hpp"

namespace laurel::python {
namespace {

struct ErrorClass {
  ErrorCode code;
  const char* python_class;  // in laurel.errors
};

constexpr std::array kErrorTable{
    ErrorClass{ErrorCode::Invalid, "ValidationError"},
    ErrorClass{ErrorCode::NotFound, "NotFound"},
    ErrorClass{ErrorCode::PermissionDenied, "PermissionDenied"},
    ErrorClass{ErrorCode::Conflict, "Conflict"},
    ErrorClass{ErrorCode::Storage, "StorageError"},
    ErrorClass{ErrorCode::Crypto, "CryptoError"},
    ErrorClass{ErrorCode::Cancelled, "Cancelled"},
    ErrorClass{ErrorCode::Internal, "InternalError"},
};

// Filled once by bind_errors; the references are deliberately never released, because the classes
// live as long as the interpreter and Python may tear modules down in any order at exit.
std::array<PyObject*, kErrorTable.size()> error_classes{};

PyObject* class_for(ErrorCode code) {
  for (std::size_t i = 0; i < kErrorTable.size(); ++i) {
    if (kErrorTable[i].code == code) return error_classes[i];
  }
  return error_classes.back();  // Internal: an unknown code is a bug in Laurel
}

}  // namespace

void raise_error(const Error& error) {
  PyObject* cls = class_for(error.code);
  py::object instance = py::reinterpret_borrow<py::object>(cls)(
      error.message, py::arg("field") = error.field.empty() ? py::object(py::none()) : py::object(py::str(error.field)),
      py::arg("code") = error_code_name(error.code));
  PyErr_SetObject(cls, instance.ptr());
  throw py::error_already_set();
}

void bind_errors(py::module_& module) {
  py::module_ errors = py::module_::import("laurel.errors");
  py::dict table;
  for (std::size_t i = 0; i < kErrorTable.size(); ++i) {
    py::object cls = errors.attr(kErrorTable[i].python_class);
    error_classes[i] = cls.inc_ref().ptr();
    table[error_code_name(kErrorTable[i].code)] = cls;
  }
  module.attr("ERROR_CLASSES") = table;

  module.def(
      "raise_error",
      [](const std::string& code, const std::string& field, const std::string& message) {
        for (const auto& entry : kErrorTable) {
          if (code == error_code_name(entry.code)) raise_error(Error{entry.code, field, message});
        }
        throw py::value_error("unknown error code: " + code);
      },
      py::arg("code"), py::arg("field"), py::arg("message"),
      "Raises the laurel.Error subclass that the core's error `code` maps to (for tests and for "
      "faces that relay core errors).");
}

}  // namespace laurel::python
