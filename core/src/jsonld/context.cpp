// §4.1 Context Processing, §4.2 Create Term Definition and §5.2 IRI Expansion.
//
// Processed contexts are immutable and shared. Those built only from built-in contexts are
// "immortal": the context derived from one by a built-in local context is memoized in it, so a
// credential naming the usual contexts costs a few look-ups, not a re-processing.
#include <algorithm>
#include <cctype>

#include "jsonld/internal.hpp"

namespace laurel::jsonld::detail {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

constexpr unsigned kOverride = 1, kPropagate = 2, kValidate = 4;  // memo key flags

}  // namespace

bool TermDefinition::same_as(const TermDefinition& other) const {
  bool contexts_equal = (context == nullptr) == (other.context == nullptr) &&
                        (context == nullptr || *context == *other.context);
  return iri == other.iri && reverse == other.reverse && prefix == other.prefix &&
         type_mapping == other.type_mapping && has_language == other.has_language &&
         language == other.language && has_direction == other.has_direction &&
         direction == other.direction && container == other.container && index == other.index &&
         nest == other.nest && contexts_equal;
}

bool ActiveContext::has_protected_terms() const {
  return std::any_of(terms.begin(), terms.end(),
                     [](const auto& entry) { return entry.second.is_protected; });
}

Status Processor::enter(std::size_t& depth, std::size_t limit, std::string_view what) {
  if (depth >= limit) {
    return jsonld_error("limit exceeded", std::string(what) + " nested deeper than " +
                                              std::to_string(limit));
  }
  ++depth;
  return {};
}

ContextPtr Processor::initial_context(const std::string& base) {
  // Immortal initial contexts for a bounded number of distinct bases (most callers use one).
  // Never destroyed, on purpose: immortal contexts reference each other (a derived context's
  // `previous` is its parent, whose `derived` holds it), so they live until the process ends, and
  // no thread can find them half-destroyed during exit.
  static std::mutex& mutex = *new std::mutex;
  static auto& shared = *new std::map<std::string, ContextPtr>;
  std::lock_guard lock(mutex);
  if (auto it = shared.find(base); it != shared.end()) return it->second;
  auto context = std::make_shared<ActiveContext>();
  if (!base.empty()) context->base = base;
  context->original_base = base;
  context->immortal = shared.size() < 16;
  if (context->immortal) shared.emplace(base, context);
  return context;
}

Result<const Json*> Processor::load_remote_context(const std::string& url, bool& immortal) {
  if (const Json* builtin = builtin_context(url)) {
    immortal = true;
    return builtin;
  }
  immortal = false;
  if (auto it = loaded_.find(url); it != loaded_.end()) return it->second.get();
  if (!loader_) {
    return Error{ErrorCode::NotFound, "@context",
                 "loading remote context failed: unknown context " + url};
  }
  auto document = loader_(url);
  if (!document.ok()) {
    Error error = document.error();
    error.field = "@context";
    error.message = "loading remote context failed: " + url +
                    (error.message.empty() ? "" : " (" + error.message + ")");
    return error;
  }
  auto stored = std::make_shared<Json>(std::move(document).value());
  const Json* pointer = stored.get();
  loaded_.emplace(url, std::move(stored));
  return pointer;
}

// Builds one context: the state of §4.1 and §4.2 while a local context is processed.
class ContextBuilder {
 public:
  ContextBuilder(Processor& processor, std::shared_ptr<ActiveContext> result,
                 const Json& local, bool local_immortal, const std::string& base_url,
                 std::vector<std::string>& remote_chain)
      : processor_(processor),
        result_(std::move(result)),
        local_(local),
        local_immortal_(local_immortal),
        base_url_(base_url),
        remote_chain_(remote_chain) {}

  Status define_all(bool is_protected, bool override_protected);
  Status define(const std::string& term, bool is_protected, bool override_protected);
  Result<std::optional<std::string>> expand_iri(std::string_view value, bool document_relative,
                                                bool vocab);

 private:
  Status define_container(const Json& value, TermDefinition& definition);

  Processor& processor_;
  std::shared_ptr<ActiveContext> result_;
  const Json& local_;
  bool local_immortal_;
  const std::string& base_url_;
  std::vector<std::string>& remote_chain_;
  std::map<std::string, bool, std::less<>> defined_;
};

