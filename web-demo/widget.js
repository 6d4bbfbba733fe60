// The verification widget: reads a badge (baked image, pasted JSON/JWS, or a URL), fetches the
// documents it links to, and shows the report of Laurel's verifier running in WebAssembly.
// Every Open Badges rule lives in the core; this file only gathers input and renders the report.
import createLaurel from './laurel/laurel.mjs';
import { FetchProblem, fetchBadge, verifyWithDocuments } from './laurel/fetch-badge.mjs';

const $ = (id) => document.getElementById(id);
const form = $('verify-form');
const fileInput = $('badge-file');
const textInput = $('badge-text');
const urlInput = $('badge-url');
const verifyButton = $('verify-button');

let laurel = null;
let source = null;       // 'file' | 'text' | 'url': the input the user touched last
let lastInput = null;    // what was verified: { input, documents, imageUrl }
let lastReport = null;

// --- input ----------------------------------------------------------------------------------

fileInput.addEventListener('change', () => { if (fileInput.files.length) source = 'file'; });
textInput.addEventListener('input', () => { source = textInput.value.trim() ? 'text' : source; });
urlInput.addEventListener('input', () => { source = urlInput.value.trim() ? 'url' : source; });

const dropZone = $('drop-zone');
dropZone.addEventListener('dragover', (event) => { event.preventDefault(); dropZone.classList.add('dragging'); });
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  if (event.dataTransfer.files.length) {
    fileInput.files = event.dataTransfer.files;
    source = 'file';
    verifyButton.focus();
  }
});

// The badge as the verifier takes it: text for JSON and JWS, bytes for a baked image.
async function readInput() {
  if (source === 'file' && fileInput.files.length) {
    const file = fileInput.files[0];
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { input: bytes, documents: {}, imageUrl: URL.createObjectURL(file), label: file.name };
  }
  if (source === 'url' && urlInput.value.trim()) {
    const url = urlInput.value.trim();
    try {
      const { input, documents, image } = await fetchBadge(url);
      return { input, documents, imageUrl: image && URL.createObjectURL(image), label: url };
    } catch (error) {
      if (error instanceof FetchProblem) throw new Error(`Could not fetch ${url}: ${error.message}`);
      throw error;
    }
  }
  if (textInput.value.trim()) return { input: textInput.value.trim(), documents: {}, imageUrl: null, label: 'pasted text' };
  throw new Error('Give a badge first: choose or drop an image, paste JSON or a JWS, or enter a URL.');
}

// --- output ---------------------------------------------------------------------------------

