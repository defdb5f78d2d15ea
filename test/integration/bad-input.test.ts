// Input the database cannot hold is the caller's coded error, refused before any statement runs: forged
// cursors (dates out of range, row ids that are not UUIDs, sequences past bigint), dates PostgreSQL
// cannot hold, integers past their type, NUL bytes and unpaired surrogates in strings, wherever they are
// in an operation; JSON nested too deeply rejects its item alone, in a JSON array, an NDJSON body or a
// mutation's list. (bad-input-property.test.ts fuzzes every field; these are the cases issue 22 named.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../helpers/gateway.js';
import { DeepJson, requestBody } from '../helpers/hostile-arguments.js';
import { firstSseResults } from '../helpers/live.js';
import { makeMessages, makeSession } from '../helpers/sessions.js';

let t: TestGateway;
let sessionId: string;
let conversationId: string;

beforeAll(async () => {
  t = await startTestGateway();
  await writeSession(t.db.prisma, makeSession({ externalId: 'bad-input-1', conversationExternalId: 'conv-1', messages: makeMessages(3) }));
  const found = await t.graphql<{ sessions: { edges: { node: { id: string; conversation: { id: string } } }[] } }>(
    '{ sessions(first: 1) { edges { node { id conversation { id } } } } }',
  );
  sessionId = found.data!.sessions.edges[0]!.node.id;
  conversationId = found.data!.sessions.edges[0]!.node.conversation.id;
});
afterAll(() => t.close());
afterEach(() => {
  // Taken, so that one test's logged error fails that test alone.
  expect(t.loggedErrors.splice(0)).toEqual([]);
});

const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
const codes = (reply: GraphQLResponse) => (reply.errors ?? []).map((e) => e.extensions?.code);

/** The reply to an operation that must be refused before any statement, and the refusal's one error. */
async function refused(query: string, variables: Record<string, unknown>, code: string) {
  t.db.statements.length = 0;
  const reply = await t.graphql(query, variables);
  expect(codes(reply), JSON.stringify(reply.errors)).toEqual([code]);
  expect(t.db.statements, 'statements sent').toEqual([]);
  return reply.errors![0]!;
}

const SESSIONS = 'query ($after: String, $filter: SessionFilter) { sessions(after: $after, filter: $filter) { totalCount edges { cursor } } }';

describe('forged session cursors', () => {
  const tag = 'session:createdAt:desc';
  const uuid = '3b0f6c1e-2a4d-4e5f-8a9b-0c1d2e3f4a5b';
  it.each([
    ['a date before year 1', [tag, '0000-01-01T00:00:00.000Z', uuid]],
    ['a date past 9999', [tag, '+275760-09-13T00:00:00.000Z', uuid]],
    ['a date that is a number', [tag, 5, uuid]],
    ['a row id that is no UUID', [tag, '2026-11-18T09:00:00.000Z', 'abc']],
    ['a NUL in the row id', [tag, '2026-11-18T09:00:00.000Z', `${uuid}\u0000`]],
    ['an unpaired surrogate', [tag, '2026-11-18T09:00:00.000Z', '\ud800']],
    ['an object for a part', [tag, { at: 1 }, uuid]],
    ['a part too many', [tag, '2026-11-18T09:00:00.000Z', uuid, 'more']],
    ['no parts', [tag]],
  ])('%s: BAD_CURSOR', async (_name, parts) => {
    const error = await refused(SESSIONS, { after: cursor(parts) }, 'BAD_CURSOR');
    expect(error.path).toEqual(['sessions']);
  });

  it("a conversation's sessions too", async () => {
    const reply = await t.graphql(`query ($id: ID!, $after: String) { node(id: $id) { ... on Conversation { sessions(after: $after) { totalCount } } } }`, {
      id: conversationId,
      after: cursor(['session:createdAt:asc', '2026-11-18T09:00:00.000Z', 'not-a-uuid']),
    });
    expect(codes(reply)).toEqual(['BAD_CURSOR']);
  });

  it('an issued cursor still pages', async () => {
    const page = await t.graphql<{ sessions: { edges: { cursor: string }[] } }>(SESSIONS, {});
    const reply = await t.graphql(SESSIONS, { after: page.data!.sessions.edges[0]!.cursor });
    expect(reply.errors).toBeUndefined();
  });
});

