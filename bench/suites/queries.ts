// Read benchmark (issue 6): a realistic data set in PostgreSQL (default 100,000 sessions of all four
// kinds, 10-30 messages each), then concurrent clients on loopback against the real gateway:
//   Q1 the dashboard page (50 sessions, each with its first 20 messages and its conversation),
//   Q2 node(id) look-ups of random sessions, Q3 Q1 10,000 rows deep, Q4 a filtered totalCount;
// and, in the same run, the lower bound (Q1 by hand-written SQL through `pg` and a bare node:http
// handler) and the naive build (Q1 through plain per-field resolvers, no batching). Q1 is also
// measured while the data set grows (10k, 100k, 1M) to show how its cost grows with the store.
// Every response is checked: the gateway's Q1 and Q3 must equal the lower bound's and the naive
// build's JSON exactly, Q2 must return the session asked for, Q4 the count SQL gives.
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createGateway } from '../../src/gateway.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { sessionTypeName } from '../../src/schema/session.js';
import type { SessionKind } from '../../src/generated/prisma/enums.js';
import { startCountingServer, type CountingServer } from '../lib/counting-server.js';
import { createPostgresDatabase } from '../lib/database.js';
import { runLoad, type LoadFigures } from '../lib/load.js';
import { startLowerBound } from '../lib/lower-bound.js';
import { startNaiveServer } from '../lib/naive-schema.js';
import { BENCH_TENANT_ID, DATASET_END_MS, QueryDataLoader } from '../lib/query-data.js';
import {
  COUNT,
  countFilter,
  DASHBOARD,
  DASHBOARD_FILTER,
  dashboardCursor,
  NODE,
  Q1_MESSAGES,
  Q1_PAGE,
  Q3_OFFSET,
  type DashboardResponse,
  type GraphqlBody,
} from '../lib/query-ops.js';
import { startCpuProfile } from '../lib/profile.js';
import { renderTable, type Cell } from '../lib/report.js';

/** Issue 12's goals (and issue 6's naive-build ratio), as ratios measured in the same run. */
export const QUERY_GOALS = {
  q1ToLowerBound: 1.3,
  throughputToNaive: 10,
  q3ToQ1: 1.1,
  largestToSmallest: 1.2,
  statementsPerQ1: 4,
  /** Q2 and Q4 throughput over the same look-ups done by hand. */
  lookupToLowerBound: 0.8,
} as const;

/** Data set sizes Q1 is measured at on the way to the full size (those below it). */
export const GROWTH_SIZES = [10_000, 100_000, 1_000_000] as const;

