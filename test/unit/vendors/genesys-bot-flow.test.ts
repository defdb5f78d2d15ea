import { describe, expect, it } from 'vitest';
import {
  botFlowFixtures,
  genesysBotFlowModule,
  normalizeSession,
  normalizeSessionWithTurns,
  normalizeTurns,
  SLOTS_PER_TURN,
  type BotFlowSession,
  type ReportingTurn,
} from '../../../src/vendors/genesys-bot-flow/index.js';
import { DEMO_SHARED_CONVERSATION_ID } from '../../../src/vendors/demo-conversation.js';

const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

function session(fields: Partial<BotFlowSession> = {}): BotFlowSession {
  return {
    id: 'f0a1b2c3-d4e5-4f6a-8b7c-9d0e1f2a3b4c',
    flow: { id: 'a3c5e2f1-6b7d-4e8a-9c0b-1d2e3f4a5b6c' },
    channel: { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'Whatsapp' } },
    language: 'en-US',
    endLanguage: 'fr-FR',
    dateCreated: '2026-11-17T10:00:00.000Z',
    dateCompleted: '2026-11-17T10:05:00.000Z',
    conversation: { id: '11111111-2222-4333-8444-555555555555', selfUri: '/api/v2/conversations/11111111-2222-4333-8444-555555555555' },
    ...fields,
  };
}

