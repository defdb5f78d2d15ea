// The cost model on its own.
import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { COST_CACHE_ENTRIES_PER_DOCUMENT, costError, MAX_ESTIMATED_SELECTIONS, operationCost, rememberedOperationCost } from '../../src/security/cost.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/security/limits.js';

describe('cost', () => {
  const cost = (query: string, variables?: Record<string, unknown>) => operationCost({ schema, document: parse(query), variables: variables ?? null });

  it('counts loaded rows, multiplied by the page sizes, from literals or variables', () => {
    expect(cost('{ sessions(first: 50) { edges { node { id conversation { id } messages(first: 20) { edges { node { text } } } } } } }')).toBe(
      50 * (1 + 1 + 1 + 20 * 2),
    ); // the README dashboard: 2,150
    expect(cost('query($n: Int) { sessions(first: $n) { edges { node { id } } } }', { n: 100 })).toBe(100 * 2);
    expect(cost('{ sessions { edges { node { id } } } }')).toBe(20 * 2); // the default page
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(3);
    expect(cost('{ __typename }')).toBe(0);
  });

  it('counts `last` like `first`, a page of 0 as 1, and a variable left out by its default', () => {
    expect(cost('query($n: Int) { sessions(last: $n) { edges { node { id } } } }', { n: 7 })).toBe(7 * 2);
    expect(cost('{ sessions(first: 0) { edges { node { id } } } }')).toBe(1 * 2);
    expect(cost('query($n: Int = 100) { sessions(first: $n) { edges { node { id } } } }')).toBe(100 * 2);
    expect(cost('query($n: Int) { sessions(first: $n) { edges { node { id } } } }')).toBe(20 * 2); // no value, no default: the default page
  });

  it('counts fragments and inline fragments as the fields they spread', () => {
    const flat = cost('{ sessions(first: 5) { edges { node { conversation { id } messages(first: 10) { edges { node { text } } } } } } }');
    expect(flat).toBe(5 * (1 + 1 + 1 + 10 * 2));
    expect(
      cost('fragment M on Session { messages(first: 10) { edges { node { text } } } } { sessions(first: 5) { edges { node { conversation { id } ...M } } } }'),
    ).toBe(flat);
    expect(
      cost('{ sessions(first: 5) { edges { node { ... on Session { conversation { id } } ... { messages(first: 10) { edges { node { text } } } } } } } }'),
    ).toBe(flat);
    expect(
      cost(
        'fragment C on Conversation { id } fragment S on Session { conversation { ...C } } { sessions(first: 5) { edges { node { ...S ... on Session { messages(first: 10) { edges { node { ...T } } } } } } } } fragment T on Message { text }',
      ),
    ).toBe(flat);
  });

  it('takes `nodes(ids:)` from variables, and the costliest of the type conditions one object can match', () => {
    const ids = { ids: ['a', 'b'] };
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { messages(first: 10) { edges { node { id } } } } } }', ids)).toBe(2 * (1 + 10 * 2));
    // A node is a session or a conversation, never both: the conversation's 30 sessions count, not the session's 10 messages as well.
    expect(
      cost(
        'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { messages(first: 10) { totalCount } } ... on Conversation { sessions(first: 30) { edges { node { id } } } } } }',
        ids,
      ),
    ).toBe(2 * (1 + 30 * 2));
    expect(
      cost(
        'query($id: ID!) { node(id: $id) { ... on BotFlowSession { messages(first: 10) { totalCount } } ... on JourneySession { messages(first: 30) { totalCount } } } }',
        { id: 'x' },
      ),
    ).toBe(1 + 30);
  });

  it('prices a union by its costliest member', () => {
    const small = buildSchema(`
      interface Node { id: ID! }
      type Message implements Node { id: ID! text: String }
      type MessageConnection { nodes: [Message!]! }
      type Session implements Node { id: ID! messages(first: Int, last: Int): MessageConnection! }
      type Thread { messages(first: Int): MessageConnection! }
      type Flow { name: String }
      union Found = Session | Thread | Message | Flow
      type Query { search(first: Int): [Found!]! }
    `);
    const document = parse(
      '{ search(first: 4) { __typename ... on Session { messages(first: 10) { nodes { id } } } ... on Thread { messages(first: 3) { nodes { id } } } ... on Message { text } ... on Flow { name } } }',
    );
    // A paged field (1) of 4 results, each at most a session's 10 messages (page and row: 1 + 1 each), not a thread's 3 as well.
    expect(operationCost({ schema: small, document })).toBe(4 * (1 + 10 * (1 + 1)));
  });

  it('follows @skip and @include with their variables', () => {
    const query = 'query($full: Boolean!) { sessions(first: 5) { edges { node { id messages(first: 10) @include(if: $full) { edges { node { text } } } } } } }';
    expect(cost(query, { full: true })).toBe(5 * (1 + 1 + 10 * 2));
    expect(cost(query, { full: false })).toBe(5 * (1 + 1));
  });

  it('keeps a full two-level page under the limit and refuses a third paged level', () => {
    const { maxCost } = DEFAULT_QUERY_LIMITS;
    const three =
      'query($a: Int, $b: Int, $c: Int) { sessions(first: $a) { edges { node { conversation { sessions(first: $b) { edges { node { messages(first: $c) { edges { node { text } } } } } } } } } } }';
    expect(cost('{ sessions(first: 100) { edges { node { messages(first: 100) { edges { node { text } } } } } } }')).toBeLessThanOrEqual(maxCost);
    expect(cost(three, { a: 100, b: 100, c: 100 })).toBe(2_020_300);
    expect(cost(three, { a: 100, b: 20, c: 20 })).toBe(84_300);
    expect(cost(three, { a: 100, b: 20, c: 20 })).toBeGreaterThan(maxCost);
    expect(cost(three, { a: 5, b: 5, c: 5 })).toBeLessThanOrEqual(maxCost);
  });

  it('costs the operation named, and nothing when none can be told apart', () => {
    const two = parse('query A { sessions { totalCount } } query B { sessions(first: 100) { edges { node { id } } } }');
    expect(operationCost({ schema, document: two, operationName: 'B' })).toBe(200);
    expect(operationCost({ schema, document: two, operationName: 'A' })).toBe(20);
    expect(operationCost({ schema, document: two })).toBe(0);
    expect(operationCost({ schema, document: two, operationName: 'C' })).toBe(0);
  });

  it('leaves operations whose variables do not coerce to execution, which refuses them', () => {
    expect(cost('query($n: Int) { sessions(first: $n) { edges { node { id } } } }', { n: 'many' })).toBe(0);
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }')).toBe(0);
  });

  it('refuses what it cannot estimate: an argument that does not coerce, fragments fanned out past the bound', () => {
    // `direction: null` in an input field that is non-null with a default: graphql-js fails the field, graphql-jit runs it.
    const argument = 'query($d: OrderDirection) { sessions(first: 100, orderBy: { field: LAST_ACTIVE_AT, direction: $d }) { edges { node { id } } } }';
    expect(cost(argument, { d: 'ASC' })).toBe(200);
    expect(cost(argument, { d: null })).toBe(Infinity);
    let fragments = 'fragment F0 on Session { id }\n';
    for (let i = 1; i <= 16; i++) fragments += `fragment F${i} on Session { ...F${i - 1} ...F${i - 1} }\n`; // 2^16 spreads of F0
    expect(2 ** 16).toBeGreaterThan(MAX_ESTIMATED_SELECTIONS);
    expect(cost(`${fragments}{ sessions(first: 1) { edges { node { ...F16 } } } }`)).toBe(Infinity);
    expect(costError(Infinity, 25_000).extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: null, maxCost: 25_000 });
    expect(costError(2_150.5, 25_000).extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 2_151, maxCost: 25_000 });
  });
});

