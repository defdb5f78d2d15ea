// PENDING_TTL_SECONDS for real: a gateway process started with a two-second TTL drops a turn that
// waits for a session that never comes, by its own periodic sweep, with a log line naming the setting
// and the session — nothing calls the sweep by hand.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryArgs } from '../helpers/entry.js';

let dataDir = '';
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function pendingMessages(url: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith('parley_ingest_pending_messages '));
  return Number(line?.split(' ').at(-1));
}

describe('PENDING_TTL_SECONDS', () => {
  it('drops what waited longer than the configured TTL, with a log line, on its own', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'parley-ttl-'));
    child = spawn(process.execPath, entryArgs('main'), {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `pglite:${dataDir}`, NODE_ENV: 'development', PENDING_TTL_SECONDS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
      child?.stdout?.on('data', () => {
        const match = /GraphQL on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child?.once('exit', (code) => reject(new Error(`gateway exited with ${String(code)}:\n${output}`)));
    });

    const reply = await fetch(new URL('/ingest/genesys/reporting-turns', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'never-comes', botPrompts: ['Hello?'], dateCreated: '2026-11-20T10:00:00.000Z' }),
    });
    expect(await reply.json()).toMatchObject({ created: 1, pending: 1 });
    expect(await pendingMessages(url)).toBe(1);

    // The sweep runs every tenth of the TTL, at most once a second: the turn is gone within a few seconds.
    const deadline = Date.now() + 15_000;
    while ((await pendingMessages(url)) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await pendingMessages(url)).toBe(0);
    expect(output).toMatch(/dropped 1 pending message\(s\) of 1 session\(s\).*PENDING_TTL_SECONDS=2.*BOT_FLOW never-comes/);
  });
});
