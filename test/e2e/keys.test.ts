// The keys CLI for real (the compiled `dist/cli/keys.js`, as `npm run keys` runs it) on a fresh
// embedded database, and the keys it makes against a gateway opened on the same folder afterwards;
// then the start-up rules of `src/main.ts` (no key: open and loud in development, refused in production).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../src/auth/keys.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createGateway } from '../../src/gateway.js';
import { entryArgs } from '../helpers/entry.js';

const root = path.resolve(import.meta.dirname, '../..');
const KEY = /^pk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const dirs: string[] = [];

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-keys-'));
  dirs.push(dir);
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(entry: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, entryArgs(entry, ...args), {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} ${args.join(' ')} timed out:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

async function post(
  database: Database,
  query: string,
  key?: string,
): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  // A gateway per call, opened after the CLI ran: the Authenticator caches a positive answer for 5 s,
  // and a new one has nothing cached (so a revocation shows at once, without waiting).
  const gateway = createGateway({ database, logError: () => {} });
  const response = await gateway.yoga.fetch('http://x/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm run keys', () => {
  let dataDir = '';
  let env: Record<string, string> = {};
  const keys = (...args: string[]) => run('cli/keys', args, env);

  beforeAll(async () => {
    dataDir = await freshDir();
    env = { DATABASE_URL: `pglite:${dataDir}` };
  });

  it('rejects bad command lines with exit 2 before touching the database', async () => {
    const cases = [
      [],
      ['frobnicate'],
      ['create', '--scopes', 'read'],
      ['create', '--tenant', 'Acme', '--scopes', 'read'],
      ['create', '--tenant', '-acme', '--scopes', 'read'],
      ['create', '--tenant', 'a'.repeat(64), '--scopes', 'read'],
      ['create', '--tenant', 'acme', '--scopes', 'read,everything'],
      ['create', '--tenant', 'acme', '--scopes', ','],
      ['create', '--tenant', 'acme'],
      ['create', '--tenant', 'acme', '--scopes', 'read', '--colour', 'red'],
      ['revoke'],
      ['revoke', 'not-a-key'],
      ['list', '--tenant', 'Bad Slug'],
      ['tenant', 'set', '--tenant', 'acme', '--message-text-pii', 'maybe'],
      ['tenant', 'rename'],
    ];
    const results = await Promise.all(cases.map((args) => keys(...args)));
    results.forEach((result, i) => {
      expect(result.code, `keys ${cases[i]!.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/parley keys: .+\n[\s\S]*usage: npm run keys/);
      expect(result.stdout).toBe('');
    });
    const inMemory = await run('cli/keys', ['list'], { DATABASE_URL: 'pglite:memory' });
    expect(inMemory.code).toBe(2);
    expect(inMemory.stderr).toMatch(/in-memory/);
  }, 120_000);

  it('creates keys on a fresh database, prints each alone on the last line, and lists them without secrets', async () => {
    const empty = await keys('list');
    expect(empty.code).toBe(0);
    expect(empty.stderr).toMatch(/no keys yet/);

    const created = await keys('create', '--tenant', 'acme', '--scopes', 'read,ingest', '--label', 'e2e writer');
    expect(created.code, created.stderr).toBe(0);
    const writer = lastLine(created.stdout);
    expect(writer).toMatch(KEY);
    expect(created.stdout).toBe(`${writer}\n`);
    expect(created.stderr).toMatch(/created tenant acme/);
    expect(created.stderr).toMatch(/first key: development mode is over/);
    expect(created.stderr).not.toContain(writer);

    const reader = lastLine((await keys('create', '--tenant', 'acme', '--scopes', 'read')).stdout);
    expect(reader).toMatch(KEY);
    const other = await keys('create', '--tenant', 'globex', '--scopes', 'ingest,read,read,pii', '--persisted-only');
    expect(other.code).toBe(0);
    expect(lastLine(other.stdout)).toMatch(KEY);

    const listed = await keys('list');
    expect(listed.code).toBe(0);
    const table = listed.stdout + listed.stderr;
    for (const key of [writer, reader, lastLine(other.stdout)]) {
      const [, prefix, secret] = /^pk_([0-9a-f]{12})_(.+)$/.exec(key)!;
      expect(listed.stdout).toContain(`pk_${prefix}`);
      expect(table).not.toContain(secret);
      expect(table).not.toContain(hashKey(key));
    }
    expect(listed.stdout).toMatch(/^id\s+tenant\s+prefix\s+scopes\s+persisted-only\s+label\s+created\s+revoked/);
    expect(listed.stdout).toMatch(/globex\s+pk_[0-9a-f]{12}\s+read,ingest,pii\s+yes/);
    expect(listed.stdout).toContain('e2e writer');

    const json = await keys('list', '--tenant', 'acme', '--json');
    const rows = JSON.parse(json.stdout) as { tenant: string; scopes: string[]; revokedAt: string | null; label: string | null }[];
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.scopes)).toEqual([['read', 'ingest'], ['read']]);
    expect(rows.every((r) => r.tenant === 'acme' && r.revokedAt === null)).toBe(true);
    expect(json.stdout).not.toMatch(/secret|hash/i);

    const tenantSet = await keys('tenant', 'set', '--tenant', 'acme', '--message-text-pii', 'true');
    expect(tenantSet.code, tenantSet.stderr).toBe(0);

    // The gateway, on the same folder afterwards.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect((await database.prisma.tenant.findUniqueOrThrow({ where: { slug: 'acme' } })).messageTextIsPii).toBe(true);
      const stored = await database.prisma.apiKey.findMany();
      expect(stored.every((row) => !JSON.stringify(row).includes(writer.slice(16)))).toBe(true);

      const ok = await post(database, '{ sessions { totalCount } }', writer);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ data: { sessions: { totalCount: 0 } } });

      const anonymous = await post(database, '{ sessions { totalCount } }');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const mutation = 'mutation { ingestChatlayerSessions(sessions: []) { accepted } }';
      const forbidden = await post(database, mutation, reader);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await post(database, mutation, writer)).status).toBe(200);

      // The folder is locked while the gateway has it open: the CLI says so and exits 3.
      const locked = await keys('list');
      expect(locked.code).toBe(3);
      expect(locked.stderr).toMatch(/in use by process \d+[\s\S]*stop the gateway/);
    } finally {
      await database.close();
    }

    // Revoked by the whole key and by prefix; again is harmless; an unknown key exits 1.
    const byKey = await keys('revoke', writer);
    expect(byKey.code, byKey.stderr).toBe(0);
    expect(byKey.stderr).toMatch(/revoked key/);
    const byPrefix = await keys('revoke', reader.slice(0, 15));
    expect(byPrefix.code, byPrefix.stderr).toBe(0);
    const again = await keys('revoke', writer.slice(3, 15));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already revoked/);
    const unknown = await keys('revoke', 'pk_000000000000');
    expect(unknown.code).toBe(1);

    const after = await openDatabase({ kind: 'pglite', dataDir });
    try {
      // A fresh gateway (see post): the revocation is seen at once, not after the 5 s cache.
      expect((await post(after, '{ sessions { totalCount } }', writer)).status).toBe(401);
      expect((await post(after, '{ sessions { totalCount } }', reader)).status).toBe(401);
    } finally {
      await after.close();
    }
    const revoked = JSON.parse((await keys('list', '--json', '--tenant', 'acme')).stdout) as { revokedAt: string | null }[];
    expect(revoked.every((r) => r.revokedAt !== null)).toBe(true);
  }, 240_000);
});

describe('start-up without any key', () => {
  it('refuses to start in production (exit 1, with what to do)', async () => {
    const dataDir = await freshDir();
    const result = await run('main', [], { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `pglite:${dataDir}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refusing to start: NODE_ENV=production and no API key exists/);
    expect(result.stderr).toMatch(/npm run keys -- create --tenant/);
    expect(result.stdout).not.toMatch(/GraphQL on/);
  }, 120_000);

  it('starts in development without a key and warns loudly', async () => {
    const dataDir = await freshDir();
    // NODE_ENV unset (vitest sets it to `test`: removed here).
    const { NODE_ENV: _unset, ...inherited } = process.env;
    const env = { ...inherited, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `pglite:${dataDir}` };
    const child = spawn(process.execPath, entryArgs('main'), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${stdout}\n${stderr}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /GraphQL on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then((code) => reject(new Error(`gateway exited with ${code}:\n${stdout}\n${stderr}`)));
    });
    try {
      expect(stderr).toMatch(/DEVELOPMENT MODE: NO API KEY EXISTS/);
      expect(stderr).toMatch(/anyone who can reach it/);
      expect(stderr).toMatch(/npm run keys -- create/);
      expect(stderr.split('\n').filter((line) => line.startsWith('!!')).length).toBeGreaterThanOrEqual(5);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ sessions { totalCount } }' }),
      });
      expect(response.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