describe('Genesys bot flow session mapping', () => {
  it('maps the identifying fields, lower-cases channel and language', () => {
    const s = normalizeSession(session({ botResultCategory: 'BotExit' }), RECEIVED_AT);
    expect(s).toMatchObject({
      kind: 'BOT_FLOW',
      vendor: 'GENESYS_CLOUD',
      externalId: 'f0a1b2c3-d4e5-4f6a-8b7c-9d0e1f2a3b4c',
      botId: 'a3c5e2f1-6b7d-4e8a-9c0b-1d2e3f4a5b6c',
      channel: 'messaging',
      language: 'en-us',
      conversationExternalId: '11111111-2222-4333-8444-555555555555',
    });
    expect(s.messages).toEqual([]);
  });

  it.each([
    ['UserExit', 'USER_EXITED', 'ENDED'],
    ['BotExit', 'COMPLETED', 'ENDED'],
    ['BotDisconnect', 'COMPLETED', 'ENDED'],
    ['UserDisconnect', 'ABANDONED', 'ENDED'],
    ['SessionExpired', 'EXPIRED', 'ENDED'],
    ['Error', 'ERROR', 'ENDED'],
    ['RecognitionFailure', 'RECOGNITION_FAILURE', 'ENDED'],
    ['Transfer', 'ESCALATED', 'TRANSFERRED'],
    ['Unknown', 'UNKNOWN', 'ENDED'],
    ['OutdatedSdkVersion', 'UNKNOWN', 'ENDED'],
    ['SomethingGenesysAddsLater', 'UNKNOWN', 'ENDED'],
  ])('botResultCategory %s -> outcome %s, status %s', (category, outcome, status) => {
    const s = normalizeSession(session({ botResultCategory: category }), RECEIVED_AT);
    expect(s.outcome).toBe(outcome);
    expect(s.status).toBe(status);
    expect(s.data.botResultCategory).toBe(category);
  });

  it.each([
    ['ExitRequestedByUser', 'USER_EXITED', 'ENDED'],
    ['ExitRequestedByBot', 'COMPLETED', 'ENDED'],
    ['DisconnectRequestedByBot', 'COMPLETED', 'ENDED'],
    ['DisconnectRequestedByUser', 'ABANDONED', 'ENDED'],
    ['DisconnectSessionExpired', 'EXPIRED', 'ENDED'],
    ['ExitError', 'ERROR', 'ENDED'],
    ['DisconnectError', 'ERROR', 'ENDED'],
    ['ExitRecognitionFailure', 'RECOGNITION_FAILURE', 'ENDED'],
    ['DisconnectRecognitionFailure', 'RECOGNITION_FAILURE', 'ENDED'],
    ['TransferToACD', 'ESCALATED', 'TRANSFERRED'],
    ['Unknown', 'UNKNOWN', 'ENDED'],
    ['OutdatedSdkVersion', 'UNKNOWN', 'ENDED'],
    ['ExitRequestedByPolicy', 'UNKNOWN', 'ENDED'],
    ['constructor', 'UNKNOWN', 'ENDED'],
  ])('botResult %s (no category) -> outcome %s, status %s', (result, outcome, status) => {
    const s = normalizeSession(session({ botResult: result }), RECEIVED_AT);
    expect(s.outcome).toBe(outcome);
    expect(s.status).toBe(status);
    expect(s.data.botResult).toBe(result);
  });

  it('prefers botResultCategory over botResult', () => {
    const s = normalizeSession(session({ botResultCategory: 'UserExit', botResult: 'TransferToACD' }), RECEIVED_AT);
    expect(s.outcome).toBe('USER_EXITED');
    expect(s.status).toBe('ENDED');
  });

  it('is ACTIVE with no outcome and no end while neither result is present', () => {
    const s = normalizeSession(session(), RECEIVED_AT);
    expect(s.status).toBe('ACTIVE');
    expect(s.outcome).toBeNull();
    expect(s.endedAt).toBeNull();
  });

  it('ends at dateCompleted; null when absent', () => {
    expect(normalizeSession(session({ botResultCategory: 'BotExit' }), RECEIVED_AT).endedAt).toEqual(new Date('2026-11-17T10:05:00.000Z'));
    expect(normalizeSession(session({ botResultCategory: 'BotExit', dateCompleted: undefined }), RECEIVED_AT).endedAt).toBeNull();
  });

  it('times: createdAt = dateCreated, lastActiveAt = dateCompleted ?? dateCreated, sourceUpdatedAt likewise', () => {
    const s = normalizeSession(session({ botResultCategory: 'BotExit' }), RECEIVED_AT);
    expect(s.createdAt).toEqual(new Date('2026-11-17T10:00:00.000Z'));
    expect(s.lastActiveAt).toEqual(new Date('2026-11-17T10:05:00.000Z'));
    expect(s.sourceUpdatedAt).toEqual(new Date('2026-11-17T10:05:00.000Z'));

    const running = normalizeSession(session({ dateCompleted: undefined }), RECEIVED_AT);
    expect(running.lastActiveAt).toEqual(new Date('2026-11-17T10:00:00.000Z'));
    expect(running.sourceUpdatedAt).toEqual(new Date('2026-11-17T10:00:00.000Z'));
  });

  it('falls back to receivedAt for createdAt, and sourceUpdatedAt is null without vendor times', () => {
    const s = normalizeSession(session({ dateCreated: undefined, dateCompleted: undefined }), RECEIVED_AT);
    expect(s.createdAt).toEqual(RECEIVED_AT);
    expect(s.lastActiveAt).toEqual(RECEIVED_AT);
    expect(s.sourceUpdatedAt).toBeNull();
  });

  it('never puts lastActiveAt before createdAt', () => {
    const s = normalizeSession(session({ dateCompleted: '2026-11-17T09:59:00.000Z', botResultCategory: 'BotExit' }), RECEIVED_AT);
    expect(s.lastActiveAt).toEqual(s.createdAt);
  });

  it('keeps optional references null when absent', () => {
    const s = normalizeSession({ id: 'x' }, RECEIVED_AT);
    expect(s).toMatchObject({ botId: null, channel: null, language: null, conversationExternalId: null, status: 'ACTIVE', outcome: null });
    expect(s.data).toEqual({ id: 'x' });
  });
});

function turn(fields: Partial<ReportingTurn>): ReportingTurn {
  return { sessionId: 'f0a1b2c3-d4e5-4f6a-8b7c-9d0e1f2a3b4c', ...fields };
}

