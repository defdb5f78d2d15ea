// Hostile requests against a real, listening gateway with two tenants (acme and globex): every
// isolation path, missing/invalid/revoked keys, wrong scopes, query floods, CSRF, CORS, persisted-only
// keys, the rate limit, a slow-loris body, and the GraphQL over HTTP audit. After each hostile request
// the gateway must still answer a normal query.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { createApiKey, revokeApiKey, type CreatedKey } from '../../src/auth/keys.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { encodeGlobalId, decodeGlobalId } from '../../src/schema/global-id.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { operationHash } from '../../src/security/persisted.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

type Json = Record<string, unknown>;
interface GqlReply {
  status: number;
  headers: Headers;
  data?: Json | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Json }[];
}

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
const loggedErrors: unknown[] = [];
const keys = {} as Record<'acme' | 'globex' | 'acmeRead' | 'acmeIngest' | 'acmePersisted', CreatedKey>;

const ALLOWED_ORIGIN = 'https://app.acme.test';
const PERSISTED = 'query Persisted { sessions(first: 5) { totalCount edges { node { externalId } } } }';
const SHARED_ID = einsteinFixtures[0]!.sessionId;
const GLOBEX_ONLY = { ...einsteinFixtures[1]!, sessionId: 'globex-only-1', externalSessionKey: 'globex-conversation-1' };

const bearer = (key: CreatedKey | string) => `Bearer ${typeof key === 'string' ? key : key.key}`;

async function gql(
  query: string,
  options: { key?: CreatedKey | string | null; variables?: Json; url?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<GqlReply> {
  const key = options.key === undefined ? keys.acme : options.key;
  const response = await fetch(options.url ?? server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(key ? { authorization: bearer(key) } : {}),
      ...options.headers,
    },
    body: JSON.stringify(options.body ?? { query, variables: options.variables }),
  });
  const text = await response.text();
  expect(text).not.toMatch(/"stack"| {4}at /); // no stack trace ever leaves
  return { status: response.status, headers: response.headers, ...(JSON.parse(text) as Json) };
}

