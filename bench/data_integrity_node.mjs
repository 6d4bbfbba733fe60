// Data Integrity verification of the 1EdTech simple.json (eddsa-rdfc-2022), median milliseconds
// per verification, in one run: Laurel natively (build/native/bench/data_integrity_bench
// --verify-ms), Laurel's wasm in Node, and Digital Bazaar's stack in Node (@digitalbazaar/vc with
// the eddsa-rdfc-2022 cryptosuite, tests/interop). Run by bench/data_integrity_bench.sh.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { timeVerify } from './wasm_timing.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { timeDigitalBazaarVerify, digitalBazaarDocuments } = await import(
  pathToFileURL(path.join(repo, 'tests/interop/digitalbazaar.mjs')).href);
const { default: createLaurel } = await import(pathToFileURL(path.join(repo, 'bindings/wasm/dist/laurel.mjs')).href);

const NOW = Date.UTC(2026, 0, 1) / 1000;
const text = readFileSync(path.join(repo, 'tests/data/fixtures/1edtech/ob30/simple.json'), 'utf8');
const credential = JSON.parse(text);

const native = spawnSync(path.join(repo, 'build/native/bench/data_integrity_bench'), ['--verify-ms'], { encoding: 'utf8' });
if (native.status !== 0) throw new Error(`data_integrity_bench --verify-ms failed: ${native.stderr}`);
const nativeMs = Number(native.stdout.trim());

const laurel = await createLaurel();
const wasm = timeVerify(laurel, text, { now: NOW });
if (!wasm.valid) throw new Error('simple.json does not verify in wasm');
const theirs = await timeDigitalBazaarVerify(credential, digitalBazaarDocuments(credential));
if (!theirs.verified) throw new Error('simple.json does not verify with Digital Bazaar');

const row = (name, ms) => console.log(`${name.padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ` +
  `${(1000 / ms).toFixed(0).padStart(7)} /s   ${(theirs.medianMs / ms).toFixed(1).padStart(6)}x Digital Bazaar`);
console.log('verify 1EdTech simple.json (eddsa-rdfc-2022), median per verification, one thread:');
row('Laurel native', nativeMs);
row('Laurel wasm in Node', wasm.medianMs);
row('Digital Bazaar (@digitalbazaar/vc) in Node', theirs.medianMs);
