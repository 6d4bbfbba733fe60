// Recipient identity hashing (OB 2.0 IdentityObject), as the core does it.
#include "bindings.hpp"
#include "laurel/ids.hpp"
#include "laurel/recipient.hpp"

namespace laurel::python {

void bind_recipient(py::module_& module) {
  module.def(
      "hash_identity",
      [](std::string_view identity, std::string_view salt, std::string_view type) {
        return take(hash_identity(identity, salt, type));
      },
      py::arg("identity"), py::arg("salt"), py::arg("type"));
  module.def(
      "identity_matches",
      [](std::string_view identity, std::string_view hashed_identity, std::string_view salt,
         std::string_view type) { return identity_matches(identity, hashed_identity, salt, type); },
      py::arg("identity"), py::arg("hashed_identity"), py::arg("salt"), py::arg("type"));
  module.def(
      "normalize_identity",
      [](std::string_view identity, std::string_view type) {
        return take(normalize_identity(identity, type));
      },
      py::arg("identity"), py::arg("type"));
  module.def("new_salt", &new_salt);
  // Ids for records the Python layer keeps as service documents: the core's one id rule.
  module.def("new_id", [] { return new_id(); });
}

}  // namespace laurel::python
