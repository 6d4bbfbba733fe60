// Native and WASM give the same report, byte for byte (STYLE.md, Golden data): every 1EdTech
// fixture, Laurel's own credential and bakes, tampered and hostile variants, with and without a
// recipient, each verified by the native core (tests/wasm/native, built by scripts/test-wasm.sh)
// and by dist/laurel.mjs; badges the native core issues in this run (fresh keys, every form); and
// the canonical JSON of every fixture document compared the same way.
// Node only: the browser has no native build to ask.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { NOW, laurelCredential, ob20Documents } from './cases/fixtures.mjs';
import { fixtures, loadLaurel, repo, testData } from './node-context.mjs';

const driver = process.env.LAUREL_NATIVE_REPORTS ?? path.join(repo, 'build/wasm-native/native_reports');

// Sends request lines to the native driver and resolves to its answer lines.
async function askNative(requests) {
  const child = spawn(driver, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  const exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`native_reports exited ${code}`))));
  });
  child.stdin.end(requests.map((request) => JSON.stringify(request)).join('\n') + '\n');
  await exited;
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  lines.pop();
  assert.equal(lines.length, requests.length);
  return lines;
}

const bytesOf = (input) => (typeof input === 'string' ? new TextEncoder().encode(input) : input);

function tamper(text, index) {
  const at = Math.min(index, text.length - 1);
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

async function cases() {
  const ob20 = await ob20Documents(fixtures);
  const expected = JSON.parse(await fixtures.text('1edtech/expected.json'));
  const list = [];
  for (const file of Object.keys(expected)) {
    const input = /\.(png|svg)$/.test(file) ? await fixtures.bytes(`1edtech/${file}`) : await fixtures.text(`1edtech/${file}`);
    list.push({ name: file, input, documents: ob20, now: NOW });
    list.push({ name: `${file} for nobody@example.org`, input, documents: ob20, now: NOW, recipient: 'nobody@example.org' });
    if (typeof input === 'string') list.push({ name: `${file} tampered`, input: tamper(input, input.length >> 1), documents: ob20, now: NOW });
    else {
      const changed = input.slice();
      changed[changed.length >> 1] ^= 0x20;
      list.push({ name: `${file} one byte changed`, input: changed, documents: ob20, now: NOW });
    }
  }
  const credential = await laurelCredential(testData);
  list.push({ name: 'Laurel OB 3.0 credential', input: credential.jwt, documents: credential.documents, recipient: 'Ada@Example.org' });
  list.push({ name: 'Laurel OB 3.0 credential, no documents', input: credential.jwt, documents: {}, now: NOW });
  for (const name of await testData.list('baking')) {
    if (name.endsWith('.png')) list.push({ name: `tests/data/baking/${name}`, input: await testData.bytes(`baking/${name}`), documents: {}, now: NOW });
  }
  for (const name of await fixtures.list('baking')) {
    list.push({ name: `fixtures/baking/${name}`, input: await fixtures.bytes(`baking/${name}`), documents: {}, now: NOW });
  }
  for (const [name, input] of Object.entries({ empty: '', deep: '['.repeat(3000), 'bad UTF-8': new Uint8Array([0x7b, 0xff, 0x7d]), 'not a JWS': 'a.b.c' })) {
    list.push({ name, input, documents: {}, now: NOW });
  }
  return list;
}

test('native and wasm write the same report for every fixture and variant', async () => {
  assert.ok(existsSync(driver), `${driver} is missing: run scripts/test-wasm.sh (it builds the native reference)`);
  const laurel = await loadLaurel();
  const list = await cases();
  const native = await askNative(list.map(({ input, documents, now, recipient }) => ({
    input: Buffer.from(bytesOf(input)).toString('base64'), documents, now, ...(recipient ? { recipient } : {}),
  })));
  let compared = 0;
  const differences = [];
  for (const [index, { name, input, documents, now, recipient }] of list.entries()) {
    const report = laurel.verify(input, { documents, now, recipient });
    // The wasm report, re-written by the core's canonical writer, must be the native text.
    const wasm = laurel.canonicalJsonForTests(JSON.stringify(report));
    if (wasm === native[index]) compared += 1;
    else differences.push(`${name}\n  native: ${native[index]}\n  wasm:   ${wasm}`);
  }
  assert.deepEqual(differences, [], `${differences.length} of ${list.length} reports differ`);
  assert.ok(compared >= 200, `compared ${compared} reports`);
});

test('native and wasm write the same canonical JSON for every fixture document', async () => {
  const laurel = await loadLaurel();
  const texts = [];
  for (const dir of ['1edtech/ob20', '1edtech/ob20/assets', '1edtech/ob30', '1edtech/ob30/bit-string-list']) {
    for (const name of await fixtures.list(dir)) {
      if (name.endsWith('.json')) texts.push(await fixtures.text(`${dir}/${name}`));
    }
  }
  texts.push('[1e3,2.5,1e21,0.1,1e-7,1.0,-0.0,5e-324,1.7976931348623157e308,9007199254740993]',
    '{"b":"\\u0000\\u001f\\u007f\\u2028","a":"😀"}', '{"a":1,"a":2}', '123456789012345678901234567890');
  const native = await askNative(texts.map((text) => ({ canonical: text })));
  for (const [index, text] of texts.entries()) {
    let wasm;
    try {
      wasm = { ok: laurel.canonicalJsonForTests(text) };
    } catch (error) {
      wasm = { error: error.message };
    }
    assert.deepEqual(wasm, JSON.parse(native[index]), text.slice(0, 80));
  }
  assert.ok(texts.length > 80, `compared ${texts.length} documents`);
});

test('badges Laurel issues in this run verify alike natively and in wasm: valid, revoked, tampered', async () => {
  const laurel = await loadLaurel();
  const [issuedLine] = await askNative([{
    issue: Buffer.from(await fixtures.bytes('baking/public_domain_heart.png')).toString('base64'),
    svg: Buffer.from(await fixtures.bytes('baking/unbaked_example.svg')).toString('base64'),
  }]);
  const issued = JSON.parse(issuedLine);
  const inputs = { ...issued.badges };
  for (const [name, base64] of Object.entries(issued.images)) inputs[name] = new Uint8Array(Buffer.from(base64, 'base64'));
  inputs['signed-rs256 tampered'] = tamper(issued.badges['signed-rs256'], issued.badges['signed-rs256'].length - 10);
  inputs['credential-eddsa tampered'] = tamper(issued.badges['credential-eddsa'], issued.badges['credential-eddsa'].length - 10);

  const list = [];
  for (const [name, input] of Object.entries(inputs)) {
    for (const recipient of [issued.recipient, 'eve@example.org']) {
      list.push({ name, input, documents: issued.documents, recipient, revoked: false });
    }
    list.push({ name, input, documents: issued.revokedDocuments, recipient: issued.recipient, revoked: true });
  }
  const native = await askNative(list.map(({ input, documents, recipient }) => ({
    input: Buffer.from(bytesOf(input)).toString('base64'), documents, now: NOW, recipient,
  })));
  for (const [index, { name, input, documents, recipient, revoked }] of list.entries()) {
    const report = laurel.verify(input, { documents, now: NOW, recipient });
    const label = `${name}, recipient ${recipient}${revoked ? ', revoked' : ''}`;
    assert.equal(laurel.canonicalJsonForTests(JSON.stringify(report)), native[index], label);
    // OB 2.0 badges are revoked through the RevocationList, the OB 3.0 credential through its
    // Bitstring Status List (issue 11: it used to pass when revoked).
    const ob3 = name.includes('credential');
    const shouldPass = !name.includes('tampered') && recipient === issued.recipient && !revoked;
    const failing = report.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.message}`);
    assert.equal(report.valid, shouldPass, `${label}: ${failing.join('; ')}`);
    if (revoked && !name.includes('tampered')) {
      const check = ob3 ? 'status' : 'revocation';
      assert.ok(report.checks.some((item) => item.name === check && !item.ok), `${label}: ${failing.join('; ')}`);
    }
    if (!name.includes('tampered')) assert.equal(report.recipientMatch, recipient === issued.recipient, label);
  }
  assert.deepEqual(laurel.unbake(inputs['baked-hosted.png']), JSON.parse(issued.badges.hosted));
  assert.equal(laurel.unbake(inputs['baked-rs256.png']), issued.badges['signed-rs256']);
});
