// Verification, baking, signing keys, signatures and public documents. The verifier and the baker
// are pure functions of the portable core; the rest are methods of _core.Store. Every call into
// the core releases the GIL (verification, RSA key generation and signing take milliseconds), and
// no call returns or accepts a private key.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "laurel/keys.hpp"
#include "laurel/verify.hpp"
#include "py_store.hpp"

namespace laurel::python {
namespace {

/// The bytes of a Python bytes object or the UTF-8 of a str.
std::string bytes_or_text(py::handle object, std::string_view what) {
  if (PyBytes_Check(object.ptr())) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    PyBytes_AsStringAndSize(object.ptr(), &data, &size);
    return std::string(data, std::size_t(size));
  }
  if (PyUnicode_Check(object.ptr())) return as_string(object, what);
  throw py::type_error(std::string(what) + ": expected bytes or str, got " +
                       Py_TYPE(object.ptr())->tp_name);
}

CredentialFormat credential_format_of(py::handle name) {
  std::string text = as_string(name, "format");
  auto format = credential_format_from_name(text);
  if (!format) {
    raise_error(
        invalid("format", "must be \"vc-jwt\" or \"data-integrity\", not \"" + text + "\""));
  }
  return *format;
}

KeyAlgorithm algorithm_of(py::handle name) {
  std::string text = as_string(name, "alg");
  auto algorithm = algorithm_from_name(text);
  if (!algorithm) {
    raise_error(invalid("alg", "must be \"RS256\", \"EdDSA\" or \"ES256\", not \"" + text + "\""));
  }
  return *algorithm;
}

py::list json_list(const std::vector<Json>& items) {
  py::list list(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) list[i] = to_python(items[i]);
  return list;
}

std::vector<std::string> id_list(py::handle assertion_ids) {
  std::vector<std::string> ids;
  std::size_t index = 0;
  for (py::handle item : py::iter(assertion_ids)) {
    ids.push_back(as_string(item, "assertion_ids[" + std::to_string(index++) + "]"));
  }
  return ids;
}

/// One dict per id of a batch: {"entityId", "signed", <what>: the text or None, "code",
/// "reason"} (code and reason None when signed).
py::list batch_items(const std::vector<std::string>& ids,
                     const std::vector<Result<std::string>>& results, const char* what) {
  // The keys are made once, not per item: a batch returns tens of thousands of these dicts.
  const py::str entity_id_key("entityId"), signed_key("signed"), value_key(what),
      code_key("code"), reason_key("reason");
  py::list out(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& result = results[i];
    py::dict item;
    item[entity_id_key] = py::str(ids[i]);
    item[signed_key] = py::bool_(result.ok());
    if (result.ok()) {
      item[value_key] = py::str(result.value());
      item[code_key] = py::none();
      item[reason_key] = py::none();
    } else {
      item[value_key] = py::none();
      item[code_key] = py::str(error_code_name(result.error().code));
      item[reason_key] = py::str(result.error().message);
    }
    out[i] = std::move(item);
  }
  return out;
}

}  // namespace

