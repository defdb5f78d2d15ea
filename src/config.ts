// Environment → typed, validated configuration. Every bad setting is reported at once, by name.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_TENANT_SHARES, DEFAULT_TIMEOUTS, PRODUCTION_RATE_LIMIT, type SecurityOptions } from './security/options.js';
import { DEFAULT_QUERY_LIMITS } from './security/limits.js';
import { loadPersistedOperations } from './security/persisted-store.js';

import type { DatabaseConfig } from './db/settings.js';
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from './live/settings.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import {
  DEFAULT_CONNECTOR_SETTINGS,
  GENESYS_REQUESTS_PER_MINUTE,
  genesysDomain,
  SALESFORCE_API_VERSION,
  SALESFORCE_REQUESTS_PER_MINUTE,
  type ConnectorSettings,
  type GenesysSettings,
  type SalesforceSettings,
} from './connectors/settings.js';

export type { DatabaseConfig } from './db/settings.js';

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  production: boolean;
  /** Load the demo data set at start-up (idempotent). */
  demo: boolean;
  /** Redis for live updates across gateway processes; null: in-process only. */
  redisUrl: string | null;
  /** Hardening: passed to createGateway as `security` (see README "Security"). */
  security: SecurityOptions;
  /** How long a message may wait for its session (a reporting turn that came first) before it is dropped. */
  pendingTtlSeconds: number;
  /** The token GET /metrics requires; null: open in development, off in production. */
  metricsToken: string | null;
  /** LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel: LogLevel;
  /** Subscription limits and the outbox's retention (README, "Live updates"). */
  live: LiveSettings;
  /** Vendor API connectors and their schedule (README, "Connectors"). */
  connectors: ConnectorSettings;
}

/**
 * How long a message may wait for its session by default: a week. Genesys keeps bot flow data about
 * 10 days; a session that has not come by then rarely will.
 */
export const DEFAULT_PENDING_TTL_SECONDS = 7 * 24 * 60 * 60;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(url: string | undefined, cwd: string): DatabaseConfig {
  if (url === undefined || url.trim() === '') return { kind: 'pglite', dataDir: path.resolve(cwd, 'data') };
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (url === 'pglite:memory' || url === 'memory://') return { kind: 'pglite', dataDir: null };
  const pgliteDir = /^pglite:(.+)$/.exec(url)?.[1];
  if (pgliteDir) return { kind: 'pglite', dataDir: path.resolve(cwd, pgliteDir) };
  throw new ConfigError([
    `DATABASE_URL must be a postgres:// or postgresql:// URL, pglite:<folder> or pglite:memory (got "${url.replace(/\/\/[^@/]*@/, '//***@')}")`,
  ]);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2), cwd = process.cwd()): Config {
  const problems: string[] = [];
  let port = 4000;
  if (env.PORT !== undefined && env.PORT !== '') {
    port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer from 0 to 65535 (got "${env.PORT}")`);
  }
  let database: DatabaseConfig = { kind: 'pglite', dataDir: null };
  try {
    database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  } catch (error) {
    if (error instanceof ConfigError) problems.push(...error.problems);
    else throw error;
  }
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl !== null && !/^rediss?:\/\//i.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  const unknownFlags = argv.filter((arg) => arg.startsWith('-') && arg !== '--demo');
  if (unknownFlags.length > 0) problems.push(`unknown option(s): ${unknownFlags.join(' ')} (known: --demo)`);
  const production = env.NODE_ENV === 'production';
  const security = parseSecurity(env, cwd, production, redisUrl, problems);
  const pendingTtlSeconds = parseNumber(env, 'PENDING_TTL_SECONDS', DEFAULT_PENDING_TTL_SECONDS, problems, {
    min: 1,
    integer: true,
    what: 'a whole number of seconds, at least 1',
  });
  const live = parseLive(env, problems);
  const connectors = parseConnectors(env, problems);
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL ?? ''}")`);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters (it guards /metrics)');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    database,
    production,
    demo: argv.includes('--demo'),
    redisUrl,
    security,
    pendingTtlSeconds,
    metricsToken,
    logLevel,
    live,
    connectors,
  };
}

/** `raw` as an http or https URL; null when it is neither. */
function httpUrl(raw: string): URL | null {
  const parsed = URL.parse(raw);
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed : null;
}

