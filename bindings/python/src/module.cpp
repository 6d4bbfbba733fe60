// laurel._core: the C++ core as a Python extension module. The order matters only for errors,
// which every later binding raises.
#include "bindings.hpp"
#include "py_store.hpp"

PYBIND11_MODULE(_core, module) {
  module.doc() =
      "Laurel's C++ core (type conversion only). Use the `laurel` package, not this module.";
  module.attr("__version__") = LAUREL_VERSION;
  laurel::python::bind_errors(module);
  laurel::python::bind_json(module);
  laurel::python::bind_recipient(module);
  laurel::python::bind_jsonld(module);
  auto store_class = laurel::python::bind_store(module);
  laurel::python::bind_documents(store_class);
  laurel::python::bind_admin(store_class);
  laurel::python::bind_signing(module, store_class);
}
