// Bot metrics across vendors (`Query.botMetrics`): sessions grouped by a time bucket of their `createdAt`
// in a time zone and by the dimensions asked for, with every figure computed by PostgreSQL from the
// session and message tables in up to three statements (sessions first; then messages and intents side
// by side, only when asked for).
// Reading the tables, not a rollup, is what keeps the figures exact whatever order the writes came in:
// an outcome that changes, a replay, a message that arrives late are all in the next answer. What each
// figure means, and which vendor signal counts as a recognition failure: README, "Bot metrics".
import type { Prisma } from '../db/client.js';
import { Prisma as P } from '../generated/prisma/client.js';
import { type SessionKind, SessionOutcome, type Vendor } from '../generated/prisma/enums.js';
import type { ScopedSessionFilter } from '../queries/sessions.js';
import { sessionFilterSql } from './filter-sql.js';

export const METRIC_DIMENSIONS = ['VENDOR', 'KIND', 'BOT', 'CHANNEL', 'LANGUAGE'] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];
export const METRIC_INTERVALS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type MetricInterval = (typeof METRIC_INTERVALS)[number];

export const OUTCOMES = Object.values(SessionOutcome);

/** Buckets one answer may hold: an hourly breakdown of a year by every dimension would be millions. */
export const MAX_BUCKETS = 10_000;

/** More buckets than MAX_BUCKETS: the caller narrows the range, the interval or the grouping. */
export class TooManyBucketsError extends Error {
  override name = 'TooManyBucketsError';
}

export interface BotMetricsRequest {
  filter: ScopedSessionFilter;
  groupBy: readonly MetricDimension[];
  /** Null: one bucket for the whole range. */
  interval: MetricInterval | null;
  /** An IANA zone PostgreSQL knows (checked by the caller). */
  timeZone: string;
  /** Whether to read the message table (messages, turns, recognition) and the intents. */
  messages: boolean;
  intents: boolean;
}

export interface DurationFigures {
  average: number | null;
  p50: number | null;
  p90: number | null;
}

export interface BotMetricsBucket {
  /** The bucket's identity: its start and group (for the subscription's diff). */
  key: string;
  start: Date;
  end: Date;
  vendor: Vendor | null;
  kind: SessionKind | null;
  botId: string | null;
  channel: string | null;
  language: string | null;
  sessions: number;
  ended: number;
  outcomes: { outcome: SessionOutcome; count: number }[];
  escalated: number;
  contained: number;
  abandoned: number;
  containmentRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  messages: number;
  userMessages: number;
  averageTurns: number | null;
  duration: DurationFigures;
  /** User turns a vendor judged, and those it marked as not understood. */
  judgedTurns: number;
  failedTurns: number;
  recognitionFailureRate: number | null;
  /** Every intent of the bucket's messages, most frequent first (ties by name). */
  intents: { name: string; count: number }[];
}

/** `date_trunc`'s unit, and the length of a bucket in the zone's own calendar. */
const UNITS: Record<MetricInterval, { unit: string; step: string }> = {
  HOUR: { unit: 'hour', step: '1 hour' },
  DAY: { unit: 'day', step: '1 day' },
  WEEK: { unit: 'week', step: '1 week' },
  MONTH: { unit: 'month', step: '1 month' },
};

const DIMENSION_COLUMNS: Record<MetricDimension, { column: string; alias: 'vendor' | 'kind' | 'botId' | 'channel' | 'language' }> = {
  VENDOR: { column: 's."vendor"::text', alias: 'vendor' },
  KIND: { column: 's."kind"::text', alias: 'kind' },
  BOT: { column: 's."botId"', alias: 'botId' },
  CHANNEL: { column: 's."channel"', alias: 'channel' },
  LANGUAGE: { column: 's."language"', alias: 'language' },
};

/**
 * The group columns every statement starts with, in this order: the bucket's start (null without an
 * interval), then the five dimensions (null where not grouped). `GROUP BY 1, ..., 6` then groups by
 * exactly what was asked for (a constant null groups nothing).
 */
function groupColumns(request: BotMetricsRequest): P.Sql {
  const start = request.interval === null ? P.sql`NULL::timestamptz` : P.sql`date_trunc(${UNITS[request.interval].unit}, s."createdAt", ${request.timeZone})`;
  const dims = (Object.keys(DIMENSION_COLUMNS) as MetricDimension[]).map((d) => {
    const { column, alias } = DIMENSION_COLUMNS[d];
    return P.raw(`${request.groupBy.includes(d) ? column : 'NULL::text'} AS "${alias}"`);
  });
  return P.sql`${start} AS "start", ${P.join(dims, ', ')}`;
}

