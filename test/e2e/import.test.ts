// The README's import command, for real: the CLI as a child process on a generated Einstein export,
// interrupted with SIGINT and resumed (also from a checkpoint that lags one chunk behind, as after a
// crash), replayed with --restart, fed JSON and a Genesys page envelope, and given bad command lines.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { Vendor } from '../../src/generated/prisma/enums.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import { entryArgs } from '../helpers/entry.js';

const root = path.resolve(import.meta.dirname, '../..');
const SESSIONS = 2000;
const CHUNK = 50;
let dir = '';
let ndjson = '';
/** One database for the file: a fresh PGlite folder costs seconds to create. Tests use disjoint ids. */
let dataDir = '';
/** Byte offset where each item's line starts, for rewinding a checkpoint. */
const itemStarts: number[] = [];
let malformed = 0;
let invalid = 0;
let expectedMessages = 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runImport(args: string[], dataDir: string, options: { interruptOn?: RegExp } = {}): Promise<Run> {
  const child = spawn(process.execPath, entryArgs('cli/import', ...args), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `pglite:${dataDir}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (options.interruptOn && !interrupted && options.interruptOn.test(stderr)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`import did not finish:\n${stdout}\n${stderr}`));
    }, 50_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain: 'exit' can come before the last 'data'.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

function summaryOf(stdout: string): Record<'items' | 'created' | 'updated' | 'unchanged' | 'rejected', number> {
  const field = (name: string) => {
    const match = new RegExp(`^\\s+${name}\\s+(\\d+)`, 'm').exec(stdout);
    if (!match?.[1]) throw new Error(`no "${name}" in the summary:\n${stdout}`);
    return Number(match[1]);
  };
  return { items: field('items read'), created: field('created'), updated: field('updated'), unchanged: field('unchanged'), rejected: field('rejected') };
}

async function countStored(dataDir: string): Promise<{ sessions: number; messages: number }> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const where = { vendor: Vendor.SALESFORCE_EINSTEIN, externalId: { startsWith: 'import-e2e-' } };
    const sessions = await database.prisma.session.count({ where });
    const messages = await database.prisma.message.count({ where: { session: where } });
    return { sessions, messages };
  } finally {
    await database.close();
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-import-'));
  dataDir = path.join(dir, 'db');
  ndjson = path.join(dir, 'einstein-export.ndjson');
  const lines: string[] = [];
  let offset = 0;
  const push = (line: string) => {
    itemStarts.push(offset);
    lines.push(line);
    offset += Buffer.byteLength(line) + 1;
  };
  for (let i = 0; i < SESSIONS; i++) {
    const fixture = einsteinFixtures[i % einsteinFixtures.length]!;
    push(JSON.stringify({ ...fixture, sessionId: `import-e2e-${String(i).padStart(5, '0')}` }));
    expectedMessages += fixture.messages?.length ?? 0;
    // Bad items well after the first chunks, so the interrupted run has stored some good ones first.
    if (i % 600 === 599) {
      push(i % 1200 === 599 ? '{"sessionId": "broken", ' : JSON.stringify({ sessionId: `no-bot-${i}`, status: 'Ended' }));
      if (i % 1200 === 599) malformed++;
      else invalid++;
    }
  }
  await writeFile(ndjson, `${lines.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run import', () => {
  it('rejects bad command lines with exit 2 and the usage', async () => {
    await mkdir(path.join(dir, 'folder.json'));
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    await writeFile(path.join(dir, 'broken.json'), '[{"sessionId": "x"}, oops]');
    const unusedDir = path.join(dir, 'unused-db');
    const runs = await Promise.all([
      runImport([ndjson], unusedDir),
      runImport(['--vendor', 'zendesk', ndjson], unusedDir),
      runImport(['--vendor', 'einstein'], unusedDir),
      runImport(['--vendor', 'einstein', path.join(dir, 'missing.ndjson')], unusedDir),
      runImport(['--vendor', 'einstein', path.join(dir, 'notes.txt')], unusedDir),
      runImport(['--vendor', 'einstein', path.join(dir, 'folder.json')], unusedDir),
      runImport(['--vendor', 'einstein', '--chunk-size', '0', ndjson], unusedDir),
      runImport(['--vendor', 'einstein', path.join(dir, 'broken.json')], unusedDir),
    ]);
    const messages = [
      /--vendor is required/,
      /unknown vendor "zendesk"/,
      /no file given/,
      /no such file/,
      /cannot tell the format/,
      /is not a file/,
      /--chunk-size must be/,
      /not valid JSON: malformed at byte offset 21/,
    ];
    runs.forEach((run, i) => {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(messages[i]!);
      expect(run.stdout).toBe('');
    });
    expect(runs[0]!.stderr).toMatch(/usage: npm run import -- --vendor/);
    // None of them touched a database.
    expect(await exists(unusedDir)).toBe(false);
  });

  it('resumes after SIGINT, and after a crash that lost the last checkpoint, storing every item exactly once', async () => {
    const checkpointFile = `${ndjson}.parley-import.json`;
    const first = await runImport(['--vendor', 'einstein', '--chunk-size', String(CHUNK), ndjson], dataDir, { interruptOn: /^progress:/m });
    expect(first.code, first.stderr).toBe(130);
    expect(first.stderr).toMatch(/SIGINT received; stopping after the current chunk commits/);
    expect(first.stdout).toMatch(/^parley import interrupted/);
    expect(first.stdout).toMatch(/run the same command again/);
    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as {
      offset: number;
      nextIndex: number;
      totals: { items: number; created: number };
    };
    const interrupted = summaryOf(first.stdout);
    expect(saved.nextIndex).toBeGreaterThanOrEqual(CHUNK);
    expect(saved.nextIndex).toBeLessThan(600);
    expect(saved.offset).toBe(itemStarts[saved.nextIndex]);
    expect(saved.totals.items).toBe(interrupted.items);
    expect(interrupted.created).toBe(saved.nextIndex);

    // A crash between a chunk's commit and its checkpoint: the checkpoint still names the chunk before.
    const rewound = { ...saved, nextIndex: saved.nextIndex - CHUNK, offset: itemStarts[saved.nextIndex - CHUNK]! };
    rewound.totals = { ...saved.totals, items: saved.totals.items - CHUNK, created: saved.totals.created - CHUNK };
    await writeFile(checkpointFile, JSON.stringify(rewound));

    const second = await runImport(['--vendor', 'einstein', ndjson], dataDir);
    expect(second.stderr).toMatch(new RegExp(`resuming from item ${rewound.nextIndex} \\(byte offset ${rewound.offset}\\)`));
    expect(second.code, second.stderr).toBe(1);
    const total = summaryOf(second.stdout);
    expect(total).toEqual({ items: SESSIONS + malformed + invalid, created: SESSIONS - CHUNK, updated: 0, unchanged: CHUNK, rejected: malformed + invalid });
    expect(second.stdout).toMatch(/^parley import finished/);
    expect(second.stdout).toMatch(new RegExp(`items read\\s+${SESSIONS + malformed + invalid} \\(${rewound.totals.items} by earlier runs\\)`));
    // Rejections keep their position in the whole file, and byte offsets count from its start.
    expect(second.stdout).toMatch(/item 600\s+\$\s+malformed JSON at byte offset \d+/);
    const offset = Number(/item 600\s+\$\s+malformed JSON at byte offset (\d+)/.exec(second.stdout)![1]);
    expect(offset).toBe(itemStarts[600]! + '{"sessionId": "broken", '.length);
    expect(second.stdout).toMatch(/item 1201\s+\$\.botId\s+is required/);
    expect(await exists(checkpointFile)).toBe(false);
    expect(await countStored(dataDir)).toEqual({ sessions: SESSIONS, messages: expectedMessages });

    // --restart on a finished import: everything is there already.
    const again = await runImport(['--vendor', 'einstein', '--restart', ndjson], dataDir);
    expect(again.code, again.stderr).toBe(1);
    expect(summaryOf(again.stdout)).toEqual({
      items: SESSIONS + malformed + invalid,
      created: 0,
      updated: 0,
      unchanged: SESSIONS,
      rejected: malformed + invalid,
    });
  }, 120_000);

  it('imports a JSON array (exit 0 when nothing is rejected) and a Genesys page envelope; exit 3 when the database is in use', async () => {
    const arrayFile = path.join(dir, 'einstein.json');
    await writeFile(arrayFile, JSON.stringify(einsteinFixtures.map((f, i) => ({ ...f, sessionId: `json-${i}` }))));
    const envelopeFile = path.join(dir, 'bot-flow-page.json');
    await writeFile(envelopeFile, JSON.stringify({ entities: botFlowFixtures, nextUri: null, pageCount: 1 }));

    const array = await runImport(['--vendor', 'einstein', arrayFile], dataDir);
    expect(array.code, array.stderr).toBe(0);
    const n = einsteinFixtures.length;
    expect(summaryOf(array.stdout)).toEqual({ items: n, created: n, updated: 0, unchanged: 0, rejected: 0 });
    expect(await exists(`${arrayFile}.parley-import.json`)).toBe(false);

    const envelope = await runImport(['--vendor', 'genesys-bot-flow', envelopeFile], dataDir);
    expect(envelope.code, envelope.stderr).toBe(0);
    const m = botFlowFixtures.length;
    expect(summaryOf(envelope.stdout)).toEqual({ items: m, created: m, updated: 0, unchanged: 0, rejected: 0 });

    // The gateway (here: this process) holds the embedded database: the import cannot open it.
    const held = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const blocked = await runImport(['--vendor', 'einstein', arrayFile], dataDir);
      expect(blocked.code, blocked.stderr).toBe(3);
      expect(blocked.stderr).toMatch(/could not open the database .*in use by process/);
    } finally {
      await held.close();
    }
  }, 120_000);
});
