// JSON-LD to N-Quads and RDFC-1.0 canonicalization (laurel/jsonld.hpp, laurel/rdfc.hpp): type
// conversion only. Documents the JSON-LD processor may load come in a dict (URL -> JSON text),
// like the verifier's documents; the built-in contexts need none.
#include <pybind11/stl.h>

#include <map>

#include "bindings.hpp"
#include "laurel/jsonld.hpp"
#include "laurel/rdfc.hpp"

namespace laurel::python {

void bind_jsonld(py::module_& module) {
  module.def(
      "jsonld_to_nquads",
      [](const std::string& document_text, const std::map<std::string, std::string>& documents,
         const std::string& base) {
        Json document = take(Json::parse(document_text));
        jsonld::Options options;
        options.base = base;
        Result<std::string> nquads = Error{};
        {
          py::gil_scoped_release release;
          jsonld::DocumentLoader loader = [&documents](std::string_view url) -> Result<Json> {
            auto it = documents.find(std::string(url));
            if (it == documents.end()) return not_found("url", std::string(url));
            return Json::parse(it->second);
          };
          nquads = jsonld::to_nquads(document, loader, options);
        }
        return take(std::move(nquads));
      },
      py::arg("document"), py::arg("documents"), py::arg("base") = "",
      "The JSON-LD document's RDF dataset as N-Quads (not canonical).");
  module.def(
      "rdfc_canonicalize",
      [](const std::string& nquads) {
        Result<std::string> canonical = Error{};
        {
          py::gil_scoped_release release;
          canonical = rdfc::canonicalize(nquads);
        }
        return take(std::move(canonical));
      },
      py::arg("nquads"), "RDFC-1.0 canonical N-Quads of an N-Quads dataset.");
  module.def(
      "jsonld_builtin_context",
      [](const std::string& url) -> py::object {
        const Json* context = jsonld::builtin_context(url);
        if (context == nullptr) return py::none();
        return py::str(context->dump());
      },
      py::arg("url"), "A built-in context as JSON text, or None.");
  module.def("jsonld_builtin_context_urls", [] { return jsonld::builtin_context_urls(); });
}

}  // namespace laurel::python
