// The npm package of the verifier as a user gets it: `npm pack` of bindings/wasm, unpacked into a
// temporary site (node_modules/laurel-verify/), and a page there that uses only the tarball's
// files: the <laurel-verify> element with one script tag, and the module's API.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { launchBrowser, repo, startServer, withPage } from './support.mjs';

const run = promisify(execFile);

let site;
let server;
let browser;
let packed;  // the tarball's file list
before(async () => {
  site = await mkdtemp(path.join(os.tmpdir(), 'laurel-npm-'));
  await run('npm', ['pack', '--silent', '--pack-destination', site], { cwd: path.join(repo, 'bindings/wasm') });
  const [tarball] = (await readdir(site)).filter((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');
  const target = path.join(site, 'node_modules/laurel-verify');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', path.join(site, tarball), '-C', target, '--strip-components=1']);
  packed = (await run('tar', ['-tzf', path.join(site, tarball)])).stdout.split('\n').filter(Boolean);
  server = await startServer({ root: site });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

async function page(body) {
  await writeFile(path.join(site, 'index.html'), `<!doctype html><meta charset="utf-8">
<script type="module" src="node_modules/laurel-verify/laurel-verify.mjs"></script>
<body>${body}</body>`);
}

const state = (pageHandle, selector) => pageHandle.$eval(selector, (element) => element.getAttribute('state'));

test('the tarball holds the module, the element, the types and the README, and nothing else', async () => {
  const manifest = JSON.parse(await readFile(path.join(site, 'node_modules/laurel-verify/package.json'), 'utf8'));
  assert.equal(manifest.name, 'laurel-verify');
  for (const file of ['dist/laurel.mjs', 'laurel-verify.mjs', 'fetch-badge.mjs', 'laurel.d.ts', 'README.md']) {
    assert.ok(packed.includes(`package/${file}`), `${file} missing from ${packed.join(', ')}`);
  }
  assert.ok(packed.every((file) => !file.includes('module.cpp') && !file.includes('CMakeLists')), packed.join(', '));
  assert.equal(manifest.exports['.'].default, './dist/laurel.mjs');
  assert.equal(manifest.exports['.'].types, './laurel.d.ts');
});

test('<laurel-verify src=...> from the tarball verifies a hosted badge and matches the recipient', () =>
  withPage(browser, 'npm element valid', async (tab, { consoleErrors }) => {
    await page(`<laurel-verify id="good" src="https://example.org/basic-assertion.json"
      recipient="nobody@example.org"></laurel-verify>
      <laurel-verify id="other" src="https://example.org/basic-assertion.json"
      recipient="somebody@example.org"></laurel-verify>`);
    await tab.goto(`${server.origin}/index.html`);
    await tab.waitForFunction(() => [...document.querySelectorAll('laurel-verify')]
      .every((element) => ['valid', 'invalid', 'error'].includes(element.getAttribute('state'))), null, { timeout: 30000 });
    assert.equal(await state(tab, '#good'), 'valid');
    const verdict = await tab.$eval('#good', (element) => element.shadowRoot.querySelector('[part=verdict]').textContent);
    assert.match(verdict, /^Valid/);
    assert.equal(await tab.$eval('#good', (element) => element.report.recipientMatch), true);
    assert.equal(await tab.$eval('#other', (element) => element.report.recipientMatch), false);
    assert.match(await tab.$eval('#other', (element) => element.shadowRoot.textContent), /not somebody@example\.org/);
    assert.deepEqual(consoleErrors, []);
  }));

test('changing src re-verifies: an expired badge shows Invalid, a missing one an error', () =>
  withPage(browser, 'npm element invalid', async (tab) => {
    await page('<laurel-verify id="badge" src="https://example.org/basic-assertion.json"></laurel-verify>');
    await tab.goto(`${server.origin}/index.html`);
    await tab.waitForSelector('laurel-verify[state=valid]', { timeout: 30000 });
    await tab.$eval('#badge', (element) => element.setAttribute('src', 'https://example.org/basic-assertion-expired.json'));
    await tab.waitForSelector('laurel-verify[state=invalid]', { timeout: 30000 });
    assert.match(await tab.$eval('#badge', (element) => element.shadowRoot.textContent), /^[\s\S]*Invalid/);
    await tab.$eval('#badge', (element) => element.setAttribute('src', 'https://example.org/no-such-badge.json'));
    await tab.waitForSelector('laurel-verify[state=error]', { timeout: 30000 });
    assert.match(await tab.$eval('#badge', (element) => element.shadowRoot.textContent), /404/);
  }));

test('the package\'s main export works on its own: verify() through the exports map', () =>
  withPage(browser, 'npm module export', async (tab) => {
    await page('');
    await tab.goto(`${server.origin}/index.html`);
    const report = await tab.evaluate(async () => {
      const { default: createLaurel } = await import('/node_modules/laurel-verify/dist/laurel.mjs');
      const laurel = await createLaurel();
      return laurel.verify('{"not": "a badge"}');
    });
    assert.equal(report.valid, false);
    assert.ok(report.errors.length > 0);
  }));
