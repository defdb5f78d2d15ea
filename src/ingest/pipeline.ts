// Items in, report out: each item is cleaned of explicit nulls, validated, normalised into a write
// operation, and written in chunks (one transaction per chunk). A bad item is rejected with its path and
// reason; the good items around it are stored; no item is ever half-written. Events go out after each
// commit. Only a value the database refused is a rejection; an outage, or any failure that is not
// provably the item's, raises DatabaseUnavailableError, and nothing of the chunk in flight is reported
// as stored (../db/faults.ts).
import { hash } from 'node:crypto';
import type { Prisma } from '../db/client.js';
import { classifyDatabaseError, type DatabaseUnavailableError, refusedValue, unavailable } from '../db/faults.js';
import type { EventBus } from '../live/events.js';
import { withoutNulls } from '../vendors/validation.js';
import type { IncomingItem, IngestContext, IngestReport, Rejection } from './types.js';
import { ItemRejection, MAX_ITEM_BYTES } from './types.js';
import type { IngestHandler, OpOutcome, WriteOp } from './ops.js';
import { writeChunk } from './writer.js';
import { TenantBusyError, type TenantWork } from '../security/tenant-work.js';

export interface PipelineDeps {
  prisma: Prisma;
  events: EventBus;
  /** The tenant every item is written into (the caller's, from its API key). */
  tenantId: string;
  logError?: (error: unknown) => void;
  /** Counts what each item became (metrics). */
  onItems?: (counts: ItemCounts) => void;
  /**
   * The tenant's share of chunks being written at once on this process (the gateway's; the CLIs write
   * alone). Past its queue: TenantBusyError, thrown as it is (retry later, nothing of the chunk stored).
   */
  chunks?: TenantWork;
}

/** What a batch's items became, for metrics. */
export interface ItemCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  pending: number;
}

export interface IngestOptions {
  /** Items per transaction. */
  chunkSize?: number;
  /** Called after each chunk commits (the import CLI shows progress and saves its checkpoint here). */
  onChunk?: (progress: { items: number; lastIndex: number; report: FullReport }) => void | Promise<void>;
  receivedAt?: Date;
  context?: IngestContext;
}

/** The reply lists at most this many rejections (and warnings); the counts are always complete. */
export const MAX_LISTED_REJECTIONS = 1000;

export type FullReport = IngestReport & { rejectedCount: number; warningCount: number };

export function emptyReport(): FullReport {
  return { accepted: 0, created: 0, updated: 0, unchanged: 0, pending: 0, rejected: [], rejectedCount: 0, warnings: [], warningCount: 0 };
}

export const EMPTY_CONTEXT: IngestContext = { params: new Map() };

function documentHash(document: unknown, context: IngestContext): string {
  const params = context.params.size > 0 ? JSON.stringify([...context.params].sort()) : '';
  return hash('sha256', JSON.stringify(document) + params, 'base64url');
}

function reject(report: FullReport, index: number, errors: Omit<Rejection, 'index'>[]): void {
  report.rejectedCount += 1;
  for (const error of errors) {
    if (report.rejected.length < MAX_LISTED_REJECTIONS) report.rejected.push({ index, ...error });
  }
}

function warn(report: FullReport, index: number, warnings: readonly Omit<Rejection, 'index'>[]): void {
  if (warnings.length === 0) return;
  report.warningCount += 1;
  for (const warning of warnings) {
    if (report.warnings.length < MAX_LISTED_REJECTIONS) report.warnings.push({ index, ...warning });
  }
}

interface Accepted {
  index: number;
  op: WriteOp;
  warnings: readonly Omit<Rejection, 'index'>[];
}

function count(report: FullReport, item: Accepted, outcome: OpOutcome): void {
  if ('rejected' in outcome) {
    reject(report, item.index, [outcome.rejected]);
    return;
  }
  report.accepted += 1;
  report[outcome.result] += 1;
  if (outcome.pending) report.pending += 1;
  warn(report, item.index, item.warnings);
}

