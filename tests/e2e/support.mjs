// What the browser tests share: a static server for the repository on 127.0.0.1, Debian's
// Chromium driven by playwright-core, the fixtures in tests/data/fixtures served as the example.org documents the
// badges link to, and a screenshot under tests/e2e/screenshots/ when a test fails.
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = process.env.LAUREL_FIXTURES ?? path.resolve(repo, 'tests/data/fixtures');
export const screenshotsDir = path.join(repo, 'tests/e2e/screenshots');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm', '.jwt': 'text/plain', '.txt': 'text/plain', '.md': 'text/plain',
};
const contentType = (file) => CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';

// Maps a URL path to a file: /fixtures/... to tests/data/fixtures, the rest to `siteRoot` (the
// repository unless a test serves a folder of its own). Never outside those two roots.
function resolvePath(urlPath, siteRoot) {
  const decoded = decodeURIComponent(urlPath);
  const [root, rest] = decoded.startsWith('/fixtures/') ? [fixturesDir, decoded.slice('/fixtures/'.length)] : [siteRoot, decoded];
  const file = path.resolve(root, `.${path.posix.normalize(`/${rest}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/**
 * Starts the static server on a free loopback port, serving `root` (default: the repository).
 * "<dir>/?list" answers the dir's file names.
 */
export async function startServer({ root = repo } = {}) {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    const file = resolvePath(url.pathname, root);
    try {
      if (!file) throw Object.assign(new Error('outside the served roots'), { code: 'ENOENT' });
      const info = await stat(file);
      if (info.isDirectory()) {
        if (url.searchParams.has('list')) {
          const entries = await readdir(file, { withFileTypes: true });
          const names = entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(names));
          return;
        }
        response.writeHead(404).end('no directory index');
        return;
      }
      response.writeHead(200, { 'Content-Type': contentType(file), 'Cache-Control': 'no-store' });
      response.end(await readFile(file));
    } catch (error) {
      response.writeHead(error.code === 'ENOENT' ? 404 : 500, { 'Content-Type': 'text/plain' }).end(String(error.message));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium with a fresh profile; close() also removes the profile. */
export async function launchBrowser() {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'laurel-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.LAUREL_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1024, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

// The documents the 1EdTech OB 2.0 fixtures link to live at these origins (tests/core/test_files.hpp).
const EXAMPLE_ORIGINS = new Set(['https://www.example.org', 'https://example.org', 'http://example.org']);
// The Bitstring Status List two OB 3.0 fixtures name, where the 1EdTech validator's tests serve it.
const FIXTURE_URLS = new Map([
  ['https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist',
    '1edtech/ob30/bit-string-list/testlist'],
]);

/**
 * Routes the page's network: loopback servers as they are (the static server sends no CORS
 * headers, so a second one on another port is a real cross-origin server that refuses CORS);
 * example.org serves the fixtures' documents (ob20/assets, then ob20), and the OB 3.0 fixtures'
 * status list its URL, with CORS allowed as a well-configured issuer would; everything else is refused, so no test touches the internet.
 */
export async function routeNetwork(page) {
  const served = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    if (FIXTURE_URLS.has(url.href)) {
      served.push(url.href);
      const body = await readFile(path.join(fixturesDir, FIXTURE_URLS.get(url.href)));
      return route.fulfill({ status: 200, body, contentType: 'text/plain', headers: { 'Access-Control-Allow-Origin': '*' } });
    }
    if (EXAMPLE_ORIGINS.has(url.origin)) {
      const name = path.basename(url.pathname);
      const inAssets = path.join(fixturesDir, '1edtech/ob20/assets', name);
      const file = await stat(inAssets).then(() => inAssets, () => path.join(fixturesDir, '1edtech/ob20', name));
      try {
        const body = await readFile(file);
        served.push(url.href);
        return route.fulfill({ status: 200, body, contentType: contentType(file), headers: { 'Access-Control-Allow-Origin': '*' } });
      } catch {
        return route.fulfill({ status: 404, body: 'not found', headers: { 'Access-Control-Allow-Origin': '*' } });
      }
    }
    return route.abort('blockedbyclient');
  });
  return served;
}

/** Runs `body(page)`; on failure saves a full-page screenshot named after the test, then rethrows. */
export async function withPage(browser, name, body) {
  const page = await browser.context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  try {
    const served = await routeNetwork(page);
    await body(page, { served, consoleErrors });
  } catch (error) {
    await mkdir(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${path.relative(repo, file)}; page errors: ${consoleErrors.join(' | ') || 'none'})`;
    throw error;
  } finally {
    await page.close();
  }
}
