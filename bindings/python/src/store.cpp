// laurel._core.Store: the LMDB store. Every call releases the GIL while the core works; batch
// progress callbacks take it back only to call Python and to let Ctrl-C cancel the batch.
#include <pybind11/stl.h>

#include <chrono>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "laurel/store.hpp"
#include "py_store.hpp"

namespace laurel::python {
namespace {

using Clock = std::chrono::steady_clock;

// --- Python values -> core input structs (types only: the core validates the values) -----------

// A field accepted under its Python (snake_case) or Badgr (camelCase) name.
template <class T>
struct StringField {
  const char* snake;
  const char* camel;
  std::string T::*member;
};

constexpr StringField<Evidence> kEvidenceFields[] = {
    {"url", "url", &Evidence::url},
    {"narrative", "narrative", &Evidence::narrative},
    {"name", "name", &Evidence::name},
    {"description", "description", &Evidence::description},
    {"genre", "genre", &Evidence::genre},
    {"audience", "audience", &Evidence::audience},
};

constexpr StringField<Alignment> kAlignmentFields[] = {
    {"target_name", "targetName", &Alignment::target_name},
    {"target_url", "targetUrl", &Alignment::target_url},
    {"target_description", "targetDescription", &Alignment::target_description},
    {"target_framework", "targetFramework", &Alignment::target_framework},
    {"target_code", "targetCode", &Alignment::target_code},
};

template <class T, std::size_t N>
[[noreturn]] void unknown_key(std::string_view what, const std::string& key,
                              const StringField<T> (&fields)[N]) {
  std::string expected;
  for (const auto& field : fields) expected += std::string(expected.empty() ? "" : ", ") + field.snake;
  throw py::type_error(std::string(what) + ": unknown key '" + key + "' (expected " + expected +
                       ")");
}

template <class T, std::size_t N>
T struct_from_dict(py::handle object, std::string_view what, const StringField<T> (&fields)[N]) {
  if (!PyDict_Check(object.ptr())) {
    throw py::type_error(std::string(what) + ": expected dict, got " + Py_TYPE(object.ptr())->tp_name);
  }
  T value{};
  for (auto [key_object, field_value] : py::reinterpret_borrow<py::dict>(object)) {
    std::string key = as_string(key_object, what);
    const StringField<T>* match = nullptr;
    for (const auto& field : fields) {
      if (key == field.snake || key == field.camel) match = &field;
    }
    if (match == nullptr) unknown_key(what, key, fields);
    value.*(match->member) = as_optional_string(field_value, std::string(what) + "." + key);
  }
  return value;
}

std::vector<Evidence> evidence_from_python(py::handle object, std::string_view what) {
  if (is_missing(object)) return {};
  if (PyUnicode_Check(object.ptr()) || PyDict_Check(object.ptr())) {
    throw py::type_error(std::string(what) + ": expected a list of evidence, got " +
                         Py_TYPE(object.ptr())->tp_name);
  }
  std::vector<Evidence> evidence;
  std::size_t index = 0;
  for (py::handle item : py::iter(object)) {
    std::string item_what = std::string(what) + "[" + std::to_string(index++) + "]";
    if (PyUnicode_Check(item.ptr())) {
      Evidence bare_url;  // a str is the evidence URL
      bare_url.url = as_string(item, item_what);
      evidence.push_back(std::move(bare_url));
    } else {
      evidence.push_back(struct_from_dict(item, item_what, kEvidenceFields));
    }
  }
  return evidence;
}

std::vector<Alignment> alignments_from_python(py::handle object) {
  std::vector<Alignment> alignments;
  std::size_t index = 0;
  for (py::handle item : py::iter(object)) {
    alignments.push_back(
        struct_from_dict(item, "alignments[" + std::to_string(index++) + "]", kAlignmentFields));
  }
  return alignments;
}

std::vector<std::string> strings_from_python(py::handle object, std::string_view what) {
  if (PyUnicode_Check(object.ptr())) {
    throw py::type_error(std::string(what) + ": expected a list of str, got str");
  }
  std::vector<std::string> strings;
  std::size_t index = 0;
  for (py::handle item : py::iter(object)) {
    strings.push_back(as_string(item, std::string(what) + "[" + std::to_string(index++) + "]"));
  }
  return strings;
}

std::optional<Expiration> expiration_from_python(py::handle object) {
  if (object.is_none()) return std::nullopt;
  py::object amount;
  py::object duration;
  if (PyDict_Check(object.ptr())) {
    for (auto [key_object, value] : py::reinterpret_borrow<py::dict>(object)) {
      std::string key = as_string(key_object, "expires");
      if (key == "amount") {
        amount = py::reinterpret_borrow<py::object>(value);
      } else if (key == "duration") {
        duration = py::reinterpret_borrow<py::object>(value);
      } else {
        throw py::type_error("expires: unknown key '" + key + "' (expected amount, duration)");
      }
    }
  } else if (PyTuple_Check(object.ptr()) && PyTuple_GET_SIZE(object.ptr()) == 2) {
    amount = py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(object.ptr(), 0));
    duration = py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(object.ptr(), 1));
  } else {
    throw py::type_error(std::string("expires: expected {'amount': int, 'duration': str} or "
                                     "(amount, duration), got ") +
                         Py_TYPE(object.ptr())->tp_name);
  }
  Expiration expiration;
  if (amount) {
    if (!PyLong_Check(amount.ptr()) || PyBool_Check(amount.ptr())) {
      throw py::type_error(std::string("expires.amount: expected int, got ") +
                           Py_TYPE(amount.ptr())->tp_name);
    }
    int overflow = 0;
    expiration.amount = PyLong_AsLongLongAndOverflow(amount.ptr(), &overflow);
    if (overflow != 0) throw py::value_error("expires.amount: integer out of range");
  }
  if (duration) expiration.duration = as_string(duration, "expires.duration");
  return expiration;
}