describe('forged message cursors', () => {
  const MESSAGES = 'query ($id: ID!, $after: String) { node(id: $id) { ... on Session { messages(after: $after) { edges { cursor } } } } }';
  it.each([
    ['a sequence past bigint', ['message', '9999999999999999999', 0, 'seq:1']],
    ['a sequence one past bigint', ['message', '9223372036854775808', 0, 'seq:1']],
    ['a sequence one below bigint', ['message', '-9223372036854775809', 0, 'seq:1']],
    ['a legacy cursor past bigint', ['message', '9999999999999999999']],
    ['an ordinal past integer', ['message', '1', 2 ** 31, 'seq:1']],
    ['a fractional ordinal', ['message', '1', 0.5, 'seq:1']],
    ['a NUL in the key', ['message', '1', 0, 'seq:\u0000']],
    ['a sequence that is a number', ['message', 1, 0, 'seq:1']],
  ])('%s: BAD_CURSOR at the transcript', async (_name, parts) => {
    const reply = await t.graphql(MESSAGES, { id: sessionId, after: cursor(parts) });
    expect(codes(reply)).toEqual(['BAD_CURSOR']);
    expect(reply.errors![0]!.path).toEqual(['node', 'messages']);
  });

  it('the ends of bigint and integer are cursors like any other', async () => {
    for (const parts of [
      ['message', '9223372036854775807', 2 ** 31 - 1, 'seq:1'],
      ['message', '-9223372036854775808', -(2 ** 31), 'seq:1'],
    ]) {
      const reply = await t.graphql(MESSAGES, { id: sessionId, after: cursor(parts) });
      expect(reply.errors).toBeUndefined();
    }
  });
});

describe('dates PostgreSQL cannot hold', () => {
  it.each([
    ['year 0', '0000-01-01T00:00:00Z'],
    ['year 1 at +01:00, year 0 in UTC', '0001-01-01T00:00:00+01:00'],
    ['year 9999 at -12:00, year 10000 in UTC', '9999-12-31T23:59:59-12:00'],
  ])('%s: BAD_USER_INPUT naming the variable and its path', async (_name, date) => {
    const error = await refused(SESSIONS, { filter: { createdAfter: date } }, 'BAD_USER_INPUT');
    expect(error.message).toContain('"filter.createdAfter"');
    expect(error.message).toContain('between 0001-01-01 and 9999-12-31 (UTC)');
  });

  it('as a literal too', async () => {
    const reply = await t.graphql('{ sessions(filter: { createdBefore: "0000-06-01T00:00:00Z" }) { totalCount } }');
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(t.loggedErrors).toEqual([]);
  });

  it('the first and last instants it holds are dates like any other, in every field that takes one', async () => {
    const filter = { createdAfter: '0001-01-01T00:00:00Z', createdBefore: '9999-12-31T23:59:59.999Z' };
    const sessions = await t.graphql<{ sessions: { totalCount: number } }>(SESSIONS, { filter });
    expect(sessions.errors).toBeUndefined();
    expect(sessions.data!.sessions.totalCount).toBe(1);
    const metrics = await t.graphql('query ($filter: SessionFilter) { botMetrics(filter: $filter) { start end sessions } }', { filter });
    expect(metrics.errors).toBeUndefined();
  });
});

describe('integers past their type', () => {
  it('an Int variable past 32 bits is BAD_USER_INPUT naming the variable', async () => {
    for (const first of [2 ** 31, 2 ** 63, -(2 ** 63), 1.5]) {
      const error = await refused('query ($first: Int) { sessions(first: $first) { totalCount } }', { first }, 'BAD_USER_INPUT');
      expect(error.message).toContain('$first');
    }
  });

  it('a null for a required argument is BAD_USER_INPUT', async () => {
    await refused('query ($id: ID!) { node(id: $id) { id } }', { id: null }, 'BAD_USER_INPUT');
  });
});

