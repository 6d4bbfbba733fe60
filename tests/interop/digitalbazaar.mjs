// Digital Bazaar's Data Integrity stack with the contexts Laurel builds in and documents from
// memory (no network): shared by interop.test.mjs and the benchmarks (bench/wasm_bench.mjs,
// bench/data_integrity_node.mjs), which import it from here so Node finds tests/interop's
// node_modules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

export { Ed25519Multikey, eddsaRdfc2022, vc, DataIntegrityProof };

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

// The contexts exactly as Laurel builds them in: the raw strings of the generated table.
function builtinContexts() {
  const source = readFileSync(path.join(repo, 'core/src/jsonld/builtin_contexts_data.cpp'), 'utf8');
  const contexts = new Map();
  for (const match of source.matchAll(/\{"([^"]+)",\s*R"json\(([\s\S]*?)\)json"\}/g)) {
    contexts.set(match[1], JSON.parse(match[2]));
  }
  if (contexts.size < 10) throw new Error(`only ${contexts.size} built-in contexts found`);
  return contexts;
}
export const contexts = builtinContexts();

// The built-in contexts, then `documents` (URL -> object); a verification method URL
// ("doc#key") is answered with that method of its document. A key named by its fragment alone
// ("<issuer>#z6Mk...", the 1EdTech fixtures' convention) is answered from the fragment.
export function documentLoaderFor(documents = {}) {
  return async (url) => {
    if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
    const [base, fragment] = url.split('#');
    const document = documents[base];
    if (!document && fragment?.startsWith('z6Mk')) {
      return { contextUrl: null, documentUrl: url, document: {
        '@context': MULTIKEY_V1, id: url, type: 'Multikey', controller: base, publicKeyMultibase: fragment } };
    }
    if (!document) throw new Error(`loader: no document for ${url}`);
    if (base === url) return { contextUrl: null, documentUrl: url, document };
    const method = document.verificationMethod.find((each) => each.id === url);
    if (!method) throw new Error(`loader: ${base} has no method ${url}`);
    return { contextUrl: null, documentUrl: url, document: { '@context': MULTIKEY_V1, ...method } };
  };
}

// The controller documents Digital Bazaar's assertionMethod purpose dereferences, for a credential
// whose proofs name keys by fragment ("<issuer>#z6Mk...", as the 1EdTech fixtures do): the issuer
// lists each such key under assertionMethod. Laurel reads the same keys from the ids.
export function digitalBazaarDocuments(credential) {
  const documents = {};
  for (const proof of [credential.proof].flat()) {
    const [base, fragment] = proof.verificationMethod.split('#');
    documents[base] ??= { '@context': ['https://www.w3.org/ns/did/v1', MULTIKEY_V1], id: base,
      verificationMethod: [], assertionMethod: [] };
    documents[base].verificationMethod.push({
      id: proof.verificationMethod, type: 'Multikey', controller: base, publicKeyMultibase: fragment });
    documents[base].assertionMethod.push(proof.verificationMethod);
  }
  return documents;
}

// Credential status is issue 11's concern; these compare proofs only.
const checkStatus = async () => ({ verified: true });

export async function verifyWithDigitalBazaar(credential, documents, { purpose } = {}) {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  return vc.verifyCredential({ credential, suite, documentLoader: documentLoaderFor(documents), checkStatus, purpose });
}

// Median milliseconds of one verification of `credential` over `samples` runs (after warmup).
export async function timeDigitalBazaarVerify(credential, documents, { warmup = 20, samples = 60, purpose } = {}) {
  for (let i = 0; i < warmup; i += 1) await verifyWithDigitalBazaar(credential, documents, { purpose });
  const times = [];
  let verified = true;
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    verified = (await verifyWithDigitalBazaar(credential, documents, { purpose })).verified && verified;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[times.length >> 1], verified };
}
