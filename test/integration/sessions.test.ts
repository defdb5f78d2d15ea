import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { makeMessages, makeSession } from '../helpers/sessions.js';

let t: TestGateway;

// 30 sessions, one minute apart, spread over vendors, statuses, channels and two conversations.
const vendors = [
  { kind: 'BOT_FLOW', vendor: 'GENESYS_CLOUD' },
  { kind: 'EINSTEIN_BOT', vendor: 'SALESFORCE_EINSTEIN' },
  { kind: 'CHATLAYER', vendor: 'CHATLAYER' },
] as const;

beforeAll(async () => {
  t = await startTestGateway();
  for (let i = 0; i < 30; i++) {
    const createdAt = new Date(Date.UTC(2026, 10, 18, 9, i));
    await writeSession(
      t.db.prisma,
      makeSession({
        ...vendors[i % 3]!,
        externalId: `s-${String(i).padStart(2, '0')}`,
        botId: i % 2 === 0 ? 'bot-even' : 'bot-odd',
        channel: i % 5 === 0 ? 'whatsapp' : 'web',
        status: i % 4 === 0 ? 'ACTIVE' : 'ENDED',
        outcome: i % 4 === 0 ? null : 'COMPLETED',
        createdAt,
        // Same lastActiveAt for several rows: the id must break the tie for a stable order.
        lastActiveAt: new Date(Date.UTC(2026, 10, 19, 9, Math.floor(i / 3))),
        conversationExternalId: i < 3 ? 'conv-1' : null,
        messages: makeMessages(i === 0 ? 25 : 2),
      }),
    );
  }
});
afterAll(() => t.close());

