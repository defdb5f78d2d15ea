// The rate limit on its own: rate-limiter-flexible's counters in memory and in Redis, and the insurance
// limiter that counts in memory while Redis is away.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { limitShape, MemoryRateLimiter, RedisRateLimiter } from '../../src/security/rate-limit.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the limit the settings make', () => {
  it('is perSecond per 1-second window plus a reserve of burst - perSecond per burst/perSecond seconds', () => {
    expect(limitShape({ perSecond: 20, burst: 60 })).toEqual({ windowSeconds: 1, pointsPerWindow: 20, reservePoints: 40, reserveSeconds: 3 });
    expect(limitShape({ perSecond: 2, burst: 3 })).toEqual({ windowSeconds: 1, pointsPerWindow: 2, reservePoints: 1, reserveSeconds: 2 });
  });

  it('turns a rate below 1/s into one request per whole number of seconds, and rounds a fractional one down', () => {
    expect(limitShape({ perSecond: 0.5, burst: 3 })).toEqual({ windowSeconds: 2, pointsPerWindow: 1, reservePoints: 2, reserveSeconds: 6 });
    expect(limitShape({ perSecond: 0.1, burst: 1 })).toEqual({ windowSeconds: 10, pointsPerWindow: 1, reservePoints: 0, reserveSeconds: 10 });
    expect(limitShape({ perSecond: 0.3, burst: 2 })).toMatchObject({ windowSeconds: 4, pointsPerWindow: 1 });
    expect(limitShape({ perSecond: 2.5, burst: 10 })).toMatchObject({ windowSeconds: 1, pointsPerWindow: 2, reservePoints: 8, reserveSeconds: 4 });
  });

  it('has no reserve when the burst is no larger than one window, and refuses a rate of 0', () => {
    expect(limitShape({ perSecond: 10, burst: 5 })).toMatchObject({ pointsPerWindow: 10, reservePoints: 0 });
    expect(() => limitShape({ perSecond: 0, burst: 5 })).toThrow(RangeError);
  });
});

describe('in memory', () => {
  // rate-limiter-flexible reads Date.now() and expires its counters with setTimeout: fake both.
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('allows a burst, then perSecond per second, with Retry-After in whole seconds', async () => {
    const limiter = new MemoryRateLimiter({ perSecond: 2, burst: 3 });
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('other')).allowed).toBe(true);
    vi.advanceTimersByTime(500); // still the same 1-second window
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    vi.advanceTimersByTime(500); // a new window: perSecond more, the reserve is spent until 2 s
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(true);
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    vi.advanceTimersByTime(10_000); // full again, never more than the burst
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
    await limiter.close();
  });

  it('gives the reserve back every burst/perSecond seconds', async () => {
    const limiter = new MemoryRateLimiter({ perSecond: 1, burst: 3 }); // 1 per second, 2 more per 3 s
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
    vi.advanceTimersByTime(1000);
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
    vi.advanceTimersByTime(2000); // 3 s after the reserve was first drawn on
    for (let i = 0; i < 3; i++) expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(false);
  });

  it('says how long to wait when the refill is slow', async () => {
    const limiter = new MemoryRateLimiter({ perSecond: 0.1, burst: 1 });
    await limiter.take('k');
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    vi.advanceTimersByTime(4000);
    expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 6 });
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

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A redis-server of this test's own (started after the limiter), resolved once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.on('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) resolve(child);
    });
  });
}

describe('in Redis', () => {
  const limiters: RedisRateLimiter[] = [];
  const servers: ChildProcess[] = [];
  afterAll(async () => {
    for (const limiter of limiters) await limiter.close();
    for (const server of servers) server.kill('SIGKILL');
  });
  const ready = async (limiter: RedisRateLimiter) => {
    limiters.push(limiter);
    // Until the connection is up the insurance answers (counting in memory). Wait for Redis.
    await sleep(200);
    return limiter;
  };

  it.skipIf(!redisUp && !process.env.CI)('is shared by every limiter on the same Redis (one limit per key)', async () => {
    const prefix = `parley:test:${randomBytes(4).toString('hex')}`;
    const logs: string[] = [];
    // 1 per second, and a reserve of 3 per 4 s.
    const a = await ready(new RedisRateLimiter(redisUrl, { perSecond: 1, burst: 4 }, (m) => logs.push(m), prefix));
    const b = await ready(new RedisRateLimiter(redisUrl, { perSecond: 1, burst: 4 }, (m) => logs.push(m), prefix));
    const results = await Promise.all([a, b, a, b, a, b].map((limiter) => limiter.take('key:1')));
    expect(results.filter((r) => r.allowed)).toHaveLength(4);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds === 1)).toBe(true);
    expect((await a.take('key:2')).allowed).toBe(true);
    // The counters expire in Redis: a new 1-second window gives one more, the reserve is still spent.
    await sleep(1100);
    expect((await b.take('key:1')).allowed).toBe(true);
    expect((await a.take('key:1')).allowed).toBe(false);
    expect(logs).toEqual([]);
  });

  it('limits in memory (the insurance limiter) and logs once when Redis is unreachable', async () => {
    const logs: string[] = [];
    const limiter = await ready(new RedisRateLimiter('redis://127.0.0.1:1', { perSecond: 1, burst: 2 }, (m) => logs.push(m)));
    expect((await limiter.take('k')).allowed).toBe(true);
    expect((await limiter.take('k')).allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(await limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await limiter.take('other')).allowed).toBe(true);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^parley: rate limit: Redis unavailable \(.+\); limiting in this process's memory/);
  });

  it.skipIf(!hasRedisServer && !process.env.CI)('logs when Redis is back, and shares the limit again', async () => {
    const port = await freePort();
    const logs: string[] = [];
    const prefix = `parley:test:${randomBytes(4).toString('hex')}`;
    const url = `redis://127.0.0.1:${port}`;
    const a = await ready(new RedisRateLimiter(url, { perSecond: 1, burst: 1 }, (m) => logs.push(m), prefix));
    expect((await a.take('k')).allowed).toBe(true); // in memory
    expect(logs).toHaveLength(1);
    servers.push(await startRedis(port));
    const b = new RedisRateLimiter(url, { perSecond: 1, burst: 1 }, () => {}, prefix);
    limiters.push(b);
    // a reconnects on its own (retries every 200 ms, growing); its first answer from Redis logs "back".
    const deadline = Date.now() + 10_000;
    while (!logs.some((m) => /Redis is back/.test(m)) && Date.now() < deadline) {
      await sleep(1100); // a fresh window each round, so every take is allowed wherever it is counted
      await a.take('probe');
    }
    expect(logs).toHaveLength(2);
    expect(logs[1]).toBe('parley: rate limit: Redis is back; limits are shared again');
    await sleep(200); // b connected too
    const shared = await Promise.all([a.take('k2'), b.take('k2')]);
    expect(shared.filter((r) => r.allowed)).toHaveLength(1);
  });
});
