// §7.2 Node Map Generation and §8.1 Deserialize JSON-LD to RDF, writing N-Quads.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "jsonld/internal.hpp"
#include "laurel/jcs.hpp"
#include "rdf/quad.hpp"

namespace laurel::jsonld::detail {
namespace {

using rdf::Quad;
using rdf::Term;

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

std::string rdf_iri(std::string_view local) { return std::string(kRdf) + std::string(local); }
std::string xsd_iri(std::string_view local) { return std::string(kXsd) + std::string(local); }

// An absolute IRI without the characters N-Quads cannot carry (RFC 3987 excludes them too).
bool is_well_formed_iri(std::string_view iri) {
  static const auto kForbidden = [] {
    std::array<bool, 256> forbidden{};
    for (int byte = 0; byte <= 0x20; ++byte) forbidden[byte] = true;
    for (unsigned char c : std::string_view("<>\"{}|\\^`")) forbidden[c] = true;
    return forbidden;
  }();
  if (!is_absolute_iri(iri)) return false;
  int fragments = 0;  // one fragment at most
  for (char c : iri) {
    if (kForbidden[static_cast<unsigned char>(c)]) return false;
    if (c == '#' && ++fragments > 1) return false;
  }
  return true;
}

bool is_well_formed_language(std::string_view tag) {
  std::size_t start = 0;
  bool first = true;
  while (true) {
    std::size_t end = tag.find('-', start);
    std::string_view part = tag.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      bool ok = first ? std::isalpha(static_cast<unsigned char>(c))
                      : std::isalnum(static_cast<unsigned char>(c));
      if (!ok) return false;
    }
    if (end == std::string_view::npos) return true;
    start = end + 1;
    first = false;
  }
}

// xsd:double canonical form as JSON-LD's toRdf writes it: one digit, '.', at least one digit,
// 'E', exponent without '+' or leading zeros ("1.1E0", "-5.0E-3").
std::string canonical_double(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.15E", value);
  std::string text(buffer);
  std::size_t e = text.find('E');
  std::string mantissa = text.substr(0, e);
  std::string exponent = text.substr(e + 1);
  while (mantissa.size() > 1 && mantissa.back() == '0' && mantissa[mantissa.size() - 2] != '.') {
    mantissa.pop_back();
  }
  bool negative = exponent[0] == '-';
  std::size_t digits = exponent.find_first_not_of("+-0");
  std::string exponent_digits = digits == std::string::npos ? "0" : exponent.substr(digits);
  return mantissa + "E" + (negative ? "-" : "") + exponent_digits;
}

struct Subject {
  std::string id;
  bool reverse_reference = false;  // §7.2.2 step 6.4: active subject is a node reference map
};

using Node = std::map<std::string, std::vector<Json>>;  // property -> values (and "@type")
using Graph = std::map<std::string, Node>;
using NodeMap = std::map<std::string, Graph>;

class NodeMapBuilder {
 public:
  NodeMap map;

  std::string issue(const std::string& existing) {
    if (!existing.empty()) {
      auto it = issued_.find(existing);
      if (it != issued_.end()) return it->second;
    }
    std::string label = "_:b" + std::to_string(counter_++);
    if (!existing.empty()) issued_.emplace(existing, label);
    return label;
  }

  Status generate(const Json& element, const std::string& active_graph, const Subject* subject,
                  const std::string* active_property, Json* list);

