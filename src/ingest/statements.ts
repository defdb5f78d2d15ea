// The writer's SQL: what it locks and reads before deciding, and the set-based statements that apply a
// plan (./plan.ts). Every statement takes a whole chunk at once (never one per row); rows travel as one
// JSON parameter, which the driver sends as is (text arrays would have every vendor document escaped
// into an array literal first: a fifth of the write path in the ingest benchmark).
import { createHash, randomUUID } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { SessionKind } from '../generated/prisma/enums.js';
import type { NormalizedMessage } from '../vendors/normalized.js';
import { messageSlot, sessionKey, type MessageRow, type PendingRow, type SessionPatchRow, type SessionRow, type StoredSession } from './plan.js';

type Tx = Prisma.TransactionClient;

export interface SessionRef {
  kind: SessionKind;
  externalId: string;
}

/** A 64-bit advisory lock id for one session key of one tenant (a collision only serialises two sessions). */
export function sessionLockId(tenantId: string, kind: string, externalId: string): bigint {
  const digest = createHash('sha256').update(`${tenantId}\u0000${kind}\u0000${externalId}`).digest();
  return digest.readBigInt64BE(0);
}

/**
 * Serialises writers of the same sessions, across transactions and processes, without a global lock:
 * one transaction-scoped advisory lock per session key, taken in ascending order so two chunks that
 * share sessions cannot deadlock on them. Taken before anything is read, so every read below sees
 * whatever the previous writer of these sessions committed (a session that does not exist yet
 * included: its first writes never collide, and a turn that waits for it is seen by its creator).
 */
