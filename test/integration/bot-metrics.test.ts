// botMetrics against a direct recount: after random ingests through the real routes — every vendor,
// replays, turns before their session, sessions whose outcome changes (active, then escalated) — every
// figure of every bucket equals what plain SQL over the session and message tables gives for the
// bucket's bounds and group, each session is in exactly one bucket, and the buckets start at local
// midnight in Europe/Brussels across the end of summer time. Then the bad paths, the tenant rule, and
// the wallboard subscription (at most one payload a second, the changed buckets only).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshAllSessionFigures } from '../../src/analytics/session-figures.js';
import { createApiKey } from '../../src/auth/keys.js';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { figureMismatches, isFailedTurn, isJudgedTurn } from '../helpers/figures.js';
import { subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
const loggedErrors: unknown[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  // No key cache: the tenant test adds keys (and so ends development access) and removes them again.
  gateway = createGateway({ database: db, logError: (e) => loggedErrors.push(e), authCacheMs: 0 });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
});
afterAll(async () => {
  await server.close();
  await db.close();
});
beforeEach(async () => {
  await db.prisma.$executeRawUnsafe('TRUNCATE "Session", "Message", "PendingMessage", "Conversation" CASCADE');
});

async function post(path: string, body: unknown, key?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url.replace('/graphql', '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as Record<string, unknown>;
  expect(response.status, JSON.stringify(reply)).toBe(200);
  return reply;
}

async function graphql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** mulberry32: the same operations for the same seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Ten days around the end of summer time in Brussels (25 October 2026, 03:00 → 02:00).
const BASE = Date.parse('2026-10-20T00:00:00Z');
const HOUR = 3600_000;
const INTENTS = ['billing', 'meter_reading', 'moving_house'];
const GENESYS_RESULTS = [null, 'BotExit', 'Transfer', 'UserDisconnect', 'RecognitionFailure', 'Error', 'SessionExpired', 'UserExit'];
const ASK_RESULTS = ['SuccessCollection', 'NoMatchCollection', 'NoInputCollection', 'SuccessConfirmationYes', undefined];

type Op = { path: string; body: unknown };

/** Random documents of every vendor, with the operations that replay and change them. */
function operations(seed: number, count: number): Op[] {
  const r = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const ops: Op[] = [];
  const genesys: { id: string; body: Record<string, unknown> }[] = [];
  for (let i = 0; i < count; i++) {
    const roll = r();
    const created = BASE + Math.floor(r() * 240) * HOUR + Math.floor(r() * HOUR);
    if (roll < 0.35) {
      const id = `g-${String(seed)}-${String(i)}`;
      const result = pick(GENESYS_RESULTS);
      const body: Record<string, unknown> = {
        id,
        flow: { id: pick(['flow-billing', 'flow-meter']) },
        channel: { name: pick(['Messaging', 'Call']) },
        language: pick(['en-us', 'nl-be']),
        dateCreated: new Date(created).toISOString(),
        ...(result === null ? {} : { dateCompleted: new Date(created + Math.floor(r() * 600_000)).toISOString(), botResultCategory: result }),
      };
      const turns = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, n) => {
        const ask = pick(ASK_RESULTS);
        const intent = r() < 0.6 ? pick(INTENTS) : undefined;
        return {
          sessionId: id,
          dateCreated: new Date(created + (n + 1) * 1000).toISOString(),
          botPrompts: [`prompt ${String(n)}`],
          ...(r() < 0.8 ? { userInput: `answer ${String(n)}` } : {}),
          ...(intent ? { intent: { name: intent } } : {}),
          ...(ask ? { askActionResult: ask } : {}),
        };
      });
      // Turns before their session half the time: they wait for it.
      if (r() < 0.5) ops.push({ path: '/ingest/genesys/reporting-turns', body: turns }, { path: '/ingest/genesys/bot-flow-sessions', body: body });
      else ops.push({ path: '/ingest/genesys/bot-flow-sessions', body: body }, { path: '/ingest/genesys/reporting-turns', body: turns });
      genesys.push({ id, body });
    } else if (roll < 0.6) {
      const sessionId = `c-${String(seed)}-${String(i)}`;
      const understood = r() < 0.6;
      const text = `message ${String(i)}`;
      ops.push({
        path: '/ingest/chatlayer/webhook',
        body: {
          event: 'messages',
          botId: pick(['2231', '4410']),
          version: 'LIVE',
          sessionId,
          channel: pick(['web', 'whatsapp']),
          messages: [
            { actor: 'user', message: { text }, timestamp: new Date(created).toISOString() },
            { actor: 'bot', message: { type: 'text', text: 'ok' }, timestamp: new Date(created + 900).toISOString() },
          ],
        },
      });
      ops.push({
        path: '/ingest/chatlayer/sessions',
        body: {
          botId: '2231',
          sessionId,
          channel: 'web',
          messageContent: text,
          messageType: 'text',
          nlp: understood ? { expression: text, intent: { name: pick(INTENTS), score: 0.9 } } : { expression: text, intents: [] },
        },
      });
      if (r() < 0.3) {
        ops.push({
          path: '/ingest/chatlayer/webhook',
          body: { event: 'offload', botId: '2231', version: 'LIVE', sessionId, channel: 'web', timestamp: new Date(created + 60_000).toISOString() },
        });
      }
    } else if (roll < 0.8) {
      const status = pick(['Active', 'Ended', 'Transferred']);
      ops.push({
        path: '/ingest/einstein/sessions',
        body: {
          sessionId: `e-${String(seed)}-${String(i)}`,
          botId: pick(['0XxBOT1', '0XxBOT2']),
          status,
          createdDate: new Date(created).toISOString(),
          lastActiveDate: new Date(created + 120_000).toISOString(),
          messages: [
            { type: 'Text', text: 'hi', sender: 'User', sequenceId: 1, timestamp: new Date(created).toISOString() },
            { type: 'Text', text: 'hello', sender: 'Bot', sequenceId: 2, timestamp: new Date(created + 1000).toISOString() },
          ],
        },
      });
    } else if (roll < 0.9 && ops.length > 0) {
      // A replay of anything sent before.
      ops.push(pick(ops));
    } else if (genesys.length > 0) {
      // An outcome that changes: the session completes later, escalated.
      const target = pick(genesys);
      const created = Date.parse(target.body.dateCreated as string);
      const body = { ...target.body, dateCompleted: new Date(created + 900_000).toISOString(), botResultCategory: 'Transfer' };
      target.body = body;
      ops.push({ path: '/ingest/genesys/bot-flow-sessions', body });
    }
  }
  return ops;
}

