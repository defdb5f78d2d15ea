// Writes a chunk of normalised ingest operations in one transaction with a handful of set-based
// statements (never one per row), and says what each operation did. Idempotent: sessions are keyed
// by (kind, external id), messages by (session, sequence), and a content hash recognises a replay
// without reading the stored document back.
import { createHash, randomUUID } from 'node:crypto';
import type { Prisma as PrismaClient } from '../db/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { SessionKind, SessionOutcome, SessionStatus } from '../generated/prisma/enums.js';
import type { SessionEvent } from '../live/events.js';
import type { JsonValue, NormalizedMessage, NormalizedSession } from '../vendors/normalized.js';

export type WriteResult = 'created' | 'updated' | 'unchanged';

/** Changes a vendor event makes to a session without carrying the whole session (Chatlayer webhook). */
export interface SessionPatch {
  status?: SessionStatus;
  outcome?: SessionOutcome | null;
  endedAt?: Date | null;
}

export type WriteOp =
  | {
      type: 'snapshot';
      session: NormalizedSession;
      /**
       * `upsert`: the snapshot's messages are the vendor's own, keyed by their sequence.
       * `append-new-text`: the snapshot carries only the user's latest message (Chatlayer); it is added
       * after the transcript unless it is the latest user message already stored.
       */
      messageMode: 'upsert' | 'append-new-text';
    }
  | {
      type: 'messages';
      kind: SessionKind;
      externalId: string;
      messages: NormalizedMessage[];
      /** What to do when the session is not stored yet: keep the messages pending, or create it from `stub`. */
      whenMissing: { pend: true } | { stub: NormalizedSession };
      patch?: SessionPatch;
    };

type Tx = Prisma.TransactionClient;

/** A Session row as written: the normalised columns, resolved to Parley's ids, with the content hash. */
type SessionRow = Omit<NormalizedSession, 'conversationExternalId' | 'messages'> & {
  id: string;
  conversationId: string | null;
  contentHash: string;
};

/** What the writer reads back of a stored session to decide what a new document changes. */
type StoredSession = Pick<
  SessionRow,
  'id' | 'kind' | 'externalId' | 'createdAt' | 'status' | 'outcome' | 'endedAt' | 'lastActiveAt' | 'sourceUpdatedAt' | 'contentHash'
>;

interface MessageRow {
  id: string;
  sessionId: string;
  sequence: number;
  sender: string;
  type: string;
  text: string | null;
  choices: JsonValue | null;
  timestamp: Date | null;
  intent: string | null;
  data: JsonValue;
  contentHash: string;
}

const keyOf = (kind: string, externalId: string) => `${kind}\u0000${externalId}`;

// Hashes the document as given: a replay carries the same bytes in the same key order, so plain
// JSON.stringify recognises it (sorting keys cost a fifth of the write path in the ingest benchmark).
// A reordered but equal document merely counts as an update and is rewritten with the same content.
const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

// A message's hash is needed twice (in its session's hash and on its own row): compute it once.
const messageHashes = new WeakMap<NormalizedMessage, string>();
function messageHash(message: NormalizedMessage): string {
  let value = messageHashes.get(message);
  if (value === undefined) {
    value = hash({ ...message, sequence: undefined });
    messageHashes.set(message, value);
  }
  return value;
}

function toMessageRow(sessionId: string, message: NormalizedMessage, contentHash = messageHash(message)): MessageRow {
  return {
    id: randomUUID(),
    sessionId,
    sequence: message.sequence,
    sender: message.sender,
    type: message.type,
    text: message.text,
    choices: message.choices as JsonValue | null,
    timestamp: message.timestamp,
    intent: message.intent,
    data: message.data,
    contentHash,
  };
}

const TERMINAL: ReadonlySet<SessionStatus> = new Set(['ENDED', 'TRANSFERRED']);

/**
 * The columns to store for `incoming` over `stored`. A snapshot without a vendor timestamp cannot
 * prove it is newer, so it never reopens a session that has ended or been transferred (a Chatlayer
 * snapshot knows nothing of the offload that ended its session).
 */
