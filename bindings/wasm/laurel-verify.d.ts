import type { VerifyReport } from './laurel.js';

/**
 * <laurel-verify src="https://…/assertion.json" recipient="ada@example.org"></laurel-verify>
 * Verifies the badge at `src` (JSON, JWS or a baked PNG/SVG) and shows the verdict in its shadow
 * DOM; fires `laurel-verified` (detail: the report) or `laurel-error` (detail: {message}).
 */
export class LaurelVerifyElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The last report, or null before the first verification. */
  readonly report: VerifyReport | null;
  /** Verifies again (the attributes' current values). */
  verify(): Promise<VerifyReport | null>;
}

declare global {
  interface HTMLElementTagNameMap {
    'laurel-verify': LaurelVerifyElement;
  }
}