function parseConnectors(env: NodeJS.ProcessEnv, problems: string[]): ConnectorSettings {
  const whole = (name: string, fallback: number, what: string) => parseNumber(env, name, fallback, problems, { min: 1, integer: true, what });
  const interval = env.SYNC_INTERVAL_SECONDS?.trim() ? whole('SYNC_INTERVAL_SECONDS', 300, 'a whole number of seconds, at least 1') : null;
  const runtime = env.EINSTEIN_RUNTIME_URL?.trim() || null;
  const runtimeUrl = runtime === null ? null : httpUrl(runtime);
  if (runtime !== null && runtimeUrl === null) problems.push(`EINSTEIN_RUNTIME_URL must be an http(s) URL such as https://<runtime host>/ (got "${runtime}")`);
  const einsteinRuntimeUrl = runtimeUrl === null ? null : runtimeUrl.href.replace(/\/+$/, '');
  return {
    genesys: parseGenesys(env, problems, whole),
    salesforce: parseSalesforce(env, problems, whole),
    einsteinRuntimeUrl,
    intervalSeconds: interval,
    tenant: env.SYNC_TENANT?.trim() || DEFAULT_CONNECTOR_SETTINGS.tenant,
    overlapSeconds: whole('SYNC_OVERLAP_SECONDS', DEFAULT_CONNECTOR_SETTINGS.overlapSeconds, 'a whole number of seconds, at least 1'),
    firstRunDays: whole('SYNC_FIRST_RUN_DAYS', DEFAULT_CONNECTOR_SETTINGS.firstRunDays, 'a whole number of days, at least 1'),
  };
}

function parseGenesys(env: NodeJS.ProcessEnv, problems: string[], whole: (name: string, fallback: number, what: string) => number): GenesysSettings | null {
  const clientId = env.GENESYS_CLIENT_ID?.trim() ?? '';
  const clientSecret = env.GENESYS_CLIENT_SECRET?.trim() ?? '';
  if (clientId === '') {
    if (clientSecret !== '') problems.push('GENESYS_CLIENT_SECRET is set without GENESYS_CLIENT_ID');
    return null;
  }
  if (clientSecret === '') problems.push('GENESYS_CLIENT_ID is set without GENESYS_CLIENT_SECRET');
  const region = env.GENESYS_REGION?.trim() || 'us-east-1';
  const domain = genesysDomain(region);
  if (domain === null)
    problems.push(`GENESYS_REGION must be a Genesys Cloud region (us-east-1, eu-west-1, ...) or its domain (mypurecloud.ie) (got "${region}")`);
  const url = (name: string, fallback: string) => {
    const raw = env[name]?.trim() || fallback;
    const parsed = httpUrl(raw);
    if (parsed === null) problems.push(`${name} must be an http(s) URL such as ${fallback} (got "${raw}")`);
    return parsed?.origin ?? fallback;
  };
  const apiUrl = url('GENESYS_API_URL', `https://api.${domain ?? 'mypurecloud.com'}`);
  const loginUrl = url('GENESYS_LOGIN_URL', apiUrl.replace('//api.', '//login.'));
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
  const ids = list('GENESYS_BOT_FLOW_IDS');
  return {
    apiUrl,
    loginUrl,
    clientId,
    clientSecret,
    botFlowIds: ids.length > 0 ? ids : null,
    journeyContactIds: list('GENESYS_JOURNEY_CONTACT_IDS'),
    requestsPerMinute: whole('GENESYS_REQUESTS_PER_MINUTE', GENESYS_REQUESTS_PER_MINUTE, 'a whole number of requests, at least 1'),
  };
}

