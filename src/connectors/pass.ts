// What every connector's pass shares: its counts and summary, how it stops on request, the database's
// clock, and how one page of vendor items goes through the ingest pipeline (validated, idempotent, the
// same as the ingest routes) and is counted, each skipped item logged with its path.
import type { Prisma } from '../db/client.js';
import { jsonBytes } from '../ingest/body.js';
import { ingestHandlers } from '../ingest/handlers.js';
import { ingestItems } from '../ingest/pipeline.js';
import type { IncomingItem, IngestRoute } from '../ingest/types.js';
import type { EventBus } from '../live/events.js';
import { errorFields } from '../log.js';
import type { RequestStats } from './http.js';

export interface SyncCounts {
  /** Genesys bot flows read (0 for other connectors). */
  flows: number;
  pages: number;
  /** Pages that could not be read: their stream stopped there for this run (its watermark stays). */
  badPages: number;
  created: number;
  updated: number;
  unchanged: number;
  pending: number;
  rejected: number;
}

export interface SyncSummary extends SyncCounts, RequestStats {
  ms: number;
}

export const emptyCounts = (): SyncCounts => ({ flows: 0, pages: 0, badPages: 0, created: 0, updated: 0, unchanged: 0, pending: 0, rejected: 0 });

/** The run was asked to stop (its signal) and did, between two pages. */
export class SyncInterrupted extends Error {
  override name = 'SyncInterrupted';
}

/**
 * The database's clock, not this process's: a watermark written by a process whose clock runs ahead
 * would make every other process skip what the vendor published in between.
 */
export async function databaseNow(prisma: Prisma): Promise<Date> {
  const [row] = await prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS "now"`;
  return row?.now ?? new Date();
}

export interface PageSink {
  prisma: Prisma;
  events: EventBus;
  tenantId: string;
  counts: SyncCounts;
  log: (line: string) => void;
}

/** What every connector's pass is run with, besides its vendor client and settings. */
export interface PassOptions extends PageSink {
  /** Each run re-reads this much before a stream's watermark. */
  overlapSeconds: number;
  /** How far back a stream without a watermark is read. */
  firstRunDays: number;
  /** Read from here instead of the watermarks (the CLI's --since). */
  since?: Date | null;
  /** The pass's "now" (tests); the database's clock otherwise. */
  now?: () => Date;
  /** After each committed page (the CLI's progress bar). */
  onPage?: () => void;
  /** Stops the run before its next page (shutdown, Ctrl-C); what was committed stays, watermarks included. */
  signal?: AbortSignal;
}

/** Writes one page's items through the ingest route's pipeline and adds them to the counts. */
export async function storePage(sink: PageSink, route: IngestRoute, url: string, items: readonly unknown[]): Promise<void> {
  const deps = {
    prisma: sink.prisma,
    events: sink.events,
    tenantId: sink.tenantId,
    // The error's kind and first line, not its stack or the lines after (Prisma quotes the failed call's data there).
    logError: (error: unknown) => {
      const fields = errorFields(error).err;
      sink.log(`unexpected error storing a page: ${fields.type}${fields.code ? ` ${fields.code}` : ''}: ${fields.message}`);
    },
  };
  const report = await ingestItems(deps, ingestHandlers[route], incoming(items));
  const counts = sink.counts;
  counts.pages += 1;
  counts.created += report.created;
  counts.updated += report.updated;
  counts.unchanged += report.unchanged;
  counts.pending += report.pending;
  counts.rejected += report.rejectedCount;
  for (const r of report.rejected) sink.log(`skipped item ${String(r.index)} of ${url}: ${r.path} ${r.message}`);
}

function incoming(items: readonly unknown[]): IncomingItem[] {
  return items.map((value, index) => ({ index, value, bytes: jsonBytes(value) }));
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReadWindow {
  /** Where this run reads a stream from. */
  start: Date;
  /** Whether what it reads may move the stream's watermark. */
  advances: boolean;
}

/**
 * Where a stream is read from: `since` when given (the CLI's backfill), else the watermark less the
 * overlap (what the vendor publishes late is read again; replays are `unchanged`), else `firstRunDays`
 * back. A backfill that starts after the watermark would leave a gap before it: it does not move it.
 */
export function readWindow(watermark: Date | null, since: Date | null, now: Date, settings: { overlapSeconds: number; firstRunDays: number }): ReadWindow {
  const start =
    since ?? (watermark ? new Date(watermark.getTime() - settings.overlapSeconds * 1000) : new Date(now.getTime() - settings.firstRunDays * DAY_MS));
  return { start, advances: since === null || watermark === null || since.getTime() <= watermark.getTime() };
}