describe('strings PostgreSQL cannot hold', () => {
  it.each([
    ['sessions', 'filter.botIds[1]', 'query ($f: SessionFilter) { sessions(filter: $f) { totalCount } }', { f: { botIds: ['ok', 'bot\u0000'] } }],
    ['sessions', 'filter.channels[0]', 'query ($f: SessionFilter) { sessions(filter: $f) { totalCount } }', { f: { channels: ['\u0000'] } }],
    ['sessions', 'filter.languages[0]', 'query ($f: SessionFilter) { sessions(filter: $f) { totalCount } }', { f: { languages: ['en\ud800'] } }],
    ['botMetrics', 'filter.botIds[0]', 'query ($f: SessionFilter) { botMetrics(filter: $f) { sessions } }', { f: { botIds: ['\u0000'] } }],
    ['botMetrics', 'timeZone', 'query ($z: String) { botMetrics(timeZone: $z) { sessions } }', { z: 'UTC\u0000' }],
    ['session', 'externalId', 'query ($e: String!) { session(vendor: CHATLAYER, externalId: $e) { id } }', { e: 'web-\u0000' }],
    ['conversation', 'externalId', 'query ($e: String) { conversation(externalId: $e) { id } }', { e: '\u0000' }],
  ])('%s(%s): BAD_USER_INPUT naming both', async (field, argument, query, variables) => {
    const error = await refused(query, variables, 'BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, argument });
    expect(error.message).toMatch(new RegExp(`^Argument \`${argument.replace(/[[\].]/g, '\\$&')}\` of \`${field}\` must`));
  });

  it('the operation did not run, so it is a request error: HTTP 400 for application/graphql-response+json, 200 for application/json', async () => {
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ] as const) {
      for (const variables of [{ f: { botIds: ['\u0000'] } }, { f: { createdAfter: '0000-01-01T00:00:00Z' } }]) {
        const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: JSON.stringify({ query: 'query ($f: SessionFilter) { sessions(filter: $f) { totalCount } }', variables }),
        });
        const body = (await response.json()) as GraphQLResponse;
        expect([response.status, body.errors?.map((e) => e.extensions?.code)]).toEqual([status, ['BAD_USER_INPUT']]);
        expect(body).not.toHaveProperty('data');
        expect(body.errors?.[0]?.extensions).not.toHaveProperty('http');
      }
    }
  });

  it('in a literal, and below the root field (named by its path in the response): still before any statement', async () => {
    const query = '{ all: sessions { edges { node { conversation { sessions(after: "a\\u0000") { totalCount } } } } } }';
    const error = await refused(query, {}, 'BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ field: 'all.edges.node.conversation.sessions', argument: 'after' });
  });

  it('a NUL in an id is a malformed id (BAD_ID), whichever argument takes it', async () => {
    for (const [query, variables] of [
      ['query ($id: ID!) { node(id: $id) { id } }', { id: `${sessionId}\u0000` }],
      ['query ($id: ID!) { node(id: $id) { id } }', { id: encodeGlobalId('Message', '\u0000') }],
      ['query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['\u0000'] }],
      ['query ($id: ID) { conversation(id: $id) { id } }', { id: 'Q29udmVyc2F0aW9u\u0000' }],
      ['query ($f: SessionFilter) { sessions(filter: $f) { totalCount } }', { f: { conversationId: encodeGlobalId('Conversation', `\u0000`) } }],
    ] as const) {
      t.db.statements.length = 0;
      const reply = await t.graphql(query, variables);
      expect(codes(reply)).toEqual(['BAD_ID']);
      expect(t.db.statements).toEqual([]);
    }
  });
});

