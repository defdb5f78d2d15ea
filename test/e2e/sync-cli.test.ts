// `npm run sync -- --vendor genesys|salesforce` for real: the compiled CLI against the local Genesys
// (test/fakes/genesys-api.ts) and Salesforce (test/fakes/salesforce-api.ts), and an embedded database on
// disk. A pass prints its summary and exits 0; refused credentials exit 2 with a clear message; an
// unreachable Genesys exits 3; usage errors exit 2.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGenesys } from '../fakes/genesys-api.js';
import { FakeSalesforce, sfDate } from '../fakes/salesforce-api.js';
import { entryArgs, root } from '../helpers/entry.js';

let dir = '';
const fake = new FakeGenesys();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-sync-'));
  await fake.start();
  const now = Date.now();
  fake.flows.push({ id: 'flow-cli', name: 'CLI flow', type: 'digitalbot' });
  for (let i = 0; i < 30; i++) {
    const created = now - (i + 1) * 60 * 60 * 1000;
    fake.sessions.push({
      id: `cli-${String(i)}`,
      flow: { id: 'flow-cli' },
      dateCreated: new Date(created).toISOString(),
      dateCompleted: new Date(created + 60_000).toISOString(),
      botResultCategory: 'BotExit',
    });
    fake.turns.push({ sessionId: `cli-${String(i)}`, botPrompts: ['Hello'], userInput: 'Hi', dateCreated: new Date(created + 1000).toISOString() });
  }
});
afterAll(async () => {
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
});

function sync(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, entryArgs('cli/sync', ...args), {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `pglite:${dir}`,
      GENESYS_API_URL: fake.url,
      GENESYS_LOGIN_URL: fake.url,
      GENESYS_CLIENT_ID: 'parley-client',
      GENESYS_CLIENT_SECRET: 'parley-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => setImmediate(() => resolve({ code, stdout, stderr }))));
}

describe('npm run sync', () => {
  it('runs one pass with a summary, then a second that finds nothing new', async () => {
    const first = await sync(['--vendor', 'genesys']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/parley sync finished: --vendor genesys --tenant default/);
    expect(first.stdout).toMatch(/bot flows\s+1/);
    expect(first.stdout).toMatch(/created\s+60/);
    expect(first.stdout).toMatch(/requests\s+\d+ \(0 retries, 0 rate-limited\)/);
    const second = await sync(['--vendor', 'genesys', '--tenant', 'default']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/created\s+0/);
    expect(second.stdout).toMatch(/unchanged\s+\d+/);
  });

  it('runs the Salesforce connector the same way, with its own summary', async () => {
    const org = new FakeSalesforce();
    await org.start();
    org.botVersions.set('0X9CLI', '0XxCLIBOT');
    for (let i = 0; i < 12; i++) {
      const start = Date.now() - (i + 2) * 60 * 60 * 1000;
      org.sessions.push({
        Id: `0YtCLI${String(i)}`,
        ConversationDefinitionId: '0X9CLI',
        SessionStartTime: sfDate(start),
        SessionEndType: 'Completed',
        SystemModstamp: sfDate(start + 60_000),
      });
    }
    try {
      const env = { SALESFORCE_INSTANCE_URL: org.url, SALESFORCE_CLIENT_ID: 'parley-connected-app', SALESFORCE_CLIENT_SECRET: 'parley-secret' };
      const run = await sync(['--vendor', 'salesforce'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/parley sync finished: --vendor salesforce --tenant default/);
      expect(run.stdout).toMatch(/created\s+12/);
      expect(run.stdout).not.toMatch(/bot flows/);
      const unconfigured = await sync(['--vendor', 'salesforce']);
      expect(unconfigured.code).toBe(2);
      expect(unconfigured.stderr).toMatch(/not configured: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/);
    } finally {
      await org.stop();
    }
  });

  it('exits 2 with a clear message when the credentials are refused', async () => {
    const run = await sync(['--vendor', 'genesys'], { GENESYS_CLIENT_SECRET: 'wrong' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/client credentials were refused .*invalid_client.*check the client id and secret/);
  });

  it('exits 2 on usage errors and when the connector is not configured', async () => {
    expect((await sync(['--vendor', 'zendesk'])).code).toBe(2);
    const since = await sync(['--vendor', 'genesys', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since must be an ISO 8601 date/);
    const unconfigured = await sync(['--vendor', 'genesys'], { GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' });
    expect(unconfigured.code).toBe(2);
    expect(unconfigured.stderr).toMatch(/not configured: set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET/);
    expect((await sync(['--vendor', 'genesys', '--tenant', 'nobody'])).stderr).toMatch(/no tenant "nobody"/);
  });

  it('exits 3 when Genesys cannot be reached, after its retries', async () => {
    // A port nothing listens on: a server's, once it has closed.
    const closed = new FakeGenesys();
    await closed.start();
    await closed.stop();
    const run = await sync(['--vendor', 'genesys'], { GENESYS_API_URL: closed.url, GENESYS_LOGIN_URL: closed.url });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/token request: cannot connect \(ECONNREFUSED\) after 6 attempts/);
    expect(run.stderr).toMatch(/run the same command again to resume/);
  }, 60_000);
});