export interface QueriesSuiteOptions {
  sessions: number;
  seed: number;
  /** Concurrent connections of the load generator. */
  connections?: number;
  /** Seconds each measured run lasts (after a warm-up of a third of that, at least 1 s). */
  seconds?: number;
  /** Seconds per run at the smaller sizes of the growth series. */
  growthSeconds?: number;
  /** Q3's depth; defaults to 10,000 (less when the data set is too small for it). */
  q3Offset?: number;
  /** Prisma's pool size for the gateway and the naive build, the `pg` pool size of the lower bound. */
  poolSize?: number;
  /** Write a CPU profile of each measured gateway run (Q1-Q4 at the full size) to this directory. */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface QueryFigures extends LoadFigures {
  /** SQL statements the gateway (or naive build) sent, over the requests it answered. */
  statementsPerRequest: number | null;
  /** Requests the server answered during the measured run (those in flight at the end included). */
  served: number;
  /** Authentication's API-key look-ups during the run (cached; not in statementsPerRequest). */
  authStatements: number | null;
  /** CPU of the bench process (where the measured server runs; the load generator is a child) per request served, ms. */
  cpuMsPerRequest: number;
}

export interface GrowthPoint {
  sessions: number;
  q1: QueryFigures;
  lowerBound: QueryFigures;
  /** Q1 p50 / lower-bound p50 at this size. */
  ratioToLowerBound: number;
}

export interface Goal {
  goal: string;
  value: number;
  target: string;
  met: boolean;
}

export interface QueriesSuiteResult {
  dataset: {
    sessions: number;
    messages: number;
    conversations: number;
    byKind: Record<string, number>;
    /** Generating and writing the rows (indexes dropped), rebuilding indexes, VACUUM ANALYZE; all stages. */
    generationMs: number;
    indexMs: number;
    analyzeMs: number;
    /** Session rows matching Q1's filter (Q3 reads at offset q3Offset among them). */
    q1Rows: number;
  };
  parameters: {
    connections: number;
    seconds: number;
    growthSeconds: number;
    poolSize: number;
    q1: { first: number; messages: number; filter: typeof DASHBOARD_FILTER; orderBy: string };
    q3Offset: number;
    q4Filter: ReturnType<typeof countFilter>;
    q2Sessions: number;
  };
  q1: QueryFigures & { ratioToLowerBound: number; throughputToNaive: number };
  q2: QueryFigures & { throughputToLowerBound: number };
  q3: QueryFigures & { ratioToQ1: number };
  q4: QueryFigures & { totalCount: number; throughputToLowerBound: number };
  lowerBound: QueryFigures;
  /** Q2's and Q4's look-ups by hand (bench/lib/lower-bound.ts). */
  lowerBoundQ2: QueryFigures;
  lowerBoundQ4: QueryFigures;
  naive: QueryFigures;
  growth: GrowthPoint[];
  goals: Goal[];
  /** What was checked before measuring (responses compared field by field). */
  verified: string[];
  /** Load average (1 min) before each measured run. */
  load: Record<string, number>;
}

async function startCountingGateway(database: Database, errors: unknown[]): Promise<CountingServer> {
  // Not production: with no API key created yet, requests act as the default tenant (no key needed).
  const { yoga } = createGateway({ database, production: false, logError: (error) => errors.push(error) });
  return startCountingServer(yoga);
}

async function post<T>(url: string, body: GraphqlBody): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${String(response.status)}: ${text.slice(0, 500)}`);
  const parsed = JSON.parse(text) as T & { errors?: unknown };
  if (parsed.errors) throw new Error(`${url}: errors: ${JSON.stringify(parsed.errors).slice(0, 1000)}`);
  return parsed;
}

function firstDifference(a: unknown, b: unknown, at = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const loadNow = async () => round((await import('node:os')).loadavg()[0] ?? 0);

export async function runQueriesSuite(options: QueriesSuiteOptions): Promise<QueriesSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const connections = options.connections ?? 8;
  const seconds = options.seconds ?? 10;
  const growthSeconds = options.growthSeconds ?? 6;
  const poolSize = options.poolSize ?? 10;
  const total = options.sessions;
  const created = await createPostgresDatabase();
  const cleanups: (() => Promise<void>)[] = [async () => created.drop()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => log(`queries: cleanup: ${String(error)}`));
  };
  try {
    // Statements of the query's own work; the gateway's (cached, every few seconds) look-up of API keys
    // is authentication, not the query, and is counted apart.
    let statements = 0;
    let authStatements = 0;
    const onQuery = (sql: string) => {
      if (sql.includes('"ApiKey"')) authStatements += 1;
      else statements += 1;
    };
    const database = await openDatabase({ kind: 'postgres', url: created.url }, { poolSize, onQuery });
    cleanups.push(() => database.close());
    const loader = await QueryDataLoader.open(created.url, options.seed, total);
    cleanups.push(() => loader.close());
    const sql = new pg.Pool({ connectionString: created.url, max: 2 });
    cleanups.push(() => sql.end());

    const errors: unknown[] = [];
    const gateway = await startCountingGateway(database, errors);
    cleanups.push(() => gateway.close());
    const lowerBound = await startLowerBound(created.url, poolSize);
    cleanups.push(() => lowerBound.close());
    const naive = await startNaiveServer(database.prisma);
    cleanups.push(() => naive.close());

    const loadAverages: Record<string, number> = {};
    /** One measured run: a warm-up, then `runSeconds` of load, with the server's statements counted. */
    const measure = async (
      name: string,
      server: { url: string; requests: number },
      bodies: GraphqlBody[],
      runSeconds: number,
      counted: boolean,
    ): Promise<QueryFigures> => {
      const encoded = bodies.map((body) => JSON.stringify(body));
      await runLoad({ url: server.url, bodies: encoded, connections, seconds: Math.max(1, Math.round(runSeconds / 3)) });
      loadAverages[name] = await loadNow();
      statements = 0;
      authStatements = 0;
      server.requests = 0;
      const profiler = options.profileDir && server === gateway && !name.includes('@') ? await startCpuProfile() : null;
      const cpuStart = process.cpuUsage();
      const figures = await runLoad({ url: server.url, bodies: encoded, connections, seconds: runSeconds });
      // Requests still in flight when the clients stopped finish (their statements counted too).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const cpu = process.cpuUsage(cpuStart);
      if (profiler) {
        const written = await profiler.stop(options.profileDir!, `queries-${name.replace(/[^A-Za-z0-9]+/g, '-')}`);
        log(`queries: CPU profile of ${name}: ${written.file}\n${written.summary}`);
      }
      const served = server.requests;
      if (figures.errors + figures.timeouts + figures.non2xx > 0) {
        throw new Error(`${name}: ${String(figures.errors)} errors, ${String(figures.timeouts)} timeouts, ${String(figures.non2xx)} non-2xx responses`);
      }
      const result = {
        ...figures,
        served,
        statementsPerRequest: counted && served > 0 ? round(statements / served) : null,
        authStatements: counted ? authStatements : null,
        cpuMsPerRequest: served > 0 ? round((cpu.user + cpu.system) / 1000 / served, 2) : Number.NaN,
      };
      log(
        `queries: ${name}: ${String(result.throughput)} req/s, p50 ${String(result.p50)} ms, p99 ${String(result.p99)} ms, ${String(result.cpuMsPerRequest)} ms CPU/request${result.statementsPerRequest === null ? '' : `, ${String(result.statementsPerRequest)} statements/request`}`,
      );
      return result;
    };

    const q1Body: GraphqlBody = { query: DASHBOARD, variables: { filter: DASHBOARD_FILTER } };
    const checkQ1 = async (body: GraphqlBody, label: string, withNaive: boolean): Promise<DashboardResponse> => {
      const parley = await post<DashboardResponse>(gateway.url, body);
      const bare = await post<DashboardResponse>(lowerBound.url, body);
      const edges = parley.data.sessions.edges;
      if (edges.length !== Q1_PAGE) throw new Error(`${label}: ${String(edges.length)} sessions, expected ${String(Q1_PAGE)}`);
      if (!edges.some((e) => e.node.messages.edges.length === Q1_MESSAGES)) throw new Error(`${label}: no session with ${String(Q1_MESSAGES)} messages`);
      const diff = firstDifference(parley, bare);
      if (diff) throw new Error(`${label}: the gateway and the lower bound differ at ${diff}`);
      if (withNaive) {
        const slow = await post<DashboardResponse>(naive.url, body);
        const naiveDiff = firstDifference(parley, slow);
        if (naiveDiff) throw new Error(`${label}: the gateway and the naive build differ at ${naiveDiff}`);
      }
      return parley;
    };

    // ---- the data set, in stages; Q1 and its lower bound at each size below the full one ----
    const stages = [...GROWTH_SIZES.filter((size) => size < total), total];
    const growth: GrowthPoint[] = [];
    let indexMs = 0;
    let analyzeMs = 0;
    for (const stage of stages) {
      log(`queries: generating sessions ${(loader.loaded.sessions + 1).toLocaleString('en-US')}-${stage.toLocaleString('en-US')}...`);
      await loader.grow(stage, log);
      const finished = await loader.finish();
      indexMs += finished.indexMs;
      analyzeMs += finished.analyzeMs;
      log(
        `queries: ${stage.toLocaleString('en-US')} sessions, ${loader.loaded.messages.toLocaleString('en-US')} messages (${(loader.loaded.ms / 1000).toFixed(1)} s so far; indexes ${(finished.indexMs / 1000).toFixed(1)} s, analyze ${(finished.analyzeMs / 1000).toFixed(1)} s)`,
      );
      if (stage === total) break;
      await checkQ1(q1Body, `Q1 at ${String(stage)}`, false);
      const bare = await measure(`lower bound @${String(stage)}`, lowerBound, [q1Body], growthSeconds, false);
      const q1 = await measure(`Q1 @${String(stage)}`, gateway, [q1Body], growthSeconds, true);
      growth.push({ sessions: stage, q1, lowerBound: bare, ratioToLowerBound: round(q1.p50 / bare.p50) });
    }

    // ---- inputs ----
    const byKindRows = await sql.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM "Session" GROUP BY kind ORDER BY kind`);
    const q1Rows = Number(
      (
        await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Session" WHERE "tenantId" = $1 AND vendor = ANY($2::"Vendor"[])`, [
          BENCH_TENANT_ID,
          DASHBOARD_FILTER.vendors,
        ])
      ).rows[0]!.n,
    );
    const q3Offset = options.q3Offset ?? Math.min(Q3_OFFSET, Math.max(0, q1Rows - 2 * Q1_PAGE));
    // The row just before the deep page: its cursor is what a client paging 10,000 rows in would hold.
    const before = await sql.query<{ createdAt: Date; id: string }>(
      `SELECT "createdAt", id FROM "Session" WHERE "tenantId" = $1 AND vendor = ANY($2::"Vendor"[]) ORDER BY "createdAt" DESC, id DESC OFFSET $3 LIMIT 1`,
      [BENCH_TENANT_ID, DASHBOARD_FILTER.vendors, q3Offset - 1],
    );
    const q3Body: GraphqlBody = {
      query: DASHBOARD,
      variables: { filter: DASHBOARD_FILTER, after: dashboardCursor(before.rows[0]!.createdAt, before.rows[0]!.id) },
    };
    const sample = await sql.query<{ id: string; kind: SessionKind; externalId: string }>(
      `SELECT id, kind, "externalId" FROM "Session" ORDER BY random() LIMIT 1000`,
    );
    const q2Bodies: GraphqlBody[] = sample.rows.map((row) => ({ query: NODE, variables: { id: encodeGlobalId(sessionTypeName[row.kind], row.id) } }));
    const q4Filter = countFilter(DATASET_END_MS);
    const q4Body: GraphqlBody = { query: COUNT, variables: { filter: q4Filter } };
    const expectedCount = Number(
      (
        await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM "Session" WHERE "tenantId" = $1 AND vendor = 'GENESYS_CLOUD' AND outcome = 'ESCALATED' AND "createdAt" >= $2 AND "createdAt" < $3`,
          [BENCH_TENANT_ID, q4Filter.createdAfter, q4Filter.createdBefore],
        )
      ).rows[0]!.n,
    );

    // ---- correctness, before anything is timed ----
    const verified: string[] = [];
    await checkQ1(q1Body, 'Q1', true);
    verified.push('Q1: gateway = lower bound = naive build (JSON equal)');
    const deep = await checkQ1(q3Body, 'Q3', true);
    verified.push(`Q3: gateway = lower bound = naive build (JSON equal), ${String(q3Offset)} rows in`);
    if (deep.data.sessions.pageInfo.endCursor === null) throw new Error('Q3: empty page');
    for (const body of q2Bodies.slice(0, 20)) {
      const answer = await post<{ data: { node: { id: string; externalId: string } | null } }>(gateway.url, body);
      if (answer.data.node?.id !== body.variables?.id) throw new Error(`Q2: asked for ${String(body.variables?.id)}, got ${JSON.stringify(answer.data.node)}`);
    }
    for (const body of q2Bodies.slice(0, 20)) {
      const diff = firstDifference(await post(gateway.url, body), await post(lowerBound.url, body));
      if (diff) throw new Error(`Q2: the gateway and the lower bound differ at ${diff}`);
    }
    verified.push('Q2: 20 random node(id) look-ups return the session asked for, JSON equal to the lower bound');
    const count = await post<{ data: { sessions: { totalCount: number } } }>(gateway.url, q4Body);
    if (count.data.sessions.totalCount !== expectedCount)
      throw new Error(`Q4: totalCount ${String(count.data.sessions.totalCount)}, SQL count ${String(expectedCount)}`);
    const bareCount = await post<{ data: { sessions: { totalCount: number } } }>(lowerBound.url, q4Body);
    if (bareCount.data.sessions.totalCount !== expectedCount) throw new Error(`Q4: the lower bound counted ${String(bareCount.data.sessions.totalCount)}`);
    verified.push(`Q4: totalCount = SQL count = lower bound (${String(expectedCount)})`);

    // ---- measured runs: the lower bound and Q1 back to back, so their ratio sees the same machine ----
    const bare = await measure('lower bound', lowerBound, [q1Body], seconds, false);
    const q1 = await measure('Q1 dashboard', gateway, [q1Body], seconds, true);
    const q3 = await measure(`Q3 ${String(q3Offset)} rows deep`, gateway, [q3Body], seconds, true);
    const bareQ2 = await measure('lower bound Q2', lowerBound, q2Bodies, seconds, false);
    const q2 = await measure('Q2 node(id)', gateway, q2Bodies, seconds, true);
    const bareQ4 = await measure('lower bound Q4', lowerBound, [q4Body], seconds, false);
    const q4 = await measure('Q4 totalCount', gateway, [q4Body], seconds, true);
    const slow = await measure('naive build', naive, [q1Body], seconds, true);
    if (errors.length > 0) throw new Error(`the gateway logged ${String(errors.length)} errors, e.g. ${String(errors[0])}`);

    growth.push({ sessions: total, q1, lowerBound: bare, ratioToLowerBound: round(q1.p50 / bare.p50) });
    const smallest = growth[0]!;
    const largest = growth.at(-1)!;
    const q1Result = { ...q1, ratioToLowerBound: round(q1.p50 / bare.p50), throughputToNaive: round(q1.throughput / slow.throughput, 1) };
    const goals: Goal[] = [
      {
        goal: 'Q1 p50 / lower-bound p50',
        value: q1Result.ratioToLowerBound,
        target: `<= ${String(QUERY_GOALS.q1ToLowerBound)}`,
        met: q1Result.ratioToLowerBound <= QUERY_GOALS.q1ToLowerBound,
      },
      {
        goal: 'Q1 throughput / naive build throughput',
        value: q1Result.throughputToNaive,
        target: `>= ${String(QUERY_GOALS.throughputToNaive)}`,
        met: q1Result.throughputToNaive >= QUERY_GOALS.throughputToNaive,
      },
      { goal: 'Q3 p50 / Q1 p50', value: round(q3.p50 / q1.p50), target: `<= ${String(QUERY_GOALS.q3ToQ1)}`, met: q3.p50 / q1.p50 <= QUERY_GOALS.q3ToQ1 },
      {
        goal: 'Q2 throughput / lower bound Q2 throughput',
        value: round(q2.throughput / bareQ2.throughput),
        target: `>= ${String(QUERY_GOALS.lookupToLowerBound)}`,
        met: q2.throughput / bareQ2.throughput >= QUERY_GOALS.lookupToLowerBound,
      },
      {
        goal: 'Q4 throughput / lower bound Q4 throughput',
        value: round(q4.throughput / bareQ4.throughput),
        target: `>= ${String(QUERY_GOALS.lookupToLowerBound)}`,
        met: q4.throughput / bareQ4.throughput >= QUERY_GOALS.lookupToLowerBound,
      },
      ...(growth.length > 1
        ? [
            {
              goal: `Q1 p50 at ${largest.sessions.toLocaleString('en-US')} / at ${smallest.sessions.toLocaleString('en-US')} sessions`,
              value: round(largest.q1.p50 / smallest.q1.p50),
              target: `<= ${String(QUERY_GOALS.largestToSmallest)}`,
              met: largest.q1.p50 / smallest.q1.p50 <= QUERY_GOALS.largestToSmallest,
            },
          ]
        : []),
      {
        goal: 'statements per Q1 request (constant)',
        value: q1.statementsPerRequest ?? Number.NaN,
        target: `<= ${String(QUERY_GOALS.statementsPerQ1)}`,
        // Constant: the same whole number at every size (the last request of a run may be cut short).
        met:
          (q1.statementsPerRequest ?? Infinity) <= QUERY_GOALS.statementsPerQ1 &&
          growth.every((g) => Math.round(g.q1.statementsPerRequest ?? Number.NaN) === Math.round(q1.statementsPerRequest ?? Number.NaN)),
      },
    ];
    return {
      dataset: {
        sessions: loader.loaded.sessions,
        messages: loader.loaded.messages,
        conversations: loader.loaded.conversations,
        byKind: Object.fromEntries(byKindRows.rows.map((row) => [row.kind, Number(row.n)])),
        generationMs: Math.round(loader.loaded.ms),
        indexMs: Math.round(indexMs),
        analyzeMs: Math.round(analyzeMs),
        q1Rows,
      },
      parameters: {
        connections,
        seconds,
        growthSeconds,
        poolSize,
        q1: { first: Q1_PAGE, messages: Q1_MESSAGES, filter: DASHBOARD_FILTER, orderBy: 'CREATED_AT DESC' },
        q3Offset,
        q4Filter,
        q2Sessions: q2Bodies.length,
      },
      q1: q1Result,
      q2: { ...q2, throughputToLowerBound: round(q2.throughput / bareQ2.throughput) },
      q3: { ...q3, ratioToQ1: round(q3.p50 / q1.p50) },
      q4: { ...q4, totalCount: expectedCount, throughputToLowerBound: round(q4.throughput / bareQ4.throughput) },
      lowerBound: bare,
      lowerBoundQ2: bareQ2,
      lowerBoundQ4: bareQ4,
      naive: slow,
      growth,
      goals,
      verified,
      load: loadAverages,
    };
  } finally {
    await cleanup();
  }
}

export function queriesTable(result: QueriesSuiteResult): string {
  const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
  const row = (name: string, f: QueryFigures, note: string): Cell[] => [
    name,
    Math.round(f.throughput),
    ms(f.p50),
    ms(f.p99),
    f.statementsPerRequest === null ? '-' : String(f.statementsPerRequest),
    ms(f.cpuMsPerRequest),
    note,
  ];
  const d = result.dataset;
  const rows: Cell[][] = [
    row('lower bound (pg + node:http)', result.lowerBound, '1.00x'),
    row('Q1 dashboard page', result.q1, `${result.q1.ratioToLowerBound.toFixed(2)}x lower bound; ${result.q1.throughputToNaive.toFixed(1)}x naive throughput`),
    row('naive build (no batching)', result.naive, ''),
    row(`Q3 ${result.parameters.q3Offset.toLocaleString('en-US')} rows deep`, result.q3, `${result.q3.ratioToQ1.toFixed(2)}x Q1`),
    row('lower bound Q2 (by hand)', result.lowerBoundQ2, '1.00x'),
    row('Q2 node(id)', result.q2, `${result.q2.throughputToLowerBound.toFixed(2)}x lower bound throughput`),
    row('lower bound Q4 (by hand)', result.lowerBoundQ4, '1.00x'),
    row(
      'Q4 filtered totalCount',
      result.q4,
      `${result.q4.throughputToLowerBound.toFixed(2)}x lower bound throughput; count ${result.q4.totalCount.toLocaleString('en-US')}`,
    ),
  ];
  const growth = renderTable(
    [
      { header: 'sessions' },
      { header: 'Q1 p50', align: 'right' },
      { header: 'Q1 p99', align: 'right' },
      { header: 'Q1 req/s' },
      { header: 'lower bound p50', align: 'right' },
      { header: 'ratio', align: 'right' },
      { header: 'statements/Q1' },
    ],
    result.growth.map((g) => [
      g.sessions,
      ms(g.q1.p50),
      ms(g.q1.p99),
      Math.round(g.q1.throughput),
      ms(g.lowerBound.p50),
      `${g.ratioToLowerBound.toFixed(2)}x`,
      String(g.q1.statementsPerRequest),
    ]),
  );
  const goals = result.goals.map((g) => `  ${g.met ? 'met    ' : 'NOT MET'}  ${g.goal}: ${String(g.value)} (goal ${g.target})`).join('\n');
  const title =
    `queries: ${d.sessions.toLocaleString('en-US')} sessions (${Object.entries(d.byKind)
      .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
      .join(', ')}), ` +
    `${d.messages.toLocaleString('en-US')} messages; generated in ${(d.generationMs / 1000).toFixed(1)} s; ` +
    `${String(result.parameters.connections)} connections, ${String(result.parameters.seconds)} s per run`;
  return `${title}\n\n${renderTable(
    [
      { header: 'run' },
      { header: 'req/s' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'statements/req', align: 'right' },
      { header: 'CPU/req', align: 'right' },
      { header: 'note' },
    ],
    rows,
  )}\n\nQ1 as the data set grows:\n${growth}\n\ngoals:\n${goals}`;
}
