// The ingest routes end to end: vendor-native documents in, sessions and messages out through the
// graph; replays change nothing; older snapshots never overwrite newer; bad items are rejected with
// their path while good ones in the same batch are stored; malformed bodies get clear HTTP errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/live/events.js';
import { chatlayerFixtures } from '../../src/vendors/chatlayer/fixtures.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
const events: SessionEvent[] = [];

beforeAll(async () => {
  t = await startTestGateway();
  t.gateway.events.subscribe((batch) => events.push(...batch));
});
afterAll(() => t.close());

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const ndjson = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

async function sessionOf(vendor: string, externalId: string, kind?: string) {
  const result = await t.graphql<{
    session: Record<string, unknown> & { messages: { totalCount: number; edges: { node: { text: string | null; sender: string; sequence: number } }[] } };
  }>(
    `query($vendor: Vendor!, $externalId: String!, $kind: SessionKind) {
      session(vendor: $vendor, externalId: $externalId, kind: $kind) {
        id status outcome lastActiveAt
        conversation { externalId }
        messages(first: 100) { totalCount edges { node { sender text sequence } } }
        ... on EinsteinBotSession { statusRaw lastActiveDate }
        ... on ChatlayerSession { messageContent }
      }
    }`,
    { vendor, externalId, kind },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.session;
}

describe('Einstein sessions', () => {
  it('stores a batch, and a replay changes nothing', async () => {
    const first = await t.ingest('/ingest/einstein/sessions', einsteinFixtures);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: einsteinFixtures.length, created: einsteinFixtures.length, updated: 0, unchanged: 0, rejected: [] });
    const messageCount = einsteinFixtures.reduce((n, s) => n + (s.messages?.length ?? 0), 0);
    expect(await t.db.prisma.message.count({ where: { session: { kind: 'EINSTEIN_BOT' } } })).toBe(messageCount);

    const replay = await t.ingest('/ingest/einstein/sessions', ndjson(einsteinFixtures), 'application/x-ndjson');
    expect(replay.body).toMatchObject({ accepted: einsteinFixtures.length, created: 0, updated: 0, unchanged: einsteinFixtures.length });
    expect(await t.db.prisma.message.count({ where: { session: { kind: 'EINSTEIN_BOT' } } })).toBe(messageCount);
  });

  it('applies a newer snapshot and ignores an older one', async () => {
    const base = clone(einsteinFixtures[0]!);
    const newer = {
      ...clone(base),
      sessionId: 'einstein-order',
      status: 'Active',
      sessionEnded: false,
      lastActiveDate: '2026-11-19T10:05:00.000Z',
      messages: [
        { type: 'Text', sender: 'User', text: 'hello', sequenceId: 1, timestamp: '2026-11-19T10:00:00.000Z' },
        { type: 'Text', sender: 'Bot', text: 'hi, how can I help?', sequenceId: 2, timestamp: '2026-11-19T10:05:00.000Z' },
      ],
    };
    const older = { ...clone(newer), status: 'Active', lastActiveDate: '2026-11-19T10:00:00.000Z', messages: newer.messages.slice(0, 1) };
    const latest = { ...clone(newer), status: 'Ended', sessionEnded: true, lastActiveDate: '2026-11-19T10:09:00.000Z' };

    expect((await t.ingest('/ingest/einstein/sessions', newer)).body.created).toBe(1);
    expect((await t.ingest('/ingest/einstein/sessions', older)).body.unchanged).toBe(1);
    expect((await sessionOf('SALESFORCE_EINSTEIN', 'einstein-order')).lastActiveDate).toBe('2026-11-19T10:05:00.000Z');
    expect((await t.ingest('/ingest/einstein/sessions', latest)).body.updated).toBe(1);
    const stored = await sessionOf('SALESFORCE_EINSTEIN', 'einstein-order');
    expect(stored).toMatchObject({ status: 'ENDED', outcome: 'COMPLETED' });
    expect(stored.messages.totalCount).toBe(2);
  });

  it('accepts lowercase runtime message types and unknown statuses, stored raw', async () => {
    const doc = {
      sessionId: 'einstein-runtime',
      botId: 'bot-x',
      status: 'Paused',
      sessionEnded: true,
      messages: [
        { type: 'escalate', sender: 'Bot', sequenceId: 5 },
        { type: 'sessionEnded', sequenceId: 6 },
      ],
    };
    expect((await t.ingest('/ingest/einstein/sessions', doc)).body.created).toBe(1);
    const stored = await sessionOf('SALESFORCE_EINSTEIN', 'einstein-runtime');
    expect(stored).toMatchObject({ statusRaw: 'Paused', status: 'ENDED', outcome: 'ESCALATED' });
  });

  it('rejects bad items with their index and path and stores the good ones around them', async () => {
    const good1 = { ...clone(einsteinFixtures[1]!), sessionId: 'partial-good-1' };
    const good2 = { ...clone(einsteinFixtures[2]!), sessionId: 'partial-good-2' };
    const missingBot = { sessionId: 'partial-bad-1', status: 'Active' };
    const badSequence = { ...clone(einsteinFixtures[0]!), sessionId: 'partial-bad-2', messages: [{ type: 'Text', sequenceId: 'seven' }] };
    const reply = await t.ingest('/ingest/einstein/sessions', [good1, missingBot, good2, badSequence]);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ accepted: 2, created: 2, rejectedCount: 2 });
    expect(reply.body.rejected).toEqual(
      expect.arrayContaining([expect.objectContaining({ index: 1, path: '$.botId' }), expect.objectContaining({ index: 3, path: '$.messages[0].sequenceId' })]),
    );
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'partial-bad' } } })).toBe(0);
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'partial-good' } } })).toBe(2);
  });

  it('answers 422 when every item is rejected', async () => {
    const reply = await t.ingest('/ingest/einstein/sessions', [{ nope: true }]);
    expect(reply.status).toBe(422);
    expect(reply.body.rejectedCount).toBe(1);
  });
});

