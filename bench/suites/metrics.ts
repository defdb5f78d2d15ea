// Analytics benchmark (issue 14): the read benchmark's data set (bench/lib/query-data.ts: default
// 1,000,000 sessions of all four kinds, one a minute, 10-30 messages each) in PostgreSQL, then
// `botMetrics` for the last 30 days by DAY and BOT in Europe/Brussels, through the real gateway:
//   M1 the session figures (counts, outcomes, rates, durations), against the same figures by a
//      hand-written SQL query over the session table behind a bare node:http handler (the lower bound);
//   M2 every figure (M1 plus messages, turns, recognition and the top five intents, which read the
//      message table), against hand-written SQL doing the same.
// The gateway's answers are compared with the lower bound's, JSON for JSON, before anything is timed.
// One client at a time (a wallboard or an analyst), so p50 is the latency of one answer: M1 under a
// load run, M2 (seconds an answer) as five requests one after another.
import { isDeepStrictEqual } from 'node:util';
import { openDatabase } from '../../src/db/client.js';
import { createGateway } from '../../src/gateway.js';
import { startCountingServer } from '../lib/counting-server.js';
import { createPostgresDatabase } from '../lib/database.js';
import { runLoad, type LoadFigures } from '../lib/load.js';
import { startMetricsLowerBound } from '../lib/metrics-lower-bound.js';
import { BENCH_TENANT_ID, DATASET_END_MS, QueryDataLoader } from '../lib/query-data.js';
import { renderTable, type Cell } from '../lib/report.js';

/** Issue 14's goals. */
export const METRICS_GOALS = { p50Ms: 50, toLowerBound: 1.5 } as const;

const DAY_MS = 24 * 3600 * 1000;
/** Requests timed one after another for the slow operation (after one untimed). */
const SLOW_REQUESTS = 5;
const TIME_ZONE = 'Europe/Brussels';

const SESSION_FIGURES = `start end botId sessions ended escalated contained abandoned containmentRate escalationRate abandonmentRate
  outcomes { outcome count } duration { average p50 p90 }`;
const query = (figures: string) => `query ($filter: SessionFilter) {
  botMetrics(filter: $filter, groupBy: [BOT], interval: DAY, timeZone: "${TIME_ZONE}") { ${figures} }
}`;
const M1 = query(SESSION_FIGURES);
const M2 = query(`${SESSION_FIGURES} messages userMessages averageTurns recognitionFailureRate topIntents(first: 5) { name count }`);

export interface MetricsSuiteOptions {
  sessions: number;
  seed: number;
  seconds?: number;
  log?: (line: string) => void;
}

export interface MetricsRun {
  parley: LoadFigures;
  lowerBound: LoadFigures;
  /** Parley's p50 over the lower bound's. */
  ratio: number;
}

