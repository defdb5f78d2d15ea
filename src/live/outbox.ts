// The outbox (model LiveEvent): every change is recorded in the transaction that makes it, with an id
// in commit order, so nothing a subscriber should see depends on a process surviving until it has
// published. Redis (or the in-process bus) only says "there is something new"; the hub reads the
// outbox when what it was told does not follow what it has already delivered.
//
// Two numbers per event, both in commit order without gaps. `id` counts every tenant's events: the live
// hubs follow it, and it is never shown. `seq` counts the event's tenant's alone: it is the event id
// clients receive and resume from, so a tenant learns nothing of the volume or timing of another's.
// Each is taken with an UPDATE of a counter row (the tenant's TenantEventCounter, then the one
// LiveEventCounter: always in that order, so writers never deadlock), as the writing transaction's
// last statements. The rows stay locked until that transaction commits, so the next writer's numbers
// come after it and are visible only after it: a reader that sees number n has seen every one below n
// (a sequence would give numbers in the order transactions asked, not the order they committed). The
// cost is that the ends of concurrent ingest transactions queue on those rows, for the time a commit
// takes (BENCHMARKS.md, "Ingest").
import type { Prisma as PrismaClient } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { SESSION_EVENT_KINDS, type SessionEvent, type SessionEventKind, type StoredEvent } from './events.js';

type Tx = Prisma.TransactionClient;

interface EventRow {
  id: bigint;
  tenantId: string;
  seq: bigint;
  kind: string;
  sessionId: string;
  messageId: string | null;
  at: Date;
}

const toStored = (row: EventRow): StoredEvent => ({
  id: row.id,
  tenantId: row.tenantId,
  seq: row.seq,
  kind: (SESSION_EVENT_KINDS as readonly string[]).includes(row.kind) ? (row.kind as SessionEventKind) : 'UPDATED',
  sessionId: row.sessionId,
  messageId: row.messageId,
  at: row.at,
});

/** Records `events` in the outbox within `tx` (call it last: it holds the counters' locks until commit). */
export async function appendEvents(tx: Tx, tenantId: string, events: readonly SessionEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const n = events.length;
  // The tenant's counter first, then the global one: every writer takes them in this order.
  const [tenant] = await tx.$queryRaw<{ last: bigint }[]>`
    INSERT INTO "TenantEventCounter" ("tenantId", "last") VALUES (${tenantId}::uuid, ${n})
    ON CONFLICT ("tenantId") DO UPDATE SET "last" = "TenantEventCounter"."last" + ${n} RETURNING "last"`;
  const [counter] = await tx.$queryRaw<{ last: bigint }[]>`
    UPDATE "LiveEventCounter" SET "last" = "last" + ${n} WHERE "id" = 1 RETURNING "last"`;
  if (!counter || !tenant) throw new Error('the LiveEventCounter row is missing (migration 20261130190000_live_outbox creates it)');
  const first = counter.last - BigInt(n) + 1n;
  const firstSeq = tenant.last - BigInt(n) + 1n;
  const stored = events.map((event, i): StoredEvent => ({ ...event, id: first + BigInt(i), seq: firstSeq + BigInt(i), tenantId }));
  await tx.$executeRaw`
    INSERT INTO "LiveEvent" ("id", "tenantId", "seq", "kind", "sessionId", "messageId", "at")
    SELECT e."id", ${tenantId}::uuid, e."seq", e."kind", e."sessionId", e."messageId", e."at"
    FROM unnest(${stored.map((e) => String(e.id))}::bigint[], ${stored.map((e) => String(e.seq))}::bigint[], ${stored.map((e) => e.kind)}::text[],
                ${stored.map((e) => e.sessionId)}::uuid[], ${stored.map((e) => e.messageId)}::uuid[], ${stored.map((e) => e.at.toISOString())}::timestamptz[])
         AS e("id", "seq", "kind", "sessionId", "messageId", "at")`;
  return stored;
}

/** Every tenant's events after `afterId` (the internal order), oldest first: what the live hubs follow. */
export async function readEvents(prisma: PrismaClient, afterId: bigint, limit: number): Promise<StoredEvent[]> {
  const rows = await prisma.liveEvent.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
  return rows.map(toStored);
}

/** `tenantId`'s events after its event `afterSeq`, oldest first: what a resuming client reads back. */
export async function readTenantEvents(prisma: PrismaClient, tenantId: string, afterSeq: bigint, limit: number): Promise<StoredEvent[]> {
  const rows = await prisma.liveEvent.findMany({ where: { tenantId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
  return rows.map(toStored);
}

/** The last event number given out in `tenantId` (0: none yet). */
export async function tenantLastEvent(prisma: PrismaClient, tenantId: string): Promise<bigint> {
  const counter = await prisma.tenantEventCounter.findUnique({ where: { tenantId } });
  return counter?.last ?? 0n;
}

/**
 * The Redis channel this database's events are announced on: processes on another database (another
 * deployment sharing the Redis, a test run beside this one) never take its announcements for theirs.
 */
export async function sessionEventsChannel(prisma: PrismaClient): Promise<string> {
  const counter = await prisma.liveEventCounter.findUnique({ where: { id: 1 }, select: { instanceId: true } });
  if (!counter) throw new Error('the LiveEventCounter row is missing (migration 20261130190000_live_outbox creates it)');
  return `parley:session-events:${counter.instanceId}`;
}

export interface OutboxState {
  /** The newest event id given out, across tenants (0: none yet): where a hub starts following. */
  last: bigint;
}

export async function outboxState(prisma: PrismaClient): Promise<OutboxState> {
  const counter = await prisma.liveEventCounter.findUnique({ where: { id: 1 } });
  if (!counter) throw new Error('the LiveEventCounter row is missing (migration 20261130190000_live_outbox creates it)');
  return { last: counter.last };
}

/**
 * Deletes what is past retention: events older than `retentionSeconds` (every tenant's alike), and of
 * each tenant all but its newest `maxRetained` — per tenant, so a busy tenant's events never make room
 * for themselves by pushing out a quiet one's, and when a tenant's events expire says nothing of the
 * others'. A resuming client finds out what it lost from the gaps its tenant's numbering cannot have
 * (./hub.ts). Safe to run from every process at once (each deletes what is left). Returns how many
 * events it deleted.
 */
export async function pruneOutbox(prisma: PrismaClient, options: { retentionSeconds: number; maxRetained: number; now?: Date }): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionSeconds * 1000);
  const byAge = await prisma.$executeRaw`DELETE FROM "LiveEvent" WHERE "at" < ${cutoff}`;
  const byCount = await prisma.$executeRaw`
    DELETE FROM "LiveEvent" e USING "TenantEventCounter" c
    WHERE e."tenantId" = c."tenantId" AND e."seq" <= c."last" - ${BigInt(options.maxRetained)}`;
  return byAge + byCount;
}
