// Runs the portable cases (cases/*.mjs, also run in Chromium by tests/e2e) under Node's test
// runner, against bindings/wasm/dist/laurel.mjs (or $LAUREL_WASM_DIST).
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = process.env.LAUREL_FIXTURES ?? path.resolve(repo, 'tests/data/fixtures');
const dist = process.env.LAUREL_WASM_DIST ?? path.join(repo, 'bindings/wasm/dist/laurel.mjs');

const { default: createLaurel, LaurelError } = await import(pathToFileURL(dist).href);

// Reads files by their path under a directory: the copied fixtures (tests/data/fixtures), or tests/data.
function reader(root) {
  return {
    async bytes(relative) {
      const buffer = await readFile(path.join(root, relative));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    text: (relative) => readFile(path.join(root, relative), 'utf8'),
    list: async (relative) =>
      (await readdir(path.join(root, relative), { withFileTypes: true }))
        .filter((entry) => entry.isFile()).map((entry) => entry.name).sort(),
  };
}
export const fixtures = reader(fixturesDir);
export const testData = reader(path.join(repo, 'tests/data'));

let laurelPromise;
export function loadLaurel() {
  laurelPromise ??= createLaurel();
  return laurelPromise;
}

/** Registers each case of a cases/*.mjs `tests` object as one node:test test. */
export function register(cases) {
  for (const [name, run] of Object.entries(cases)) {
    test(name, async () => run({ laurel: await loadLaurel(), LaurelError, assert, fixtures, testData }));
  }
}

export { LaurelError, createLaurel };