const FIGURES = /* GraphQL */ `
  query ($groupBy: [MetricDimension!], $interval: MetricInterval, $timeZone: String, $filter: SessionFilter) {
    botMetrics(groupBy: $groupBy, interval: $interval, timeZone: $timeZone, filter: $filter) {
      start end vendor kind botId channel language sessions ended outcomes { outcome count }
      escalated contained abandoned containmentRate escalationRate abandonmentRate
      messages userMessages averageTurns duration { average p50 p90 } recognitionFailureRate
      topIntents(first: 100) { name count }
    }
  }
`;

interface Bucket {
  start: string;
  end: string;
  vendor: string | null;
  kind: string | null;
  botId: string | null;
  channel: string | null;
  language: string | null;
  sessions: number;
  ended: number;
  outcomes: { outcome: string; count: number }[];
  escalated: number;
  contained: number;
  abandoned: number;
  containmentRate: number | null;
  escalationRate: number | null;
  abandonmentRate: number | null;
  messages: number;
  userMessages: number;
  averageTurns: number | null;
  duration: { average: number | null; p50: number | null; p90: number | null };
  recognitionFailureRate: number | null;
  topIntents: { name: string; count: number }[];
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

const close = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, 6);
};

/** The bucket's figures from the tables directly: its sessions by bounds and group, their messages, counted here. */
async function recount(bucket: Bucket, groupBy: readonly string[], tenantId = DEFAULT_TENANT_ID): Promise<void> {
  const same = (column: string, value: string | null, grouped: boolean) =>
    grouped ? `AND s."${column}"::text IS NOT DISTINCT FROM ${value === null ? 'NULL' : `'${value}'`}` : '';
  const where = `s."tenantId" = '${tenantId}' AND s."createdAt" >= '${bucket.start}' AND s."createdAt" < '${bucket.end}'
    ${same('vendor', bucket.vendor, groupBy.includes('VENDOR'))} ${same('kind', bucket.kind, groupBy.includes('KIND'))}
    ${same('botId', bucket.botId, groupBy.includes('BOT'))} ${same('channel', bucket.channel, groupBy.includes('CHANNEL'))}
    ${same('language', bucket.language, groupBy.includes('LANGUAGE'))}`;
  const sessions = await db.prisma.$queryRawUnsafe<{ outcome: string | null; createdAt: Date; endedAt: Date | null }[]>(
    `SELECT s."outcome"::text AS "outcome", s."createdAt", s."endedAt" FROM "Session" s WHERE ${where}`,
  );
  const messages = await db.prisma.$queryRawUnsafe<{ kind: string; key: string; sender: string; intent: string | null; data: Record<string, unknown> }[]>(
    `SELECT s."kind"::text AS "kind", m."key", m."sender"::text AS "sender", m."intent", m."data" FROM "Session" s JOIN "Message" m ON m."sessionId" = s."id" WHERE ${where}`,
  );
  const count = (outcome: string) => sessions.filter((s) => s.outcome === outcome).length;
  const ended = sessions.filter((s) => s.outcome !== null).length;
  const escalated = count('ESCALATED');
  const abandoned = count('ABANDONED') + count('EXPIRED');
  const durations = sessions.filter((s) => s.outcome !== null && s.endedAt !== null).map((s) => (s.endedAt!.getTime() - s.createdAt.getTime()) / 1000);
  const users = messages.filter((m) => m.sender === 'USER').length;
  const judged = messages.filter(isJudgedTurn);
  const failed = messages.filter(isFailedTurn);
  const intents = new Map<string, number>();
  for (const m of messages) if (m.intent !== null) intents.set(m.intent, (intents.get(m.intent) ?? 0) + 1);
  const rate = (a: number, b: number) => (b === 0 ? null : a / b);
  expect(bucket.sessions).toBe(sessions.length);
  expect(bucket.ended).toBe(ended);
  expect([...bucket.outcomes].sort((a, b) => (a.outcome < b.outcome ? -1 : 1))).toEqual(
    ['ABANDONED', 'COMPLETED', 'ERROR', 'ESCALATED', 'EXPIRED', 'RECOGNITION_FAILURE', 'UNKNOWN', 'USER_EXITED'].map((outcome) => ({
      outcome,
      count: count(outcome),
    })),
  );
  expect([bucket.escalated, bucket.contained, bucket.abandoned]).toEqual([escalated, ended - escalated, abandoned]);
  close(bucket.containmentRate, rate(ended - escalated, ended));
  close(bucket.escalationRate, rate(escalated, ended));
  close(bucket.abandonmentRate, rate(abandoned, ended));
  expect([bucket.messages, bucket.userMessages]).toEqual([messages.length, users]);
  close(bucket.averageTurns, rate(users, sessions.length));
  close(bucket.duration.average, durations.length === 0 ? null : durations.reduce((a, b) => a + b, 0) / durations.length);
  close(bucket.duration.p50, percentile(durations, 0.5));
  close(bucket.duration.p90, percentile(durations, 0.9));
  close(bucket.recognitionFailureRate, rate(failed.length, judged.length));
  expect(bucket.topIntents).toEqual([...intents].map(([name, n]) => ({ name, count: n })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)));
}

