// The subset of node:assert/strict the cases use, for running them in a browser (tests/e2e).
// Node runs the cases with node:assert/strict itself.
export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

function fail(message, detail) {
  throw new AssertionError(message ? `${message} (${detail})` : detail);
}

function deepEqualValues(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqualValues(a[key], b[key]));
}

const show = (value) => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

export const assert = {
  ok(value, message) {
    if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  deepEqual(actual, expected, message) {
    if (!deepEqualValues(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  match(actual, pattern, message) {
    if (typeof actual !== 'string' || !pattern.test(actual)) fail(message, `${show(actual)} does not match ${pattern}`);
  },
  throws(run, validate, message) {
    try {
      run();
    } catch (error) {
      if (validate && validate(error) !== true) fail(message, `unexpected error: ${error?.name}: ${error?.message}`);
      return;
    }
    fail(message, 'expected a throw');
  },
};
