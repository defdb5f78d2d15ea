// The rate limit on its own: the token bucket in memory and in Redis (failing open).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
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
