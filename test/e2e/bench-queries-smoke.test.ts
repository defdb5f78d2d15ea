// `npm run bench`'s queries suite, tiny, on the test PostgreSQL server: the data set is generated and
// written, the gateway, the lower bound and the naive build answer Q1 and Q3 with the same JSON, Q2
// and Q4 answer as their by-hand lower bounds do (the suite checks all that before timing anything),
// and a Q1 request takes at most four SQL statements. Whether it is fast is the benchmark's business.
import { describe, expect, it } from 'vitest';
import { queriesTable, runQueriesSuite } from '../../bench/suites/queries.js';
import { testPostgresUrl } from '../helpers/database.js';

describe('bench: queries suite (smoke)', () => {
  it('generates a small data set, checks every answer against SQL, and measures each query', async () => {
    process.env.PARLEY_BENCH_POSTGRES_URL ??= testPostgresUrl;
    const lines: string[] = [];
    const result = await runQueriesSuite({ sessions: 400, seed: 5, connections: 2, seconds: 1, q3Offset: 100, log: (line) => lines.push(line) });

    expect(result.dataset.sessions).toBe(400);
    expect(Object.keys(result.dataset.byKind).sort()).toEqual(['BOT_FLOW', 'CHATLAYER', 'EINSTEIN_BOT', 'JOURNEY']);
    expect(result.dataset.messages).toBeGreaterThan(400 * 8);
    expect(result.verified).toHaveLength(4);
    for (const figures of [result.q1, result.q2, result.q3, result.q4, result.lowerBound, result.lowerBoundQ2, result.lowerBoundQ4, result.naive]) {
      expect(figures.requests).toBeGreaterThan(0);
      expect(figures.errors + figures.non2xx + figures.timeouts).toBe(0);
      expect(figures.p50).toBeGreaterThanOrEqual(0);
      expect(figures.cpuMsPerRequest).toBeGreaterThan(0);
    }
    expect(result.q2.throughputToLowerBound).toBeGreaterThan(0);
    expect(result.q4.throughputToLowerBound).toBeGreaterThan(0);
    expect(result.goals.map((g) => g.goal)).toEqual(
      expect.arrayContaining(['Q2 throughput / lower bound Q2 throughput', 'Q4 throughput / lower bound Q4 throughput']),
    );
    // Batched: the page, every transcript page, every conversation (auth look-ups are cached).
    expect(result.q1.statementsPerRequest).toBeGreaterThan(0);
    expect(result.q1.statementsPerRequest).toBeLessThanOrEqual(4);
    expect(result.q3.statementsPerRequest).toBeLessThanOrEqual(4);
    // The naive build takes a statement per session and more.
    expect(result.naive.statementsPerRequest).toBeGreaterThan(40);
    expect(result.q1.ratioToLowerBound).toBeGreaterThan(0);
    expect(result.goals.map((g) => g.goal)).toContain('Q1 p50 / lower-bound p50');
    expect(queriesTable(result)).toMatch(/Q1 dashboard page/);
  }, 240_000);
});
