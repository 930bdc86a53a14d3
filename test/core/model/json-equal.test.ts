// jsonEqual decides whether `route diff` reports a field as changed: it must agree with comparing the
// fields' JSON (as the diff did before), except that key order no longer counts.
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../../src/core/model/json-equal.js';

const cases: [unknown, unknown][] = [
  [null, null],
  [1, 1],
  [1, 2],
  ['a', 'a'],
  ['a', 'b'],
  [0, '0'],
  [null, 0],
  [[], []],
  [[], {}],
  [[1, 2], [1, 2]],
  [[1, 2], [2, 1]],
  [[1], [1, 1]],
  [[undefined], [null]],
  [{ a: 1 }, { a: 1 }],
  [{ a: 1 }, { a: 2 }],
  [{ a: 1, b: undefined }, { a: 1 }],
  [{ a: null }, {}],
  [{ a: null }, { a: undefined }],
  [{ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'x' }] } }],
  [{ a: { b: [1, { c: 'x' }] } }, { a: { b: [1, { c: 'y' }] } }],
  [{ a: 1 }, { b: 1 }],
  [{ a: 1 }, { a: 1, b: 2 }],
  [{ a: 1, b: 2 }, { a: 1 }],
  [{ targets: ['EX01', 'EX02'] }, { targets: ['EX01'] }],
];

describe('jsonEqual', () => {
  it.each(cases)('%j vs %j: as their JSON says', (a, b) => {
    expect(jsonEqual(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    expect(jsonEqual(b, a)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });

  it('key order does not count', () => {
    expect(jsonEqual({ domain: 'x', targets: [1] }, { targets: [1], domain: 'x' })).toBe(true);
  });
});
