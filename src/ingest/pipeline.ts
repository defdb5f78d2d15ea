// Items in, report out: each item is validated, normalised into a write operation, and written in
// chunks (one transaction per chunk). A bad item is rejected with its path and reason; the good items
// around it are stored; no item is ever half-written. Events go out after each commit.
import type { Prisma } from '../db/client.js';
import type { EventBus } from '../live/events.js';
import type { IncomingItem, IngestReport, Rejection, ValidationResult } from './types.js';
import { MAX_ITEM_BYTES } from './types.js';
import { writeChunk, type WriteOp, type WriteResult } from './writer.js';

/** How one kind of document becomes a write: validate it, then turn it into an operation. */
export interface IngestHandler<Native = unknown> {
  validate(value: unknown): ValidationResult<Native>;
  toOp(value: Native, receivedAt: Date): WriteOp;
}

export interface PipelineDeps {
  prisma: Prisma;
  events: EventBus;
  /** The tenant every item is written into (the caller's, from its API key). */
  tenantId: string;
  logError?: (error: unknown) => void;
}

export interface IngestOptions {
  /** Items per transaction. */
  chunkSize?: number;
  /** Called after each chunk commits (the import CLI shows progress and saves its checkpoint here). */
  onChunk?: (progress: { items: number; lastIndex: number; report: IngestReport }) => void | Promise<void>;
  receivedAt?: Date;
}

/** The reply lists at most this many rejections; `rejectedCount` always has the number of items rejected. */
export const MAX_LISTED_REJECTIONS = 1000;

export function emptyReport(): IngestReport & { rejectedCount: number } {
  return { accepted: 0, created: 0, updated: 0, unchanged: 0, rejected: [], rejectedCount: 0 };
}

function reject(report: IngestReport & { rejectedCount: number }, index: number, errors: Omit<Rejection, 'index'>[]): void {
  report.rejectedCount += 1;
  for (const error of errors) {
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push({ index, ...error });
  }
}

function count(report: IngestReport, result: WriteResult): void {
  report.accepted += 1;
  report[result] += 1;
}

export async function ingestItems<Native>(
  deps: PipelineDeps,
  handler: IngestHandler<Native>,
  items: AsyncIterable<IncomingItem> | Iterable<IncomingItem>,
  options: IngestOptions = {},
): Promise<IngestReport & { rejectedCount: number }> {
  const chunkSize = options.chunkSize ?? 500;
  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const report = emptyReport();
  let batch: { index: number; op: WriteOp }[] = [];
  let seen = 0;
  let sinceFlush = 0;
  let lastIndex = -1;

  // Runs every `chunkSize` items read, even when they were all rejected, so progress and the import
  // checkpoint move on through a long stretch of bad items too.
  const flush = async () => {
    if (sinceFlush === 0) return;
    sinceFlush = 0;
    const pending = batch;
    batch = [];
    if (pending.length > 0) await write(pending);
    await options.onChunk?.({ items: seen, lastIndex, report });
  };

  const write = async (pending: { index: number; op: WriteOp }[]) => {
    try {
      const outcome = await writeChunk(deps.prisma, deps.tenantId, pending.map((p) => p.op));
      outcome.results.forEach((result) => count(report, result));
      deps.events.publish(outcome.events);
    } catch (chunkError) {
      // One item the database refused must not cost the others: write them one by one.
      logError(chunkError);
      for (const { index, op } of pending) {
        try {
          const outcome = await writeChunk(deps.prisma, deps.tenantId, [op]);
          count(report, outcome.results[0]!);
          deps.events.publish(outcome.events);
        } catch (itemError) {
          logError(itemError);
          reject(report, index, [{ path: '$', message: 'could not be stored; nothing of it was written' }]);
        }
      }
    }
  };

  const take = (item: IncomingItem): void => {
    if ('rejection' in item) return reject(report, item.index, [item.rejection]);
    if (item.bytes > MAX_ITEM_BYTES) {
      return reject(report, item.index, [{ path: '$', message: `is ${item.bytes} bytes; an item may be at most ${MAX_ITEM_BYTES} bytes (10 MB)` }]);
    }
    const validated = handler.validate(item.value);
    if (!validated.ok) return reject(report, item.index, validated.errors);
    try {
      batch.push({ index: item.index, op: handler.toOp(validated.value, options.receivedAt ?? new Date()) });
    } catch (error) {
      reject(report, item.index, [{ path: '$', message: error instanceof Error ? error.message : 'could not be read' }]);
    }
  };

  for await (const item of items) {
    seen += 1;
    sinceFlush += 1;
    lastIndex = item.index;
    take(item);
    if (sinceFlush >= chunkSize) await flush();
  }
  await flush();
  return report;
}
