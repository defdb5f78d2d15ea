// N+1 guard: the dashboard query (a page of sessions, each with its first 20 messages and its
// conversation) must take the same small number of SQL statements for 5 sessions as for 50.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { makeMessages, makeSession } from '../helpers/sessions.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
  const kinds = [
    { kind: 'BOT_FLOW', vendor: 'GENESYS_CLOUD' },
    { kind: 'EINSTEIN_BOT', vendor: 'SALESFORCE_EINSTEIN' },
    { kind: 'CHATLAYER', vendor: 'CHATLAYER' },
    { kind: 'JOURNEY', vendor: 'GENESYS_CLOUD' },
  ] as const;
  for (let i = 0; i < 60; i++) {
    await writeSession(
      t.db.prisma,
      makeSession({
        ...kinds[i % 4]!,
        externalId: `b-${i}`,
        createdAt: new Date(Date.UTC(2026, 10, 18, 8, i)),
        conversationExternalId: `conv-${i % 7}`,
        messages: makeMessages(25),
      }),
    );
  }
});
afterAll(() => t.close());

const dashboard = /* GraphQL */ `
  query Dashboard($first: Int!) {
    sessions(first: $first, filter: { languages: ["en"] }, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          __typename
          vendor
          externalId
          status
          outcome
          conversation { id externalId }
          messages(first: 20) { edges { cursor node { id sequence sender type text timestamp } } pageInfo { hasNextPage } }
        }
      }
    }
  }
`;

async function statementsFor(first: number): Promise<string[]> {
  t.db.statements.length = 0;
  const result = await t.graphql<{ sessions: { edges: { node: { messages: { edges: unknown[] }; conversation: unknown } }[] } }>(dashboard, { first });
  expect(result.errors).toBeUndefined();
  const edges = result.data!.sessions.edges;
  // Authentication has its own (cached) look-up of API keys; what is measured here is the query's own work.
  const statements = t.db.statements.filter((sql) => !sql.includes('"ApiKey"'));
  expect(edges).toHaveLength(first);
  for (const edge of edges) {
    expect(edge.node.messages.edges).toHaveLength(20);
    expect(edge.node.conversation).not.toBeNull();
  }
  return statements;
}

// Prisma's IN lists grow with the page ($1,$2,...): compare the statements with the lists folded,
// as a sorted list, since the batched loads run concurrently and may be logged in either order.
const shapes = (statements: string[]) => statements.map((sql) => sql.replace(/\$\d+(,\$\d+)*/g, '$n')).sort();

describe('batching', () => {
  it('loads a page of 5 and a page of 50 in the same four statements', async () => {
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(shapes(fifty)).toEqual(shapes(five));
    // The page, its count, every transcript page (one LATERAL join), every conversation.
    expect(fifty).toHaveLength(4);
    expect(shapes(fifty)).toMatchSnapshot();
    // Nothing of the dashboard is a vendor field: no vendor document is read, of sessions or messages.
    expect(fifty.filter((sql) => /"data"/.test(sql))).toEqual([]);
  });

  it('reads the vendor documents only when a vendor field is selected, for the whole page in one statement', async () => {
    const vendorPage = (fields: string) => `{ sessions(first: 40) { edges { node { externalId ${fields} } } } }`;
    t.db.statements.length = 0;
    const plain = await t.graphql(vendorPage(''));
    expect(plain.errors).toBeUndefined();
    expect(t.db.statements.filter((sql) => /"data"/.test(sql))).toEqual([]);

    t.db.statements.length = 0;
    const result = await t.graphql<{ sessions: { edges: { node: { externalId: string } }[] } }>(
      vendorPage('... on EinsteinBotSession { externalSessionKey } ... on BotFlowSession { dateCreated } ... on ChatlayerSession { locale }'),
    );
    expect(result.errors).toBeUndefined();
    const reads = t.db.statements.filter((sql) => /"data"/.test(sql));
    // One statement for the documents of every session on the page that needs one (three kinds here).
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/SELECT "public"\."Session"\."id", "public"\."Session"\."data" FROM "public"\."Session" WHERE "public"\."Session"\."id" IN/);
    expect(result.data!.sessions.edges).toHaveLength(40);
  });

  it('reads a session by global id without its document, and with it for a vendor field', async () => {
    const [first] = (
      await t.graphql<{ sessions: { edges: { node: { id: string } }[] } }>(
        '{ sessions(first: 1, filter: { kinds: [EINSTEIN_BOT] }) { edges { node { id } } } }',
      )
    ).data!.sessions.edges;
    t.db.statements.length = 0;
    expect((await t.graphql(`{ node(id: "${first!.node.id}") { id ... on Session { status } } }`)).errors).toBeUndefined();
    expect(t.db.statements.filter((sql) => /"data"/.test(sql))).toEqual([]);
    t.db.statements.length = 0;
    const withVendor = await t.graphql(`{ node(id: "${first!.node.id}") { ... on EinsteinBotSession { externalSessionKey } } }`);
    expect(withVendor.errors).toBeUndefined();
    expect(t.db.statements.filter((sql) => /"data"/.test(sql))).toHaveLength(1);
  });

  it('asks for the message count only when a client selects it, in one more statement', async () => {
    t.db.statements.length = 0;
    const result = await t.graphql(`{ sessions(first: 30) { edges { node { messages(first: 1) { totalCount } } } } }`);
    expect(result.errors).toBeUndefined();
    // No session count (not selected), one page of sessions, one of messages, one grouped count.
    expect(t.db.statements.filter((sql) => !sql.includes('"ApiKey"'))).toHaveLength(3);
  });
});
