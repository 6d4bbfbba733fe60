// JSON-LD 1.1 processor internals shared by context.cpp, expand.cpp and to_rdf.cpp. Section
// numbers in comments are those of the JSON-LD 1.1 Processing Algorithms and API Recommendation.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "laurel/json.hpp"
#include "laurel/jsonld.hpp"
#include "rdf/quad.hpp"

// Assign-or-return for Result<T>: `LAUREL_ASSIGN_OR_RETURN(auto value, make());` declares,
// `LAUREL_ASSIGN_OR_RETURN(existing, make());` assigns. A statement of its own (never after an
// unbraced if).
#define LAUREL_CONCAT_INNER_(a, b) a##b
#define LAUREL_CONCAT_(a, b) LAUREL_CONCAT_INNER_(a, b)
#define LAUREL_ASSIGN_OR_RETURN(lhs, expr) \
  LAUREL_ASSIGN_OR_RETURN_IMPL_(LAUREL_CONCAT_(laurel_result_, __COUNTER__), lhs, expr)
#define LAUREL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()

namespace laurel::jsonld::detail {

/// An Error carrying a JSON-LD error code ("invalid term definition", ...) and what it concerns.
Error jsonld_error(std::string_view code, std::string_view detail);

// --- IRIs (iri.cpp) ---------------------------------------------------------------------------
bool is_keyword(std::string_view value);
/// "@" followed by ALPHA only: reserved for future keywords, ignored (§3, keyword form).
bool has_keyword_form(std::string_view value);
/// scheme ":" ... with no whitespace (what JSON-LD processors treat as an absolute IRI).
bool is_absolute_iri(std::string_view value);
bool is_blank_node_id(std::string_view value);
/// RFC 3986 §5.2 reference resolution; `base` empty means none (the reference is returned).
std::string resolve_iri(std::string_view base, std::string_view reference);
bool ends_with_gen_delim(std::string_view iri);

// --- Contexts (context.cpp) -----------------------------------------------------------------
enum Container : std::uint8_t {
  kList = 1, kSet = 2, kIndex = 4, kLanguage = 8, kId = 16, kType = 32, kGraph = 64,
};

class ActiveContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

struct TermDefinition {
  std::optional<std::string> iri;  // nullopt: the term maps to null (is not expanded)
  bool reverse = false;
  bool prefix = false;
  bool is_protected = false;
  std::optional<std::string> type_mapping;
  bool has_language = false;  // language/direction mapping present (null when the value is)
  std::optional<std::string> language;
  bool has_direction = false;
  std::optional<std::string> direction;
  std::uint8_t container = 0;
  std::optional<std::string> index;
  std::optional<std::string> nest;
  const Json* context = nullptr;   // scoped context (points into the document or a context)
  bool context_immortal = false;   // `context` lives in a built-in context (process lifetime)
  std::string base_url;            // the base URL the scoped context resolves against

  bool same_as(const TermDefinition& other) const;  // equality other than `is_protected`
};

// Heterogeneous look-up: terms are found by string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>()(text);
  }
};

class ActiveContext {
 public:
  std::unordered_map<std::string, TermDefinition, StringHash, std::equal_to<>> terms;
  std::optional<std::string> base;  // nullopt: no base IRI
  std::string original_base;
  std::optional<std::string> vocab;
  std::optional<std::string> default_language;
  std::optional<std::string> default_direction;
  ContextPtr previous;  // set by a non-propagated (type-scoped) context
  // Built only from built-in contexts: may be shared across calls and threads, and memoizes
  // the contexts derived from it by built-in local contexts.
  bool immortal = false;

  const TermDefinition* find(std::string_view term) const {
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : &it->second;
  }
  bool has_protected_terms() const;

  struct Derived {
    const Json* local;
    unsigned flags;
    ContextPtr result;
  };
  mutable std::mutex derived_mutex;
  mutable std::vector<Derived> derived;  // only in immortal contexts, only immortal results
};

/// State of one expand()/to_nquads() call.
class Processor {
 public:
  Processor(const DocumentLoader& loader, const Options& options)
      : loader_(loader), options_(options) {}

  const Options& options() const { return options_; }

