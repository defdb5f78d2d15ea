// The gateway runs each configured connector every SYNC_INTERVAL_SECONDS (and once at start). Every
// gateway process has the timer; the connector's advisory lock (./lock.ts) lets one of them run at a
// time, and the others skip that tick. A process that dies mid-run frees the lock with its connection.
import type { Database } from '../db/client.js';
import { createPeriodicTask, type PeriodicTask } from '../db/periodic.js';
import type { EventBus } from '../live/events.js';
import { withConnectorLock } from './lock.js';
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

export function createConnectorSchedule(options: ScheduleOptions): ConnectorSchedule {
  const { prisma } = options.database;
  const configured = CONNECTORS.filter((c) => isConfigured(c, options.settings));

  // Shutdown stops a run between two pages rather than waiting for it to read everything.
  const stopping = new AbortController();
  const runOne = async (connector: ConnectorName, tenantId: string): Promise<RunOutcome | 'busy'> =>
    withConnectorLock(options.database, connector, tenantId, async (lost) => {
      const outcome = await runConnector(connector, {
        prisma,
        events: options.events,
        tenantId,
        settings: options.settings,
        log: (line) => options.log(`connector ${connector}: ${line}`),
        signal: AbortSignal.any([stopping.signal, lost]),
      });
      options.onRun?.(connector, outcome.result);
      if (outcome.error !== null) options.log(`connector ${connector}: run stopped (${outcome.result}): ${outcome.error}`);
      return outcome;
    });

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
      const outcome = await runOne(connector, tenant.id);
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
