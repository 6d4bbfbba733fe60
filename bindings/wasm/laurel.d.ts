// Types of Laurel's WebAssembly verifier (dist/laurel.mjs), its fetch helpers (fetch-badge.mjs)
// and the <laurel-verify> element (laurel-verify.mjs).

/** A failure the core reports (a malformed image for unbake, a bad identity, a wrong argument). */
export class LaurelError extends Error {
  constructor(init?: { code?: string; field?: string | null; message?: string });
  readonly name: 'LaurelError';
  /** `Invalid`, `NotFound`, `Conflict`, `Internal`, ... */
  readonly code: string;
  /** The argument or badge field at fault, when there is one. */
  readonly field: string | null;
}

/** One verification check: `name` is e.g. "structure", "signature", "expiry", "revocation". */
export interface Check {
  name: string;
  ok: boolean;
  message: string;
}

/** The verifier's report, identical to the native core's. */
export interface VerifyReport {
  valid: boolean;
  checks: Check[];
  errors: string[];
  warnings: string[];
  /** What the badge says: name, issuer, recipient, dates, verification kind, ... */
  badge: Record<string, any> | null;
  /** Set when a recipient was given: whether it is the badge's. */
  recipientMatch?: boolean | null;
  /**
   * URLs of documents the verification needed and `documents` lacked (badge class, issuer, key,
   * revocation or status list, DID document, JSON-LD context), in the order asked: fetch them and
   * verify again (fetch-badge.mjs's verifyWithDocuments does).
   */
  missing: string[];
}

/** A document: the parsed object or its JSON text. */
export type Document = string | Record<string, unknown>;
/** What verify() takes: a document, a compact JWS / VC-JWT, or a baked PNG/SVG's bytes. */
export type BadgeInput = Document | Uint8Array | ArrayBuffer;

export interface VerifyOptions {
  /** Every URL the badge refers to (badge class, issuer, key, revocation list, hosted copy). */
  documents?: Record<string, Document>;
  /** An identity to match against the badge's recipient (sets report.recipientMatch). */
  recipient?: string;
  recipientType?: string;
  /** The time to judge dates against: a Date or seconds since the epoch (default: now). */
  now?: Date | number;
}

export interface IdentityOptions {
  /** "email" (default), "url", "telephone", ... */
  type?: string;
}

export interface Laurel {
  readonly version: string;
  /** Never throws for an invalid badge: the report says `valid: false`. */
  verify(input: BadgeInput, options?: VerifyOptions): VerifyReport;
  /** The assertion object of a JSON bake, the JWS string of a signed one, or a hosted URL. */
  unbake(bytes: Uint8Array | ArrayBuffer): Record<string, unknown> | string;
  hashMatches(identity: string, hashedIdentity: string, salt?: string,
    options?: IdentityOptions): boolean;
  hashIdentity(identity: string, salt: string, options?: IdentityOptions): string;
}

/** Loads the WebAssembly module (embedded in the file); options go to Emscripten. */
export default function createLaurel(moduleOptions?: Record<string, unknown>): Promise<Laurel>;
