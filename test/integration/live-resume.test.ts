// Live updates from the outbox: every payload says which event it is, a client that reconnects gets
// what it missed (WebSocket `since`, SSE `Last-Event-ID`), events nobody announced still arrive, an
// event pruned away is EVENTS_EXPIRED, and a process refuses subscriptions past its limits.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type Received, subscribeSse, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';
import { makeSession } from '../helpers/sessions.js';

interface Running {
  db: TestDatabase;
  gateway: Gateway;
  server: ListeningServer;
  loggedErrors: unknown[];
}

async function start(options: Partial<Parameters<typeof createGateway>[0]> = {}): Promise<Running> {
  const db = await openTestDatabase();
  const loggedErrors: unknown[] = [];
  const gateway = createGateway({ database: db, logError: (e) => loggedErrors.push(e), livePollMs: 100, ...options });
  const server = await listen(gateway, { port: 0, host: '127.0.0.1' });
  return { db, gateway, server, loggedErrors };
}

async function stop(running: Running): Promise<void> {
  await running.server.close();
  await running.db.close();
}

let main: Running;
beforeAll(async () => {
  main = await start();
});
afterAll(() => stop(main));

const webhook = (sessionId: string, text: string, second: number) => ({
  event: 'messages',
  botId: '2231',
  version: 'LIVE',
  sessionId,
  channel: 'web',
  messages: [{ actor: 'user', message: { text }, timestamp: new Date(Date.UTC(2026, 10, 19, 10, 0, second)).toISOString() }],
});

async function ingest(running: Running, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${running.server.port}/ingest/chatlayer/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

type Update = { sessionUpdated: { eventId: string; kind: string; session: { externalId: string }; message: { text: string } | null } };
const updates =
  'subscription($since: ID) { sessionUpdated(filter: { vendors: [CHATLAYER] }, since: $since) { eventId kind session { externalId } message { text } } }';

/** The message texts of `values` for one session, in order. */
const textsOf = (values: Update[], externalId: string) =>
  values.filter((u) => u.sessionUpdated.session.externalId === externalId && u.sessionUpdated.message).map((u) => u.sessionUpdated.message!.text);

/** Until `received` holds the message `text` of session `externalId`. */
const until = (received: Received<Update>, externalId: string, text: string) =>
  received.waitUntil((values) => textsOf(values, externalId).includes(text), `"${text}"`, 5_000);

/** The newest event id of the (one) tenant a test writes into: its own numbering, as clients see it. */
const newestEventId = async (running: Running) => String((await running.db.prisma.liveEvent.aggregate({ _max: { seq: true } }))._max.seq);

// Each test starts with no subscriber on the shared gateway (the last one's have ended).
afterEach(() => untilSubscribers(() => -main.gateway.live.subscriberCount, 0));

describe('event ids', () => {
  it("puts the outbox id in every payload's extensions and in SSE's id: line, increasing", async () => {
    const client = wsClient(main.server.url);
    const ws = subscribeWs<Update>(client, updates);
    const response = await fetch(main.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: updates }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await untilSubscribers(() => main.gateway.live.subscriberCount, 2);
    await ingest(main, webhook('ids-1', 'one', 1));
    await ingest(main, webhook('ids-1', 'two', 2));
    await until(ws, 'ids-1', 'two');
    for (const [i, value] of ws.values.entries()) expect(ws.extensions[i]).toEqual({ eventId: value.sessionUpdated.eventId });
    const ids = ws.values.map((v) => BigInt(v.sessionUpdated.eventId));
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);

    // The raw stream: `id: <eventId>` before each `event: next`, the id the payload carries.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/event: next/g) ?? []).length < ws.values.length) text += decoder.decode((await reader.read()).value, { stream: true });
    const frames = [...text.matchAll(/id: (\d+)\nevent: next\ndata: (.*)\n\n/g)];
    expect(frames.map((f) => f[1])).toEqual(ws.values.map((v) => v.sessionUpdated.eventId));
    for (const frame of frames)
      expect(JSON.parse(frame[2]!)).toMatchObject({ data: { sessionUpdated: { eventId: frame[1] } }, extensions: { eventId: frame[1] } });
    await reader.cancel();
    ws.dispose();
    await client.dispose();
  });
});