function mergeSnapshot(
  incoming: NormalizedSession,
  stored: StoredSession | undefined,
  conversationId: string | null,
  id: string,
  sequencesAreTheVendors: boolean,
): SessionRow {
  // Where Parley chose the sequence (a Chatlayer snapshot's message is placed when received), it is
  // not part of the content: the same snapshot again must hash the same.
  const messageHashes = incoming.messages.map((m) => (sequencesAreTheVendors ? `${m.sequence}:${messageHash(m)}` : messageHash(m)));
  let { status, outcome, endedAt } = incoming;
  if (stored && TERMINAL.has(stored.status) && !TERMINAL.has(status) && incoming.sourceUpdatedAt === null) {
    ({ status, outcome, endedAt } = stored);
  }
  // Times Parley had to stand in for (a vendor that sends none) only ever widen the session's span.
  const createdAt = stored && stored.createdAt < incoming.createdAt ? stored.createdAt : incoming.createdAt;
  const lastActiveAt = stored && stored.lastActiveAt > incoming.lastActiveAt ? stored.lastActiveAt : incoming.lastActiveAt;
  const row: Omit<SessionRow, 'contentHash'> = {
    id,
    kind: incoming.kind,
    externalId: incoming.externalId,
    vendor: incoming.vendor,
    botId: incoming.botId,
    channel: incoming.channel,
    language: incoming.language,
    status,
    outcome,
    createdAt,
    lastActiveAt,
    endedAt,
    conversationId,
    data: incoming.data,
    sourceUpdatedAt: incoming.sourceUpdatedAt,
  };
  // The vendor's own times are in `data`; leaving out the derived ones keeps a replay a replay even when
  // the only time a vendor gives is the moment Parley received the document.
  // The snapshot's own messages are part of its hash: an unchanged snapshot need not touch them.
  return { ...row, contentHash: hash({ ...row, id: undefined, createdAt: undefined, lastActiveAt: undefined, messageHashes }) };
}

/** An incoming snapshot older than the stored one (by the vendor's own clock) is not applied. */
function isOlder(incoming: NormalizedSession, stored: StoredSession): boolean {
  return incoming.sourceUpdatedAt !== null && stored.sourceUpdatedAt !== null && incoming.sourceUpdatedAt < stored.sourceUpdatedAt;
}

function statusEvent(before: SessionStatus | null, after: SessionStatus): SessionEvent['kind'] {
  if (after !== before && after === 'ENDED') return 'ENDED';
  if (after !== before && after === 'TRANSFERRED') return 'TRANSFERRED';
  return 'UPDATED';
}

export interface ChunkOutcome {
  results: WriteResult[];
  events: SessionEvent[];
}

/** Writes `ops` into `tenantId`'s data in one transaction; the caller publishes `events` once it has committed. */
export async function writeChunk(prisma: PrismaClient, tenantId: string, ops: readonly WriteOp[]): Promise<ChunkOutcome> {
  return prisma.$transaction((tx) => writeInTransaction(tx, tenantId, ops), { timeout: 120_000, maxWait: 60_000 });
}

