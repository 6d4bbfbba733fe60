// The public JSON-LD entry points and the built-in context table.
#include <algorithm>
#include <unordered_map>

#include "jsonld/builtin_contexts_data.hpp"
#include "jsonld/internal.hpp"
#include "laurel/jsonld.hpp"

namespace laurel::jsonld {
namespace {

struct BuiltinTable {
  std::unordered_map<std::string_view, Json> documents;
  std::vector<std::string> urls;
};

// Parsed once, on first use (thread-safe static initialization), and never modified: the
// pointers builtin_context() returns live as long as the process.
const BuiltinTable& builtin_table() {
  // Never destroyed: immortal contexts point into these documents until the process ends.
  static const BuiltinTable& table = *new BuiltinTable([] {
    BuiltinTable built;
    for (const auto& [url, text] : detail::builtin_context_texts()) {
      auto parsed = Json::parse(text);
      // The texts are generated from the pinned packages and parsed by a test; a failure here
      // would be a build defect, so the context is simply absent.
      if (!parsed.ok()) continue;
      built.documents.emplace(url, std::move(parsed).value());
      built.urls.emplace_back(url);
    }
    std::sort(built.urls.begin(), built.urls.end());
    return built;
  }());
  return table;
}

}  // namespace

const Json* builtin_context(std::string_view url) {
  const auto& documents = builtin_table().documents;
  auto it = documents.find(url);
  return it == documents.end() ? nullptr : &it->second;
}

const std::vector<std::string>& builtin_context_urls() { return builtin_table().urls; }

Result<Json> expand(const Json& document, const DocumentLoader& loader, const Options& options) {
  detail::Processor processor(loader, options);
  auto active = processor.initial_context(options.base);
  // JSON-LD 1.1 API §9.3 expand() step 5: the expandContext option updates the initial context.
  if (!options.expand_context.is_null()) {
    const Json* local = options.expand_context.is_object()
                            ? options.expand_context.find("@context")
                            : nullptr;
    auto updated = processor.process_context(
        active, local != nullptr ? *local : options.expand_context, false, options.base);
    if (!updated.ok()) return updated.error();
    active = std::move(updated).value();
  }
  auto expanded = processor.expand(active, std::nullopt, document, options.base);
  if (!expanded.ok()) return expanded.error();
  Json result = std::move(expanded).value();
  // §5.1.2 after step 20: a top-level object with only @graph is its graph; null is empty.
  if (result.is_object() && result.size() == 1 && result.find("@graph")) {
    Json graph = std::move(*result.find("@graph"));
    result = std::move(graph);
  }
  if (result.is_null()) return Json::array();
  if (!result.is_array()) {
    Json wrapped = Json::array();
    wrapped.push_back(std::move(result));
    return wrapped;
  }
  return result;
}

Result<std::string> to_nquads(const Json& document, const DocumentLoader& loader,
                              const Options& options) {
  auto expanded = expand(document, loader, options);
  if (!expanded.ok()) return expanded.error();
  return detail::expanded_to_nquads(expanded.value(), options);
}

namespace detail {
Result<std::vector<rdf::Quad>> to_quads(const Json& document, const DocumentLoader& loader,
                                        const Options& options) {
  auto expanded = expand(document, loader, options);
  if (!expanded.ok()) return expanded.error();
  return expanded_to_quads(expanded.value(), options);
}
}  // namespace detail

}  // namespace laurel::jsonld
