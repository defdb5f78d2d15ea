// The gateway runs each configured connector every SYNC_INTERVAL_SECONDS. Every gateway process has the
// timer; a PostgreSQL advisory lock (per connector and tenant, held by a transaction for the run) lets
// one of them run at a time, and the others skip that tick. The lock goes with its connection, so a
// process that dies mid-run frees it. On PGlite one process owns the database (its data directory is
// locked), so no lock is needed.
import type { Database } from '../db/client.js';
import { createPeriodicTask, type PeriodicTask } from '../db/periodic.js';
import type { EventBus } from '../live/events.js';
import { runConnector, type RunOutcome, type RunResult } from './run.js';
import { CONNECTORS, isConfigured, type ConnectorName, type ConnectorSettings } from './settings.js';

export interface ConnectorSchedule extends PeriodicTask {
  /** Runs every configured connector once now (unless another process is running it); what each did. */
  tick(): Promise<Map<ConnectorName, RunOutcome | 'busy' | 'no tenant'>>;
}

export interface ScheduleOptions {
  database: Database;
  events: EventBus;
  settings: ConnectorSettings;
  log: (line: string) => void;
  logError: (error: unknown) => void;
  onRun?: (connector: ConnectorName, result: RunResult) => void;
}

/** A run holds its lock this long at most (a first run reads ten days of every bot flow). */
const RUN_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export function createConnectorSchedule(options: ScheduleOptions): ConnectorSchedule {
  const { prisma, kind } = options.database;
  const configured = CONNECTORS.filter((c) => isConfigured(c, options.settings));

  // Shutdown stops a run between two pages rather than waiting for it to read everything.
  const stopping = new AbortController();
  const runOne = async (connector: ConnectorName, tenantId: string): Promise<RunOutcome> => {
    const outcome = await runConnector(connector, {
      prisma,
      events: options.events,
      tenantId,
      settings: options.settings,
      log: (line) => options.log(`connector ${connector}: ${line}`),
      signal: stopping.signal,
    });
    options.onRun?.(connector, outcome.result);
    if (outcome.error !== null) options.log(`connector ${connector}: run stopped (${outcome.result}): ${outcome.error}`);
    return outcome;
  };

  // One tick at a time in this process (the first one runs at start, beside the timer's).
  let running: Promise<Map<ConnectorName, RunOutcome | 'busy' | 'no tenant'>> | null = null;
  const tick = async () => {
    if (running) return new Map(configured.map((c) => [c, 'busy' as const]));
    running = tickOnce();
    try {
      return await running;
    } finally {
      running = null;
    }
  };

  const tickOnce = async () => {
    const done = new Map<ConnectorName, RunOutcome | 'busy' | 'no tenant'>();
    const tenant = await prisma.tenant.findUnique({ where: { slug: options.settings.tenant }, select: { id: true } });
    for (const connector of configured) {
      if (!tenant) {
        options.log(`connector ${connector}: no tenant "${options.settings.tenant}" (SYNC_TENANT); create it with npm run keys`);
        done.set(connector, 'no tenant');
        continue;
      }
      if (kind === 'pglite') {
        done.set(connector, await runOne(connector, tenant.id));
        continue;
      }
      const outcome = await prisma.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<
            { locked: boolean }[]
          >`SELECT pg_try_advisory_xact_lock(hashtext(${`parley:connector:${connector}`}), hashtext(${tenant.id})) AS locked`;
          return row?.locked ? runOne(connector, tenant.id) : ('busy' as const);
        },
        { timeout: RUN_TIMEOUT_MS, maxWait: 10_000 },
      );
      done.set(connector, outcome);
    }
    return done;
  };

  const intervalMs = (options.settings.intervalSeconds ?? 0) * 1000;
  const periodic = createPeriodicTask(tick, Math.max(1000, intervalMs), options.logError);
  let first: Promise<unknown> = Promise.resolve();
  return {
    tick,
    start() {
      if (configured.length === 0 || options.settings.intervalSeconds === null) return;
      periodic.start();
      first = tick().catch(options.logError);
    },
    async stop() {
      stopping.abort();
      await periodic.stop();
      await first;
    },
  };
}