function parseSalesforce(
  env: NodeJS.ProcessEnv,
  problems: string[],
  whole: (name: string, fallback: number, what: string) => number,
): SalesforceSettings | null {
  const clientId = env.SALESFORCE_CLIENT_ID?.trim() ?? '';
  const clientSecret = env.SALESFORCE_CLIENT_SECRET?.trim() ?? '';
  if (clientId === '') {
    if (clientSecret !== '') problems.push('SALESFORCE_CLIENT_SECRET is set without SALESFORCE_CLIENT_ID');
    return null;
  }
  if (clientSecret === '') problems.push('SALESFORCE_CLIENT_ID is set without SALESFORCE_CLIENT_SECRET');
  const example = 'https://<my domain>.my.salesforce.com';
  const instance = env.SALESFORCE_INSTANCE_URL?.trim() ?? '';
  const instanceUrl = httpUrl(instance);
  // The client credentials flow is only served on the org's My Domain, so there is no default host.
  if (instanceUrl === null) problems.push(`SALESFORCE_INSTANCE_URL must be the org's My Domain URL such as ${example} (got "${instance}")`);
  const login = env.SALESFORCE_LOGIN_URL?.trim() || null;
  const loginUrl = login === null ? instanceUrl : httpUrl(login);
  if (login !== null && loginUrl === null) problems.push(`SALESFORCE_LOGIN_URL must be an http(s) URL such as ${example} (got "${login}")`);
  const apiVersion = env.SALESFORCE_API_VERSION?.trim() || SALESFORCE_API_VERSION;
  if (!/^\d{2,3}\.0$/.test(apiVersion))
    problems.push(`SALESFORCE_API_VERSION must be a REST API version such as ${SALESFORCE_API_VERSION} (got "${apiVersion}")`);
  const skip = (env.SALESFORCE_SKIP_CHANNEL_TYPES ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return {
    instanceUrl: instanceUrl?.origin ?? example,
    loginUrl: loginUrl?.origin ?? example,
    clientId,
    clientSecret,
    apiVersion,
    skipChannelTypes: skip,
    requestsPerMinute: whole('SALESFORCE_REQUESTS_PER_MINUTE', SALESFORCE_REQUESTS_PER_MINUTE, 'a whole number of requests, at least 1'),
  };
}

function parseLive(env: NodeJS.ProcessEnv, problems: string[]): LiveSettings {
  const whole = (name: string, fallback: number, what: string) => parseNumber(env, name, fallback, problems, { min: 1, integer: true, what });
  return {
    maxSubscriptions: whole('MAX_SUBSCRIPTIONS', DEFAULT_LIVE_SETTINGS.maxSubscriptions, 'a whole number of subscriptions, at least 1'),
    maxSubscriptionsPerKey: whole('MAX_SUBSCRIPTIONS_PER_KEY', DEFAULT_LIVE_SETTINGS.maxSubscriptionsPerKey, 'a whole number of subscriptions, at least 1'),
    maxSubscriptionsPerTenant: whole(
      'MAX_SUBSCRIPTIONS_PER_TENANT',
      DEFAULT_LIVE_SETTINGS.maxSubscriptionsPerTenant,
      'a whole number of subscriptions, at least 1',
    ),
    retentionSeconds: whole('LIVE_EVENTS_RETENTION_SECONDS', DEFAULT_LIVE_SETTINGS.retentionSeconds, 'a whole number of seconds, at least 1'),
    maxRetainedEvents: whole('LIVE_EVENTS_MAX', DEFAULT_LIVE_SETTINGS.maxRetainedEvents, 'a whole number of events, at least 1'),
  };
}

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, on: true, yes: true, false: false, '0': false, off: false, no: false };

function parseBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  const value = BOOLEANS[raw];
  if (value === undefined) problems.push(`${name} must be true or false (got "${env[name]}")`);
  return value ?? fallback;
}

function parseNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  check: { min: number; integer?: boolean; what: string },
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < check.min || (check.integer && !Number.isInteger(value))) {
    problems.push(`${name} must be ${check.what} (got "${env[name]}")`);
    return fallback;
  }
  return value;
}

/** CORS_ORIGINS: `*`, or a comma-separated list of origins (`https://app.example.com`, no path). */
function parseOrigins(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): string[] | '*' {
  const raw = env.CORS_ORIGINS?.trim();
  if (raw === undefined || raw === '') return production ? [] : '*';
  if (raw === '*') return '*';
  const origins: string[] = [];
  for (const item of raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)) {
    let origin: string | null = null;
    try {
      const url = new URL(item);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === item.replace(/\/$/, '')) origin = url.origin;
    } catch {
      // reported below
    }
    if (origin) origins.push(origin);
    else problems.push(`CORS_ORIGINS must be * or comma-separated origins such as https://app.example.com (got "${item}")`);
  }
  return origins;
}

