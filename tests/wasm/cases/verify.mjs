// Verification and unbaking through the wasm build (verify.hpp, bake.hpp), on the shared
// fixtures: the same verdicts the native GoogleTest suite requires.
import { NOW, describe, expectedVerdicts, fixtureInput, laurelCredential, ob20Documents } from './fixtures.mjs';

const CHECK_NAMES = new Set(['input', 'json', 'jws', 'context', 'type', 'fields', 'badgeclass', 'issuer',
  'dates', 'issued', 'expiry', 'recipient', 'revocation', 'signature', 'key', 'hosted', 'endorsements',
  'extensions', 'credential', 'proof', 'canonicalization']);

// Changes one character in the middle of a JWS part (0 header, 1 payload, 2 signature), keeping it
// valid base64url.
function tamper(jws, part) {
  const parts = jws.trim().split('.');
  const middle = Math.floor(parts[part].length / 2);
  const replacement = parts[part][middle] === 'A' ? 'B' : 'A';
  parts[part] = parts[part].slice(0, middle) + replacement + parts[part].slice(middle + 1);
  return parts.join('.');
}

export const tests = {
  async 'the golden reports of tests/data/verify are reproduced exactly'({ laurel, assert, fixtures, testData }) {
    const golden = JSON.parse(await testData.text('verify/reports.json'));
    const sets = { 'ob20-assets': await ob20Documents(fixtures), ob3: (await laurelCredential(testData)).documents, '': {} };
    assert.ok(golden.length >= 10, `${golden.length} golden cases`);
    for (const item of golden) {
      const [where, relative] = [item.input.slice(0, item.input.indexOf(':')), item.input.slice(item.input.indexOf(':') + 1)];
      const input = await (where === 'fixtures' ? fixtures : testData).bytes(relative);
      const report = laurel.verify(input, {
        documents: sets[item.documents], now: Date.parse(item.now) / 1000, recipient: item.recipient || undefined,
      });
      assert.deepEqual(report, item.report, item.name);
    }
  },

  async 'the 1EdTech fixtures reach the verdicts of expected.json'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    let checked = 0;
    for (const [file, verdict] of await expectedVerdicts(fixtures)) {
      const report = laurel.verify(await fixtureInput(fixtures, file), { documents, now: NOW });
      checked += 1;
      assert.equal(report.valid, verdict !== 'invalid', `${file}: ${verdict}, got ${describe(report)}`);
      if (verdict === 'valid-with-warning') assert.ok(report.warnings.length > 0, `${file} has warnings`);
    }
    assert.equal(checked, 72);
  },

  async "Laurel's own OB 3.0 credential verifies, with its recipient matching"({ laurel, assert, testData }) {
    const { jwt, documents } = await laurelCredential(testData);
    const report = laurel.verify(jwt, { documents, recipient: 'Ada@Example.org' });
    assert.equal(report.valid, true, describe(report));
    assert.equal(report.recipientMatch, true);
    assert.equal(laurel.verify(jwt, { documents, recipient: 'eve@example.org' }).recipientMatch, false);
  },

  async 'a report has the shape every face returns'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const report = laurel.verify(await fixtures.text('1edtech/ob20/basic-assertion.json'), { documents, now: NOW });
    assert.deepEqual(Object.keys(report).sort(), ['badge', 'checks', 'errors', 'missing', 'recipientMatch', 'valid', 'warnings']);
    assert.equal(report.valid, true, describe(report));
    assert.equal(report.recipientMatch, null);
    for (const check of report.checks) {
      assert.ok(CHECK_NAMES.has(check.name), `known check name ${check.name}`);
      assert.equal(typeof check.ok, 'boolean');
      assert.equal(typeof check.message, 'string');
    }
    assert.equal(report.badge.type, 'Assertion');
    assert.equal(report.badge.id, 'https://example.org/beths-robotics-badge.json');
  },

  async 'the same document as an object, as text and as bytes gives the same report'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const text = await fixtures.text('1edtech/ob20/basic-assertion.json');
    const fromText = laurel.verify(text, { documents, now: NOW });
    assert.deepEqual(laurel.verify(JSON.parse(text), { documents, now: NOW }), fromText);
    assert.deepEqual(laurel.verify(new TextEncoder().encode(text), { documents, now: NOW }), fromText);
    // Documents as objects where they are JSON (some assets are images or plain text).
    const parseable = (doc) => { try { return JSON.parse(doc); } catch { return doc; } };
    const parsedDocuments = Object.fromEntries(Object.entries(documents).map(([url, doc]) => [url, parseable(doc)]));
    assert.deepEqual(laurel.verify(text, { documents: parsedDocuments, now: new Date(NOW * 1000) }), fromText);
  },

  async 'the recipient option matches and mismatches the hashed identity'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const text = await fixtures.text('1edtech/ob20/basic-assertion.json');
    const match = laurel.verify(text, { documents, now: NOW, recipient: 'Nobody@Example.org' });
    assert.equal(match.recipientMatch, true);
    assert.equal(match.valid, true, describe(match));
    const mismatch = laurel.verify(text, { documents, now: NOW, recipient: 'somebody@example.org' });
    assert.equal(mismatch.recipientMatch, false);
    assert.equal(mismatch.valid, false);
    assert.ok(mismatch.checks.some((check) => check.name === 'recipient' && !check.ok));
  },

  async 'a signed assertion changed in payload, signature or header is invalid'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const jws = await fixtures.text('1edtech/ob20/simple.jwt');
    assert.equal(laurel.verify(jws, { documents, now: NOW }).valid, true);
    for (const part of [0, 1, 2]) {
      const report = laurel.verify(tamper(jws, part), { documents, now: NOW });
      assert.equal(report.valid, false, `part ${part} changed: ${describe(report)}`);
      assert.ok(report.errors.length > 0);
    }
  },

  async 'a revoked signed assertion is invalid and the revocation check says so'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const report = laurel.verify(await fixtures.text('1edtech/ob20/simple-revoked.jwt'), { documents, now: NOW });
    assert.equal(report.valid, false);
    assert.ok(report.checks.some((check) => check.name === 'revocation' && !check.ok), describe(report));
  },

  async 'a baked PNG verifies, and one byte changed in its badge chunk does not pass'({ laurel, assert, fixtures }) {
    const documents = await ob20Documents(fixtures);
    const png = await fixtures.bytes('1edtech/ob20/simple-badge.png');
    assert.equal(laurel.verify(png, { documents, now: NOW }).valid, true);
    const text = new TextDecoder('latin1').decode(png);
    const at = text.indexOf('openbadges');
    assert.ok(at > 0, 'the PNG has an openbadges chunk');
    const changed = png.slice();
    changed[at + 40] ^= 0x01;
    assert.equal(laurel.verify(changed, { documents, now: NOW }).valid, false);
  },

  async 'unbake reads the badge from PNG and SVG bakes'({ laurel, assert, fixtures }) {
    const fromPng = laurel.unbake(await fixtures.bytes('1edtech/ob20/simple-badge.png'));
    assert.ok(typeof fromPng === 'object' || typeof fromPng === 'string');
    const heart = laurel.unbake(await fixtures.bytes('baking/baked_heart.png'));
    assert.ok(heart !== null && (typeof heart === 'object' || typeof heart === 'string'));
    const svg = laurel.unbake(await fixtures.bytes('baking/baked_example.svg'));
    assert.ok(svg !== null);
  },

  async 'unbake reads the OB 1.x bakes: zTXt, compressed iTXt and a bare URL; a zip bomb is refused'({ laurel, LaurelError, assert, testData }) {
    const assertion = JSON.parse(await testData.text('baking/ztxt_assertion.json'));
    assert.deepEqual(laurel.unbake(await testData.bytes('baking/ztxt_heart.png')), assertion);
    assert.deepEqual(laurel.unbake(await testData.bytes('baking/itxt_compressed_heart.png')), assertion);
    assert.match(laurel.unbake(await testData.bytes('baking/text_url_heart.png')), /^https?:\/\//);
    const bomb = await testData.bytes('baking/zip_bomb_heart.png');
    assert.throws(() => laurel.unbake(bomb), (error) => error instanceof LaurelError && error.field === 'image');
  },

  async 'unbake of an image without a badge throws LaurelError with field image'({ laurel, LaurelError, assert, fixtures }) {
    for (const file of ['baking/public_domain_heart.png', 'baking/unbaked_example.svg']) {
      const bytes = await fixtures.bytes(file);
      assert.throws(() => laurel.unbake(bytes), (error) =>
        error instanceof LaurelError && error.code === 'Invalid' && error.field === 'image', file);
    }
    assert.throws(() => laurel.unbake('not bytes'), (error) => error instanceof LaurelError && error.field === 'bytes');
  },

  async 'hostile input gives an invalid report, never a crash'({ laurel, assert, fixtures }) {
    const png = await fixtures.bytes('1edtech/ob20/simple-badge.png');
    const inputs = [
      '', 'null', '[]', '{', '['.repeat(5000), 'a.b.c', 'eyJhbGciOiJub25lIn0..', png.slice(0, 300),
      new Uint8Array([0xff, 0xfe, 0x00, 0x80]), `{"@context":"https://w3id.org/openbadges/v2","name":"${'x'.repeat(1 << 20)}"}`,
    ];
    for (const input of inputs) {
      const report = laurel.verify(input, { now: NOW });
      assert.equal(report.valid, false);
      assert.ok(report.checks.length > 0);
    }
    // Still usable afterwards.
    assert.equal(laurel.verify(await fixtures.text('1edtech/ob20/simple.jwt'), { documents: await ob20Documents(fixtures), now: NOW }).valid, true);
  },

  async 'a malformed issuer key (Crypto++ throws inside) gives an invalid report and the module lives on'({ laurel, assert, fixtures }) {
    // Crypto++ reports a bad DER key by throwing; the core catches it where it calls the library,
    // which in wasm only works because everything is built with exception catching (build-wasm.sh).
    const documents = await ob20Documents(fixtures);
    const jws = await fixtures.text('1edtech/ob20/simple.jwt');
    const key = JSON.parse(documents['http://example.org/key1.json']);
    for (const pem of [
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAko9t\n-----END PUBLIC KEY-----\n',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
      'not a key',
    ]) {
      const broken = { ...documents, 'http://example.org/key1.json': JSON.stringify({ ...key, publicKeyPem: pem }) };
      const report = laurel.verify(jws, { documents: broken, now: NOW });
      assert.equal(report.valid, false, pem);
      assert.ok(report.checks.some((check) => (check.name === 'key' || check.name === 'signature') && !check.ok), describe(report));
    }
    assert.equal(laurel.verify(jws, { documents, now: NOW }).valid, true);
  },

  'bad options are a LaurelError naming the option'({ laurel, LaurelError, assert }) {
    assert.throws(() => laurel.verify('{}', { now: 'yesterday' }), (error) => error instanceof LaurelError && error.field === 'now');
    assert.throws(() => laurel.verify('{}', { recipient: 7 }), (error) => error instanceof LaurelError && error.field === 'recipient');
    assert.throws(() => laurel.verify(42), (error) => error instanceof LaurelError && error.field === 'input');
  },
};
