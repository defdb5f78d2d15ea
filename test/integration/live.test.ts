// Live updates over both transports on a real port: filtered before delivery, transcripts as they
// grow, heartbeats, slow consumers dropped, and a drain that completes every subscription.
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;
const loggedErrors: unknown[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = createGateway({ database: db, logError: (e) => loggedErrors.push(e), maxQueuedPerSubscriber: 20, sseKeepAliveMs: 100 });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000 });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

async function ingest(path: string, body: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ created: number }>;
}

const chatlayerEvent = (sessionId: string, text: string, at: string) => ({
  event: 'messages',
  botId: '2231',
  version: 'LIVE',
  sessionId,
  channel: 'web',
  messages: [{ actor: 'user', message: { text }, timestamp: at }],
});

type Update = { sessionUpdated: { kind: string; session: { externalId: string; vendor: string }; message: { text: string } | null } };
const updates = /* GraphQL */ `
  subscription($filter: SessionFilter) {
    sessionUpdated(filter: $filter) { kind session { externalId vendor } message { text } }
  }
`;

describe('sessionUpdated', () => {
  it('delivers over SSE and WebSocket, each subscriber only what its filter matches', async () => {
    const base = gateway.live.subscriberCount;
    const sseChatlayer = subscribeSse<Update>(server.url, updates, { filter: { vendors: ['CHATLAYER'] } });
    const client = wsClient(server.url);
    const wsEinstein = subscribeWs<Update>(client, updates, { filter: { vendors: ['SALESFORCE_EINSTEIN'], botIds: [einsteinFixtures[0]!.botId] } });
    await untilSubscribers(() => gateway.live.subscriberCount, base + 2);

    await ingest('/ingest/chatlayer/webhook', chatlayerEvent('live-1', 'hello there', '2026-11-19T08:00:00.000Z'));
    await ingest('/ingest/einstein/sessions', einsteinFixtures);

    const chat = await sseChatlayer.waitFor(2);
    expect(chat.map((u) => u.sessionUpdated.kind).sort()).toEqual(['CREATED', 'MESSAGE_ADDED']);
    expect(chat.every((u) => u.sessionUpdated.session.vendor === 'CHATLAYER')).toBe(true);
    expect(chat.find((u) => u.sessionUpdated.kind === 'MESSAGE_ADDED')!.sessionUpdated.message).toEqual({ text: 'hello there' });

    const expectedEinstein = einsteinFixtures.filter((s) => s.botId === einsteinFixtures[0]!.botId).length;
    const einstein = await wsEinstein.waitFor(expectedEinstein);
    expect(einstein.every((u) => u.sessionUpdated.session.vendor === 'SALESFORCE_EINSTEIN')).toBe(true);
    // Nothing from the other bot, nor the Chatlayer session, reached the Einstein subscriber.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = new Set(wsEinstein.values.map((u) => u.sessionUpdated.session.externalId));
    for (const s of einsteinFixtures) expect(seen.has(s.sessionId!)).toBe(s.botId === einsteinFixtures[0]!.botId);
    expect(sseChatlayer.values).toHaveLength(2);

    sseChatlayer.dispose();
    wsEinstein.dispose();
    await client.dispose();
    await untilSubscribers(() => -gateway.live.subscriberCount, -base);
  });
});

describe('sessionMessages', () => {
  it("streams one session's transcript as it grows", async () => {
    await ingest('/ingest/chatlayer/webhook', chatlayerEvent('live-transcript', 'first', '2026-11-19T09:00:00.000Z'));
    const found = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ session(vendor: CHATLAYER, externalId: "live-transcript") { id } }' }),
    }).then((r) => r.json() as Promise<{ data: { session: { id: string } } }>);
    const base = gateway.live.subscriberCount;
    const client = wsClient(server.url);
    const transcript = subscribeWs<{ sessionMessages: { text: string; sender: string } }>(
      client,
      'subscription($id: ID!) { sessionMessages(sessionId: $id) { text sender } }',
      { id: found.data.session.id },
    );
    await untilSubscribers(() => gateway.live.subscriberCount, base + 1);
    await ingest('/ingest/chatlayer/webhook', chatlayerEvent('live-other', 'not for you', '2026-11-19T09:00:01.000Z'));
    await ingest('/ingest/chatlayer/webhook', chatlayerEvent('live-transcript', 'second', '2026-11-19T09:00:02.000Z'));
    await ingest('/ingest/chatlayer/webhook', chatlayerEvent('live-transcript', 'third', '2026-11-19T09:00:03.000Z'));
    expect((await transcript.waitFor(2)).map((m) => m.sessionMessages.text)).toEqual(['second', 'third']);
    transcript.dispose();
    await client.dispose();
  });

  it('refuses an id that is not a session', async () => {
    const client = wsClient(server.url);
    const bad = subscribeWs(client, 'subscription { sessionMessages(sessionId: "nope") { text } }');
    await bad.waitForEnd();
    expect(JSON.stringify(bad.errors)).toMatch(/BAD_ID|not a Parley global id/);
    await client.dispose();
  });
});

