// Runs the portable WASM cases in a browser: the same functions node --test runs, with fetch()
// instead of the file system. Results land in window.laurelCaseResults (tests/e2e reads them).
import createLaurel, { LaurelError } from '../../bindings/wasm/dist/laurel.mjs';
import { assert } from './cases/assert.mjs';
import { tests as dataIntegrity } from './cases/data_integrity.mjs';
import { tests as json } from './cases/json.mjs';
import { tests as recipient } from './cases/recipient.mjs';
import { tests as verify } from './cases/verify.mjs';

// Files under a URL prefix; the e2e server answers "<dir>/?list" with the JSON list of file names.
function reader(prefix) {
  const get = async (relative) => {
    const response = await fetch(prefix + relative);
    if (!response.ok) throw new Error(`${prefix}${relative}: ${response.status}`);
    return response;
  };
  return {
    bytes: async (relative) => new Uint8Array(await (await get(relative)).arrayBuffer()),
    text: async (relative) => (await get(relative)).text(),
    list: async (relative) => (await get(`${relative}/?list`)).json(),
  };
}

const results = [];
const suites = { recipient, json, verify, dataIntegrity };
try {
  const laurel = await createLaurel();
  const context = { laurel, LaurelError, assert, fixtures: reader('/fixtures/'), testData: reader('/tests/data/') };
  for (const [suite, cases] of Object.entries(suites)) {
    for (const [name, run] of Object.entries(cases)) {
      const started = performance.now();
      try {
        await run(context);
        results.push({ suite, name, ok: true, ms: performance.now() - started });
      } catch (error) {
        results.push({ suite, name, ok: false, error: `${error.name}: ${error.message}` });
      }
    }
  }
} catch (error) {
  results.push({ suite: 'load', name: 'the module loads', ok: false, error: `${error.name}: ${error.message}` });
}
const list = document.getElementById('results');
for (const result of results) {
  const item = document.createElement('li');
  item.textContent = `${result.ok ? 'ok' : 'FAIL'} ${result.suite}: ${result.name}${result.error ? ` — ${result.error}` : ''}`;
  list.append(item);
}
window.laurelCaseResults = results;