async function writeInTransaction(tx: Tx, tenantId: string, ops: readonly WriteOp[]): Promise<ChunkOutcome> {
  const now = new Date();
  const results: WriteResult[] = ops.map(() => 'unchanged');
  const events: SessionEvent[] = [];
  const mark = (index: number, result: WriteResult) => {
    if (result === 'created' || results[index] === 'created') results[index] = 'created';
    else if (result === 'updated') results[index] = 'updated';
  };

  const sessionsOf = (op: WriteOp) => (op.type === 'snapshot' ? op.session : 'stub' in op.whenMissing ? op.whenMissing.stub : null);
  const conversationIds = await upsertConversations(
    tx,
    tenantId,
    ops.map(sessionsOf).flatMap((s) => (s?.conversationExternalId ? [s.conversationExternalId] : [])),
  );
  const stored = await loadSessions(
    tx,
    tenantId,
    ops.map((op) => (op.type === 'snapshot' ? { kind: op.session.kind, externalId: op.session.externalId } : { kind: op.kind, externalId: op.externalId })),
  );

  // Sessions: decided in memory, in order, so two versions of one session in a chunk behave as if sent apart.
  const inserts = new Map<string, SessionRow>();
  const updates = new Map<string, SessionRow>();
  const patches = new Map<string, StoredSession>();
  const opSession: (string | null)[] = [];
  const olderSnapshot: boolean[] = [];
  const unchangedSnapshot: boolean[] = [];
  for (const [index, op] of ops.entries()) {
    const key = op.type === 'snapshot' ? keyOf(op.session.kind, op.session.externalId) : keyOf(op.kind, op.externalId);
    const current = stored.get(key);
    const incoming = sessionsOf(op);
    olderSnapshot[index] = false;
    if (op.type === 'snapshot' || (!current && incoming)) {
      const session = op.type === 'messages' && op.patch ? { ...incoming!, ...op.patch } : incoming!;
      if (current && op.type === 'snapshot' && isOlder(session, current)) {
        olderSnapshot[index] = true;
        opSession[index] = current.id;
        continue;
      }
      const conversationId = session.conversationExternalId ? (conversationIds.get(session.conversationExternalId) ?? null) : null;
      const row = mergeSnapshot(session, current, conversationId, current?.id ?? randomUUID(), !(op.type === 'snapshot' && op.messageMode === 'append-new-text'));
      if (!current) {
        inserts.set(key, row);
        mark(index, 'created');
        events.push({ kind: 'CREATED', sessionId: row.id, messageId: null, at: now });
      } else if (row.contentHash !== current.contentHash) {
        (inserts.has(key) ? inserts : updates).set(key, row);
        mark(index, 'updated');
        events.push({ kind: statusEvent(current.status, row.status), sessionId: row.id, messageId: null, at: now });
      } else if (op.type === 'snapshot') {
        unchangedSnapshot[index] = true;
      }
      stored.set(key, { ...row });
      opSession[index] = row.id;
    } else {
      opSession[index] = current?.id ?? null;
    }
    if (op.type === 'messages' && op.patch && current) {
      const patched = { ...stored.get(key)! };
      const before = patched.status;
      if (op.patch.status !== undefined) patched.status = op.patch.status;
      if (op.patch.outcome !== undefined) patched.outcome = op.patch.outcome;
      if (op.patch.endedAt !== undefined) patched.endedAt = op.patch.endedAt;
      if (patched.status !== before || patched.outcome !== current.outcome || patched.endedAt?.getTime() !== current.endedAt?.getTime()) {
        stored.set(key, patched);
        const inserted = inserts.get(key);
        // A session created earlier in this chunk is written once, with the patch already in its row.
        if (inserted) inserts.set(key, { ...inserted, status: patched.status, outcome: patched.outcome, endedAt: patched.endedAt, contentHash: '' });
        else patches.set(key, patched);
        mark(index, 'updated');
        events.push({ kind: statusEvent(before, patched.status), sessionId: patched.id, messageId: null, at: now });
      }
    }
  }
  await insertSessions(tx, tenantId, [...inserts.values()]);
  await updateSessions(tx, [...updates.values()]);
  await patchSessions(tx, [...patches.values()]);

  // Messages that waited for a session that has now been created.
  const claimed = await claimPendingMessages(tx, tenantId, [...inserts.values()]);

  // Messages: upserted by (session, sequence); an older snapshot may only add what is missing.
  const latestUserText = await loadLatestUserTexts(
    tx,
    ops.flatMap((op, i) => (op.type === 'snapshot' && op.messageMode === 'append-new-text' && opSession[i] ? [opSession[i]!] : [])),
  );
  const upserts = new Map<string, { row: MessageRow; ops: number[] }>();
  const insertOnly = new Map<string, { row: MessageRow; ops: number[] }>();
  const pend: { kind: SessionKind; externalId: string; message: NormalizedMessage; op: number }[] = [];
  const addMessage = (target: typeof upserts, sessionId: string, message: NormalizedMessage, op: number, contentHash?: string) => {
    const key = `${sessionId}:${message.sequence}`;
    const entry = target.get(key);
    target.set(key, { row: toMessageRow(sessionId, message, contentHash), ops: entry ? [...entry.ops, op] : [op] });
  };
  for (const [sessionId, messages] of claimed) for (const m of messages) addMessage(upserts, sessionId, m.message, -1, m.contentHash);
  for (const [index, op] of ops.entries()) {
    const sessionId = opSession[index];
    const messages = op.type === 'snapshot' ? op.session.messages : op.messages;
    if (!sessionId) {
      if (op.type === 'messages') for (const message of messages) pend.push({ kind: op.kind, externalId: op.externalId, message, op: index });
      continue;
    }
    // The same snapshot as stored, messages included (they are in its hash): nothing to write.
    if (unchangedSnapshot[index]) continue;
    if (op.type === 'snapshot' && op.messageMode === 'append-new-text') {
      const last = latestUserText.get(sessionId);
      for (const message of messages) {
        if (last && last.text === message.text) continue;
        const sequence = Math.max(message.sequence, (last?.sequence ?? 0) + 1);
        addMessage(upserts, sessionId, { ...message, sequence }, index);
        latestUserText.set(sessionId, { text: message.text, sequence });
      }
      continue;
    }
    for (const message of messages) addMessage(olderSnapshot[index] ? insertOnly : upserts, sessionId, message, index);
  }
  // A message new to a stored session makes a snapshot "updated"; a turn or event carrying it is itself new.
  const markMessage = (op: number, inserted: boolean) => {
    if (op < 0) return;
    mark(op, ops[op]!.type === 'messages' && inserted ? 'created' : 'updated');
  };
  // A session created in this chunk has no messages yet: its messages are plain inserts, with the ids
  // chosen here, so no conflict check and no RETURNING (most of a first import's time otherwise).
  const created = new Set([...inserts.values()].map((row) => row.id));
  const fresh = new Map([...upserts].filter(([, entry]) => created.has(entry.row.sessionId)));
  for (const key of fresh.keys()) upserts.delete(key);
  await insertMessages(tx, [...fresh.values()].map((entry) => entry.row));
  for (const { row, ops: opIndexes } of fresh.values()) {
    for (const op of opIndexes) markMessage(op, true);
    events.push({ kind: 'MESSAGE_ADDED', sessionId: row.sessionId, messageId: row.id, at: now });
  }
  for (const { sessionId, id, inserted, opIndexes } of await upsertMessages(tx, upserts, true)) {
    for (const op of opIndexes) markMessage(op, inserted);
    if (inserted) events.push({ kind: 'MESSAGE_ADDED', sessionId, messageId: id, at: now });
  }
  for (const { sessionId, id, opIndexes } of await upsertMessages(tx, insertOnly, false)) {
    for (const op of opIndexes) markMessage(op, true);
    events.push({ kind: 'MESSAGE_ADDED', sessionId, messageId: id, at: now });
  }
  for (const op of await pendMessages(tx, tenantId, pend)) mark(op.index, op.result);
  return { results, events };
}

