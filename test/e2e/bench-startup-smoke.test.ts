// `npm run bench`'s startup suite, once per command on PGlite: the compiled gateway, tsx and a bare
// Node server each answer their first request, and the table says which goals were met. Timing is
// the benchmark's business, not this test's.
import { describe, expect, it } from 'vitest';
import { runStartupSuite, startupTable } from '../../bench/suites/startup.js';

describe('bench: startup suite (smoke)', () => {
  it('starts the compiled gateway, the tsx one and a bare server, and measures each', async () => {
    const result = await runStartupSuite({ databases: ['pglite'], starts: 1, idleSeconds: 0, log: () => {} });
    expect(result.runs.map((run) => run.command)).toEqual(['compiled', 'tsx', 'bare node']);
    for (const run of result.runs) {
      expect(run.startMs).toHaveLength(1);
      expect(run.startMs[0]).toBeGreaterThan(0);
      expect(run.rssIdleMb).toBeGreaterThan(10);
    }
    expect(startupTable(result)).toMatch(/compiled .*start (met|NOT MET)/);
  }, 180_000);
});
