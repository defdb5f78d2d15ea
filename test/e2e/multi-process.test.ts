// Two real gateway processes, one PostgreSQL, one Redis: a subscriber on process A receives what was
// ingested on process B; a process killed between its commit and its publish loses nothing (the
// outbox); a client that reconnects to A gets what B committed meanwhile; Redis going away and coming
// back is logged and subscriptions resume without a restart; SIGTERM completes subscriptions and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../helpers/database.js';
import { subscribeWs, subscribeSse, wsClient } from '../helpers/live.js';
import { entryArgs } from '../helpers/entry.js';

const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${output}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] ?? match[0]);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

function startRedis(port: number): Proc {
  return run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
}

async function stopProcess(proc: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode; // already gone (a killed one has a signal, no code)
  const exited = new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code)));
  proc.child.kill(signal);
  return exited;
}

/** The machine's Redis (CI starts it); the outage test runs its own, since it has to stop it. */
const sharedRedisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let redisPort = 0;
let redis: Proc;
let database: { url: string; drop(): Promise<void> };
let a: Proc;
let b: Proc;
let urlA = '';
let urlB = '';
const extra: Proc[] = [];

function gatewayProcess(redisUrl: string, env: Record<string, string> = {}): Proc {
  return run(process.execPath, entryArgs('main'), {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    NODE_ENV: 'development',
    ...env,
  });
}

beforeAll(async () => {
  redisPort = await freePort();
  redis = startRedis(redisPort);
  await redis.waitFor(/Ready to accept connections/);
  database = await createPostgresDatabase();
  a = gatewayProcess(`redis://127.0.0.1:${redisPort}`);
  urlA = await a.waitFor(/GraphQL on (http:\/\/\S+)/);
  b = gatewayProcess(`redis://127.0.0.1:${redisPort}`);
  urlB = await b.waitFor(/GraphQL on (http:\/\/\S+)/);
}, 120_000);

afterAll(async () => {
  for (const proc of [a, b, ...extra]) if (proc) await stopProcess(proc, 'SIGKILL');
  if (redis) await stopProcess(redis, 'SIGKILL');
  await database?.drop();
});

const event = (sessionId: string, text: string, at: string) => ({
  event: 'messages',
  botId: '2231',
  version: 'LIVE',
  sessionId,
  channel: 'web',
  messages: [{ actor: 'user', message: { text }, timestamp: at }],
});