// Lets Ctrl-C interrupt the conversion of a very long input before the core is even called.
constexpr Py_ssize_t kSignalCheckEvery = 4096;

/// A recipient: a str (the identity) or a dict of RecipientInput fields; keys absent (or None,
/// or NaN from a DataFrame) keep the value from `defaults`.
RecipientInput recipient_from_python(py::handle object, const RecipientInput& defaults,
                                     std::string_view what) {
  RecipientInput recipient = defaults;
  if (PyUnicode_Check(object.ptr())) {
    recipient.identity = as_string(object, what);
    return recipient;
  }
  if (!PyDict_Check(object.ptr())) {
    throw py::type_error(std::string(what) + ": expected str or dict, got " +
                         Py_TYPE(object.ptr())->tp_name);
  }
  PyObject* key_object = nullptr;
  PyObject* value_object = nullptr;
  Py_ssize_t position = 0;
  while (PyDict_Next(object.ptr(), &position, &key_object, &value_object)) {
    py::handle value(value_object);
    std::string key = as_string(key_object, what);
    std::string field = std::string(what) + "." + key;
    if (key == "identity") {
      recipient.identity = as_optional_string(value, field);
      continue;
    }
    if (is_missing(value)) continue;
    if (key == "type") {
      recipient.type = as_string(value, field);
    } else if (key == "hashed") {
      recipient.hashed = as_bool(value, field);
    } else if (key == "subject_id" || key == "subjectId") {
      recipient.subject_id = as_string(value, field);
    } else if (key == "narrative") {
      recipient.narrative = as_string(value, field);
    } else if (key == "evidence") {
      recipient.evidence = evidence_from_python(value, field);
    } else if (key == "issued_on" || key == "issuedOn") {
      recipient.issued_on = as_string(value, field);
    } else if (key == "expires") {
      recipient.expires = as_string(value, field);
    } else if (key == "extensions") {
      if (!PyDict_Check(value.ptr())) {
        throw py::type_error(field + ": expected dict, got " + Py_TYPE(value.ptr())->tp_name);
      }
      recipient.extensions = from_python(value, field);
    } else {
      throw py::type_error(std::string(what) + ": unknown key '" + key +
                           "' (expected identity, type, hashed, subject_id, narrative, evidence, "
                           "issued_on, expires, extensions)");
    }
  }
  return recipient;
}

