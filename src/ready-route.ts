// GET /ready, for load balancers and orchestrators; no API key (they carry none), and nothing in the
// answer but states and reasons. (/health — the process is up and answering: 200, empty — is Yoga's own
// health check, which answers before any plugin.)
//   /ready   it can serve: the database answers and has every migration this build ships; Redis is
//            connected when REDIS_URL is set; not draining. Otherwise 503 with the reason and
//            Retry-After, so the balancer sends traffic elsewhere until it is.
import type { Plugin } from 'graphql-yoga';
import type { Prisma } from './db/client.js';
import { readMigrations } from './db/migrate.js';

export const READY_PATH = '/ready';

/** A check that takes longer than this counts as failed: a balancer's probe must not hang. */
const CHECK_TIMEOUT_MS = 2000;

export interface ReadinessOptions {
  prisma: Prisma;
  /** Null when this process is ready as far as live updates go; else why not (Redis not connected). */
  eventsProblem: () => string | null;
  /** Whether REDIS_URL is set (shown in the answer). */
  redis: boolean;
  draining: () => boolean;
  /** The migrations this build ships (default: the migrations directory's). */
  migrations?: () => Promise<string[]>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(`${JSON.stringify(body)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${String(CHECK_TIMEOUT_MS)} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Why the process cannot serve, or null. */
async function notReady(options: ReadinessOptions, shipped: Promise<string[]>): Promise<{ reason: string; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  if (options.draining()) return { reason: 'draining: the process is shutting down', checks: { draining: 'yes' } };
  try {
    const rows = await withTimeout(
      options.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      'the database',
    );
    checks.database = 'ok';
    const applied = new Set(rows.map((r) => r.migration_name));
    const missing = (await shipped).filter((name) => !applied.has(name));
    checks.migrations = missing.length === 0 ? `ok (${String(applied.size)})` : `missing ${missing.join(', ')}`;
  } catch (error) {
    // Anyone may ask: the kind of failure, not the driver's message (hosts, user names).
    const code = (error as { code?: unknown } | null)?.code;
    checks.database = `unreachable${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  const events = options.eventsProblem();
  checks.redis = options.redis ? (events ?? 'ok') : 'not configured';
  const failed = Object.entries(checks).find(([, state]) => !state.startsWith('ok') && state !== 'not configured');
  return { reason: failed ? `${failed[0]}: ${failed[1]}` : '', checks };
}

export function readinessPlugin(options: ReadinessOptions): Plugin {
  const shipped = (options.migrations ?? (async () => (await readMigrations()).map((m) => m.name)))();
  // A build whose migrations cannot be read is never ready; the rejection is reported by /ready.
  shipped.catch(() => {});
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== READY_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return endResponse(json(405, { error: 'GET only' }, { allow: 'GET, HEAD' }));
      const { reason, checks } = await notReady(options, shipped);
      if (reason !== '') return endResponse(json(503, { status: 'unavailable', reason, checks }, { 'retry-after': '5' }));
      endResponse(json(200, { status: 'ready', checks }));
    },
  };
}