 private:
  // Values are sets (§7.2.2 "if not already there"). Most properties hold a few values, compared
  // directly; a long one (an array of 10,000 nodes) switches to a set of their texts, so adding
  // stays linear overall.
  void add_unique(std::vector<Json>& values, Json value) {
    static constexpr std::size_t kLinearLimit = 16;
    if (values.size() < kLinearLimit) {
      for (const Json& existing : values) {
        if (existing == value) return;
      }
      values.push_back(std::move(value));
      return;
    }
    auto& seen = seen_[&values];
    if (seen.empty()) {
      for (const Json& existing : values) seen.insert(existing.dump());
    }
    if (seen.insert(value.dump()).second) values.push_back(std::move(value));
  }
  std::unordered_map<const void*, std::unordered_set<std::string>> seen_;
  std::unordered_map<std::string, std::string> issued_;
  std::size_t counter_ = 0;
};

Status NodeMapBuilder::generate(const Json& element, const std::string& active_graph,
                                const Subject* subject, const std::string* active_property,
                                Json* list) {
  if (element.is_array()) {
    for (const Json& item : element.as_array()) {
      LAUREL_TRY(generate(item, active_graph, subject, active_property, list));
    }
    return {};
  }
  if (!element.is_object()) return {};
  Graph& graph = map[active_graph];
  auto subject_values = [&]() -> std::vector<Json>& {
    return graph[subject->id][*active_property];
  };
  // Step 4: value objects.
  if (element.find("@value")) {
    if (list) {
      list->find("@list")->push_back(element);
    } else if (subject && active_property) {
      add_unique(subject_values(), element);
    }
    return {};
  }
  // Step 5: list objects.
  if (const Json* items = element.find("@list")) {
    Json result = Json::object({{"@list", Json::array()}});
    LAUREL_TRY(generate(*items, active_graph, subject, active_property, &result));
    if (list) {
      list->find("@list")->push_back(std::move(result));
    } else if (subject && active_property) {
      subject_values().push_back(std::move(result));
    }
    return {};
  }
  // Step 6: node objects.
  std::string id;
  const Json* id_value = element.find("@id");
  // An @id that expanded to null (a keyword-like "@foo") names nothing: no node, no reference.
  if (id_value && !id_value->is_string()) return {};
  if (id_value) {
    id = is_blank_node_id(id_value->as_string()) ? issue(id_value->as_string())
                                                 : id_value->as_string();
  } else {
    id = issue("");
  }
  Node& node = graph[id];
  if (node.find("@id") == node.end()) node["@id"];  // marks the node as present
  if (subject && subject->reverse_reference) {
    add_unique(node[*active_property], Json::object({{"@id", subject->id}}));
  } else if (active_property) {
    Json reference = Json::object({{"@id", id}});
    if (list) {
      list->find("@list")->push_back(std::move(reference));
    } else {
      add_unique(subject_values(), std::move(reference));
    }
  }
  // Note: `node` may move when the graph map changes, so look it up again after recursion.
  if (const Json* types = element.find("@type")) {
    Json::Array single;
    const Json::Array& list_of_types = types->is_array() ? types->as_array()
                                                         : (single.assign(1, *types), single);
    for (const Json& type : list_of_types) {
      if (!type.is_string()) continue;
      std::string type_id =
          is_blank_node_id(type.as_string()) ? issue(type.as_string()) : type.as_string();
      add_unique(graph[id]["@type"], Json(type_id));
    }
  }
  if (const Json* index = element.find("@index")) {
    auto& indexes = graph[id]["@index"];
    if (!indexes.empty() && indexes[0] != *index) return jsonld_error("conflicting indexes", id);
    indexes.assign(1, *index);
  }
  if (const Json* reverse = element.find("@reverse")) {
    Subject referenced{id, true};
    for (const auto& [property, values] : reverse->as_object()) {
      LAUREL_TRY(generate(values, active_graph, &referenced, &property, nullptr));
    }
  }
  if (const Json* graph_value = element.find("@graph")) {
    LAUREL_TRY(generate(*graph_value, id, nullptr, nullptr, nullptr));
  }
  if (const Json* included = element.find("@included")) {
    LAUREL_TRY(generate(*included, active_graph, nullptr, nullptr, nullptr));
  }
  Subject self{id, false};
  for (const auto& [key, values] : element.as_object()) {
    if (key == "@id" || key == "@type" || key == "@index" || key == "@reverse" ||
        key == "@graph" || key == "@included") {
      continue;
    }
    std::string property = is_blank_node_id(key) ? issue(key) : key;
    map[active_graph][id][property];
    LAUREL_TRY(generate(values, active_graph, &self, &property, nullptr));
  }
  return {};
}

class QuadWriter {
 public:
  // Writes N-Quads text into `text`, or (text null) the quads themselves into `quads`.
  QuadWriter(NodeMapBuilder& builder, const Options& options, std::string* text,
             std::vector<Quad>* quads)
      : builder_(builder), options_(options), text_(text), quads_(quads) {}

