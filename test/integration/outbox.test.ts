// The outbox under concurrency: two gateways (on PostgreSQL each with its own connection pool, as two
// processes would be) ingest at once. Event ids come out in commit order without gaps — a reader
// polling meanwhile never sees an id before a smaller one — and a subscriber on one gateway receives
// every event of both, once, in id order, although the other gateway's bus never reaches it (the hub
// reads them from the outbox). On in-memory PGlite the same requests run interleaved on one connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import type { LiveUpdate } from '../../src/live/hub.js';
import { outboxState, readEvents } from '../../src/live/outbox.js';
import { startSecondGateway, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  a = await startTestGateway();
  b = await startSecondGateway(a);
});
afterAll(async () => {
  await b.close();
  await a.close();
});

const webhook = (sessionId: string, text: string, second: number) => ({
  event: 'messages',
  botId: '2231',
  sessionId,
  channel: 'web',
  messages: [{ actor: 'user', message: { text }, timestamp: new Date(Date.UTC(2026, 10, 19, 10, 0, second)).toISOString() }],
});

/** `writers` concurrent streams of webhooks on each gateway, `rounds` each, over `sessions` sessions. */
async function race(label: string, writers: number, rounds: number, sessions: number): Promise<void> {
  await Promise.all(
    [a, b].flatMap((gateway, g) =>
      Array.from({ length: writers }, async (_, w) => {
        for (let r = 0; r < rounds; r++) {
          const reply = await gateway.ingest('/ingest/chatlayer/webhook', webhook(`${label}-${(w + r) % sessions}`, `${label} g${g} w${w} r${r}`, r));
          expect(reply.status).toBe(200);
        }
      }),
    ),
  );
}

describe('the outbox under concurrent writers', () => {
  it('gives ids in commit order without gaps: a reader never sees an id before a smaller one', async () => {
    const start = (await outboxState(a.db.prisma)).last;
    let position = start;
    let racing = true;
    const pages: bigint[][] = [];
    const reader = (async () => {
      while (racing || position < (await outboxState(a.db.prisma)).last) {
        const page = await readEvents(a.db.prisma, position, 1000);
        if (page.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        pages.push(page.map((e) => e.id));
        position = page[page.length - 1]!.id;
      }
    })();
    await race('order', 4, 8, 6);
    racing = false;
    await reader;
    const { last } = await outboxState(a.db.prisma);
    // Every page the reader saw started right after the previous one and had no hole.
    let expected = start + 1n;
    for (const page of pages) {
      for (const id of page) {
        expect(id).toBe(expected);
        expected += 1n;
      }
    }
    expect(expected - 1n).toBe(last);
    // Two writers x 4 streams x 8 webhooks, each at least a MESSAGE_ADDED.
    expect(Number(last - start)).toBeGreaterThanOrEqual(2 * 4 * 8);
    expect(await a.db.prisma.liveEvent.count({ where: { id: { gt: start } } })).toBe(Number(last - start));
    // The tenant's own numbers (what clients see) raced the same way: without gaps, in the same order.
    const events = await a.db.prisma.liveEvent.findMany({ where: { tenantId: DEFAULT_TENANT_ID }, orderBy: { id: 'asc' }, select: { seq: true } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => BigInt(i + 1)));
    const counter = await a.db.prisma.tenantEventCounter.findUniqueOrThrow({ where: { tenantId: DEFAULT_TENANT_ID } });
    expect(counter.last).toBe(BigInt(events.length));
  });

  it("delivers to a subscriber on one gateway every event of both, once and in order, the other's from the outbox alone", async () => {
    const iterator = await a.gateway.live.subscribe({ tenantId: DEFAULT_TENANT_ID, owner: 'test', wants: () => true });
    const from = (await outboxState(a.db.prisma)).last;
    const received: LiveUpdate[] = [];
    let stop = false;
    const consumer = (async () => {
      while (!stop) {
        const next = await iterator.next();
        if (next.done) return;
        received.push(next.value);
      }
    })();
    await race('deliver', 3, 5, 4);
    const { last } = await outboxState(a.db.prisma);
    const started = Date.now();
    while ((received.at(-1)?.eventId ?? 0n) < last) {
      if (Date.now() - started > 15_000) throw new Error(`delivered up to ${String(received.at(-1)?.eventId)} of ${String(last)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop = true;
    await iterator.return?.();
    await consumer;
    const ids = received.map((u) => u.eventId).filter((id) => id > from);
    expect(ids).toEqual(Array.from({ length: Number(last - from) }, (_, i) => from + 1n + BigInt(i)));
    expect(a.loggedErrors).toEqual([]);
    expect(b.loggedErrors).toEqual([]);
  });

  it('a client resuming on a process that is behind gets nothing twice', async () => {
    // `a` follows the outbox (it has a subscriber); `b` commits events `a` is not told of.
    const watcher = await a.gateway.live.subscribe({ tenantId: DEFAULT_TENANT_ID, owner: 'test', wants: () => false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 3; i++) expect((await b.ingest('/ingest/chatlayer/webhook', webhook('behind-1', `b ${i}`, 40 + i))).status).toBe(200);
    // The client saw everything up to the newest event elsewhere, and resumes from it on `a`.
    const { last } = await outboxState(a.db.prisma);
    const resumed = await a.gateway.live.subscribe({ tenantId: DEFAULT_TENANT_ID, owner: 'test', wants: () => true, since: last });
    expect((await a.ingest('/ingest/chatlayer/webhook', webhook('behind-1', 'after', 50))).status).toBe(200);
    const next = await resumed.next();
    expect(next.value!.eventId).toBeGreaterThan(last);
    await Promise.all([resumed.return?.(), watcher.return?.()]);
  });
});
