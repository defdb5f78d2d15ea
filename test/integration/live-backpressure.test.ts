// A client that stops reading its socket, on either transport: live results are written straight to
// the sockets (src/live/writer.ts), so what protects the gateway is the bound on what waits in a
// socket's buffer. Past it (here 2 results' worth, after the kernel's own buffers are full) the
// subscription is dropped — the hub lets it go at once — and the client, once it reads again, finds
// everything that was written before, then the SLOW_CONSUMER error, then the end.
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { outboxState } from '../../src/live/outbox.js';
import { subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

let db: TestDatabase;
let gateway: Gateway;
let server: ListeningServer;

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = createGateway({ database: db, logError: () => {}, maxQueuedPerSubscriber: 2 });
  server = await listen(gateway, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

const query = 'subscription { sessionUpdated { kind message { text } } }';
/** 256 KiB per message: the kernel's socket buffers (a few MiB on loopback) fill after a few dozen. */
const BIG = 'x'.repeat(256 * 1024);

/** Sends big messages until the hub has dropped every subscriber, or 200 were sent. */
async function flood(prefix: string): Promise<number> {
  let sent = 0;
  while (gateway.live.subscriberCount > 0 && sent < 200) {
    const response = await fetch(`http://127.0.0.1:${server.port}/ingest/chatlayer/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'messages',
        botId: 'flood',
        version: 'LIVE',
        sessionId: `${prefix}-${sent % 3}`,
        channel: 'web',
        messages: [{ actor: 'user', message: { text: `${sent} ${BIG}` }, timestamp: new Date(Date.UTC(2026, 10, 20, 0, 0, sent)).toISOString() }],
      }),
    });
    expect(response.status).toBe(200);
    sent++;
  }
  return sent;
}

describe('a client that stops reading', () => {
  it('over WebSocket: is dropped past the bound, and reads SLOW_CONSUMER after what was written', async () => {
    const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: { type: string; payload?: unknown }[] = [];
    socket.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString('utf8')) as { type: string; payload?: unknown }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    socket.send(JSON.stringify({ id: 'a', type: 'subscribe', payload: { query } }));
    await untilSubscribers(() => gateway.live.subscriberCount, 1);
    socket.pause();

    const sent = await flood('ws');
    expect(gateway.live.subscriberCount).toBe(0);
    expect(sent).toBeLessThan(200);

    socket.resume();
    const started = Date.now();
    while (!messages.some((m) => m.type === 'error') && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const next = messages.filter((m) => m.type === 'next');
    const last = messages.at(-1)!;
    expect(last.type).toBe('error');
    expect(JSON.stringify(last.payload)).toContain('SLOW_CONSUMER');
    // What was written before the drop arrives, in order: fewer than were sent (the rest was never written).
    expect(next.length).toBeGreaterThan(0);
    expect(next.length).toBeLessThan(2 * sent);
    const texts = next.flatMap((m) => {
      const text = (m.payload as { data: { sessionUpdated: { message: { text: string } | null } } }).data.sessionUpdated.message?.text;
      return text ? [Number(text.split(' ')[0])] : [];
    });
    expect(texts).toEqual([...texts].sort((a, b) => a - b));
    socket.terminate();
  }, 60_000);

  it('over SSE: is dropped past the bound, and reads the SLOW_CONSUMER error, then complete', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const body = JSON.stringify({ query });
      const req = request(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    expect(response.statusCode).toBe(200);
    await untilSubscribers(() => gateway.live.subscriberCount, 1);
    response.pause();

    await flood('sse');
    expect(gateway.live.subscriberCount).toBe(0);

    response.setEncoding('utf8');
    let text = '';
    for await (const chunk of response) text += chunk as string;
    const events = text.split('\n\n').filter((block) => block.startsWith('event:') || block.startsWith('id:'));
    expect(events.at(-1)).toBe('event: complete\ndata:');
    const error = events.at(-2)!;
    expect(error).toMatch(/^event: next\ndata: /);
    expect(error).toContain('SLOW_CONSUMER');
  }, 60_000);

  it("reads back missed events at the client's pace: a resume far past the bound is not too slow", async () => {
    // Some 40 missed events for a bound of 2: handed over one by one as the client takes them, all arrive.
    const { last } = await outboxState(db.prisma);
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`http://127.0.0.1:${server.port}/ingest/chatlayer/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          event: 'messages',
          botId: 'pace',
          version: 'LIVE',
          sessionId: 'pace-1',
          channel: 'web',
          messages: [{ actor: 'user', message: { text: `pace ${i}` }, timestamp: new Date(Date.UTC(2026, 10, 21, 0, 0, i)).toISOString() }],
        }),
      });
      expect(response.status).toBe(200);
    }
    type Paced = { sessionUpdated: { kind: string; message: { text: string } | null } };
    const resume = 'subscription($since: ID) { sessionUpdated(since: $since, filter: { botIds: ["pace"] }) { kind message { text } } }';
    const client = wsClient(server.url);
    const ws = subscribeWs<Paced>(client, resume, { since: String(last) });
    const sse = subscribeSse<Paced>(server.url, resume, { since: String(last) });
    for (const received of [ws, sse]) {
      // One CREATED, then a MESSAGE_ADDED (and an UPDATED) per message: every one, in order, no error.
      const texts = (
        await received.waitUntil((values) => values.filter((v) => v.sessionUpdated.kind === 'MESSAGE_ADDED').length === 20, 'all 20 messages', 20_000)
      ).flatMap((v) => (v.sessionUpdated.kind === 'MESSAGE_ADDED' ? [v.sessionUpdated.message!.text] : []));
      expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `pace ${i}`));
      expect(received.errors).toEqual([]);
      received.dispose();
    }
    await client.dispose();
  }, 60_000);
});
