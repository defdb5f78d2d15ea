// The per-session rollup `botMetrics` reads ("SessionFigures"): each session's grouping columns, its
// duration and its message figures (messages, user messages, judged and failed turns, intents), so a
// bucket's figures come from one narrow row a session instead of the session's document and every
// message's. The writer keeps the rows of the sessions a chunk touched inside the chunk's transaction,
// under the sessions' locks (../ingest/writer.ts), so no other writer of those sessions runs between
// its reads and its writes:
// - a session the chunk created: its figures are the messages the chunk inserted (a turn that arrived
//   before its session is among them: the writer claims waiting messages into the chunk);
// - a session that had figures and got new messages (or none): the new messages' counts are added;
// - a session with a stored message rewritten, or without figures (written around the writer): its
//   figures are recounted from the session and message tables.
// The session's own columns (status, outcome, times, ...) are always copied from its row. The message
// rules are written twice, here for the chunk's messages and in SQL for recounts; the tests hold both
// to a third count of their own. The migration that created the table counted every session;
// `refreshAllSessionFigures` does the same for data written around the writer (the benchmark loader).
import { Prisma as P } from '../generated/prisma/client.js';

type Tx = P.TransactionClient;

/** A message as the writer inserts it, with its session's kind. */
export interface InsertedMessage {
  sessionId: string;
  kind: string;
  key: string;
  sender: string;
  intent: string | null;
  data: unknown;
}

/** What a write transaction changed, for its sessions' figures. */
export interface FigureChanges {
  /** Sessions the transaction created. */
  created: ReadonlySet<string>;
  /** Every session whose row or messages the transaction changed (the created ones included). */
  touched: Iterable<string>;
  /** The messages it inserted. */
  inserted: readonly InsertedMessage[];
  /** Sessions of which it rewrote a stored message. */
  rewritten: Iterable<string>;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** JUDGED_TURN and FAILED_TURN below, for one message: what PostgreSQL's ->> and jsonb_typeof make of its document. */
export function turnJudgement(message: Omit<InsertedMessage, 'sessionId'>): { judged: boolean; failed: boolean } {
  const data = isObject(message.data) ? message.data : {};
  if (message.kind === 'BOT_FLOW') {
    const result = data.askActionResult;
    const judged = /^turn:[\s\S]*:0$/.test(message.key) && result !== undefined && result !== null;
    return { judged, failed: judged && typeof result === 'string' && (result.startsWith('NoMatch') || result.startsWith('NoInput')) };
  }
  if (message.kind === 'CHATLAYER') {
    const snapshot = data.snapshot;
    const judged = message.sender === 'USER' && ((isObject(snapshot) && isObject(snapshot.nlp)) || (message.key.startsWith('snapshot:') && isObject(data.nlp)));
    return { judged, failed: judged && message.intent === null };
  }
  return { judged: false, failed: false };
}

interface Delta {
  sessionId: string;
  messages: number;
  userMessages: number;
  judgedTurns: number;
  failedTurns: number;
  intents: Record<string, number>;
}

function deltasOf(sessionIds: Iterable<string>, inserted: readonly InsertedMessage[]): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  // Intents are vendor text: counted in an object without a prototype ("constructor" is an intent like any other).
  const none = (): Record<string, number> => Object.create(null) as Record<string, number>;
  for (const sessionId of sessionIds) deltas.set(sessionId, { sessionId, messages: 0, userMessages: 0, judgedTurns: 0, failedTurns: 0, intents: none() });
  for (const message of inserted) {
    const delta = deltas.get(message.sessionId);
    if (!delta) continue;
    const { judged, failed } = turnJudgement(message);
    delta.messages += 1;
    if (message.sender === 'USER') delta.userMessages += 1;
    if (judged) delta.judgedTurns += 1;
    if (failed) delta.failedTurns += 1;
    if (message.intent !== null) delta.intents[message.intent] = (delta.intents[message.intent] ?? 0) + 1;
  }
  return deltas;
}