const GROUP_BY = P.raw('GROUP BY 1, 2, 3, 4, 5, 6');

/** Seconds from creation to end, for sessions that ended (an outcome) and say when. */
const DURATION = P.raw('EXTRACT(EPOCH FROM s."endedAt" - s."createdAt")::float8');
const HAS_DURATION = P.raw('s."outcome" IS NOT NULL AND s."endedAt" IS NOT NULL');

/**
 * A user turn the vendor judged: a Genesys reporting turn with an ask action result (counted once, on
 * its first message; every message of a turn carries the turn), or a Chatlayer user message with an
 * NLP result (the session-data snapshot's).
 */
const JUDGED_TURN = P.raw(`(
  (s."kind" = 'BOT_FLOW' AND m."key" LIKE 'turn:%:0' AND (m."data"->>'askActionResult') IS NOT NULL)
  OR (s."kind" = 'CHATLAYER' AND m."sender" = 'USER' AND (
    jsonb_typeof(m."data"->'snapshot'->'nlp') = 'object' OR (m."key" LIKE 'snapshot:%' AND jsonb_typeof(m."data"->'nlp') = 'object')))
)`);
/** ...that it did not understand: Genesys no-match / no-input results, a Chatlayer NLP result without an intent. */
const FAILED_TURN = P.raw(`(
  (s."kind" = 'BOT_FLOW' AND (m."data"->>'askActionResult' LIKE 'NoMatch%' OR m."data"->>'askActionResult' LIKE 'NoInput%'))
  OR (s."kind" = 'CHATLAYER' AND m."intent" IS NULL)
)`);

/** The group columns every statement starts with (groupColumns). */
interface GroupRow {
  start: Date | null;
  vendor: string | null;
  kind: string | null;
  botId: string | null;
  channel: string | null;
  language: string | null;
}

interface SessionRow extends GroupRow {
  sessions: number;
  ended: number;
  durationAverage: number | null;
  durationP50: number | null;
  durationP90: number | null;
  first: Date;
  last: Date;
  end: Date | null;
  [outcome: string]: unknown;
}

interface MessageRow extends GroupRow {
  messages: number;
  userMessages: number;
  judgedTurns: number;
  failedTurns: number;
}

interface IntentRow extends GroupRow {
  name: string;
  count: number;
}

function sessionStatement(request: BotMetricsRequest): P.Sql {
  const outcomes = P.join(
    OUTCOMES.map((o) => P.raw(`count(*) FILTER (WHERE s."outcome" = '${o}')::int AS "${o}"`)),
    ', ',
  );
  // Days, weeks and months follow the zone's calendar (a DST day is 23 or 25 hours); an hour is an hour
  // (the local clock's 02:00 may come twice, or not at all).
  const end =
    request.interval === null
      ? P.sql`NULL::timestamptz`
      : request.interval === 'HOUR'
        ? P.sql`g."start" + interval '1 hour'`
        : P.sql`((g."start" AT TIME ZONE ${request.timeZone}) + ${UNITS[request.interval].step}::interval) AT TIME ZONE ${request.timeZone}`;
  return P.sql`
    WITH g AS (
      SELECT ${groupColumns(request)},
        count(*)::int AS "sessions",
        count(s."outcome")::int AS "ended",
        ${outcomes},
        avg(${DURATION}) FILTER (WHERE ${HAS_DURATION}) AS "durationAverage",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DURATION}) FILTER (WHERE ${HAS_DURATION}) AS "durationP50",
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ${DURATION}) FILTER (WHERE ${HAS_DURATION}) AS "durationP90",
        min(s."createdAt") AS "first",
        max(s."createdAt") AS "last"
      FROM "Session" s
      WHERE ${sessionFilterSql(request.filter)}
      ${GROUP_BY}
    )
    SELECT g.*, ${end} AS "end" FROM g LIMIT ${MAX_BUCKETS + 1}`;
}

function messageStatement(request: BotMetricsRequest): P.Sql {
  return P.sql`
    SELECT ${groupColumns(request)},
      count(*)::int AS "messages",
      count(*) FILTER (WHERE m."sender" = 'USER')::int AS "userMessages",
      count(*) FILTER (WHERE ${JUDGED_TURN})::int AS "judgedTurns",
      count(*) FILTER (WHERE ${JUDGED_TURN} AND ${FAILED_TURN})::int AS "failedTurns"
    FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id"
    WHERE ${sessionFilterSql(request.filter)}
    ${GROUP_BY}`;
}