export async function lockSessions(tx: Tx, tenantId: string, refs: readonly SessionRef[]): Promise<void> {
  if (refs.length === 0) return;
  const ids = [...new Set(refs.map((r) => sessionLockId(tenantId, r.kind, r.externalId)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // unnest keeps the array's order; the locks are taken one row at a time in that order.
  await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(k)) FROM unnest(${ids.map(String)}::bigint[]) AS k`;
}

/** Conversations by external id, created where missing; inserted in sorted order so concurrent chunks cannot deadlock. */
export async function upsertConversations(tx: Tx, tenantId: string, externalIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(externalIds)].sort();
  if (unique.length === 0) return new Map();
  const ids = unique.map(() => randomUUID());
  await tx.$executeRaw`
    INSERT INTO "Conversation" ("id", "tenantId", "externalId")
    SELECT u."id", ${tenantId}::uuid, u."externalId" FROM unnest(${ids}::uuid[], ${unique}::text[]) AS u("id", "externalId")
    ON CONFLICT ("tenantId", "externalId") DO NOTHING`;
  const rows = await tx.$queryRaw<{ id: string; externalId: string }[]>`
    SELECT "id", "externalId" FROM "Conversation" WHERE "tenantId" = ${tenantId}::uuid AND "externalId" = ANY(${unique}::text[])`;
  return new Map(rows.map((r) => [r.externalId, r.id]));
}

/** The stored sessions among `refs`; their vendor document only for the keys in `withData`. */
export async function loadSessions(tx: Tx, tenantId: string, refs: readonly SessionRef[], withData: ReadonlySet<string>): Promise<Map<string, StoredSession>> {
  if (refs.length === 0) return new Map();
  const dataWanted = refs.map((r) => withData.has(sessionKey(r.kind, r.externalId)));
  const rows = await tx.$queryRaw<StoredSession[]>`
    SELECT s."id", s."kind"::text AS "kind", s."externalId", s."botId", s."createdAt", s."status"::text AS "status", s."outcome"::text AS "outcome",
           s."endedAt", s."lastActiveAt", s."sourceUpdatedAt", s."contentHash", CASE WHEN k."withData" THEN s."data" END AS "data"
    FROM "Session" s
    JOIN unnest(${refs.map((r) => r.kind)}::text[], ${refs.map((r) => r.externalId)}::text[], ${dataWanted}::boolean[]) AS k("kind", "externalId", "withData")
      ON s."kind" = k."kind"::"SessionKind" AND s."externalId" = k."externalId"
    WHERE s."tenantId" = ${tenantId}::uuid`;
  return new Map(rows.map((r) => [sessionKey(r.kind, r.externalId), r]));
}

type StoredMessage = Omit<NormalizedMessage, 'timestamp' | 'key' | 'ordinal'> & { timestamp: string | null; key?: string; ordinal?: number };

/**
 * Moves the messages waiting for sessions this chunk creates into the chunk. Their hash is the one
 * computed when they arrived: the jsonb round trip reorders keys, and the same turn sent again must
 * still be a replay.
 */
export async function claimPendingMessages(
  tx: Tx,
  tenantId: string,
  created: readonly (SessionRef & { id: string })[],
): Promise<Map<string, { message: NormalizedMessage; contentHash: string }[]>> {
  if (created.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ kind: string; sessionExternalId: string; key: string; message: StoredMessage; contentHash: string }[]>`
    DELETE FROM "PendingMessage" p
    USING unnest(${created.map((r) => r.kind)}::text[], ${created.map((r) => r.externalId)}::text[]) AS k("kind", "externalId")
    WHERE p."tenantId" = ${tenantId}::uuid AND p."kind" = k."kind"::"SessionKind" AND p."sessionExternalId" = k."externalId"
    RETURNING p."kind"::text AS "kind", p."sessionExternalId", p."key", p."message", p."contentHash"`;
  const idByKey = new Map(created.map((r) => [sessionKey(r.kind, r.externalId), r.id]));
  const claimed = new Map<string, { message: NormalizedMessage; contentHash: string }[]>();
  // Claimed in a stable order (the DELETE's is the heap's), so the plan does not depend on it.
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const row of rows) {
    const sessionId = idByKey.get(sessionKey(row.kind, row.sessionExternalId));
    if (sessionId === undefined) continue;
    const { timestamp, ...rest } = row.message;
    const message: NormalizedMessage = { ...rest, key: row.key, ordinal: rest.ordinal ?? 0, timestamp: timestamp === null ? null : new Date(timestamp) };
    claimed.set(sessionId, [...(claimed.get(sessionId) ?? []), { message, contentHash: row.contentHash }]);
  }
  return claimed;
}

/** Content hashes of the stored messages among `slots`, by messageSlot(sessionId, key). */
export async function loadMessageHashes(tx: Tx, slots: readonly { sessionId: string; key: string }[]): Promise<Map<string, string>> {
  if (slots.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ sessionId: string; key: string; contentHash: string }[]>`
    SELECT m."sessionId", m."key", m."contentHash" FROM "Message" m
    JOIN unnest(${slots.map((s) => s.sessionId)}::uuid[], ${slots.map((s) => s.key)}::text[]) AS k("sessionId", "key")
      ON m."sessionId" = k."sessionId" AND m."key" = k."key"`;
  return new Map(rows.map((r) => [messageSlot(r.sessionId, r.key), r.contentHash]));
}

export async function loadLatestUserTexts(tx: Tx, sessionIds: readonly string[]): Promise<Map<string, { text: string | null; sequence: number }>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ sessionId: string; text: string | null; sequence: bigint }[]>`
    SELECT DISTINCT ON ("sessionId") "sessionId", "text", "sequence" FROM "Message"
    WHERE "sessionId" = ANY(${[...new Set(sessionIds)]}::uuid[]) AND "sender" = 'USER'
    ORDER BY "sessionId", "sequence" DESC, "ordinal" DESC, "key" DESC`;
  return new Map(rows.map((r) => [r.sessionId, { text: r.text, sequence: Number(r.sequence) }]));
}

/** Content hashes of waiting messages among `slots`, by sessionKey + key. */
export async function loadPendingHashes(tx: Tx, tenantId: string, slots: readonly (SessionRef & { key: string })[]): Promise<Map<string, string>> {
  if (slots.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ kind: string; sessionExternalId: string; key: string; contentHash: string }[]>`
    SELECT p."kind"::text AS "kind", p."sessionExternalId", p."key", p."contentHash" FROM "PendingMessage" p
    JOIN unnest(${slots.map((s) => s.kind)}::text[], ${slots.map((s) => s.externalId)}::text[], ${slots.map((s) => s.key)}::text[]) AS k("kind", "externalId", "key")
      ON p."kind" = k."kind"::"SessionKind" AND p."sessionExternalId" = k."externalId" AND p."key" = k."key"
    WHERE p."tenantId" = ${tenantId}::uuid`;
  return new Map(rows.map((r) => [`${sessionKey(r.kind, r.sessionExternalId)}\u0000${r.key}`, r.contentHash]));
}

// ---- applying a plan ----

const SESSION_RECORD = Prisma.sql`"id" uuid, "kind" text, "vendor" text, "externalId" text, "botId" text, "channel" text,
  "language" text, "status" text, "outcome" text, "createdAt" timestamptz, "lastActiveAt" timestamptz, "endedAt" timestamptz,
  "conversationId" uuid, "data" jsonb, "sourceUpdatedAt" timestamptz, "contentHash" text`;

export async function insertSessions(tx: Tx, tenantId: string, rows: readonly SessionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Session" ("id", "tenantId", "kind", "vendor", "externalId", "botId", "channel", "language", "status", "outcome",
      "createdAt", "lastActiveAt", "endedAt", "conversationId", "data", "sourceUpdatedAt", "contentHash", "updatedAt")
    SELECT u."id", ${tenantId}::uuid, u."kind"::"SessionKind", u."vendor"::"Vendor", u."externalId", u."botId", u."channel", u."language",
      u."status"::"SessionStatus", u."outcome"::"SessionOutcome", u."createdAt", u."lastActiveAt", u."endedAt",
      u."conversationId", u."data", u."sourceUpdatedAt", u."contentHash", now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${SESSION_RECORD})`;
}

export async function updateSessions(tx: Tx, rows: readonly SessionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Session" s SET "botId" = u."botId", "channel" = u."channel", "language" = u."language",
      "status" = u."status"::"SessionStatus", "outcome" = u."outcome"::"SessionOutcome", "createdAt" = u."createdAt",
      "lastActiveAt" = u."lastActiveAt", "endedAt" = u."endedAt", "conversationId" = u."conversationId",
      "data" = u."data", "sourceUpdatedAt" = u."sourceUpdatedAt", "contentHash" = u."contentHash", "updatedAt" = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${SESSION_RECORD})
    WHERE s."id" = u."id"`;
}

export async function patchSessions(tx: Tx, rows: readonly SessionPatchRow[]): Promise<void> {
  if (rows.length === 0) return;
  // The content hash is the last snapshot's and stays (see plan.ts, patch).
  await tx.$executeRaw`
    UPDATE "Session" s SET "status" = u."status"::"SessionStatus", "outcome" = u."outcome"::"SessionOutcome",
      "endedAt" = u."endedAt", "createdAt" = u."createdAt", "lastActiveAt" = u."lastActiveAt", "data" = COALESCE(u."data", s."data"),
      "updatedAt" = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS u("id" uuid, "status" text, "outcome" text, "endedAt" timestamptz, "createdAt" timestamptz, "lastActiveAt" timestamptz, "data" jsonb)
    WHERE s."id" = u."id"`;
}

const MESSAGE_RECORD = Prisma.sql`"id" uuid, "sessionId" uuid, "key" text, "sequence" bigint, "ordinal" int, "sender" text, "type" text,
  "text" text, "choices" jsonb, "timestamp" timestamptz, "intent" text, "data" jsonb, "contentHash" text`;

/** New messages: plain inserts (the plan was made under the sessions' locks, so nothing can conflict). */
export async function insertMessages(tx: Tx, rows: readonly MessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Message" ("id", "sessionId", "key", "sequence", "ordinal", "sender", "type", "text", "choices", "timestamp", "intent", "data", "contentHash")
    SELECT u."id", u."sessionId", u."key", u."sequence", u."ordinal", u."sender"::"MessageSender", u."type", u."text", u."choices",
      u."timestamp", u."intent", u."data", u."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${MESSAGE_RECORD})`;
}

export async function updateMessages(tx: Tx, rows: readonly MessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Message" m SET "sequence" = u."sequence", "ordinal" = u."ordinal", "sender" = u."sender"::"MessageSender", "type" = u."type",
      "text" = u."text", "choices" = u."choices", "timestamp" = u."timestamp", "intent" = u."intent", "data" = u."data",
      "contentHash" = u."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, id: null })))}::jsonb) AS u(${MESSAGE_RECORD})
    WHERE m."sessionId" = u."sessionId" AND m."key" = u."key"`;
}

export async function insertPending(tx: Tx, tenantId: string, rows: readonly PendingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "PendingMessage" ("id", "tenantId", "kind", "sessionExternalId", "key", "message", "contentHash")
    SELECT u."id", ${tenantId}::uuid, u."kind"::"SessionKind", u."sessionExternalId", u."key", u."message", u."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, id: randomUUID() })))}::jsonb)
      AS u("id" uuid, "kind" text, "sessionExternalId" text, "key" text, "message" jsonb, "contentHash" text)`;
}

export async function updatePending(tx: Tx, tenantId: string, rows: readonly PendingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE "PendingMessage" p SET "message" = u."message", "contentHash" = u."contentHash", "receivedAt" = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS u("kind" text, "sessionExternalId" text, "key" text, "message" jsonb, "contentHash" text)
    WHERE p."tenantId" = ${tenantId}::uuid AND p."kind" = u."kind"::"SessionKind" AND p."sessionExternalId" = u."sessionExternalId" AND p."key" = u."key"`;
}