const DELTA_RECORD = P.raw(`"sessionId" uuid, "messages" int, "userMessages" int, "judgedTurns" int, "failedTurns" int, "intents" jsonb`);
/** The session's own columns, as the figures keep them. */
const SESSION_COLUMNS = P.raw(`s."tenantId", s."createdAt", s."vendor", s."kind", s."botId", s."channel", s."language", s."status", s."outcome",
  s."conversationId", CASE WHEN s."outcome" IS NOT NULL AND s."endedAt" IS NOT NULL THEN EXTRACT(EPOCH FROM s."endedAt" - s."createdAt")::float8 END`);

/**
 * Keeps the figures of the sessions a write transaction changed (see the top of this file). Run by the
 * writer after it applied a chunk, in its transaction, while it holds the sessions' locks.
 */
export async function keepSessionFigures(tx: Tx, changes: FigureChanges): Promise<void> {
  const rewritten = new Set(changes.rewritten);
  const touched = [...new Set(changes.touched)].filter((id) => !rewritten.has(id));
  if (touched.length === 0 && rewritten.size === 0) return;
  // The planner prices these statements over a chunk (hundreds of sessions, thousands of messages)
  // above jit_above_cost, and compiling them took longer than running them (20-35 ms a chunk): no JIT
  // for the rest of this write transaction, which is all short statements.
  await tx.$executeRaw`SET LOCAL jit = off`;
  const deltas = deltasOf(touched, changes.inserted);
  const created = [...deltas.values()].filter((d) => changes.created.has(d.sessionId));
  const existing = [...deltas.values()].filter((d) => !changes.created.has(d.sessionId));
  if (created.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "SessionFigures" (${P.raw(COLUMNS)})
      SELECT s."id", ${SESSION_COLUMNS}, d."messages", d."userMessages", d."judgedTurns", d."failedTurns", d."intents"
      FROM jsonb_to_recordset(${JSON.stringify(created)}::jsonb) AS d(${DELTA_RECORD})
      JOIN "Session" s ON s."id" = d."sessionId"`;
  }
  if (existing.length > 0) {
    // Adds the new messages' counts to figures that exist; names the sessions that have none.
    const missing = await tx.$queryRaw<{ sessionId: string }[]>`
      WITH d AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(existing)}::jsonb) AS d(${DELTA_RECORD})),
      changed AS (
        UPDATE "SessionFigures" f SET
          ("tenantId", "createdAt", "vendor", "kind", "botId", "channel", "language", "status", "outcome", "conversationId", "duration")
            = (SELECT ${SESSION_COLUMNS} FROM "Session" s WHERE s."id" = f."sessionId"),
          "messages" = f."messages" + d."messages",
          "userMessages" = f."userMessages" + d."userMessages",
          "judgedTurns" = f."judgedTurns" + d."judgedTurns",
          "failedTurns" = f."failedTurns" + d."failedTurns",
          "intents" = CASE WHEN d."intents" = '{}'::jsonb THEN f."intents" ELSE (
            SELECT jsonb_object_agg(n."name", n."count") FROM (
              SELECT e.key AS "name", sum(e.value::int)::int AS "count"
              FROM (SELECT * FROM jsonb_each_text(f."intents") UNION ALL SELECT * FROM jsonb_each_text(d."intents")) e
              GROUP BY 1
            ) n) END
        FROM d WHERE f."sessionId" = d."sessionId"
        RETURNING f."sessionId"
      )
      SELECT d."sessionId"::text AS "sessionId" FROM d
      WHERE NOT EXISTS (SELECT 1 FROM "SessionFigures" f WHERE f."sessionId" = d."sessionId")`;
    for (const row of missing) rewritten.add(row.sessionId);
  }
  if (rewritten.size > 0) await tx.$executeRaw(upsertSql(P.sql`s."id" = ANY(${[...rewritten]}::uuid[])`));
}

/**
 * Whether message `m` of session `s` is a user turn the vendor judged: a Genesys reporting turn with an
 * ask action result (counted once, on its first message; every message of a turn carries the turn), or
 * a Chatlayer user message with an NLP result (the session-data snapshot's).
 */
const JUDGED_TURN = `(
    (s."kind" = 'BOT_FLOW' AND m."key" LIKE 'turn:%:0' AND (m."data"->>'askActionResult') IS NOT NULL)
    OR (s."kind" = 'CHATLAYER' AND m."sender" = 'USER' AND (
      jsonb_typeof(m."data"->'snapshot'->'nlp') = 'object' OR (m."key" LIKE 'snapshot:%' AND jsonb_typeof(m."data"->'nlp') = 'object')))
  )`;
/** ...and one it did not understand: Genesys no-match / no-input results, a Chatlayer NLP result without an intent. */
const FAILED_TURN = `(
      (s."kind" = 'BOT_FLOW' AND (m."data"->>'askActionResult' LIKE 'NoMatch%' OR m."data"->>'askActionResult' LIKE 'NoInput%'))
      OR (s."kind" = 'CHATLAYER' AND m."intent" IS NULL))`;

const COLUMNS = `"sessionId", "tenantId", "createdAt", "vendor", "kind", "botId", "channel", "language", "status", "outcome",
  "conversationId", "duration", "messages", "userMessages", "judgedTurns", "failedTurns", "intents"`;

/**
 * Upserts the figures of the sessions `s` matching `where` (a condition on `"Session" s`), recounted; a
 * row that would not change is left alone (no dead tuple: the index-only scans keep their visibility).
 */
function upsertSql(where: P.Sql): P.Sql {
  const updates = COLUMNS.split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '"sessionId"')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  return P.sql`${P.raw(`
    INSERT INTO "SessionFigures" (${COLUMNS})
    SELECT s."id", s."tenantId", s."createdAt", s."vendor", s."kind", s."botId", s."channel", s."language", s."status", s."outcome",
      s."conversationId",
      CASE WHEN s."outcome" IS NOT NULL AND s."endedAt" IS NOT NULL THEN EXTRACT(EPOCH FROM s."endedAt" - s."createdAt")::float8 END,
      coalesce(c."messages", 0), coalesce(c."userMessages", 0), coalesce(c."judgedTurns", 0), coalesce(c."failedTurns", 0),
      coalesce(c."intents", '{}'::jsonb)
    FROM "Session" s
    LEFT JOIN (
      -- One pass over the sessions' messages, by session and intent, then by session.
      SELECT p."sessionId", sum(p."count")::int AS "messages", sum(p."userMessages")::int AS "userMessages",
        sum(p."judgedTurns")::int AS "judgedTurns", sum(p."failedTurns")::int AS "failedTurns",
        jsonb_object_agg(p."intent", p."count") FILTER (WHERE p."intent" IS NOT NULL) AS "intents"
      FROM (
        SELECT m."sessionId", m."intent", count(*) AS "count",
          count(*) FILTER (WHERE m."sender" = 'USER') AS "userMessages",
          count(*) FILTER (WHERE j."judged") AS "judgedTurns",
          count(*) FILTER (WHERE j."judged" AND ${FAILED_TURN}) AS "failedTurns"
        FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id"
        CROSS JOIN LATERAL (SELECT ${JUDGED_TURN} AS "judged") j
        WHERE `)} ${where} ${P.raw(`
        GROUP BY 1, 2
      ) p
      GROUP BY 1
    ) c ON c."sessionId" = s."id"
    WHERE `)} ${where} ${P.raw(`
    ON CONFLICT ("sessionId") DO UPDATE SET ${updates}
    WHERE ("SessionFigures".*) IS DISTINCT FROM (EXCLUDED.*)`)}`;
}

/** Something that runs one SQL statement (a bare `pg` client, or Prisma's `$executeRawUnsafe`). */
export type RunStatement = (sql: string) => Promise<unknown>;

/** Recounts every session's figures: for data written without the writer (the benchmark's bulk loader). */
export async function refreshAllSessionFigures(run: RunStatement): Promise<void> {
  await run(upsertSql(P.sql`TRUE`).sql);
}
