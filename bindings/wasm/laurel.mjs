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
 * - `verify(input, options)` -> report, and `unbake(bytes)` (documented below).
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

  // verify.hpp and bake.hpp. The report crosses as the core's canonical JSON, parsed here.
  /**
   * verify(input, { documents, recipient, recipientType, now }) -> report
   * - input: a document (object or JSON text), a compact JWS / VC-JWT (string), or the bytes of a
   *   baked PNG/SVG (Uint8Array or ArrayBuffer).
   * - documents: { url: document (object or text) } for everything the badge refers to (badge
   *   class, issuer, key, revocation list, the hosted copy); the caller fetches them.
   * - recipient / recipientType: an identity to match (the "recipient" check, report.recipientMatch).
   * - now: a Date or seconds since the epoch to judge dates against (default: now).
   * Returns { valid, checks: [{name, ok, message}], errors, warnings, badge, recipientMatch }.
   */
  laurel.verify = (input, { documents = {}, recipient, recipientType, now } = {}) => {
    let payload;
    if (typeof input === 'string') payload = input;
    else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) payload = toBytes(input, 'input');
    else if (input !== null && typeof input === 'object') payload = JSON.stringify(input);
    else throw new LaurelError({ code: 'Invalid', field: 'input', message: 'input must be a document, a JWS or image bytes' });

    if (documents === null || typeof documents !== 'object') {
      throw new LaurelError({ code: 'Invalid', field: 'documents', message: 'documents must be an object {url: document}' });
    }
    const texts = {};
    for (const [url, document] of Object.entries(documents)) {
      texts[url] = typeof document === 'string' ? document : JSON.stringify(document);
    }
    const options = {};
    if (recipient !== undefined && recipient !== null) options.recipient = requireString(recipient, 'recipient');
    if (recipientType !== undefined && recipientType !== null) options.recipientType = requireString(recipientType, 'recipientType');
    if (now instanceof Date) options.now = Math.floor(now.getTime() / 1000);
    else if (typeof now === 'number' && Number.isFinite(now)) options.now = now;
    else if (now !== undefined && now !== null) {
      throw new LaurelError({ code: 'Invalid', field: 'now', message: 'now must be a Date or seconds since the epoch' });
    }
    return JSON.parse(core.verify(payload, texts, options));
  };

  /**
   * unbake(bytes) -> the badge a PNG/SVG carries: the assertion or credential (object) for a JSON
   * bake, the compact JWS (string) for a signed one, the hosted URL (string) for an OB 1.x bake.
   * Throws LaurelError (code Invalid, field "image") for a malformed image or one with no badge.
   */
  laurel.unbake = (bytes) => {
    const baked = unwrap(core.unbake(toBytes(bytes, 'bytes')));
    return baked.kind === 'json' ? JSON.parse(baked.text) : baked.text;
  };

  // For Laurel's own tests: the core's canonical JSON writer (json.hpp), to compare wasm and
  // native byte for byte. Not part of the API.
  Object.defineProperty(laurel, 'canonicalJsonForTests', {
    value: (text) => unwrap(core.canonical_json(requireString(text, 'text'))),
    enumerable: false,
  });

  return Object.freeze(laurel);
}
