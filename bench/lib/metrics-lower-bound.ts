// botMetrics' lower bound (issue 14): the same figures by hand-written SQL through the bare driver and a
// bare node:http handler, answering the very JSON the gateway does for the suite's two operations (the
// session figures, and the full figures with messages, recognition and intents), so the suite can
// check they are equal before timing either. The statements are written here, not shared with
// src/analytics: a lower bound that called Parley's own SQL builder would measure nothing.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SessionOutcome } from '../../src/generated/prisma/enums.js';

const OUTCOMES = Object.values(SessionOutcome);

export interface MetricsWindow {
  tenantId: string;
  from: Date;
  to: Date;
  timeZone: string;
}

interface SessionRow {
  start: Date;
  end: Date;
  botId: string | null;
  sessions: number;
  ended: number;
  average: number | null;
  p50: number | null;
  p90: number | null;
  [outcome: string]: unknown;
}

const SESSION_SQL = `
  SELECT b."start", ((b."start" AT TIME ZONE $4) + interval '1 day') AT TIME ZONE $4 AS "end", b.*
  FROM (
    SELECT date_trunc('day', "createdAt", $4) AS "start", "botId",
      count(*)::int AS "sessions", count("outcome")::int AS "ended",
      ${OUTCOMES.map((o) => `count(*) FILTER (WHERE "outcome" = '${o}')::int AS "${o}"`).join(', ')},
      avg(EXTRACT(EPOCH FROM "endedAt" - "createdAt")::float8) FILTER (WHERE "outcome" IS NOT NULL AND "endedAt" IS NOT NULL) AS "average",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "endedAt" - "createdAt")::float8) FILTER (WHERE "outcome" IS NOT NULL AND "endedAt" IS NOT NULL) AS "p50",
      percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "endedAt" - "createdAt")::float8) FILTER (WHERE "outcome" IS NOT NULL AND "endedAt" IS NOT NULL) AS "p90"
    FROM "Session"
    WHERE "tenantId" = $1 AND "createdAt" >= $2 AND "createdAt" < $3
    GROUP BY 1, 2
  ) b`;

const MESSAGE_SQL = `
  SELECT date_trunc('day', s."createdAt", $4) AS "start", s."botId",
    count(*)::int AS "messages",
    count(*) FILTER (WHERE m."sender" = 'USER')::int AS "userMessages",
    count(*) FILTER (WHERE (s."kind" = 'BOT_FLOW' AND m."key" LIKE 'turn:%:0' AND (m."data"->>'askActionResult') IS NOT NULL)
      OR (s."kind" = 'CHATLAYER' AND m."sender" = 'USER' AND (jsonb_typeof(m."data"->'snapshot'->'nlp') = 'object'
        OR (m."key" LIKE 'snapshot:%' AND jsonb_typeof(m."data"->'nlp') = 'object'))))::int AS "judged",
    count(*) FILTER (WHERE (s."kind" = 'BOT_FLOW' AND m."key" LIKE 'turn:%:0' AND (m."data"->>'askActionResult' LIKE 'NoMatch%' OR m."data"->>'askActionResult' LIKE 'NoInput%'))
      OR (s."kind" = 'CHATLAYER' AND m."sender" = 'USER' AND m."intent" IS NULL AND (jsonb_typeof(m."data"->'snapshot'->'nlp') = 'object'
        OR (m."key" LIKE 'snapshot:%' AND jsonb_typeof(m."data"->'nlp') = 'object'))))::int AS "failed"
  FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id"
  WHERE s."tenantId" = $1 AND s."createdAt" >= $2 AND s."createdAt" < $3
  GROUP BY 1, 2`;

const INTENT_SQL = `
  SELECT "start", "botId", "name", "count" FROM (
    SELECT date_trunc('day', s."createdAt", $4) AS "start", s."botId", m."intent" AS "name", count(*)::int AS "count",
      row_number() OVER (PARTITION BY date_trunc('day', s."createdAt", $4), s."botId" ORDER BY count(*) DESC, m."intent") AS "rank"
    FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id"
    WHERE s."tenantId" = $1 AND s."createdAt" >= $2 AND s."createdAt" < $3 AND m."intent" IS NOT NULL
    GROUP BY 1, 2, 3
  ) ranked WHERE "rank" <= 5`;

const key = (start: Date, botId: string | null) => `${start.toISOString()} ${botId ?? ''}`;
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

async function figures(pool: pg.Pool, window: MetricsWindow, full: boolean): Promise<unknown> {
  const params = [window.tenantId, window.from, window.to, window.timeZone];
  const [sessions, messages, intents] = await Promise.all([
    pool.query<SessionRow>(SESSION_SQL, params),
    full
      ? pool.query<{ start: Date; botId: string | null; messages: number; userMessages: number; judged: number; failed: number }>(MESSAGE_SQL, params)
      : null,
    full ? pool.query<{ start: Date; botId: string | null; name: string; count: number }>(INTENT_SQL, params) : null,
  ]);
  const byKey = new Map((messages?.rows ?? []).map((row) => [key(row.start, row.botId), row]));
  const intentsByKey = new Map<string, { name: string; count: number }[]>();
  for (const row of intents?.rows ?? []) {
    const list = intentsByKey.get(key(row.start, row.botId)) ?? [];
    list.push({ name: row.name, count: row.count });
    intentsByKey.set(key(row.start, row.botId), list);
  }
  // The gateway's order: by start, then by the group's JSON (a bot id before none).
  const group = (row: SessionRow) => JSON.stringify([row.botId]);
  const rows = [...sessions.rows].sort((a, b) => a.start.getTime() - b.start.getTime() || (group(a) < group(b) ? -1 : group(a) > group(b) ? 1 : 0));
  return {
    data: {
      botMetrics: rows.map((row) => {
        const escalated = Number(row.ESCALATED);
        const abandoned = Number(row.ABANDONED) + Number(row.EXPIRED);
        const contained = row.ended - escalated;
        const bucket: Record<string, unknown> = {
          start: row.start.toISOString(),
          end: row.end.toISOString(),
          botId: row.botId,
          sessions: row.sessions,
          ended: row.ended,
          escalated,
          contained,
          abandoned,
          containmentRate: ratio(contained, row.ended),
          escalationRate: ratio(escalated, row.ended),
          abandonmentRate: ratio(abandoned, row.ended),
          outcomes: OUTCOMES.map((outcome) => ({ outcome, count: Number(row[outcome]) })),
          duration: { average: row.average, p50: row.p50, p90: row.p90 },
        };
        if (full) {
          const m = byKey.get(key(row.start, row.botId));
          Object.assign(bucket, {
            messages: m?.messages ?? 0,
            userMessages: m?.userMessages ?? 0,
            averageTurns: ratio(m?.userMessages ?? 0, row.sessions),
            recognitionFailureRate: ratio(m?.failed ?? 0, m?.judged ?? 0),
            topIntents: intentsByKey.get(key(row.start, row.botId)) ?? [],
          });
        }
        return bucket;
      }),
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface MetricsLowerBound {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** Answers `{ query, variables: { full } }` bodies: the window is fixed at start. */
export async function startMetricsLowerBound(url: string, window: MetricsWindow, poolSize: number): Promise<MetricsLowerBound> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const state: MetricsLowerBound = { url: '', requests: 0, close: async () => {} };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    void (async () => {
      try {
        const body = JSON.parse(await readBody(request)) as { variables?: { full?: boolean } };
        const text = JSON.stringify(await figures(pool, window, body.variables?.full === true));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(text);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error));
      }
    })();
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.end();
  };
  return state;
}