/// The recipients of a batch given as columns: `columns` maps names of the column vocabulary
/// (laurel/columns.py has already mapped the user's names to these) to lists of one cell per
/// row; cells that are None or NaN keep the value from `defaults`. A column-at-a-time input
/// costs no dict per row, which is what makes awarding from a DataFrame as fast as the core.
/// Type errors name the row by its label (`labels[i]`, e.g. the DataFrame's index label).
std::vector<RecipientInput> recipients_from_columns(py::dict columns, py::handle labels,
                                                    const RecipientInput& defaults) {
  struct Column {
    const char* name;
    PyObject* cells = nullptr;  // a list, or null when the column is absent
  };
  Column identity{"identity"}, type{"type"}, hashed{"hashed"}, subject_id{"subject_id"},
      narrative{"narrative"}, evidence{"evidence"}, evidence_url{"evidence_url"},
      evidence_narrative{"evidence_narrative"}, issued_on{"issued_on"}, expires{"expires"},
      extensions{"extensions"};
  Column* known[] = {&identity,     &type,         &hashed,          &subject_id,
                     &narrative,    &evidence,     &evidence_url,
                     &evidence_narrative, &issued_on, &expires,
                     &extensions};
  std::optional<Py_ssize_t> rows;
  for (auto [key_object, value] : columns) {
    std::string key = as_string(key_object, "columns");
    Column* column = nullptr;
    for (Column* candidate : known) {
      if (key == candidate->name) column = candidate;
    }
    if (column == nullptr) throw py::type_error("columns: unknown column '" + key + "'");
    if (!PyList_Check(value.ptr())) throw py::type_error("columns." + key + ": expected a list");
    Py_ssize_t size = PyList_GET_SIZE(value.ptr());
    if (rows && *rows != size) throw py::value_error("columns: the columns differ in length");
    rows = size;
    column->cells = value.ptr();
  }
  std::vector<RecipientInput> inputs;
  inputs.reserve(static_cast<std::size_t>(rows.value_or(0)));
  for (Py_ssize_t row = 0; row < rows.value_or(0); ++row) {
    if (row % kSignalCheckEvery == kSignalCheckEvery - 1 && PyErr_CheckSignals() != 0) {
      throw py::error_already_set();
    }
    // The cell of `column` in this row, or null when the column is absent or the cell missing.
    auto cell = [row](const Column& column) -> PyObject* {
      if (column.cells == nullptr) return nullptr;
      PyObject* value = PyList_GET_ITEM(column.cells, row);
      return is_missing(value) ? nullptr : value;
    };
    RecipientInput& recipient = inputs.emplace_back(defaults);
    try {
      if (PyObject* value = cell(identity)) recipient.identity = as_string(value, "identity");
      if (PyObject* value = cell(type)) recipient.type = as_string(value, "type");
      if (PyObject* value = cell(hashed)) recipient.hashed = as_bool(value, "hashed");
      if (PyObject* value = cell(subject_id)) {
        recipient.subject_id = as_string(value, "subject_id");
      }
      if (PyObject* value = cell(narrative)) recipient.narrative = as_string(value, "narrative");
      if (PyObject* value = cell(evidence)) {
        recipient.evidence = evidence_from_python(value, "evidence");
      }
      PyObject* url = cell(evidence_url);
      PyObject* url_narrative = cell(evidence_narrative);
      if (url != nullptr || url_narrative != nullptr) {
        Evidence item;  // evidence_url / evidence_narrative: one more piece of evidence
        if (url != nullptr) item.url = as_string(url, "evidence_url");
        if (url_narrative != nullptr) {
          item.narrative = as_string(url_narrative, "evidence_narrative");
        }
        recipient.evidence.push_back(std::move(item));
      }
      if (PyObject* value = cell(issued_on)) recipient.issued_on = as_string(value, "issued_on");
      if (PyObject* value = cell(expires)) recipient.expires = as_string(value, "expires");
      if (PyObject* value = cell(extensions)) {
        if (!PyDict_Check(value)) {
          throw py::type_error(std::string("extensions: expected dict, got ") +
                               Py_TYPE(value)->tp_name);
        }
        recipient.extensions = from_python(value, "extensions");
      }
    } catch (const py::type_error& error) {
      std::string label = py::repr(labels[py::int_(row)]);
      throw py::type_error("recipients[" + label + "]." + error.what());
    }
  }
  return inputs;
}