describe('robustness', () => {
  it('sends heartbeats on both transports', async () => {
    // SSE: a comment line (":") at once and then periodically (every 100 ms here, 12 s by default).
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { sessionUpdated { kind } }' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    const started = Date.now();
    while ((text.match(/^:/gm) ?? []).length < 2 && Date.now() - started < 5000) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    expect((text.match(/^:/gm) ?? []).length).toBeGreaterThanOrEqual(2);
    controller.abort();

    // WebSocket: ping frames at the keep-alive interval (1 s here: graphql-ws ends a socket whose pong
    // takes longer than that, and a busy test process can answer later than 100 ms).
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const pinged = new Promise<void>((resolve) => socket.once('ping', () => resolve()));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await pinged;
    socket.close();
  });

  it('drops a subscriber that falls too far behind, and tells it why', async () => {
    const iterator = await gateway.live.subscribe({ tenantId: DEFAULT_TENANT_ID, owner: 'test', wants: () => true });
    const before = gateway.live.subscriberCount;
    for (let i = 0; i < 25; i++) await ingest('/ingest/chatlayer/webhook', chatlayerEvent(`slow-${i}`, 'hi', '2026-11-19T10:00:00.000Z'));
    await untilSubscribers(() => -gateway.live.subscriberCount, -(before - 1));
    await expect(iterator.next()).rejects.toThrow(/were waiting for this subscriber/);
    expect((await iterator.next()).done).toBe(true);
  });
});

