// Fair shares of a gateway process between tenants (README, "Fair shares"): what one tenant's requests
// and subscriptions make the process do is bounded per tenant, so another tenant's work goes on beside
// it — a tenant's queries in flight by their cost, its distinct live subscriptions by what one event
// costs them together, its live executions, metrics recounts and ingest chunks by how many run at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/keys.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
let acme: CreatedKey;
let globex: CreatedKey;
const loggedErrors: unknown[] = [];

/** A heavy but in-limit page: 100 sessions with 100 messages each (cost 20,200: over the share here, so it runs alone). */
const HEAVY = '{ sessions(first: 100) { edges { node { externalId messages(first: 100) { edges { node { text sender timestamp } } } } } } }';

async function gql(key: CreatedKey, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${key.key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

async function ingest(key: CreatedKey, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.port}/ingest/einstein/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  db = await openTestDatabase();
  acme = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read', 'ingest'] });
  globex = await createApiKey(db.prisma, { tenantSlug: 'globex', scopes: ['read', 'ingest'] });
  gateway = createGateway({
    database: db,
    production: true,
    logError: (error) => loggedErrors.push(error),
    security: {
      rateLimit: null,
      // Small shares, so a test can fill them: one heavy page at a time, and a live budget of two heavy subscriptions.
      shares: { queryCost: 15_000, liveCost: 500, liveExecutions: 1, metricsRecounts: 1, ingestChunks: 1, busyMsPerSecond: 100_000 },
    },
  });
  server = await listen(gateway, { port: 0, host: '127.0.0.1' });
  for (const key of [acme, globex]) {
    await ingest(
      key,
      Array.from({ length: 30 }, (_, i) => ({ ...einsteinFixtures[i % einsteinFixtures.length]!, sessionId: `fair-${key.tenantId.slice(0, 4)}-${String(i)}` })),
    );
  }
});

afterAll(async () => {
  await server.close();
  await db.close();
  expect(loggedErrors).toEqual([]);
});

describe("a tenant's queries in flight", () => {
  it('run within its share of cost, the rest waiting their turn, while another tenant is answered at once', async () => {
    // acme's share is taken (as by a long page in flight): its next query waits, globex's does not.
    const leave = await gateway.works.queries.enter(acme.tenantId, 15_000);
    let answered = false;
    const waiting = gql(acme, HEAVY).then((answer) => {
      answered = true;
      return answer;
    });
    await expect.poll(() => gateway.works.queries.waiting(acme.tenantId), { timeout: 5_000 }).toBe(1);
    const light = await gql(globex, '{ sessions(first: 5) { totalCount } }');
    expect(light.status).toBe(200);
    expect(light.body.errors).toBeUndefined();
    expect(answered).toBe(false);
    leave();
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(gateway.works.queries.running(acme.tenantId)).toBe(0);
  });

  it('are refused with 429 RATE_LIMITED and Retry-After past their queue; the queued ones run once there is room', async () => {
    const leave = await gateway.works.queries.enter(acme.tenantId, 15_000);
    try {
      // The queue holds 200; the 201st waiting query is refused at once.
      const queued = Array.from({ length: 200 }, () => gql(acme, '{ __typename }'));
      await expect.poll(() => gateway.works.queries.waiting(acme.tenantId), { timeout: 10_000 }).toBe(200);
      const refused = await gql(acme, '{ sessions(first: 1) { totalCount } }');
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 10 });
      leave();
      expect((await Promise.all(queued)).every((a) => a.status === 200)).toBe(true);
    } finally {
      leave();
    }
  });
});

describe("a tenant's live subscriptions", () => {
  const heavy = (alias: string) => `subscription { ${alias}: sessionUpdated { session { externalId messages(first: 100) { edges { node { text } } } } } }`;

  it('cost at most its live budget per event: a new distinct one past it is refused, an equal one shares for free, and another tenant still subscribes', async () => {
    const clientA = wsClient(server.url, { authorization: `Bearer ${acme.key}` });
    const clientG = wsClient(server.url, { authorization: `Bearer ${globex.key}` });
    try {
      // Each costs 1 + 100 × (1 + 1) = 201 per event (a session, and a page of messages); the budget is 500.
      const held = ['a', 'b'].map((alias) => subscribeWs(clientA, heavy(alias)));
      await untilSubscribers(() => gateway.live.subscriberCount, 2);
      expect(gateway.liveExecutions.liveCostOf(acme.tenantId)).toBe(402);
      const over = subscribeWs(clientA, heavy('c'));
      await over.waitForEnd();
      expect(JSON.stringify(over.errors)).toContain('COST_LIMIT_EXCEEDED');
      expect(JSON.stringify(over.errors)).toContain('maxLiveCost');
      // The same text as an open one joins its execution: no more cost.
      const equal = subscribeWs(clientA, heavy('a'));
      const other = subscribeWs(clientG, heavy('a'));
      await untilSubscribers(() => gateway.live.subscriberCount, 4);
      expect(equal.errors).toEqual([]);
      expect(other.errors).toEqual([]);
      expect(gateway.liveExecutions.liveCostOf(acme.tenantId)).toBe(402);
      // acme's executions wait while its live share is taken; globex's subscriber is served meanwhile.
      const leave = await gateway.works.live.enter(acme.tenantId, 1);
      await ingest(acme, [{ ...einsteinFixtures[0]!, sessionId: 'fair-live-acme' }]);
      await ingest(globex, [{ ...einsteinFixtures[0]!, sessionId: 'fair-live-globex' }]);
      await other.waitFor(1, 10_000);
      expect([...held, equal].every((s) => s.values.length === 0)).toBe(true);
      expect(gateway.works.live.waiting(acme.tenantId)).toBeGreaterThan(0);
      leave();
      await Promise.all([...held, equal].map((s) => s.waitFor(1, 10_000)));
      for (const s of [...held, equal, other]) s.dispose();
      await untilSubscribers(() => -gateway.live.subscriberCount, 0);
      expect(gateway.liveExecutions.liveCostOf(acme.tenantId)).toBe(0);
    } finally {
      await Promise.all([clientA.dispose(), clientG.dispose()]);
    }
  });
});
