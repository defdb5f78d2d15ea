// The cost model on its own.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/security/cost.js';

describe('cost', () => {
  const cost = (query: string, variables?: Record<string, unknown>) => operationCost({ schema, document: parse(query), variables: variables ?? null });

  it('counts loaded rows, multiplied by the page sizes, from literals or variables', () => {
    expect(cost('{ sessions(first: 50) { edges { node { id conversation { id } messages(first: 20) { edges { node { text } } } } } } }')).toBe(50 * (1 + 1 + 1 + 20 * 2)); // the README dashboard: 2,150
    expect(cost('query($n: Int) { sessions(first: $n) { edges { node { id } } } }', { n: 100 })).toBe(100 * 2);
    expect(cost('{ sessions { edges { node { id } } } }')).toBe(20 * 2); // the default page
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(3);
    expect(cost('{ __typename }')).toBe(0);
  });
});
