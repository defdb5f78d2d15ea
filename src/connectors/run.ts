// One run of a configured connector for one tenant, start to end: the vendor client, the pass, and how
// it ended recorded on the connector's `run` row (the `connectorStatus` query and /metrics read it).
// Used by `npm run sync` and by the gateway's schedule (./schedule.ts).
import type { Prisma } from '../db/client.js';
import { DatabaseUnavailableError, isDatabaseError, isRetryable } from '../db/faults.js';
import type { EventBus } from '../live/events.js';
import { GenesysApi } from './genesys/api.js';
import { syncGenesys } from './genesys/sync.js';
import { DEFAULT_RETRY, emptyStats, RateLimiter, VendorAuthError, VendorUnavailableError, type RetryPolicy, type SendOptions, type Sleep } from './http.js';
import { emptyCounts, type PassOptions, SyncInterrupted, type SyncCounts, type SyncSummary } from './pass.js';
import { SalesforceApi } from './salesforce/api.js';
import { syncSalesforce } from './salesforce/sync.js';
import type { ConnectorName, ConnectorSettings } from './settings.js';
import { recordRun } from './state.js';

/** How a run ended: `ok`; `auth` (credentials refused); `unavailable` (the vendor or the database); `interrupted` (asked to stop). */
export type RunResult = 'ok' | 'auth' | 'unavailable' | 'interrupted';

export interface RunOutcome {
  result: RunResult;
  summary: SyncSummary;
  /** What stopped the run (null when it finished). */
  error: string | null;
}

export interface RunOptions {
  prisma: Prisma;
  events: EventBus;
  tenantId: string;
  settings: ConnectorSettings;
  since?: Date | null;
  log: (line: string) => void;
  onPage?: (summary: SyncSummary) => void;
  /** Tests shorten the backoff. */
  retry?: RetryPolicy;
  sleep?: Sleep;
  now?: () => Date;
  /** Stops the run between two pages. */
  signal?: AbortSignal;
}

export async function runConnector(connector: ConnectorName, options: RunOptions): Promise<RunOutcome> {
  const requestsPerMinute = options.settings[connector]?.requestsPerMinute;
  if (requestsPerMinute === undefined) throw new Error(`connector ${connector} is not configured`);
  const startedAt = new Date();
  const stats = emptyStats();
  const counts = emptyCounts();
  const summary = (): SyncSummary => ({ ...counts, ...stats, ms: Date.now() - startedAt.getTime() });
  const send: SendOptions = {
    limiter: new RateLimiter(requestsPerMinute, options.sleep),
    retry: options.retry ?? DEFAULT_RETRY,
    stats,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    onRetry: (what: string) => options.log(what),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let result: RunResult = 'ok';
  let error: string | null = null;
  try {
    await pass(connector, options, send, counts, () => options.onPage?.(summary()));
  } catch (caught) {
    // A stop asked for (shutdown, Ctrl-C, a lost lock) ends whatever was in flight: that is why it failed.
    if (caught instanceof SyncInterrupted || options.signal?.aborted) result = 'interrupted';
    else if (caught instanceof VendorAuthError) result = 'auth';
    else if (caught instanceof VendorUnavailableError || caught instanceof DatabaseUnavailableError) result = 'unavailable';
    // A database that cannot take the run's writes (an outage, read-only after a failover, anything not
    // provably a value's fault) ends the pass like a vendor that cannot be reached: retry later.
    else if (isDatabaseError(caught) && isRetryable(caught)) result = 'unavailable';
    else throw caught;
    // What connectorStatus shows an admin: the vendor's answer as Parley worded it, never the database
    // driver's (its words name hosts, databases and files); that one goes to the log.
    const fromDatabase = caught instanceof DatabaseUnavailableError || isDatabaseError(caught);
    if (fromDatabase)
      options.log(
        `connector ${connector}: the database could not take the run's writes: ${caught instanceof Error ? caught.message.split('\n').at(-1) : String(caught)}`,
      );
    error =
      result === 'interrupted'
        ? 'stopped on request'
        : fromDatabase
          ? 'the database was unavailable; the run stopped with every watermark at its last stored page'
          : caught instanceof Error
            ? caught.message
            : String(caught);
  }
  const outcome = { result, summary: summary(), error };
  try {
    await recordRun(options.prisma, options.tenantId, connector, {
      startedAt,
      error,
      summary: { ...outcome.summary, result },
    });
  } catch (recordError) {
    // The database may be the reason the run stopped; the run's outcome is still reported to the caller.
    options.log(`could not record the run of ${connector}: ${recordError instanceof Error ? recordError.message : String(recordError)}`);
  }
  return outcome;
}

/** One pass of `connector` with its vendor client. */
async function pass(connector: ConnectorName, options: RunOptions, send: SendOptions, counts: SyncCounts, onPage: () => void): Promise<void> {
  const common: PassOptions = {
    prisma: options.prisma,
    events: options.events,
    tenantId: options.tenantId,
    overlapSeconds: options.settings.overlapSeconds,
    firstRunDays: options.settings.firstRunDays,
    since: options.since ?? null,
    ...(options.now ? { now: options.now } : {}),
    counts,
    log: options.log,
    ...(options.signal ? { signal: options.signal } : {}),
    onPage,
  };
  const { genesys, salesforce } = options.settings;
  if (connector === 'genesys' && genesys !== null) {
    await syncGenesys({ ...common, api: new GenesysApi(genesys, send), botFlowIds: genesys.botFlowIds, journeyContactIds: genesys.journeyContactIds });
  } else if (connector === 'salesforce' && salesforce !== null) {
    await syncSalesforce({ ...common, api: new SalesforceApi(salesforce, send), skipChannelTypes: salesforce.skipChannelTypes });
  } else throw new Error(`connector ${connector} is not configured`);
}
