// GraphiQL opens on the README's dashboard query, letter for letter: a change to one is a change to both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../src/gateway.js';

describe("GraphiQL's default query", () => {
  it("is the README's dashboard query", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const dashboard = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]).find((block) => block?.startsWith('query Dashboard {'));
    expect(dashboard).toBe(DEFAULT_QUERY);
  });
});