void bind_signing(py::module_& module, py::class_<PyStore>& store_class) {
  module.def(
      "verify",
      [](py::handle input, py::dict documents, py::handle recipient, py::handle recipient_type,
         py::handle now) {
        std::string input_bytes = bytes_or_text(input, "input");
        DocumentMap document_map;
        for (auto [url, text] : documents) {
          std::string url_text = as_string(url, "documents");
          std::string document = bytes_or_text(text, "documents[" + url_text + "]");
          document_map.emplace(std::move(url_text), std::move(document));
        }
        VerifyOptions options;
        options.recipient = as_optional_string(recipient, "recipient");
        options.recipient_type = as_optional_string(recipient_type, "recipient_type");
        if (!now.is_none()) options.now = now.cast<std::int64_t>();
        Json report = [&] {
          py::gil_scoped_release nogil;
          return verify(input_bytes, document_map, options).to_json();
        }();
        return to_python(report);
      },
      py::arg("input"), py::arg("documents"), py::arg("recipient"), py::arg("recipient_type"),
      py::arg("now"));

  module.def(
      "bake",
      [](py::bytes image, py::handle badge) {
        std::string image_bytes = image;
        std::string badge_text = as_string(badge, "assertion_or_jws");
        Result<std::string> baked = [&] {
          py::gil_scoped_release nogil;
          return bake(image_bytes, badge_text);
        }();
        return py::bytes(take(std::move(baked)));
      },
      py::arg("image"), py::arg("badge"));

  module.def(
      "unbake",
      [](py::bytes image) {
        std::string image_bytes = image;
        Result<BakedBadge> found = [&] {
          py::gil_scoped_release nogil;
          return unbake(image_bytes);
        }();
        BakedBadge badge = take(std::move(found));
        const char* kind = badge.kind == BakedBadge::Kind::Json  ? "json"
                           : badge.kind == BakedBadge::Kind::Jws ? "jws"
                                                                 : "url";
        return py::make_tuple(py::str(kind), py::str(badge.text));
      },
      py::arg("image"));

  store_class
      .def(py::init<const std::string&, bool, std::size_t, const std::string&,
                    const std::string&>(),
           py::arg("path"), py::arg("keep_plaintext"), py::arg("initial_map_bytes"),
           py::arg("passphrase"), py::arg("key_file"))
      .def("unlock_keys",
           [](PyStore& self) { check(self.call([](Store& s) { return s.unlock_keys(); })); })
      .def(
          "create_key",
          [](PyStore& self, py::handle issuer_id, py::handle alg) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            KeyAlgorithm algorithm = algorithm_of(alg);
            return to_python(
                take(self.call([&](Store& s) { return s.create_key(issuer, algorithm); })));
          },
          py::arg("issuer_id"), py::arg("alg"))
      .def(
          "list_keys",
          [](PyStore& self, py::handle issuer_id) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            return json_list(take(self.call([&](Store& s) { return s.list_keys(issuer); })));
          },
          py::arg("issuer_id"))
      .def(
          "rotate_key",
          [](PyStore& self, py::handle issuer_id, py::handle alg) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            KeyAlgorithm algorithm = algorithm_of(alg);
            return to_python(
                take(self.call([&](Store& s) { return s.rotate_key(issuer, algorithm); })));
          },
          py::arg("issuer_id"), py::arg("alg"))
      .def(
          "sign",
          [](PyStore& self, py::handle assertion_id, py::handle base_url, py::handle alg) {
            std::string id = as_string(assertion_id, "assertion_id");
            std::string base = as_string(base_url, "base_url");
            KeyAlgorithm algorithm = algorithm_of(alg);
            return take(self.call([&](Store& s) { return s.sign(id, base, algorithm); }));
          },
          py::arg("assertion_id"), py::arg("base_url"), py::arg("alg"))
      .def(
          "sign_batch",
          [](PyStore& self, py::handle assertion_ids, py::handle base_url, py::handle alg,
             unsigned threads) {
            std::vector<std::string> ids = id_list(assertion_ids);
            std::string base = as_string(base_url, "base_url");
            KeyAlgorithm algorithm = algorithm_of(alg);
            auto results = take(self.call(
                [&](Store& s) { return s.sign_batch(ids, base, algorithm, threads); }));
            return batch_items(ids, results, "jws");
          },
          py::arg("assertion_ids"), py::arg("base_url"), py::arg("alg"), py::arg("threads"))
      .def(
          "credential",
          [](PyStore& self, py::handle assertion_id, py::handle base_url, py::handle format,
             py::handle alg) {
            std::string id = as_string(assertion_id, "assertion_id");
            std::string base = as_string(base_url, "base_url");
            CredentialFormat secured_as = credential_format_of(format);
            KeyAlgorithm algorithm = algorithm_of(alg);
            return take(self.call(
                [&](Store& s) { return s.credential(id, base, secured_as, algorithm); }));
          },
          py::arg("assertion_id"), py::arg("base_url"), py::arg("format"), py::arg("alg"))
      .def(
          "credentials",
          [](PyStore& self, py::handle assertion_ids, py::handle base_url, py::handle format,
             py::handle alg, unsigned threads) {
            std::vector<std::string> ids = id_list(assertion_ids);
            std::string base = as_string(base_url, "base_url");
            std::string format_name = as_string(format, "format");
            auto chosen = credential_format_from_name(format_name);
            if (!chosen) {
              raise_error(invalid("format", "must be \"vc-jwt\" or \"data-integrity\", not \"" +
                                                format_name + "\""));
            }
            KeyAlgorithm algorithm = algorithm_of(alg);
            auto results = take(self.call([&](Store& s) {
              return s.credentials(ids, base, *chosen, algorithm, threads);
            }));
            return batch_items(ids, results, "credential");
          },
          py::arg("assertion_ids"), py::arg("base_url"), py::arg("format"), py::arg("alg"),
          py::arg("threads"))
      .def(
          "status_lists",
          [](PyStore& self, py::handle issuer_id) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            return take(self.call([&](Store& s) { return s.status_lists(issuer); }));
          },
          py::arg("issuer_id"))
      .def(
          "status_list_bits",
          [](PyStore& self, py::handle issuer_id, py::handle list_id) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            std::string list = as_string(list_id, "list_id");
            return py::bytes(
                take(self.call([&](Store& s) { return s.status_list_bits(issuer, list); })));
          },
          py::arg("issuer_id"), py::arg("list_id"))
      .def(
          "status_entry",
          [](PyStore& self, py::handle assertion_id) {
            std::string id = as_string(assertion_id, "assertion_id");
            return to_python(take(self.call([&](Store& s) { return s.status_entry(id); })));
          },
          py::arg("assertion_id"))
      .def(
          "status_list_credential",
          [](PyStore& self, py::handle issuer_id, py::handle list_id, py::handle base_url,
             py::handle alg, py::handle format) {
            std::string issuer = as_string(issuer_id, "issuer_id");
            std::string list = as_string(list_id, "list_id");
            std::string base = as_string(base_url, "base_url");
            KeyAlgorithm algorithm = algorithm_of(alg);
            CredentialFormat chosen = credential_format_of(format);
            return take(self.call([&](Store& s) {
              return s.status_list_credential(issuer, list, base, algorithm, chosen);
            }));
          },
          py::arg("issuer_id"), py::arg("list_id"), py::arg("base_url"), py::arg("alg"),
          py::arg("format") = "vc-jwt")
      .def(
          "public_document",
          [](PyStore& self, py::handle kind, py::handle id, py::handle base_url) {
            std::string kind_text = as_string(kind, "kind");
            std::string id_text = as_string(id, "id");
            std::string base = as_string(base_url, "base_url");
            return to_python(take(self.call(
                [&](Store& s) { return s.public_document(kind_text, id_text, base); })));
          },
          py::arg("kind"), py::arg("id"), py::arg("base_url"));
}

}  // namespace laurel::python