RevokeItem revoke_item_from_python(py::handle object, std::string_view what) {
  RevokeItem item;
  if (PyTuple_Check(object.ptr()) || PyList_Check(object.ptr())) {
    py::sequence pair = py::reinterpret_borrow<py::sequence>(object);
    if (pair.size() != 2) {
      throw py::type_error(std::string(what) + ": expected (entity_id, reason)");
    }
    item.entity_id = as_string(pair[0], std::string(what) + "[0]");
    item.revocation_reason = as_optional_string(pair[1], std::string(what) + "[1]");
    return item;
  }
  if (!PyDict_Check(object.ptr())) {
    throw py::type_error(std::string(what) + ": expected dict or (entity_id, reason), got " +
                         Py_TYPE(object.ptr())->tp_name);
  }
  for (auto [key_object, value] : py::reinterpret_borrow<py::dict>(object)) {
    std::string key = as_string(key_object, what);
    std::string field = std::string(what) + "." + key;
    if (key == "entityId" || key == "id" || key == "entity_id") {
      item.entity_id = as_optional_string(value, field);
    } else if (key == "revocationReason" || key == "reason" || key == "revocation_reason") {
      item.revocation_reason = as_optional_string(value, field);
    } else {
      throw py::type_error(std::string(what) + ": unknown key '" + key +
                           "' (expected entityId, revocationReason)");
    }
  }
  return item;
}

// --- Progress and Ctrl-C ---------------------------------------------------------------------

// Bridges the core's ProgressFn to Python: calls `callback(done, total)` at most every
// kProgressInterval (and for the last item), and checks for signals so that Ctrl-C cancels the
// batch. A Python exception (KeyboardInterrupt, or one raised by the callback) cancels the batch
// and is re-raised by rethrow_if_pending() once the core has rolled back.
class ProgressBridge {
 public:
  // 50 ms: a smooth progress bar and a prompt Ctrl-C, without taking the GIL per chunk.
  static constexpr auto kProgressInterval = std::chrono::milliseconds(50);

  explicit ProgressBridge(py::object callback) : callback_(std::move(callback)) {}
  ProgressBridge(const ProgressBridge&) = delete;
  ProgressBridge& operator=(const ProgressBridge&) = delete;
  ~ProgressBridge() {
    if (pending_type_ != nullptr) {
      py::gil_scoped_acquire gil;
      Py_XDECREF(pending_type_);
      Py_XDECREF(pending_value_);
      Py_XDECREF(pending_traceback_);
    }
  }

  ProgressFn function() {
    return [this](std::size_t done, std::size_t total) { return report(done, total); };
  }

  /// Needs the GIL.
  void rethrow_if_pending() {
    if (pending_type_ == nullptr) return;
    PyErr_Restore(pending_type_, pending_value_, pending_traceback_);
    pending_type_ = pending_value_ = pending_traceback_ = nullptr;
    throw py::error_already_set();
  }

 private:
  bool report(std::size_t done, std::size_t total) {
    auto now = Clock::now();
    if (done != total && now - last_call_ < kProgressInterval) return true;
    last_call_ = now;
    py::gil_scoped_acquire gil;
    if (!callback_.is_none()) {
      PyObject* result = PyObject_CallFunction(callback_.ptr(), "nn", static_cast<Py_ssize_t>(done),
                                               static_cast<Py_ssize_t>(total));
      if (result == nullptr) return keep_pending();
      Py_DECREF(result);
    }
    if (PyErr_CheckSignals() != 0) return keep_pending();
    return true;
  }

  bool keep_pending() {
    PyErr_Fetch(&pending_type_, &pending_value_, &pending_traceback_);
    return false;  // cancel: the core rolls the transaction back
  }

  py::object callback_;
  Clock::time_point last_call_{};
  PyObject* pending_type_ = nullptr;
  PyObject* pending_value_ = nullptr;
  PyObject* pending_traceback_ = nullptr;
};

// --- The store -------------------------------------------------------------------------------

template <class T>
py::object entity(const T& value) {
  return to_python(to_json(value));
}

template <class T>
py::list entities(const std::vector<T>& values) {
  py::list list(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) list[i] = entity(values[i]);
  return list;
}

py::object none_if_empty(const std::string& text) {
  return text.empty() ? py::none() : py::object(py::str(text));
}

struct BatchResult {
  IssueBatchResult result;
  double core_seconds = 0;
};

template <class T>
py::object entity_or_raise(Result<T>&& result) {
  return entity(take(std::move(result)));
}

}  // namespace

