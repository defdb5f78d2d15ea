// Ingest's guarantees under concurrency: two gateways (on PostgreSQL, each with its own connection
// pool, as two gateway processes would be) race real requests at the same sessions. Newer wins by the
// vendor's clock whatever the arrival order; a session's first writes never collide; a turn racing its
// session is attached whichever commits first; messages that share a sequence never overwrite each
// other. On in-memory PGlite (one connection) the same requests run interleaved on one database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { figureMismatches } from '../helpers/figures.js';
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
afterEach(async () => {
  expect(a.loggedErrors).toEqual([]);
  expect(b.loggedErrors).toEqual([]);
  // Whatever the race, the metrics' rollup both writers kept equals a recount of what they stored.
  expect(await figureMismatches((sql, params) => a.db.prisma.$queryRawUnsafe(sql, ...params))).toEqual([]);
});

const EINSTEIN = '/ingest/einstein/sessions';
const TURNS = '/ingest/genesys/reporting-turns';
const BOT_FLOWS = '/ingest/genesys/bot-flow-sessions';
const WEBHOOK = '/ingest/chatlayer/webhook';

/** Deterministic shuffle (mulberry32), so a failure can be reproduced from the round number. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Sends every body at once, alternating gateways; each must be accepted (HTTP 200, nothing rejected). */
async function race(path: string, bodies: readonly unknown[]): Promise<void> {
  const replies = await Promise.all(bodies.map((body, i) => (i % 2 === 0 ? a : b).ingest(path, body)));
  for (const reply of replies) {
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.rejectedCount).toBe(0);
  }
}

async function storedSession(externalId: string) {
  const row = await a.db.prisma.session.findFirst({
    where: { externalId },
    include: { messages: { orderBy: [{ sequence: 'asc' }, { ordinal: 'asc' }, { key: 'asc' }] } },
  });
  expect(row, `session ${externalId}`).not.toBeNull();
  return row!;
}

function einsteinVersion(sessionId: string, minute: number, ended = false) {
  const at = (m: number) => `2026-11-20T10:${String(m).padStart(2, '0')}:00.000Z`;
  return {
    sessionId,
    botId: 'bot-race',
    status: ended ? 'Ended' : 'Active',
    createdDate: at(0),
    lastActiveDate: at(minute),
    messages: Array.from({ length: minute }, (_, i) => ({
      type: 'Text',
      sender: i % 2 === 0 ? 'User' : 'Bot',
      text: `message ${String(i + 1)}`,
      sequenceId: i + 1,
      timestamp: at(i + 1),
    })),
  };
}

describe('concurrent writers', () => {
  it('newer wins by the vendor clock whatever the arrival order, and first writes never collide', async () => {
    for (let round = 0; round < 6; round++) {
      const sessionId = `race-newest-${String(round)}`;
      // Ten versions of one new session, minute 1 to 10; the last one ends it.
      const versions = Array.from({ length: 10 }, (_, i) => einsteinVersion(sessionId, i + 1, i === 9));
      await race(EINSTEIN, shuffled(versions, round + 1));
      const stored = await storedSession(sessionId);
      expect(stored.status).toBe('ENDED');
      expect(stored.lastActiveAt.toISOString()).toBe('2026-11-20T10:10:00.000Z');
      expect((stored.data as { lastActiveDate: string }).lastActiveDate).toBe('2026-11-20T10:10:00.000Z');
      // Every message of the newest version, once each, in order.
      expect(stored.messages.map((m) => m.text)).toEqual(versions[9]!.messages.map((m) => m.text));
    }
    expect(await a.db.prisma.session.count({ where: { externalId: { startsWith: 'race-newest-' } } })).toBe(6);
  });

  it('counts a new session as created exactly once however many first writes race', async () => {
    const sessionId = 'race-created-once';
    const version = einsteinVersion(sessionId, 3);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).ingest(EINSTEIN, version)));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.reduce((n, r) => n + r.body.created, 0)).toBe(1);
    expect(replies.reduce((n, r) => n + r.body.unchanged, 0)).toBe(7);
    expect((await storedSession(sessionId)).messages).toHaveLength(3);
  });

  it('never reopens an ended session with a snapshot that cannot prove it is newer', async () => {
    const sessionId = 'race-no-reopen';
    const ended = einsteinVersion(sessionId, 5, true);
    const older = einsteinVersion(sessionId, 4);
    const undated = { ...einsteinVersion(sessionId, 4), lastActiveDate: undefined };
    await race(EINSTEIN, [ended, older, undated, older, undated]);
    const stored = await storedSession(sessionId);
    expect(stored.status).toBe('ENDED');
    expect(stored.outcome).toBe('COMPLETED');
  });

  it('attaches a reporting turn that races its session, whichever commits first', async () => {
    const sessions = Array.from({ length: 12 }, (_, i) => ({
      id: `race-turn-${String(i)}`,
      flow: { id: 'flow-race' },
      dateCreated: '2026-11-20T09:00:00.000Z',
      dateCompleted: '2026-11-20T09:05:00.000Z',
      botResultCategory: 'BotExit',
    }));
    const turns = sessions.flatMap((s) =>
      [1, 2, 3].map((n) => ({
        sessionId: s.id,
        botPrompts: [`prompt ${String(n)}`],
        userInput: `answer ${String(n)}`,
        dateCreated: `2026-11-20T09:0${String(n)}:00.000Z`,
      })),
    );
    const requests = shuffled([...sessions.map((s) => ({ path: BOT_FLOWS, body: s })), ...turns.map((t) => ({ path: TURNS, body: t }))], 7);
    const replies = await Promise.all(requests.map((r, i) => (i % 2 === 0 ? a : b).ingest(r.path, r.body)));
    for (const reply of replies) expect(reply.status).toBe(200);
    expect(await a.db.prisma.pendingMessage.count()).toBe(0);
    for (const s of sessions) {
      const stored = await storedSession(s.id);
      expect(stored.messages.map((m) => m.text)).toEqual(['prompt 1', 'answer 1', 'prompt 2', 'answer 2', 'prompt 3', 'answer 3']);
    }
  });
});