  Status write(const NodeMap& map);

 private:
  static bool well_formed(const std::string& id) {
    return is_blank_node_id(id) || is_well_formed_iri(id);
  }
  static Term node_term(const std::string& id) {
    return is_blank_node_id(id) ? Term::blank(id.substr(2)) : Term::iri(id);
  }
  Status emit(const Term& subject, const Term& predicate, const Term& object) {
    if (++count_ > options_.max_quads) {
      return jsonld_error("limit exceeded", "more than " + std::to_string(options_.max_quads) +
                                                " quads (max_quads)");
    }
    if (text_ != nullptr) {
      rdf::append_quad(*text_, Quad{subject, predicate, object, graph_});
    } else {
      quads_->push_back(Quad{subject, predicate, object, graph_});
    }
    return {};
  }
  Result<std::optional<Term>> object_term(const Json& item);
  Result<Term> list_term(const Json::Array& items);

  NodeMapBuilder& builder_;
  const Options& options_;
  std::string* text_;
  std::vector<Quad>* quads_;
  Term graph_;
  std::size_t count_ = 0;
};

Status QuadWriter::write(const NodeMap& map) {
  for (const auto& [graph_name, graph] : map) {
    if (graph_name == "@default") {
      graph_ = Term();
    } else if (well_formed(graph_name)) {
      graph_ = node_term(graph_name);
    } else {
      continue;
    }
    for (const auto& [subject_id, node] : graph) {
      if (!well_formed(subject_id)) continue;
      Term subject = node_term(subject_id);
      for (const auto& [property, values] : node) {
        if (property == "@type") {
          Term predicate = Term::iri(rdf_iri("type"));
          for (const Json& type : values) {
            if (!well_formed(type.as_string())) continue;
            LAUREL_TRY(emit(subject, predicate, node_term(type.as_string())));
          }
          continue;
        }
        if (is_keyword(property) || is_blank_node_id(property) || !is_well_formed_iri(property)) {
          continue;
        }
        Term predicate = Term::iri(property);
        for (const Json& item : values) {
          LAUREL_ASSIGN_OR_RETURN(auto object, object_term(item));
          if (object) LAUREL_TRY(emit(subject, predicate, *object));
        }
      }
    }
  }
  return {};
}

// §8.1.4 List Conversion: the rdf:first/rdf:rest chain, written as it is built.
Result<Term> QuadWriter::list_term(const Json::Array& items) {
  if (items.empty()) return Term::iri(rdf_iri("nil"));
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < items.size(); ++i) labels.push_back(builder_.issue(""));
  for (std::size_t i = 0; i < items.size(); ++i) {
    Term subject = node_term(labels[i]);
    LAUREL_ASSIGN_OR_RETURN(auto object, object_term(items[i]));
    if (object) LAUREL_TRY(emit(subject, Term::iri(rdf_iri("first")), *object));
    Term rest = i + 1 < items.size() ? node_term(labels[i + 1]) : Term::iri(rdf_iri("nil"));
    LAUREL_TRY(emit(subject, Term::iri(rdf_iri("rest")), rest));
  }
  return node_term(labels[0]);
}

