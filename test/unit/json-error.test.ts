import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstJsonErrorIndex } from '../../src/ingest/json-error.js';

describe('firstJsonErrorIndex', () => {
  it('points at the first character that makes the text invalid', () => {
    expect(firstJsonErrorIndex('[{"a": 1},, ]')).toBe(10);
    expect(firstJsonErrorIndex('{"sessionId": oops}')).toBe(14);
    expect(firstJsonErrorIndex('{"a": "é"} x')).toBe(11);
    expect(firstJsonErrorIndex('{"a": ')).toBe(6);
    expect(firstJsonErrorIndex('"\\q"')).toBe(2);
  });

  it('agrees with JSON.parse on what is valid, and a valid prefix never reaches past the error', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (json, at, junk) => {
        const cut = at % (json.length + 1);
        const text = json.slice(0, cut) + junk + json.slice(cut);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const index = firstJsonErrorIndex(text);
        if (valid) expect(index).toBe(text.length);
        else expect(index).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});
