// `npm run bench`'s fanout suite, tiny and on PGlite: a real gateway on a real port, 20 subscribers
// (10 SSE, 10 WebSocket) in the suite's own subscriber process, a few webhook events. Every subscriber
// must receive every event exactly once (with filters: every event of its bot, and no other), from
// Parley and from the bare-sockets baseline.
// Timing is the benchmark's business, not this test's.
import { describe, expect, it } from 'vitest';
import { fanoutTable, runFanoutSuite } from '../../bench/suites/fanout.js';

describe('bench: fanout suite (smoke)', () => {
  it('delivers every event to every SSE and WebSocket subscriber', async () => {
    const lines: string[] = [];
    const result = await runFanoutSuite({ subscribers: [20], database: 'pglite', rate: 10, seconds: 1, sessions: 3, log: (line) => lines.push(line) });

    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    expect(run!.subscribers).toMatchObject({ sse: 10, ws: 10 });
    expect(run!.events).toMatchObject({ sent: 10, accepted: 10, committed: 10 });
    expect(run!.deliveries).toMatchObject({ expected: 200, received: 200, missed: 0, duplicates: 0, unknown: 0, errors: 0, allDelivered: true });
    expect(run!.latency.commit!.count).toBe(200);
    expect(run!.latency['commit (SSE)']!.count).toBe(100);
    expect(run!.latency['commit (WebSocket)']!.count).toBe(100);
    expect(run!.gatewayErrors).toBe(0);
    // The baseline served the same subscribers the same events, through bare sockets.
    expect(run!.floor!.deliveries).toEqual({ expected: 200, received: 200, allDelivered: true });
    expect(run!.floor!.latency.count).toBe(200);
    expect(fanoutTable(result)).toMatch(/all delivered/);
    expect(fanoutTable(result)).toMatch(/baseline: bare sockets/);
  }, 120_000);

  it('with filters, delivers each event only to the subscribers of its bot', async () => {
    // 20 subscribers over 4 bots, 12 events over 4 sessions (one per bot): 12 events x 5 subscribers.
    const result = await runFanoutSuite({ subscribers: [20], database: 'pglite', rate: 12, seconds: 1, sessions: 4, filters: 4, log: () => {} });
    expect(result.runs[0]!.deliveries).toMatchObject({ expected: 60, received: 60, missed: 0, duplicates: 0, unknown: 0, errors: 0, allDelivered: true });
  }, 120_000);
});