// §8.1.3 Object to RDF Conversion.
Result<std::optional<Term>> QuadWriter::object_term(const Json& item) {
  using OptTerm = std::optional<Term>;
  if (const Json* items = item.find("@list")) {
    LAUREL_ASSIGN_OR_RETURN(Term head, list_term(items->as_array()));
    return OptTerm(std::move(head));
  }
  const Json* value = item.find("@value");
  if (value == nullptr) {
    const Json* id = item.find("@id");
    if (!id || !id->is_string() || !well_formed(id->as_string())) return OptTerm();
    return OptTerm(node_term(id->as_string()));
  }
  const Json* type = item.find("@type");
  std::string datatype = type && type->is_string() ? type->as_string() : "";
  if (!datatype.empty() && datatype != "@json" && !is_well_formed_iri(datatype)) return OptTerm();
  const Json* language = item.find("@language");
  if (language && !is_well_formed_language(language->as_string())) return OptTerm();
  std::string lexical;
  if (datatype == "@json") {
    lexical = jcs_canonicalize(*value);  // RFC 8785, as JSON-LD 1.1 §8.6 asks
    datatype = rdf_iri("JSON");
  } else if (value->is_bool()) {
    lexical = value->as_bool() ? "true" : "false";
    if (datatype.empty()) datatype = xsd_iri("boolean");
  } else if (value->is_number() &&
             (datatype == xsd_iri("double") ||
              (!value->is_int() && (std::fabs(value->as_double()) >= 1e21 ||
                                    std::fmod(value->as_double(), 1.0) != 0)))) {
    lexical = canonical_double(value->as_double());
    if (datatype.empty()) datatype = xsd_iri("double");
  } else if (value->is_number()) {
    if (value->is_int()) {
      lexical = std::to_string(value->as_int());
    } else if (value->as_double() == 0) {
      lexical = "0";  // not "-0"
    } else {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.0f", value->as_double());
      lexical = buffer;
    }
    if (datatype.empty()) datatype = xsd_iri("integer");
  } else {
    lexical = value->as_string();
    if (datatype.empty()) datatype = language ? std::string(rdf::kRdfLangString)
                                              : std::string(rdf::kXsdString);
  }
  const Json* direction = item.find("@direction");
  if (direction && options_.rdf_direction == "i18n-datatype") {
    std::string tag = language ? language->as_string() : "";
    for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return OptTerm(Term::literal(std::move(lexical), "https://www.w3.org/ns/i18n#" + tag + "_" +
                                                         direction->as_string()));
  }
  if (direction && options_.rdf_direction == "compound-literal") {
    Term node = node_term(builder_.issue(""));
    LAUREL_TRY(emit(node, Term::iri(rdf_iri("value")),
                    Term::literal(std::move(lexical), std::string(rdf::kXsdString))));
    if (language) {
      LAUREL_TRY(emit(node, Term::iri(rdf_iri("language")),
                      Term::literal(language->as_string(), std::string(rdf::kXsdString))));
    }
    LAUREL_TRY(emit(node, Term::iri(rdf_iri("direction")),
                    Term::literal(direction->as_string(), std::string(rdf::kXsdString))));
    return OptTerm(std::move(node));
  }
  return OptTerm(Term::literal(std::move(lexical), std::move(datatype),
                               language ? language->as_string() : ""));
}

}  // namespace

Result<std::string> expanded_to_nquads(const Json& expanded, const Options& options) {
  NodeMapBuilder builder;
  builder.map["@default"];
  LAUREL_TRY(builder.generate(expanded, "@default", nullptr, nullptr, nullptr));
  std::string out;
  QuadWriter writer(builder, options, &out, nullptr);
  LAUREL_TRY(writer.write(builder.map));
  return out;
}

Result<std::vector<Quad>> expanded_to_quads(const Json& expanded, const Options& options) {
  NodeMapBuilder builder;
  builder.map["@default"];
  LAUREL_TRY(builder.generate(expanded, "@default", nullptr, nullptr, nullptr));
  std::vector<Quad> quads;
  QuadWriter writer(builder, options, nullptr, &quads);
  LAUREL_TRY(writer.write(builder.map));
  return quads;
}

}  // namespace laurel::jsonld::detail
