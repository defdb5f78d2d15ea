// Keys that do not exist cost nothing after the first try: an unknown key is remembered as refused,
// failed authentications are counted per client address and refused (429, no lookup) past a budget,
// and a lookup is one statement with the same hash comparison whether or not the prefix exists — so an
// attacker flooding the gateway with random keys cannot make one database query each, nor learn from
// the answer's time which prefixes exist.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/keys.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { subscribeWs, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
let key: CreatedKey;
const loggedErrors: unknown[] = [];

const randomKey = (prefix = randomBytes(6).toString('hex')) => `pk_${prefix}_${randomBytes(32).toString('base64url')}`;
const keyLookups = () => db.statements.filter((sql) => sql.includes('"ApiKey"')).length;

/** A query with a key, from the client `address` (the gateway trusts one proxy's X-Forwarded-For here). */
async function ask(bearer: string, address: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-forwarded-for': address },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

beforeAll(async () => {
  db = await openTestDatabase();
  key = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'] });
  gateway = createGateway({
    database: db,
    production: true,
    // Answers are remembered for 200 ms here, so a test can see one expire.
    authCacheMs: 200,
    logError: (error) => loggedErrors.push(error),
    security: { rateLimit: null, authFailureLimit: { perSecond: 1, burst: 5, redisUrl: null }, trustProxyHops: 1 },
  });
  server = await listen(gateway, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
  await db.close();
  expect(loggedErrors).toEqual([]);
});

describe('unknown keys', () => {
  it('are looked up once, then remembered as refused', async () => {
    const unknown = randomKey();
    db.statements.length = 0;
    expect((await ask(unknown, '198.51.100.1')).status).toBe(401);
    expect(keyLookups()).toBe(1);
    expect((await ask(unknown, '198.51.100.1')).status).toBe(401);
    expect(keyLookups()).toBe(1);
  });

  it('cost one identical statement whether or not the prefix exists, and fail the same way', async () => {
    const prefix = /^pk_([0-9a-f]{12})_/.exec(key.key)![1]!;
    db.statements.length = 0;
    const existingPrefix = await ask(randomKey(prefix), '198.51.100.2');
    const lookedUpWithPrefix = db.statements.filter((sql) => sql.includes('"ApiKey"'));
    db.statements.length = 0;
    const unknownPrefix = await ask(randomKey(), '198.51.100.2');
    const lookedUpWithout = db.statements.filter((sql) => sql.includes('"ApiKey"'));
    expect(lookedUpWithPrefix).toHaveLength(1);
    expect(lookedUpWithout).toEqual(lookedUpWithPrefix);
    expect(existingPrefix).toEqual(unknownPrefix);
    expect(existingPrefix.status).toBe(401);
  });

  it("past an address's budget of failures are refused with 429 and Retry-After, without a lookup; other addresses and known keys go on", async () => {
    const attacker = '203.0.113.7';
    const answers = [];
    db.statements.length = 0;
    for (let i = 0; i < 40; i++) answers.push(await ask(randomKey(), attacker));
    const statuses = answers.map((a) => a.status);
    // The burst (5) of failures is answered 401, then the address is refused before any lookup.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(6).every((s) => s === 429)).toBe(true);
    expect(keyLookups()).toBeLessThanOrEqual(6);
    const refused = answers.at(-1)!;
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another client, and a key already verified, are not held back by it — even once its remembered
    // answer has expired; a key never verified here is, until the address's window passes.
    expect((await ask(key.key, '192.0.2.10')).status).toBe(200);
    expect((await ask(key.key, attacker)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await ask(key.key, attacker)).status).toBe(200);
    const fresh = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'] });
    expect((await ask(fresh.key, attacker)).status).toBe(429);
  });

  it('over WebSocket: the connections of an address past its budget are closed with 4429', async () => {
    /** The close code of a connection authenticating with a random key (from this test's own address). */
    const closeCode = async () => {
      const client = wsClient(server.url, { authorization: `Bearer ${randomKey()}` });
      const received = subscribeWs(client, 'subscription { sessionUpdated { kind } }');
      await received.waitForEnd();
      await client.dispose();
      return (received.errors[0] as { code?: number }).code ?? 0;
    };
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push(await closeCode());
    expect(codes.slice(0, 5)).toEqual([4403, 4403, 4403, 4403, 4403]);
    expect(codes.at(-1)).toBe(4429);
  });
});
