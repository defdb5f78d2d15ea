// The Einstein recording proxy against a local Bot Runtime API (test/fakes/einstein-runtime.ts): what the
// client sends reaches Salesforce unchanged (Parley's key does not), Salesforce's answer comes back byte
// for byte, and the conversation is recorded as an Einstein session — user messages from the requests,
// the bot's from the responses, the end with its reason. A database that is away does not stop the call.
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase } from '../../src/db/client.js';
import { createGateway } from '../../src/gateway.js';
import { DEFAULT_CONNECTOR_SETTINGS } from '../../src/connectors/settings.js';
import { FakeEinsteinRuntime } from '../fakes/einstein-runtime.js';
import { createPostgresDatabase, testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { startSecondGateway, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const runtime = new FakeEinsteinRuntime();
let t: TestGateway;
let ingestKey = '';
let readKey = '';

const connectors = () => ({ ...DEFAULT_CONNECTOR_SETTINGS, genesys: null, salesforce: null, einsteinRuntimeUrl: runtime.url });

beforeAll(async () => {
  await runtime.start();
  t = await startTestGateway({ connectors: connectors() });
  ingestKey = (await createApiKey(t.db.prisma, { tenantSlug: 'default', scopes: ['ingest', 'read'] })).key;
  readKey = (await createApiKey(t.db.prisma, { tenantSlug: 'default', scopes: ['read'] })).key;
});
afterAll(async () => {
  await t.close();
  await runtime.stop();
});
afterEach(() => expect(t.loggedErrors).toEqual([]));

const SALESFORCE = { authorization: 'Bearer 00Dxx!salesforce-token', 'x-org-id': '00Dxx0000006GbL', 'content-type': 'application/json' };

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return t.gateway.yoga.fetch(`http://parley.test/proxy/einstein${path}`, {
    method,
    headers: { ...SALESFORCE, 'x-parley-key': ingestKey, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Stored {
  status: string;
  outcome: string | null;
  botId: string;
  messages: { edges: { node: { sender: string; text: string | null; rawType: string } }[] };
}

/** The session as the graph gives it (keys exist, so the query carries one). */
const transcript = async (sessionId: string): Promise<Stored | null> => {
  const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify({
      query: `query ($id: String!) { session(vendor: SALESFORCE_EINSTEIN, externalId: $id) { status outcome botId
        messages(first: 50) { edges { node { sender text rawType } } } } }`,
      variables: { id: sessionId },
    }),
  });
  return ((await response.json()) as { data?: { session: Stored | null } }).data?.session ?? null;
};

describe('the Einstein recording proxy', () => {
  it('forwards each call unchanged, returns the answer byte for byte, and records the session', async () => {
    const start = await call(
      'POST',
      '/v5.0.0/bots/0XxSB00000006rp0AA/sessions',
      { externalSessionKey: 'web-1', message: { text: 'Hello' } },
      { 'x-request-id': 'req-1', 'accept-encoding': 'gzip' },
    );
    expect(start.status).toBe(200);
    expect(start.headers.get('content-encoding')).toBe('gzip');
    expect(start.headers.get('x-request-id')).toBe('req-1');
    expect(start.headers.get('x-runtime-fake')).toBe('einstein');
    const started = JSON.parse(gunzipSync(Buffer.from(await start.arrayBuffer())).toString('utf8')) as { sessionId: string };
    const sessionId = started.sessionId;

    // What Salesforce received: the client's headers and body, not Parley's key.
    const first = runtime.received.at(-1)!;
    expect(first.path).toBe('/v5.0.0/bots/0XxSB00000006rp0AA/sessions');
    expect(first.headers.authorization).toBe(SALESFORCE.authorization);
    expect(first.headers['x-org-id']).toBe(SALESFORCE['x-org-id']);
    expect(first.headers['x-request-id']).toBe('req-1');
    expect(first.headers['x-parley-key']).toBeUndefined();
    expect(JSON.parse(first.body)).toEqual({ externalSessionKey: 'web-1', message: { text: 'Hello' } });

    expect(
      (await call('POST', `/v5.0.0/sessions/${sessionId}/messages`, { message: { type: 'text', sequenceId: 1, text: 'Where is my order?' } })).status,
    ).toBe(200);
    expect((await call('POST', `/v5.0.0/sessions/${sessionId}/messages`, { message: { type: 'text', sequenceId: 2, text: 'An agent please' } })).status).toBe(
      200,
    );
    const end = await call('DELETE', `/v5.0.0/sessions/${sessionId}`, undefined, { 'x-session-end-reason': 'UserRequest' });
    expect(end.status).toBe(200);
    expect(runtime.received.at(-1)!.headers['x-session-end-reason']).toBe('UserRequest');

    const stored = await until(
      () => transcript(sessionId),
      (s) => s?.status !== 'ACTIVE' && s !== null && s.messages.edges.length === 8,
    );
    expect(stored?.botId, t.logLines.join('\n')).toBe('0XxSB00000006rp0AA');
    expect(stored?.messages.edges.map((e) => [e.node.sender, e.node.rawType, e.node.text])).toEqual([
      ['USER', 'text', 'Hello'],
      ['BOT', 'text', 'Hi, I’m the order bot.'],
      ['BOT', 'choices', null],
      ['USER', 'text', 'Where is my order?'],
      ['BOT', 'text', 'You said: Where is my order?'],
      ['USER', 'text', 'An agent please'],
      ['BOT', 'escalate', null],
      ['BOT', 'sessionEnded', null],
    ]);
    expect(stored).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED' });
    const metrics = await (await t.gateway.yoga.fetch('http://parley.test/metrics')).text();
    expect(metrics).toMatch(/parley_proxy_recordings_total\{proxy="einstein",result="recorded"\} 4/);
  });

  it('refuses a body over 1 MiB without forwarding it', async () => {
    const before = runtime.received.length;
    const response = await call('POST', '/v5.0.0/sessions/s/messages', { message: { text: 'x'.repeat(1024 * 1024 + 10) } });
    expect(response.status).toBe(413);
    expect(runtime.received.length).toBe(before);
  });

  it('records a conversation whose calls go to two gateways at once, whichever records first', async () => {
    const other = await startSecondGateway(t, { connectors: connectors() });
    try {
      const via = (g: TestGateway, method: string, path: string, body?: unknown) =>
        g.gateway.yoga.fetch(`http://parley.test/proxy/einstein${path}`, {
          method,
          headers: { ...SALESFORCE, 'x-parley-key': ingestKey },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const started = (await (await via(t, 'POST', '/v5.0.0/bots/0XxSB00000006rp0AA/sessions', { message: { text: 'Hi' } })).json()) as { sessionId: string };
      // The next call reaches the other gateway at once: its recording may run before the start's.
      const sent = await via(other, 'POST', `/v5.0.0/sessions/${started.sessionId}/messages`, {
        message: { type: 'text', sequenceId: 1, text: 'Two gateways' },
      });
      expect(sent.status).toBe(200);
      const stored = await until(
        () => transcript(started.sessionId),
        (s) => s !== null && s.messages.edges.length === 5,
      );
      expect(stored?.botId).toBe('0XxSB00000006rp0AA');
      expect(stored?.messages.edges.map((e) => e.node.text)).toEqual(['Hi', 'Hi, I’m the order bot.', null, 'Two gateways', 'You said: Two gateways']);
    } finally {
      await other.close();
    }
  });

  it("returns Salesforce's errors as they are, and records nothing for them", async () => {
    const response = await call('POST', '/v5.0.0/bots/x/sessions', { message: { text: 'hi' } }, { authorization: '' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ status: 401, message: 'Unauthorized' });
  });

  it('needs an ingest key in X-Parley-Key (Authorization is Salesforce’s), and says when Salesforce is unreachable', async () => {
    const before = runtime.received.length;
    const missing = await call('POST', '/v5.0.0/bots/x/sessions', {}, { 'x-parley-key': '' });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/X-Parley-Key/);
    const reader = await call('POST', '/v5.0.0/bots/x/sessions', {}, { 'x-parley-key': readKey });
    expect(reader.status).toBe(403);
    expect(runtime.received.length).toBe(before);

    const closed = new FakeEinsteinRuntime();
    await closed.start();
    await closed.stop();
    const off = await startTestGateway({ connectors: { ...connectors(), einsteinRuntimeUrl: closed.url } });
    try {
      const response = await off.gateway.yoga.fetch('http://parley.test/proxy/einstein/v5.0.0/bots/x/sessions', {
        method: 'POST',
        headers: SALESFORCE,
        body: '{}',
      });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: 'BAD_GATEWAY' } });
    } finally {
      await off.close();
    }
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('the Einstein recording proxy without its database', () => {
  it('lets a known key’s call through when PostgreSQL refuses connections, logging and counting the recording it could not make; refuses unknown keys', async () => {
    const created = await createPostgresDatabase();
    const server = new URL(testPostgresUrl);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const database = await openDatabase({ kind: 'postgres', url: proxy.url(created.url) }, { poolSize: 2 });
    const lines: string[] = [];
    const gateway = createGateway({
      database,
      connectors: connectors(),
      log: (line) => lines.push(line),
      logError: (e) => lines.push(String(e)),
      authCacheMs: 50,
    });
    const key = (await createApiKey(database.prisma, { tenantSlug: 'default', scopes: ['ingest'] })).key;
    const start = (parleyKey: string) =>
      gateway.yoga.fetch('http://parley.test/proxy/einstein/v5.0.0/bots/0XxSB00000006rp0AA/sessions', {
        method: 'POST',
        headers: { ...SALESFORCE, 'x-parley-key': parleyKey },
        body: JSON.stringify({ message: { text: 'Hello' } }),
      });
    try {
      // The key is verified once while the database is there.
      expect((await start(key)).status).toBe(200);
      await until(
        async () => gateway.metrics.registry.getSingleMetricAsString('parley_proxy_recordings_total'),
        (m) => /result="recorded"\} 1/.test(m),
      );
      await proxy.refuse();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await start(key);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ botVersion: '0X9SB00000006wf0AA' });
      await until(
        async () => lines,
        (l) => l.some((line) => /not recorded/.test(line)),
      );
      expect(lines.some((line) => /einstein proxy: not recorded: POST \/v5\.0\.0\/bots\/0XxSB00000006rp0AA\/sessions/.test(line))).toBe(true);
      // /metrics reads the database too: the counter is read from the registry.
      expect(await gateway.metrics.registry.getSingleMetricAsString('parley_proxy_recordings_total')).toMatch(/\{proxy="einstein",result="failed"\} 1/);
      // A key this process never verified is not let through while its key cannot be checked.
      const before = runtime.received.length;
      const unknown = await start('pk_unknown_0123456789abcdef');
      expect(unknown.status).toBe(503);
      expect(runtime.received.length).toBe(before);
    } finally {
      await proxy.restore();
      await database.close();
      await proxy.close();
      await created.drop();
    }
  });
});