describe('event ids per tenant', () => {
  it("number each tenant's events alone, without gaps, so none learns another's volume or timing; resume stays within the tenant", async () => {
    const own = await start({ production: true });
    try {
      const [a, b] = await Promise.all(['acme', 'globex'].map((tenantSlug) => createApiKey(own.db.prisma, { tenantSlug, scopes: ['read', 'ingest'] })));
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      const clientA = wsClient(own.server.url, as(a!.key));
      const clientB = wsClient(own.server.url, as(b!.key));
      const liveA = subscribeWs<Update>(clientA, updates);
      const liveB = subscribeWs<Update>(clientB, updates);
      await untilSubscribers(() => own.gateway.live.subscriberCount, 2);
      // The other tenant is busy between and around each of acme's events.
      for (let i = 1; i <= 3; i++) {
        for (let j = 0; j < 4; j++) await ingest(own, webhook(`globex-${i}-${j}`, `noise ${i}.${j}`, 10 + j), as(b!.key));
        await ingest(own, webhook('acme-ids', `a${i}`, i), as(a!.key));
      }
      await until(liveA, 'acme-ids', 'a3');
      await liveB.waitUntil((values) => textsOf(values, 'globex-3-3').length > 0, 'globex-3-3', 5_000);
      // acme's ids are 1, 2, 3, ... whatever globex did: a CREATED and a MESSAGE_ADDED per webhook.
      const idsA = liveA.values.map((u) => Number(u.sessionUpdated.eventId));
      expect(idsA).toEqual(idsA.map((_, i) => i + 1));
      expect(liveA.values.every((u) => u.sessionUpdated.session.externalId === 'acme-ids')).toBe(true);
      const idsB = liveB.values.map((u) => Number(u.sessionUpdated.eventId));
      expect(idsB).toEqual(idsB.map((_, i) => i + 1));
      expect(liveA.extensions.map((e) => e?.eventId)).toEqual(idsA.map(String));

      // Resuming from one of acme's ids replays acme's events after it, and nothing of globex's.
      const resumed = subscribeWs<Update>(clientA, updates, { since: String(idsA[1]) });
      await until(resumed, 'acme-ids', 'a3');
      expect(resumed.values.map((u) => Number(u.sessionUpdated.eventId))).toEqual(idsA.slice(2));
      // An id only globex has reached does not exist for acme.
      const ahead = subscribeWs<Update>(clientA, updates, { since: String(idsB.at(-1)) });
      await ahead.waitForEnd();
      expect(JSON.stringify(ahead.errors)).toContain('BAD_USER_INPUT');
      for (const s of [liveA, liveB, resumed]) s.dispose();
      await Promise.all([clientA.dispose(), clientB.dispose()]);
    } finally {
      await stop(own);
    }
  });
});

describe('resuming', () => {
  it('a WebSocket client resuming with since gets what it missed, in order, once, then the live events', async () => {
    const client = wsClient(main.server.url);
    const first = subscribeWs<Update>(client, updates);
    await untilSubscribers(() => main.gateway.live.subscriberCount, 1);
    await ingest(main, webhook('resume-ws', 'seen', 1));
    await until(first, 'resume-ws', 'seen');
    const seen = first.values.at(-1)!;
    first.dispose();
    // Missed while away: two messages, and another session's (filtered out on replay as live).
    await ingest(main, webhook('resume-ws', 'missed 1', 2));
    await ingest(main, webhook('resume-ws-other', 'elsewhere', 2));
    await ingest(main, webhook('resume-ws', 'missed 2', 3));
    const again = subscribeWs<Update>(client, updates, { since: seen.sessionUpdated.eventId });
    await until(again, 'resume-ws', 'missed 2');
    await ingest(main, webhook('resume-ws', 'live', 4));
    await until(again, 'resume-ws', 'live');
    expect(textsOf(again.values, 'resume-ws')).toEqual(['missed 1', 'missed 2', 'live']);
    expect(textsOf(again.values, 'resume-ws-other')).toEqual(['elsewhere']);
    const ids = again.values.map((u) => BigInt(u.sessionUpdated.eventId));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(ids[0]!).toBe(BigInt(seen.sessionUpdated.eventId) + 1n);
    expect(again.errors).toEqual([]);
    again.dispose();
    await client.dispose();
  });

  it('an SSE client resuming with Last-Event-ID gets what it missed the same way', async () => {
    const first = subscribeSse<Update>(main.server.url, updates);
    await untilSubscribers(() => main.gateway.live.subscriberCount, 1);
    await ingest(main, webhook('resume-sse', 'seen', 1));
    await until(first, 'resume-sse', 'seen');
    const seen = first.values.at(-1)!;
    first.dispose();
    await ingest(main, webhook('resume-sse', 'missed', 2));
    const again = subscribeSse<Update>(main.server.url, updates, {}, { 'last-event-id': seen.sessionUpdated.eventId });
    await until(again, 'resume-sse', 'missed');
    expect(textsOf(again.values, 'resume-sse')).toEqual(['missed']);
    expect(BigInt(again.values[0]!.sessionUpdated.eventId)).toBe(BigInt(seen.sessionUpdated.eventId) + 1n);
    again.dispose();
  });

  it("resumes a session's transcript (sessionMessages) with since", async () => {
    await ingest(main, webhook('resume-transcript', 'first', 1));
    const session = await main.db.prisma.session.findFirstOrThrow({ where: { externalId: 'resume-transcript' } });
    const id = encodeGlobalId('ChatlayerSession', session.id);
    const transcript = 'subscription($id: ID!, $since: ID) { sessionMessages(sessionId: $id, since: $since) { text } }';
    const since = await newestEventId(main);
    await ingest(main, webhook('resume-transcript', 'second', 2));
    await ingest(main, webhook('resume-transcript', 'third', 3));
    const client = wsClient(main.server.url);
    const resumed = subscribeWs<{ sessionMessages: { text: string } }>(client, transcript, { id, since });
    await resumed.waitFor(2);
    expect(resumed.values.map((v) => v.sessionMessages.text)).toEqual(['second', 'third']);
    expect(resumed.extensions.every((e) => typeof e?.eventId === 'string')).toBe(true);
    resumed.dispose();
    await client.dispose();
  });

  it('refuses a since that is not an event id, or one that does not exist yet, as BAD_USER_INPUT', async () => {
    const client = wsClient(main.server.url);
    for (const since of ['yesterday', '-1', '99999999999999']) {
      const bad = subscribeWs<Update>(client, updates, { since });
      await bad.waitForEnd();
      expect(JSON.stringify(bad.errors)).toContain('BAD_USER_INPUT');
    }
    await client.dispose();
  });
});

