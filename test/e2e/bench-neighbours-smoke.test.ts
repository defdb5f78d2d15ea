// `npm run bench`'s neighbours suite, tiny: the production gateway (dist/main.js) on a fresh PostgreSQL
// database, two tenants of 100 sessions, a second per window, every attack at a small scale. It checks
// the result's shape and that its counts agree with each other — whatever the gateway answers the
// attacker (today's, or one that refuses with COST_LIMIT_EXCEEDED, TOO_MANY_SUBSCRIPTIONS, RATE_LIMITED...).
// Timing is the benchmark's business, not this test's.
import { describe, expect, it } from 'vitest';
import { neighboursTable, runNeighboursSuite, type AttackResult } from '../../bench/suites/neighbours.js';

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

interface Subscriptions {
  requested: number;
  open: number;
  refused: Record<string, number>;
  gatewayOpen: number | null;
}

describe('bench: neighbours suite (smoke)', () => {
  it('measures the victim alone and under each attack, and reports what the attacker got', async () => {
    const result = await runNeighboursSuite({
      sessions: 100,
      seed: 1,
      seconds: 1,
      attacks: [1, 2, 3, 4, 5],
      metricsSubscriptions: 3,
      nodesIds: 500,
      nodesConcurrency: 2,
      heavySubscriptions: 6,
      heavyPerKey: 3,
      subscriptionCap: { process: 6, perKey: 3, perTenant: 3 },
      floodRequests: 100,
      floodSeconds: 1,
      authSamples: 10,
      statsFlushMs: 2_000,
      settleMs: 30_000,
      log: () => {},
    });

    expect(result.dataset.tenants).toEqual({
      victim: { sessions: 100, messages: expect.any(Number) },
      attacker: { sessions: 100, messages: expect.any(Number) },
    });
    for (const figures of [result.baseline, result.baselineAgain]) {
      expect(figures.requests).toBeGreaterThan(0);
      expect(figures.errors).toEqual({});
      expect(figures.p50).toBeGreaterThan(0);
      expect(figures.max).toBeGreaterThanOrEqual(figures.p99!);
    }
    expect(result.baseline.ratioToBaseline).toBeNull();
    expect(result.attacks.map((a) => a.attack)).toEqual([1, 2, 3, 4, 5]);
    for (const attack of result.attacks) {
      expect(attack.victim.requests).toBeGreaterThan(0);
      expect(attack.victim.ratioToBaseline).toBeGreaterThan(0);
      expect(attack.gatewayCores).toBeGreaterThanOrEqual(0);
      expect(attack.attackerSummary).not.toBe('');
    }
    const [metrics, nodes, heavy, cap, unknown] = result.attacks as [AttackResult, AttackResult, AttackResult, AttackResult, AttackResult];

    // Every subscription asked for was either opened or refused with a code.
    const opened = (s: Subscriptions, requested: number) => {
      expect(s.requested).toBe(requested);
      expect(s.open + sum(s.refused)).toBe(requested);
    };
    opened(metrics.details.subscriptions as Subscriptions, 3);
    expect((metrics.details.ingest as { requests: number }).requests).toBeGreaterThan(0);
    opened(heavy.details.subscriptions as Subscriptions, 6);

    const requests = nodes.details.requests as { requests: number; outcomes: Record<string, number> };
    expect(requests.requests + (nodes.details.cutOff as number)).toBeGreaterThanOrEqual(2);
    expect(sum(requests.outcomes)).toBe(requests.requests);
    for (const outcome of Object.keys(requests.outcomes)) expect(outcome).toMatch(/^(\d{3}( [A-Z0-9_]+)?|TIMEOUT|CUT_OFF|NETWORK: .+)$/);

    // The cap: what the attacker holds is what the gateway counts; the victim is let in or refused with the code.
    const fill = cap.details.fill as Subscriptions;
    opened(fill, 6);
    expect(fill.gatewayOpen).toBe(fill.open);
    expect(cap.details.victimSubscription).toMatch(/^(open \(received its event\)|refused: 1 TOO_MANY_SUBSCRIPTIONS)$/);

    const counted = unknown.details.counted as { sent: number; statuses: Record<string, number>; transactions: number };
    expect(counted.sent).toBe(100);
    expect(sum(counted.statuses)).toBe(100);
    expect(Number.isFinite(counted.transactions)).toBe(true);
    const timing = unknown.details.timing as { existingPrefix: { statuses: Record<string, number> }; missingPrefix: { statuses: Record<string, number> } };
    expect(sum(timing.existingPrefix.statuses)).toBe(10);
    expect(sum(timing.missingPrefix.statuses)).toBe(10);

    const table = neighboursTable(result);
    expect(table).toMatch(/baseline \(no attack\)/);
    for (const n of [1, 2, 3, 4, 5]) expect(table).toMatch(new RegExp(`^${String(n)}\\. `, 'm'));
    expect(table).toMatch(/baseline again/);
  }, 300_000);
});
