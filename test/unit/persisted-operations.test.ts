// persisted-operations.json is what `npx tsx scripts/persisted-operations.ts` writes from the README:
// an operation added to (or changed in) the README without regenerating the file fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { persistedStore } from '../../scripts/persisted-operations.js';

describe('persisted-operations.json', () => {
  it('is current with the README and GraphiQL’s default query', () => {
    const file = JSON.parse(readFileSync(new URL('../../persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(file, 'run `npx tsx scripts/persisted-operations.ts`').toEqual(persistedStore());
  });
});