describe('events nobody announced', () => {
  it('reach subscribers from the outbox (a writer that committed and died before publishing)', async () => {
    const client = wsClient(main.server.url);
    const ws = subscribeWs<{ sessionUpdated: { kind: string; session: { externalId: string } } }>(
      client,
      'subscription { sessionUpdated(filter: { vendors: [SALESFORCE_EINSTEIN] }) { kind session { externalId } } }',
    );
    await untilSubscribers(() => main.gateway.live.subscriberCount, 1);
    // Written straight to the database: the outbox has the events, no bus ever hears of them.
    await writeSession(main.db.prisma, makeSession({ externalId: 'unannounced-1' }));
    const [update] = await ws.waitFor(1, 5_000);
    expect(update).toEqual({ sessionUpdated: { kind: 'CREATED', session: { externalId: 'unannounced-1' } } });
    ws.dispose();
    await client.dispose();
  });
});

describe('retention', () => {
  it('answers EVENTS_EXPIRED for a since older than the outbox keeps, and keeps its size bounded', async () => {
    const own = await start({ live: { maxRetainedEvents: 2 } });
    try {
      await ingest(own, webhook('expire-1', 'a', 1));
      const oldest = await newestEventId(own);
      for (let i = 2; i <= 4; i++) await ingest(own, webhook('expire-1', `m${i}`, i));
      const deleted = await own.gateway.outbox.prune();
      expect(deleted).toBeGreaterThan(0);
      expect(await own.db.prisma.liveEvent.count()).toBe(2);
      const client = wsClient(own.server.url);
      const expired = subscribeWs<Update>(client, updates, { since: oldest });
      await expired.waitForEnd();
      expect(JSON.stringify(expired.errors)).toContain('EVENTS_EXPIRED');
      // From the newest event, nothing is lost: accepted.
      const fine = subscribeWs<Update>(client, updates, { since: await newestEventId(own) });
      await untilSubscribers(() => own.gateway.live.subscriberCount, 1);
      expect(fine.errors).toEqual([]);
      fine.dispose();
      await client.dispose();
    } finally {
      await stop(own);
    }
  });
});

describe('retention per tenant', () => {
  it("keeps each tenant's newest events whatever another tenant writes, so a resume tells nothing of the others", async () => {
    const own = await start({ production: true, live: { maxRetainedEvents: 4 } });
    try {
      const [quiet, busy] = await Promise.all(['quiet', 'busy'].map((tenantSlug) => createApiKey(own.db.prisma, { tenantSlug, scopes: ['read', 'ingest'] })));
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      await ingest(own, webhook('quiet-1', 'q1', 1), as(quiet!.key)); // quiet's events 1 and 2
      for (let i = 0; i < 10; i++) await ingest(own, webhook(`busy-${i}`, 'b', i), as(busy!.key)); // busy's 1..20
      await own.gateway.outbox.prune();
      const left = await own.db.prisma.liveEvent.groupBy({ by: ['tenantId'], _count: { _all: true }, orderBy: { tenantId: 'asc' } });
      expect(Object.fromEntries(left.map((g) => [g.tenantId, g._count._all]))).toEqual({ [quiet!.tenantId]: 2, [busy!.tenantId]: 4 });
      // The quiet tenant resumes from its first event as if the busy one had written nothing.
      const client = wsClient(own.server.url, as(quiet!.key));
      const resumed = subscribeWs<Update>(client, updates, { since: '1' });
      const [update] = await resumed.waitFor(1);
      expect(update!.sessionUpdated.eventId).toBe('2');
      resumed.dispose();
      await client.dispose();
    } finally {
      await stop(own);
    }
  });
});

