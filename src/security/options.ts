// What the hardening does and with which numbers. src/config.ts fills this from the environment;
// createGateway takes it (every field optional: missing ones get `securityDefaults(production)`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPersistedOperations, type PersistedOperations } from './persisted-store.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';

// How rate-limiter-flexible turns these into per-key counters (whole-second windows, a reserve for the
// burst, an in-memory insurance limiter while Redis is away): see `limitShape` in rate-limit.ts.
export interface RateLimitOptions {
  /** The sustained request rate per key (requests per second). */
  perSecond: number;
  /** How many requests may arrive at once after a quiet spell. */
  burst: number;
  /** Share the counters between processes through this Redis (RateLimiterRedis); null: in memory. */
  redisUrl: string | null;
}

export interface ServerTimeouts {
  /** Node's `headersTimeout`: the request line and headers must arrive within this. */
  headersTimeoutMs: number;
  /** Node's `requestTimeout`: the whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
}

export interface SecurityOptions {
  limits: QueryLimits;
  /** Origins a browser page may call from; `'*'` any; `[]` none (no CORS headers at all). */
  corsOrigins: string[] | '*';
  graphiql: boolean;
  introspection: boolean;
  /** Allowed operations by SHA-256 hash (hex) of their text. */
  persistedOperations: PersistedOperations;
  /** null: no rate limit. */
  rateLimit: RateLimitOptions | null;
  /** Failed authentications per client address (random keys must not each cost a lookup); null: not limited. */
  authFailureLimit: RateLimitOptions | null;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entry names the client (./client-address.ts); 0: the socket's peer. */
  trustProxyHops: number;
  /** What one tenant may have in flight on one process (./tenant-work.ts). */
  shares: TenantShares;
  timeouts: ServerTimeouts;
}

/**
 * A tenant's share of one gateway process: the work it may have in flight at once. Work past a share
 * waits in the tenant's own queue (README, "Fair shares").
 */
export interface TenantShares {
  /** Estimated cost (rows, as the cost limit counts) of the tenant's queries and mutations executing at once. */
  queryCost: number;
  /** Per-event cost of the tenant's live subscriptions, each distinct one counted once (equal ones share an execution). */
  liveCost: number;
  /** Live executions (a subscription's selection for one event) of the tenant running at once. */
  liveExecutions: number;
  /** botMetricsUpdated recounts of the tenant running at once. */
  metricsRecounts: number;
  /** Ingest chunks (one transaction each) of the tenant being written at once. */
  ingestChunks: number;
  /** Busy time per second the tenant's live executions and its recounts may each take (milliseconds): push work, multiplied by events. */
  busyMsPerSecond: number;
  /** Busy time per second the tenant's queries and mutations may take (milliseconds). */
  queryBusyMsPerSecond: number;
}

/** Two operations at the cost limit, or any number of cheaper ones adding up to it; the rest see README. */
export const DEFAULT_TENANT_SHARES: TenantShares = {
  queryCost: 50_000,
  liveCost: 25_000,
  liveExecutions: 2,
  metricsRecounts: 1,
  ingestChunks: 2,
  busyMsPerSecond: 300,
  queryBusyMsPerSecond: 600,
};

/** Failed authentications an address may have: 20 at once, then 2 a second; then 429 without a lookup. */
export const DEFAULT_AUTH_FAILURE_LIMIT = { perSecond: 2, burst: 20 } as const;
/** Production: 20 requests/s sustained per key, bursts of 60. Development: no limit. */
export const PRODUCTION_RATE_LIMIT = { perSecond: 20, burst: 60 } as const;
/**
 * 10 s for the headers (a browser or SDK sends them in one packet); 120 s for the whole request, so an
 * NDJSON bulk upload of ~1 GB still fits on a 100 Mbit/s link while a trickled body is cut off.
 */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 120_000 };

/** `persisted-operations.json` in the repository root (made by `npx tsx scripts/persisted-operations.ts`). */
export const DEFAULT_PERSISTED_OPERATIONS_PATH = fileURLToPath(new URL('../../persisted-operations.json', import.meta.url));

export function securityDefaults(production: boolean): SecurityOptions {
  return {
    limits: DEFAULT_QUERY_LIMITS,
    corsOrigins: production ? [] : '*',
    graphiql: !production,
    introspection: !production,
    persistedOperations: existsSync(DEFAULT_PERSISTED_OPERATIONS_PATH) ? loadPersistedOperations(DEFAULT_PERSISTED_OPERATIONS_PATH) : new Map(),
    rateLimit: production ? { ...PRODUCTION_RATE_LIMIT, redisUrl: null } : null,
    authFailureLimit: { ...DEFAULT_AUTH_FAILURE_LIMIT, redisUrl: null },
    trustProxyHops: 0,
    shares: DEFAULT_TENANT_SHARES,
    timeouts: DEFAULT_TIMEOUTS,
  };
}

/** Settings as a caller gives them: any may be left out, and any single share too. */
export type SecuritySettings = Partial<Omit<SecurityOptions, 'shares'>> & { shares?: Partial<TenantShares> };

export function resolveSecurity(production: boolean, given: SecuritySettings = {}): SecurityOptions {
  const defaults = securityDefaults(production);
  const defined = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as Partial<SecurityOptions>;
  return { ...defaults, ...defined, limits: { ...defaults.limits, ...defined.limits }, shares: { ...defaults.shares, ...defined.shares } };
}