const TURNS: ReportingTurn[] = [
  turn({
    botPrompts: ['Hello, how can I help?'],
    userInput: 'pay my bill',
    intent: { name: 'PayBill', confidence: 0.9, slots: [{ name: 'amount', value: '20', type: 'builtin:currency', confidence: 0.8 }] },
    askAction: { actionId: 'a1', actionName: 'Ask for Intent', actionNumber: 1, actionType: 'AskForNLUIntentAction' },
    askActionResult: 'SuccessCollection',
    dateCreated: '2026-11-17T10:00:01.000Z',
    dateCompleted: '2026-11-17T10:00:09.500Z',
  }),
  turn({
    botPrompts: ['Your balance is EUR 20.', 'Pay it now?'],
    userInput: 'yes',
    dateCreated: '2026-11-17T10:00:10.000Z',
    dateCompleted: '2026-11-17T10:00:15.000Z',
  }),
  turn({
    botPrompts: ['Done. Goodbye!'],
    dateCreated: '2026-11-17T10:00:15.200Z',
    sessionEndDetails: { type: 'Exit', reason: 'ExitRequestedByBot' },
  }),
];

describe('Genesys reporting turns as messages', () => {
  it('turns each prompt into a BOT message, then the user input into a USER message carrying the intent', () => {
    const messages = normalizeTurns(TURNS);
    expect(messages.map((m) => [m.sender, m.text, m.intent])).toEqual([
      ['BOT', 'Hello, how can I help?', null],
      ['USER', 'pay my bill', 'PayBill'],
      ['BOT', 'Your balance is EUR 20.', null],
      ['BOT', 'Pay it now?', null],
      ['USER', 'yes', null],
      ['BOT', 'Done. Goodbye!', null],
    ]);
    expect(messages.every((m) => m.type === 'TEXT' && m.choices === null)).toBe(true);
  });

  it('stamps prompts with dateCreated and the answer with dateCompleted', () => {
    const [prompt, answer] = normalizeTurns([TURNS[0]!]);
    expect(prompt!.timestamp).toEqual(new Date('2026-11-17T10:00:01.000Z'));
    expect(answer!.timestamp).toEqual(new Date('2026-11-17T10:00:09.500Z'));
  });

  it('keeps the whole turn in every message of it', () => {
    const messages = normalizeTurns([TURNS[0]!]);
    for (const m of messages) expect(m.data).toEqual(JSON.parse(JSON.stringify(TURNS[0])));
  });

  it('derives sequence from the turn time: ms * SLOTS_PER_TURN + position', () => {
    const messages = normalizeTurns(TURNS);
    const t0 = Date.parse('2026-11-17T10:00:01.000Z');
    expect(messages[0]!.sequence).toBe(t0 * SLOTS_PER_TURN);
    expect(messages[1]!.sequence).toBe(t0 * SLOTS_PER_TURN + 1);
    for (const m of messages) expect(Number.isSafeInteger(m.sequence)).toBe(true);
    expect(new Set(messages.map((m) => m.sequence)).size).toBe(messages.length);
  });

  it('gives the same sequences whatever the arrival order, and for a turn alone', () => {
    const forward = normalizeTurns(TURNS);
    const backward = normalizeTurns([...TURNS].reverse());
    const shuffled = normalizeTurns([TURNS[1]!, TURNS[2]!, TURNS[0]!]);
    expect(backward).toEqual(forward);
    expect(shuffled).toEqual(forward);
    const alone = normalizeTurns([TURNS[1]!]);
    expect(alone.map((m) => m.sequence)).toEqual(forward.filter((m) => m.data.dateCreated === TURNS[1]!.dateCreated).map((m) => m.sequence));
  });

  it('keeps both turns of one millisecond apart by key, independent of order and of batching', () => {
    const a = turn({ botPrompts: ['A1', 'A2'], dateCreated: '2026-11-17T10:00:01.000Z' });
    const b = turn({ botPrompts: ['B1'], userInput: 'b', dateCreated: '2026-11-17T10:00:01.000Z' });
    const one = normalizeTurns([a, b]);
    const two = normalizeTurns([b, a]);
    expect(one).toEqual(two);
    expect(new Set(one.map((m) => m.key)).size).toBe(4);
    // Sent one at a time (two requests), each turn's messages are keyed exactly as in the batch.
    expect([...normalizeTurns([a]), ...normalizeTurns([b])].map((m) => m.key).sort()).toEqual(one.map((m) => m.key).sort());
  });

  it('keys a turn the same with or without its sessionId (its own route, or sent with its session)', () => {
    const withId = turn({ botPrompts: ['x'], dateCreated: '2026-11-17T10:00:01.000Z', sessionId: 's-1' });
    const { sessionId: _s, ...without } = withId;
    expect(normalizeTurns([withId]).map((m) => m.key)).toEqual(normalizeTurns([without]).map((m) => m.key));
  });

  it('counts a turn delivered twice once', () => {
    expect(normalizeTurns([TURNS[0]!, TURNS[0]!])).toEqual(normalizeTurns([TURNS[0]!]));
  });

  it('falls back to dateCompleted for a turn without dateCreated, and refuses a turn without any time', () => {
    const onlyCompleted = normalizeTurns([turn({ botPrompts: ['x'], dateCompleted: '2026-11-17T10:00:02.000Z' })]);
    expect(onlyCompleted[0]!.sequence).toBe(Date.parse('2026-11-17T10:00:02.000Z') * SLOTS_PER_TURN);
    expect(() => normalizeTurns([turn({ botPrompts: ['x'] })])).toThrow(/no dateCreated/);
  });

  it('skips an empty user input', () => {
    const messages = normalizeTurns([turn({ botPrompts: ['Still there?'], userInput: '', dateCreated: '2026-11-17T10:00:02.000Z' })]);
    expect(messages).toHaveLength(1);
  });

  it('attaches turns to the session and leaves `turns` out of data', () => {
    const s = normalizeSessionWithTurns({ ...session({ botResultCategory: 'BotExit' }), turns: TURNS }, RECEIVED_AT);
    expect(s.messages).toHaveLength(6);
    expect(s.data).not.toHaveProperty('turns');
    expect(() =>
      normalizeSessionWithTurns({ ...session(), turns: [turn({ sessionId: 'other', dateCreated: '2026-11-17T10:00:02.000Z' })] }, RECEIVED_AT),
    ).toThrow(/belongs to session other/);
  });
});