async function ingest(key: CreatedKey | null, body: unknown, base = `http://127.0.0.1:${server.port}`) {
  const response = await fetch(`${base}/ingest/einstein/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: bearer(key) } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json & { error?: Json } };
}

const codes = (reply: GqlReply) => (reply.errors ?? []).map((e) => e.extensions?.code);

/** Another tenant's global id with the same type but a random row id: a genuinely missing one. */
const randomIdLike = (globalId: string) => encodeGlobalId(decodeGlobalId(globalId).typename, randomUUID());

beforeAll(async () => {
  db = await openTestDatabase();
  keys.acme = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read', 'ingest'] });
  keys.globex = await createApiKey(db.prisma, { tenantSlug: 'globex', scopes: ['read', 'ingest'] });
  keys.acmeRead = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'] });
  keys.acmeIngest = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['ingest'] });
  keys.acmePersisted = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'], persistedOnly: true });
  gateway = createGateway({
    database: db,
    production: true,
    authCacheMs: 50,
    logError: (error) => loggedErrors.push(error),
    security: {
      corsOrigins: [ALLOWED_ORIGIN],
      persistedOperations: new Map([[operationHash(PERSISTED), PERSISTED]]),
      rateLimit: null,
    },
  });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });

  // The same Einstein session into both tenants, and one more only globex has.
  for (const key of [keys.acme, keys.globex]) {
    const reply = await ingest(key, [einsteinFixtures[0]]);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ created: 1 });
  }
  expect((await ingest(keys.globex, [GLOBEX_ONLY])).body).toMatchObject({ created: 1 });
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  expect(loggedErrors).toEqual([]);
});

const SESSION_FIELDS = 'id externalId conversation { id externalId } messages(first: 10) { edges { node { id text } } }';
type SessionRow = {
  id: string;
  externalId: string;
  conversation: { id: string; externalId: string } | null;
  messages: { edges: { node: { id: string; text: string } }[] };
};

async function sessionsOf(key: CreatedKey): Promise<{ totalCount: number; rows: SessionRow[] }> {
  const reply = await gql(`{ sessions(first: 50) { totalCount edges { node { ${SESSION_FIELDS} } } } }`, { key });
  expect(reply.errors).toBeUndefined();
  const sessions = reply.data!.sessions as { totalCount: number; edges: { node: SessionRow }[] };
  return { totalCount: sessions.totalCount, rows: sessions.edges.map((e) => e.node) };
}

describe('tenant isolation', () => {
  it('sessions lists only your own; the same externalId ingested by both tenants is two sessions', async () => {
    const acme = await sessionsOf(keys.acme);
    const globex = await sessionsOf(keys.globex);
    expect(acme.rows.map((s) => s.externalId)).toEqual([SHARED_ID]);
    expect(acme.totalCount).toBe(1);
    expect(globex.rows.map((s) => s.externalId).sort()).toEqual([GLOBEX_ONLY.sessionId, SHARED_ID].sort());
    const acmeShared = acme.rows[0]!;
    const globexShared = globex.rows.find((s) => s.externalId === SHARED_ID)!;
    expect(acmeShared.id).not.toBe(globexShared.id);
    expect(acmeShared.conversation!.id).not.toBe(globexShared.conversation!.id);
    const acmeMessages = new Set(acmeShared.messages.edges.map((e) => e.node.id));
    expect(globexShared.messages.edges.every((e) => !acmeMessages.has(e.node.id))).toBe(true);
  });

  it("node and nodes: another tenant's id looks exactly like a missing one", async () => {
    const globex = await sessionsOf(keys.globex);
    const foreign = [globex.rows[0]!.id, globex.rows[0]!.conversation!.id, globex.rows[0]!.messages.edges[0]!.node.id];
    for (const id of foreign) {
      const theirs = await gql('query($id: ID!) { node(id: $id) { id } }', { variables: { id } });
      const missing = await gql('query($id: ID!) { node(id: $id) { id } }', { variables: { id: randomIdLike(id) } });
      expect(theirs.data).toEqual({ node: null });
      expect(theirs.status).toBe(missing.status);
      expect(theirs.errors).toEqual(missing.errors);
      expect(codes(theirs)).toEqual(['NOT_FOUND']);
      // globex itself does see it
      expect((await gql('query($id: ID!) { node(id: $id) { id } }', { key: keys.globex, variables: { id } })).data).toEqual({ node: { id } });
    }
    const own = (await sessionsOf(keys.acme)).rows[0]!.id;
    const mixed = await gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { variables: { ids: [foreign[0], own, randomIdLike(foreign[0]!)] } });
    expect(mixed.data).toEqual({ nodes: [null, { id: own }, null] });
    expect(mixed.errors!.map((e) => [e.path, e.extensions?.code, e.message])).toEqual([
      [['nodes', 0], 'NOT_FOUND', mixed.errors![1]!.message],
      [['nodes', 2], 'NOT_FOUND', mixed.errors![0]!.message],
    ]);
  });

  it('conversation by externalId and id, and session(vendor, externalId)', async () => {
    const globex = await sessionsOf(keys.globex);
    const globexOnly = globex.rows.find((s) => s.externalId === GLOBEX_ONLY.sessionId)!;
    const byExternal = (externalId: string) =>
      gql('query($e: String!) { conversation(externalId: $e) { id sessions(first: 10) { edges { node { id } } } } }', { variables: { e: externalId } });
    const theirs = await byExternal(GLOBEX_ONLY.externalSessionKey);
    const missing = await byExternal('no-such-conversation');
    expect(theirs.data).toEqual({ conversation: null });
    expect(theirs.errors).toEqual(missing.errors);
    // The conversation both tenants have: acme sees only its own session in it.
    const shared = await byExternal(einsteinFixtures[0]!.externalSessionKey!);
    const acmeShared = (await sessionsOf(keys.acme)).rows[0]!;
    expect(shared.data).toEqual({ conversation: { id: acmeShared.conversation!.id, sessions: { edges: [{ node: { id: acmeShared.id } }] } } });

    const byId = (id: string) => gql('query($id: ID!) { conversation(id: $id) { id } }', { variables: { id } });
    const theirsById = await byId(globexOnly.conversation!.id);
    const missingById = await byId(randomIdLike(globexOnly.conversation!.id));
    expect(theirsById.data).toEqual({ conversation: null });
    expect(theirsById.errors).toEqual(missingById.errors);

    const session = (externalId: string) =>
      gql('query($e: String!) { session(vendor: SALESFORCE_EINSTEIN, externalId: $e) { id } }', { variables: { e: externalId } });
    const theirsSession = await session(GLOBEX_ONLY.sessionId);
    const missingSession = await session('no-such-session');
    expect(theirsSession.data).toEqual({ session: null });
    // The message names the id the caller sent, nothing else: otherwise identical.
    expect(JSON.stringify(theirsSession.errors)).toBe(JSON.stringify(missingSession.errors).replace('no-such-session', GLOBEX_ONLY.sessionId));
    expect(codes(theirsSession)).toEqual(['NOT_FOUND']);
  });

  it("ingest mutations write only into the caller's tenant", async () => {
    const mutation = 'mutation($s: [EinsteinBotSessionInput!]!) { ingestEinsteinSessions(sessions: $s) { created updated unchanged } }';
    const item = { sessionId: 'mutation-shared', botId: '0XxRM0000004CqP0AU', status: 'Active', createdDate: '2026-11-20T10:00:00Z' };
    for (const key of [keys.acme, keys.globex]) {
      const reply = await gql(mutation, { key, variables: { s: [item] } });
      expect(reply.data).toEqual({ ingestEinsteinSessions: { created: 1, updated: 0, unchanged: 0 } });
    }
    const find = (key: CreatedKey) => gql('{ session(vendor: SALESFORCE_EINSTEIN, externalId: "mutation-shared") { id } }', { key });
    const [a, g] = [await find(keys.acme), await find(keys.globex)];
    expect((a.data!.session as { id: string }).id).not.toBe((g.data!.session as { id: string }).id);
  });

  it("subscriptions: an acme subscriber (WebSocket and SSE) never receives globex's events", async () => {
    type Update = { sessionUpdated: { kind: string; session: { externalId: string } } };
    const query = 'subscription { sessionUpdated { kind session { externalId } } }';
    const base = gateway.live.subscriberCount;
    const client = wsClient(server.url, { authorization: bearer(keys.acme) });
    const ws = subscribeWs<Update>(client, query);
    const sse = subscribeSse<Update>(server.url, query, {}, { authorization: bearer(keys.acme) });
    await untilSubscribers(() => gateway.live.subscriberCount, base + 2);

    await ingest(keys.globex, [{ ...GLOBEX_ONLY, sessionId: 'globex-live-1' }]);
    await ingest(keys.acme, [{ ...GLOBEX_ONLY, sessionId: 'acme-live-1' }]);
    for (const received of [ws, sse]) {
      await received.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.values.map((u) => u.sessionUpdated.session.externalId)).toEqual(received.values.map(() => 'acme-live-1'));
    }
    ws.dispose();
    sse.dispose();
    await client.dispose();
  });

  it("sessionMessages with another tenant's session id is refused like a missing one", async () => {
    const globexSession = (await sessionsOf(keys.globex)).rows[0]!.id;
    const run = async (id: string) => {
      const client = wsClient(server.url, { authorization: bearer(keys.acme) });
      const received = subscribeWs<Json>(client, 'subscription($id: ID!) { sessionMessages(sessionId: $id) { id } }', { id });
      await received.waitForEnd();
      await client.dispose();
      return received.errors;
    };
    const theirs = await run(globexSession);
    expect(theirs.length).toBeGreaterThan(0);
    expect(JSON.stringify(theirs)).toBe(JSON.stringify(await run(randomIdLike(globexSession))));
  });
});

describe('authentication and scopes', () => {
  it('creates keys for a new tenant concurrently without colliding on its slug', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, () => createApiKey(db.prisma, { tenantSlug: 'initech', scopes: ['read'] })));
    expect(new Set(created.map((k) => k.tenantId)).size).toBe(1);
    expect(await db.prisma.tenant.count({ where: { slug: 'initech' } })).toBe(1);
  });

  it('a missing, malformed, unknown or revoked key is 401 on GraphQL, ingest and WebSocket', async () => {
    const unknown = `pk_${'0'.repeat(12)}_${'A'.repeat(43)}`;
    const revoked = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read', 'ingest'] });
    await revokeApiKey(db.prisma, revoked.id); // before its first use: nothing cached
    for (const key of [null, 'not-a-key', unknown, revoked.key]) {
      const reply = await gql('{ __typename }', { key });
      expect(reply.status).toBe(401);
      expect(codes(reply)).toEqual(['UNAUTHENTICATED']);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const route = await ingest(key === null ? null : ({ key } as CreatedKey), [einsteinFixtures[2]]);
      expect(route.status).toBe(401);
      expect(route.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const client = wsClient(server.url, { authorization: bearer(unknown) });
    const received = subscribeWs(client, 'subscription { sessionUpdated { kind } }');
    await received.waitForEnd();
    expect((received.errors[0] as { code?: number }).code).toBe(4403);
  });

  it('a key revoked after use stops working once the cache (50 ms here) has passed', async () => {
    const key = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'] });
    expect((await gql('{ __typename }', { key })).status).toBe(200);
    await revokeApiKey(db.prisma, key.prefix);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await gql('{ __typename }', { key })).status).toBe(401);
  });

  it('a wrong scope is 403: read key on ingest route and mutation, ingest-only key on a query', async () => {
    const route = await ingest(keys.acmeRead, [einsteinFixtures[2]]);
    expect(route.status).toBe(403);
    expect(route.body.error).toMatchObject({ code: 'FORBIDDEN' });
    const mutation = await gql('mutation { ingestEinsteinSessions(sessions: []) { created } }', { key: keys.acmeRead });
    expect(codes(mutation)).toEqual(['FORBIDDEN']);
    expect(mutation.status).toBe(403);
    const query = await gql('{ sessions { totalCount } }', { key: keys.acmeIngest });
    expect(codes(query)).toEqual(['FORBIDDEN']);
    expect(query.status).toBe(403);
  });

  it('a subscription without the read scope is refused when it is made, over WebSocket and SSE, and never subscribes', async () => {
    const base = gateway.live.subscriberCount;
    const client = wsClient(server.url, { authorization: bearer(keys.acmeIngest) });
    const ws = subscribeWs(client, 'subscription { sessionUpdated { kind } }');
    const sse = subscribeSse(server.url, 'subscription { sessionUpdated { kind } }', {}, { authorization: bearer(keys.acmeIngest) });
    await ws.waitForEnd();
    expect(JSON.stringify(ws.errors)).toContain('FORBIDDEN');
    expect(JSON.stringify(ws.errors)).toContain('`read` scope');
    // Over SSE the refusal is the response itself: HTTP 403 with the coded error.
    await sse.waitForEnd();
    const response = (sse.errors[0] as { response?: Response }).response;
    expect(response?.status).toBe(403);
    expect(await response?.text()).toContain('FORBIDDEN');
    expect([...ws.values, ...sse.values]).toEqual([]);
    expect(gateway.live.subscriberCount).toBe(base);
    sse.dispose();
    await client.dispose();
  });
});

const DASHBOARD = /* GraphQL */ `
  query Dashboard {
    sessions(first: 50, orderBy: { field: LAST_ACTIVE_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id vendor externalId channel language outcome lastActiveAt
          conversation { externalId }
          messages(first: 20) { edges { node { sender type text timestamp } } }
        }
      }
    }
  }
`;

describe('hostile documents', () => {
  afterEach(async () => {
    // The gateway stays up: a normal query still works.
    const reply = await gql('{ sessions(first: 1) { totalCount } }');
    expect(reply.status).toBe(200);
    expect(reply.errors).toBeUndefined();
  });

  it('the dashboard (50 sessions × 20 messages, with conversations) passes every limit', async () => {
    const reply = await gql(DASHBOARD);
    expect(reply.errors).toBeUndefined();
    expect(reply.status).toBe(200);
  });

  it('an alias flood is refused', async () => {
    const reply = await gql(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toContain('MAX_ALIASES_EXCEEDED');
  });

  it('a batch (an array of operations) is refused as a whole', async () => {
    const reply = await gql('', { body: Array.from({ length: 100 }, () => ({ query: DASHBOARD })) });
    expect(reply.status).toBe(400);
    expect(reply.errors?.length).toBeGreaterThan(0);
  });

  it('a deeply nested query is refused', async () => {
    let inner = 'externalId';
    for (let i = 0; i < 6; i++) inner = `conversation { sessions(first: 1) { edges { node { ${inner} } } } }`;
    const reply = await gql(`{ sessions(first: 1) { edges { node { ${inner} } } } }`);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toContain('MAX_DEPTH_EXCEEDED');
  });

  it('circular fragments are refused at validation', async () => {
    const reply = await gql(`
      query { sessions(first: 1) { ...Page } }
      fragment Page on SessionConnection { edges { node { conversation { sessions(first: 1) { ...Page } } } } }
    `);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(reply.errors!.map((e) => e.message).join(' ')).toMatch(/Cannot spread fragment "Page" within itself/);
  });

  it('a huge document is refused while parsing; a huge body with 413', async () => {
    const huge = await gql(`{ ${'__typename '.repeat(50_000)} }`);
    expect(huge.status).toBe(400);
    expect(codes(huge)).toEqual(['MAX_TOKENS_EXCEEDED']);
    const tooLarge = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(keys.acme) },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(3_000_000)}` }),
    });
    expect(tooLarge.status).toBe(413);
  });

  it('too many directives are refused', async () => {
    const reply = await gql(`query($t: Boolean = true) { ${Array.from({ length: 30 }, (_, i) => `f${i}: __typename @include(if: $t)`).join(' ')} }`);
    expect(reply.status).toBe(400);
    expect(codes(reply)).toContain('MAX_DIRECTIVES_EXCEEDED');
  });

  it('a query over the cost limit is refused, with the page sizes from its variables', async () => {
    const query = `query($n: Int) { sessions(first: $n) { edges { node { conversation { sessions(first: $n) { edges { node { messages(first: $n) { edges { node { text } } } } } } } } } } }`;
    const reply = await gql(query, { variables: { n: 100 } });
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(reply.errors![0]!.extensions).toMatchObject({ maxCost: 25_000 });
    expect((await gql(query, { variables: { n: 5 } })).errors).toBeUndefined();
  });

  it('introspection is off in production', async () => {
    const reply = await gql('{ __schema { types { name } } }');
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['INTROSPECTION_DISABLED']);
    expect((await gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    // Nor does the validator spell the schema out in suggestions.
    const typo = await gql('{ sesions { totalCount } }');
    expect(typo.status).toBe(400);
    expect(typo.errors![0]!.message).toBe('Cannot query field "sesions" on type "Query".');
  });

  it("a browser's GET without GraphiQL is authenticated like any request: 401 without a key, never a 500", async () => {
    const page = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(((await page.json()) as GqlReply).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const bare = await fetch(server.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(bare.status).toBe(401);
    expect(loggedErrors).toEqual([]);
  });

  it('a mutation over GET is refused with 405', async () => {
    const url = `${server.url}?query=${encodeURIComponent('mutation { ingestEinsteinSessions(sessions: []) { created } }')}`;
    const response = await fetch(url, { headers: { authorization: bearer(keys.acme), accept: 'application/graphql-response+json' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const body = (await response.json()) as GqlReply;
    expect(codes(body as GqlReply)).toEqual(['BAD_REQUEST']);
  });

  it('CORS: a preflight from an allowed origin gets the headers, any other origin none', async () => {
    const preflight = (origin: string) =>
      fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const denied = await preflight('https://evil.test');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await gql('{ __typename }', { headers: { origin: 'https://evil.test' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a persisted-only key may run persisted operations and nothing else', async () => {
    const free = await gql('{ sessions(first: 5) { totalCount } }', { key: keys.acmePersisted });
    expect(free.status).toBe(403);
    expect(codes(free)).toEqual(['PERSISTED_QUERY_ONLY']);
    const persisted = await gql('', {
      key: keys.acmePersisted,
      body: { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(PERSISTED) } } },
    });
    expect(persisted.errors).toBeUndefined();
    expect(persisted.data).toMatchObject({ sessions: { totalCount: expect.any(Number) } });
    const unknown = await gql('', { key: keys.acmePersisted, body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } } });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // Other keys may send either.
    expect((await gql('', { body: { extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(PERSISTED) } } } })).errors).toBeUndefined();
    // And over WebSocket the same rule holds.
    const client = wsClient(server.url, { authorization: bearer(keys.acmePersisted) });
    const received = subscribeWs(client, 'subscription { sessionUpdated { kind } }');
    await received.waitForEnd();
    expect(JSON.stringify(received.errors)).toMatch(/PERSISTED_QUERY_ONLY/);
    await client.dispose();
  });
});

describe('development mode (no keys): CSRF', () => {
  let devDb: TestDatabase;
  let dev: Gateway;
  beforeAll(async () => {
    devDb = await openTestDatabase();
    dev = createGateway({ database: devDb, logError: (error) => loggedErrors.push(error) });
  });
  afterAll(async () => devDb?.close());

  const send = (init: RequestInit & { path?: string }) => dev.yoga.fetch(`http://parley.test${init.path ?? '/graphql'}`, init);

  it('a GET or a form/text POST without a CSRF header is refused; with the header, or as JSON, it is served', async () => {
    const get = await send({ path: `/graphql?query=${encodeURIComponent('{ __typename }')}` });
    expect(get.status).toBe(403);
    expect(((await get.json()) as GqlReply).errors![0]!.extensions!.code).toBe('CSRF_HEADER_MISSING');
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const form = await send({ method: 'POST', headers: { 'content-type': type }, body: `query=${encodeURIComponent('{ __typename }')}` });
      expect(form.status).toBe(403);
    }
    const ingestForm = await send({ path: '/ingest/einstein/sessions', method: 'POST', headers: { 'content-type': 'text/plain' }, body: '[]' });
    expect(ingestForm.status).toBe(415);
    const withHeader = await send({ path: `/graphql?query=${encodeURIComponent('{ __typename }')}`, headers: { 'x-parley-csrf': '1' } });
    expect(withHeader.status).toBe(200);
    const json = await send({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(json.status).toBe(200);
  });

  it('introspection and GraphiQL are on in development', async () => {
    const reply = await send({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(await reply.json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const page = await send({ headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/GraphiQL/i);
  });
});

describe('rate limit', () => {
  it("answers 429 with Retry-After once a key's bucket is empty, on GraphQL and ingest alike", async () => {
    const limited = createGateway({
      database: db,
      production: true,
      logError: (error) => loggedErrors.push(error),
      security: { rateLimit: { perSecond: 0.5, burst: 3, redisUrl: null } },
    });
    const call = (key: CreatedKey) =>
      limited.yoga.fetch('http://parley.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(key) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    for (let i = 0; i < 3; i++) expect((await call(keys.acme)).status).toBe(200);
    const refused = await call(keys.acme);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    const route = await limited.yoga.fetch('http://parley.test/ingest/einstein/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer(keys.acme) },
      body: '[]',
    });
    expect(route.status).toBe(429);
    expect(route.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await route.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Another key has its own bucket.
    expect((await call(keys.globex)).status).toBe(200);
    await limited.security.close();
  });
});

describe('slow clients', () => {
  let slow: ListeningServer;
  let slowGateway: Gateway;
  beforeAll(async () => {
    slowGateway = createGateway({
      database: db,
      production: true,
      logError: (error) => loggedErrors.push(error),
      security: { rateLimit: null, timeouts: { headersTimeoutMs: 1000, requestTimeoutMs: 1500 } },
    });
    slow = await listen(slowGateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
  });
  afterAll(async () => slow?.close());

  it('a body trickled one byte per second is cut off within the request timeout', async () => {
    const socket = connect(slow.port, '127.0.0.1');
    const body = JSON.stringify({ query: '{ __typename }' });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = Date.now();
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: ${bearer(keys.acme)}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
    }, 1000);
    const at = await closed;
    clearInterval(trickle);
    expect(at - started).toBeLessThan(4000);
    expect(sent).toBeLessThan(body.length);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    // Still up.
    const ok = await gql('{ __typename }', { url: slow.url });
    expect(ok.status).toBe(200);
  });

  it('an SSE subscription outlives the request timeout', async () => {
    type Update = { sessionUpdated: { session: { externalId: string } } };
    const base = slowGateway.live.subscriberCount;
    const sse = subscribeSse<Update>(slow.url, 'subscription { sessionUpdated { session { externalId } } }', {}, { authorization: bearer(keys.acme) });
    await untilSubscribers(() => slowGateway.live.subscriberCount, base + 1);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than requestTimeout (1.5 s)
    await ingest(keys.acme, [{ ...GLOBEX_ONLY, sessionId: 'acme-after-timeout' }], `http://127.0.0.1:${slow.port}`);
    const [update] = await sse.waitFor(1);
    expect(update!.sessionUpdated.session.externalId).toBe('acme-after-timeout');
    expect(sse.errors).toEqual([]);
    sse.dispose();
  });
});

describe('GraphQL over HTTP audit (graphql-http serverAudits, with a valid key)', () => {
  // The audits query `__type`, so this gateway has introspection on (otherwise production settings).
  // Every MUST passes. SHOULD/MAY audits that fail are printed; see the list in README "Security".
  let audited: ListeningServer;
  beforeAll(async () => {
    const auditGateway = createGateway({
      database: db,
      production: true,
      logError: (error) => loggedErrors.push(error),
      security: { introspection: true, rateLimit: null },
    });
    audited = await listen(auditGateway, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => audited?.close());

  it('passes every MUST audit', async () => {
    const fetchWithKey = (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', bearer(keys.acme));
      return fetch(input, { ...init, headers });
    };
    const results = await Promise.all(serverAudits({ url: audited.url, fetchFn: fetchWithKey }).map((audit) => audit.fn()));
    const failed = results.flatMap((r) => (r.status === 'ok' ? [] : [`${r.name}: ${r.reason}`]));
    console.log(`graphql-http audits: ${results.length - failed.length}/${results.length} ok${failed.length ? `; not ok:\n  ${failed.join('\n  ')}` : ''}`);
    expect(failed.filter((name) => name.startsWith('MUST'))).toEqual([]);
  });
});