Status ContextBuilder::define_all(bool is_protected, bool override_protected) {
  for (const auto& [key, value] : local_.as_object()) {
    if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" ||
        key == "@propagate" || key == "@protected" || key == "@version" || key == "@vocab") {
      continue;
    }
    LAUREL_TRY(define(key, is_protected, override_protected));
  }
  return {};
}

Status ContextBuilder::define_container(const Json& value, TermDefinition& definition) {
  std::uint8_t container = 0;
  auto add = [&](const Json& item) -> bool {
    if (!item.is_string()) return false;
    const std::string& name = item.as_string();
    if (name == "@list") container |= kList;
    else if (name == "@set") container |= kSet;
    else if (name == "@index") container |= kIndex;
    else if (name == "@language") container |= kLanguage;
    else if (name == "@id") container |= kId;
    else if (name == "@type") container |= kType;
    else if (name == "@graph") container |= kGraph;
    else return false;
    return true;
  };
  bool ok = true;
  if (value.is_array()) {
    for (const Json& item : value.as_array()) ok = ok && add(item);
  } else {
    ok = add(value);
  }
  // Allowed combinations (§4.2.2 step 19): one keyword; or @set with one of @index, @id, @type,
  // @language, @graph; or @graph with @id or @index (and optionally @set).
  if (ok && value.is_array() && value.size() > 1) {
    std::uint8_t rest = container & ~kSet;
    bool graph_combo =
        (container & kGraph) && (rest == (kGraph | kId) || rest == (kGraph | kIndex));
    bool one_other = rest != 0 && (rest & (rest - 1)) == 0;  // exactly one bit besides @set
    bool single_with_set = (container & kSet) && one_other && rest != kList;
    ok = graph_combo || single_with_set || (container == kSet);
    if (container & kList) ok = false;
  }
  if (!ok) return jsonld_error("invalid container mapping", value.dump());
  definition.container = container;
  if (container & kType) {
    if (!definition.type_mapping) definition.type_mapping = "@id";
    if (*definition.type_mapping != "@id" && *definition.type_mapping != "@vocab") {
      return jsonld_error("invalid type mapping", *definition.type_mapping);
    }
  }
  return {};
}