describe('Genesys bot flow sessions and reporting turns', () => {
  it('takes the analytics page envelope, with turns as ordered messages', async () => {
    const reply = await t.ingest('/ingest/genesys/bot-flow-sessions', {
      entities: botFlowFixtures,
      nextUri: '/api/v2/analytics/botflows/x/sessions?after=abc',
    });
    expect(reply.body).toMatchObject({ accepted: botFlowFixtures.length, created: botFlowFixtures.length });
    const first = botFlowFixtures[0]!;
    const stored = await sessionOf('GENESYS_CLOUD', first.id!, 'BOT_FLOW');
    const sequences = stored.messages.edges.map((e) => e.node.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(stored.messages.totalCount).toBeGreaterThan(0);
  });

  it('keeps a turn that arrives before its session and attaches it when the session comes', async () => {
    const source = botFlowFixtures.find((s) => (s.turns?.length ?? 0) > 1)!;
    const { turns, ...session } = clone(source);
    const id = 'early-turn-session';
    const lateTurns = turns!.map((turn) => ({ ...turn, sessionId: id }));
    const turnReply = await t.ingest('/ingest/genesys/reporting-turns', { entities: lateTurns });
    expect(turnReply.body).toMatchObject({ accepted: lateTurns.length, created: lateTurns.length });
    expect(await t.db.prisma.session.count({ where: { externalId: id } })).toBe(0);
    const replayTurns = await t.ingest('/ingest/genesys/reporting-turns', lateTurns);
    expect(replayTurns.body.unchanged).toBe(lateTurns.length);

    expect((await t.ingest('/ingest/genesys/bot-flow-sessions', { ...session, id })).body.created).toBe(1);
    const stored = await sessionOf('GENESYS_CLOUD', id, 'BOT_FLOW');
    const fromSource = await sessionOf('GENESYS_CLOUD', source.id!, 'BOT_FLOW');
    expect(stored.messages.edges.map((e) => e.node.text)).toEqual(fromSource.messages.edges.map((e) => e.node.text));
    expect(await t.db.prisma.pendingMessage.count()).toBe(0);

    // The same turns again, now that the session exists: nothing new.
    expect((await t.ingest('/ingest/genesys/reporting-turns', lateTurns)).body.unchanged).toBe(lateTurns.length);
  });

  it('stores an unknown future result raw and maps it to UNKNOWN', async () => {
    const doc = { ...clone(botFlowFixtures[0]!), id: 'future-result', botResult: 'ExitRequestedByMoonPhase', botResultCategory: 'Lunar', turns: undefined };
    expect((await t.ingest('/ingest/genesys/bot-flow-sessions', doc)).body.created).toBe(1);
    const result = await t.graphql<{ session: { outcome: string; botResult: string; botResultRaw: string } }>(
      `{ session(vendor: GENESYS_CLOUD, externalId: "future-result", kind: BOT_FLOW) { outcome ... on BotFlowSession { botResult botResultRaw } } }`,
    );
    expect(result.data!.session).toEqual({ outcome: 'UNKNOWN', botResult: 'UNKNOWN', botResultRaw: 'ExitRequestedByMoonPhase' });
  });
});

describe('Genesys journey sessions', () => {
  it('links journeys to their conversation', async () => {
    const reply = await t.ingest('/ingest/genesys/journey-sessions', ndjson(journeyFixtures), 'application/x-ndjson');
    expect(reply.body).toMatchObject({ accepted: journeyFixtures.length, created: journeyFixtures.length });
    const linked = journeyFixtures.find((j) => j.conversation?.id)!;
    const stored = await sessionOf('GENESYS_CLOUD', linked.id!, 'JOURNEY');
    expect(stored.conversation).toEqual({ externalId: linked.conversation!.id });
  });
});

describe('Chatlayer sessions and webhook', () => {
  it('turns each new messageContent of successive snapshots into a user message, once', async () => {
    const base = clone(chatlayerFixtures[0]!) as unknown as Record<string, unknown> & { internal?: Record<string, unknown> };
    const snapshot = (content: string) => {
      const doc = clone(base);
      const internal = (doc.internal ?? doc) as Record<string, unknown>;
      internal.sessionId = 'chatlayer-snapshots';
      internal.messageContent = content;
      return doc;
    };
    expect((await t.ingest('/ingest/chatlayer/sessions', snapshot('I want to move house'))).body.created).toBe(1);
    expect((await t.ingest('/ingest/chatlayer/sessions', snapshot('I want to move house'))).body.unchanged).toBe(1);
    expect((await t.ingest('/ingest/chatlayer/sessions', snapshot('next Friday'))).body.updated).toBe(1);
    const stored = await sessionOf('CHATLAYER', 'chatlayer-snapshots');
    expect(stored.messages.edges.map((e) => e.node.text)).toEqual(['I want to move house', 'next Friday']);
    expect(stored.messageContent).toBe('next Friday');
  });

  it('adds webhook messages and marks an offloaded session transferred, even before any snapshot', async () => {
    const messages = {
      event: 'messages',
      botId: '2231',
      version: 'LIVE',
      sessionId: 'chatlayer-webhook-only',
      channel: 'whatsapp',
      messages: [
        { actor: 'user', message: { text: 'my internet is down' }, timestamp: '2026-11-19T08:00:00.000Z' },
        { actor: 'bot', message: { text: 'Sorry to hear that! Let me check.' }, timestamp: '2026-11-19T08:00:02.000Z' },
      ],
    };
    expect((await t.ingest('/ingest/chatlayer/webhook', messages)).body.created).toBe(1);
    expect((await t.ingest('/ingest/chatlayer/webhook', messages)).body.unchanged).toBe(1);
    const offload = {
      event: 'offload',
      botId: '2231',
      version: 'LIVE',
      sessionId: 'chatlayer-webhook-only',
      timestamp: '2026-11-19T08:03:00.000Z',
      transcript: messages.messages,
    };
    expect((await t.ingest('/ingest/chatlayer/webhook', offload)).body.updated).toBe(1);
    const stored = await sessionOf('CHATLAYER', 'chatlayer-webhook-only');
    expect(stored).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED' });
    expect(stored.messages.totalCount).toBe(2);
    // A later snapshot without timestamps cannot reopen the hand-over.
    const snapshot = clone(chatlayerFixtures[0]!) as unknown as Record<string, unknown> & { internal?: Record<string, unknown> };
    ((snapshot.internal ?? snapshot) as Record<string, unknown>).sessionId = 'chatlayer-webhook-only';
    await t.ingest('/ingest/chatlayer/sessions', snapshot);
    expect(await sessionOf('CHATLAYER', 'chatlayer-webhook-only')).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED' });
  });
});

describe('events', () => {
  it('announce created, updated, ended, transferred and message-added changes after commit', async () => {
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ['CREATED', 'UPDATED', 'ENDED', 'TRANSFERRED', 'MESSAGE_ADDED']) expect(kinds).toContain(kind);
    const before = events.length;
    await t.ingest('/ingest/einstein/sessions', einsteinFixtures);
    expect(events.length).toBe(before);
  });
});