export interface MetricsSuiteResult {
  dataset: { sessions: number; messages: number; inWindow: number; messagesInWindow: number; generationMs: number };
  parameters: {
    window: { from: string; to: string };
    timeZone: string;
    groupBy: string[];
    interval: string;
    connections: number;
    seconds: number;
    buckets: number;
  };
  m1: MetricsRun;
  m2: MetricsRun;
  goals: { goal: string; value: number; target: string; met: boolean }[];
  verified: string[];
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${String(response.status)}: ${text.slice(0, 500)}`);
  const parsed = JSON.parse(text) as { errors?: unknown };
  if (parsed.errors) throw new Error(`${url}: ${JSON.stringify(parsed.errors).slice(0, 500)}`);
  return parsed;
}

/** The first place two answers differ, with numbers compared to 1e-9 (float8 sums may round differently). */
function difference(a: unknown, b: unknown, at = '$'): string {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) ? '' : `${at}: ${String(a)} vs ${String(b)}`;
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = difference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
    return '';
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

export async function runMetricsSuite(options: MetricsSuiteOptions): Promise<MetricsSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const seconds = options.seconds ?? 10;
  const created = await createPostgresDatabase();
  const cleanups: (() => Promise<void>)[] = [async () => created.drop()];
  try {
    // Opening the gateway's database applies the migrations the loader writes into.
    const database = await openDatabase({ kind: 'postgres', url: created.url }, { poolSize: 10 });
    cleanups.push(() => database.close());
    const loader = await QueryDataLoader.open(created.url, options.seed, options.sessions);
    cleanups.push(() => loader.close());
    log(`metrics: generating ${options.sessions.toLocaleString('en-US')} sessions...`);
    await loader.grow(options.sessions, log);
    await loader.finish({ figures: true });
    log(`metrics: ${loader.loaded.sessions.toLocaleString('en-US')} sessions, ${loader.loaded.messages.toLocaleString('en-US')} messages`);

    const errors: unknown[] = [];
    // Not production: with no API key created yet, requests act as the default tenant.
    const { yoga } = createGateway({ database, production: false, logError: (error) => errors.push(error) });
    const gateway = await startCountingServer(yoga);
    cleanups.push(() => gateway.close());
    const to = new Date(DATASET_END_MS + 60_000);
    const from = new Date(to.getTime() - 30 * DAY_MS);
    const lowerBound = await startMetricsLowerBound(created.url, { tenantId: BENCH_TENANT_ID, from, to, timeZone: TIME_ZONE }, 10);
    cleanups.push(() => lowerBound.close());

    const filter = { createdAfter: from.toISOString(), createdBefore: to.toISOString() };
    // `full` tells the lower bound which figures to compute; the gateway ignores a variable its operation does not declare.
    const bodies = { m1: { query: M1, variables: { filter, full: false } }, m2: { query: M2, variables: { filter, full: true } } };
    const verified: string[] = [];
    let buckets = 0;
    for (const [name, body] of Object.entries(bodies)) {
      const parley = (await post(gateway.url, body)) as { data: { botMetrics: unknown[] } };
      const bare = await post(lowerBound.url, body);
      const diff = difference(parley, bare);
      if (diff) throw new Error(`${name}: the gateway and the lower bound differ at ${diff}`);
      buckets = parley.data.botMetrics.length;
      verified.push(`${name.toUpperCase()}: gateway = hand-written SQL (JSON equal), ${String(buckets)} buckets`);
    }
    const counts = await database.prisma.$queryRawUnsafe<{ sessions: number; messages: number }[]>(
      `SELECT count(DISTINCT s.id)::int AS "sessions", count(m.id)::int AS "messages" FROM "Session" s LEFT JOIN "Message" m ON m."sessionId" = s.id
       WHERE s."createdAt" >= $1 AND s."createdAt" < $2`,
      from,
      to,
    );

    const measure = async (name: string, url: string, body: unknown): Promise<LoadFigures> => {
      const encoded = [JSON.stringify(body)];
      await runLoad({ url, bodies: encoded, connections: 1, seconds: Math.max(1, Math.round(seconds / 3)), timeoutSeconds: 120 });
      const figures = await runLoad({ url, bodies: encoded, connections: 1, seconds, timeoutSeconds: 120 });
      if (figures.errors + figures.timeouts + figures.non2xx > 0)
        throw new Error(`${name}: ${String(figures.errors + figures.timeouts + figures.non2xx)} failed requests`);
      log(`metrics: ${name}: p50 ${String(figures.p50)} ms, p99 ${String(figures.p99)} ms, ${String(figures.throughput)} req/s`);
      return figures;
    };
    // Answers that take seconds (M2 reads the message table) are timed one by one: a load run of a few
    // seconds would complete none of them.
    const sequential = async (name: string, url: string, body: unknown): Promise<LoadFigures> => {
      await post(url, body);
      const times: number[] = [];
      const started = performance.now();
      for (let i = 0; i < SLOW_REQUESTS; i++) {
        const at = performance.now();
        await post(url, body);
        times.push(performance.now() - at);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const pick = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
      const seconds = (performance.now() - started) / 1000;
      const figures: LoadFigures = {
        requests: times.length,
        seconds: round(seconds),
        throughput: round(times.length / seconds),
        p50: pick(0.5),
        p90: pick(0.9),
        p99: pick(0.99),
        mean: round(times.reduce((a, b) => a + b, 0) / times.length),
        max: round(sorted.at(-1)!),
        errors: 0,
        timeouts: 0,
        non2xx: 0,
      };
      log(`metrics: ${name}: p50 ${String(figures.p50)} ms, max ${String(figures.max)} ms (${String(SLOW_REQUESTS)} requests one after another)`);
      return figures;
    };
    const run = async (name: 'm1' | 'm2'): Promise<MetricsRun> => {
      const time = name === 'm2' ? sequential : measure;
      const bare = await time(`${name} lower bound`, lowerBound.url, bodies[name]);
      const parley = await time(`${name} gateway`, gateway.url, bodies[name]);
      return { parley, lowerBound: bare, ratio: round(parley.p50 / bare.p50) };
    };
    const m1 = await run('m1');
    const m2 = await run('m2');
    if (errors.length > 0) throw new Error(`the gateway logged errors: ${String(errors[0])}`);
    return {
      dataset: {
        sessions: loader.loaded.sessions,
        messages: loader.loaded.messages,
        inWindow: counts[0]?.sessions ?? 0,
        messagesInWindow: counts[0]?.messages ?? 0,
        generationMs: loader.loaded.ms,
      },
      parameters: {
        window: { from: from.toISOString(), to: to.toISOString() },
        timeZone: TIME_ZONE,
        groupBy: ['BOT'],
        interval: 'DAY',
        connections: 1,
        seconds,
        buckets,
      },
      m1,
      m2,
      goals: [
        { goal: 'M1 p50 (ms)', value: m1.parley.p50, target: `< ${String(METRICS_GOALS.p50Ms)}`, met: m1.parley.p50 < METRICS_GOALS.p50Ms },
        { goal: 'M1 p50 / lower bound', value: m1.ratio, target: `<= ${String(METRICS_GOALS.toLowerBound)}`, met: m1.ratio <= METRICS_GOALS.toLowerBound },
        { goal: 'M2 p50 / lower bound', value: m2.ratio, target: `<= ${String(METRICS_GOALS.toLowerBound)}`, met: m2.ratio <= METRICS_GOALS.toLowerBound },
      ],
      verified,
    };
  } finally {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => log(`metrics: cleanup: ${String(error)}`));
  }
}

export function metricsTable(result: MetricsSuiteResult): string {
  const rows: Cell[][] = [
    ['M1 session figures', result.m1.parley.p50, result.m1.parley.p99, result.m1.lowerBound.p50, `${result.m1.ratio.toFixed(2)}x`],
    ['M2 every figure', result.m2.parley.p50, result.m2.parley.p99, result.m2.lowerBound.p50, `${result.m2.ratio.toFixed(2)}x`],
  ];
  const goals = result.goals.map((g) => `${g.goal}: ${String(g.value)} (goal ${g.target}) ${g.met ? 'met' : 'NOT met'}`).join('\n');
  const title = `botMetrics, ${result.dataset.sessions.toLocaleString('en-US')} sessions (${result.dataset.inWindow.toLocaleString('en-US')} sessions and ${result.dataset.messagesInWindow.toLocaleString('en-US')} messages in the 30 days), DAY x BOT in ${result.parameters.timeZone}, ${String(result.parameters.buckets)} buckets, 1 client`;
  const table = renderTable(
    [{ header: 'operation' }, { header: 'p50 ms' }, { header: 'p99 ms' }, { header: 'hand SQL p50 ms' }, { header: 'vs hand SQL' }],
    rows,
  );
  return `${title}\n${table}\n${goals}`;
}
