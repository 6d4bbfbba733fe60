// The core's canonical JSON writer (json.hpp) through the wasm build: simdjson's portable kernel
// on wasm32 must read what the native build reads, and the writer must write the same bytes.
export const tests = {
  'canonical JSON sorts keys, drops whitespace and escapes only what RFC 8259 requires'({ laurel, assert }) {
    const text = '{ "b": [1, 2.5, -0.125, 1.0], "a": {"z": null, "é": "\\u00e9\\n\\u0001/"}, "A": true }';
    assert.equal(laurel.canonicalJsonForTests(text),
      '{"A":true,"a":{"z":null,"é":"é\\n\\u0001/"},"b":[1,2.5,-0.125,1]}');
  },

  'canonical JSON keeps 64-bit integers exact'({ laurel, assert }) {
    assert.equal(laurel.canonicalJsonForTests('[9007199254740993,-9223372036854775808]'),
      '[9007199254740993,-9223372036854775808]');
  },

  'bad JSON is a LaurelError with field json'({ laurel, LaurelError, assert }) {
    for (const text of ['{"a":', '[1,]', '"\\ud800"', '{"a":1}x']) {
      assert.throws(() => laurel.canonicalJsonForTests(text), (error) =>
        error instanceof LaurelError && error.code === 'Invalid' && error.field === 'json', text);
    }
  },

  'nesting beyond the core limit is refused, not a stack overflow'({ laurel, LaurelError, assert }) {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    assert.throws(() => laurel.canonicalJsonForTests(deep), (error) =>
      error instanceof LaurelError && error.field === 'json');
  },
};