function parseSecurity(env: NodeJS.ProcessEnv, cwd: string, production: boolean, redisUrl: string | null, problems: string[]): SecurityOptions {
  const perSecond = parseNumber(env, 'RATE_LIMIT_PER_SECOND', production ? PRODUCTION_RATE_LIMIT.perSecond : 0, problems, {
    min: 0,
    what: 'a number of requests per second, 0 for no limit',
  });
  const burst = parseNumber(env, 'RATE_LIMIT_BURST', production ? PRODUCTION_RATE_LIMIT.burst : Math.max(1, Math.ceil(perSecond * 3)), problems, {
    min: 1,
    integer: true,
    what: 'a whole number of requests, at least 1',
  });
  const failuresPerSecond = parseNumber(env, 'AUTH_FAILURES_PER_SECOND', DEFAULT_AUTH_FAILURE_LIMIT.perSecond, problems, {
    min: 0,
    what: 'a number of failed authentications per second and client address, 0 for no limit',
  });
  const failureBurst = parseNumber(env, 'AUTH_FAILURES_BURST', DEFAULT_AUTH_FAILURE_LIMIT.burst, problems, {
    min: 1,
    integer: true,
    what: 'a whole number of failed authentications, at least 1',
  });
  const trustProxyHops = parseNumber(env, 'TRUST_PROXY_HOPS', 0, problems, { min: 0, integer: true, what: 'a whole number of proxies, 0 for none' });
  const share = (name: string, fallback: number, what: string) => parseNumber(env, name, fallback, problems, { min: 1, integer: true, what });
  const shares = {
    queryCost: share('TENANT_QUERY_COST_IN_FLIGHT', DEFAULT_TENANT_SHARES.queryCost, 'a whole number of cost units, at least 1'),
    liveCost: share('TENANT_LIVE_COST', DEFAULT_TENANT_SHARES.liveCost, 'a whole number of cost units, at least 1'),
    liveExecutions: share('TENANT_LIVE_EXECUTIONS', DEFAULT_TENANT_SHARES.liveExecutions, 'a whole number of executions, at least 1'),
    metricsRecounts: share('TENANT_METRICS_RECOUNTS', DEFAULT_TENANT_SHARES.metricsRecounts, 'a whole number of recounts, at least 1'),
    ingestChunks: share('TENANT_INGEST_CHUNKS', DEFAULT_TENANT_SHARES.ingestChunks, 'a whole number of chunks, at least 1'),
    busyMsPerSecond: share('TENANT_BUSY_MS_PER_SECOND', DEFAULT_TENANT_SHARES.busyMsPerSecond, 'a whole number of milliseconds per second, at least 1'),
    queryBusyMsPerSecond: share(
      'TENANT_QUERY_BUSY_MS_PER_SECOND',
      DEFAULT_TENANT_SHARES.queryBusyMsPerSecond,
      'a whole number of milliseconds per second, at least 1',
    ),
  };
  const explicitPath = env.PERSISTED_OPERATIONS?.trim();
  const persistedPath = path.resolve(cwd, explicitPath || 'persisted-operations.json');
  let persistedOperations: SecurityOptions['persistedOperations'] = new Map();
  if (explicitPath || existsSync(persistedPath)) {
    try {
      persistedOperations = loadPersistedOperations(persistedPath);
    } catch (error) {
      problems.push(`PERSISTED_OPERATIONS: ${(error as Error).message}`);
    }
  }
  const headersTimeoutMs = parseNumber(env, 'HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersTimeoutMs, problems, {
    min: 1,
    integer: true,
    what: 'a whole number of milliseconds',
  });
  const requestTimeoutMs = parseNumber(env, 'REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUTS.requestTimeoutMs, problems, {
    min: 1,
    integer: true,
    what: 'a whole number of milliseconds',
  });
  if (headersTimeoutMs > requestTimeoutMs) problems.push(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  return {
    limits: DEFAULT_QUERY_LIMITS,
    corsOrigins: parseOrigins(env, production, problems),
    graphiql: parseBoolean(env, 'GRAPHIQL', !production, problems),
    introspection: parseBoolean(env, 'INTROSPECTION', !production, problems),
    persistedOperations,
    rateLimit: perSecond > 0 ? { perSecond, burst, redisUrl } : null,
    authFailureLimit: failuresPerSecond > 0 ? { perSecond: failuresPerSecond, burst: failureBurst, redisUrl } : null,
    trustProxyHops,
    shares,
    timeouts: { headersTimeoutMs, requestTimeoutMs },
  };
}