Status ContextBuilder::define(const std::string& term, bool default_protected,
                              bool override_protected) {
  // Step 1-2.
  if (auto it = defined_.find(term); it != defined_.end()) {
    if (it->second) return {};
    return jsonld_error("cyclic IRI mapping", term);
  }
  if (term.empty()) return jsonld_error("invalid term definition", "empty term");
  defined_[term] = false;
  const Json& value = *local_.find(term);
  // Step 4-5: keywords cannot be redefined (but @type may get @container @set and @protected).
  if (term == "@type") {
    bool ok = value.is_object() && value.size() > 0;
    if (ok) {
      for (const auto& [key, member] : value.as_object()) {
        if (key == "@container") ok = ok && member.is_string() && member.as_string() == "@set";
        else if (key != "@protected") ok = false;
      }
    }
    if (!ok) return jsonld_error("keyword redefinition", term);
  } else if (is_keyword(term)) {
    return jsonld_error("keyword redefinition", term);
  } else if (has_keyword_form(term)) {
    defined_[term] = true;
    return {};  // reserved for future keywords: ignored
  }
  // Step 6.
  std::optional<TermDefinition> previous;
  if (auto it = result_->terms.find(term); it != result_->terms.end()) {
    previous = std::move(it->second);
    result_->terms.erase(it);
  }
  // Step 7-9.
  static const Json kNullId = Json::object({{"@id", Json()}});
  const Json* definition_value = &value;
  Json simple;
  bool simple_term = false;
  if (value.is_null()) {
    definition_value = &kNullId;
  } else if (value.is_string()) {
    simple = Json::object({{"@id", value}});
    definition_value = &simple;
    simple_term = true;
  } else if (!value.is_object()) {
    return jsonld_error("invalid term definition", term);
  }
  const Json& map = *definition_value;
  TermDefinition definition;
  // Step 11.
  definition.is_protected = default_protected;
  if (const Json* protected_value = map.find("@protected")) {
    if (!protected_value->is_bool()) return jsonld_error("invalid @protected value", term);
    definition.is_protected = protected_value->as_bool();
  }
  // Step 12.
  if (const Json* type = map.find("@type")) {
    if (!type->is_string()) return jsonld_error("invalid type mapping", term);
    LAUREL_ASSIGN_OR_RETURN(auto expanded_type, expand_iri(type->as_string(), false, true));
    if (!expanded_type || (*expanded_type != "@id" && *expanded_type != "@json" &&
                           *expanded_type != "@none" && *expanded_type != "@vocab" &&
                           !is_absolute_iri(*expanded_type))) {
      return jsonld_error("invalid type mapping", type->as_string());
    }
    definition.type_mapping = *expanded_type;
  }
  // Step 13: reverse properties.
  if (const Json* reverse = map.find("@reverse")) {
    if (map.find("@id") || map.find("@nest")) return jsonld_error("invalid reverse property", term);
    if (!reverse->is_string()) return jsonld_error("invalid IRI mapping", term);
    if (has_keyword_form(reverse->as_string())) {
      defined_[term] = true;
      return {};
    }
    LAUREL_ASSIGN_OR_RETURN(auto iri, expand_iri(reverse->as_string(), false, true));
    if (!iri || (!is_absolute_iri(*iri) && !is_blank_node_id(*iri))) {
      return jsonld_error("invalid IRI mapping", term);
    }
    definition.iri = *iri;
    if (const Json* container = map.find("@container")) {
      if (!container->is_null()) {
        if (!container->is_string() ||
            (container->as_string() != "@set" && container->as_string() != "@index")) {
          return jsonld_error("invalid reverse property", term);
        }
        definition.container = container->as_string() == "@set" ? kSet : kIndex;
      }
    }
    definition.reverse = true;
  } else {
    // Step 14-18: the IRI mapping.
    const Json* id = map.find("@id");
    if (id != nullptr && !(id->is_string() && id->as_string() == term)) {
      if (id->is_null()) {
        definition.iri.reset();
      } else {
        if (!id->is_string()) return jsonld_error("invalid IRI mapping", term);
        const std::string& id_text = id->as_string();
        if (!is_keyword(id_text) && has_keyword_form(id_text)) {
          defined_[term] = true;
          return {};
        }
        LAUREL_ASSIGN_OR_RETURN(auto iri, expand_iri(id_text, false, true));
        if (!iri || (!is_keyword(*iri) && !is_absolute_iri(*iri) && !is_blank_node_id(*iri))) {
          return jsonld_error("invalid IRI mapping", term);
        }
        if (*iri == "@context") return jsonld_error("invalid keyword alias", term);
        definition.iri = *iri;
        std::size_t colon = term.find(':', 1);
        bool inner_colon = colon != std::string::npos && colon + 1 < term.size();
        if (inner_colon || term.find('/') != std::string::npos) {
          defined_[term] = true;
          LAUREL_ASSIGN_OR_RETURN(auto term_iri, expand_iri(term, false, true));
          if (term_iri != iri) return jsonld_error("invalid IRI mapping", term);
        }
        if (term.find(':') == std::string::npos && term.find('/') == std::string::npos &&
            simple_term && (ends_with_gen_delim(*iri) || is_blank_node_id(*iri))) {
          definition.prefix = true;
        }
      }
    } else if (std::size_t colon = term.find(':', 1); colon != std::string::npos) {
      std::string prefix = term.substr(0, colon);
      std::string suffix = term.substr(colon + 1);
      if (local_.find(prefix) != nullptr) {
        LAUREL_TRY(define(prefix, default_protected, override_protected));
      }
      const TermDefinition* prefix_definition = result_->find(prefix);
      if (prefix_definition != nullptr && prefix_definition->iri) {
        definition.iri = *prefix_definition->iri + suffix;
      } else {
        definition.iri = term;  // an IRI or a blank node identifier
      }
    } else if (term.find('/') != std::string::npos) {
      // A relative IRI: expanded against @vocab, not through the local context (it is itself
      // the entry being defined).
      LAUREL_ASSIGN_OR_RETURN(auto iri, processor_.expand_iri(*result_, term, false, true));
      if (!iri || !is_absolute_iri(*iri)) return jsonld_error("invalid IRI mapping", term);
      definition.iri = *iri;
    } else if (term == "@type") {
      definition.iri = "@type";
    } else {
      if (!result_->vocab) return jsonld_error("invalid IRI mapping", term + " (no @vocab)");
      definition.iri = *result_->vocab + term;
    }
  }
  // Step 19.
  if (const Json* container = map.find("@container")) {
    if (!definition.reverse) LAUREL_TRY(define_container(*container, definition));
  }
  // Step 20.
  if (const Json* index = map.find("@index")) {
    if (!(definition.container & kIndex) || !index->is_string()) {
      return jsonld_error("invalid term definition", term + " (@index)");
    }
    LAUREL_ASSIGN_OR_RETURN(auto index_iri, expand_iri(index->as_string(), false, true));
    if (!index_iri || !is_absolute_iri(*index_iri)) {
      return jsonld_error("invalid term definition", term + " (@index)");
    }
    definition.index = index->as_string();
  }
  // Step 21: a scoped context, validated now.
  if (const Json* context = map.find("@context")) {
    auto validated = processor_.validate_scoped_context(result_, *context, local_immortal_,
                                                        base_url_, remote_chain_);
    if (!validated.ok()) {
      if (validated.error().code == ErrorCode::NotFound ||
          validated.error().message.rfind("limit exceeded", 0) == 0) {
        return validated.error();
      }
      return jsonld_error("invalid scoped context",
                          term + " (" + validated.error().message + ")");
    }
    definition.context = context;
    definition.context_immortal = local_immortal_;
    definition.base_url = base_url_;
  }
  // Step 22-23.
  if (const Json* language = map.find("@language"); language && !map.find("@type")) {
    if (!language->is_null() && !language->is_string()) {
      return jsonld_error("invalid language mapping", term);
    }
    definition.has_language = true;
    if (language->is_string()) definition.language = lowercase(language->as_string());
  }
  if (const Json* direction = map.find("@direction"); direction && !map.find("@type")) {
    if (!direction->is_null() &&
        !(direction->is_string() &&
          (direction->as_string() == "ltr" || direction->as_string() == "rtl"))) {
      return jsonld_error("invalid base direction", term);
    }
    definition.has_direction = true;
    if (direction->is_string()) definition.direction = direction->as_string();
  }
  // Step 24.
  if (const Json* nest = map.find("@nest")) {
    if (!nest->is_string() || (is_keyword(nest->as_string()) && nest->as_string() != "@nest")) {
      return jsonld_error("invalid @nest value", term);
    }
    definition.nest = nest->as_string();
  }
  // Step 25.
  if (const Json* prefix = map.find("@prefix")) {
    if (term.find(':') != std::string::npos || term.find('/') != std::string::npos) {
      return jsonld_error("invalid term definition", term + " (@prefix)");
    }
    if (!prefix->is_bool()) return jsonld_error("invalid @prefix value", term);
    definition.prefix = prefix->as_bool();
    if (definition.prefix && definition.iri && is_keyword(*definition.iri)) {
      return jsonld_error("invalid term definition", term + " (@prefix on a keyword)");
    }
  }
  // Step 26.
  for (const auto& [key, member] : map.as_object()) {
    static constexpr std::string_view kAllowed[] = {
        "@id", "@reverse", "@container", "@context", "@direction", "@index",
        "@language", "@nest", "@prefix", "@protected", "@type"};
    if (std::find(std::begin(kAllowed), std::end(kAllowed), key) == std::end(kAllowed)) {
      return jsonld_error("invalid term definition", term + " (" + key + ")");
    }
  }
  // Step 27: protected terms keep their definition, or the redefinition is an error.
  if (!override_protected && previous && previous->is_protected) {
    if (!definition.same_as(*previous)) return jsonld_error("protected term redefinition", term);
    definition = std::move(*previous);
  }
  result_->terms[term] = std::move(definition);
  defined_[term] = true;
  return {};
}

