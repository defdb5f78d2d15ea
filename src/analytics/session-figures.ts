// The per-session rollup `botMetrics` reads ("SessionFigures"): each session's grouping columns, its
// duration and its message figures (messages, user messages, judged and failed turns, intents), so a
// bucket's figures come from one narrow row a session instead of the session's document and every
// message's. The writer refreshes the rows of the sessions a chunk touched, inside the chunk's
// transaction and under the sessions' locks (../ingest/writer.ts), by recounting them from the session
// and message tables: never an increment, so a replay, an outcome that changes or a turn that arrives
// before its session leaves the row equal to a recount. The migration that created the table filled
// it the same way; `refreshAllSessionFigures` does it for data written around the writer (the benchmark
// loader).
import { Prisma as P } from '../generated/prisma/client.js';

type Tx = P.TransactionClient;

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

/**
 * Recounts the figures of `sessionIds` (run by the writer after it applied a chunk, in its transaction,
 * while it holds the sessions' locks: what it recounts is every write of these sessions so far).
 */
export async function refreshSessionFigures(tx: Tx, sessionIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(sessionIds)];
  if (ids.length === 0) return;
  // The planner prices a chunk's recount (hundreds of sessions, thousands of messages) above
  // jit_above_cost, and compiling it took longer than running it (20-35 ms a chunk, more once
  // optimisation kicks in): no JIT for the rest of this write transaction, which is all short statements.
  await tx.$executeRaw`SET LOCAL jit = off`;
  await tx.$executeRaw(upsertSql(P.sql`s."id" = ANY(${ids}::uuid[])`));
}

/** Something that runs one SQL statement (a bare `pg` client, or Prisma's `$executeRawUnsafe`). */
export type RunStatement = (sql: string) => Promise<unknown>;

/** Recounts every session's figures: for data written without the writer (the benchmark's bulk loader). */
export async function refreshAllSessionFigures(run: RunStatement): Promise<void> {
  await run(upsertSql(P.sql`TRUE`).sql);
}