async function upsertConversations(tx: Tx, tenantId: string, externalIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(externalIds)];
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

async function loadSessions(tx: Tx, tenantId: string, keys: { kind: SessionKind; externalId: string }[]): Promise<Map<string, StoredSession>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.$queryRaw<StoredSession[]>`
    SELECT s."id", s."kind"::text AS "kind", s."externalId", s."createdAt", s."status"::text AS "status", s."outcome"::text AS "outcome",
           s."endedAt", s."lastActiveAt", s."sourceUpdatedAt", s."contentHash"
    FROM "Session" s
    JOIN unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.externalId)}::text[]) AS k("kind", "externalId")
      ON s."kind" = k."kind"::"SessionKind" AND s."externalId" = k."externalId"
    WHERE s."tenantId" = ${tenantId}::uuid`;
  return new Map(rows.map((r) => [keyOf(r.kind, r.externalId), r]));
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

const SESSION_RECORD = Prisma.sql`"id" uuid, "kind" text, "vendor" text, "externalId" text, "botId" text, "channel" text,
  "language" text, "status" text, "outcome" text, "createdAt" timestamptz, "lastActiveAt" timestamptz, "endedAt" timestamptz,
  "conversationId" uuid, "data" jsonb, "sourceUpdatedAt" timestamptz, "contentHash" text`;

