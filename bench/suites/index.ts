// The benchmark suites `npm run bench` knows, in the order they run. A suite generates its own data,
// runs on fresh databases (bench/lib/database.ts), verifies what it measured, and returns a result
// that is both printed (table) and stored whole in bench/results/<date>.json.
import type { BenchDatabaseKind } from '../lib/database.js';
import { fanoutTable, runFanoutSuite } from './fanout.js';
import { ingestTable, runIngestSuite } from './ingest.js';
import { metricsTable, runMetricsSuite } from './metrics.js';
import { ATTACKS, neighboursTable, runNeighboursSuite, type AttackNumber } from './neighbours.js';
import { queriesTable, runQueriesSuite } from './queries.js';
import { runStartupSuite, startupTable } from './startup.js';

/** What every suite gets from the command line; a suite falls back to its own defaults. */
export interface SuiteContext {
  /** --sessions; undefined: the suite's default size. */
  sessions: number | undefined;
  databases: BenchDatabaseKind[];
  seed: number;
  /** Fan-out suite: --subscribers (one run per count), --rate (events/s), --seconds; undefined: its defaults. */
  fanout?: { subscribers?: number[]; rate?: number; seconds?: number; filters?: number };
  /** Neighbours suite: --attacks (which of issue 22's attacks), --seconds (each attack's window). */
  neighbours?: { attacks?: AttackNumber[]; seconds?: number };
  log: (line: string) => void;
}

export interface Suite<Result> {
  name: string;
  description: string;
  run(context: SuiteContext): Promise<Result>;
  table(result: Result): string;
}

const defineSuite = <Result>(suite: Suite<Result>): Suite<unknown> => suite as Suite<unknown>;

export const suites: Suite<unknown>[] = [
  defineSuite({
    name: 'ingest',
    description: 'bulk NDJSON through the HTTP ingest routes vs plain multi-row INSERT (default 20,000 sessions)',
    run: (context) => runIngestSuite({ sessions: context.sessions ?? 20_000, databases: context.databases, seed: context.seed, log: context.log }),
    table: ingestTable,
  }),
  defineSuite({
    name: 'queries',
    description:
      'reads at scale (PostgreSQL only): Q1 dashboard page, Q2 node(id), Q3 10,000 rows deep, Q4 filtered totalCount, against hand-written SQL and a naive build; Q1 at 10k/100k/1M (default 100,000 sessions; --sessions 1000000)',
    run: (context) =>
      runQueriesSuite({
        sessions: context.sessions ?? 100_000,
        seed: context.seed,
        ...(process.env.PARLEY_BENCH_PROFILE_DIR ? { profileDir: process.env.PARLEY_BENCH_PROFILE_DIR } : {}),
        log: context.log,
      }),
    table: queriesTable,
  }),
  defineSuite({
    name: 'metrics',
    description:
      'botMetrics (PostgreSQL only): 30 days by DAY and BOT in Europe/Brussels, the session figures and every figure, against hand-written SQL (default 1,000,000 sessions)',
    run: (context) => runMetricsSuite({ sessions: context.sessions ?? 1_000_000, seed: context.seed, log: context.log }),
    table: metricsTable,
  }),
  defineSuite({
    name: 'fanout',
    description:
      'live updates: 1,000 and 10,000 subscribers (half SSE, half WebSocket), 20,000 deliveries/s offered for 10 s; commit-to-receipt latency, memory per subscriber (first --db only: both → postgres)',
    run: (context) =>
      runFanoutSuite({
        subscribers: context.fanout?.subscribers ?? [1_000, 10_000],
        ...(context.fanout?.rate !== undefined ? { rate: context.fanout.rate } : {}),
        ...(context.fanout?.filters !== undefined ? { filters: context.fanout.filters } : {}),
        seconds: context.fanout?.seconds ?? 10,
        database: context.databases[0] ?? 'postgres',
        ...(process.env.PARLEY_BENCH_PROFILE_DIR ? { profileDir: process.env.PARLEY_BENCH_PROFILE_DIR } : {}),
        log: context.log,
      }),
    table: fanoutTable,
  }),
  defineSuite({
    name: 'startup',
    description:
      'the compiled gateway (npm start) from spawn to its first answered request, migrations applied, and its idle resident memory; beside tsx and a bare Node server (each --db)',
    run: (context) => runStartupSuite({ databases: context.databases, log: context.log }),
    table: startupTable,
  }),
  defineSuite({
    name: 'neighbours',
    description:
      "issue 22's noisy neighbours (PostgreSQL only): a production gateway (dist/main.js) with two tenants; the victim's dashboard p50/p99/max alone and under each attack (1 metrics subscriptions, 2 nodes(ids:), 3 heavy subscriptions, 4 the subscription cap, 5 unknown keys), 15 s each (default 3,000 sessions per tenant)",
    run: (context) =>
      runNeighboursSuite({
        sessions: context.sessions ?? 3_000,
        seed: context.seed,
        seconds: context.neighbours?.seconds ?? 15,
        attacks: context.neighbours?.attacks ?? [...ATTACKS],
        log: context.log,
      }),
    table: neighboursTable,
  }),
];
