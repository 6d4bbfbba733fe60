// Fetching a badge and the documents it links to, for the widget (web-demo/widget.js) and the
// <laurel-verify> element (laurel-verify.mjs). The verifier itself never fetches: its report says
// which URL "was not supplied", this module fetches those and verifies again. Every Open Badges
// rule stays in the core.

// A follow-up round fetches documents named by the previous round's report; real badges need at
// most badge class -> issuer -> key / revocation list, so a few rounds suffice, and the cap keeps
// a hostile chain of links from running forever.
const kMaxFetchRounds = 6;
const kMaxFetchBytes = 16 << 20;  // the core's JSON limit

/** A document could not be fetched; the message says why, for people. */
export class FetchProblem extends Error {}

/** True for the bytes of a PNG or an SVG image (a baked badge). */
export function isImage(bytes) {
  const png = [0x89, 0x50, 0x4e, 0x47];
  if (png.every((byte, i) => bytes[i] === byte)) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 1024));
  return /<svg[\s>]/.test(head);
}

/** The bytes at `url`, or a FetchProblem. */
export async function fetchDocument(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/ld+json, application/json, image/*;q=0.8, */*;q=0.5' } });
  } catch (error) {
    // fetch() gives no detail for a CORS refusal on purpose; say what it usually means.
    throw new FetchProblem(`the request failed (${error.message}). Most often the server does not allow other ` +
      'sites to read it (no Access-Control-Allow-Origin header, a CORS refusal) or it is unreachable. ' +
      'Download the document yourself and paste it above, or ask the issuer to enable CORS.');
  }
  if (!response.ok) throw new FetchProblem(`the server answered ${response.status} ${response.statusText}`.trim());
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > kMaxFetchBytes) throw new FetchProblem(`larger than ${kMaxFetchBytes} bytes`);
  return bytes;
}

/**
 * The badge at `url` as the verifier takes it: `{input, documents, image}` where `input` is the
 * bytes of a baked image or the text of a JSON/JWS badge, `documents` holds the fetched document
 * itself (the hosted copy the verifier compares with) and `image` is a Blob for an image badge.
 */
export async function fetchBadge(url) {
  const bytes = await fetchDocument(url);
  if (isImage(bytes)) {
    const type = bytes[0] === 0x89 ? 'image/png' : 'image/svg+xml';
    return { input: bytes, documents: {}, image: new Blob([bytes], { type }) };
  }
  const text = new TextDecoder().decode(bytes);
  return { input: text.trim(), documents: { [url]: text }, image: null };
}

/**
 * Verifies `input` with `laurel` (from createLaurel()), fetching the documents the report lists as
 * `missing`
 * into `documents` until nothing new can be had. Returns `{report, problems}`, problems mapping
 * each URL that could not be fetched to why.
 */
export async function verifyWithDocuments(laurel, input, documents, options = {}) {
  const problems = new Map();
  let report = laurel.verify(input, { ...options, documents });
  for (let round = 0; round < kMaxFetchRounds; round += 1) {
    const wanted = report.missing.filter((url) => !(url in documents) && !problems.has(url));
    if (!wanted.length) break;
    await Promise.all(wanted.map(async (url) => {
      try {
        documents[url] = new TextDecoder().decode(await fetchDocument(url));
      } catch (error) {
        problems.set(url, error instanceof FetchProblem ? error.message : String(error));
      }
    }));
    report = laurel.verify(input, { ...options, documents });
  }
  return { report, problems };
}
