// Recipient hashing through the wasm build (recipient.hpp). Vectors: the shared fixtures README
// (from the official Open Badges validator's tests).
export const vectors = [
  {
    identity: 'nobody@example.org',
    salt: 'deadsea',
    hashed: 'sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942',
  },
  {
    identity: 'test@example.com',
    salt: 'sel gris',
    hashed: 'sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087',
  },
];

export const tests = {
  'hashMatches accepts the fixture vectors'({ laurel, assert }) {
    for (const { identity, salt, hashed } of vectors) {
      assert.equal(laurel.hashMatches(identity, hashed, salt), true, `${identity} + ${salt}`);
    }
  },

  'hashMatches compares emails case-insensitively and ignores the hash case'({ laurel, assert }) {
    const { identity, salt, hashed } = vectors[0];
    assert.equal(laurel.hashMatches(identity.toUpperCase(), hashed, salt), true);
    assert.equal(laurel.hashMatches(` ${identity} `, hashed.toUpperCase().replace('SHA256$', 'sha256$'), salt), true);
  },

  'hashMatches refuses another identity, another salt or the other vector'({ laurel, assert }) {
    const [first, second] = vectors;
    assert.equal(laurel.hashMatches('somebody@example.org', first.hashed, first.salt), false);
    assert.equal(laurel.hashMatches(first.identity, first.hashed, 'deadsee'), false);
    assert.equal(laurel.hashMatches(first.identity, first.hashed, ''), false);
    assert.equal(laurel.hashMatches(second.identity, first.hashed, second.salt), false);
    assert.equal(laurel.hashMatches('not an email', first.hashed, first.salt), false);
  },

  'hashMatches reads legacy md5$ hashes and plaintext identities'({ laurel, assert }) {
    // md5("nobody@example.orgdeadsea"), computed with Python's hashlib.
    const md5 = 'md5$df7f6ab472edfcaf9040a8bbdee36400';
    assert.equal(laurel.hashMatches('nobody@example.org', md5, 'deadsea'), true);
    assert.equal(laurel.hashMatches('nobody@example.org', md5, 'other'), false);
    assert.equal(laurel.hashMatches('Nobody@Example.org', 'nobody@example.org', ''), true);
  },

  'hashIdentity reproduces the fixture vectors'({ laurel, assert }) {
    for (const { identity, salt, hashed } of vectors) {
      assert.equal(laurel.hashIdentity(identity, salt), hashed);
      assert.equal(laurel.hashIdentity(identity.toUpperCase(), salt), hashed);
    }
  },

  'hashIdentity throws LaurelError naming the field for a bad identity or type'({ laurel, LaurelError, assert }) {
    assert.throws(() => laurel.hashIdentity('nobody at example.org', 'salt'), (error) =>
      error instanceof LaurelError && error.code === 'Invalid' && error.field === 'recipient.identity' &&
      error.message.includes('not an email address'));
    assert.throws(() => laurel.hashIdentity('nobody@example.org', 'salt', { type: 'fax' }), (error) =>
      error instanceof LaurelError && error.code === 'Invalid' && error.field === 'recipient.type');
  },

  'arguments that are not strings are a LaurelError, not a crash'({ laurel, LaurelError, assert }) {
    assert.throws(() => laurel.hashMatches(42, vectors[0].hashed, 'deadsea'), (error) =>
      error instanceof LaurelError && error.code === 'Invalid' && error.field === 'identity');
    assert.throws(() => laurel.hashIdentity('nobody@example.org', null), (error) =>
      error instanceof LaurelError && error.field === 'salt');
    // The module is still usable afterwards.
    assert.equal(laurel.hashMatches(vectors[0].identity, vectors[0].hashed, vectors[0].salt), true);
  },
};
