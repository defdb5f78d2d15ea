// Writes a chunk of operations in one transaction, in three steps: lock and read what the chunk touches,
// decide in memory (./plan.ts), apply the plan with a handful of set-based statements (./statements.ts).
// Correct under any number of concurrent writers and gateway processes on one PostgreSQL: writers of
// the same sessions are serialised by per-session advisory locks (docs in README, "Ingest").
import { randomUUID } from 'node:crypto';
import { keepSessionFigures } from '../analytics/session-figures.js';
import type { Prisma as PrismaClient } from '../db/client.js';
import { classifyDatabaseError, DatabaseUnavailableError, RETRY_AFTER_SECONDS } from '../db/faults.js';
import type { StoredEvent } from '../live/events.js';
import { appendEvents } from '../live/outbox.js';
import { sessionKeyOf, type OpOutcome, type WriteOp } from './ops.js';
import { conversationExternalIds, messageLookups, opOutcomes, planMessages, planSessions, sessionsMergingData, widenForClaimed } from './plan.js';
import {
  claimPendingMessages,
  insertMessages,
  insertPending,
  insertSessions,
  loadLatestUserTexts,
  loadMessageHashes,
  loadPendingHashes,
  loadSessions,
  lockSessions,
  patchSessions,
  updateMessages,
  updatePending,
  updateSessions,
  upsertConversations,
} from './statements.js';

export type { OpOutcome, SessionPatch, WriteOp, WriteResult } from './ops.js';

export interface ChunkOutcome {
  outcomes: OpOutcome[];
  /** What changed, as recorded in the outbox in the same transaction. */
  events: StoredEvent[];
}

/** A chunk that lost a race (deadlock, serialisation failure) runs again, this many times at most. */
const MAX_ATTEMPTS = 5;

/**
 * Writes `ops` into `tenantId`'s data in one transaction, its events into the outbox; the caller
 * publishes `events` once it has committed (a hint to the live hubs: the outbox has them anyway). A
 * chunk that lost a race runs again. A database error that is provably the data's fault (a value the
 * database refused) is thrown as it is, for the caller to find the item; any other failure — an outage,
 * a read-only server, a race lost too often, an error nobody foresaw — raises DatabaseUnavailableError:
 * nothing of the chunk is stored, and it may be sent again.
 */
export async function writeChunk(prisma: PrismaClient, tenantId: string, ops: readonly WriteOp[]): Promise<ChunkOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction((tx) => writeInTransaction(tx, tenantId, ops), { timeout: 120_000, maxWait: 60_000 });
    } catch (error) {
      const kind = classifyDatabaseError(error);
      if (kind === 'conflict' && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20 * attempt));
        continue;
      }
      if (kind === 'rejection') throw error;
      throw new DatabaseUnavailableError(`the database could not take the write (${kind})`, RETRY_AFTER_SECONDS, { cause: error });
    }
  }
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function writeInTransaction(tx: Tx, tenantId: string, ops: readonly WriteOp[]): Promise<ChunkOutcome> {
  const now = new Date();
  const refs = ops.map(sessionKeyOf);
  // 1. Lock, then read: whatever an earlier writer of these sessions committed is visible from here on.
  await lockSessions(tx, tenantId, refs);
  const conversationIds = await upsertConversations(tx, tenantId, conversationExternalIds(ops));
  const stored = await loadSessions(tx, tenantId, refs, sessionsMergingData(ops));

  // 2. Decide: sessions first (which exist, which are new, newer, older), then their messages.
  const planned = planSessions({ ops, stored, conversationIds, newId: randomUUID, now });
  const claimed = await claimPendingMessages(tx, tenantId, planned.created);
  const sessions = widenForClaimed(planned, claimed);
  const lookups = messageLookups(ops, sessions, new Set([...stored.values()].map((s) => s.id)));
  const messages = planMessages({
    ops,
    sessions,
    storedMessages: await loadMessageHashes(tx, lookups.messages),
    latestUserText: await loadLatestUserTexts(tx, lookups.latestUserText),
    storedPending: await loadPendingHashes(tx, tenantId, lookups.pending),
    claimed,
    newId: randomUUID,
    now,
  });

  // 3. Apply.
  await insertSessions(tx, tenantId, sessions.inserts);
  await updateSessions(tx, sessions.updates);
  await patchSessions(tx, sessions.patches);
  await insertMessages(tx, messages.inserts);
  await updateMessages(tx, messages.updates);
  await insertPending(tx, tenantId, messages.pendInserts);
  await updatePending(tx, tenantId, messages.pendUpdates);
  // The metrics' rollup of every session this chunk changed, under the same locks.
  const kinds = new Map<string, string>([...stored.values(), ...sessions.inserts].map((row) => [row.id, row.kind]));
  await keepSessionFigures(tx, {
    created: new Set(sessions.inserts.map((row) => row.id)),
    touched: [...sessions.inserts, ...sessions.updates, ...sessions.patches].map((row) => row.id).concat(messages.inserts.map((row) => row.sessionId)),
    inserted: messages.inserts.map((row) => ({ ...row, kind: kinds.get(row.sessionId) ?? '' })),
    // A message of a session whose kind is not known here is counted from the tables instead.
    rewritten: messages.updates.map((row) => row.sessionId).concat(messages.inserts.filter((row) => !kinds.has(row.sessionId)).map((row) => row.sessionId)),
  });
  // Last: the outbox's counter stays locked until this transaction commits (../live/outbox.ts).
  const events = await appendEvents(tx, tenantId, [...sessions.events, ...messages.events]);
  return { outcomes: opOutcomes(ops, sessions, messages), events };
}