py::class_<PyStore> bind_store(py::module_& module) {
  py::class_<BatchResult>(module, "IssueBatchResult",
                          "Per-item results of Store.issue_batch, converted lazily.")
      .def_property_readonly("issued", [](const BatchResult& r) { return r.result.issued; })
      .def_property_readonly("duplicates", [](const BatchResult& r) { return r.result.duplicates; })
      .def_property_readonly("invalid", [](const BatchResult& r) { return r.result.invalid; })
      .def_property_readonly("committed", [](const BatchResult& r) { return r.result.committed; })
      .def_property_readonly("core_seconds", [](const BatchResult& r) { return r.core_seconds; },
                             "Seconds spent inside the core's Store::issue_batch.")
      .def("__len__", [](const BatchResult& r) { return r.result.items.size(); })
      .def(
          "item",
          [](const BatchResult& r, std::size_t i) {
            if (i >= r.result.items.size()) throw py::index_error("batch result index out of range");
            const IssueItemResult& item = r.result.items[i];
            bool failed = !item.issued && item.code == "invalid";
            return py::make_tuple(item.index, item.issued, none_if_empty(item.entity_id),
                                  none_if_empty(item.code),
                                  failed ? none_if_empty(item.error.field) : py::none(),
                                  failed ? none_if_empty(item.error.message) : py::none());
          },
          py::arg("index"),
          "(index, issued, entity_id, code, field, message) of item `index`.")
      .def(
          "entity_ids",
          [](const BatchResult& r) {
            py::list ids;
            for (const auto& item : r.result.items) {
              if (item.issued) ids.append(py::str(item.entity_id));
            }
            return ids;
          },
          "The entityIds issued, in input order.");

  module.def(
      "init_store",
      [](const std::string& location) {
        Result<std::string> done = [&] {
          py::gil_scoped_release nogil;
          return Store::init(location);
        }();
        return take(std::move(done));
      },
      py::arg("location"),
      "Store::init: creates or migrates the store at `location`; what it did.");

  py::class_<PyStore> store_class(module, "Store", "The core store; use laurel.Store.");
  store_class
      .def(py::init<const std::string&, bool, std::size_t>(), py::arg("path"),
           py::arg("keep_plaintext"), py::arg("initial_map_bytes"))
      .def_property_readonly("path", &PyStore::path)
      .def_property_readonly("closed", &PyStore::closed)
      .def("close", &PyStore::close)

      // Issuers
      .def(
          "create_issuer",
          [](PyStore& self, py::handle name, py::handle email, py::handle url,
             py::handle description, py::handle image, py::handle created_by,
             py::handle did_web, py::handle credential_status) {
            Issuer draft;
            draft.name = as_string(name, "name");
            draft.email = as_string(email, "email");
            draft.url = as_string(url, "url");
            draft.description = as_optional_string(description, "description");
            draft.image = as_optional_string(image, "image");
            draft.created_by = as_optional_string(created_by, "created_by");
            draft.did_web = as_bool(did_web, "did_web");
            draft.credential_status = as_string(credential_status, "credential_status");
            return entity_or_raise(self.call([&](Store& s) { return s.create_issuer(draft); }));
          },
          py::arg("name"), py::arg("email"), py::arg("url"), py::arg("description"),
          py::arg("image"), py::arg("created_by"), py::arg("did_web") = false,
          py::arg("credential_status") = "bitstring")
      .def("get_issuer",
           [](PyStore& self, py::handle id) {
             std::string key = as_string(id, "issuer_id");
             return entity_or_raise(self.call([&](Store& s) { return s.get_issuer(key); }));
           })
      .def(
          "issuer_staff",
          [](PyStore& self, py::handle id) {
            std::string key = as_string(id, "issuer_id");
            Issuer issuer = take(self.call([&](Store& s) { return s.get_issuer(key); }));
            py::list staff(issuer.staff.size());
            for (std::size_t i = 0; i < issuer.staff.size(); ++i) {
              staff[i] = py::make_tuple(issuer.staff[i].user, issuer.staff[i].role);
            }
            return staff;
          },
          "get_issuer's staff only, as (user, role) pairs: the REST access check reads no more.")
      .def("update_issuer",
           [](PyStore& self, py::handle id, py::handle patch) {
             std::string key = as_string(id, "issuer_id");
             Json body = from_python(patch, "fields");
             return entity_or_raise(self.call([&](Store& s) { return s.update_issuer(key, body); }));
           })
      .def("delete_issuer",
           [](PyStore& self, py::handle id) {
             std::string key = as_string(id, "issuer_id");
             check(self.call([&](Store& s) { return s.delete_issuer(key); }));
           })
      .def("list_issuers",
           [](PyStore& self) {
             return entities(take(self.call([&](Store& s) { return s.list_issuers(); })));
           })

      // Badge classes
      .def(
          "create_badgeclass",
          [](PyStore& self, py::handle issuer_id, py::handle name, py::handle description,
             py::handle image, py::handle criteria_url, py::handle criteria_narrative,
             py::handle alignments, py::handle tags, py::handle expires, py::handle created_by) {
            BadgeClass draft;
            draft.issuer = as_string(issuer_id, "issuer_id");
            draft.name = as_string(name, "name");
            draft.description = as_string(description, "description");
            draft.image = as_optional_string(image, "image");
            draft.criteria_url = as_optional_string(criteria_url, "criteria_url");
            draft.criteria_narrative = as_optional_string(criteria_narrative, "criteria_narrative");
            draft.alignments = alignments_from_python(alignments);
            draft.tags = strings_from_python(tags, "tags");
            draft.expires = expiration_from_python(expires);
            draft.created_by = as_optional_string(created_by, "created_by");
            return entity_or_raise(self.call([&](Store& s) { return s.create_badgeclass(draft); }));
          },
          py::arg("issuer_id"), py::arg("name"), py::arg("description"), py::arg("image"),
          py::arg("criteria_url"), py::arg("criteria_narrative"), py::arg("alignments"),
          py::arg("tags"), py::arg("expires"), py::arg("created_by"))
      .def("get_badgeclass",
           [](PyStore& self, py::handle id) {
             std::string key = as_string(id, "badgeclass_id");
             return entity_or_raise(self.call([&](Store& s) { return s.get_badgeclass(key); }));
           })
      .def(
          "badgeclass_name",
          [](PyStore& self, py::handle id) {
            std::string key = as_string(id, "badgeclass_id");
            return take(self.call([&](Store& s) { return s.get_badgeclass(key); })).name;
          },
          "get_badgeclass's name only (an assertion's view names its badge class).")
      .def("update_badgeclass",
           [](PyStore& self, py::handle id, py::handle patch) {
             std::string key = as_string(id, "badgeclass_id");
             Json body = from_python(patch, "fields");
             return entity_or_raise(
                 self.call([&](Store& s) { return s.update_badgeclass(key, body); }));
           })
      .def("delete_badgeclass",
           [](PyStore& self, py::handle id) {
             std::string key = as_string(id, "badgeclass_id");
             check(self.call([&](Store& s) { return s.delete_badgeclass(key); }));
           })
      .def("list_badgeclasses",
           [](PyStore& self, py::handle issuer_id) {
             std::string key = as_optional_string(issuer_id, "issuer_id");
             return entities(
                 take(self.call([&](Store& s) { return s.list_badgeclasses(key); })));
           })

      // Assertions
      .def(
          "issue",
          [](PyStore& self, py::handle badgeclass_id, py::handle recipient, py::handle defaults,
             bool allow_duplicate, py::handle created_by) {
            std::string key = as_string(badgeclass_id, "badgeclass_id");
            RecipientInput base = recipient_from_python(defaults, RecipientInput{}, "options");
            RecipientInput input = recipient_from_python(recipient, base, "recipient");
            IssueOptions options;
            options.allow_duplicate_awards = allow_duplicate;
            options.created_by = as_optional_string(created_by, "created_by");
            return entity_or_raise(
                self.call([&](Store& s) { return s.issue(key, input, options); }));
          },
          py::arg("badgeclass_id"), py::arg("recipient"), py::arg("defaults"),
          py::arg("allow_duplicate"), py::arg("created_by"))
      .def(
          "issue_columns",
          [](PyStore& self, py::handle badgeclass_id, py::dict columns, py::handle labels,
             py::handle defaults, bool allow_duplicate, bool skip_invalid, py::object progress,
             py::handle created_by) {
            std::string key = as_string(badgeclass_id, "badgeclass_id");
            RecipientInput base = recipient_from_python(defaults, RecipientInput{}, "options");
            IssueOptions options;
            options.allow_duplicate_awards = allow_duplicate;
            options.skip_invalid = skip_invalid;
            options.created_by = as_optional_string(created_by, "created_by");
            std::vector<RecipientInput> inputs = recipients_from_columns(columns, labels, base);

            ProgressBridge bridge(std::move(progress));
            ProgressFn progress_fn = bridge.function();
            auto batch = std::make_unique<BatchResult>();
            Result<IssueBatchResult> result = self.call([&](Store& s) {
              auto start = Clock::now();
              auto issued = s.issue_batch(key, inputs, options, progress_fn);
              batch->core_seconds = std::chrono::duration<double>(Clock::now() - start).count();
              return issued;
            });
            bridge.rethrow_if_pending();
            batch->result = take(std::move(result));
            return batch;
          },
          py::arg("badgeclass_id"), py::arg("columns"), py::arg("labels"), py::arg("defaults"),
          py::arg("allow_duplicate"), py::arg("skip_invalid"), py::arg("progress"),
          py::arg("created_by"),
          "Store::issue_batch of recipients given as columns {name: list}, one transaction.")
      .def("get_assertion",
           [](PyStore& self, py::handle id) {
             std::string key = as_string(id, "assertion_id");
             return entity_or_raise(self.call([&](Store& s) { return s.get_assertion(key); }));
           })
      .def("update_assertion",
           [](PyStore& self, py::handle id, py::handle patch) {
             std::string key = as_string(id, "assertion_id");
             Json body = from_python(patch, "fields");
             return entity_or_raise(
                 self.call([&](Store& s) { return s.update_assertion(key, body); }));
           })
      .def("revoke",
           [](PyStore& self, py::handle id, py::handle reason) {
             std::string key = as_string(id, "assertion_id");
             std::string why = as_string(reason, "reason");
             return entity_or_raise(self.call([&](Store& s) { return s.revoke(key, why); }));
           })
      .def(
          "revoke_batch",
          [](PyStore& self, py::handle items, py::object progress) {
            std::vector<RevokeItem> inputs;
            for (py::handle item : py::iter(items)) {
              inputs.push_back(
                  revoke_item_from_python(item, "items[" + std::to_string(inputs.size()) + "]"));
            }
            ProgressBridge bridge(std::move(progress));
            ProgressFn progress_fn = bridge.function();
            auto result = self.call([&](Store& s) { return s.revoke_batch(inputs, progress_fn); });
            bridge.rethrow_if_pending();
            std::vector<RevokeItemResult> outcomes = take(std::move(result));
            py::list list(outcomes.size());
            for (std::size_t i = 0; i < outcomes.size(); ++i) {
              py::dict outcome;
              outcome["entityId"] = outcomes[i].entity_id;
              outcome["revoked"] = outcomes[i].revoked;
              outcome["code"] = none_if_empty(outcomes[i].code);
              outcome["reason"] = none_if_empty(outcomes[i].reason);
              list[i] = std::move(outcome);
            }
            return list;
          },
          py::arg("items"), py::arg("progress"))
      .def(
          "list_assertions",
          [](PyStore& self, const std::string& scope, py::handle id, py::handle recipient,
             py::handle recipient_type, std::size_t num, py::handle after, py::handle before,
             bool include_revoked, bool include_expired) {
            AssertionQuery query;
            if (scope == "issuer") {
              query.scope = AssertionQuery::Scope::Issuer;
            } else if (scope == "badgeclass") {
              query.scope = AssertionQuery::Scope::BadgeClass;
            } else if (scope == "recipient") {
              query.scope = AssertionQuery::Scope::Recipient;
            } else {
              throw py::value_error("scope: expected issuer, badgeclass or recipient");
            }
            query.id = as_optional_string(id, "id");
            query.recipient = as_optional_string(recipient, "recipient");
            query.recipient_type = as_string(recipient_type, "recipient_type");
            query.num = num;
            query.after = as_optional_string(after, "after");
            query.before = as_optional_string(before, "before");
            query.include_revoked = include_revoked;
            query.include_expired = include_expired;
            AssertionPage page =
                take(self.call([&](Store& s) { return s.list_assertions(query); }));
            return py::make_tuple(entities(page.items), none_if_empty(page.next_cursor),
                                  none_if_empty(page.prev_cursor));
          },
          py::arg("scope"), py::arg("id"), py::arg("recipient"), py::arg("recipient_type"),
          py::arg("num"), py::arg("after"), py::arg("before"), py::arg("include_revoked"),
          py::arg("include_expired"))
      .def("revocations", [](PyStore& self, py::handle issuer_id) {
        std::string key = as_string(issuer_id, "issuer_id");
        return take(self.call([&](Store& s) { return s.revocations(key); }));
      });
  return store_class;
}

}  // namespace laurel::python
