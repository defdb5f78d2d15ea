// Per-key rate limit, one point per request (GraphQL over HTTP, SSE, ingest routes; WebSocket connections
// and each operation on them), counted by the library rate-limiter-flexible. Keyed by the API key id; in
// development mode (no keys exist) by the client's socket address.
//
// The limit (see `limitShape`): rate-limiter-flexible counts in fixed windows, so the old token bucket
// ("`burst` at once, refilled at `perSecond`") becomes its BurstyRateLimiter, two counters per key:
//   - sustained: `perSecond` requests per 1-second window, started by a key's first request in it. A rate
//     below 1/s becomes 1 request per ceil(1/perSecond) seconds (0.5/s: 1 per 2 s); a fractional rate
//     above 1/s is rounded down to whole requests per second (2.5/s: 2 per second).
//   - reserve: once a sustained window is used up, a request may draw on `burst - perSecond` extra
//     requests per reserve window of ceil(burst / perSecond) seconds (the time the old bucket took to
//     refill from empty). A burst no larger than one sustained window gets no reserve.
// So after a quiet spell `burst` requests pass at once, then `perSecond` per second; the reserve comes
// back every ceil(burst / perSecond) seconds, used or not. Unlike the bucket, a key that never pauses can
// so reach perSecond + (burst - perSecond) / ceil(burst / perSecond) per second (production 20/60: about
// 33/s instead of 20/s), and, being fixed windows, up to twice a window's points can pass around a window
// boundary. A refused request is told to retry when its sustained window ends (whole seconds; the
// library answers the earlier of the two windows' ends, and a reserve window starts no earlier and lasts
// no shorter than the sustained one it follows).
//
// With REDIS_URL both counters live in Redis (RateLimiterRedis, the library's atomic Lua increment with
// Redis-side expiry), so every gateway process draws from the same ones. Each has the library's insurance
// limiter: if Redis cannot answer (down, not connected yet, or slower than 250 ms), the request is counted
// by the same limit in this process's memory instead (so with N processes a key may get up to N times the
// limit during an outage), and the outage is logged once, and again when Redis answers.
import { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Plugin } from 'graphql-yoga';
import { principalOf } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import type { RateLimitOptions } from './options.js';
import { clientAddress, socketAddress } from './client-address.js';
import { SecurityCode } from './errors.js';

import type { RateDecision, RateLimiter } from './limiter.js';

export type { RateDecision, RateLimiter } from './limiter.js';

/** The two rate-limiter-flexible counters that stand for `perSecond` and `burst` (see the top of this file). */
export interface LimitShape {
  /** Length of a sustained window, whole seconds (1 unless perSecond < 1). */
  windowSeconds: number;
  /** Requests per sustained window. */
  pointsPerWindow: number;
  /** Extra requests per reserve window once a sustained window is used up (0: no reserve). */
  reservePoints: number;
  /** Length of a reserve window, whole seconds. */
  reserveSeconds: number;
}