async function insertSessions(tx: Tx, tenantId: string, rows: SessionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Session" ("id", "tenantId", "kind", "vendor", "externalId", "botId", "channel", "language", "status", "outcome",
      "createdAt", "lastActiveAt", "endedAt", "conversationId", "data", "sourceUpdatedAt", "contentHash", "updatedAt")
    SELECT u."id", ${tenantId}::uuid, u."kind"::"SessionKind", u."vendor"::"Vendor", u."externalId", u."botId", u."channel", u."language",
      u."status"::"SessionStatus", u."outcome"::"SessionOutcome", u."createdAt", u."lastActiveAt", u."endedAt",
      u."conversationId", u."data", u."sourceUpdatedAt", u."contentHash", now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${SESSION_RECORD})`;
}

async function updateSessions(tx: Tx, rows: SessionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    UPDATE "Session" s SET "botId" = u."botId", "channel" = u."channel", "language" = u."language",
      "status" = u."status"::"SessionStatus", "outcome" = u."outcome"::"SessionOutcome", "createdAt" = u."createdAt",
      "lastActiveAt" = u."lastActiveAt", "endedAt" = u."endedAt", "conversationId" = u."conversationId",
      "data" = u."data", "sourceUpdatedAt" = u."sourceUpdatedAt", "contentHash" = u."contentHash", "updatedAt" = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${SESSION_RECORD})
    WHERE s."id" = u."id"`;
}

async function patchSessions(tx: Tx, rows: StoredSession[]): Promise<void> {
  if (rows.length === 0) return;
  // The hash is cleared: the row no longer equals any snapshot, so the next snapshot is compared afresh.
  await tx.$executeRaw`
    UPDATE "Session" s SET "status" = u."status"::"SessionStatus", "outcome" = u."outcome"::"SessionOutcome",
      "endedAt" = u."endedAt", "contentHash" = '', "updatedAt" = now()
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.outcome)}::text[],
      ${rows.map((r) => iso(r.endedAt))}::timestamptz[]) AS u("id", "status", "outcome", "endedAt")
    WHERE s."id" = u."id"`;
}

/**
 * Moves waiting messages to sessions created in this chunk. Their hash is the one computed when they
 * arrived: the jsonb round trip reorders keys, and the same turn sent again must still be a replay.
 */
async function claimPendingMessages(
  tx: Tx,
  tenantId: string,
  created: SessionRow[],
): Promise<Map<string, { message: NormalizedMessage; contentHash: string }[]>> {
  if (created.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ kind: string; sessionExternalId: string; message: NormalizedMessage & { timestamp: string | null }; contentHash: string }[]>`
    DELETE FROM "PendingMessage" p
    USING unnest(${created.map((r) => r.kind)}::text[], ${created.map((r) => r.externalId)}::text[]) AS k("kind", "externalId")
    WHERE p."tenantId" = ${tenantId}::uuid AND p."kind" = k."kind"::"SessionKind" AND p."sessionExternalId" = k."externalId"
    RETURNING p."kind"::text AS "kind", p."sessionExternalId", p."message", p."contentHash"`;
  const idByKey = new Map(created.map((r) => [keyOf(r.kind, r.externalId), r.id]));
  const claimed = new Map<string, { message: NormalizedMessage; contentHash: string }[]>();
  for (const row of rows) {
    const sessionId = idByKey.get(keyOf(row.kind, row.sessionExternalId));
    if (!sessionId) continue;
    const message = { ...row.message, timestamp: row.message.timestamp === null ? null : new Date(row.message.timestamp) };
    claimed.set(sessionId, [...(claimed.get(sessionId) ?? []), { message, contentHash: row.contentHash }]);
  }
  return claimed;
}

async function loadLatestUserTexts(tx: Tx, sessionIds: string[]): Promise<Map<string, { text: string | null; sequence: number }>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ sessionId: string; text: string | null; sequence: bigint }[]>`
    SELECT DISTINCT ON ("sessionId") "sessionId", "text", "sequence" FROM "Message"
    WHERE "sessionId" = ANY(${[...new Set(sessionIds)]}::uuid[]) AND "sender" = 'USER'
    ORDER BY "sessionId", "sequence" DESC`;
  return new Map(rows.map((r) => [r.sessionId, { text: r.text, sequence: Number(r.sequence) }]));
}

const MESSAGE_RECORD = Prisma.sql`"id" uuid, "sessionId" uuid, "sequence" bigint, "sender" text, "type" text, "text" text,
  "choices" jsonb, "timestamp" timestamptz, "intent" text, "data" jsonb, "contentHash" text`;

async function insertMessages(tx: Tx, rows: MessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Message" ("id", "sessionId", "sequence", "sender", "type", "text", "choices", "timestamp", "intent", "data", "contentHash")
    SELECT u."id", u."sessionId", u."sequence", u."sender"::"MessageSender", u."type", u."text", u."choices",
      u."timestamp", u."intent", u."data", u."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${MESSAGE_RECORD})`;
}

