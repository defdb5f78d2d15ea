// The README's start command, for real: `npm start -- --demo` on a fresh embedded database serves
// the demo data on a real port, a restart with the flag adds nothing, and SIGTERM exits cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir = '';

async function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  dataDir ||= await mkdtemp(path.join(tmpdir(), 'parley-e2e-'));
  // What `npm start -- --demo` runs: the launcher, which runs the compiled build (building it if stale).
  const child = spawn(process.execPath, ['scripts/run.mjs', 'main', '--demo'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `pglite:${dataDir}`, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /GraphQL on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function count(url: string): Promise<{ sessions: number; conversation: string[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ sessions { totalCount } conversations: sessions(first: 100) { edges { node { vendor conversation { externalId } } } } }',
    }),
  });
  const body = (await response.json()) as {
    data: { sessions: { totalCount: number }; conversations: { edges: { node: { vendor: string; conversation: { externalId: string } | null } }[] } };
  };
  const vendorsByConversation = new Map<string, Set<string>>();
  for (const { node } of body.data.conversations.edges) {
    if (!node.conversation) continue;
    const set = vendorsByConversation.get(node.conversation.externalId) ?? new Set();
    set.add(node.vendor);
    vendorsByConversation.set(node.conversation.externalId, set);
  }
  const multiVendor = [...vendorsByConversation].filter(([, vendors]) => vendors.size >= 2).map(([id]) => id);
  return { sessions: body.data.sessions.totalCount, conversation: multiVendor };
}

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start -- --demo', () => {
  it('serves the demo data, does not duplicate it on restart, and exits 0 on SIGTERM', async () => {
    const first = await start();
    const before = await count(first.url);
    expect(before.sessions).toBeGreaterThanOrEqual(12);
    expect(before.conversation.length).toBeGreaterThanOrEqual(1);
    const graphiql = await fetch(first.url, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toMatch(/GraphiQL|graphiql/);
    expect(await stop(first.child)).toBe(0);

    const second = await start();
    expect(second.output()).toMatch(/0 sessions created, 0 updated/);
    expect(await count(second.url)).toEqual(before);
    expect(await stop(second.child)).toBe(0);
  }, 180_000);
});