/** The local wall-clock time of `iso` in `zone`, as `YYYY-MM-DD HH:mm`. */
function local(iso: string, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('botMetrics', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals a direct recount after random ingests, replays and outcome changes (seed ${String(seed)})`, async () => {
      for (const op of operations(seed, 45)) await post(op.path, op.body);
      const total = await db.prisma.session.count();
      expect(total).toBeGreaterThan(20);
      // The rollup the figures come from equals a recount of the tables, session by session.
      expect(await figureMismatches((sql, params) => db.prisma.$queryRawUnsafe(sql, ...params))).toEqual([]);

      const groupBy = ['VENDOR', 'BOT'];
      const daily = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { groupBy, interval: 'DAY', timeZone: 'Europe/Brussels' });
      expect(daily.errors).toBeUndefined();
      const buckets = daily.data!.botMetrics;
      // Every session in exactly one bucket.
      expect(buckets.reduce((n, b) => n + b.sessions, 0)).toBe(total);
      for (const bucket of buckets) {
        // Local midnight to local midnight: 23 hours on 25 October, 24 otherwise.
        expect(local(bucket.start, 'Europe/Brussels')).toMatch(/ 00:00$/);
        expect(local(bucket.end, 'Europe/Brussels')).toMatch(/ 00:00$/);
        const hours = (Date.parse(bucket.end) - Date.parse(bucket.start)) / HOUR;
        expect(hours).toBe(local(bucket.start, 'Europe/Brussels').startsWith('2026-10-25') ? 25 : 24);
        await recount(bucket, groupBy);
      }
      // Ordered by start, then group.
      expect(buckets.map((b) => b.start)).toEqual([...buckets.map((b) => b.start)].sort());

      // One bucket for the whole range, grouped by everything; and by kind per hour in UTC.
      const all = ['VENDOR', 'KIND', 'BOT', 'CHANNEL', 'LANGUAGE'];
      const whole = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { groupBy: all });
      expect(whole.errors).toBeUndefined();
      expect(whole.data!.botMetrics.reduce((n, b) => n + b.sessions, 0)).toBe(total);
      for (const bucket of whole.data!.botMetrics) await recount(bucket, all);
      const hourly = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { groupBy: ['KIND'], interval: 'HOUR', filter: { vendors: ['GENESYS_CLOUD'] } });
      expect(hourly.errors).toBeUndefined();
      for (const bucket of hourly.data!.botMetrics.slice(0, 10)) {
        expect(bucket.kind).toBe('BOT_FLOW');
        await recount(
          bucket,
          ['KIND', 'VENDOR'].filter((d) => d === 'KIND' || bucket.vendor !== null),
        );
      }
    }, 60_000);
  }

  it('recounts a session whose figures are missing (written around the writer) when it next changes', async () => {
    const turn = (n: number) => ({
      sessionId: 'g-around',
      dateCreated: `2026-10-22T10:00:0${String(n)}.000Z`,
      botPrompts: [`prompt ${String(n)}`],
      userInput: `answer ${String(n)}`,
      intent: { name: 'billing' },
      askActionResult: n === 1 ? 'NoMatchCollection' : 'SuccessCollection',
    });
    const session = {
      id: 'g-around',
      flow: { id: 'flow-billing' },
      channel: { name: 'Messaging' },
      language: 'en-us',
      dateCreated: '2026-10-22T10:00:00.000Z',
    };
    await post('/ingest/genesys/bot-flow-sessions', session);
    await post('/ingest/genesys/reporting-turns', [turn(1), turn(2)]);
    await db.prisma.$executeRawUnsafe(`DELETE FROM "SessionFigures"`);
    // A new turn: its count alone would be wrong; the session's figures are counted from the tables.
    await post('/ingest/genesys/reporting-turns', [turn(3)]);
    const query = (sql: string, params: unknown[]) => db.prisma.$queryRawUnsafe<never>(sql, ...params);
    expect(await figureMismatches(query)).toEqual([]);
    const [bucket] = (await graphql<{ botMetrics: Bucket[] }>(FIGURES, {})).data!.botMetrics;
    expect(bucket).toMatchObject({ sessions: 1, userMessages: 3, recognitionFailureRate: 1 / 3, topIntents: [{ name: 'billing', count: 3 }] });
  });

  it('counts intents named like JavaScript object members', async () => {
    const turns = ['constructor', '__proto__', 'constructor', 'toString'].map((name, n) => ({
      sessionId: 'g-names',
      dateCreated: `2026-10-22T10:00:0${String(n + 1)}.000Z`,
      botPrompts: ['?'],
      userInput: 'x',
      intent: { name },
      askActionResult: 'SuccessCollection',
    }));
    await post('/ingest/genesys/bot-flow-sessions', { id: 'g-names', flow: { id: 'flow-billing' }, dateCreated: '2026-10-22T10:00:00.000Z' });
    await post('/ingest/genesys/reporting-turns', turns.slice(0, 2));
    await post('/ingest/genesys/reporting-turns', turns.slice(2));
    expect(await figureMismatches((sql, params) => db.prisma.$queryRawUnsafe<never>(sql, ...params))).toEqual([]);
    const [bucket] = (await graphql<{ botMetrics: Bucket[] }>(FIGURES, {})).data!.botMetrics;
    expect(bucket!.topIntents).toEqual([
      { name: 'constructor', count: 2 },
      { name: '__proto__', count: 1 },
      { name: 'toString', count: 1 },
    ]);
  });

  it("tells a rollup that drifted from the tables (the recount's own check can fail)", async () => {
    for (const op of operations(7, 10)) await post(op.path, op.body);
    const query = (sql: string, params: unknown[]) => db.prisma.$queryRawUnsafe<never>(sql, ...params);
    expect(await figureMismatches(query)).toEqual([]);
    await db.prisma.$executeRawUnsafe(
      `UPDATE "SessionFigures" SET "userMessages" = "userMessages" + 1 WHERE "sessionId" = (SELECT min("sessionId"::text)::uuid FROM "SessionFigures")`,
    );
    await db.prisma.$executeRawUnsafe(`DELETE FROM "SessionFigures" WHERE "sessionId" = (SELECT max("sessionId"::text)::uuid FROM "SessionFigures")`);
    const problems = await figureMismatches(query);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/userMessages is \d+, recount \d+/);
    expect(problems.join('\n')).toMatch(/no figures/);
  });

  it('counts a whole week and month in the zone, and a filter range as the whole range', async () => {
    for (const op of operations(7, 30)) await post(op.path, op.body);
    const weekly = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { interval: 'WEEK', timeZone: 'Europe/Brussels' });
    for (const bucket of weekly.data!.botMetrics) {
      // ISO weeks: Monday 00:00 local.
      expect(new Date(Date.parse(bucket.start) + 12 * HOUR).getUTCDay()).toBe(1);
      await recount(bucket, []);
    }
    const monthly = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { interval: 'MONTH', timeZone: 'America/New_York' });
    for (const bucket of monthly.data!.botMetrics) {
      expect(local(bucket.start, 'America/New_York')).toMatch(/-01 00:00$/);
      await recount(bucket, []);
    }
    const range = { createdAfter: '2026-10-22T00:00:00Z', createdBefore: '2026-10-26T00:00:00Z' };
    const ranged = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { filter: range });
    expect(ranged.data!.botMetrics).toHaveLength(1);
    expect(ranged.data!.botMetrics[0]).toMatchObject({ start: '2026-10-22T00:00:00.000Z', end: '2026-10-26T00:00:00.000Z' });
    await recount(ranged.data!.botMetrics[0]!, []);
  });

  it('cuts hours as hours in a zone, the hour the clocks go back included', async () => {
    // 25 October 2026, Brussels: 02:00-03:00 CEST (00:00-01:00 UTC), then 02:00-03:00 CET (01:00-02:00 UTC).
    for (const [i, at] of ['2026-10-24T23:30:00Z', '2026-10-25T00:10:00Z', '2026-10-25T00:50:00Z', '2026-10-25T01:20:00Z', '2026-10-25T02:05:00Z'].entries()) {
      await post('/ingest/einstein/sessions', { sessionId: `dst-${String(i)}`, botId: '0XxBOT1', status: 'Ended', createdDate: at });
    }
    const hourly = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { interval: 'HOUR', timeZone: 'Europe/Brussels' });
    const buckets = hourly.data!.botMetrics;
    expect(buckets.map((b) => [b.start, b.sessions])).toEqual([
      ['2026-10-24T23:00:00.000Z', 1],
      ['2026-10-25T00:00:00.000Z', 2],
      ['2026-10-25T01:00:00.000Z', 1],
      ['2026-10-25T02:00:00.000Z', 1],
    ]);
    for (const [i, bucket] of buckets.entries()) {
      expect(Date.parse(bucket.end) - Date.parse(bucket.start)).toBe(HOUR);
      if (i > 0) expect(Date.parse(buckets[i - 1]!.end)).toBeLessThanOrEqual(Date.parse(bucket.start));
      await recount(bucket, []);
    }
  });

  it('answers an empty list without sessions, and refuses bad arguments with their name', async () => {
    expect((await graphql<{ botMetrics: Bucket[] }>(FIGURES, { interval: 'DAY' })).data!.botMetrics).toEqual([]);
    const zone = await graphql(FIGURES, { timeZone: 'Europe/Atlantis' });
    expect(zone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'timeZone' });
    const dimension = await graphql(FIGURES, { groupBy: ['COLOUR'] });
    expect(dimension.errors?.[0]?.message).toMatch(/COLOUR/);
    const range = await graphql(FIGURES, { filter: { createdAfter: '2026-10-26T00:00:00Z', createdBefore: '2026-10-22T00:00:00Z' } });
    expect(range.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await post('/ingest/einstein/sessions', { sessionId: 'e-1', botId: '0XxBOT1', status: 'Ended', createdDate: '2026-10-22T10:00:00Z' });
    const first = await graphql('{ botMetrics { topIntents(first: 0) { name } } }');
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    // A range of millennia by the hour is the data's hours only: the empty ones around it are never made.
    const millennia = await graphql<{ botMetrics: Bucket[] }>(FIGURES, {
      interval: 'HOUR',
      filter: { createdAfter: '0001-01-01T00:00:00Z', createdBefore: '9999-12-31T00:00:00Z' },
    });
    expect(millennia.errors).toBeUndefined();
    expect(millennia.data!.botMetrics.map((b) => [b.start, b.end, b.sessions])).toEqual([['2026-10-22T10:00:00.000Z', '2026-10-22T11:00:00.000Z', 1]]);
    const whole = await graphql<{ botMetrics: Bucket[] }>(FIGURES, { filter: { createdAfter: '0001-01-01T00:00:00Z' } });
    expect(whole.data!.botMetrics.map((b) => [b.start, b.end, b.sessions])).toEqual([['0001-01-01T00:00:00.000Z', '2026-10-22T10:00:00.001Z', 1]]);
    // An answer of more than 10,000 buckets is refused, not built: 10,001 sessions an hour apart, by hour.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Session" ("id", "tenantId", "kind", "vendor", "externalId", "status", "createdAt", "lastActiveAt", "data", "updatedAt")
      SELECT gen_random_uuid(), '${DEFAULT_TENANT_ID}', 'EINSTEIN_BOT', 'SALESFORCE_EINSTEIN', 'bulk-' || n, 'ACTIVE',
             timestamptz '2025-01-01' + n * interval '1 hour', timestamptz '2025-01-01' + n * interval '1 hour', '{}', now()
      FROM generate_series(1, 10001) AS n`);
    // Written around the writer: its rollup is counted as the writer would have.
    await refreshAllSessionFigures((sql) => db.prisma.$executeRawUnsafe(sql));
    const hourly = await graphql('{ botMetrics(interval: HOUR) { sessions } }');
    expect(hourly.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(hourly.errors?.[0]?.message).toMatch(/more than 10000 buckets: narrow/);
    expect((await graphql<{ botMetrics: Bucket[] }>('{ botMetrics(interval: MONTH) { sessions } }')).data!.botMetrics.length).toBeGreaterThan(10);
  });

  it("shows a key only its own tenant's figures", async () => {
    const own = (await createApiKey(db.prisma, { tenantSlug: 'default', scopes: ['read', 'ingest'] })).key;
    const other = (await createApiKey(db.prisma, { tenantSlug: 'other-tenant', scopes: ['read', 'ingest'] })).key;
    try {
      await post('/ingest/einstein/sessions', { sessionId: 'mine', botId: '0XxBOT1', status: 'Ended', createdDate: '2026-10-22T10:00:00Z' }, own);
      await post('/ingest/einstein/sessions', { sessionId: 'theirs', botId: '0XxBOT1', status: 'Transferred', createdDate: '2026-10-22T10:00:00Z' }, other);
      const mine = await graphql<{ botMetrics: Bucket[] }>('{ botMetrics { sessions escalated } }', {}, own);
      const theirs = await graphql<{ botMetrics: Bucket[] }>('{ botMetrics { sessions escalated } }', {}, other);
      expect(mine.data!.botMetrics).toEqual([{ sessions: 1, escalated: 0 }]);
      expect(theirs.data!.botMetrics).toEqual([{ sessions: 1, escalated: 1 }]);
    } finally {
      await db.prisma.apiKey.deleteMany();
    }
  });
});