async function upsertMessages(
  tx: Tx,
  entries: Map<string, { row: MessageRow; ops: number[] }>,
  update: boolean,
): Promise<{ sessionId: string; sequence: number; id: string; inserted: boolean; opIndexes: number[] }[]> {
  if (entries.size === 0) return [];
  const list = [...entries.values()];
  const rows = list.map((e) => e.row);
  const conflict = update
    ? Prisma.sql`DO UPDATE SET "sender" = EXCLUDED."sender", "type" = EXCLUDED."type", "text" = EXCLUDED."text",
        "choices" = EXCLUDED."choices", "timestamp" = EXCLUDED."timestamp", "intent" = EXCLUDED."intent",
        "data" = EXCLUDED."data", "contentHash" = EXCLUDED."contentHash"
        WHERE "Message"."contentHash" IS DISTINCT FROM EXCLUDED."contentHash"`
    : Prisma.sql`DO NOTHING`;
  // One JSON parameter for the whole chunk: the driver sends it as is, where text arrays would have
  // every message document escaped into an array literal first (a fifth of the time in the benchmark).
  const changed = await tx.$queryRaw<{ id: string; sessionId: string; sequence: bigint; inserted: boolean }[]>`
    INSERT INTO "Message" ("id", "sessionId", "sequence", "sender", "type", "text", "choices", "timestamp", "intent", "data", "contentHash")
    SELECT u."id", u."sessionId", u."sequence", u."sender"::"MessageSender", u."type", u."text", u."choices",
      u."timestamp", u."intent", u."data", u."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(${MESSAGE_RECORD})
    ON CONFLICT ("sessionId", "sequence") ${conflict}
    RETURNING "id", "sessionId", "sequence", (xmax = 0) AS "inserted"`;
  return changed.map((r) => ({
    id: r.id,
    sessionId: r.sessionId,
    sequence: Number(r.sequence),
    inserted: r.inserted,
    opIndexes: entries.get(`${r.sessionId}:${Number(r.sequence)}`)?.ops ?? [],
  }));
}

async function pendMessages(
  tx: Tx,
  tenantId: string,
  pending: { kind: SessionKind; externalId: string; message: NormalizedMessage; op: number }[],
): Promise<{ index: number; result: WriteResult }[]> {
  if (pending.length === 0) return [];
  const byKey = new Map<string, (typeof pending)[number] & { ops: number[] }>();
  for (const p of pending) {
    const key = `${keyOf(p.kind, p.externalId)}:${p.message.sequence}`;
    byKey.set(key, { ...p, ops: [...(byKey.get(key)?.ops ?? []), p.op] });
  }
  const list = [...byKey.values()];
  const rows = await tx.$queryRaw<{ kind: string; sessionExternalId: string; sequence: bigint; inserted: boolean }[]>`
    INSERT INTO "PendingMessage" ("id", "tenantId", "kind", "sessionExternalId", "sequence", "message", "contentHash")
    SELECT u."id", ${tenantId}::uuid, u."kind"::"SessionKind", u."externalId", u."sequence", u."message"::jsonb, u."contentHash"
    FROM unnest(${list.map(() => randomUUID())}::uuid[], ${list.map((p) => p.kind)}::text[], ${list.map((p) => p.externalId)}::text[],
      ${list.map((p) => p.message.sequence)}::bigint[], ${list.map((p) => JSON.stringify(p.message))}::text[],
      ${list.map((p) => messageHash(p.message))}::text[]) AS u("id", "kind", "externalId", "sequence", "message", "contentHash")
    ON CONFLICT ("tenantId", "kind", "sessionExternalId", "sequence") DO UPDATE SET "message" = EXCLUDED."message", "contentHash" = EXCLUDED."contentHash"
    WHERE "PendingMessage"."contentHash" IS DISTINCT FROM EXCLUDED."contentHash"
    RETURNING "kind"::text AS "kind", "sessionExternalId", "sequence", (xmax = 0) AS "inserted"`;
  return rows.flatMap((r) =>
    (byKey.get(`${keyOf(r.kind, r.sessionExternalId)}:${Number(r.sequence)}`)?.ops ?? []).map((index) => ({
      index,
      result: r.inserted ? ('created' as const) : ('updated' as const),
    })),
  );
}
