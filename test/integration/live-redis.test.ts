// Two deployments (two databases) sharing one Redis stay apart: each database announces its commits on a
// channel named by its own id, so one gateway never takes another database's event ids for its own —
// which would move its hub past events it never delivered, and lose them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { sessionEventsChannel } from '../../src/live/outbox.js';
import { createRedisEventBus } from '../../src/live/redis-bus.js';
import type { EventBus } from '../../src/live/events.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';

const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Deployment {
  db: TestDatabase;
  bus: EventBus;
  gateway: Gateway;
  server: ListeningServer;
}

async function deploy(): Promise<Deployment> {
  const db = await openTestDatabase();
  const bus = await createRedisEventBus(redisUrl, { channel: await sessionEventsChannel(db.prisma), log: () => {}, logError: () => {} });
  // A slow poll: delivery must come from the announcement, as it does within a deployment.
  const gateway = createGateway({ database: db, events: bus, livePollMs: 60_000, logError: () => {} });
  const server = await listen(gateway, { port: 0, host: '127.0.0.1' });
  return { db, bus, gateway, server };
}

let a: Deployment;
let b: Deployment;
beforeAll(async () => {
  [a, b] = await Promise.all([deploy(), deploy()]);
});
afterAll(async () => {
  for (const d of [a, b]) {
    await d.server.close();
    await d.bus.close?.();
    await d.db.close();
  }
});

const webhook = (sessionId: string, text: string) => ({
  event: 'messages',
  botId: '2231',
  version: 'LIVE',
  sessionId,
  channel: 'web',
  messages: [{ actor: 'user', message: { text }, timestamp: '2026-11-19T10:00:00.000Z' }],
});

const post = (d: Deployment, body: unknown) =>
  fetch(`http://127.0.0.1:${d.server.port}/ingest/chatlayer/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

it("each database's events reach its own subscribers only, whatever another database on the same Redis commits", async () => {
  expect(await sessionEventsChannel(a.db.prisma)).not.toBe(await sessionEventsChannel(b.db.prisma));
  const clientB = wsClient(b.server.url);
  const live = subscribeWs<{ sessionUpdated: { eventId: string; session: { externalId: string } } }>(
    clientB,
    'subscription { sessionUpdated { eventId session { externalId } } }',
  );
  await untilSubscribers(() => b.gateway.live.subscriberCount, 1);
  // Deployment A commits events 1..4 of its own; B's hub must not hear of them.
  for (let i = 0; i < 2; i++) expect((await post(a, webhook(`a-${i}`, 'elsewhere'))).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  // B's own first events: ids 1 and 2, as A's were. Delivered at once (its poll is a minute away).
  expect((await post(b, webhook('b-0', 'here'))).status).toBe(200);
  const received = await live.waitFor(2, 5_000);
  expect(received.map((u) => u.sessionUpdated.session.externalId)).toEqual(['b-0', 'b-0']);
  expect(received.map((u) => u.sessionUpdated.eventId)).toEqual(['1', '2']);
  live.dispose();
  await clientB.dispose();
});