  /// The initial context for `base` (shared and immortal for the common bases).
  ContextPtr initial_context(const std::string& base);

  /// §4.1 Context Processing. `local_immortal`: `local` lives in a built-in context.
  Result<ContextPtr> process_context(const ContextPtr& active, const Json& local,
                                     bool local_immortal, const std::string& base_url,
                                     bool override_protected = false, bool propagate = true,
                                     bool validate_scoped = true);

  /// §5.2 IRI Expansion outside context processing.
  Result<std::optional<std::string>> expand_iri(const ActiveContext& active, std::string_view value,
                                                bool document_relative, bool vocab);

  /// §5.1 Expansion.
  Result<Json> expand(const ContextPtr& active, const std::optional<std::string>& active_property,
                      const Json& element, const std::string& base_url, bool from_map = false);

  /// Depth guard for nested objects, arrays and contexts.
  Status enter(std::size_t& depth, std::size_t limit, std::string_view what);

 private:
  friend class ContextBuilder;
  Result<ContextPtr> process_uncached(const ContextPtr& active, const Json& local,
                                      bool local_immortal, const std::string& base_url,
                                      std::vector<std::string>& remote_chain,
                                      bool override_protected, bool propagate,
                                      bool validate_scoped, bool& result_immortal);
  Result<ContextPtr> validate_scoped_context(const ContextPtr& active, const Json& local,
                                             bool local_immortal, const std::string& base_url,
                                             std::vector<std::string>& remote_chain);
  Result<const Json*> load_remote_context(const std::string& url, bool& immortal);

  Result<Json> expand_object(ContextPtr active, const std::optional<std::string>& active_property,
                             const Json& element, const std::string& base_url, bool from_map);
  Status expand_members(const ContextPtr& active, const ContextPtr& type_scoped,
                        const std::optional<std::string>& active_property, const Json& element,
                        const std::string& base_url, const std::optional<std::string>& input_type,
                        Json& result);
  Status expand_keyword(const ContextPtr& active, const ContextPtr& type_scoped,
                        const std::optional<std::string>& active_property, const std::string& key,
                        const std::string& property, const Json& value, const std::string& base_url,
                        const std::optional<std::string>& input_type, Json& result,
                        std::vector<std::string>& nests);
  Result<Json> expand_language_map(const ActiveContext& active, const TermDefinition& definition,
                                   const Json& value);
  Result<Json> expand_index_map(const ContextPtr& active, const TermDefinition& definition,
                                const std::string& key, const Json& value,
                                const std::string& base_url);
  Result<Json> expand_value(const ActiveContext& active, const TermDefinition* definition,
                            const Json& value);

  const DocumentLoader& loader_;
  const Options& options_;
  std::size_t expand_depth_ = 0;
  std::size_t context_depth_ = 0;
  std::vector<std::string> remote_chain_;  // remote contexts being processed (loop detection)
  std::set<std::string> remote_seen_;      // distinct remote contexts used (max_remote_contexts)
  std::map<std::string, std::shared_ptr<Json>> loaded_;  // loader results kept for this call
  std::deque<Json> owned_;  // contexts built during the call (@import merges)
  struct MemoKey {
    const void* parent;
    const Json* local;
    unsigned flags;
    std::string base;
    bool operator<(const MemoKey& o) const {
      return std::tie(parent, local, flags, base) < std::tie(o.parent, o.local, o.flags, o.base);
    }
  };
  std::map<MemoKey, std::pair<ContextPtr, ContextPtr>> memo_;  // (parent kept alive, result)
};

// --- RDF (to_rdf.cpp) -------------------------------------------------------------------------
/// §7.2 + §8.1: expanded form to N-Quads text.
Result<std::string> expanded_to_nquads(const Json& expanded, const Options& options);
/// The same quads, unserialized: what the canonicalizer takes (rdfc/quads.hpp), without writing
/// and re-reading the text.
Result<std::vector<rdf::Quad>> expanded_to_quads(const Json& expanded, const Options& options);
/// expand() then expanded_to_quads(): to_nquads() without the text.
Result<std::vector<rdf::Quad>> to_quads(const Json& document, const DocumentLoader& loader,
                                        const Options& options = {});

}  // namespace laurel::jsonld::detail
