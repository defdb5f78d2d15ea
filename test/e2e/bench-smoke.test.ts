// `npm run bench`'s ingest suite, tiny and on PGlite only: it runs end to end through the same code
// (generated NDJSON, plain-INSERT baseline, real gateway on a real socket, replay) and its own
// verification passes. Whether it is fast is the benchmark's business, not this test's.
import { describe, expect, it } from 'vitest';
import { ingestTable, runIngestSuite } from '../../bench/suites/ingest.js';

describe('bench: ingest suite (smoke)', () => {
  it('imports a small export on PGlite, verifies the stored rows, and replays it unchanged', async () => {
    const lines: string[] = [];
    const result = await runIngestSuite({ sessions: 200, databases: ['pglite'], seed: 7, log: (line) => lines.push(line) });

    expect(result.dataset.sessions).toBe(200);
    // 10-30 messages per session.
    expect(result.dataset.messages).toBeGreaterThanOrEqual(200 * 10);
    expect(result.dataset.messages).toBeLessThanOrEqual(200 * 30);
    expect(result.results).toHaveLength(1);
    const [pglite] = result.results;
    const expected = { sessions: result.dataset.sessions, messages: result.dataset.messages, conversations: result.dataset.conversations };
    expect(pglite!.baseline.verified).toEqual(expected);
    expect(pglite!.copy.verified).toEqual(expected);
    expect(pglite!.concurrent.verified).toEqual(expected);
    expect(pglite!.concurrent.report).toEqual({ accepted: 400, created: 200, updated: 0, unchanged: 200, rejected: 0 });
    expect(pglite!.parley.ratioToCopy).toBeGreaterThan(0);
    expect(pglite!.parley.verified).toEqual(expected);
    expect(pglite!.replay.verified).toEqual(expected);
    expect(pglite!.parley.report).toEqual({ accepted: 200, created: 200, updated: 0, unchanged: 0, rejected: 0 });
    expect(pglite!.replay.report).toEqual({ accepted: 200, created: 0, updated: 0, unchanged: 200, rejected: 0 });
    expect(pglite!.parley.gatewayErrors).toBe(0);
    for (const run of [pglite!.baseline, pglite!.copy, pglite!.parley, pglite!.replay, pglite!.concurrent]) {
      expect(run.ms).toBeGreaterThan(0);
      expect(run.sessionsPerSecond).toBeGreaterThan(0);
    }
    expect(ingestTable(result)).toMatch(/pglite +Parley: NDJSON over HTTP/);
    expect(ingestTable(result)).toMatch(/pglite +baseline: COPY/);
    expect(ingestTable(result)).toMatch(/pglite +Parley: 4 writers, overlapping/);
  }, 180_000);

  it('generates the same export for the same seed', async () => {
    const { einsteinDocuments, genesysBotFlowDocuments } = await import('../../bench/lib/generate.js');
    const take = <T>(docs: Iterable<T>) => [...docs];
    expect(JSON.stringify(take(einsteinDocuments(3, 20)))).toBe(JSON.stringify(take(einsteinDocuments(3, 20))));
    expect(JSON.stringify(take(genesysBotFlowDocuments(3, 20)))).toBe(JSON.stringify(take(genesysBotFlowDocuments(3, 20))));
    const ids = take(einsteinDocuments(3, 2000)).map((d) => d.doc.sessionId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