// Whole seconds throughout: RateLimiterRedis expires its keys in whole seconds (EX), and the memory
// counters (the limiter without Redis, the insurance with it) must count exactly like the Redis ones.
export function limitShape({ perSecond, burst }: Pick<RateLimitOptions, 'perSecond' | 'burst'>): LimitShape {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate limit: perSecond must be a positive number (got ${perSecond})`);
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError(`rate limit: burst must be at least 1 (got ${burst})`);
  const epsilon = 1e-9; // 1 / 0.1 and 0.1 * 10 must come out as 10 and 1
  const windowSeconds = perSecond >= 1 ? 1 : Math.ceil(1 / perSecond - epsilon);
  const pointsPerWindow = Math.max(1, Math.floor(perSecond * windowSeconds + epsilon));
  const reservePoints = Math.max(0, Math.floor(burst) - pointsPerWindow);
  const reserveSeconds = Math.max(windowSeconds, Math.ceil(burst / perSecond - epsilon));
  return { windowSeconds, pointsPerWindow, reservePoints, reserveSeconds };
}

type Consumer = Pick<BurstyRateLimiter, 'consume'>;

/** rate-limiter-flexible's answer (or refusal) as a decision; anything but a refusal is rethrown. */
async function decide(limiter: Consumer, key: string, options?: object): Promise<RateDecision> {
  try {
    await limiter.consume(key, 1, options as Parameters<Consumer['consume']>[2]);
    return { allowed: true, retryAfterSeconds: 0 };
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
  }
}

/** The sustained counter, and the reserve counter if the burst is larger than one window. */
function combine(shape: LimitShape, make: (name: 'sustained' | 'reserve', points: number, duration: number) => RateLimiterAbstract): Consumer {
  const sustained = make('sustained', shape.pointsPerWindow, shape.windowSeconds);
  return shape.reservePoints > 0 ? new BurstyRateLimiter(sustained, make('reserve', shape.reservePoints, shape.reserveSeconds)) : sustained;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly limiter: Consumer;

  constructor(options: Pick<RateLimitOptions, 'perSecond' | 'burst'>, prefix = 'parley:ratelimit') {
    // Counters expire on their own (one unref'd timer each), so idle keys are forgotten.
    this.limiter = combine(limitShape(options), (name, points, duration) => new RateLimiterMemory({ keyPrefix: `${prefix}:${name}`, points, duration }));
  }

  take(key: string): Promise<RateDecision> {
    return decide(this.limiter, key);
  }

  async close(): Promise<void> {}
}

/** Set by the insurance limiter on the options object of the consume call it answered. */
interface TakeNote {
  insured?: boolean;
}

/** RateLimiterMemory as insurance: the library hands it the same arguments, so it can mark the call. */
class InsuranceLimiter extends RateLimiterMemory {
  override consume(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    if (options) (options as TakeNote).insured = true;
    return super.consume(key, points, options);
  }
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly limiter: Consumer;
  private failing = false;

  constructor(
    url: string,
    options: Pick<RateLimitOptions, 'perSecond' | 'burst'>,
    private readonly log: (message: string) => void = (m) => console.error(m),
    private readonly prefix = 'parley:ratelimit',
  ) {
    // No offline queue and a short command timeout: while Redis is away a request is never held up.
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: 250,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 5000),
    });
    this.redis.on('error', (error: Error) => this.failed(error.message));
    this.limiter = combine(
      limitShape(options),
      (name, points, duration) =>
        new RateLimiterRedis({
          storeClient: this.redis,
          keyPrefix: `${this.prefix}:${name}`,
          points,
          duration,
          // Not connected (starting, or reconnecting after an outage): straight to the insurance.
          rejectIfRedisNotReady: true,
          insuranceLimiter: new InsuranceLimiter({ keyPrefix: `${this.prefix}:${name}`, points, duration }),
        }),
    );
  }

  private failed(reason: string): void {
    if (!this.failing) this.log(`parley: rate limit: Redis unavailable (${reason}); limiting in this process's memory until it is back`);
    this.failing = true;
  }

  async take(key: string): Promise<RateDecision> {
    const note: TakeNote = {};
    const decision = await decide(this.limiter, key, note);
    if (note.insured) {
      // A connection failure has logged itself through 'error' already; while the connection is still
      // up, a command failed or took longer than 250 ms. (Before the first connection, the insurance
      // answering is no outage.)
      if (this.redis.status === 'ready') this.failed('a command failed or took longer than 250 ms');
    } else if (this.failing) {
      this.log('parley: rate limit: Redis is back; limits are shared again');
      this.failing = false;
    }
    return decision;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimiter(options: RateLimitOptions, log?: (message: string) => void, prefix = 'parley:ratelimit'): RateLimiter {
  return options.redisUrl ? new RedisRateLimiter(options.redisUrl, options, log, prefix) : new MemoryRateLimiter(options, prefix);
}

/** The bucket a request draws from: its API key, or (development mode, no keys) its client address. */
export function rateLimitKey(principal: Principal, address: string): string {
  return principal.keyId ? `key:${principal.keyId}` : `addr:${address}`;
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

/** After the auth plugin: every authenticated HTTP request (GraphQL, SSE, ingest) takes a token. */
export function rateLimitPlugin(limiter: RateLimiter, graphqlEndpoint: string, trustProxyHops: number): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      const principal = principalOf(request);
      if (!principal) return; // the health check and the GraphiQL page
      const address = clientAddress(socketAddress(serverContext), request.headers.get('x-forwarded-for'), trustProxyHops);
      const decision = await limiter.take(rateLimitKey(principal, address));
      if (!decision.allowed) endResponse(rateLimitedResponse(url.pathname === graphqlEndpoint, decision.retryAfterSeconds));
    },
  };
}
