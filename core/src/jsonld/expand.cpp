// §5.1 Expansion Algorithm and §5.3 Value Expansion (processing mode json-ld-1.1, ordered: Json
// objects iterate their keys in code point order, which is what "ordered" asks for).
#include <algorithm>
#include <cctype>

#include "jsonld/internal.hpp"

namespace laurel::jsonld::detail {
namespace {

using OptString = std::optional<std::string>;

const Json::Array& as_list(const Json& value, Json::Array& scratch) {
  if (value.is_array()) return value.as_array();
  scratch.assign(1, value);
  return scratch;
}

void append_value(Json& object, const std::string& key, Json value) {
  Json* existing = object.find(key);
  if (existing == nullptr) {
    existing = &object.set(key, Json::array());
  } else if (!existing->is_array()) {
    Json single = std::move(*existing);
    *existing = Json::array();
    existing->push_back(std::move(single));
  }
  if (value.is_array()) {
    for (Json& item : value.as_array()) existing->push_back(std::move(item));
  } else {
    existing->push_back(std::move(value));
  }
}

bool is_scalar(const Json& value) {
  return value.is_string() || value.is_number() || value.is_bool();
}

bool is_value_object(const Json& value) { return value.is_object() && value.find("@value"); }
bool is_list_object(const Json& value) { return value.is_object() && value.find("@list"); }
bool is_graph_object(const Json& value) {
  if (!value.is_object() || !value.find("@graph")) return false;
  for (const auto& [key, member] : value.as_object()) {
    if (key != "@graph" && key != "@id" && key != "@index" && key != "@context") return false;
  }
  return true;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// §5.3.2 Value Expansion.
Result<Json> Processor::expand_value(const ActiveContext& active,
                                     const TermDefinition* definition, const Json& value) {
  const OptString* type = definition && definition->type_mapping ? &definition->type_mapping
                                                                  : nullptr;
  if (type && value.is_string() && (**type == "@id" || **type == "@vocab")) {
    bool vocab = **type == "@vocab";
    LAUREL_ASSIGN_OR_RETURN(auto iri, expand_iri(active, value.as_string(), true, vocab));
    Json result = Json::object();
    result.set("@id", iri ? Json(*iri) : Json());
    return result;
  }
  Json result = Json::object();
  result.set("@value", value);
  if (type && **type != "@id" && **type != "@vocab" && **type != "@none") {
    result.set("@type", **type);
  } else if (value.is_string()) {
    OptString language = definition && definition->has_language ? definition->language
                                                                 : active.default_language;
    OptString direction = definition && definition->has_direction ? definition->direction
                                                                   : active.default_direction;
    if (language) result.set("@language", *language);
    if (direction) result.set("@direction", *direction);
  }
  return result;
}

Result<Json> Processor::expand(const ContextPtr& active, const OptString& active_property,
                               const Json& element, const std::string& base_url, bool from_map) {
  // Step 1.
  if (element.is_null()) return Json();
  const TermDefinition* property_definition =
      active_property ? active->find(*active_property) : nullptr;
  // Step 4: scalars.
  if (!element.is_array() && !element.is_object()) {
    if (!active_property || *active_property == "@graph") return Json();
    ContextPtr context = active;
    if (property_definition && property_definition->context) {
      LAUREL_ASSIGN_OR_RETURN(context, process_context(active, *property_definition->context,
                                                       property_definition->context_immortal,
                                                       property_definition->base_url, true));
    }
    return expand_value(*context, context->find(*active_property), element);
  }
  LAUREL_TRY(enter(expand_depth_, options_.max_depth, "the document"));
  struct Leave {
    std::size_t& depth;
    ~Leave() { --depth; }
  } leave{expand_depth_};
  // Step 5: arrays.
  if (element.is_array()) {
    Json result = Json::array();
    bool list_container = property_definition && (property_definition->container & kList);
    for (const Json& item : element.as_array()) {
      LAUREL_ASSIGN_OR_RETURN(Json expanded, expand(active, active_property, item, base_url,
                                                    from_map));
      if (list_container && expanded.is_array()) {
        expanded = Json::object({{"@list", std::move(expanded)}});
      }
      if (expanded.is_array()) {
        for (Json& nested : expanded.as_array()) {
          if (!nested.is_null()) result.push_back(std::move(nested));
        }
      } else if (!expanded.is_null()) {
        result.push_back(std::move(expanded));
      }
    }
    return result;
  }
  return expand_object(active, active_property, element, base_url, from_map);
}

Result<Json> Processor::expand_object(ContextPtr active, const OptString& active_property,
                                      const Json& element, const std::string& base_url,
                                      bool from_map) {
  const TermDefinition* property_definition =
      active_property ? active->find(*active_property) : nullptr;
  const Json* property_scoped = property_definition ? property_definition->context : nullptr;
  bool property_scoped_immortal = property_definition && property_definition->context_immortal;
  std::string property_base = property_definition ? property_definition->base_url : "";
  // Step 7: a non-propagated (type-scoped) context does not reach into new node objects.
  if (active->previous && !from_map) {
    bool keep = false;
    for (const auto& [key, value] : element.as_object()) {
      LAUREL_ASSIGN_OR_RETURN(auto expanded, expand_iri(*active, key, false, true));
      if (expanded == "@value") {
        keep = true;
        break;
      }
      if (expanded == "@id" && element.size() == 1) keep = true;
    }
    if (!keep) active = active->previous;
  }
  // Step 8-9.
  if (property_scoped) {
    LAUREL_ASSIGN_OR_RETURN(active, process_context(active, *property_scoped,
                                                    property_scoped_immortal, property_base, true));
  }
  if (const Json* context = element.find("@context")) {
    LAUREL_ASSIGN_OR_RETURN(active, process_context(active, *context, false, base_url));
  }
  // Step 10-11: type-scoped contexts, from the types in code point order.
  ContextPtr type_scoped = active;
  OptString input_type;
  bool seen_type_key = false;
  for (const auto& [key, value] : element.as_object()) {
    LAUREL_ASSIGN_OR_RETURN(auto expanded, expand_iri(*active, key, false, true));
    if (expanded != "@type") continue;
    Json::Array scratch;
    std::vector<std::string> types;
    for (const Json& type : as_list(value, scratch)) {
      if (type.is_string()) types.push_back(type.as_string());
    }
    std::sort(types.begin(), types.end());
    for (const std::string& type : types) {
      const TermDefinition* definition = type_scoped->find(type);
      if (definition && definition->context) {
        LAUREL_ASSIGN_OR_RETURN(active, process_context(active, *definition->context,
                                                        definition->context_immortal,
                                                        definition->base_url, false, false));
      }
    }
    // Step 12: input type, from the first @type entry's last value.
    if (!seen_type_key && !as_list(value, scratch).empty()) {
      const Json& last = as_list(value, scratch).back();
      if (last.is_string()) {
        LAUREL_ASSIGN_OR_RETURN(input_type, expand_iri(*active, last.as_string(), false, true));
      }
    }
    seen_type_key = true;
  }
  Json result = Json::object();
  LAUREL_TRY(expand_members(active, type_scoped, active_property, element, base_url, input_type,
                            result));
  // Step 15: value objects.
  if (const Json* value = result.find("@value")) {
    for (const auto& [key, member] : result.as_object()) {
      if (key != "@direction" && key != "@index" && key != "@language" && key != "@type" &&
          key != "@value") {
        return jsonld_error("invalid value object", key);
      }
    }
    const Json* type = result.find("@type");
    if (type && (result.find("@language") || result.find("@direction"))) {
      return jsonld_error("invalid value object", "@type with @language or @direction");
    }
    bool is_json = type && type->is_string() && type->as_string() == "@json";
    if (!is_json) {
      if (value->is_null()) return Json();
      if (!value->is_string() && result.find("@language")) {
        return jsonld_error("invalid language-tagged value", value->dump());
      }
      if (type && (!type->is_string() || !is_absolute_iri(type->as_string()))) {
        return jsonld_error("invalid typed value", type->dump());
      }
    }
  } else if (Json* type = result.find("@type"); type && !type->is_array()) {
    // Step 16.
    Json single = std::move(*type);
    *type = Json::array();
    type->push_back(std::move(single));
  } else if (result.find("@set") || result.find("@list")) {
    // Step 17.
    if (result.size() > 2 || (result.size() == 2 && !result.find("@index"))) {
      return jsonld_error("invalid set or list object", "");
    }
    if (const Json* set = result.find("@set")) {
      Json inner = *set;
      result = std::move(inner);
    }
  }
  // Step 18-19.
  if (result.is_object() && result.size() == 1 && result.find("@language")) return Json();
  if (!active_property || *active_property == "@graph") {
    if (result.is_object() &&
        (result.size() == 0 || result.find("@value") || result.find("@list"))) {
      return Json();
    }
    if (result.is_object() && result.size() == 1 && result.find("@id")) return Json();
  }
  return result;
}

// Steps 13-14: the members of `element` (and of its @nest objects) into `result`.
Status Processor::expand_members(const ContextPtr& active, const ContextPtr& type_scoped,
                                 const OptString& active_property, const Json& element,
                                 const std::string& base_url, const OptString& input_type,
                                 Json& result) {
  std::vector<std::string> nests;
  for (const auto& [key, value] : element.as_object()) {
    if (key == "@context") continue;
    LAUREL_ASSIGN_OR_RETURN(OptString expanded_property, expand_iri(*active, key, false, true));
    if (!expanded_property ||
        (!is_absolute_iri(*expanded_property) && !is_blank_node_id(*expanded_property) &&
         !is_keyword(*expanded_property))) {
      continue;
    }
    const std::string& property = *expanded_property;
    if (is_keyword(property)) {
      LAUREL_TRY(expand_keyword(active, type_scoped, active_property, key, property, value,
                                base_url, input_type, result, nests));
      continue;
    }
    // Step 13.5-13.14: a property.
    const TermDefinition* definition = active->find(key);
    std::uint8_t container = definition ? definition->container : 0;
    Json expanded_value;
    if (definition && definition->type_mapping == "@json") {
      expanded_value = Json::object({{"@value", value}, {"@type", "@json"}});
    } else if ((container & kLanguage) && value.is_object()) {
      LAUREL_ASSIGN_OR_RETURN(expanded_value, expand_language_map(*active, *definition, value));
    } else if ((container & (kIndex | kType | kId)) && value.is_object()) {
      LAUREL_ASSIGN_OR_RETURN(expanded_value,
                              expand_index_map(active, *definition, key, value, base_url));
    } else {
      LAUREL_ASSIGN_OR_RETURN(expanded_value, expand(active, key, value, base_url));
    }
    // Step 13.10-13.14.
    if (expanded_value.is_null()) continue;
    if ((container & kList) && !is_list_object(expanded_value)) {
      Json list = expanded_value.is_array() ? std::move(expanded_value)
                                            : Json(Json::Array{std::move(expanded_value)});
      expanded_value = Json::object({{"@list", std::move(list)}});
    }
    if ((container & kGraph) && !(container & kId) && !(container & kIndex)) {
      Json graphs = Json::array();
      Json::Array scratch;
      for (const Json& item : as_list(expanded_value, scratch)) {
        graphs.push_back(Json::object({{"@graph", Json(Json::Array{item})}}));
      }
      expanded_value = std::move(graphs);
    }
    if (definition && definition->reverse) {
      Json* reverse_map = result.find("@reverse");
      if (!reverse_map) reverse_map = &result.set("@reverse", Json::object());
      Json::Array scratch;
      for (const Json& item : as_list(expanded_value, scratch)) {
        if (is_value_object(item) || is_list_object(item)) {
          return jsonld_error("invalid reverse property value", item.dump());
        }
        append_value(*reverse_map, property, item);
      }
    } else {
      append_value(result, property, std::move(expanded_value));
    }
  }
  // Step 14: nested properties.
  for (const std::string& nesting_key : nests) {
    Json::Array scratch;
    for (const Json& nested : as_list(*element.find(nesting_key), scratch)) {
      if (!nested.is_object()) return jsonld_error("invalid @nest value", nested.dump());
      for (const auto& [key, member] : nested.as_object()) {
        LAUREL_ASSIGN_OR_RETURN(auto expanded, expand_iri(*active, key, false, true));
        if (expanded == "@value") return jsonld_error("invalid @nest value", nested.dump());
      }
      // The nesting term's own scoped context applies inside the nest (JSON-LD 1.1 errata).
      ContextPtr nested_context = active;
      const TermDefinition* nest_definition = active->find(nesting_key);
      if (nest_definition && nest_definition->context) {
        LAUREL_ASSIGN_OR_RETURN(nested_context,
                                process_context(active, *nest_definition->context,
                                                nest_definition->context_immortal,
                                                nest_definition->base_url, true));
      }
      LAUREL_TRY(expand_members(nested_context, type_scoped, nesting_key, nested, base_url,
                                input_type, result));
    }
  }
  return {};
}

// Step 13.4: a member whose key expands to a keyword.
Status Processor::expand_keyword(const ContextPtr& active, const ContextPtr& type_scoped,
                                 const OptString& active_property, const std::string& key,
                                 const std::string& property, const Json& value,
                                 const std::string& base_url, const OptString& input_type,
                                 Json& result, std::vector<std::string>& nests) {
  if (active_property && *active_property == "@reverse") {
    return jsonld_error("invalid reverse property map", key);
  }
  if (result.find(property) && property != "@included" && property != "@type") {
    return jsonld_error("colliding keywords", property);
  }
  Json expanded_value;
  if (property == "@id") {
    if (!value.is_string()) return jsonld_error("invalid @id value", value.dump());
    LAUREL_ASSIGN_OR_RETURN(auto iri, expand_iri(*active, value.as_string(), true, false));
    expanded_value = iri ? Json(*iri) : Json();
  } else if (property == "@type") {
    bool ok = value.is_string() || value.is_array();
    if (value.is_array()) {
      for (const Json& item : value.as_array()) ok = ok && item.is_string();
    }
    if (!ok) return jsonld_error("invalid type value", value.dump());
    Json::Array scratch;
    expanded_value = Json::array();
    for (const Json& item : as_list(value, scratch)) {
      LAUREL_ASSIGN_OR_RETURN(auto iri, expand_iri(*type_scoped, item.as_string(), true, true));
      if (iri) expanded_value.push_back(*iri);
    }
    if (value.is_string() && expanded_value.size() == 1) {
      Json single = expanded_value.as_array()[0];
      expanded_value = std::move(single);
    }
    if (const Json* existing = result.find("@type")) {
      Json combined = Json::array();
      Json::Array scratch_existing, scratch_new;
      for (const Json& item : as_list(*existing, scratch_existing)) combined.push_back(item);
      for (const Json& item : as_list(expanded_value, scratch_new)) combined.push_back(item);
      expanded_value = std::move(combined);
    }
  } else if (property == "@graph") {
    LAUREL_ASSIGN_OR_RETURN(expanded_value,
                            expand(active, std::string("@graph"), value, base_url));
    if (!expanded_value.is_array()) {
      Json single = std::move(expanded_value);
      expanded_value = Json::array();
      if (!single.is_null()) expanded_value.push_back(std::move(single));
    }
  } else if (property == "@included") {
    // Only node objects may be included; a scalar, value or list would vanish as free-floating
    // in the expansion below, so it is caught here.
    Json::Array scratch;
    for (const Json& item : as_list(value, scratch)) {
      bool node = item.is_object();
      for (const auto& [item_key, item_value] : node ? item.as_object() : Json::Object()) {
        LAUREL_ASSIGN_OR_RETURN(auto item_property, expand_iri(*active, item_key, false, true));
        if (item_property == "@value" || item_property == "@list") node = false;
      }
      if (!node) return jsonld_error("invalid @included value", item.dump());
    }
    LAUREL_ASSIGN_OR_RETURN(expanded_value, expand(active, active_property, value, base_url));
    if (!expanded_value.is_array()) {
      Json single = std::move(expanded_value);
      expanded_value = Json::array();
      if (!single.is_null()) expanded_value.push_back(std::move(single));
    }
    for (const Json& item : expanded_value.as_array()) {
      if (!item.is_object() || item.find("@value") || item.find("@list") ||
          item.find("@set")) {
        return jsonld_error("invalid @included value", item.dump());
      }
    }
    if (const Json* existing = result.find("@included")) {
      Json combined = *existing;
      for (Json& item : expanded_value.as_array()) combined.push_back(std::move(item));
      expanded_value = std::move(combined);
    }
  } else if (property == "@value") {
    if (input_type == "@json") {
      expanded_value = value;
    } else if (!value.is_null() && !is_scalar(value)) {
      return jsonld_error("invalid value object value", value.dump());
    } else {
      expanded_value = value;
    }
    if (expanded_value.is_null() && input_type != "@json") {
      result.set("@value", Json());
      return {};
    }
  } else if (property == "@language") {
    if (!value.is_string()) return jsonld_error("invalid language-tagged string", value.dump());
    expanded_value = lowercase(value.as_string());
  } else if (property == "@direction") {
    if (!value.is_string() || (value.as_string() != "ltr" && value.as_string() != "rtl")) {
      return jsonld_error("invalid base direction", value.dump());
    }
    expanded_value = value;
  } else if (property == "@index") {
    if (!value.is_string()) return jsonld_error("invalid @index value", value.dump());
    expanded_value = value;
  } else if (property == "@list") {
    if (!active_property || *active_property == "@graph") return {};
    LAUREL_ASSIGN_OR_RETURN(expanded_value, expand(active, active_property, value, base_url));
    if (!expanded_value.is_array()) {
      Json single = std::move(expanded_value);
      expanded_value = Json::array();
      if (!single.is_null()) expanded_value.push_back(std::move(single));
    }
  } else if (property == "@set") {
    LAUREL_ASSIGN_OR_RETURN(expanded_value, expand(active, active_property, value, base_url));
  } else if (property == "@reverse") {
    if (!value.is_object()) return jsonld_error("invalid @reverse value", value.dump());
    LAUREL_ASSIGN_OR_RETURN(expanded_value,
                            expand(active, std::string("@reverse"), value, base_url));
    if (const Json* reverse = expanded_value.find("@reverse")) {
      for (const auto& [reverse_property, items] : reverse->as_object()) {
        append_value(result, reverse_property, items);
      }
    }
    if (expanded_value.size() > (expanded_value.find("@reverse") ? 1u : 0u)) {
      Json* reverse_map = result.find("@reverse");
      if (!reverse_map) reverse_map = &result.set("@reverse", Json::object());
      for (const auto& [reverse_property, items] : expanded_value.as_object()) {
        if (reverse_property == "@reverse") continue;
        Json::Array scratch;
        for (const Json& item : as_list(items, scratch)) {
          if (is_value_object(item) || is_list_object(item)) {
            return jsonld_error("invalid reverse property value", item.dump());
          }
          append_value(*reverse_map, reverse_property, item);
        }
      }
    }
    return {};
  } else if (property == "@nest") {
    nests.push_back(key);
    return {};
  } else {
    return {};  // framing keywords (@default, @embed, ...) mean nothing outside framing
  }
  if (!(expanded_value.is_null() && property == "@value" && input_type != "@json")) {
    result.set(property, std::move(expanded_value));
  }
  return {};
}

// Step 13.7: a language map.
Result<Json> Processor::expand_language_map(const ActiveContext& active,
                                            const TermDefinition& definition, const Json& value) {
  Json expanded_value = Json::array();
  OptString direction = definition.has_direction ? definition.direction
                                                  : active.default_direction;
  for (const auto& [language, language_value] : value.as_object()) {
    Json::Array scratch;
    for (const Json& item : as_list(language_value, scratch)) {
      if (item.is_null()) continue;
      if (!item.is_string()) return jsonld_error("invalid language map value", item.dump());
      Json entry = Json::object({{"@value", item}});
      LAUREL_ASSIGN_OR_RETURN(auto expanded_language, expand_iri(active, language, false, true));
      if (language != "@none" && expanded_language != "@none") {
        entry.set("@language", lowercase(language));
      }
      if (direction) entry.set("@direction", *direction);
      expanded_value.push_back(std::move(entry));
    }
  }
  return expanded_value;
}

// Step 13.8: an index, id or type map.
Result<Json> Processor::expand_index_map(const ContextPtr& active, const TermDefinition& definition,
                                         const std::string& key, const Json& value,
                                         const std::string& base_url) {
  std::uint8_t container = definition.container;
  Json expanded_value = Json::array();
  std::string index_key = definition.index.value_or("@index");
  for (const auto& [index, index_value] : value.as_object()) {
    ContextPtr map_context = active;
    if (container & (kId | kType)) {
      map_context = active->previous ? active->previous : active;
    }
    if (container & kType) {
      const TermDefinition* index_definition = map_context->find(index);
      if (index_definition && index_definition->context) {
        LAUREL_ASSIGN_OR_RETURN(map_context,
                                process_context(map_context, *index_definition->context,
                                                index_definition->context_immortal,
                                                index_definition->base_url));
      }
    } else {
      map_context = active;
    }
    LAUREL_ASSIGN_OR_RETURN(auto expanded_index, expand_iri(*active, index, false, true));
    Json wrapped_values = index_value.is_array() ? index_value : Json(Json::Array{index_value});
    LAUREL_ASSIGN_OR_RETURN(Json items,
                            expand(map_context, key, wrapped_values, base_url, true));
    Json::Array scratch;
    for (Json item : as_list(items, scratch)) {
      if ((container & kGraph) && !is_graph_object(item)) {
        item = Json::object({{"@graph", Json(Json::Array{std::move(item)})}});
      }
      bool none = expanded_index == "@none";
      if ((container & kIndex) && index_key != "@index" && !none) {
        LAUREL_ASSIGN_OR_RETURN(Json re_expanded,
                                expand_value(*active, active->find(index_key), Json(index)));
        LAUREL_ASSIGN_OR_RETURN(auto expanded_index_key,
                                expand_iri(*active, index_key, false, true));
        if (!expanded_index_key) continue;
        Json values = Json::array();
        values.push_back(std::move(re_expanded));
        if (const Json* existing = item.find(*expanded_index_key)) {
          Json::Array scratch_existing;
          for (const Json& existing_item : as_list(*existing, scratch_existing)) {
            values.push_back(existing_item);
          }
        }
        item.set(*expanded_index_key, std::move(values));
        if (is_value_object(item) && item.size() > 1) {
          return jsonld_error("invalid value object", "index on a value object");
        }
      } else if ((container & kIndex) && !item.find("@index") && !none) {
        item.set("@index", index);
      } else if ((container & kId) && !item.find("@id") && !none) {
        LAUREL_ASSIGN_OR_RETURN(auto id, expand_iri(*active, index, true, false));
        item.set("@id", id ? Json(*id) : Json());
      } else if ((container & kType) && !none) {
        Json types = Json::array();
        types.push_back(*expanded_index);
        if (const Json* existing = item.find("@type")) {
          Json::Array scratch_existing;
          for (const Json& type : as_list(*existing, scratch_existing)) types.push_back(type);
        }
        item.set("@type", std::move(types));
      }
      expanded_value.push_back(std::move(item));
    }
  }
  return expanded_value;
}

}  // namespace laurel::jsonld::detail
