// The import CLI's pieces that need no database: its command line, its checkpoint rules, its progress
// line. The whole command is exercised in test/e2e/import.test.ts.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointMismatch, checkpointPath, emptyTotals, readCheckpoint, saveCheckpoint, type Checkpoint } from '../../src/cli/checkpoint.js';
import { parseImportArgs, UsageError } from '../../src/cli/options.js';
import { formatDuration, progressLine } from '../../src/cli/progress.js';

describe('import command line', () => {
  it('reads vendor, file, format and options in either flag spelling', () => {
    expect(parseImportArgs(['--vendor', 'einstein', 'x.ndjson'])).toEqual({
      vendor: 'einstein',
      file: 'x.ndjson',
      format: 'ndjson',
      restart: false,
      chunkSize: 500,
      tenant: 'default',
    });
    expect(parseImportArgs(['--', '--vendor=genesys-turns', '--restart', '--chunk-size=20', '--tenant', 'acme', 'turns.JSONL'])).toMatchObject({
      vendor: 'genesys-turns',
      tenant: 'acme',
      format: 'ndjson',
      restart: true,
      chunkSize: 20,
    });
    expect(parseImportArgs(['page.json', '--vendor', 'genesys-bot-flow'])).toMatchObject({ format: 'json' });
    expect(parseImportArgs(['--help'])).toBe('help');
  });

  it.each([
    [[], /--vendor is required/],
    [['--vendor'], /--vendor needs a value/],
    [['--vendor', 'genesys', 'a.json'], /unknown vendor "genesys"/],
    [['--vendor', 'einstein'], /no file given/],
    [['--vendor', 'einstein', 'a.json', 'b.json'], /one file at a time/],
    [['--vendor', 'einstein', 'a.csv'], /cannot tell the format/],
    [['--vendor', 'einstein', '--chunk-size', '1.5', 'a.json'], /--chunk-size must be an integer/],
    [['--vendor', 'einstein', '--resume', 'a.json'], /unknown option --resume/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseImportArgs(argv)).toThrow(UsageError);
    expect(() => parseImportArgs(argv)).toThrow(message);
  });
});

describe('import checkpoint', () => {
  const checkpoint: Checkpoint = {
    version: 1,
    file: '/data/export.ndjson',
    size: 1000,
    mtimeMs: 1795261452629.3862,
    vendor: 'einstein',
    offset: 400,
    nextIndex: 7,
    totals: { ...emptyTotals(), items: 7, created: 7 },
    elapsedMs: 1200,
    savedAt: '2026-11-21T00:00:00.000Z',
  };

  it('belongs to the same file (size and mtime) and vendor only', () => {
    expect(checkpointMismatch(checkpoint, { size: 1000, mtimeMs: checkpoint.mtimeMs }, 'einstein')).toBeNull();
    expect(checkpointMismatch(checkpoint, { size: 1000, mtimeMs: checkpoint.mtimeMs }, 'chatlayer')).toMatch(/--vendor einstein/);
    expect(checkpointMismatch(checkpoint, { size: 1001, mtimeMs: checkpoint.mtimeMs }, 'einstein')).toMatch(/changed/);
    expect(checkpointMismatch(checkpoint, { size: 1000, mtimeMs: 1 }, 'einstein')).toMatch(/changed/);
  });

  it('is saved atomically beside the file and read back exactly; anything else is ignored', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-checkpoint-'));
    try {
      const file = checkpointPath(path.join(dir, 'export.ndjson'));
      expect(file).toBe(path.join(dir, 'export.ndjson.parley-import.json'));
      expect(await readCheckpoint(file)).toBeNull();
      await saveCheckpoint(file, checkpoint);
      await saveCheckpoint(file, { ...checkpoint, nextIndex: 8 });
      expect(await readCheckpoint(file)).toEqual({ ...checkpoint, nextIndex: 8 });
      expect(await readdir(dir)).toEqual(['export.ndjson.parley-import.json']);
      await saveCheckpoint(file, { ...checkpoint, version: 2 } as unknown as Checkpoint);
      expect(await readCheckpoint(file)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('import progress', () => {
  it('shows percent of bytes, items, rate, ETA and rejections, with the rate of this run only', () => {
    const state = { done: 750, total: 1000, unit: 'bytes' as const, items: 300, itemsThisRun: 200, doneAtStart: 500, rejected: 2 };
    // 200 items and 250 bytes in 2 s: 100 items/s, 250 bytes left at 125 B/s.
    const line = progressLine(state, 2000);
    expect(line).toBe(' 75.0% 750 B/1000 B  300 items  100 items/s  ETA 2.0s  2 rejected');
    expect(progressLine(state, 2000, 100)).toMatch(/^\[#{18}-{6}\] {2}75\.0%/);
    expect(progressLine({ ...state, done: 500 }, 2000)).toMatch(/ETA --/);
  });

  it('formats durations', () => {
    expect(formatDuration(4200)).toBe('4.2s');
    expect(formatDuration(95_000)).toBe('1m35s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});
