// Bot metrics across vendors (`Query.botMetrics`): sessions grouped by a time bucket of their `createdAt`
// in a time zone and by the dimensions asked for, every figure computed by PostgreSQL from the
// per-session rollup the writer keeps exact (./session-figures.ts). Three statements at most: the
// buckets (consecutive periods of the zone's calendar over the range), the figures of every bucket and
// group, and the intents, only when asked for.
//
// Why the buckets are computed first and joined as ranges, instead of truncating each session's time:
// a bucket is then exactly the sessions of [start, end) (the clocks going back at midnight cannot put a
// later session in an earlier bucket), each bucket is one index range, and the planner, knowing how
// few buckets there are, aggregates them in a hash table instead of sorting every session. What each
// figure means, and which vendor signal counts as a recognition failure: README, "Bot metrics".
import type { Prisma } from '../db/client.js';
import { Prisma as P } from '../generated/prisma/client.js';
import { type SessionKind, SessionOutcome, type Vendor } from '../generated/prisma/enums.js';
import type { ScopedSessionFilter } from '../queries/sessions.js';
import { sessionFilterSql } from './filter-sql.js';

type Tx = P.TransactionClient;

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
  /** Whether message figures (messages, turns, recognition) are asked for: a subscription then follows new messages too. */
  messages: boolean;
  /** Whether the intents are asked for: read only then (the other figures cost next to nothing once a bucket is read). */
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

/** The five dimension columns, null where not grouped (a constant null groups nothing). */
function dimensionColumns(request: BotMetricsRequest): P.Sql {
  return P.raw(
    (Object.keys(DIMENSION_COLUMNS) as MetricDimension[])
      .map((d) => `${request.groupBy.includes(d) ? DIMENSION_COLUMNS[d].column : 'NULL::text'} AS "${DIMENSION_COLUMNS[d].alias}"`)
      .join(', '),
  );
}

/** The time buckets of an answer: consecutive [start, end) ranges. */
interface Buckets {
  starts: Date[];
  ends: Date[];
}

interface RangeRow {
  starts: Date[] | null;
  ends: Date[] | null;
}

/**
 * The buckets from the first matching session's to the last's (those before and after would be empty,
 * and are not sent). Days, weeks and months follow the zone's calendar (a DST day is 23 or 25 hours);
 * an hour is an hour (the local clock's 02:00 may come twice, or not at all). Without an interval, one
 * bucket: the filter's range, or the data's where the filter leaves it open. At most MAX_BUCKETS + 1
 * are generated (one more means the answer is refused), however long the range. Null when no session
 * matches.
 */
async function bucketsOf(prisma: Tx, request: BotMetricsRequest): Promise<Buckets | null> {
  const { filter, interval, timeZone } = request;
  const after = filter.createdAfter ? P.sql`${filter.createdAfter}::timestamptz` : P.sql`NULL::timestamptz`;
  const before = filter.createdBefore ? P.sql`${filter.createdBefore}::timestamptz` : P.sql`NULL::timestamptz`;
  let series: P.Sql;
  if (interval === null) {
    series = P.sql`SELECT coalesce(${after}, d."first") AS "start", coalesce(${before}, d."end") AS "end" FROM d`;
  } else if (interval === 'HOUR') {
    // Each series is cut at MAX_BUCKETS + 1 steps before it is made (a function in FROM is run whole).
    series = P.sql`SELECT t AS "start", t + interval '1 hour' AS "end"
      FROM d, LATERAL (SELECT date_trunc('hour', d."first", ${timeZone}) AS "first") f,
        generate_series(f."first", least(d."end", f."first" + interval '1 hour' * ${MAX_BUCKETS + 1}), interval '1 hour') AS t
      WHERE t < d."end"`;
  } else {
    const { unit, step } = UNITS[interval];
    series = P.sql`SELECT l AT TIME ZONE ${timeZone} AS "start", (l + ${step}::interval) AT TIME ZONE ${timeZone} AS "end"
      FROM d, LATERAL (SELECT date_trunc(${unit}, d."first" AT TIME ZONE ${timeZone}) AS "first") f,
        generate_series(f."first", least(d."end" AT TIME ZONE ${timeZone}, f."first" + ${step}::interval * ${MAX_BUCKETS + 1}), ${step}::interval) AS l
      WHERE l AT TIME ZONE ${timeZone} < d."end"`;
  }
  // The newest session belongs to the range: it ends a millisecond (the column's precision) after it.
  const [row] = await prisma.$queryRaw<RangeRow[]>`
    WITH d AS (
      SELECT min(s."createdAt") AS "first", max(s."createdAt") + interval '1 millisecond' AS "end"
      FROM "SessionFigures" s WHERE ${sessionFilterSql(filter)}
    ), b AS (${series})
    SELECT array_agg(b."start" ORDER BY b."start") AS "starts", array_agg(b."end" ORDER BY b."start") AS "ends" FROM b WHERE b."start" IS NOT NULL`;
  if (!row?.starts || row.starts.length === 0 || !row.ends) return null;
  if (row.starts.length > MAX_BUCKETS) throw tooMany();
  return { starts: row.starts.map((d) => new Date(d)), ends: row.ends.map((d) => new Date(d)) };
}

const tooMany = () =>
  new TooManyBucketsError(
    `more than ${String(MAX_BUCKETS)} buckets: narrow filter.createdAfter/createdBefore, use a longer interval, or group by fewer dimensions`,
  );

/**
 * The buckets as a relation `b("start", "end")` of known size, and what `select` computes over each
 * bucket's sessions, as a subquery run once per bucket: each bucket is then one index range, whatever
 * the planner estimates (joined as a range instead, it may read the whole range once and compare every
 * session with every bucket), and only a bucket's sessions are ever sorted or hashed together.
 */