function intentStatement(request: BotMetricsRequest): P.Sql {
  return P.sql`
    SELECT ${groupColumns(request)}, m."intent" AS "name", count(*)::int AS "count"
    FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id"
    WHERE ${sessionFilterSql(request.filter)} AND m."intent" IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

const groupKey = (row: GroupRow) => JSON.stringify([row.start?.toISOString() ?? null, row.vendor, row.kind, row.botId, row.channel, row.language]);

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The buckets, ordered by start and then by their group. */
export async function botMetrics(prisma: Prisma, request: BotMetricsRequest): Promise<BotMetricsBucket[]> {
  // The session figures first: an answer of too many buckets is refused before the costlier reads.
  const sessions = await prisma.$queryRaw<SessionRow[]>(sessionStatement(request));
  if (sessions.length > MAX_BUCKETS) {
    throw new TooManyBucketsError(
      `more than ${String(MAX_BUCKETS)} buckets: narrow filter.createdAfter/createdBefore, use a longer interval, or group by fewer dimensions`,
    );
  }
  const [messages, intents] = await Promise.all([
    request.messages && sessions.length > 0 ? prisma.$queryRaw<MessageRow[]>(messageStatement(request)) : Promise.resolve([]),
    request.intents && sessions.length > 0 ? prisma.$queryRaw<IntentRow[]>(intentStatement(request)) : Promise.resolve([]),
  ]);
  const messagesByKey = new Map(messages.map((row) => [groupKey(row), row]));
  const intentsByKey = new Map<string, { name: string; count: number }[]>();
  for (const row of intents) {
    const key = groupKey(row);
    const list = intentsByKey.get(key) ?? [];
    list.push({ name: row.name, count: row.count });
    intentsByKey.set(key, list);
  }
  // Without an interval every group spans the whole range: the filter's, or the data's.
  const rangeStart = request.filter.createdAfter ?? earliest(sessions.map((s) => s.first));
  const rangeEnd = request.filter.createdBefore ?? (sessions.length === 0 ? null : new Date(Math.max(...sessions.map((s) => s.last.getTime())) + 1));
  const buckets = sessions.map((row): BotMetricsBucket => {
    const key = groupKey(row);
    const m = messagesByKey.get(key);
    const count = (outcome: SessionOutcome) => Number(row[outcome] ?? 0);
    const escalated = count(SessionOutcome.ESCALATED);
    const abandoned = count(SessionOutcome.ABANDONED) + count(SessionOutcome.EXPIRED);
    const contained = row.ended - escalated;
    const userMessages = m?.userMessages ?? 0;
    const judged = m?.judgedTurns ?? 0;
    const failed = m?.failedTurns ?? 0;
    return {
      key,
      start: row.start ?? rangeStart ?? new Date(0),
      end: row.end ?? rangeEnd ?? new Date(0),
      vendor: row.vendor as Vendor | null,
      kind: row.kind as SessionKind | null,
      botId: row.botId,
      channel: row.channel,
      language: row.language,
      sessions: row.sessions,
      ended: row.ended,
      outcomes: OUTCOMES.map((outcome) => ({ outcome, count: count(outcome) })),
      escalated,
      contained,
      abandoned,
      containmentRate: ratio(contained, row.ended),
      escalationRate: ratio(escalated, row.ended),
      abandonmentRate: ratio(abandoned, row.ended),
      messages: m?.messages ?? 0,
      userMessages,
      averageTurns: ratio(userMessages, row.sessions),
      duration: { average: row.durationAverage, p50: row.durationP50, p90: row.durationP90 },
      judgedTurns: judged,
      failedTurns: failed,
      recognitionFailureRate: ratio(failed, judged),
      intents: (intentsByKey.get(key) ?? []).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    };
  });
  return buckets.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function earliest(dates: readonly Date[]): Date | null {
  return dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime())));
}

/** A bucket with nothing in it: what a subscriber is sent for a bucket whose last session left it. */
export function emptied(bucket: BotMetricsBucket): BotMetricsBucket {
  return {
    ...bucket,
    sessions: 0,
    ended: 0,
    outcomes: OUTCOMES.map((outcome) => ({ outcome, count: 0 })),
    escalated: 0,
    contained: 0,
    abandoned: 0,
    containmentRate: null,
    escalationRate: null,
    abandonmentRate: null,
    messages: 0,
    userMessages: 0,
    averageTurns: null,
    duration: { average: null, p50: null, p90: null },
    judgedTurns: 0,
    failedTurns: 0,
    recognitionFailureRate: null,
    intents: [],
  };
}
