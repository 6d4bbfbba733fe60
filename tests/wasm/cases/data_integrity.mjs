// Hostile Data Integrity credentials through the wasm build (Node and Chromium), as
// tests/core/verify_data_integrity_test.cpp builds them natively: each gives a clear invalid
// report, naming the failing check, in bounded time.
const VC2 = 'https://www.w3.org/ns/credentials/v2';
const OB3 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
// Absolute IRIs as properties: terms the contexts do not define would be dropped by expansion.
const KNOWS = 'https://vocab.example/knows';
const ITEMS = 'https://vocab.example/items';
const NAME = 'https://vocab.example/name';

async function simple(fixtures) {
  return JSON.parse(await fixtures.text('1edtech/ob30/simple.json'));
}

function failedCheck(report, name) {
  return report.checks.find((check) => check.name === name && !check.ok);
}

export const tests = {
  async 'a poison graph stops at the canonicalization work limit'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    const size = 12;  // every node knows every other: identical first-degree hashes
    credential.credentialSubject[KNOWS] = Array.from({ length: size }, (_, i) => ({
      '@id': `_:n${i}`,
      [KNOWS]: Array.from({ length: size }, (__, j) => ({ '@id': `_:n${j}` })).filter((_, j) => j !== i),
    }));
    const report = laurel.verify(JSON.stringify(credential));
    assert.equal(report.valid, false);
    assert.ok(/max_work/.test(failedCheck(report, 'canonicalization')?.message ?? ''), JSON.stringify(report.errors));
  },

  async 'ten thousand blank nodes canonicalize and the proof fails'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    credential.credentialSubject[ITEMS] = Array.from({ length: 10000 }, (_, i) => ({ [NAME]: `item ${i}` }));
    const report = laurel.verify(JSON.stringify(credential));
    assert.equal(report.valid, false);
    assert.ok(report.checks.some((check) => check.name === 'canonicalization' && check.ok));
    assert.ok(failedCheck(report, 'proof'), JSON.stringify(report.errors));
  },

  async 'deep nesting is refused before any JSON-LD processing'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    let deep = {};
    for (let i = 0; i < 200; i += 1) deep = { nested: deep };
    credential.credentialSubject.deep = deep;
    const report = laurel.verify(JSON.stringify(credential));
    assert.equal(report.valid, false);
    assert.ok(failedCheck(report, 'json'), JSON.stringify(report.errors));
  },

  async 'a context loop is an invalid report naming the loop'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    credential['@context'] = [VC2, OB3, 'https://evil.example/a'];
    const documents = {
      'https://evil.example/a': JSON.stringify({ '@context': 'https://evil.example/b' }),
      'https://evil.example/b': JSON.stringify({ '@context': 'https://evil.example/a' }),
    };
    const report = laurel.verify(JSON.stringify(credential), { documents });
    assert.equal(report.valid, false);
    assert.ok(/recursive|loop/i.test(failedCheck(report, 'canonicalization')?.message ?? ''), JSON.stringify(report.errors));
  },

  async 'redefining a protected term is an invalid report'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    credential['@context'] = [VC2, OB3, { name: 'https://evil.example/name' }];
    const report = laurel.verify(JSON.stringify(credential));
    assert.equal(report.valid, false);
    assert.ok(/protected/i.test(failedCheck(report, 'canonicalization')?.message ?? ''), JSON.stringify(report.errors));
  },

  async 'an unknown context is listed as missing and named in the report'({ laurel, assert, fixtures }) {
    const credential = await simple(fixtures);
    credential['@context'] = [VC2, OB3, 'https://contexts.example/extra.json'];
    const report = laurel.verify(JSON.stringify(credential));
    assert.equal(report.valid, false);
    assert.ok(report.missing.includes('https://contexts.example/extra.json'), JSON.stringify(report.missing));
    assert.ok(failedCheck(report, 'canonicalization')?.message.includes('https://contexts.example/extra.json'));
  },
};
