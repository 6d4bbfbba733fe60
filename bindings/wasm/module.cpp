// laurel_core: the embind face of Laurel's portable core (DESIGN.md, Faces). It converts types and
// nothing more: no Open Badges rule is decided here, and no exception is thrown to JavaScript.
// Every fallible export returns an outcome object, {ok: true, value} or {ok: false, error: {code,
// field, message}}, and laurel.mjs turns a failed one into a LaurelError (the one error table of
// the JS face lives there).
//
// Documents cross the boundary as JSON text (JSON.stringify / Json::dump), so a report reaches
// JavaScript as the core's canonical JSON: byte-for-byte what the native build writes for the
// same input. Binary input (images) arrives as a Uint8Array, which embind copies into the
// std::string.
//
// Adding a face of the core is one function below plus one line in EMSCRIPTEN_BINDINGS and one
// method in laurel.mjs.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "laurel/bake.hpp"
#include "laurel/json.hpp"
#include "laurel/recipient.hpp"
#include "laurel/result.hpp"
#include "laurel/verify.hpp"

namespace laurel::wasm {
namespace {

using emscripten::val;

val error_object(const Error& error) {
  val object = val::object();
  object.set("code", std::string(error_code_name(error.code)));
  object.set("field", error.field);
  object.set("message", error.message);
  return object;
}

val failure(const Error& error) {
  val outcome = val::object();
  outcome.set("ok", false);
  outcome.set("error", error_object(error));
  return outcome;
}

template <class T>
val outcome(Result<T> result) {
  if (!result.ok()) return failure(result.error());
  val outcome = val::object();
  outcome.set("ok", true);
  outcome.set("value", std::move(result).value());
  return outcome;
}

// A Json value crosses as its canonical text; laurel.mjs parses it.
val json_outcome(Result<Json> result) {
  if (!result.ok()) return failure(result.error());
  return outcome(Result<std::string>(result.value().dump()));
}

// --- recipient.hpp --------------------------------------------------------------------------

bool hash_matches(const std::string& identity, const std::string& hashed_identity,
                  const std::string& salt, const std::string& type) {
  return identity_matches(identity, hashed_identity, salt, type);
}

val hash_identity_outcome(const std::string& identity, const std::string& salt,
                          const std::string& type) {
  return outcome(hash_identity(identity, salt, type));
}

// --- json.hpp -------------------------------------------------------------------------------

// Canonical JSON text of `text` (json.hpp). Exposed so the WASM tests can hold the wasm build's
// simdjson and writer to the native ones on every fixture; laurel.mjs does not publish it.
val canonical_json(const std::string& text) { return json_outcome(Json::parse(text)); }

// --- verify.hpp -------------------------------------------------------------------------------

// `documents` is a plain object {url: document text}; laurel.mjs has already turned any document
// objects into text, so every value is a string here.
DocumentMap document_map(const val& documents) {
  DocumentMap map;
  if (documents.isUndefined() || documents.isNull()) return map;
  val urls = val::global("Object").call<val>("keys", documents);
  const unsigned count = urls["length"].as<unsigned>();
  for (unsigned i = 0; i < count; ++i) {
    std::string url = urls[i].as<std::string>();
    map.emplace(url, documents[url].as<std::string>());
  }
  return map;
}

// `options` is {recipient, recipientType, now}: strings and a number of seconds since the epoch,
// each optional (laurel.mjs checks their types).
VerifyOptions verify_options(const val& options) {
  VerifyOptions out;
  if (options.isUndefined() || options.isNull()) return out;
  if (val recipient = options["recipient"]; recipient.isString()) out.recipient = recipient.as<std::string>();
  if (val type = options["recipientType"]; type.isString()) out.recipient_type = type.as<std::string>();
  if (val now = options["now"]; now.isNumber()) {
    out.now = static_cast<std::int64_t>(std::floor(now.as<double>()));
  }
  return out;
}

// `input`: JSON or JWS text (a JS string, UTF-8 encoded by embind) or image bytes (Uint8Array).
// verify() never fails: an invalid badge is a report with valid=false, so no outcome wrapper.
std::string verify_input(const std::string& input, const val& documents, const val& options) {
  return verify(input, document_map(documents), verify_options(options)).to_json().dump();
}

// --- bake.hpp ---------------------------------------------------------------------------------

const char* baked_kind_name(BakedBadge::Kind kind) {
  switch (kind) {
    case BakedBadge::Kind::Json: return "json";
    case BakedBadge::Kind::Jws: return "jws";
    case BakedBadge::Kind::Url: return "url";
  }
  return "json";
}

// {ok, value: {kind: "json"|"jws"|"url", text}}; laurel.mjs parses a JSON badge.
val unbake_image(const std::string& image) {
  auto baked = unbake(image);
  if (!baked.ok()) return failure(baked.error());
  val value = val::object();
  value.set("kind", std::string(baked_kind_name(baked.value().kind)));
  value.set("text", std::move(baked.value().text));
  val outcome = val::object();
  outcome.set("ok", true);
  outcome.set("value", value);
  return outcome;
}

std::string version() { return LAUREL_VERSION; }

}  // namespace
}  // namespace laurel::wasm

EMSCRIPTEN_BINDINGS(laurel) {
  using namespace laurel::wasm;
  emscripten::function("version", &version);
  emscripten::function("hash_matches", &hash_matches);
  emscripten::function("hash_identity", &hash_identity_outcome);
  emscripten::function("canonical_json", &canonical_json);
  emscripten::function("verify", &verify_input);
  emscripten::function("unbake", &unbake_image);
}
