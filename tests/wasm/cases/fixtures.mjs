// What the verify cases share: the documents the 1EdTech OB 2.0 fixtures link to and the time the
// fixtures are judged at, exactly as tests/core/verify_test.cpp sets them up natively.

// 2026-01-01T00:00:00Z, the native tests' fixed_now().
export const NOW = Date.UTC(2026, 0, 1) / 1000;

// As in the 1EdTech validator's own tests, a URL on these hosts names a file in ob20/assets.
const HOSTS = ['https://www.example.org/', 'https://example.org/', 'http://example.org/'];

export async function ob20Documents(fixtures) {
  const documents = {};
  for (const name of await fixtures.list('1edtech/ob20/assets')) {
    const text = await fixtures.text(`1edtech/ob20/assets/${name}`);
    for (const host of HOSTS) documents[host + name] = text;
  }
  return documents;
}

// The fixtures these cases leave out: two credentials revoked through a BitstringStatusList whose
// list these cases do not supply (tests/core/verify_test.cpp serves it and checks them).
export const UNSUPPORTED = new Set(['ob30/bit-string-list/credential-status-revoked.json',
  'ob30/bit-string-list/credential-status-revoked-blank-nodes.json']);

export async function expectedVerdicts(fixtures) {
  const expected = JSON.parse(await fixtures.text('1edtech/expected.json'));
  return Object.entries(expected).filter(([file]) => !UNSUPPORTED.has(file));
}

// Input as the verifier takes it: text for JSON and JWS files, bytes for images.
export async function fixtureInput(fixtures, file) {
  return /\.(png|svg)$/.test(file) ? fixtures.bytes(`1edtech/${file}`) : fixtures.text(`1edtech/${file}`);
}

export function describe(report) {
  return report.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.message}`).join('; ');
}

// Laurel's own OB 3.0 golden credential (tests/data/ob3): the VC-JWT and the documents it links
// to, keyed by their ids.
export async function laurelCredential(testData) {
  const documents = {};
  for (const name of ['key.json', 'issuer.json']) {
    const text = await testData.text(`ob3/${name}`);
    documents[JSON.parse(text).id] = text;
  }
  return { jwt: (await testData.text('ob3/credential.jwt')).trim(), documents };
}
