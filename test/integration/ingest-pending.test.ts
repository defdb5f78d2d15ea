// What waits for its session is visible and does not wait forever: the ingest reply counts pending
// items, /metrics shows how many messages wait and for how long, and after the pending TTL a sweep
// drops them with a log line naming the sessions. A turn whose session comes in time is attached.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
afterEach(() => expect(t.loggedErrors).toEqual([]));

const TURNS = '/ingest/genesys/reporting-turns';
const turn = (sessionId: string, text: string, second: number) => ({
  sessionId,
  botPrompts: [text],
  userInput: `${text}?`,
  dateCreated: `2026-11-20T10:00:${String(second).padStart(2, '0')}.000Z`,
});

async function metric(name: string, labels = ''): Promise<number | null> {
  const response = await t.gateway.yoga.fetch('http://parley.test/metrics');
  expect(response.status).toBe(200);
  const text = await response.text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}

describe('pending messages', () => {
  it('counts turns that wait for their session in the reply and in /metrics; a replay still waits once', async () => {
    const first = await t.ingest(TURNS, [turn('waiting-1', 'a', 1), turn('waiting-1', 'b', 2), turn('waiting-2', 'c', 3)]);
    expect(first.body).toMatchObject({ accepted: 3, created: 3, pending: 3, rejectedCount: 0 });
    const replay = await t.ingest(TURNS, [turn('waiting-1', 'a', 1)]);
    expect(replay.body).toMatchObject({ accepted: 1, unchanged: 1, pending: 1 });
    expect(await t.db.prisma.pendingMessage.count()).toBe(6);
    expect(await metric('parley_ingest_pending_messages')).toBe(6);
    expect(await metric('parley_ingest_pending_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(await metric('parley_ingest_items_total', '{route="genesys.reportingTurns",result="pending"}')).toBe(4);
    expect(await metric('parley_ingest_items_total', '{route="genesys.reportingTurns",result="created"}')).toBe(3);
  });

  it('attaches waiting turns when the session comes', async () => {
    const reply = await t.ingest('/ingest/genesys/bot-flow-sessions', { id: 'waiting-2', flow: { id: 'f' }, dateCreated: '2026-11-20T10:00:00.000Z' });
    expect(reply.body).toMatchObject({ created: 1, pending: 0 });
    const messages = await t.db.prisma.message.findMany({ where: { session: { externalId: 'waiting-2' } } });
    expect(messages.map((m) => m.text).sort()).toEqual(['c', 'c?']);
    expect(await metric('parley_ingest_pending_messages')).toBe(4);
  });

  it('keeps them through a sweep within the TTL, then drops them with a log line naming the session', async () => {
    expect(await t.gateway.pending.sweep(new Date())).toEqual([]);
    expect(await t.db.prisma.pendingMessage.count()).toBe(4);
    // Seven days and a second later (the default TTL is a week).
    const later = new Date(Date.now() + 7 * 24 * 3600 * 1000 + 1000);
    const expired = await t.gateway.pending.sweep(later);
    expect(expired).toEqual([expect.objectContaining({ kind: 'BOT_FLOW', sessionExternalId: 'waiting-1', messages: 4 })]);
    expect(await t.db.prisma.pendingMessage.count()).toBe(0);
    expect(t.logLines).toEqual([expect.stringMatching(/dropped 4 pending message\(s\) of 1 session\(s\).*PENDING_TTL_SECONDS=604800.*BOT_FLOW waiting-1/)]);
    expect(await metric('parley_ingest_pending_expired_messages_total')).toBe(4);
    expect(await metric('parley_ingest_pending_messages')).toBe(0);
    // The session arriving afterwards is stored without the dropped turns.
    await t.ingest('/ingest/genesys/bot-flow-sessions', { id: 'waiting-1', flow: { id: 'f' }, dateCreated: '2026-11-20T10:00:00.000Z' });
    expect(await t.db.prisma.message.count({ where: { session: { externalId: 'waiting-1' } } })).toBe(0);
  });
});

describe('/metrics access', () => {
  it('needs METRICS_TOKEN as a bearer token when set, and is off in production without one', async () => {
    const { createGateway } = await import('../../src/gateway.js');
    const guarded = createGateway({ database: t.db, metricsToken: 'a-long-enough-metrics-token', log: () => {} });
    const get = async (g: typeof guarded, authorization?: string) =>
      (await g.yoga.fetch('http://parley.test/metrics', { headers: authorization ? { authorization } : {} })).status;
    expect(await get(guarded)).toBe(401);
    expect(await get(guarded, 'Bearer wrong-token-of-some-length')).toBe(401);
    expect(await get(guarded, 'Bearer a-long-enough-metrics-token')).toBe(200);
    const production = createGateway({ database: t.db, production: true, log: () => {} });
    expect(await get(production)).toBe(403);
  });
});