describe('malformed requests', () => {
  it('415 for another content type', async () => {
    const reply = await t.ingest('/ingest/einstein/sessions', 'sessionId=1', 'application/x-www-form-urlencoded');
    expect(reply.status).toBe(415);
    expect(reply.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('400 with the byte offset for malformed JSON', async () => {
    const body = '[{"sessionId": "é", "botId": "b", "status": "Active"},, ]';
    const reply = await t.ingest('/ingest/einstein/sessions', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('MALFORMED_BODY');
    expect(reply.body.error?.byteOffset).toBe(Buffer.byteLength('[{"sessionId": "é", "botId": "b", "status": "Active"},'));
  });

  it('a malformed NDJSON line is one rejected item, with its byte offset', async () => {
    const good = JSON.stringify({ sessionId: 'ndjson-good', botId: 'b', status: 'Active' });
    const reply = await t.ingest(
      '/ingest/einstein/sessions',
      `${good}\n{"sessionId": oops}\n\n${good.replace('ndjson-good', 'ndjson-good-2')}\n`,
      'application/x-ndjson',
    );
    expect(reply.body).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(reply.body.rejected[0]).toMatchObject({ index: 1, path: '$' });
    expect(reply.body.rejected[0]!.message).toMatch(new RegExp(`byte offset ${good.length + 1 + '{"sessionId": '.length}`));
  });

  it('413 for a single session over 10 MB; an oversized item in a batch is rejected alone', async () => {
    const huge = { sessionId: 'huge', botId: 'b', status: 'Active', externalSessionKey: 'x'.repeat(10 * 1024 * 1024) };
    const single = await t.ingest('/ingest/einstein/sessions', huge);
    expect(single.status).toBe(413);
    const batch = await t.ingest('/ingest/einstein/sessions', ndjson([huge, { sessionId: 'small', botId: 'b', status: 'Active' }]), 'application/x-ndjson');
    expect(batch.body).toMatchObject({ accepted: 1, rejectedCount: 1 });
    expect(batch.body.rejected[0]).toMatchObject({ index: 0, path: '$' });
    expect(await t.db.prisma.session.count({ where: { externalId: 'huge' } })).toBe(0);
  });

  it('400 for a body that is not an object or array, 404 for an unknown route, 405 for GET', async () => {
    expect((await t.ingest('/ingest/einstein/sessions', '42')).status).toBe(400);
    expect((await t.ingest('/ingest/einstein/nope', [])).status).toBe(404);
    const get = await t.gateway.yoga.fetch('http://parley.test/ingest/einstein/sessions');
    expect(get.status).toBe(405);
    expect(t.loggedErrors).toEqual([]);
  });
});

describe('one batch carrying several events of one new session', () => {
  it('applies an offload that follows the messages that created the session', async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 19, 11, 0, s)).toISOString();
    const base = { botId: '2231', version: 'LIVE', sessionId: 'same-chunk', channel: 'web' };
    const reply = await t.ingest('/ingest/chatlayer/webhook', [
      { ...base, event: 'messages', messages: [{ actor: 'user', message: { text: 'help' }, timestamp: at(0) }] },
      { ...base, event: 'offload', timestamp: at(5) },
    ]);
    expect(reply.body).toMatchObject({ accepted: 2, rejectedCount: 0 });
    expect(await sessionOf('CHATLAYER', 'same-chunk')).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED' });
  });
});