describe('Genesys bot flow demo fixtures', () => {
  const sessions = genesysBotFlowModule.demoSessions(RECEIVED_AT);

  it('normalise without throwing and keep every native field in data', () => {
    expect(sessions).toHaveLength(botFlowFixtures.length);
    botFlowFixtures.forEach((fixture, i) => {
      const { turns, ...native } = fixture;
      const s = sessions[i]!;
      expect(s.data).toEqual(JSON.parse(JSON.stringify(native)));
      expect(s.messages.length).toBeGreaterThan(0);
      expect(new Set(s.messages.map((m) => m.sequence)).size).toBe(s.messages.length);
      // Every turn's prompts and input appear, with the turn in data.
      const texts = (turns ?? []).flatMap((t) => [...(t.botPrompts ?? []), ...(t.userInput ? [t.userInput] : [])]);
      expect(s.messages.map((m) => m.text).sort()).toEqual(texts.sort());
    });
  });

  it('cover the intended results, one active session and one unknown value', () => {
    expect(sessions.map((s) => s.outcome)).toEqual(['ESCALATED', 'USER_EXITED', 'COMPLETED', 'EXPIRED', 'RECOGNITION_FAILURE', null, 'UNKNOWN']);
    expect(sessions.filter((s) => s.status === 'ACTIVE')).toHaveLength(1);
    expect(sessions.find((s) => s.outcome === 'UNKNOWN')!.data.botResult).toBe('ExitRequestedByPolicy');
    expect(new Set(sessions.map((s) => s.channel))).toEqual(new Set(['call', 'messaging', 'chat']));
    expect(sessions[0]!.conversationExternalId).toBe(DEMO_SHARED_CONVERSATION_ID);
  });

  it('module.normalize matches the demo output', () => {
    expect(genesysBotFlowModule.normalize(botFlowFixtures[0]!, RECEIVED_AT)).toEqual(sessions[0]);
  });
});