interface Edge {
  cursor: string;
  node: { externalId: string };
}
interface Conn {
  totalCount: number;
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const pageQuery = /* GraphQL */ `
  query Page($first: Int, $after: String, $last: Int, $before: String, $filter: SessionFilter, $orderBy: SessionOrder) {
    sessions(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { externalId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

async function page(variables: Record<string, unknown>): Promise<Conn> {
  const result = await t.graphql<{ sessions: Conn }>(pageQuery, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.sessions;
}

const ids = (conn: Conn) => conn.edges.map((e) => e.node.externalId);
const expected = (from: number, to: number, step = 1) => {
  const out: string[] = [];
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) out.push(`s-${String(i).padStart(2, '0')}`);
  return out;
};

describe('sessions connection', () => {
  it('lists newest first by default, with totalCount and page info', async () => {
    const first = await page({ first: 5 });
    expect(first.totalCount).toBe(30);
    expect(ids(first)).toEqual(expected(29, 25, -1));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('pages forward through every row exactly once, and backward the same way', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const conn: Conn = await page({ first: 7, after, orderBy: { field: 'LAST_ACTIVE_AT', direction: 'ASC' } });
      seen.push(...ids(conn));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);

    const back: string[] = [];
    let before: string | null = null;
    for (;;) {
      const conn: Conn = await page({ last: 7, before, orderBy: { field: 'LAST_ACTIVE_AT', direction: 'ASC' } });
      back.unshift(...ids(conn));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(back).toEqual(seen);
  });

  it('keeps a cursor valid when rows are added in front of it (keyset, not offset)', async () => {
    const firstPage = await page({ first: 3, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    await writeSession(t.db.prisma, makeSession({ externalId: 'early-bird', createdAt: new Date('2020-01-01T00:00:00Z') }));
    const next = await page({ first: 3, after: firstPage.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(ids(next)).toEqual(expected(3, 5));
    await t.db.prisma.session.deleteMany({ where: { externalId: 'early-bird' } });
  });

  it('returns the rows between two cursors', async () => {
    const all = await page({ first: 10, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    const between = await page({ first: 100, after: all.edges[1]!.cursor, before: all.edges[6]!.cursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(ids(between)).toEqual(expected(2, 5));
  });

  it('filters by every SessionFilter field, combined with AND', async () => {
    expect((await page({ filter: { vendors: ['CHATLAYER'] } })).totalCount).toBe(10);
    expect((await page({ filter: { kinds: ['BOT_FLOW'] } })).totalCount).toBe(10);
    expect((await page({ filter: { statuses: ['ACTIVE'] } })).totalCount).toBe(8);
    expect((await page({ filter: { outcomes: ['COMPLETED'] } })).totalCount).toBe(22);
    expect((await page({ filter: { botIds: ['bot-even'] } })).totalCount).toBe(15);
    expect((await page({ filter: { channels: ['WhatsApp'] } })).totalCount).toBe(6);
    expect((await page({ filter: { languages: ['EN'] } })).totalCount).toBe(30);
    const window = await page({
      first: 50,
      filter: { createdAfter: '2026-11-18T09:10:00Z', createdBefore: '2026-11-18T09:20:00Z', vendors: ['GENESYS_CLOUD'] },
      orderBy: { field: 'CREATED_AT', direction: 'ASC' },
    });
    expect(ids(window)).toEqual(['s-12', 's-15', 's-18']);
    expect(window.totalCount).toBe(3);
  });

  it('filters by conversation and lists a conversation with its sessions', async () => {
    const conv = await t.graphql<{ conversation: { id: string; externalId: string; sessions: Conn } }>(
      `{ conversation(externalId: "conv-1") { id externalId sessions(first: 10) { totalCount edges { cursor node { externalId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`,
    );
    expect(conv.errors).toBeUndefined();
    expect(ids(conv.data!.conversation.sessions)).toEqual(['s-00', 's-01', 's-02']);
    const filtered = await page({ filter: { conversationId: conv.data!.conversation.id } });
    expect(filtered.totalCount).toBe(3);
    const byId = await t.graphql<{ conversation: { externalId: string } }>(`query($id: ID) { conversation(id: $id) { externalId } }`, {
      id: conv.data!.conversation.id,
    });
    expect(byId.data!.conversation.externalId).toBe('conv-1');
  });

  it('pages a transcript forward and backward with a message count', async () => {
    const query = `query($first: Int, $after: String, $last: Int, $before: String) {
      session(vendor: GENESYS_CLOUD, externalId: "s-00") {
        messages(first: $first, after: $after, last: $last, before: $before) {
          totalCount edges { cursor node { sequence text sender type } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
        }
      }
    }`;
    type Msgs = { session: { messages: { totalCount: number; edges: { cursor: string; node: { sequence: number } }[]; pageInfo: Conn['pageInfo'] } } };
    const first = await t.graphql<Msgs>(query, { first: 10 });
    expect(first.errors).toBeUndefined();
    const m = first.data!.session.messages;
    expect(m.totalCount).toBe(25);
    expect(m.edges.map((e) => e.node.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(m.pageInfo.hasNextPage).toBe(true);
    const second = await t.graphql<Msgs>(query, { first: 10, after: m.pageInfo.endCursor });
    expect(second.data!.session.messages.edges.map((e) => e.node.sequence)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const tail = await t.graphql<Msgs>(query, { last: 3 });
    expect(tail.data!.session.messages.edges.map((e) => e.node.sequence)).toEqual([23, 24, 25]);
    expect(tail.data!.session.messages.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });
});

describe('look-ups', () => {
  it('finds a session by vendor and external id, and again by its global id through node and nodes', async () => {
    const found = await t.graphql<{ session: { id: string; __typename: string; externalId: string } }>(
      `{ session(vendor: SALESFORCE_EINSTEIN, externalId: "s-01") { id __typename externalId } }`,
    );
    expect(found.data!.session).toMatchObject({ __typename: 'EinsteinBotSession', externalId: 's-01' });
    const id = found.data!.session.id;
    const node = await t.graphql<{ node: { externalId: string } }>(`query($id: ID!) { node(id: $id) { ... on Session { externalId } } }`, { id });
    expect(node.data!.node.externalId).toBe('s-01');
    const nodes = await t.graphql<{ nodes: ({ externalId: string } | null)[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { externalId } } }`, {
      ids: [id, id],
    });
    expect(nodes.data!.nodes).toEqual([{ externalId: 's-01' }, { externalId: 's-01' }]);
  });

  it('resolves nodes(ids:) of every type in one statement per table, in order, and takes at most 100 ids', async () => {
    const sessions = await t.db.prisma.session.findMany({ select: { id: true, kind: true }, take: 30 });
    const messages = await t.db.prisma.message.findMany({ select: { id: true }, take: 30 });
    const typeOf = { BOT_FLOW: 'BotFlowSession', EINSTEIN_BOT: 'EinsteinBotSession', CHATLAYER: 'ChatlayerSession', JOURNEY: 'JourneySession' } as const;
    const real = [...sessions.map((s) => encodeGlobalId(typeOf[s.kind], s.id)), ...messages.map((m) => encodeGlobalId('Message', m.id))];
    const missing = Array.from({ length: 100 - real.length }, (_, i) => encodeGlobalId(['Message', 'Conversation', 'JourneySession'][i % 3]!, randomUUID()));
    const ids = [...real, ...missing].sort(() => 0.5 - Math.random());
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    t.db.statements.length = 0;
    const result = await t.graphql<{ nodes: ({ id: string } | null)[] }>(query, { ids });
    // Sessions, messages, conversations: one statement each, whatever the number of ids.
    expect(t.db.statements.filter((sql) => /^SELECT/i.test(sql.trim()))).toHaveLength(3);
    expect(result.data!.nodes.map((node, i) => (node ? node.id : ids[i]))).toEqual(ids);
    expect(result.data!.nodes.filter((node) => node === null)).toHaveLength(missing.length);
    expect(result.errors?.every((e) => e.extensions?.code === 'NOT_FOUND')).toBe(true);
    // 101 ids: refused before anything is read.
    t.db.statements.length = 0;
    const over = await t.graphql(query, { ids: [...ids, ids[0]!] });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxIds: 100 });
    expect(t.db.statements).toEqual([]);
  });

  it('does not load a session through the global id of another session type', async () => {
    const found = await t.graphql<{ session: { id: string } }>(`{ session(vendor: SALESFORCE_EINSTEIN, externalId: "s-01") { id } }`);
    const local = Buffer.from(found.data!.session.id, 'base64url').toString().split(':')[1];
    const forged = Buffer.from(`ChatlayerSession:${local}`).toString('base64url');
    const result = await t.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: forged });
    expect(result.data?.node).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('bad input gets a coded error, never a 500', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['malformed global id', 'query($id: ID!) { node(id: $id) { id } }', { id: '%%%not-base64' }, 'BAD_ID'],
    [
      'global id of an unknown type',
      'query($id: ID!) { node(id: $id) { id } }',
      { id: Buffer.from('Planet:00000000-0000-4000-8000-000000000000').toString('base64url') },
      'BAD_ID',
    ],
    ['global id with a non-uuid', 'query($id: ID!) { node(id: $id) { id } }', { id: Buffer.from('Conversation:12').toString('base64url') }, 'BAD_ID'],
    [
      'unknown id',
      'query($id: ID!) { node(id: $id) { id } }',
      { id: Buffer.from('Conversation:00000000-0000-4000-8000-000000000000').toString('base64url') },
      'NOT_FOUND',
    ],
    ['unknown session key', '{ session(vendor: CHATLAYER, externalId: "nope") { id } }', {}, 'NOT_FOUND'],
    ['unknown conversation', '{ conversation(externalId: "nope") { id } }', {}, 'NOT_FOUND'],
    ['conversation with both keys', '{ conversation(id: "x", externalId: "y") { id } }', {}, 'BAD_USER_INPUT'],
    ['conversation with neither key', '{ conversation { id } }', {}, 'BAD_USER_INPUT'],
    ['first over the maximum', '{ sessions(first: 101) { totalCount } }', {}, 'PAGE_SIZE_EXCEEDED'],
    ['negative first', '{ sessions(first: -1) { totalCount } }', {}, 'BAD_PAGING'],
    ['first and last together', '{ sessions(first: 2, last: 2) { totalCount } }', {}, 'BAD_PAGING'],
    ['garbage cursor', '{ sessions(after: "garbage") { totalCount } }', {}, 'BAD_CURSOR'],
    ['message page over the maximum', '{ sessions(first: 1) { edges { node { messages(first: 500) { totalCount } } } } }', {}, 'PAGE_SIZE_EXCEEDED'],
    [
      'empty date range',
      '{ sessions(filter: { createdAfter: "2026-11-19T00:00:00Z", createdBefore: "2026-11-18T00:00:00Z" }) { totalCount } }',
      {},
      'BAD_USER_INPUT',
    ],
    [
      'conversation filter with a session id',
      'query($id: ID!) { sessions(filter: { conversationId: $id }) { totalCount } }',
      { id: Buffer.from('Message:00000000-0000-4000-8000-000000000000').toString('base64url') },
      'BAD_ID',
    ],
  ];
  for (const [name, query, variables, code] of cases) {
    it(name, async () => {
      const result = await t.graphql(query, variables);
      expect(result.status).toBe(200);
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
      expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
      expect(t.loggedErrors.splice(0)).toEqual([]);
    });
  }

  it('rejects a cursor issued under another ordering', async () => {
    const byCreated = await page({ first: 1 });
    const result = await t.graphql(pageQuery, { first: 1, after: byCreated.pageInfo.endCursor, orderBy: { field: 'LAST_ACTIVE_AT', direction: 'DESC' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
  });

  it('reports a missing id in nodes at its index and still returns the good ones', async () => {
    const found = await t.graphql<{ session: { id: string } }>(`{ session(vendor: CHATLAYER, externalId: "s-02") { id } }`);
    const missing = Buffer.from('Conversation:00000000-0000-4000-8000-000000000000').toString('base64url');
    const result = await t.graphql<{ nodes: unknown[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [missing, found.data!.session.id],
    });
    expect(result.data?.nodes).toEqual([null, { id: found.data!.session.id }]);
    expect(result.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['nodes', 0], 'NOT_FOUND']]);
  });

  it('rejects the whole nodes list when an id is malformed', async () => {
    for (const bad of ['Planet:00000000-0000-4000-8000-000000000000', 'Message:1']) {
      const result = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [Buffer.from(bad).toString('base64url')] });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_ID');
      expect(result.data).toBeNull();
    }
  });

  it('answers a syntax error with 400 and a validation error with a message', async () => {
    const syntax = await t.graphql('{ sessions(first: ');
    expect(syntax.status).toBe(400);
    const unknownField = await t.graphql('{ sessions { nope } }');
    expect(unknownField.status).toBe(400);
    expect(unknownField.errors?.[0]?.message).toMatch(/nope/);
  });
});