export async function ingestItems<Native>(
  deps: PipelineDeps,
  handler: IngestHandler<Native>,
  items: AsyncIterable<IncomingItem> | Iterable<IncomingItem>,
  options: IngestOptions = {},
): Promise<FullReport> {
  const chunkSize = options.chunkSize ?? 500;
  const context = options.context ?? EMPTY_CONTEXT;
  const logError = deps.logError ?? ((error: unknown) => console.error(error));
  const report = emptyReport();
  let batch: Accepted[] = [];
  let seen = 0;
  let sinceFlush = 0;
  let lastIndex = -1;

  const tally = (before: FullReport) => {
    deps.onItems?.({
      created: report.created - before.created,
      updated: report.updated - before.updated,
      unchanged: report.unchanged - before.unchanged,
      rejected: report.rejectedCount - before.rejectedCount,
      pending: report.pending - before.pending,
    });
  };

  // Runs every `chunkSize` items read, even when they were all rejected, so progress and the import
  // checkpoint move on through a long stretch of bad items too. Only after a commit: a chunk the
  // database did not take throws, and the caller's checkpoint stays before it.
  const flush = async () => {
    if (sinceFlush === 0) return;
    sinceFlush = 0;
    const accepted = batch;
    batch = [];
    const before = { ...report };
    if (accepted.length > 0) await write(accepted);
    tally(before);
    await options.onChunk?.({ items: seen, lastIndex, report });
  };

  // An error nobody foresaw is answered as an outage (retry), and logged: operators should see it.
  const unavailableNow = (error: unknown): DatabaseUnavailableError => {
    const outage = unavailable(error, 'the database could not take the write');
    if (classifyDatabaseError(outage.cause) === 'unknown') logError(outage.cause);
    return outage;
  };

  // In the tenant's turn, when the gateway shares chunks between tenants.
  const writeInTurn = (ops: WriteOp[]) =>
    deps.chunks ? deps.chunks.run(deps.tenantId, 1, () => writeChunk(deps.prisma, deps.tenantId, ops)) : writeChunk(deps.prisma, deps.tenantId, ops);

  const write = async (accepted: Accepted[]) => {
    try {
      const outcome = await writeInTurn(accepted.map((a) => a.op));
      outcome.outcomes.forEach((o, i) => {
        count(report, accepted[i]!, o);
      });
      deps.events.publish(outcome.events);
    } catch (chunkError) {
      if (chunkError instanceof TenantBusyError) throw chunkError;
      // An outage: nothing to find out item by item, the whole request is to be sent again.
      if (classifyDatabaseError(chunkError) === 'unavailable') throw unavailableNow(chunkError);
      // A value the database refused, or an error nobody foresaw: write the items one by one, so the item
      // the database cannot take does not cost the others.
      const unexplained: { item: Accepted; error: unknown }[] = [];
      let taken = 0;
      for (const item of accepted) {
        try {
          const outcome = await writeInTurn([item.op]);
          count(report, item, outcome.outcomes[0]!);
          deps.events.publish(outcome.events);
          taken += 1;
        } catch (itemError) {
          if (itemError instanceof TenantBusyError) throw itemError;
          const kind = classifyDatabaseError(itemError);
          if (kind === 'unavailable') throw unavailableNow(itemError);
          if (kind === 'rejection') reject(report, item.index, [{ path: '$', message: refusedValue(itemError) }]);
          else unexplained.push({ item, error: itemError });
        }
      }
      if (unexplained.length === 0) return;
      // An error nobody foresaw is provably an item's own only when the database took the items around
      // it; when it took none, it may be the database's: the request is to be sent again.
      if (taken === 0) throw unavailableNow(unexplained[0]!.error);
      for (const { item, error } of unexplained) {
        logError(error);
        reject(report, item.index, [
          {
            path: '$',
            message: 'could not be stored: the database refused it while it took the items around it (logged for the operators); nothing of it was written',
          },
        ]);
      }
    }
  };

  const take = (item: IncomingItem): void => {
    if ('rejection' in item) {
      reject(report, item.index, [item.rejection]);
      return;
    }
    if (item.bytes > MAX_ITEM_BYTES) {
      reject(report, item.index, [{ path: '$', message: `is ${item.bytes} bytes; an item may be at most ${MAX_ITEM_BYTES} bytes (10 MB)` }]);
      return;
    }
    // What SDK exports and flow dumps write as `"field": null` means "absent" in every vendor's model.
    const validated = handler.validate(withoutNulls(item.value));
    if (!validated.ok) {
      reject(report, item.index, validated.errors);
      return;
    }
    try {
      const op = handler.toOp(validated.value, options.receivedAt ?? new Date(), context);
      // The document's members are in canonical order (withoutNulls): its JSON identifies a replay,
      // whichever route it came by. The batch's own parameters (an Einstein botId) are part of it.
      if (op.type === 'snapshot') op.documentHash = documentHash(validated.value, context);
      batch.push({ index: item.index, op, warnings: validated.warnings ?? [] });
    } catch (error) {
      if (error instanceof ItemRejection) reject(report, item.index, [{ path: error.path, message: error.message }]);
      else {
        // Normalising is pure: what fails on this item fails on every try, so it is the item's rejection —
        // told without the internal message, which is logged for operators.
        logError(error);
        reject(report, item.index, [{ path: '$', message: "could not be read as this route's document; the error was logged" }]);
      }
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
