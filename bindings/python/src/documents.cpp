// Service documents on _core.Store: JSON objects under (kind, key) in the same LMDB environment
// as the badges, for the REST service's accounts, tokens and collections (store.hpp).
#include <pybind11/stl.h>

#include "py_store.hpp"

namespace laurel::python {

void bind_documents(py::class_<PyStore>& store_class) {
  store_class
      .def(
          "put_document",
          [](PyStore& self, py::handle kind, py::handle key, py::handle value) {
            std::string kind_text = as_string(kind, "kind");
            std::string key_text = as_string(key, "key");
            Json document = from_python(value, "value");
            check(self.call([&](Store& s) { return s.put_document(kind_text, key_text, document); }));
          },
          py::arg("kind"), py::arg("key"), py::arg("value"))
      .def(
          "get_document",
          [](PyStore& self, py::handle kind, py::handle key) {
            std::string kind_text = as_string(kind, "kind");
            std::string key_text = as_string(key, "key");
            return to_python(
                take(self.call([&](Store& s) { return s.get_document(kind_text, key_text); })));
          },
          py::arg("kind"), py::arg("key"))
      .def(
          "find_document",
          // As get_document, but None when absent: a look-up that usually misses (an issuer's
          // organization) must not pay for building and catching a NotFound on every request.
          [](PyStore& self, py::handle kind, py::handle key) -> py::object {
            std::string kind_text = as_string(kind, "kind");
            std::string key_text = as_string(key, "key");
            auto found = self.call([&](Store& s) { return s.get_document(kind_text, key_text); });
            if (!found.ok() && found.error().code == ErrorCode::NotFound) return py::none();
            return to_python(take(std::move(found)));
          },
          py::arg("kind"), py::arg("key"))
      .def(
          "delete_document",
          [](PyStore& self, py::handle kind, py::handle key) {
            std::string kind_text = as_string(kind, "kind");
            std::string key_text = as_string(key, "key");
            return take(
                self.call([&](Store& s) { return s.delete_document(kind_text, key_text); }));
          },
          py::arg("kind"), py::arg("key"))
      .def(
          "list_documents",
          [](PyStore& self, py::handle kind, py::handle prefix) {
            std::string kind_text = as_string(kind, "kind");
            std::string prefix_text = as_optional_string(prefix, "prefix");
            auto documents = take(
                self.call([&](Store& s) { return s.list_documents(kind_text, prefix_text); }));
            py::list list(documents.size());
            for (std::size_t i = 0; i < documents.size(); ++i) {
              list[i] = py::make_tuple(py::str(documents[i].first), to_python(documents[i].second));
            }
            return list;
          },
          py::arg("kind"), py::arg("prefix"))
      .def(
          "replace_document",
          [](PyStore& self, py::handle kind, py::handle key, py::handle expected,
             py::handle value) {
            std::string kind_text = as_string(kind, "kind");
            std::string key_text = as_string(key, "key");
            Json expected_json = from_python(expected, "expected");
            Json value_json = from_python(value, "value");
            check(self.call([&](Store& s) {
              return s.replace_document(kind_text, key_text, expected_json, value_json);
            }));
          },
          py::arg("kind"), py::arg("key"), py::arg("expected"), py::arg("value"));
}

}  // namespace laurel::python