describe('cost, remembered per document', () => {
  // Documents whose cost reads variables in each way the key must tell apart: page sizes, ids, @include,
  // a null where the argument is non-null (a field that does not coerce), variables that do not coerce,
  // and cursors and filters that do not change the cost.
  const documents = [
    'query($n: Int, $after: String) { sessions(first: $n, after: $after) { edges { node { id messages(first: 10) { totalCount } } } } }',
    'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { messages(first: 10) { edges { node { id } } } } } }',
    'query($full: Boolean!, $n: Int = 3) { sessions(first: 5) { edges { node { id messages(first: $n) @include(if: $full) { edges { node { text } } } } } } }',
    'query($d: OrderDirection) { sessions(first: 100, orderBy: { field: LAST_ACTIVE_AT, direction: $d }) { edges { node { id } } } }',
    'query($id: ID = "U2Vzc2lvbjox") { node(id: $id) { id } }',
    'query A($n: Int) { sessions(first: $n) { totalCount } } query B($n: Int, $filter: SessionFilter) { sessions(last: $n, filter: $filter) { edges { node { id } } } }',
  ];
  const shared = documents.map((text) => parse(text));
  const absent = fc.constant(undefined);
  const variables = fc.record(
    {
      n: fc.oneof(absent, fc.constant(null), fc.integer({ min: -1, max: 6 }), fc.integer({ min: 100, max: 260 }), fc.constant('many')),
      after: fc.oneof(absent, fc.constant(null), fc.string({ maxLength: 8 })),
      ids: fc.oneof(absent, fc.constant(null), fc.array(fc.string({ maxLength: 4 }), { maxLength: 6 })),
      full: fc.oneof(absent, fc.constant(null), fc.boolean()),
      d: fc.oneof(absent, fc.constant(null), fc.constantFrom('ASC', 'DESC', 'SIDEWAYS')),
      id: fc.oneof(absent, fc.constant(null), fc.string({ maxLength: 6 })),
      filter: fc.oneof(absent, fc.constant(null), fc.constant({ vendors: ['GENESYS_CLOUD'] }), fc.constant({ vendors: 7 })),
    },
    { requiredKeys: [] },
  );
  const request = fc.record({
    document: fc.integer({ min: 0, max: documents.length - 1 }),
    operationName: fc.constantFrom(undefined, null, 'A', 'B'),
    variables,
  });

  it('gives what a fresh estimate gives, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 40 }), (requests) => {
        for (const { document, operationName, variables } of requests) {
          const fresh = operationCost({ schema, document: parse(documents[document]!), operationName, variables });
          expect(rememberedOperationCost({ schema, document: shared[document]!, operationName, variables })).toBe(fresh);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart what changes the cost and shares what does not', () => {
    const document = parse(documents[4]!); // node(id:) with a nullable variable and a default
    expect(rememberedOperationCost({ schema, document, variables: { id: 'a' } })).toBe(1);
    expect(rememberedOperationCost({ schema, document, variables: { id: null } })).toBe(Infinity);
    expect(rememberedOperationCost({ schema, document, variables: {} })).toBe(1);
    expect(rememberedOperationCost({ schema, document, variables: { id: 'b' } })).toBe(1);
    const paged = parse(documents[0]!);
    for (let n = 1; n <= COST_CACHE_ENTRIES_PER_DOCUMENT * 2 + 1; n++) {
      expect(rememberedOperationCost({ schema, document: paged, variables: { n, after: `cursor-${n}` } })).toBe(n * (1 + 1 + 10));
    }
  });
});
