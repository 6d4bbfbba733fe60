// RDFC-1.0 (W3C Recommendation, 21 May 2024), SHA-256 or SHA-384. Section numbers below are the
// spec's.
//
// Blank nodes are numbered in order of first appearance and handled by index; each quad keeps
// the indices of its blank subject, object and graph (or -1), so the hashing steps never look
// labels up.
#include <algorithm>
#include <map>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "detail/hash.hpp"
#include "laurel/rdfc.hpp"
#include "rdfc/quads.hpp"
#include "rdf/quad.hpp"

namespace laurel::rdfc {
namespace {

using rdf::Quad;
using rdf::Term;

std::string hex_hash(HashAlgorithm algorithm, std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string digest =
      algorithm == HashAlgorithm::Sha384 ? detail::sha384(data) : detail::sha256(data);
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (char c : digest) {
    auto byte = static_cast<unsigned char>(c);
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

// §4.5 Identifier Issuer: issued identifiers in issue order. Issuers are copied per permutation in
// Hash N-Degree Quads and hold few entries, so a flat vector beats a hash map.
class IdentifierIssuer {
 public:
  explicit IdentifierIssuer(std::string prefix) : prefix_(std::move(prefix)) {}

  /// The identifier issued for `node`, or nullptr.
  const std::string* find(int node) const {
    for (const auto& [issued_node, identifier] : issued_) {
      if (issued_node == node) return &identifier;
    }
    return nullptr;
  }
  const std::string& issue(int node) {
    if (const std::string* existing = find(node)) return *existing;
    issued_.emplace_back(node, prefix_ + std::to_string(issued_.size()));
    return issued_.back().second;
  }
  const std::vector<std::pair<int, std::string>>& issued() const { return issued_; }

 private:
  std::string prefix_;
  std::vector<std::pair<int, std::string>> issued_;
};

struct BlankQuad {
  const Quad* quad;
  int subject = -1, object = -1, graph = -1;  // blank node indices, -1 when not blank
};

struct HashResult {
  std::string hash;
  IdentifierIssuer issuer;
};

class Canonicalizer {
 public:
  Canonicalizer(std::vector<Quad> quads, const Limits& limits,
                HashAlgorithm algorithm = HashAlgorithm::Sha256)
      : quads_(std::move(quads)), limits_(limits), algorithm_(algorithm) {}

  Result<std::string> run();

  /// After run(): each input blank node label to its canonical label.
  std::map<std::string, std::string> issued() const {
    std::map<std::string, std::string> out;
    for (std::size_t node = 0; node < blank_labels_.size(); ++node) {
      out.emplace(blank_labels_[node], canonical_[node]);
    }
    return out;
  }

 private:
  int blank_index(const Term& term) {
    if (!term.is_blank()) return -1;
    auto [it, added] = blank_ids_.emplace(term.value, static_cast<int>(blank_labels_.size()));
    if (added) {
      blank_labels_.push_back(term.value);
      quads_of_.emplace_back();
    }
    return it->second;
  }

  const std::string* canonical_label(int node) const {
    return canonical_[node].empty() ? nullptr : &canonical_[node];
  }
  void issue_canonical(int node) {
    if (canonical_[node].empty()) canonical_[node] = "c14n" + std::to_string(canonical_count_++);
  }

  Status count_work() {
    if (++work_ > limits_.max_work) {
      return invalid("rdfc", "canonicalization exceeded max_work (" +
                                 std::to_string(limits_.max_work) +
                                 " steps of Hash N-Degree Quads): a poison graph?");
    }
    return {};
  }

  std::string hash_first_degree(int node);
  std::string hash_related(int related, const BlankQuad& quad, const IdentifierIssuer& issuer,
                           char position);
  Result<HashResult> hash_n_degree(int node, IdentifierIssuer issuer);

  std::vector<Quad> quads_;
  const Limits& limits_;
  HashAlgorithm algorithm_;
  std::vector<BlankQuad> blank_quads_;
  std::unordered_map<std::string, int> blank_ids_;
  std::vector<std::string> blank_labels_;
  std::vector<std::vector<int>> quads_of_;  // blank node -> indices into blank_quads_
  std::vector<std::string> first_degree_;   // memoized §4.6 hashes
  std::vector<std::string> canonical_;      // blank node -> canonical label ("c14n3"), or ""
  std::size_t canonical_count_ = 0;
  std::size_t work_ = 0;
  std::size_t depth_ = 0;
};

// §4.6 Hash First Degree Quads: the node's quads with itself as _:a and other blank nodes as _:z.
std::string Canonicalizer::hash_first_degree(int node) {
  if (!first_degree_[node].empty()) return first_degree_[node];
  std::vector<std::string> lines;
  for (int quad_index : quads_of_[node]) {
    const BlankQuad& blank_quad = blank_quads_[quad_index];
    const Quad& quad = *blank_quad.quad;
    auto label = [&](int blank) { return blank == node ? "a" : "z"; };
    std::string line;
    rdf::append_term(line, quad.subject, label(blank_quad.subject));
    line.push_back(' ');
    rdf::append_term(line, quad.predicate);
    line.push_back(' ');
    rdf::append_term(line, quad.object, label(blank_quad.object));
    if (quad.graph.kind != Term::Kind::DefaultGraph) {
      line.push_back(' ');
      rdf::append_term(line, quad.graph, label(blank_quad.graph));
    }
    line += " .\n";
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string joined;
  for (const auto& line : lines) joined += line;
  first_degree_[node] = hex_hash(algorithm_, joined);
  return first_degree_[node];
}

// §4.7 Hash Related Blank Node.
std::string Canonicalizer::hash_related(int related, const BlankQuad& quad,
                                        const IdentifierIssuer& issuer, char position) {
  std::string input(1, position);
  if (position != 'g') {
    input += '<';
    input += quad.quad->predicate.value;
    input += '>';
  }
  if (const std::string* canonical = canonical_label(related)) {
    input += "_:" + *canonical;
  } else if (const std::string* temporary = issuer.find(related)) {
    input += "_:" + *temporary;
  } else {
    input += hash_first_degree(related);
  }
  return hex_hash(algorithm_, input);
}

// §4.8 Hash N-Degree Quads. Every call and every permutation counts against max_work.
Result<HashResult> Canonicalizer::hash_n_degree(int node, IdentifierIssuer issuer) {
  LAUREL_TRY(count_work());
  // The recursion follows chains of blank nodes that share hashes; bound it before the stack.
  if (depth_ >= limits_.max_depth) {
    return invalid("rdfc", "canonicalization exceeded max_depth (" +
                               std::to_string(limits_.max_depth) +
                               " nested Hash N-Degree Quads calls)");
  }
  struct DepthGuard {
    std::size_t& depth;
    explicit DepthGuard(std::size_t& d) : depth(++d) {}
    ~DepthGuard() { --depth; }
  } guard(depth_);
  // Step 1-3: related blank nodes grouped by their hash (std::map: step 5 walks hashes in order).
  std::vector<std::pair<std::string, int>> related_by_hash;
  for (int quad_index : quads_of_[node]) {
    const BlankQuad& quad = blank_quads_[quad_index];
    const std::pair<int, char> components[] = {
        {quad.subject, 's'}, {quad.object, 'o'}, {quad.graph, 'g'}};
    for (auto [related, position] : components) {
      if (related < 0 || related == node) continue;
      related_by_hash.emplace_back(hash_related(related, quad, issuer, position), related);
    }
  }
  std::sort(related_by_hash.begin(), related_by_hash.end());
  std::string data_to_hash;
  for (std::size_t group_start = 0; group_start < related_by_hash.size();) {
    const std::string& related_hash = related_by_hash[group_start].first;
    std::vector<int> group;
    std::size_t group_end = group_start;
    for (; group_end < related_by_hash.size() && related_by_hash[group_end].first == related_hash;
         ++group_end) {
      group.push_back(related_by_hash[group_end].second);
    }
    // A node related twice by the same hash appears twice in the list (the spec's list semantics).
    data_to_hash += related_hash;
    std::string chosen_path;
    IdentifierIssuer chosen_issuer("");
    bool chosen = false;
    std::sort(group.begin(), group.end());
    do {
      LAUREL_TRY(count_work());
      IdentifierIssuer issuer_copy = issuer;
      std::string path;
      std::vector<int> recursion_list;
      bool skip = false;
      for (int related : group) {
        if (const std::string* canonical = canonical_label(related)) {
          path += "_:" + *canonical;
        } else {
          if (issuer_copy.find(related) == nullptr) recursion_list.push_back(related);
          path += "_:" + issuer_copy.issue(related);
        }
        if (chosen && path.size() >= chosen_path.size() && path > chosen_path) {
          skip = true;
          break;
        }
      }
      for (std::size_t i = 0; !skip && i < recursion_list.size(); ++i) {
        int related = recursion_list[i];
        auto result = hash_n_degree(related, issuer_copy);
        if (!result.ok()) return result.error();
        path += "_:" + issuer_copy.issue(related);
        path += '<' + result->hash + '>';
        issuer_copy = std::move(result->issuer);
        if (chosen && path.size() >= chosen_path.size() && path > chosen_path) skip = true;
      }
      if (skip) continue;
      if (!chosen || path < chosen_path) {
        chosen_path = std::move(path);
        chosen_issuer = std::move(issuer_copy);
        chosen = true;
      }
    } while (std::next_permutation(group.begin(), group.end()));
    data_to_hash += chosen_path;
    issuer = std::move(chosen_issuer);
    group_start = group_end;
  }
  return HashResult{hex_hash(algorithm_, data_to_hash), std::move(issuer)};
}

// §4.4 Canonicalization Algorithm.
Result<std::string> Canonicalizer::run() {
  // A dataset is a set: drop repeated quads (step 2 would otherwise hash them twice).
  {
    std::unordered_set<std::string> seen;
    std::vector<Quad> unique;
    for (auto& quad : quads_) {
      std::string line;
      rdf::append_quad(line, quad);
      if (seen.insert(std::move(line)).second) unique.push_back(std::move(quad));
    }
    quads_ = std::move(unique);
  }
  // Step 2: blank node to quads map.
  for (const Quad& quad : quads_) {
    BlankQuad blank_quad{&quad, blank_index(quad.subject), blank_index(quad.object),
                         blank_index(quad.graph)};
    if (blank_quad.subject < 0 && blank_quad.object < 0 && blank_quad.graph < 0) continue;
    int quad_index = static_cast<int>(blank_quads_.size());
    blank_quads_.push_back(blank_quad);
    for (int node : {blank_quad.subject, blank_quad.object, blank_quad.graph}) {
      if (node < 0) continue;
      auto& list = quads_of_[node];
      if (list.empty() || list.back() != quad_index) list.push_back(quad_index);
    }
  }
  int node_count = static_cast<int>(blank_labels_.size());
  first_degree_.assign(node_count, {});
  canonical_.assign(node_count, {});
  // Steps 3-4: first-degree hashes; nodes with a unique hash get canonical identifiers in hash
  // order.
  std::vector<std::pair<std::string, int>> by_hash;
  by_hash.reserve(node_count);
  for (int node = 0; node < node_count; ++node) by_hash.emplace_back(hash_first_degree(node), node);
  std::sort(by_hash.begin(), by_hash.end());
  std::vector<std::vector<int>> shared_groups;
  for (std::size_t start = 0; start < by_hash.size();) {
    std::size_t end = start + 1;
    while (end < by_hash.size() && by_hash[end].first == by_hash[start].first) ++end;
    if (end - start == 1) {
      issue_canonical(by_hash[start].second);
    } else {
      std::vector<int> group;
      for (std::size_t i = start; i < end; ++i) group.push_back(by_hash[i].second);
      shared_groups.push_back(std::move(group));
    }
    start = end;
  }
  // Step 5: shared hashes, resolved by Hash N-Degree Quads.
  for (const auto& group : shared_groups) {
    std::vector<HashResult> results;
    for (int node : group) {
      if (canonical_label(node) != nullptr) continue;
      IdentifierIssuer temporary("b");
      temporary.issue(node);
      auto result = hash_n_degree(node, std::move(temporary));
      if (!result.ok()) return result.error();
      results.push_back(std::move(result).value());
    }
    std::stable_sort(results.begin(), results.end(),
                     [](const HashResult& a, const HashResult& b) { return a.hash < b.hash; });
    for (const auto& result : results) {
      for (const auto& [node, identifier] : result.issuer.issued()) issue_canonical(node);
    }
  }
  // Step 6: relabel, serialize, sort.
  std::vector<std::string> lines;
  lines.reserve(quads_.size());
  auto label = [&](const Term& term) -> std::string_view {
    return term.is_blank() ? std::string_view(canonical_[blank_ids_.at(term.value)])
                           : std::string_view();
  };
  for (const Quad& quad : quads_) {
    std::string line;
    rdf::append_term(line, quad.subject, label(quad.subject));
    line.push_back(' ');
    rdf::append_term(line, quad.predicate);
    line.push_back(' ');
    rdf::append_term(line, quad.object, label(quad.object));
    if (quad.graph.kind != Term::Kind::DefaultGraph) {
      line.push_back(' ');
      rdf::append_term(line, quad.graph, label(quad.graph));
    }
    line += " .\n";
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& line : lines) out += line;
  return out;
}

}  // namespace

Result<std::string> canonicalize(std::string_view nquads, const Limits& limits) {
  auto quads = rdf::parse_nquads(nquads, limits.max_quads);
  if (!quads.ok()) return quads.error();
  Canonicalizer canonicalizer(std::move(quads).value(), limits);
  return canonicalizer.run();
}

Result<Canonical> canonicalize_with_map(std::string_view nquads, HashAlgorithm algorithm,
                                        const Limits& limits) {
  auto quads = rdf::parse_nquads(nquads, limits.max_quads);
  if (!quads.ok()) return quads.error();
  Canonicalizer canonicalizer(std::move(quads).value(), limits, algorithm);
  auto canonical = canonicalizer.run();
  if (!canonical.ok()) return canonical.error();
  return Canonical{std::move(canonical).value(), canonicalizer.issued()};
}

Result<std::string> canonicalize_quads(std::vector<rdf::Quad> quads, const Limits& limits) {
  if (quads.size() > limits.max_quads) {
    return invalid("rdfc", "more than max_quads (" + std::to_string(limits.max_quads) + ") quads");
  }
  Canonicalizer canonicalizer(std::move(quads), limits);
  return canonicalizer.run();
}

}  // namespace laurel::rdfc
