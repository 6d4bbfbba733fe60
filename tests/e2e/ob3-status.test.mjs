// Issue 11: an OB 3.0 credential taken before its assertion was revoked must verify invalid once
// revoked, with the status list fetched from a real `laurel serve`: through the WebAssembly
// verifier in Node (the report's `missing` URLs fetched by fetch-badge.mjs) and in the widget.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { createRemoteJWKSet, jwtVerify } from 'jose';

import { startLaurelServe } from './laurel-serve.mjs';
import { launchBrowser, repo, startServer, withPage } from './support.mjs';

let laurelServe;
let site;
let browser;
before(async () => {
  laurelServe = await startLaurelServe();
  site = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await laurelServe?.close();
});

const testid = (id) => `[data-testid=${id}]`;
const statusCheck = (report) => report.checks.find((check) => check.name === 'status');

async function wasmVerify(input) {
  const { default: createLaurel } = await import(pathToFileURL(path.join(repo, 'web-demo/laurel/laurel.mjs')));
  const { verifyWithDocuments } = await import(pathToFileURL(path.join(repo, 'web-demo/laurel/fetch-badge.mjs')));
  const laurel = await createLaurel();
  return verifyWithDocuments(laurel, input, {});
}

async function widgetVerdict(page, input) {
  await page.goto(`${site.origin}/web-demo/index.html`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  await page.fill(testid('badge-text'), input);
  await page.click(testid('verify-button'));
  await page.waitForFunction(() => document.querySelector('[data-testid=verdict]')?.textContent, null, { timeout: 30000 });
  const checks = await page.$$eval('[data-testid=check]', (items) =>
    items.map((item) => ({ name: item.dataset.name, ok: item.dataset.ok === 'true' })));
  return { verdict: await page.textContent(testid('verdict')), checks };
}

test('the credential verifies valid before and invalid after revocation (WASM in Node, widget in Chromium)', async () => {
  const before = await wasmVerify(laurelServe.goneCredential);
  assert.equal(before.report.valid, true, JSON.stringify(before.report.errors));
  assert.equal(statusCheck(before.report)?.ok, true);
  // (The widget sees the list only after the revocation: a browser may keep a list for its
  // max-age of 60 s, as the server allows.)

  await laurelServe.revoke();
  const after = await wasmVerify(laurelServe.goneCredential);
  assert.equal(after.report.valid, false);
  assert.equal(statusCheck(after.report)?.ok, false);
  assert.match(statusCheck(after.report).message, /revoked/);
  assert.equal((await wasmVerify(laurelServe.kept)).report.valid, true);
  await withPage(browser, 'ob3 status after', async (page) => {
    const shown = await widgetVerdict(page, laurelServe.goneCredential);
    assert.match(shown.verdict, /^Invalid/);
    assert.match(shown.verdict, /revoked/);
    assert.equal(shown.checks.find((check) => check.name === 'status')?.ok, false);
  });
});

test('Laurel VC-JWTs (EdDSA, RS256, ES256) verify with jose, the kid resolved through the served JWK Set', async () => {
  const keys = createRemoteJWKSet(new URL(`${laurelServe.profile}/jwks`));
  const tokens = [[laurelServe.kept, 'EdDSA'], [laurelServe.keptRs256, 'RS256'], [laurelServe.keptEs256, 'ES256']];
  for (const [token, alg] of tokens) {
    const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: laurelServe.profile });
    assert.equal(protectedHeader.alg, alg);
    assert.ok(protectedHeader.kid.startsWith(`${laurelServe.profile}#`));
    assert.equal(payload.issuer.id, laurelServe.profile);
    assert.equal(payload.credentialStatus.type, 'BitstringStatusListEntry');
  }
  const tampered = `${laurelServe.kept.slice(0, -4)}AAAA`;
  await assert.rejects(jwtVerify(tampered, keys));
});

test('an ES256 VC-JWT: one changed claim character fails jose; Laurel (WASM in Node) verifies it', async () => {
  const keys = createRemoteJWKSet(new URL(`${laurelServe.profile}/jwks`));
  const [header, body, signature] = laurelServe.keptEs256.split('.');
  const claims = Buffer.from(body, 'base64url').toString().replace('"Revocable"', '"Revocablf"');
  const tampered = `${header}.${Buffer.from(claims).toString('base64url')}.${signature}`;
  await assert.rejects(jwtVerify(tampered, keys), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });

  const { report } = await wasmVerify(laurelServe.keptEs256);
  assert.equal(report.valid, true, JSON.stringify(report.errors));
  assert.match(report.checks.find((check) => check.name === 'signature').message, /^ES256/);
  assert.equal((await wasmVerify(tampered)).report.valid, false);
});
