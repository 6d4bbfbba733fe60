// The verifier's front door: the report's shape, the input dispatch (unbake, then JSON or JWS,
// then the OB 2.0 or OB 3.0 rules) and the public verify() calls.
#include <algorithm>

#include "laurel/bake.hpp"
#include "laurel/credential.hpp"
#include "verify/verifier.hpp"

namespace laurel {

Json Report::to_json() const {
  Json out = Json::object();
  out.set("valid", valid);
  Json check_list = Json::array();
  for (const Check& check : checks) {
    check_list.push_back(
        Json::object({{"name", check.name}, {"ok", check.ok}, {"message", check.message}}));
  }
  out.set("checks", std::move(check_list));
  Json error_list = Json::array();
  for (const std::string& error : errors) error_list.push_back(error);
  out.set("errors", std::move(error_list));
  Json warning_list = Json::array();
  for (const std::string& warning : warnings) warning_list.push_back(warning);
  out.set("warnings", std::move(warning_list));
  out.set("badge", badge);
  out.set("recipientMatch", recipient_match ? Json(*recipient_match) : Json());
  Json missing_list = Json::array();
  for (const std::string& url : missing) missing_list.push_back(url);
  out.set("missing", std::move(missing_list));
  return out;
}

}  // namespace laurel

namespace laurel::verifier {

namespace {

// A credential by its shape: a JWT "vc" claim, the VerifiableCredential type or a VC context.
bool is_credential(const Json& document) {
  if (document.find("vc") != nullptr) return true;
  if (has_string(document.find("type"), "VerifiableCredential")) return true;
  const Json* context = document.find("@context");
  return has_string(context, kVcContextV1) || has_string(context, kVcContextV2);
}

}  // namespace

Report Verifier::run(std::string_view input) {
  if (input.size() > kImageMaxBytes) {
    check("input", false, "input larger than 32 MiB");
    return std::move(report_);
  }
  std::string unbaked;
  std::string_view text = input;
  ImageKind kind = image_kind(input);
  if (kind != ImageKind::Other) {
    auto baked = unbake(input);
    if (!check("input", baked.ok(),
               baked.ok() ? std::string(kind == ImageKind::Png ? "baked PNG" : "baked SVG")
                          : baked.error().message)) {
      return std::move(report_);
    }
    if (baked->kind == BakedBadge::Kind::Url) {
      if (!supplied(baked->text)) {
        need(baked->text);
        check("input", false, "the image points at " + baked->text + ", which was not supplied");
        return std::move(report_);
      }
      if (const std::string* text_found = raw_text(baked->text)) {
        unbaked = *text_found;
      } else {
        const Result<Json>* parsed = prepared_->find(baked->text);
        if (!parsed->ok()) {
          check("json", false, "the document at " + baked->text + ": " + parsed->error().message);
          return std::move(report_);
        }
        unbaked = parsed->value().dump();
      }
    } else {
      unbaked = std::move(baked->text);
    }
    text = unbaked;
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (!text.empty() && text.front() == '{') {
    auto document = Json::parse(text);
    if (!check("json", document.ok() && document->is_object(),
               document.ok() ? (document->is_object() ? "well-formed JSON" : "not a JSON object")
                             : document.error().message)) {
      return std::move(report_);
    }
    if (is_credential(document.value())) {
      credential(document.value(), nullptr, nullptr);
    } else {
      ob2_document(document.value());
    }
    return std::move(report_);
  }
  auto jws = jws_parse(text);
  if (!jws.ok()) {
    check("input", false,
          kind == ImageKind::Other
              ? "input is not JSON, a compact JWS or a PNG/SVG image"
              : "the baked badge is not JSON or a JWS: " + jws.error().message);
    return std::move(report_);
  }
  check("jws", true, "compact JWS, " + jws->header.get_string("alg"));
  auto payload = Json::parse(jws->payload);
  if (!check("json", payload.ok() && payload->is_object(),
             payload.ok() ? (payload->is_object() ? "well-formed JSON payload"
                                                  : "payload is not a JSON object")
                          : "payload: " + payload.error().message)) {
    return std::move(report_);
  }
  if (is_credential(payload.value())) {
    const Json* vc = payload->find("vc");
    if (vc != nullptr) {
      if (!vc->is_object()) {
        check("json", false, "the vc claim is not an object");
        return std::move(report_);
      }
      credential(*vc, &jws.value(), &payload.value());
    } else {
      credential(payload.value(), &jws.value(), &payload.value());
    }
    return std::move(report_);
  }
  ob2_jws(payload.value(), jws.value());
  return std::move(report_);
}

}  // namespace laurel::verifier

namespace laurel {

DocumentSet::DocumentSet(const DocumentMap& documents) {
  for (const auto& [url, text] : documents) add(url, text);
}

void DocumentSet::add(std::string url, std::string_view text) {
  secured_.erase(url);
  if (looks_like_jws(text)) {
    auto jws = jws_parse(text);
    if (jws.ok()) {
      parsed_.insert_or_assign(url, Json::parse(jws->payload));
      secured_.insert_or_assign(std::move(url), std::move(jws).value());
      return;
    }
  }
  auto parsed = Json::parse(text);
  parsed_.insert_or_assign(std::move(url), std::move(parsed));
}

const Jws* DocumentSet::secured(std::string_view url) const {
  auto found = secured_.find(url);
  return found == secured_.end() ? nullptr : &found->second;
}

const Result<Json>* DocumentSet::find(std::string_view url) const {
  return entry(url).second;
}

std::pair<std::string_view, const Result<Json>*> DocumentSet::entry(std::string_view url) const {
  auto found = parsed_.find(url);
  if (found == parsed_.end()) return {std::string_view(), nullptr};
  return {found->first, &found->second};
}

namespace {
Report finish(Report report) {
  report.valid = !report.checks.empty() && std::all_of(report.checks.begin(), report.checks.end(),
                                                       [](const Check& c) { return c.ok; });
  return report;
}
}  // namespace

Report verify(std::string_view input, const DocumentSet& documents, const VerifyOptions& options) {
  return finish(verifier::Verifier(nullptr, &documents, options).run(input));
}

Report verify(std::string_view input, const DocumentMap& documents, const VerifyOptions& options) {
  return finish(verifier::Verifier(&documents, nullptr, options).run(input));
}

}  // namespace laurel