async function ingestOn(url: string, body: unknown): Promise<void> {
  const response = await fetch(url.replace('/graphql', '/ingest/chatlayer/webhook'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const subscription = 'subscription { sessionUpdated(filter: { vendors: [CHATLAYER] }) { kind session { externalId } message { text } } }';
type Update = { sessionUpdated: { kind: string; session: { externalId: string }; message: { text: string } | null } };

/** Ingests on B until A's subscriber has seen `text` (the first attempts may precede the subscription). */
async function deliverAcross(received: { values: Update[] }, sessionId: string, text: string, timeoutMs = 20_000, via = () => urlB): Promise<void> {
  const started = Date.now();
  let n = 0;
  while (!received.values.some((u) => u.sessionUpdated.message?.text === text)) {
    if (Date.now() - started > timeoutMs) throw new Error(`"${text}" never arrived; got ${JSON.stringify(received.values)}`);
    await ingestOn(via(), event(sessionId, text, new Date(Date.UTC(2026, 10, 19, 12, 0, n++)).toISOString()));
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('several gateway processes behind one Redis', () => {
  it("delivers to a subscriber on A what was ingested on B, over WebSocket and SSE (the machine's Redis)", async () => {
    const sharedA = gatewayProcess(sharedRedisUrl);
    const sharedB = gatewayProcess(sharedRedisUrl);
    extra.push(sharedA, sharedB);
    const sharedUrlA = await sharedA.waitFor(/GraphQL on (http:\/\/\S+)/);
    const sharedUrlB = await sharedB.waitFor(/GraphQL on (http:\/\/\S+)/);
    const client = wsClient(sharedUrlA);
    const ws = subscribeWs<Update>(client, subscription);
    const sse = subscribeSse<Update>(sharedUrlA, subscription);
    await deliverAcross(ws, 'across-1', 'from B', 20_000, () => sharedUrlB);
    await deliverAcross(sse, 'across-1', 'from B', 20_000, () => sharedUrlB);
    expect(ws.values.every((u) => u.sessionUpdated.session.externalId === 'across-1')).toBe(true);
    ws.dispose();
    sse.dispose();
    await client.dispose();
  }, 60_000);

  it('loses nothing when a process is killed (SIGKILL) right after its commit, before it could publish', async () => {
    const dying = gatewayProcess(`redis://127.0.0.1:${redisPort}`, { PARLEY_FAULT_DIE_BEFORE_PUBLISH: '1' });
    extra.push(dying);
    const urlDying = await dying.waitFor(/GraphQL on (http:\/\/\S+)/);
    const client = wsClient(urlA);
    const ws = subscribeWs<Update>(client, subscription);
    await deliverAcross(ws, 'sigkill-1', 'subscribed');
    const killed = new Promise<NodeJS.Signals | null>((resolve) => dying.child.once('exit', (_code, signal) => resolve(signal)));
    // The process dies before it answers: the request fails, but what it committed is in the outbox.
    const reply = await fetch(urlDying.replace('/graphql', '/ingest/chatlayer/webhook'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event('sigkill-1', 'committed, then killed', '2026-11-19T13:00:00.000Z')),
    }).catch((error: unknown) => error);
    expect(reply).toBeInstanceOf(Error);
    expect(await killed).toBe('SIGKILL');
    await ws.waitUntil((values) => values.some((u) => u.sessionUpdated.message?.text === 'committed, then killed'), "the killed process's commit");
    expect(ws.errors).toEqual([]);
    ws.dispose();
    await client.dispose();
  }, 60_000);

  it('a client that reconnects to A with since gets, in order, what B committed while it was away', async () => {
    const client = wsClient(urlA);
    const query =
      'subscription($since: ID) { sessionUpdated(filter: { vendors: [CHATLAYER] }, since: $since) { eventId kind session { externalId } message { text } } }';
    type WithId = { sessionUpdated: Update['sessionUpdated'] & { eventId: string } };
    const first = subscribeWs<WithId>(client, query);
    await deliverAcross(first as unknown as { values: Update[] }, 'reconnect-1', 'before');
    const lastSeen = first.values.at(-1)!.sessionUpdated.eventId;
    first.dispose();
    for (let i = 1; i <= 3; i++) await ingestOn(urlB, event('reconnect-1', `missed ${i}`, `2026-11-19T14:00:0${i}.000Z`));
    const again = subscribeWs<WithId>(client, query, { since: lastSeen });
    const texts = () =>
      again.values.flatMap((u) => (u.sessionUpdated.session.externalId === 'reconnect-1' && u.sessionUpdated.message ? [u.sessionUpdated.message.text] : []));
    await again.waitUntil(() => texts().length >= 3, 'the missed events');
    expect(texts()).toEqual(['missed 1', 'missed 2', 'missed 3']);
    const ids = again.values.map((u) => BigInt(u.sessionUpdated.eventId));
    expect(ids[0]).toBe(BigInt(lastSeen) + 1n);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    again.dispose();
    await client.dispose();
  }, 60_000);

  it('logs a Redis outage and resumes delivery when Redis is back, without restarting', async () => {
    const client = wsClient(urlA);
    const ws = subscribeWs<Update>(client, subscription);
    await deliverAcross(ws, 'outage-1', 'before the outage');

    await stopProcess(redis, 'SIGKILL');
    await a.waitFor(/Redis unavailable/, 20_000);
    await b.waitFor(/Redis unavailable/, 20_000);

    redis = startRedis(redisPort);
    await redis.waitFor(/Ready to accept connections/);
    await a.waitFor(/Redis is back/, 30_000);
    await b.waitFor(/Redis is back/, 30_000);

    await deliverAcross(ws, 'outage-1', 'after the outage');
    expect(ws.errors).toEqual([]);
    ws.dispose();
    await client.dispose();
  }, 90_000);

  it('SIGTERM completes subscriptions and exits 0', async () => {
    const client = wsClient(urlA);
    const ws = subscribeWs<Update>(client, subscription);
    await deliverAcross(ws, 'drain-1', 'still here');
    expect(await stopProcess(a)).toBe(0);
    await ws.waitForEnd();
    expect(ws.completed).toBe(true);
    expect(a.output()).toMatch(/parley: stopped/);
    await client.dispose();
  }, 60_000);
});
