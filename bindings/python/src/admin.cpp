// A large store's operations on _core.Store: stats, backup, check, and the test-only corruption
// hook that tests use to show check at work (laurel/store_testing.hpp).
#include <pybind11/stl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "laurel/store_testing.hpp"
#include "py_store.hpp"

namespace laurel::python {

namespace {

py::dict stats_dict(const StoreStats& stats) {
  py::dict counts;
  counts["issuers"] = stats.issuers;
  counts["badgeclasses"] = stats.badgeclasses;
  counts["assertions"] = stats.assertions;
  counts["revoked"] = stats.revoked;
  py::list tables;
  for (const TableStats& table : stats.tables) {
    py::dict row;
    row["name"] = table.name;
    row["entries"] = table.entries;
    row["depth"] = table.depth;
    row["branchPages"] = table.branch_pages;
    row["leafPages"] = table.leaf_pages;
    row["overflowPages"] = table.overflow_pages;
    row["bytes"] = table.bytes;
    tables.append(row);
  }
  py::dict out;
  out["counts"] = counts;
  out["tables"] = tables;
  out["backend"] = stats.backend;
  out["pageSize"] = stats.page_size;
  out["mapBytes"] = stats.map_bytes;
  out["fileBytes"] = stats.file_bytes;
  out["freePages"] = stats.free_pages;
  out["readers"] = stats.readers;
  out["maxReaders"] = stats.max_readers;
  out["bytesPerAssertion"] = stats.bytes_per_assertion;
  out["liveBytesPerAssertion"] = stats.live_bytes_per_assertion;
  return out;
}

}  // namespace

void bind_admin(py::class_<PyStore>& store_class) {
  store_class
      .def("stats",
           [](PyStore& self) {
             return stats_dict(take(self.call([](Store& s) { return s.stats(); })));
           })
      .def(
          "backup",
          [](PyStore& self, py::handle destination) {
            std::string path = as_string(destination, "destination");
            check(self.call([&](Store& s) { return s.backup(path); }));
          },
          py::arg("destination"))
      .def("check",
           [](PyStore& self) {
             CheckReport report = take(self.call([](Store& s) { return s.check(); }));
             py::dict out;
             out["assertions"] = report.assertions;
             out["problemCount"] = report.problem_count;
             out["problems"] = report.problems;
             return out;
           })
      .def(
          "export_assertions",
          [](PyStore& self, py::handle issuer_id, py::handle target) {
            std::string issuer = as_optional_string(issuer_id, "issuer_id");
            int write_errno = 0;
            std::optional<py::error_already_set> failure;
            ExportSink sink;
            if (py::isinstance<py::int_>(target)) {
              // A file descriptor: written without the GIL, at the speed of the core.
              const int fd = target.cast<int>();
              sink = [&write_errno, fd](std::string_view chunk) {
                while (!chunk.empty()) {
                  ssize_t wrote = ::write(fd, chunk.data(), chunk.size());
                  if (wrote < 0 && errno == EINTR) continue;
                  if (wrote < 0) {
                    write_errno = errno;
                    return false;
                  }
                  chunk.remove_prefix(std::size_t(wrote));
                }
                return true;
              };
            } else {
              // A callable taking str chunks (a text stream's write without a descriptor).
              // No exception crosses the core: a failed write stops the export and is raised
              // here afterwards.
              py::object write = py::reinterpret_borrow<py::object>(target);
              sink = [write, &failure](std::string_view chunk) {
                py::gil_scoped_acquire gil;
                try {
                  write(py::str(chunk.data(), chunk.size()));
                  return true;
                } catch (py::error_already_set& error) {
                  failure = std::move(error);
                  return false;
                }
              };
            }
            auto count = self.call([&](Store& s) { return s.export_assertions(issuer, sink); });
            if (failure) throw std::move(*failure);
            if (write_errno != 0) {
              errno = write_errno;
              PyErr_SetFromErrno(PyExc_OSError);  // BrokenPipeError for EPIPE, and so on
              throw py::error_already_set();
            }
            return take(std::move(count));
          },
          py::arg("issuer_id"), py::arg("target"))
      .def(
          "_testing_remove_index_entry",
          [](PyStore& self, py::handle index, py::handle assertion_id) {
            std::string index_name = as_string(index, "index");
            std::string id = as_string(assertion_id, "assertion_id");
            check(self.call(
                [&](Store& s) { return test_hooks::remove_index_entry(s, index_name, id); }));
          },
          py::arg("index"), py::arg("assertion_id"))
      .def(
          "_testing_set_recipient_epoch_entries",
          [](PyStore& self, std::uint64_t epoch_entries) {
            check(self.call([&](Store& s) {
              return test_hooks::set_recipient_epoch_entries(s, epoch_entries);
            }));
          },
          py::arg("epoch_entries"))
      .def(
          "_testing_clear_recipient_filter",
          [](PyStore& self, py::handle assertion_id) {
            std::string id = as_string(assertion_id, "assertion_id");
            check(self.call([&](Store& s) { return test_hooks::clear_recipient_filter(s, id); }));
          },
          py::arg("assertion_id"))
      .def("_testing_to_legacy_recipient_index", [](PyStore& self) {
        check(self.call([&](Store& s) { return test_hooks::to_legacy_recipient_index(s); }));
      });
}

}  // namespace laurel::python