describe('execute once, write many', () => {
  // A gateway of its own: the execution counter sees only this describe's subscribers.
  let ownDb: TestDatabase;
  let own: Gateway;
  let ownServer: ListeningServer;
  beforeAll(async () => {
    ownDb = await openTestDatabase();
    own = createGateway({ database: ownDb, logError: (e) => loggedErrors.push(e) });
    ownServer = await listen(own, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await ownServer.close();
    await ownDb.close();
  });
  const ingestOwn = async (body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${ownServer.port}/ingest/chatlayer/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };

  it('masks an unexpected error in a shared result as Yoga masks its own, and logs it', () => {
    // Piped results are written without passing through Yoga's error masking: the same mask applies.
    const before = loggedErrors.length;
    const secret = new Error('connection to 10.0.0.7 refused: password authentication failed');
    const masked = own.liveExecutions.maskError(new GraphQLError(secret.message, { originalError: secret }));
    expect(masked.message).toBe('Unexpected error.');
    expect(JSON.stringify(masked)).not.toContain('10.0.0.7');
    expect(loggedErrors.slice(before)).toContain(secret);
    // An error meant for the client (a GraphQLError of our own, no original) is left as it is.
    const told = new GraphQLError('No session with that id.', { extensions: { code: 'NOT_FOUND' } });
    expect(own.liveExecutions.maskError(told)).toBe(told);
  });

  it('executes an event once for all subscribers of the same operation, whatever their filters, and forgets the group after', async () => {
    const client = wsClient(ownServer.url);
    const chatlayer = { filter: { vendors: ['CHATLAYER'] } };
    const same = [
      ...Array.from({ length: 4 }, () => subscribeWs<Update>(client, updates, chatlayer)),
      ...Array.from({ length: 3 }, () => subscribeSse<Update>(ownServer.url, updates, chatlayer)),
    ];
    const other = subscribeWs<Update>(client, updates, { filter: { vendors: ['CHATLAYER'], channels: ['web'] } });
    await untilSubscribers(() => own.live.subscriberCount, 8);
    expect(own.liveExecutions.groupCount).toBe(1);
    // Both transports take the results as ready bytes, written straight to their sockets.
    expect(own.liveExecutions.piped).toBe(8);
    const before = own.liveExecutions.executions;
    await ingestOwn(chatlayerEvent('shared-1', 'once', '2026-11-19T11:00:00.000Z'));
    for (const received of [...same, other]) await received.waitFor(2); // CREATED and MESSAGE_ADDED
    // Two events, one group (a filter chooses the events, not what a result holds): two executions for eight subscribers.
    expect(own.liveExecutions.executions - before).toBe(2);
    const texts = [...same, other].map((r) => r.values.find((u) => u.sessionUpdated.kind === 'MESSAGE_ADDED')!.sessionUpdated.message);
    expect(texts.every((m) => m?.text === 'once')).toBe(true);
    for (const received of [...same, other]) received.dispose();
    await client.dispose();
    await untilSubscribers(() => -own.live.subscriberCount, 0);
    await untilSubscribers(() => -own.liveExecutions.groupCount, 0);
    expect(own.liveExecutions.piped).toBe(0);
  });

  it('executes separately where the selection reads other variable values', async () => {
    const client = wsClient(ownServer.url);
    const paged = 'subscription($n: Int) { sessionUpdated(filter: { vendors: [CHATLAYER] }) { kind session { messages(first: $n) { totalCount } } } }';
    const one = subscribeWs<{ sessionUpdated: { kind: string } }>(client, paged, { n: 1 });
    const two = subscribeWs<{ sessionUpdated: { kind: string } }>(client, paged, { n: 2 });
    await untilSubscribers(() => own.live.subscriberCount, 2);
    expect(own.liveExecutions.groupCount).toBe(2);
    const before = own.liveExecutions.executions;
    await ingestOwn(chatlayerEvent('shared-2', 'twice', '2026-11-19T11:30:00.000Z'));
    await one.waitFor(2);
    await two.waitFor(2);
    expect(own.liveExecutions.executions - before).toBe(4); // two events x two groups
    one.dispose();
    two.dispose();
    await client.dispose();
    await untilSubscribers(() => -own.live.subscriberCount, 0);
  });
});

describe('indexed filtering', () => {
  it("asks a subscriber to one bot about that bot's sessions only, not every update", async () => {
    const asked: string[] = [];
    const botId = 'indexed-bot';
    const iterator = await gateway.live.subscribe({
      tenantId: DEFAULT_TENANT_ID,
      owner: 'test',
      index: { botIds: [botId] },
      wants: (update) => {
        asked.push(update.session.externalId);
        return update.session.botId === botId;
      },
    });
    await ingest('/ingest/chatlayer/webhook', { ...chatlayerEvent('index-other', 'not mine', '2026-11-19T12:00:00.000Z'), botId: 'another-bot' });
    await ingest('/ingest/chatlayer/webhook', { ...chatlayerEvent('index-mine', 'mine', '2026-11-19T12:00:01.000Z'), botId });
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: 'CREATED', session: { externalId: 'index-mine' } });
    expect(new Set(asked)).toEqual(new Set(['index-mine']));
    await iterator.return?.();
  });
});

describe('drain', () => {
  it('completes every subscription on both transports, then closes', async () => {
    const ownDb = await openTestDatabase();
    const own = createGateway({ database: ownDb });
    const ownServer = await listen(own, { port: 0, host: '127.0.0.1' });
    const sse = subscribeSse(ownServer.url, updates);
    const client = wsClient(ownServer.url);
    const ws = subscribeWs(client, updates);
    await untilSubscribers(() => own.live.subscriberCount, 2);
    await ownServer.close();
    await sse.waitForEnd();
    await ws.waitForEnd();
    expect(sse.completed).toBe(true);
    expect(ws.completed).toBe(true);
    expect(sse.errors).toEqual([]);
    expect(ws.errors).toEqual([]);
    await client.dispose();
    await ownDb.close();
  });
});