// §5.2.2 with a local context being processed (steps 3 and 6.3 define terms on demand).
Result<std::optional<std::string>> ContextBuilder::expand_iri(std::string_view value,
                                                              bool document_relative, bool vocab) {
  if (is_keyword(value)) return std::optional<std::string>(std::string(value));
  if (has_keyword_form(value)) return std::optional<std::string>();
  std::string key(value);
  if (local_.find(value) != nullptr) {
    auto it = defined_.find(key);
    if (it == defined_.end() || !it->second) LAUREL_TRY(define(key, false, false));
  }
  const ActiveContext& active = *result_;
  const TermDefinition* definition = active.find(value);
  if (definition && definition->iri && is_keyword(*definition->iri)) return definition->iri;
  if (vocab && definition) return definition->iri;
  std::size_t colon = value.find(':', 1);
  if (colon != std::string_view::npos) {
    std::string prefix(value.substr(0, colon));
    std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.substr(0, 2) == "//") return std::optional<std::string>(key);
    if (local_.find(prefix) != nullptr) {
      auto it = defined_.find(prefix);
      if (it == defined_.end() || !it->second) LAUREL_TRY(define(prefix, false, false));
    }
    const TermDefinition* prefix_definition = active.find(prefix);
    if (prefix_definition && prefix_definition->iri && prefix_definition->prefix) {
      return std::optional<std::string>(*prefix_definition->iri + std::string(suffix));
    }
    if (is_absolute_iri(value)) return std::optional<std::string>(key);
  }
  if (vocab && active.vocab) return std::optional<std::string>(*active.vocab + key);
  if (document_relative) {
    return std::optional<std::string>(active.base ? resolve_iri(*active.base, value) : key);
  }
  return std::optional<std::string>(key);
}