describe('subscriptions', () => {
  async function subscribe(query: string, variables: Record<string, unknown>) {
    const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
    });
    return (await firstSseResults(response, 2_000)).results.flatMap((r) => r.errors ?? []);
  }

  it('a NUL in a filter is BAD_USER_INPUT before the subscription opens', async () => {
    const errors = await subscribe('subscription ($f: SessionFilter) { sessionUpdated(filter: $f) { kind } }', { f: { botIds: ['\u0000'] } });
    expect(errors.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'sessionUpdated', argument: 'filter.botIds[0]' }),
    ]);
    const metrics = await subscribe('subscription ($z: String) { botMetricsUpdated(timeZone: $z) { sessions } }', { z: '\u0000' });
    expect(metrics.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(t.gateway.live.subscriberCount).toBe(0);
  });

  it('an event id past bigint is BAD_USER_INPUT on `since`', async () => {
    for (const since of ['9223372036854775808', '9999999999999999999']) {
      const errors = await subscribe('subscription ($since: ID) { sessionUpdated(since: $since) { kind } }', { since });
      expect(errors.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'since' })]);
      const messages = await subscribe('subscription ($id: ID!, $since: ID) { sessionMessages(sessionId: $id, since: $since) { id } }', {
        id: sessionId,
        since,
      });
      expect(messages.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('JSON nested too deeply, in a batch: that item alone is rejected', () => {
  const deep = new DeepJson(100_000, 'array');
  const rejectedDeep = (reply: { rejected: { index: number; path: string; message: string }[] }) => {
    expect(reply.rejected).toHaveLength(1);
    expect(reply.rejected[0]).toMatchObject({ index: 0, message: 'is nested too deeply (more than 64 levels)' });
    expect(reply.rejected[0]!.path).toMatch(/^\$\.variables\.deep(\[0\]){62}$/);
  };
  const stored = async (externalId: string) => (await t.db.prisma.session.count({ where: { externalId } })) === 1;

  it('in a JSON array body', async () => {
    const body = requestBody([
      { sessionId: 'deep-json-1', botId: '1457', variables: { deep } },
      { sessionId: 'deep-json-2', botId: '1457' },
    ]);
    const reply = await t.ingest('/ingest/chatlayer/sessions', body);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ accepted: 1, created: 1, rejectedCount: 1 });
    rejectedDeep(reply.body);
    expect(await stored('deep-json-1')).toBe(false);
    expect(await stored('deep-json-2')).toBe(true);
  });

  it('in a page envelope', async () => {
    const flow = { id: '6a1e2f4c-0b7d-4c1e-9f3a-2d5b8c7e1a91', flow: { id: 'f', name: 'n' }, dateCreated: '2026-11-20T09:00:00.000Z' };
    const body = requestBody({ entities: [{ ...flow, id: '6a1e2f4c-0b7d-4c1e-9f3a-2d5b8c7e1a92', conversation: { id: 'c', deep } }, flow] });
    const reply = await t.ingest('/ingest/genesys/bot-flow-sessions', body);
    expect(reply.body).toMatchObject({ accepted: 1, rejectedCount: 1 });
    expect(reply.body.rejected[0]).toMatchObject({ index: 0, message: 'is nested too deeply (more than 64 levels)' });
  });

  it('in an NDJSON body', async () => {
    const body = `${requestBody({ sessionId: 'deep-ndjson-1', botId: '1457', variables: { deep } })}\n${JSON.stringify({ sessionId: 'deep-ndjson-2', botId: '1457' })}\n`;
    const reply = await t.ingest('/ingest/chatlayer/sessions', body, 'application/x-ndjson');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ accepted: 1, rejectedCount: 1 });
    rejectedDeep(reply.body);
    expect(await stored('deep-ndjson-2')).toBe(true);
  });

  it("in a mutation's list", async () => {
    const query =
      'mutation ($s: [ChatlayerSessionInput!]!) { ingestChatlayerSessions(sessions: $s) { accepted rejectedCount rejected { index path message } } }';
    const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: requestBody({
        query,
        variables: {
          s: [
            { sessionId: 'deep-mutation-1', botId: '1457', variables: { deep } },
            { sessionId: 'deep-mutation-2', botId: '1457' },
          ],
        },
      }),
    });
    const reply = (await response.json()) as GraphQLResponse<{ ingestChatlayerSessions: { accepted: number; rejectedCount: number; rejected: never[] } }>;
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.ingestChatlayerSessions).toMatchObject({ accepted: 1, rejectedCount: 1 });
    rejectedDeep(reply.data!.ingestChatlayerSessions);
    expect(await stored('deep-mutation-2')).toBe(true);
  });

  it("and a NUL in one item's document rejects that item, at its path", async () => {
    const query = 'mutation ($s: [ChatlayerSessionInput!]!) { ingestChatlayerSessions(sessions: $s) { accepted rejected { index path message } } }';
    const reply = await t.graphql<{ ingestChatlayerSessions: { accepted: number; rejected: unknown[] } }>(query, {
      s: [
        { sessionId: 'nul-item-1', botId: '1457', variables: { name: 'a\u0000' } },
        { sessionId: 'nul-item-2', botId: '1457' },
      ],
    });
    expect(reply.data!.ingestChatlayerSessions).toEqual({
      accepted: 1,
      rejected: [{ index: 0, path: '$.variables.name', message: 'must not contain the NUL character (U+0000)' }],
    });
  });
});

describe("a batch's parameters", () => {
  const runtimeResponse = (sessionId: string) => ({ sessionId, processedSequenceIds: [1], messages: [{ type: 'text', id: 'm1', text: 'Hello' }] });

  it("a mutation's `botId` argument with a NUL is BAD_USER_INPUT, and nothing is stored", async () => {
    const query = 'mutation ($s: [EinsteinBotSessionInput!]!, $b: String) { ingestEinsteinSessions(sessions: $s, botId: $b) { accepted } }';
    const error = await refused(query, { s: [runtimeResponse('param-1')], b: 'bot\u0000' }, 'BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ field: 'ingestEinsteinSessions', argument: 'botId' });
    expect(await t.db.prisma.session.count({ where: { externalId: 'param-1' } })).toBe(0);
  });

  it('a query parameter with a NUL rejects the items that need it, at the member it stands for', async () => {
    const reply = await t.ingest('/ingest/einstein/sessions?botId=%00', [
      runtimeResponse('param-2'),
      { ...runtimeResponse('param-3'), botId: '0XxRM0000004CqP0AU' },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.rejected).toEqual([{ index: 0, path: '$.botId', message: '(from the `botId` parameter) must not contain the NUL character (U+0000)' }]);
    expect(reply.body.accepted).toBe(1);
  });
});
