// The outbox (model LiveEvent): every change is recorded in the transaction that makes it, with an id
// in commit order, so nothing a subscriber should see depends on a process surviving until it has
// published. Redis (or the in-process bus) only says "there is something new"; the hub reads the
// outbox when what it was told does not follow what it has already delivered.
//
// Ids in commit order without gaps: the writing transaction takes its ids from the one LiveEventCounter
// row with an UPDATE, as its last statement. The row stays locked until that transaction commits, so the
// next writer's ids come after it and are visible only after it: a reader that sees id n has seen every
// id below n (a sequence would give ids in the order transactions asked, not the order they committed).
// The cost is that the ends of concurrent ingest transactions queue on that row, for the time a commit
// takes (BENCHMARKS.md, "Ingest").
import type { Prisma as PrismaClient } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { SESSION_EVENT_KINDS, type SessionEvent, type SessionEventKind, type StoredEvent } from './events.js';

type Tx = Prisma.TransactionClient;

interface EventRow {
  id: bigint;
  tenantId: string;
  kind: string;
  sessionId: string;
  messageId: string | null;
  at: Date;
}

const toStored = (row: EventRow): StoredEvent => ({
  id: row.id,
  tenantId: row.tenantId,
  kind: (SESSION_EVENT_KINDS as readonly string[]).includes(row.kind) ? (row.kind as SessionEventKind) : 'UPDATED',
  sessionId: row.sessionId,
  messageId: row.messageId,
  at: row.at,
});

/** Records `events` in the outbox within `tx` (call it last: it holds the counter's lock until commit). */
export async function appendEvents(tx: Tx, tenantId: string, events: readonly SessionEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const [counter] = await tx.$queryRaw<{ last: bigint }[]>`
    UPDATE "LiveEventCounter" SET "last" = "last" + ${events.length} WHERE "id" = 1 RETURNING "last"`;
  if (!counter) throw new Error('the LiveEventCounter row is missing (migration 20261130190000_live_outbox creates it)');
  const first = counter.last - BigInt(events.length) + 1n;
  const stored = events.map((event, i): StoredEvent => ({ ...event, id: first + BigInt(i), tenantId }));
  await tx.$executeRaw`
    INSERT INTO "LiveEvent" ("id", "tenantId", "kind", "sessionId", "messageId", "at")
    SELECT e."id", ${tenantId}::uuid, e."kind", e."sessionId", e."messageId", e."at"
    FROM unnest(${stored.map((e) => String(e.id))}::bigint[], ${stored.map((e) => e.kind)}::text[], ${stored.map((e) => e.sessionId)}::uuid[],
                ${stored.map((e) => e.messageId)}::uuid[], ${stored.map((e) => e.at.toISOString())}::timestamptz[]) AS e("id", "kind", "sessionId", "messageId", "at")`;
  return stored;
}

/** Events after `afterId`, oldest first; only `tenantId`'s when given. */
export async function readEvents(prisma: PrismaClient, afterId: bigint, limit: number, tenantId?: string): Promise<StoredEvent[]> {
  const rows = await prisma.liveEvent.findMany({
    where: { id: { gt: afterId }, ...(tenantId === undefined ? {} : { tenantId }) },
    orderBy: { id: 'asc' },
    take: limit,
  });
  return rows.map(toStored);
}

export interface OutboxState {
  /** The newest event id given out (0: none yet). */
  last: bigint;
  /** Every event up to this id may have been pruned: a client resuming from an older one has lost events. */
  prunedThrough: bigint;
}

export async function outboxState(prisma: PrismaClient): Promise<OutboxState> {
  const counter = await prisma.liveEventCounter.findUnique({ where: { id: 1 } });
  if (!counter) throw new Error('the LiveEventCounter row is missing (migration 20261130190000_live_outbox creates it)');
  return { last: counter.last, prunedThrough: counter.prunedThrough };
}

/**
 * Deletes what is past retention: events older than `retentionSeconds`, and all but the newest
 * `maxRetained`. Safe to run from every process at once (each deletes what is left to delete).
 * Returns how many events it deleted.
 */
export async function pruneOutbox(prisma: PrismaClient, options: { retentionSeconds: number; maxRetained: number; now?: Date }): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionSeconds * 1000);
  const { last } = await outboxState(prisma);
  const [oldest] = await prisma.$queryRaw<{ through: bigint | null }[]>`SELECT max("id") AS "through" FROM "LiveEvent" WHERE "at" < ${cutoff}`;
  const byCount = last - BigInt(options.maxRetained);
  const through = [oldest?.through ?? 0n, byCount].reduce((a, b) => (a > b ? a : b));
  if (through <= 0n) return 0;
  // The counter first: a client that resumes from a pruned id is told EVENTS_EXPIRED from the moment
  // its events may be gone, not after.
  await prisma.$executeRaw`UPDATE "LiveEventCounter" SET "prunedThrough" = GREATEST("prunedThrough", ${through}) WHERE "id" = 1`;
  return prisma.$executeRaw`DELETE FROM "LiveEvent" WHERE "id" <= ${through}`;
}