Result<std::optional<std::string>> Processor::expand_iri(const ActiveContext& active,
                                                         std::string_view value,
                                                         bool document_relative, bool vocab) {
  if (is_keyword(value)) return std::optional<std::string>(std::string(value));
  if (has_keyword_form(value)) return std::optional<std::string>();
  const TermDefinition* definition = active.find(value);
  if (definition && definition->iri && is_keyword(*definition->iri)) return definition->iri;
  if (vocab && definition) return definition->iri;
  std::size_t colon = value.find(':', 1);
  if (colon != std::string_view::npos) {
    std::string_view prefix = value.substr(0, colon);
    std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.substr(0, 2) == "//") {
      return std::optional<std::string>(std::string(value));
    }
    const TermDefinition* prefix_definition = active.find(prefix);
    if (prefix_definition && prefix_definition->iri && prefix_definition->prefix) {
      return std::optional<std::string>(*prefix_definition->iri + std::string(suffix));
    }
    if (is_absolute_iri(value)) return std::optional<std::string>(std::string(value));
  }
  if (vocab && active.vocab) return std::optional<std::string>(*active.vocab + std::string(value));
  if (document_relative && active.base) {
    return std::optional<std::string>(resolve_iri(*active.base, value));
  }
  return std::optional<std::string>(std::string(value));
}

Result<ContextPtr> Processor::process_context(const ContextPtr& active, const Json& local,
                                              bool local_immortal, const std::string& base_url,
                                              bool override_protected, bool propagate,
                                              bool validate_scoped) {
  unsigned flags = (override_protected ? kOverride : 0) | (propagate ? kPropagate : 0) |
                   (validate_scoped ? kValidate : 0);
  // Immortal parent and built-in local context: the result is shared process-wide.
  bool shareable = active->immortal && local_immortal;
  if (shareable) {
    std::lock_guard lock(active->derived_mutex);
    for (const auto& derived : active->derived) {
      if (derived.local == &local && derived.flags == flags) return derived.result;
    }
  }
  MemoKey key{active.get(), &local, flags, base_url};
  if (!shareable) {
    if (auto it = memo_.find(key); it != memo_.end()) return it->second.second;
  }
  LAUREL_TRY(enter(context_depth_, options_.max_context_depth, "contexts"));
  bool result_immortal = local_immortal;
  auto result = process_uncached(active, local, local_immortal, base_url, remote_chain_,
                                 override_protected, propagate, validate_scoped, result_immortal);
  --context_depth_;
  if (!result.ok()) return result;
  if (shareable && result_immortal) {
    // Set before the context is published below; published contexts are never written again.
    if (!result.value()->immortal) {
      std::const_pointer_cast<ActiveContext>(result.value())->immortal = true;
    }
    std::lock_guard lock(active->derived_mutex);
    active->derived.push_back({&local, flags, result.value()});
  } else {
    memo_.emplace(key, std::make_pair(active, result.value()));
  }
  return result;
}

