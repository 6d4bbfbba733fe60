// Documents the badge refers to, taken from the caller's map (the verifier does no I/O), and the
// JSON-LD shapes both rule sets read.
#include <algorithm>

#include "laurel/datetime.hpp"
#include "verify/verifier.hpp"

namespace laurel::verifier {

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string_view authority_of(std::string_view url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  return authority;
}

std::vector<std::string> string_list(const Json* value) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (value->is_string()) {
    out.push_back(value->as_string());
  } else if (value->is_array()) {
    for (const Json& item : value->as_array()) {
      if (item.is_string()) out.push_back(item.as_string());
    }
  }
  return out;
}

std::string node_id(const Json* value) {
  if (value == nullptr) return {};
  if (value->is_string()) return value->as_string();
  if (value->is_object()) return value->get_string("id");
  return {};
}

bool is_datetime(const Json* value) {
  return value != nullptr && value->is_string() && parse_datetime(value->as_string()).has_value();
}

std::vector<std::string> node_ids(const Json* value) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  if (value->is_array()) {
    for (const Json& item : value->as_array()) ids.push_back(node_id(&item));
  } else {
    ids.push_back(node_id(value));
  }
  return ids;
}

bool has_string(const Json* value, std::string_view wanted) {
  if (value == nullptr) return false;
  if (value->is_string()) return value->as_string() == wanted;
  if (!value->is_array()) return false;
  return std::any_of(value->as_array().begin(), value->as_array().end(), [&](const Json& item) {
    return item.is_string() && item.as_string() == wanted;
  });
}

std::string join(const std::vector<std::string>& problems) {
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "; ") + problem;
  return message;
}

bool Verifier::supplied(std::string_view url) const {
  return raw_ != nullptr ? raw_->find(url) != raw_->end() : prepared_->find(url) != nullptr;
}

const std::string* Verifier::raw_text(std::string_view url) const {
  if (raw_ == nullptr) return nullptr;
  auto found = raw_->find(url);
  return found == raw_->end() ? nullptr : &found->second;
}

const Jws* Verifier::secured_by(std::string_view url) const {
  if (prepared_ != nullptr) return prepared_->secured(url);
  auto found = secured_.find(url);
  return found == secured_.end() ? nullptr : &found->second;
}

const Json* Verifier::fetch(const std::string& url, std::string_view what) {
  for (const auto& [seen, document] : parsed_) {
    if (seen == url) return document;
  }
  std::string_view key;
  const Result<Json>* prepared = nullptr;
  const std::string* text = nullptr;
  if (prepared_ != nullptr) {
    auto found = prepared_->entry(url);
    if (found.second == nullptr) return nullptr;
    key = found.first;
    prepared = found.second;
  } else {
    auto found = raw_->find(url);
    if (found == raw_->end()) return nullptr;
    key = found->first;
    text = &found->second;
  }
  if (++followed_ > kMaxDocumentsFollowed) {
    check("input", false, "more than 64 referenced documents");
    return nullptr;
  }
  const Json* document = nullptr;
  std::string problem;
  if (prepared != nullptr) {
    if (prepared->ok()) {
      document = &prepared->value();
    } else {
      problem = prepared->error().message;
    }
  } else {
    // A document supplied as a compact JWS (a VC-JWT status list) stands for its payload.
    std::string_view json_text = *text;
    if (looks_like_jws(json_text)) {
      if (auto jws = jws_parse(json_text); jws.ok()) {
        json_text = secured_.insert_or_assign(url, std::move(jws).value()).first->second.payload;
      }
    }
    auto parsed = Json::parse(json_text);
    if (parsed.ok()) {
      document = &owned_.emplace(url, std::move(parsed).value()).first->second;
    } else {
      problem = parsed.error().message;
    }
  }
  if (document == nullptr || !document->is_object()) {
    check("json", false,
          std::string(what) + " document at " + url + " is not a JSON object" +
              (problem.empty() ? "" : ": " + problem));
    parsed_.emplace_back(key, nullptr);
    return nullptr;
  }
  const std::string& declared = document->get_string("id");
  if (!declared.empty() && declared != url) {
    // The 1EdTech validator's "redirection" warning: the URL led to a node that names itself
    // differently; the node is used under its declared id.
    warn(std::string(what) + " fetched from " + url + " declares its id as " + declared);
  }
  parsed_.emplace_back(key, document);
  return document;
}
}  // namespace laurel::verifier
