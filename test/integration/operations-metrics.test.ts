// What /metrics says about GraphQL operations and live updates, read as a scraper reads it: requests and
// latency by operation, errors by code, open subscriptions by transport, delivery latency, and (on
// PostgreSQL) the connection pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/database.js';
import { subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = createGateway({ database: db });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${new URL(server.url).origin}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series, by its name and labels (in any order); NaN when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const series = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...series.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  // A series that is not there is not 0: a gauge that vanished must not pass for one that went to 0.
  return Number.NaN;
}

async function graphql(query: string) {
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return response.json() as Promise<{ errors?: unknown[] }>;
}

describe('/metrics', () => {
  it('counts operations by name, their latency, and errors by code', async () => {
    await graphql('query Listing { sessions(first: 1) { totalCount } }');
    await graphql('query Listing { sessions(first: 1) { totalCount } }');
    await graphql('query Broken { sessions(first: 1) { noSuchField } }');
    await graphql('query Cursor { sessions(first: 1, after: "not-a-cursor") { totalCount } }');
    const text = await scrape();
    expect(value(text, 'graphql_envelop_request', { operationName: 'Listing', operationType: 'query' })).toBe(2);
    expect(value(text, 'graphql_envelop_request_duration_count', { operationName: 'Listing' })).toBe(2);
    expect(value(text, 'graphql_envelop_error_result', { operationName: 'Broken', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(value(text, 'graphql_envelop_error_result', { operationName: 'Cursor', code: 'BAD_CURSOR' })).toBe(1);
    expect(value(text, 'graphql_yoga_http_duration_count', { method: 'POST', statusCode: '200', operationName: 'Listing' })).toBe(2);
    expect(text).not.toMatch(/url=/);
  });

  it('label operations by name, but not with names no one chose twice in a shape a name has', async () => {
    const long = `Q${'x'.repeat(80)}`;
    await graphql(`query ${long} { sessions(first: 1) { totalCount } }`);
    const text = await scrape();
    expect(text).not.toContain(long);
    expect(value(text, 'graphql_envelop_request', { operationName: 'other' })).toBeGreaterThanOrEqual(1);
  });

  it('counts open subscriptions by transport and times deliveries from the commit', async () => {
    const base = gateway.live.subscriberCount;
    const sse = subscribeSse<unknown>(server.url, 'subscription { sessionUpdated { kind } }');
    const client = wsClient(server.url);
    const ws = subscribeWs<unknown>(client, 'subscription { sessionUpdated { kind } }');
    await untilSubscribers(() => gateway.live.subscriberCount, base + 2);
    let text = await scrape();
    expect(value(text, 'parley_subscriptions_open', { transport: 'sse' })).toBe(1);
    expect(value(text, 'parley_subscriptions_open', { transport: 'websocket' })).toBe(1);

    const response = await fetch(`${new URL(server.url).origin}/ingest/einstein/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'metrics-1', botId: '0XxBOT1', status: 'Active', createdDate: '2026-11-20T10:00:00Z' }),
    });
    expect(response.status).toBe(200);
    await sse.waitFor(1);
    await ws.waitFor(1);
    text = await scrape();
    // Both subscribers run the same operation: one shared result, one delivery.
    expect(value(text, 'parley_live_delivery_seconds_count')).toBe(1);
    expect(value(text, 'parley_live_delivery_seconds_bucket', { le: '10' })).toBe(1);

    sse.dispose();
    ws.dispose();
    await client.dispose();
    await expect.poll(async () => value(await scrape(), 'parley_subscriptions_open', { transport: 'sse' })).toBe(0);
    await expect.poll(async () => value(await scrape(), 'parley_subscriptions_open', { transport: 'websocket' })).toBe(0);
  });

  it.skipIf(testDatabaseKind !== 'postgres')("shows the process's PostgreSQL pool", async () => {
    const text = await scrape();
    expect(value(text, 'parley_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    expect(text).toMatch(/parley_db_pool_connections\{state="waiting"\} \d+/);
  });
});
