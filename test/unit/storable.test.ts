// What PostgreSQL can hold (src/db/storable.ts), and measuring JSON too deep for JSON.stringify
// (src/ingest/body.ts): the checks that keep a bad input from reaching a statement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInt4, isInt8, isStorableDate, stringProblem } from '../../src/db/storable.js';
import { jsonBytes, nestedJsonBytes } from '../../src/ingest/body.js';

describe('stringProblem', () => {
  it('refuses NUL and unpaired surrogates, and nothing else', () => {
    expect(stringProblem('a\u0000b')).toBe('must not contain the NUL character (U+0000)');
    expect(stringProblem('\ud800')).toBe('must be valid Unicode (it contains an unpaired surrogate)');
    expect(stringProblem('x\udfff')).toMatch(/unpaired surrogate/);
    for (const fine of ['', '🙂', '\uffff', 'é', '\u0001', "'; --"]) expect(stringProblem(fine)).toBeNull();
  });
});

describe('integer columns', () => {
  it('int4 and int8 end where PostgreSQL says', () => {
    expect([2 ** 31 - 1, -(2 ** 31)].every(isInt4)).toBe(true);
    expect([2 ** 31, -(2 ** 31) - 1, 0.5, Number.NaN].some(isInt4)).toBe(false);
    expect([2n ** 63n - 1n, -(2n ** 63n)].every(isInt8)).toBe(true);
    expect([2n ** 63n, -(2n ** 63n) - 1n].some(isInt8)).toBe(false);
  });
});

describe('isStorableDate', () => {
  it('holds years 1 to 9999 in UTC, to the millisecond', () => {
    expect(isStorableDate(new Date('0001-01-01T00:00:00.000Z'))).toBe(true);
    expect(isStorableDate(new Date('9999-12-31T23:59:59.999Z'))).toBe(true);
    expect(isStorableDate(new Date('0000-12-31T23:59:59.999Z'))).toBe(false);
    expect(isStorableDate(new Date('0001-01-01T00:00:00+01:00'))).toBe(false);
    expect(isStorableDate(new Date('+010000-01-01T00:00:00.000Z'))).toBe(false);
    expect(isStorableDate(new Date(Number.NaN))).toBe(false);
  });
});

describe('jsonBytes', () => {
  it('measures as JSON.stringify writes, without recursion', () => {
    const text = fc.string({ unit: 'binary', maxLength: 8 });
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(fc.oneof(tie('any'), fc.constant(undefined)), { maxLength: 4 }),
      object: fc.dictionary(text, fc.oneof(tie('any'), fc.constant(undefined)), { maxKeys: 4 }),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(nestedJsonBytes(v)).toBe(Buffer.byteLength(JSON.stringify(v) ?? '', 'utf8'));
      }),
    );
  });

  it('measures a value nested 100,000 deep, which JSON.stringify cannot', () => {
    let deep: unknown = [];
    for (let i = 1; i < 100_000; i++) deep = [deep];
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    expect(jsonBytes({ a: deep })).toBe('{"a":'.length + 200_000 + 1);
  });
});