describe('botMetricsUpdated', () => {
  type Payload = { botMetricsUpdated: { vendor: string; sessions: number; escalated: number; topIntents: { name: string }[] }[] };
  const SUBSCRIPTION = 'subscription { botMetricsUpdated(groupBy: [VENDOR]) { vendor sessions escalated topIntents { name } } }';

  it('sends every bucket, then the buckets that change, at most once a second', async () => {
    await post('/ingest/einstein/sessions', { sessionId: 'e-0', botId: '0XxBOT1', status: 'Ended', createdDate: '2026-10-22T10:00:00Z' });
    const received = subscribeSse<Payload>(server.url, SUBSCRIPTION);
    // When each payload arrived (polled every 10 ms).
    const times: number[] = [];
    const watch = setInterval(() => {
      while (times.length < received.values.length) times.push(Date.now());
    }, 10);
    const [first] = await received.waitFor(1);
    expect(first!.botMetricsUpdated).toEqual([{ vendor: 'SALESFORCE_EINSTEIN', sessions: 1, escalated: 0, topIntents: [] }]);

    // Five sessions in quick succession: Chatlayer's bucket appears; Einstein's changes.
    for (let i = 1; i <= 5; i++) {
      await post('/ingest/einstein/sessions', { sessionId: `e-${String(i)}`, botId: '0XxBOT1', status: 'Transferred', createdDate: '2026-10-22T10:00:00Z' });
    }
    await post('/ingest/chatlayer/webhook', {
      event: 'messages',
      botId: '2231',
      version: 'LIVE',
      sessionId: 'c-1',
      channel: 'web',
      messages: [{ actor: 'user', message: { text: 'hi' }, timestamp: '2026-10-22T10:00:00Z' }],
    });
    const values = await received.waitUntil(
      (v) => v.some((p) => p.botMetricsUpdated.some((b) => b.vendor === 'CHATLAYER')) && v.some((p) => p.botMetricsUpdated.some((b) => b.escalated === 5)),
      'the new figures',
    );
    // Fewer payloads than changes, a second apart at least, each only what changed. (Measured where they
    // arrive, polled every 10 ms: one payload's delivery delayed more than the next one's on a busy
    // machine brings them closer than they were sent, so the bound leaves 100 ms for that; unthrottled,
    // they would come milliseconds apart.)
    expect(values.length).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
    const last = values.at(-1)!.botMetricsUpdated;
    expect(last.every((b) => b.vendor === 'CHATLAYER' || b.sessions === 6)).toBe(true);
    const arrivals = received.values.length;
    // Nothing more while nothing changes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.values.length).toBe(arrivals);
    clearInterval(watch);
    received.dispose();

    // Over WebSocket too: every bucket first.
    const client = wsClient(server.url);
    try {
      const ws = subscribeWs<Payload>(client, SUBSCRIPTION);
      const [opening] = await ws.waitFor(1);
      expect(opening!.botMetricsUpdated.map((b) => [b.vendor, b.sessions]).sort()).toEqual([
        ['CHATLAYER', 1],
        ['SALESFORCE_EINSTEIN', 6],
      ]);
      ws.dispose();
    } finally {
      await client.dispose();
    }
  }, 20_000);

  it('shares one recount per change between equal subscriptions; different arguments are a feed of their own', async () => {
    await untilSubscribers(() => -gateway.live.subscriberCount, 0);
    const client = wsClient(server.url);
    try {
      const equal = Array.from({ length: 20 }, () => subscribeWs<Payload>(client, SUBSCRIPTION));
      const other = subscribeWs<Payload>(client, 'subscription { botMetricsUpdated(groupBy: [BOT]) { botId sessions } }');
      await Promise.all([...equal, other].map((s) => s.waitFor(1)));
      expect(gateway.metricsFeeds.size).toBe(2);
      const before = gateway.metricsFeeds.counted.recounts;
      await post('/ingest/einstein/sessions', { sessionId: 'shared-1', botId: '0XxBOT9', status: 'Ended', createdDate: '2026-10-22T11:00:00Z' });
      await Promise.all([...equal, other].map((s) => s.waitFor(2)));
      // One change: one recount per feed (two feeds), not one per subscriber (21).
      expect(gateway.metricsFeeds.counted.recounts - before).toBe(2);
      // Each subscriber of the feed got the same buckets.
      const second = equal.map((s) => JSON.stringify(s.values[1]));
      expect(new Set(second).size).toBe(1);
      expect(equal[0]!.values[1]!.botMetricsUpdated.some((b) => b.vendor === 'SALESFORCE_EINSTEIN')).toBe(true);
      for (const s of [...equal, other]) s.dispose();
      await expect.poll(() => gateway.metricsFeeds.size).toBe(0);
    } finally {
      await client.dispose();
    }
  }, 20_000);
});