function perBucket(buckets: Buckets, request: BotMetricsRequest, select: P.Sql, groupBy: string): P.Sql {
  const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
  return P.sql`
    SELECT b."start", b."end", g.*
    FROM unnest(${iso(buckets.starts)}::timestamptz[], ${iso(buckets.ends)}::timestamptz[]) AS b("start", "end")
    CROSS JOIN LATERAL (
      ${select}
      WHERE s."createdAt" >= b."start" AND s."createdAt" < b."end" AND ${sessionFilterSql(request.filter)}
      GROUP BY ${P.raw(groupBy)}
    ) g`;
}

interface GroupRow {
  start: Date;
  end: Date;
  vendor: string | null;
  kind: string | null;
  botId: string | null;
  channel: string | null;
  language: string | null;
}

interface FigureRow extends GroupRow {
  sessions: number;
  ended: number;
  durationAverage: number | null;
  durationP50: number | null;
  durationP90: number | null;
  messages: number;
  userMessages: number;
  judgedTurns: number;
  failedTurns: number;
  [outcome: string]: unknown;
}

interface IntentRow extends GroupRow {
  name: string;
  count: number;
}

/**
 * Every figure but the intents. The durations are gathered per group and their percentiles taken
 * group by group (an ordered-set aggregate over the whole range would sort every session first).
 */
/** Every figure but the intents, per bucket and group (a group without sessions is no row). */
function figureStatement(request: BotMetricsRequest, buckets: Buckets): P.Sql {
  const outcomes = P.raw(OUTCOMES.map((o) => `count(*) FILTER (WHERE s."outcome" = '${o}')::int AS "${o}"`).join(', '));
  const select = P.sql`
      SELECT ${dimensionColumns(request)},
        count(*)::int AS "sessions",
        count(s."outcome")::int AS "ended",
        ${outcomes},
        avg(s."duration") AS "durationAverage",
        percentile_cont(0.5) WITHIN GROUP (ORDER BY s."duration") AS "durationP50",
        percentile_cont(0.9) WITHIN GROUP (ORDER BY s."duration") AS "durationP90",
        sum(s."messages")::int AS "messages",
        sum(s."userMessages")::int AS "userMessages",
        sum(s."judgedTurns")::int AS "judgedTurns",
        sum(s."failedTurns")::int AS "failedTurns"
      FROM "SessionFigures" s`;
  return P.sql`${perBucket(buckets, request, select, '1, 2, 3, 4, 5')} LIMIT ${MAX_BUCKETS + 1}`;
}

function intentStatement(request: BotMetricsRequest, buckets: Buckets): P.Sql {
  const select = P.sql`
      SELECT ${dimensionColumns(request)}, i.key AS "name", sum(i.value::int)::int AS "count"
      FROM "SessionFigures" s CROSS JOIN LATERAL jsonb_each_text(s."intents") AS i`;
  return perBucket(buckets, request, select, '1, 2, 3, 4, 5, 6');
}

const groupKey = (row: GroupRow) => JSON.stringify([row.start.toISOString(), row.vendor, row.kind, row.botId, row.channel, row.language]);

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The buckets, ordered by start and then by their group. */
export async function botMetrics(prisma: Prisma, request: BotMetricsRequest): Promise<BotMetricsBucket[]> {
  const read = await prisma.$transaction(
    async (tx) => {
      // The planner prices a month of a large tenant above jit_above_cost, and compiling the statement
      // took longer than running it (at 1,000,000 sessions: ~30 ms to run, 40-100 ms more to compile).
      // Set for this transaction only: a statement pooler (PgBouncer) would refuse it as a startup option.
      await tx.$executeRaw`SET LOCAL jit = off`;
      const buckets = await bucketsOf(tx, request);
      if (buckets === null || buckets.starts.length === 0) return { rows: [], intents: [] };
      // The figures first: an answer of too many buckets is refused before the intents are read.
      const rows = await tx.$queryRaw<FigureRow[]>(figureStatement(request, buckets));
      if (rows.length > MAX_BUCKETS) throw tooMany();
      const intents = request.intents && rows.length > 0 ? await tx.$queryRaw<IntentRow[]>(intentStatement(request, buckets)) : [];
      return { rows, intents };
    },
    // Waits for a connection as long as any other read would; a year of hours may take a while.
    { maxWait: 60_000, timeout: 120_000 },
  );
  const { rows, intents } = read;
  const intentsByKey = new Map<string, { name: string; count: number }[]>();
  for (const row of intents) {
    const key = groupKey(row);
    const list = intentsByKey.get(key) ?? [];
    list.push({ name: row.name, count: row.count });
    intentsByKey.set(key, list);
  }
  const result = rows.map((row): BotMetricsBucket => {
    const key = groupKey(row);
    const count = (outcome: SessionOutcome) => Number(row[outcome] ?? 0);
    const escalated = count(SessionOutcome.ESCALATED);
    const abandoned = count(SessionOutcome.ABANDONED) + count(SessionOutcome.EXPIRED);
    const contained = row.ended - escalated;
    return {
      key,
      start: new Date(row.start),
      end: new Date(row.end),
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
      messages: row.messages,
      userMessages: row.userMessages,
      averageTurns: ratio(row.userMessages, row.sessions),
      duration: { average: row.durationAverage, p50: row.durationP50, p90: row.durationP90 },
      judgedTurns: row.judgedTurns,
      failedTurns: row.failedTurns,
      recognitionFailureRate: ratio(row.failedTurns, row.judgedTurns),
      intents: (intentsByKey.get(key) ?? []).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    };
  });
  return result.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
