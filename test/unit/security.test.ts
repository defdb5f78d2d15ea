// The hardening's pieces on their own: the token bucket (in memory and in Redis, failing open), the
// cost model, persisted-operation files and the security settings read from the environment.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { schema } from '../../src/schema/index.js';
import { operationCost } from '../../src/security/cost.js';
import { loadPersistedOperations, operationHash } from '../../src/security/persisted.js';
import { MemoryRateLimiter, RedisRateLimiter } from '../../src/security/rate-limit.js';

describe('token bucket in memory', () => {
  it('allows a burst, then one request per 1/perSecond, with Retry-After in whole seconds', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ perSecond: 2, burst: 3 }, () => now);
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('other')).allowed).toBe(true);
    now += 500; // one token back
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
    now += 10_000; // full again, never more than the burst
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
  });

  it('says how long to wait when the refill is slow', async () => {
    const limiter = new MemoryRateLimiter({ perSecond: 0.1, burst: 1 }, () => 0);
    await limiter.take('k');
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});

const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();

describe('token bucket in Redis', () => {
  const limiters: RedisRateLimiter[] = [];
  afterAll(async () => {
    for (const limiter of limiters) await limiter.close();
  });
  const ready = async (limiter: RedisRateLimiter) => {
    limiters.push(limiter);
    // The first command may race the connection; fail-open answers then. Wait for a real answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return limiter;
  };

  it.skipIf(!redisUp && !process.env.CI)('is shared by every limiter on the same Redis (one bucket per key)', async () => {
    const prefix = `parley:test:${randomBytes(4).toString('hex')}:`;
    const a = await ready(new RedisRateLimiter(redisUrl, { perSecond: 1, burst: 4 }, () => {}, prefix));
    const b = await ready(new RedisRateLimiter(redisUrl, { perSecond: 1, burst: 4 }, () => {}, prefix));
    const results = await Promise.all([a, b, a, b, a, b].map((limiter) => limiter.take('key:1')));
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds === 1)).toBe(true);
    expect((await a.take('key:2')).allowed).toBe(true);
  });

  it('fails open (serves the request) and logs once when Redis is unreachable', async () => {
    const logs: string[] = [];
    const limiter = await ready(new RedisRateLimiter('redis://127.0.0.1:1', { perSecond: 1, burst: 1 }, (m) => logs.push(m)));
    for (let i = 0; i < 5; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/Redis unavailable.*without a limit/);
  });
});

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

describe('persisted operations file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-persisted-'));
  it('loads hash → document and refuses an entry whose hash does not match', () => {
    const document = '{ __typename }';
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ [operationHash(document)]: document }));
    expect([...loadPersistedOperations(good)]).toEqual([[operationHash(document), document]]);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ abc: document }));
    expect(() => loadPersistedOperations(bad)).toThrow(/not the SHA-256/);
  });

  it('the repository file holds the README operations', () => {
    const config = loadConfig({}, [], path.resolve(import.meta.dirname, '../..'));
    expect([...config.security.persistedOperations.values()].some((d) => d.includes('query Dashboard'))).toBe(true);
  });
});

describe('security settings from the environment', () => {
  it('defaults: open in development, closed in production', () => {
    const dev = loadConfig({}, [], '/nowhere').security;
    expect(dev).toMatchObject({ corsOrigins: '*', graphiql: true, introspection: true, rateLimit: null, timeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 120_000 } });
    const prod = loadConfig({ NODE_ENV: 'production' }, [], '/nowhere').security;
    expect(prod).toMatchObject({ corsOrigins: [], graphiql: false, introspection: false, rateLimit: { perSecond: 20, burst: 60, redisUrl: null } });
  });

  it('reads every variable', () => {
    const security = loadConfig(
      {
        NODE_ENV: 'production',
        CORS_ORIGINS: 'https://a.example.com, http://localhost:3000',
        GRAPHIQL: 'on',
        INTROSPECTION: 'true',
        RATE_LIMIT_PER_SECOND: '5',
        RATE_LIMIT_BURST: '10',
        REDIS_URL: 'redis://r:6379',
        HEADERS_TIMEOUT_MS: '5000',
        REQUEST_TIMEOUT_MS: '60000',
      },
      [],
      '/nowhere',
    ).security;
    expect(security).toMatchObject({
      corsOrigins: ['https://a.example.com', 'http://localhost:3000'],
      graphiql: true,
      introspection: true,
      rateLimit: { perSecond: 5, burst: 10, redisUrl: 'redis://r:6379' },
      timeouts: { headersTimeoutMs: 5000, requestTimeoutMs: 60000 },
    });
    expect(loadConfig({ NODE_ENV: 'production', RATE_LIMIT_PER_SECOND: '0' }, [], '/nowhere').security.rateLimit).toBeNull();
  });

  it('reports every bad value by name', () => {
    let error: unknown;
    try {
      loadConfig(
        { CORS_ORIGINS: 'https://ok.example.com,not an origin,https://x.example.com/path', GRAPHIQL: 'maybe', RATE_LIMIT_PER_SECOND: '-1', RATE_LIMIT_BURST: '2.5', PERSISTED_OPERATIONS: '/no/such/file.json', HEADERS_TIMEOUT_MS: '9000', REQUEST_TIMEOUT_MS: '1000' },
        [],
        '/nowhere',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['not an origin', 'x.example.com/path', 'GRAPHIQL', 'RATE_LIMIT_PER_SECOND', 'RATE_LIMIT_BURST', 'PERSISTED_OPERATIONS', 'HEADERS_TIMEOUT_MS']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(7);
  });
});
