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
// Adding a face of the core (verify, unbake, ...) is one function below plus one line in
// EMSCRIPTEN_BINDINGS and one method in laurel.mjs.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <utility>

#include "laurel/json.hpp"
#include "laurel/recipient.hpp"
#include "laurel/result.hpp"

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

std::string version() { return LAUREL_VERSION; }

}  // namespace
}  // namespace laurel::wasm

EMSCRIPTEN_BINDINGS(laurel) {
  using namespace laurel::wasm;
  emscripten::function("version", &version);
  emscripten::function("hash_matches", &hash_matches);
  emscripten::function("hash_identity", &hash_identity_outcome);
  emscripten::function("canonical_json", &canonical_json);
}
