// A large store's operations on _core.Store: stats, backup, check, and the test-only corruption
// hook that tests use to show check at work (laurel/store_testing.hpp).
#include <pybind11/stl.h>

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
          "_testing_remove_index_entry",
          [](PyStore& self, py::handle index, py::handle assertion_id) {
            std::string index_name = as_string(index, "index");
            std::string id = as_string(assertion_id, "assertion_id");
            check(self.call(
                [&](Store& s) { return test_hooks::remove_index_entry(s, index_name, id); }));
          },
          py::arg("index"), py::arg("assertion_id"));
}

}  // namespace laurel::python