function formatDate(value) {
  if (typeof value !== 'string' || !value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${date.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

function checkStatus(report, name) {
  const checks = report.checks.filter((check) => check.name === name);
  if (!checks.length && name === 'signature' && report.badge?.verification === 'hosted') {
    return 'none: a hosted badge, vouched for by its issuer\'s server';
  }
  if (!checks.length) return 'not checked';
  const failed = checks.find((check) => !check.ok);
  return failed ? `failed: ${failed.message}` : `passed: ${checks[checks.length - 1].message}`;
}

function renderSummary(report) {
  const badge = report.badge ?? {};
  const rows = [
    ['Badge', badge.name],
    ['Issuer', badge.issuer?.name || badge.issuer?.id],
    ['Issued', formatDate(badge.issuedOn ?? badge.validFrom)],
    ['Expires', formatDate(badge.expires ?? badge.validUntil)],
    ['Kind', badge.version ? `Open Badges ${badge.version}, ${badge.verification ?? ''}`.replace(/, $/, '') : null],
    ['Signature', checkStatus(report, 'signature')],
    ['Revocation', checkStatus(report, 'revocation')],
  ];
  const summary = $('summary');
  summary.replaceChildren();
  for (const [term, value] of rows) {
    if (!value) continue;
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    summary.append(dt, dd);
  }
}

function renderImage(report, imageUrl) {
  const image = $('badge-image');
  const remote = report.badge?.image;
  const url = imageUrl ?? (typeof remote === 'string' && /^(https?:|data:image\/)/.test(remote) ? remote : null);
  image.hidden = !url;
  if (url) {
    image.src = url;
    image.alt = report.badge?.name ? `Badge image: ${report.badge.name}` : 'Badge image';
  }
}

function renderChecks(report) {
  const list = $('checks');
  list.replaceChildren();
  for (const check of report.checks) {
    const item = document.createElement('li');
    item.dataset.testid = 'check';
    item.dataset.name = check.name;
    item.dataset.ok = String(check.ok);
    item.className = check.ok ? 'pass' : 'fail';
    const status = document.createElement('strong');
    status.textContent = check.ok ? 'Pass' : 'Fail';
    const name = document.createElement('span');
    name.className = 'check-name';
    name.textContent = check.name;
    const message = document.createElement('span');
    message.className = 'check-message';
    message.textContent = check.message;
    item.append(status, ' ', name, ' ', message);
    list.append(item);
  }
  const warnings = $('warnings');
  warnings.replaceChildren();
  for (const warning of report.warnings) {
    const item = document.createElement('li');
    item.textContent = `Warning: ${warning}`;
    warnings.append(item);
  }
}

function renderProblems(problems) {
  const section = $('fetch-problems');
  const list = $('fetch-list');
  list.replaceChildren();
  for (const [url, message] of problems) {
    const item = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = url;
    item.append(code, `: ${message}`);
    list.append(item);
  }
  section.hidden = problems.size === 0;
}

function render(report, problems, imageUrl) {
  const verdict = $('verdict');
  verdict.className = report.valid ? 'valid' : 'invalid';
  verdict.textContent = report.valid
    ? `Valid${report.badge?.name ? `: ${report.badge.name}` : ''}`
    : `Invalid: ${report.errors[0] ?? 'the badge did not pass every check'}`;
  renderImage(report, imageUrl);
  renderSummary(report);
  renderChecks(report);
  renderProblems(problems);
  $('recipient-result').textContent = '';
  $('result').hidden = false;
  verdict.focus();
}

function showError(message) {
  const error = $('error');
  error.textContent = message;
  error.hidden = !message;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  verifyButton.disabled = true;
  verifyButton.textContent = 'Verifying…';
  try {
    const { input, documents, imageUrl } = await readInput();
    const { report, problems } = await verifyWithDocuments(laurel, input, documents);
    lastInput = { input, documents };
    lastReport = report;
    render(report, problems, imageUrl);
    if ($('recipient-input').value.trim()) checkRecipient();
  } catch (error) {
    $('result').hidden = true;
    showError(error.message);
  } finally {
    verifyButton.disabled = false;
    verifyButton.textContent = 'Verify';
  }
});

// --- recipient ------------------------------------------------------------------------------

function checkRecipient() {
  const result = $('recipient-result');
  const email = $('recipient-input').value.trim();
  if (!lastReport) {
    result.textContent = 'Verify a badge first.';
    return;
  }
  if (!email) {
    result.textContent = 'Type your email address first.';
    return;
  }
  let match;
  const recipient = lastReport.badge?.recipient;
  if (recipient && typeof recipient.identity === 'string') {
    // OB 2.0 IdentityObject: hash the address here with the badge's salt and compare.
    match = laurel.hashMatches(email, recipient.identity, recipient.salt ?? '', { type: recipient.type ?? 'email' });
  } else {
    // Credentials carry their recipient elsewhere; the core finds and compares it.
    match = laurel.verify(lastInput.input, { documents: lastInput.documents, recipient: email }).recipientMatch === true;
  }
  result.className = match ? 'match' : 'no-match';
  result.textContent = match ? `Match: this badge was awarded to ${email}.` : `No match: this badge was not awarded to ${email}.`;
}

$('recipient-form').addEventListener('submit', (event) => {
  event.preventDefault();
  checkRecipient();
});

// --- start ----------------------------------------------------------------------------------

try {
  laurel = await createLaurel();
  $('version').textContent = laurel.version;
  $('loading').textContent = '';
  verifyButton.disabled = false;
  document.body.dataset.ready = 'true';
} catch (error) {
  $('loading').textContent = '';
  showError(`The verifier could not be loaded: ${error.message}`);
}
