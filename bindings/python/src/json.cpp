// The one conversion between the core's Json and Python objects. Entities reach Python as
// to_python(to_json(entity)): the Badgr v2 shape the core writes, never a second mapping here.
#include <cmath>

#include "bindings.hpp"

namespace laurel::python {
namespace {

std::string type_name(py::handle object) { return Py_TYPE(object.ptr())->tp_name; }

[[noreturn]] void type_error(std::string_view what, std::string_view expected, py::handle got) {
  throw py::type_error(std::string(what) + ": expected " + std::string(expected) + ", got " +
                       type_name(got));
}

// Python's recursion limit guards Python code; this guards ours against self-referencing lists.
constexpr int kMaxDepth = 64;  // the core's JsonLimits::max_depth

Json from_python_at(py::handle object, std::string_view what, int depth) {
  if (depth > kMaxDepth) throw py::value_error(std::string(what) + ": nested too deeply");
  if (object.is_none()) return Json();
  if (PyBool_Check(object.ptr())) return Json(object.ptr() == Py_True);
  if (PyLong_Check(object.ptr())) {
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(object.ptr(), &overflow);
    if (overflow != 0) throw py::value_error(std::string(what) + ": integer out of range");
    return Json(static_cast<std::int64_t>(value));
  }
  if (PyFloat_Check(object.ptr())) {
    double value = PyFloat_AS_DOUBLE(object.ptr());
    if (!std::isfinite(value)) throw py::value_error(std::string(what) + ": not a finite number");
    return Json(value);
  }
  if (PyUnicode_Check(object.ptr())) return Json(as_string(object, what));
  if (PyDict_Check(object.ptr())) {
    Json json = Json::object();
    PyObject* key = nullptr;
    PyObject* value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(object.ptr(), &position, &key, &value)) {
      if (!PyUnicode_Check(key)) type_error(std::string(what) + " key", "str", key);
      std::string name = as_string(key, what);
      std::string path = std::string(what) + "." + name;
      json.set(std::move(name), from_python_at(value, path, depth + 1));
    }
    return json;
  }
  if (PyList_Check(object.ptr()) || PyTuple_Check(object.ptr())) {
    Json json = Json::array();
    py::sequence sequence = py::reinterpret_borrow<py::sequence>(object);
    std::size_t index = 0;
    for (py::handle element : sequence) {
      json.push_back(from_python_at(element, std::string(what) + "." + std::to_string(index),
                                    depth + 1));
      ++index;
    }
    return json;
  }
  type_error(what, "a JSON value (dict, list, str, int, float, bool or None)", object);
}

}  // namespace

std::string as_string(py::handle object, std::string_view what) {
  if (!PyUnicode_Check(object.ptr())) type_error(what, "str", object);
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(object.ptr(), &size);
  if (data == nullptr) throw py::error_already_set();  // lone surrogates: UnicodeEncodeError
  return std::string(data, static_cast<std::size_t>(size));
}

bool is_missing(py::handle object) {
  return object.is_none() ||
         (PyFloat_Check(object.ptr()) && std::isnan(PyFloat_AS_DOUBLE(object.ptr())));
}

std::string as_optional_string(py::handle object, std::string_view what) {
  if (is_missing(object)) return {};
  return as_string(object, what);
}

bool as_bool(py::handle object, std::string_view what) {
  if (!PyBool_Check(object.ptr())) type_error(what, "bool", object);
  return object.ptr() == Py_True;
}

Json from_python(py::handle object, std::string_view what) {
  return from_python_at(object, what, 0);
}

py::object to_python(const Json& json) {
  switch (json.kind()) {
    case Json::Kind::Null:
      return py::none();
    case Json::Kind::Bool:
      return py::bool_(json.as_bool());
    case Json::Kind::Int:
      return py::int_(json.as_int());
    case Json::Kind::Double:
      return py::float_(json.as_double());
    case Json::Kind::String:
      return py::str(json.as_string());
    case Json::Kind::Array: {
      const Json::Array& elements = json.as_array();
      py::list list(elements.size());
      for (std::size_t i = 0; i < elements.size(); ++i) {
        list[i] = to_python(elements[i]);
      }
      return list;
    }
    case Json::Kind::Object: {
      py::dict dict;
      for (const auto& [key, value] : json.as_object()) dict[py::str(key)] = to_python(value);
      return dict;
    }
  }
  return py::none();
}

void bind_json(py::module_& module) {
  module.def(
      "canonical_json", [](py::handle value) { return from_python(value, "value").dump(); },
      py::arg("value"),
      "The core's canonical JSON text of `value`: keys sorted, no whitespace; the bytes Laurel "
      "stores, hashes and signs.");
  module.def(
      "parse_json",
      [](std::string_view text) {
        Result<Json> parsed = [&] {
          py::gil_scoped_release nogil;
          return Json::parse(text);
        }();
        return to_python(take(std::move(parsed)));
      },
      py::arg("text"),
      "Parses JSON text with the core's parser and limits; ValidationError(field='json') when "
      "it is not JSON.");
}

}  // namespace laurel::python
