// The portable WASM cases (tests/wasm/cases) in headless Chromium: the same functions node --test
// runs, here against the browser's WebAssembly engine (tests/wasm/browser.html).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, startServer, withPage } from './support.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the tests/wasm cases pass in Chromium', async (t) => {
  await withPage(browser, 'wasm cases in chromium', async (page) => {
    await page.goto(`${server.origin}/tests/wasm/browser.html`);
    await page.waitForFunction(() => Array.isArray(window.laurelCaseResults), null, { timeout: 120000 });
    const results = await page.evaluate(() => window.laurelCaseResults);
    assert.ok(results.length >= 20, `${results.length} cases ran`);
    for (const result of results) {
      await t.test(`${result.suite}: ${result.name}`, () => assert.ok(result.ok, result.error));
    }
  });
});