describe('limits', () => {
  it('holds a tenant to its share of the process (MAX_SUBSCRIPTIONS_PER_TENANT), whatever its keys, so another tenant still gets in', async () => {
    const own = await start({ production: true, live: { maxSubscriptions: 4, maxSubscriptionsPerKey: 10, maxSubscriptionsPerTenant: 2 } });
    try {
      const [a1, a2, g] = await Promise.all([
        createApiKey(own.db.prisma, { tenantSlug: 'acme', scopes: ['read'] }),
        createApiKey(own.db.prisma, { tenantSlug: 'acme', scopes: ['read'] }),
        createApiKey(own.db.prisma, { tenantSlug: 'globex', scopes: ['read'] }),
      ]);
      const query = 'subscription { sessionUpdated { kind } }';
      const clients = [a1!, a2!, g!].map((k) => wsClient(own.server.url, { authorization: `Bearer ${k.key}` }));
      const [clientA1, clientA2, clientG] = clients as [ReturnType<typeof wsClient>, ReturnType<typeof wsClient>, ReturnType<typeof wsClient>];
      const held = [subscribeWs(clientA1, query), subscribeWs(clientA2, query)];
      await untilSubscribers(() => own.gateway.live.subscriberCount, 2);
      // acme's second key cannot take more: the tenant's share is used up.
      const over = subscribeWs(clientA2, query);
      await over.waitForEnd();
      expect(JSON.stringify(over.errors)).toContain('TOO_MANY_SUBSCRIPTIONS');
      expect(JSON.stringify(over.errors)).toContain('this tenant holds 2 subscriptions');
      // globex is not locked out.
      const other = [subscribeWs(clientG, query), subscribeWs(clientG, query)];
      await untilSubscribers(() => own.gateway.live.subscriberCount, 4);
      expect(other.every((s) => s.errors.length === 0)).toBe(true);
      for (const s of [...held, ...other]) s.dispose();
      await Promise.all(clients.map((c) => c.dispose()));
    } finally {
      await stop(own);
    }
  });

  it('refuses subscriptions past the per-key and per-process limits with TOO_MANY_SUBSCRIPTIONS, and takes them again once others end', async () => {
    const own = await start({ production: true, live: { maxSubscriptions: 3, maxSubscriptionsPerKey: 2 } });
    try {
      const [a, b] = await Promise.all(['a', 'b'].map((label) => createApiKey(own.db.prisma, { tenantSlug: 'acme', scopes: ['read'], label })));
      const clientA = wsClient(own.server.url, { authorization: `Bearer ${a!.key}` });
      const clientB = wsClient(own.server.url, { authorization: `Bearer ${b!.key}` });
      const query = 'subscription { sessionUpdated { kind } }';
      const a1 = subscribeWs(clientA, query);
      const a2 = subscribeWs(clientA, query);
      await untilSubscribers(() => own.gateway.live.subscriberCount, 2);
      const a3 = subscribeWs(clientA, query); // the key's third
      await a3.waitForEnd();
      expect(JSON.stringify(a3.errors)).toContain('TOO_MANY_SUBSCRIPTIONS');
      const b1 = subscribeWs(clientB, query); // another key: fine, the process's third
      await untilSubscribers(() => own.gateway.live.subscriberCount, 3);
      const sse = await fetch(own.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${b!.key}` },
        body: JSON.stringify({ query }),
      }); // the process's fourth, over SSE
      expect(await sse.text()).toContain('TOO_MANY_SUBSCRIPTIONS');
      a1.dispose();
      await untilSubscribers(() => -own.gateway.live.subscriberCount, -2);
      const again = subscribeWs(clientA, query);
      await untilSubscribers(() => own.gateway.live.subscriberCount, 3);
      expect(again.errors).toEqual([]);
      for (const s of [a2, b1, again]) s.dispose();
      await Promise.all([clientA.dispose(), clientB.dispose()]);
    } finally {
      await stop(own);
    }
  });
});
