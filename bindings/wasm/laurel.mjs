// Laurel's JavaScript face: an ES module for browsers and Node over the WebAssembly build of the
// portable core (module.cpp). Verification runs locally; nothing is sent anywhere.
//
//   import createLaurel, { LaurelError } from './laurel.mjs';
//   const laurel = await createLaurel();
//   laurel.hashMatches('nobody@example.org', 'sha256$ecf5…', 'deadsea');  // true
//
// The build (scripts/build-wasm.sh) joins this file and the Emscripten output into the single file
// bindings/wasm/dist/laurel.mjs, which embeds the wasm. This source file also runs as is beside
// build/wasm/bindings/wasm/laurel_core.mjs.
//
// Errors: every failure the core reports is thrown as a LaurelError with .code (Invalid, NotFound,
// PermissionDenied, Conflict, Storage, Crypto, Cancelled, Internal), .field (dotted path of the
// offending input, or null) and .message. An invalid badge is not an error: verify() returns a
// report with valid: false.
import createLaurelCore from './laurel_core.mjs';

/** The one error class of the JS face (DESIGN.md, Errors). */
export class LaurelError extends Error {
  constructor({ code = 'Internal', field = null, message = '' } = {}) {
    super(message);
    this.name = 'LaurelError';
    this.code = code;
    this.field = field || null;
  }
}

// The core answers {ok: true, value} or {ok: false, error: {code, field, message}}.
function unwrap(outcome) {
  if (outcome.ok) return outcome.value;
  throw new LaurelError(outcome.error);
}

function requireString(value, field) {
  if (typeof value !== 'string') {
    throw new LaurelError({
      code: 'Invalid',
      field,
      message: `${field} must be a string, not ${value === null ? 'null' : typeof value}`,
    });
  }
  return value;
}

// Bytes for the core: Uint8Array, ArrayBuffer or any typed array view (a Node Buffer is one).
function toBytes(value, field) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new LaurelError({ code: 'Invalid', field, message: `${field} must be bytes (Uint8Array or ArrayBuffer)` });
}

/**
 * Loads the WebAssembly module and resolves to Laurel's API:
 * - `version`: Laurel's version string.
 * - `hashMatches(identity, hashedIdentity, salt = '', { type = 'email' })`: true when the
 *   plaintext `identity` is the one behind `hashedIdentity` ("sha256$…" or "md5$…", or a plaintext
 *   identity); emails compare case-insensitively. False (not an error) for a malformed identity.
 * - `hashIdentity(identity, salt, { type = 'email' })`: "sha256$" + hex digest, as an issuer stores
 *   it; throws LaurelError (code Invalid, field "recipient.identity" or "recipient.type").
 * - `verify(input, options)` and `unbake(bytes)`: present when the core was built with the
 *   verifier (core/include/laurel/verify.hpp, bake.hpp); see the README in this directory.
 * `moduleOptions` is passed to Emscripten (e.g. `{ print, printErr }`).
 */
export default async function createLaurel(moduleOptions = {}) {
  const core = await createLaurelCore(moduleOptions);

  const laurel = {
    version: core.version(),

    hashMatches(identity, hashedIdentity, salt = '', { type = 'email' } = {}) {
      return core.hash_matches(
        requireString(identity, 'identity'),
        requireString(hashedIdentity, 'hashedIdentity'),
        requireString(salt ?? '', 'salt'),
        requireString(type, 'type'),
      );
    },

    hashIdentity(identity, salt, { type = 'email' } = {}) {
      return unwrap(core.hash_identity(
        requireString(identity, 'identity'),
        requireString(salt, 'salt'),
        requireString(type, 'type'),
      ));
    },
  };

  // The verifier's faces, wired when module.cpp exports them (they need verify.hpp / bake.hpp).
  // Input to verify: a document (object or JSON text), a compact JWS / VC-JWT (string), or the
  // bytes of a baked PNG/SVG. options: { documents: {url: document}, recipient, now }.
  if (typeof core.verify_text === 'function' && typeof core.verify_bytes === 'function') {
    laurel.verify = (input, options = {}) => {
      const documents = JSON.stringify(options.documents ?? {});
      const settings = JSON.stringify({ ...options, documents: undefined });
      if (typeof input === 'string') return JSON.parse(unwrap(core.verify_text(input, documents, settings)));
      if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
        return JSON.parse(unwrap(core.verify_bytes(toBytes(input, 'input'), documents, settings)));
      }
      if (input !== null && typeof input === 'object') {
        return JSON.parse(unwrap(core.verify_text(JSON.stringify(input), documents, settings)));
      }
      throw new LaurelError({ code: 'Invalid', field: 'input', message: 'input must be a document, a JWS or image bytes' });
    };
  }
  if (typeof core.unbake === 'function') {
    // The core answers {kind: "json"|"jws", text}: a hosted assertion comes back as an object.
    laurel.unbake = (bytes) => {
      const baked = JSON.parse(unwrap(core.unbake(toBytes(bytes, 'bytes'))));
      return baked.kind === 'json' ? JSON.parse(baked.text) : baked.text;
    };
  }

  // For Laurel's own tests: the core's canonical JSON writer (json.hpp), to compare wasm and
  // native byte for byte. Not part of the API.
  Object.defineProperty(laurel, 'canonicalJsonForTests', {
    value: (text) => unwrap(core.canonical_json(requireString(text, 'text'))),
    enumerable: false,
  });

  return Object.freeze(laurel);
}
