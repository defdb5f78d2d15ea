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
      coalesce(i."intents", '{}'::jsonb)
    FROM "Session" s
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS "messages",
        count(*) FILTER (WHERE m."sender" = 'USER')::int AS "userMessages",
        count(*) FILTER (WHERE j."judged")::int AS "judgedTurns",
        count(*) FILTER (WHERE j."judged" AND ${FAILED_TURN})::int AS "failedTurns"
      FROM "Message" m
      CROSS JOIN LATERAL (SELECT ${JUDGED_TURN} AS "judged") j
      WHERE m."sessionId" = s."id"
    ) c ON TRUE
    LEFT JOIN LATERAL (
      SELECT jsonb_object_agg(n."intent", n."count") AS "intents"
      FROM (SELECT m."intent", count(*)::int AS "count" FROM "Message" m WHERE m."sessionId" = s."id" AND m."intent" IS NOT NULL GROUP BY 1) n
    ) i ON TRUE
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
  await tx.$executeRaw(upsertSql(P.sql`s."id" = ANY(${ids}::uuid[])`));
}

/** Something that runs one SQL statement (a bare `pg` client, or Prisma's `$executeRawUnsafe`). */
export type RunStatement = (sql: string) => Promise<unknown>;

/** Recounts every session's figures: for data written without the writer (the benchmark's bulk loader). */
export async function refreshAllSessionFigures(run: RunStatement): Promise<void> {
  await run(upsertSql(P.sql`TRUE`).sql);
}
