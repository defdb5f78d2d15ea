// The import CLI against a PostgreSQL that goes away mid-import (a TCP proxy in front of the machine's
// server drops every connection and refuses new ones): the CLI stops with exit 3, its checkpoint names
// only items that were stored, and the same command run again once the database is back finishes the
// file with every item stored exactly once.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { createPostgresDatabase, testPostgresUrl } from '../helpers/database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { entryArgs } from '../helpers/entry.js';

const root = path.resolve(import.meta.dirname, '../..');
const SESSIONS = 1500;
const CHUNK = 25;

let dir = '';
let file = '';
let proxy: TcpProxy;
let created: { url: string; drop(): Promise<void> };
let direct: Database;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStderr` sees its progress output as it comes. */
function runImport(url: string, onStderr?: (text: string) => void): Promise<Run> {
  const child = spawn(process.execPath, entryArgs('cli/import', '--vendor', 'einstein', '--chunk-size', String(CHUNK), file), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    onStderr?.(stderr);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`import did not finish:\n${stdout}\n${stderr}`));
    }, 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
  });
}

const countStored = () => direct.prisma.session.count({ where: { externalId: { startsWith: 'import-fault-' } } });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-import-fault-'));
  file = path.join(dir, 'export.ndjson');
  const lines = Array.from({ length: SESSIONS }, (_, i) =>
    JSON.stringify({ ...einsteinFixtures[i % einsteinFixtures.length], sessionId: `import-fault-${String(i).padStart(5, '0')}` }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
  created = await createPostgresDatabase();
  const server = new URL(testPostgresUrl);
  proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  // Migrated once, directly: the checks below read the database past the proxy.
  direct = await openDatabase({ kind: 'postgres', url: created.url }, { poolSize: 2 });
}, 60_000);

afterAll(async () => {
  await direct?.close();
  await proxy?.close();
  await created?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run import when the database goes away', () => {
  it('exits 3 with a checkpoint that names only stored items, and resumes to exactly the whole file', async () => {
    let refused = false;
    const first = await runImport(proxy.url(created.url), (stderr) => {
      // Once a few chunks are committed (the CLI reports progress after each), take the database away.
      if (!refused && /progress: /.test(stderr)) {
        refused = true;
        void proxy.refuse();
      }
    });
    expect(refused).toBe(true);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(/the database became unavailable/);
    expect(first.stderr).toMatch(/rerun the same command to resume/);

    const checkpoint = JSON.parse(await readFile(`${file}.parley-import.json`, 'utf8')) as { nextIndex: number; offset: number };
    const stored = await countStored();
    // Never past an item that was not stored: everything before the checkpoint is in the database.
    expect(checkpoint.nextIndex).toBeGreaterThan(0);
    expect(checkpoint.nextIndex).toBeLessThan(SESSIONS);
    expect(stored).toBeGreaterThanOrEqual(checkpoint.nextIndex);
    const ids = await direct.prisma.session.findMany({ where: { externalId: { startsWith: 'import-fault-' } }, select: { externalId: true } });
    const storedIds = new Set(ids.map((r) => r.externalId));
    for (let i = 0; i < checkpoint.nextIndex; i++) expect(storedIds.has(`import-fault-${String(i).padStart(5, '0')}`)).toBe(true);

    await proxy.restore();
    const second = await runImport(proxy.url(created.url));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resum/i);
    expect(await countStored()).toBe(SESSIONS);
    const messages = await direct.prisma.message.count({ where: { session: { externalId: { startsWith: 'import-fault-' } } } });
    const expected = Array.from({ length: SESSIONS }, (_, i) => einsteinFixtures[i % einsteinFixtures.length]!.messages?.length ?? 0).reduce(
      (a, b) => a + b,
      0,
    );
    expect(messages).toBe(expected);
  });
});