// §4.2.2 step 21: the scoped context is processed once to find errors early. `active` is still
// being built, so nothing here is memoized.
Result<ContextPtr> Processor::validate_scoped_context(const ContextPtr& active, const Json& local,
                                                      bool local_immortal,
                                                      const std::string& base_url,
                                                      std::vector<std::string>& remote_chain) {
  LAUREL_TRY(enter(context_depth_, options_.max_context_depth, "contexts"));
  bool result_immortal = false;
  auto result = process_uncached(active, local, local_immortal, base_url, remote_chain, true, true,
                                 false, result_immortal);
  --context_depth_;
  return result;
}

Result<ContextPtr> Processor::process_uncached(const ContextPtr& active, const Json& local,
                                               bool local_immortal, const std::string& base_url,
                                               std::vector<std::string>& remote_chain,
                                               bool override_protected, bool propagate,
                                               bool validate_scoped, bool& result_immortal) {
  // Step 1-3. `current` is shared and immutable; the first change copies it into `owned`, so a
  // chain of built-in remote contexts walks from one memoized immortal context to the next.
  ContextPtr current = active;
  std::shared_ptr<ActiveContext> owned;
  auto mutable_result = [&]() -> std::shared_ptr<ActiveContext>& {
    if (!owned) {
      owned = std::make_shared<ActiveContext>();
      owned->terms = current->terms;
      owned->base = current->base;
      owned->original_base = current->original_base;
      owned->vocab = current->vocab;
      owned->default_language = current->default_language;
      owned->default_direction = current->default_direction;
      owned->previous = current->previous;
      current = owned;
    }
    return owned;
  };
  if (const Json* propagate_value = local.is_object() ? local.find("@propagate") : nullptr) {
    if (!propagate_value->is_bool()) return jsonld_error("invalid @propagate value", "");
    propagate = propagate_value->as_bool();
  }
  if (!propagate && !current->previous) mutable_result()->previous = active;
  // Step 4-5.
  // Term definitions keep pointers to their scoped contexts: iterate in place, never over copies.
  std::vector<const Json*> items;
  if (local.is_array()) {
    for (const Json& item : local.as_array()) items.push_back(&item);
  } else {
    items.push_back(&local);
  }
  for (const Json* context_pointer : items) {
    const Json& context = *context_pointer;
    // Step 5.1: null resets (unless protected terms would be lost).
    if (context.is_null()) {
      if (!override_protected && current->has_protected_terms()) {
        return jsonld_error("invalid context nullification", "");
      }
      auto reset = std::make_shared<ActiveContext>();
      if (!active->original_base.empty()) reset->base = active->original_base;
      reset->original_base = active->original_base;
      if (!propagate) reset->previous = current;
      owned = reset;
      current = reset;
      continue;
    }
    // Step 5.2: a remote context.
    if (context.is_string()) {
      std::string url = resolve_iri(base_url, context.as_string());
      if (!is_absolute_iri(url)) return jsonld_error("loading document failed", url);
      bool in_chain =
          std::find(remote_chain.begin(), remote_chain.end(), url) != remote_chain.end();
      if (!validate_scoped && in_chain) continue;
      if (in_chain) return jsonld_error("recursive context inclusion", url);
      remote_seen_.insert(url);
      if (remote_seen_.size() > options_.max_remote_contexts) {
        return jsonld_error("context overflow", "more than " +
                                                    std::to_string(options_.max_remote_contexts) +
                                                    " remote contexts (max_remote_contexts)");
      }
      bool immortal = false;
      LAUREL_ASSIGN_OR_RETURN(const Json* document, load_remote_context(url, immortal));
      const Json* remote = document->is_object() ? document->find("@context") : nullptr;
      if (remote == nullptr) return jsonld_error("invalid remote context", url);
      remote_chain.push_back(url);
      auto processed = process_context(current, *remote, immortal, url, false, true,
                                       validate_scoped);
      remote_chain.pop_back();
      if (!processed.ok()) return processed.error();
      result_immortal = result_immortal && immortal && processed.value()->immortal;
      current = processed.value();
      owned = nullptr;
      continue;
    }
    // Step 5.3-5.4.
    if (!context.is_object()) return jsonld_error("invalid local context", context.dump());
    const Json* definitions = &context;
    // Step 5.5.
    if (const Json* version = context.find("@version")) {
      if (!version->is_number() || version->as_double() != 1.1) {
        return jsonld_error("invalid @version value", version->dump());
      }
    }
    // Step 5.6: @import.
    if (const Json* import = context.find("@import")) {
      if (!import->is_string()) return jsonld_error("invalid @import value", import->dump());
      std::string url = resolve_iri(base_url, import->as_string());
      bool immortal = false;
      LAUREL_ASSIGN_OR_RETURN(const Json* document, load_remote_context(url, immortal));
      const Json* imported = document->is_object() ? document->find("@context") : nullptr;
      if (imported == nullptr || !imported->is_object()) {
        return jsonld_error("invalid remote context", url);
      }
      if (imported->find("@import")) return jsonld_error("invalid context entry", url);
      // Kept for the whole call: term definitions point into it.
      Json& merged = owned_.emplace_back(*imported);
      for (const auto& [key, value] : context.as_object()) merged.set(key, value);
      definitions = &merged;
      // The merged copy lives only in this call: scoped contexts in it are not immortal.
      result_immortal = false;
    }
    const Json& definition = *definitions;
    // Step 5.7: @base, only in a document's own contexts.
    if (const Json* base = definition.find("@base"); base && remote_chain.empty()) {
      if (base->is_null()) {
        mutable_result()->base.reset();
      } else if (!base->is_string()) {
        return jsonld_error("invalid base IRI", base->dump());
      } else if (is_absolute_iri(base->as_string())) {
        mutable_result()->base = base->as_string();
      } else if (current->base) {
        mutable_result()->base = resolve_iri(*current->base, base->as_string());
      } else {
        return jsonld_error("invalid base IRI", base->as_string());
      }
    }
    // Step 5.8: @vocab.
    if (const Json* vocab = definition.find("@vocab")) {
      if (vocab->is_null()) {
        mutable_result()->vocab.reset();
      } else if (!vocab->is_string()) {
        return jsonld_error("invalid vocab mapping", vocab->dump());
      } else {
        ContextBuilder builder(*this, mutable_result(), definition, local_immortal, base_url,
                               remote_chain);
        LAUREL_ASSIGN_OR_RETURN(auto expanded, builder.expand_iri(vocab->as_string(), true, true));
        bool has_colon = vocab->as_string().find(':') != std::string::npos;
        if (!expanded || (!is_absolute_iri(*expanded) && !is_blank_node_id(*expanded) &&
                          !expanded->empty() && has_colon)) {
          return jsonld_error("invalid vocab mapping", vocab->as_string());
        }
        mutable_result()->vocab = *expanded;
      }
    }
    // Step 5.9-5.11.
    if (const Json* language = definition.find("@language")) {
      if (language->is_null()) {
        mutable_result()->default_language.reset();
      } else if (language->is_string()) {
        mutable_result()->default_language = lowercase(language->as_string());
      } else {
        return jsonld_error("invalid default language", language->dump());
      }
    }
    if (const Json* direction = definition.find("@direction")) {
      if (direction->is_null()) {
        mutable_result()->default_direction.reset();
      } else if (direction->is_string() &&
                 (direction->as_string() == "ltr" || direction->as_string() == "rtl")) {
        mutable_result()->default_direction = direction->as_string();
      } else {
        return jsonld_error("invalid base direction", direction->dump());
      }
    }
    if (const Json* propagate_value = definition.find("@propagate")) {
      if (!propagate_value->is_bool()) return jsonld_error("invalid @propagate value", "");
    }
    // Step 5.12-5.13.
    bool is_protected = false;
    if (const Json* protected_value = definition.find("@protected")) {
      if (!protected_value->is_bool()) return jsonld_error("invalid @protected value", "");
      is_protected = protected_value->as_bool();
    }
    ContextBuilder builder(*this, mutable_result(), definition,
                           local_immortal && definitions == &context, base_url, remote_chain);
    LAUREL_TRY(builder.define_all(is_protected, override_protected));
  }
  return current;
}

}  // namespace laurel::jsonld::detail
