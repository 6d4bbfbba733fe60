// <laurel-verify>: Laurel's verifier as a web component, for any page, with one script tag:
//
//   <script type="module" src="…/laurel-verify/laurel-verify.mjs"></script>
//   <laurel-verify src="https://example.org/badges/42.json" recipient="ada@example.org">
//   </laurel-verify>
//
// `src`: the badge's URL (an assertion or credential as JSON, a JWS, or a baked PNG/SVG);
// `recipient` (optional): an email to check the badge was awarded to. The element fetches the
// badge and the documents it links to, verifies it with the WebAssembly core, and shows the
// verdict in its shadow DOM (style it from outside with ::part(verdict|details|checks|image)).
// Its `state` attribute says where it is: loading | valid | invalid | error; `report` holds the
// core's report; it fires `laurel-verified` (detail: report) or `laurel-error` (detail: {message}).
import createLaurel from './dist/laurel.mjs';
import { FetchProblem, fetchBadge, verifyWithDocuments } from './fetch-badge.mjs';

let laurelPromise = null;  // one module instance per page, loaded on first use
const loadLaurel = () => (laurelPromise ??= createLaurel());

const styles = `
  :host { display: block; font: 14px/1.4 system-ui, sans-serif; border: 1px solid #ccd;
          border-radius: 8px; padding: 12px 16px; max-width: 32rem; color: #223; }
  :host([state="valid"]) { border-color: #2a7a3b; }
  :host([state="invalid"]), :host([state="error"]) { border-color: #b3261e; }
  [part="verdict"] { font-weight: 600; margin: 0 0 4px; }
  :host([state="valid"]) [part="verdict"] { color: #2a7a3b; }
  :host([state="invalid"]) [part="verdict"], :host([state="error"]) [part="verdict"] { color: #b3261e; }
  [part="image"] { float: right; max-width: 72px; max-height: 72px; margin-left: 12px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
  dt { color: #667; } dd { margin: 0; overflow-wrap: anywhere; }
  ul { margin: 4px 0 0; padding-left: 1.2em; } .failed { color: #b3261e; }
`;

function element(tag, attributes = {}, text = '') {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

export class LaurelVerifyElement extends HTMLElement {
  static observedAttributes = ['src', 'recipient'];

  #root;
  #run = 0;  // the latest verification; an older one that finishes later is dropped
  #imageUrl = null;
  report = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback() { this.verify(); }

  attributeChangedCallback(name, previous, value) {
    if (this.isConnected && previous !== value) this.verify();
  }

  disconnectedCallback() { this.#forgetImage(); }

  /** Verifies the badge at `src` again; resolves to the report (null when there is none). */
  async verify() {
    const run = ++this.#run;
    const src = this.getAttribute('src');
    const recipient = this.getAttribute('recipient') || undefined;
    if (!src) return this.#fail(run, 'No badge to verify: set the src attribute to its URL.');
    this.#show('loading', [element('p', { part: 'verdict' }, 'Verifying…')]);
    try {
      const url = new URL(src, document.baseURI).href;
      const [laurel, badge] = await Promise.all([loadLaurel(), fetchBadge(url)]);
      const { report, problems } = await verifyWithDocuments(laurel, badge.input, badge.documents,
        { recipient });
      if (run !== this.#run) return report;
      this.report = report;
      this.#render(report, problems, badge.image, recipient);
      this.dispatchEvent(new CustomEvent('laurel-verified', { detail: report, bubbles: true }));
      return report;
    } catch (error) {
      const why = error instanceof FetchProblem ? `Could not fetch ${src}: ${error.message}` : error.message;
      return this.#fail(run, why);
    }
  }

  #fail(run, message) {
    if (run !== this.#run) return null;
    this.report = null;
    this.#show('error', [element('p', { part: 'verdict' }, message)]);
    this.dispatchEvent(new CustomEvent('laurel-error', { detail: { message }, bubbles: true }));
    return null;
  }

  #show(state, nodes) {
    this.setAttribute('state', state);
    this.#root.replaceChildren(element('style', {}, styles), ...nodes);
  }

  #forgetImage() {
    if (this.#imageUrl) URL.revokeObjectURL(this.#imageUrl);
    this.#imageUrl = null;
  }

  #render(report, problems, image, recipient) {
    const badge = report.badge ?? {};
    const nodes = [];
    this.#forgetImage();
    if (image) {
      this.#imageUrl = URL.createObjectURL(image);
      nodes.push(element('img', { part: 'image', src: this.#imageUrl, alt: badge.name ?? 'badge' }));
    }
    const verdict = report.valid
      ? `Valid${badge.name ? `: ${badge.name}` : ''}`
      : `Invalid: ${report.errors[0] ?? 'the badge did not pass every check'}`;
    nodes.push(element('p', { part: 'verdict', role: 'status' }, verdict));

    const details = element('dl', { part: 'details' });
    const issuer = typeof badge.issuer === 'object' ? badge.issuer?.name : badge.issuer;
    const rows = [['Issuer', issuer], ['Issued', badge.issuedOn ?? badge.validFrom],
      ['Expires', badge.expires ?? badge.validUntil]];
    if (recipient) {
      rows.push(['Recipient', report.recipientMatch ? `${recipient} (match)` : `not ${recipient}`]);
    }
    for (const [label, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      details.append(element('dt', {}, label), element('dd', {}, String(value)));
    }
    nodes.push(details);

    const checks = element('ul', { part: 'checks' });
    for (const check of report.checks) {
      checks.append(element('li', check.ok ? {} : { class: 'failed' },
        `${check.ok ? '✓' : '✗'} ${check.name}: ${check.message}`));
    }
    for (const [url, why] of problems) {
      checks.append(element('li', { class: 'failed' }, `✗ could not fetch ${url}: ${why}`));
    }
    nodes.push(checks);
    this.#show(report.valid ? 'valid' : 'invalid', nodes);
  }
}

if (!customElements.get('laurel-verify')) customElements.define('laurel-verify', LaurelVerifyElement);
