// Per-key rate limit: a token bucket of `burst` tokens refilled at `perSecond`, one token per request
// (GraphQL over HTTP, SSE, ingest routes; WebSocket connections and each operation on them). Keyed by
// the API key id; in development mode (no keys exist) by the client's socket address. With REDIS_URL
// the buckets live in Redis and one Lua script takes a token atomically, so every gateway process
// draws from the same bucket; without it, in this process's memory. If Redis cannot answer (down,
// or slower than 250 ms), the request is served (fail open) and the outage is logged once.
import { Redis } from 'ioredis';
import type { Plugin } from 'graphql-yoga';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import type { RateLimitOptions } from './options.js';
import { SecurityCode } from './errors.js';

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until a token is back (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): Promise<RateDecision>;
  close(): Promise<void>;
}

function retryAfter(tokens: number, perSecond: number): number {
  return Math.max(1, Math.ceil((1 - tokens) / perSecond));
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: Pick<RateLimitOptions, 'perSecond' | 'burst'>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async take(key: string): Promise<RateDecision> {
    const { perSecond, burst } = this.options;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.prune(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return { allowed: false, retryAfterSeconds: retryAfter(bucket.tokens, perSecond) };
    bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Forgets buckets that have refilled completely (they are equal to a fresh one). */
  private prune(now: number): void {
    const fullAfterMs = (this.options.burst / this.options.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at > fullAfterMs) this.buckets.delete(key);
  }

  async close(): Promise<void> {}
}

// KEYS[1] the bucket; ARGV: burst, perSecond. Redis's own clock (TIME) so processes need not agree on
// theirs. Returns { allowed (0|1), tokens left (string: Lua numbers become integers in replies) }.
export const TAKE_TOKEN_LUA = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return { allowed, tostring(tokens) }
`;

type RedisWithTake = Redis & { parleyTakeToken(key: string, burst: number, perSecond: number): Promise<[number, string]> };

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: RedisWithTake;
  private failing = false;

  constructor(
    url: string,
    private readonly options: Pick<RateLimitOptions, 'perSecond' | 'burst'>,
    private readonly log: (message: string) => void = (m) => console.error(m),
    private readonly prefix = 'parley:rate:',
  ) {
    // No offline queue and a short command timeout: while Redis is away a request is never held up.
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: 250,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 5000),
    }) as RedisWithTake;
    this.redis.defineCommand('parleyTakeToken', { numberOfKeys: 1, lua: TAKE_TOKEN_LUA });
    this.redis.on('error', (error: Error) => this.failed(error));
  }

  private failed(error: Error): void {
    if (!this.failing) this.log(`parley: rate limit: Redis unavailable (${error.message}); serving requests without a limit until it is back`);
    this.failing = true;
  }

  async take(key: string): Promise<RateDecision> {
    const { perSecond, burst } = this.options;
    try {
      const [allowed, tokens] = await this.redis.parleyTakeToken(this.prefix + key, burst, perSecond);
      if (this.failing) this.log('parley: rate limit: Redis is back; limits apply again');
      this.failing = false;
      return allowed === 1 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: retryAfter(Number(tokens), perSecond) };
    } catch (error) {
      this.failed(error as Error);
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimiter(options: RateLimitOptions, log?: (message: string) => void): RateLimiter {
  return options.redisUrl ? new RedisRateLimiter(options.redisUrl, options, log) : new MemoryRateLimiter(options);
}

/** The bucket a request draws from: its API key, or (development mode, no keys) its client address. */
export function rateLimitKey(principal: Principal, address: string | undefined): string {
  return principal.keyId ? `key:${principal.keyId}` : `addr:${address ?? 'unknown'}`;
}

export function rateLimitedResponse(graphql: boolean, retryAfterSeconds: number): Response {
  const message = `too many requests for this API key; retry after ${retryAfterSeconds} s`;
  const body = graphql
    ? { errors: [{ message, extensions: { code: SecurityCode.RATE_LIMITED, retryAfterSeconds } }] }
    : { error: { code: SecurityCode.RATE_LIMITED, message, retryAfterSeconds } };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
  });
}

function socketAddress(serverContext: unknown): string | undefined {
  return (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
}

/** After the auth plugin: every authenticated HTTP request (GraphQL, SSE, ingest) takes a token. */
export function rateLimitPlugin(limiter: RateLimiter, graphqlEndpoint: string): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      const principal = principalOf(request);
      if (!principal) return; // the health check and the GraphiQL page
      const decision = await limiter.take(rateLimitKey(principal, socketAddress(serverContext)));
      if (!decision.allowed) endResponse(rateLimitedResponse(url.pathname === graphqlEndpoint, decision.retryAfterSeconds));
    },
  };
}