describe('message identity', () => {
  it('keeps two Chatlayer webhook messages sent in separate events with the same timestamp', async () => {
    const event = (text: string) => ({
      event: 'messages',
      botId: 'cl-bot',
      version: 'LIVE',
      sessionId: 'same-ms-chatlayer',
      timestamp: '2026-11-20T11:00:00.000Z',
      messages: [{ actor: 'bot', message: { text }, timestamp: '2026-11-20T11:00:00.000Z' }],
    });
    const first = await a.ingest(WEBHOOK, event('first'));
    const second = await b.ingest(WEBHOOK, event('second'));
    expect(first.body).toMatchObject({ created: 1 });
    expect(second.body).toMatchObject({ created: 1 });
    expect((await storedSession('same-ms-chatlayer')).messages.map((m) => m.text).sort()).toEqual(['first', 'second']);
    // The same event again (a webhook retry) is a replay.
    expect((await a.ingest(WEBHOOK, event('first'))).body).toMatchObject({ unchanged: 1, created: 0 });
    expect((await storedSession('same-ms-chatlayer')).messages).toHaveLength(2);
  });

  it('keeps identical Chatlayer messages of one event, and a racing transcript of them adds nothing', async () => {
    const at = '2026-11-20T11:30:00.000Z';
    const bubble = { actor: 'bot', message: { text: 'One moment…' }, timestamp: at };
    const delivered = { event: 'messages', botId: 'cl-bot', version: 'LIVE', sessionId: 'chatlayer-twins', timestamp: at, messages: [bubble, bubble] };
    const offload = {
      event: 'offload',
      botId: 'cl-bot',
      version: 'LIVE',
      sessionId: 'chatlayer-twins',
      timestamp: '2026-11-20T11:31:00.000Z',
      transcript: [bubble, bubble],
    };
    await race(WEBHOOK, [delivered, offload, delivered]);
    const stored = await storedSession('chatlayer-twins');
    expect(stored.messages.map((m) => m.text)).toEqual(['One moment…', 'One moment…']);
    expect(stored.status).toBe('TRANSFERRED');
    expect((await b.ingest(WEBHOOK, delivered)).body).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
    expect((await storedSession('chatlayer-twins')).messages).toHaveLength(2);
  });

  it('keeps two Genesys turns of one millisecond, sent in separate requests', async () => {
    await a.ingest(BOT_FLOWS, { id: 'same-ms-genesys', flow: { id: 'f' }, dateCreated: '2026-11-20T12:00:00.000Z' });
    const turn = (text: string) => ({ sessionId: 'same-ms-genesys', botPrompts: [text], dateCreated: '2026-11-20T12:00:01.000Z' });
    expect((await a.ingest(TURNS, turn('one'))).body).toMatchObject({ created: 1 });
    expect((await b.ingest(TURNS, turn('two'))).body).toMatchObject({ created: 1 });
    expect((await storedSession('same-ms-genesys')).messages.map((m) => m.text).sort()).toEqual(['one', 'two']);
    expect((await a.ingest(TURNS, turn('one'))).body).toMatchObject({ unchanged: 1 });
  });

  it('adds each Einstein runtime response to the transcript instead of replacing the last one', async () => {
    const start = {
      sessionId: 'runtime-accumulates',
      botVersion: '0X9SB00000006wf0AA',
      processedSequenceIds: [1],
      messages: [{ type: 'text', id: 'm-1', text: 'Hi, how can I help?', schedule: { responseDelayMilliseconds: 1200 } }],
      _links: { self: { href: 'https://runtime.example/v5.0.0/bots/0XxSB00000006rp0AA/sessions' } },
    };
    const next = {
      botVersion: '0X9SB00000006wf0AA',
      processedSequenceIds: [2],
      messages: [
        { type: 'text', id: 'm-2', text: 'Your order ships tomorrow.' },
        { type: 'choices', id: 'm-3', widget: 'menu', choices: [{ label: 'Order Status', alias: '1', id: 'c-1' }] },
      ],
      _links: { session: { href: 'https://runtime.example/v5.0.0/sessions/runtime-accumulates' } },
    };
    expect((await a.ingest(EINSTEIN, start)).body).toMatchObject({ created: 1 });
    expect((await b.ingest(EINSTEIN, next)).body).toMatchObject({ created: 1 });
    const stored = await storedSession('runtime-accumulates');
    expect(stored.messages.map((m) => m.text)).toEqual(['Hi, how can I help?', 'Your order ships tomorrow.', null]);
    expect(stored.messages.map((m) => m.sender)).toEqual(['BOT', 'BOT', 'BOT']);
    expect(stored.botId).toBe('0XxSB00000006rp0AA');
    expect((stored.data as { processedSequenceIds: number[] }).processedSequenceIds).toEqual([1, 2]);
    expect((await a.ingest(EINSTEIN, next)).body).toMatchObject({ unchanged: 1 });
  });

  it("does not store Chatlayer's offload transcript twice: it repeats earlier messages without their ids", async () => {
    // As the offloading-webhook docs show: the user's postback arrives with its id and inner timestamp in
    // a messages event, and again in the offload transcript without them (and with its title as text).
    const sessionId = 'offload-transcript-dedupe';
    const bot = {
      actor: 'bot',
      message: { text: 'Choose what you want to do?', quick_replies: [{ title: 'first options', payload: '{}', content_type: 'text' }] },
      timestamp: '2021-11-15T08:36:11.992Z',
    };
    const postback = {
      actor: 'user',
      message: {
        channelType: 'web',
        sender: { id: sessionId, botId: 'ko3123ze' },
        timestamp: '2021-11-15T08:36:15.009Z',
        messageType: 'postback',
        title: 'first options',
        parameters: [],
        nextDialogstateId: 'n-1',
        id: '61921b63cdee7f21ab6ee621',
      },
      timestamp: '2021-11-15T08:36:15.009Z',
    };
    const repeated = {
      actor: 'user',
      message: {
        parameters: [],
        text: 'first options',
        messageType: 'postback',
        title: 'first options',
        nextDialogstateId: 'n-1',
        channelType: 'emulator',
        sender: { id: sessionId, botId: 'ko3123ze' },
      },
      timestamp: '2021-11-15T08:36:15.009Z',
    };
    const base = { botId: 'ko3123ze', version: 'DRAFT', sessionId };
    await a.ingest(WEBHOOK, { ...base, event: 'messages', messages: [bot], timestamp: bot.timestamp });
    await b.ingest(WEBHOOK, { ...base, event: 'messages', messages: [postback], timestamp: postback.timestamp });
    const offload = await a.ingest(WEBHOOK, { ...base, event: 'offload', timestamp: '2021-11-15T08:36:21.527Z', transcript: [bot, repeated] });
    expect(offload.body).toMatchObject({ accepted: 1, updated: 1 });
    const stored = await storedSession(sessionId);
    expect(stored.messages.map((m) => m.text)).toEqual(['Choose what you want to do?', 'first options']);
    expect(stored.status).toBe('TRANSFERRED');
  });

  it('lets a newer snapshot change a stored message, never an older one; the transcript keeps its vendor ids', async () => {
    const v1 = einsteinVersion('message-edits', 2);
    const v2 = {
      ...einsteinVersion('message-edits', 3),
      messages: einsteinVersion('message-edits', 3).messages.map((m) => (m.sequenceId === 2 ? { ...m, text: 'message 2, corrected' } : m)),
    };
    const v0 = { ...einsteinVersion('message-edits', 1), messages: [{ ...einsteinVersion('message-edits', 2).messages[1]!, text: 'stale' }] };
    expect((await a.ingest(EINSTEIN, v1)).body).toMatchObject({ created: 1 });
    expect((await b.ingest(EINSTEIN, v2)).body).toMatchObject({ updated: 1 });
    expect((await a.ingest(EINSTEIN, v0)).body).toMatchObject({ unchanged: 1 });
    expect((await storedSession('message-edits')).messages.map((m) => m.text)).toEqual(['message 1', 'message 2, corrected', 'message 3']);
  });

  it('counts a replayed snapshot unchanged after events changed its session (turns widened it, an offload ended it)', async () => {
    const session = { id: 'replay-after-turns', flow: { id: 'f' }, dateCreated: '2026-11-20T13:00:00.000Z' };
    await a.ingest(BOT_FLOWS, session);
    expect((await b.ingest(TURNS, { sessionId: session.id, botPrompts: ['later'], dateCreated: '2026-11-20T13:05:00.000Z' })).body).toMatchObject({
      created: 1,
    });
    expect((await storedSession(session.id)).lastActiveAt.toISOString()).toBe('2026-11-20T13:05:00.000Z');
    expect((await a.ingest(BOT_FLOWS, session)).body).toMatchObject({ unchanged: 1 });
    expect((await storedSession(session.id)).lastActiveAt.toISOString()).toBe('2026-11-20T13:05:00.000Z');
  });
});
