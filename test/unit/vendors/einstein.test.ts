import { describe, expect, it } from 'vitest';
import {
  einsteinFixtures,
  einsteinModule,
  isRuntimeResponse,
  normalizeEinsteinSession,
  type EinsteinBotMessage,
  type EinsteinBotSession,
} from '../../../src/vendors/einstein/index.js';
import { DEMO_SHARED_CONVERSATION_ID } from '../../../src/vendors/demo-conversation.js';

const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

function session(fields: Partial<EinsteinBotSession> = {}): EinsteinBotSession {
  return {
    sessionId: 'a1b2c3d4-0000-4000-8000-000000000001',
    botId: '0XxRM0000004CqP0AU',
    status: 'Active',
    createdDate: '2026-11-17T10:00:00.000Z',
    lastActiveDate: '2026-11-17T10:04:00.000Z',
    externalSessionKey: '11111111-2222-4333-8444-555555555555',
    messages: [
      { type: 'Text', sender: 'Bot', text: 'Hi', sequenceId: 1, timestamp: '2026-11-17T10:00:01.000Z' },
      { type: 'Text', sender: 'User', text: 'Hello', sequenceId: 2, timestamp: '2026-11-17T10:01:00.000Z' },
    ],
    ...fields,
  };
}

const msg = (fields: Partial<EinsteinBotMessage>): EinsteinBotMessage => ({ type: 'Text', ...fields });

describe('Einstein session mapping', () => {
  it('maps ids, conversation key and vendor-less fields', () => {
    const s = normalizeEinsteinSession(session(), RECEIVED_AT);
    expect(s).toMatchObject({
      kind: 'EINSTEIN_BOT',
      vendor: 'SALESFORCE_EINSTEIN',
      externalId: 'a1b2c3d4-0000-4000-8000-000000000001',
      botId: '0XxRM0000004CqP0AU',
      channel: null,
      language: null,
      conversationExternalId: '11111111-2222-4333-8444-555555555555',
      sourceUpdatedAt: new Date('2026-11-17T10:04:00.000Z'),
    });
  });

  it.each([
    ['Active', undefined, 'ACTIVE', null],
    ['Active', false, 'ACTIVE', null],
    ['Active', true, 'ENDED', 'COMPLETED'],
    ['Ended', undefined, 'ENDED', 'COMPLETED'],
    ['Ended', true, 'ENDED', 'COMPLETED'],
    ['Transferred', true, 'TRANSFERRED', 'ESCALATED'],
    ['Transferred', undefined, 'TRANSFERRED', 'ESCALATED'],
    ['Paused', undefined, 'ACTIVE', null],
    ['Paused', false, 'ACTIVE', null],
    ['Closed', true, 'ENDED', 'UNKNOWN'],
  ] as const)('status %s, sessionEnded %s -> %s / %s', (status, sessionEnded, expectedStatus, expectedOutcome) => {
    const s = normalizeEinsteinSession(session({ status, sessionEnded }), RECEIVED_AT);
    expect(s.status).toBe(expectedStatus);
    expect(s.outcome).toBe(expectedOutcome);
    expect(s.data.status).toBe(status);
  });

  it.each(['Transfer', 'transfer', 'EscalateToAgent', 'escalate'])('a %s message makes the outcome ESCALATED, even while active', (type) => {
    const base = session();
    const s = normalizeEinsteinSession({ ...base, messages: [...base.messages!, msg({ type, sender: 'Bot', sequenceId: 3 })] }, RECEIVED_AT);
    expect(s.status).toBe('ACTIVE');
    expect(s.outcome).toBe('ESCALATED');
  });

  it('escalation wins over an unknown status', () => {
    const s = normalizeEinsteinSession(session({ status: 'Closed', sessionEnded: true, messages: [msg({ type: 'EscalateToAgent' })] }), RECEIVED_AT);
    expect(s.outcome).toBe('ESCALATED');
  });

  it('createdAt/lastActiveAt come from createdDate/lastActiveDate', () => {
    const s = normalizeEinsteinSession(session(), RECEIVED_AT);
    expect(s.createdAt).toEqual(new Date('2026-11-17T10:00:00.000Z'));
    expect(s.lastActiveAt).toEqual(new Date('2026-11-17T10:04:00.000Z'));
  });

  it('falls back to the first and last message timestamps, then to receivedAt', () => {
    const s = normalizeEinsteinSession(session({ createdDate: undefined, lastActiveDate: undefined }), RECEIVED_AT);
    expect(s.createdAt).toEqual(new Date('2026-11-17T10:00:01.000Z'));
    expect(s.lastActiveAt).toEqual(new Date('2026-11-17T10:01:00.000Z'));
    expect(s.sourceUpdatedAt).toBeNull();

    const bare = normalizeEinsteinSession({ sessionId: 's', botId: 'b', status: 'Active' }, RECEIVED_AT);
    expect(bare.createdAt).toEqual(RECEIVED_AT);
    expect(bare.lastActiveAt).toEqual(RECEIVED_AT);
    expect(bare.messages).toEqual([]);
    expect(bare.conversationExternalId).toBeNull();
  });

  it('never puts lastActiveAt before createdAt', () => {
    const s = normalizeEinsteinSession(session({ lastActiveDate: '2026-11-17T09:00:00.000Z' }), RECEIVED_AT);
    expect(s.lastActiveAt).toEqual(s.createdAt);
  });

  it('endedAt: SessionEnded message time, else lastActiveDate, else the latest message; null while active', () => {
    const withMarker = session({
      status: 'Ended',
      messages: [msg({ type: 'sessionEnded', timestamp: '2026-11-17T10:03:30.000Z' })],
    });
    expect(normalizeEinsteinSession(withMarker, RECEIVED_AT).endedAt).toEqual(new Date('2026-11-17T10:03:30.000Z'));
    expect(normalizeEinsteinSession(session({ status: 'Ended' }), RECEIVED_AT).endedAt).toEqual(new Date('2026-11-17T10:04:00.000Z'));
    const latestMessage = session({ status: 'Ended', lastActiveDate: undefined })
      .messages!.map((m) => m.timestamp!)
      .sort()
      .at(-1)!;
    expect(normalizeEinsteinSession(session({ status: 'Ended', lastActiveDate: undefined }), RECEIVED_AT).endedAt).toEqual(new Date(latestMessage));
    expect(normalizeEinsteinSession(session({ status: 'Ended', lastActiveDate: undefined, messages: [] }), RECEIVED_AT).endedAt).toBeNull();
    expect(normalizeEinsteinSession(session(), RECEIVED_AT).endedAt).toBeNull();
  });

  it('keeps everything but messages in data', () => {
    const native = session({ sessionEnded: false });
    const s = normalizeEinsteinSession(native, RECEIVED_AT);
    const { messages, ...rest } = native;
    expect(messages).toBeDefined();
    expect(s.data).toEqual(rest);
  });
});

describe('Einstein messages', () => {
  it.each([
    ['Text', 'TEXT'],
    ['text', 'TEXT'],
    ['Choices', 'CHOICES'],
    ['choices', 'CHOICES'],
    ['Transfer', 'TRANSFER'],
    ['transfer', 'TRANSFER'],
    ['EscalateToAgent', 'ESCALATE_TO_AGENT'],
    ['escalate', 'ESCALATE_TO_AGENT'],
    ['SessionEnded', 'SESSION_ENDED'],
    ['sessionEnded', 'SESSION_ENDED'],
    ['richLink', 'UNKNOWN'],
    ['TEXT', 'UNKNOWN'],
    ['toString', 'UNKNOWN'],
  ])('type %s -> %s, raw value kept in data', (raw, expected) => {
    const [m] = normalizeEinsteinSession(session({ messages: [msg({ type: raw })] }), RECEIVED_AT).messages;
    expect(m!.type).toBe(expected);
    expect(m!.data.type).toBe(raw);
  });

  it("maps senders User/Bot; none is the bot's (runtime responses); anything else is SYSTEM with the raw value kept", () => {
    const s = normalizeEinsteinSession(
      session({ messages: [msg({ sender: 'User' }), msg({ sender: 'Bot' }), msg({ sender: 'Agent' }), msg({})] }),
      RECEIVED_AT,
    );
    expect(s.messages.map((m) => m.sender)).toEqual(['USER', 'BOT', 'SYSTEM', 'BOT']);
    expect(s.messages[2]!.data.sender).toBe('Agent');
  });

  it('maps choices with the runtime API alias and id, defaulting what is absent to null', () => {
    const [m] = normalizeEinsteinSession(
      session({
        messages: [
          msg({
            type: 'Choices',
            choices: [
              { label: 'Yes', value: 'y', index: 0 },
              { label: 'No', alias: '2', id: 'c-2' },
            ],
          }),
        ],
      }),
      RECEIVED_AT,
    ).messages;
    expect(m!.choices).toEqual([
      { label: 'Yes', value: 'y', index: 0, alias: null, id: null },
      { label: 'No', value: null, index: null, alias: '2', id: 'c-2' },
    ]);
    expect(normalizeEinsteinSession(session(), RECEIVED_AT).messages[0]!.choices).toBeNull();
  });

  it('uses sequenceId when present, else the 1-based position', () => {
    const withIds = normalizeEinsteinSession(session({ messages: [msg({ sequenceId: 1795155164100 }), msg({ sequenceId: 1795155188220 })] }), RECEIVED_AT);
    expect(withIds.messages.map((m) => m.sequence)).toEqual([1795155164100, 1795155188220]);
    const withoutIds = normalizeEinsteinSession(session({ messages: [msg({}), msg({}), msg({})] }), RECEIVED_AT);
    expect(withoutIds.messages.map((m) => m.sequence)).toEqual([1, 2, 3]);
    const mixed = normalizeEinsteinSession(session({ messages: [msg({}), msg({ sequenceId: 10 })] }), RECEIVED_AT);
    expect(mixed.messages.map((m) => m.sequence)).toEqual([1, 10]);
  });

  it('keys messages by id, else sequenceId, else content; a repeated key is numbered, never lost', () => {
    const s = normalizeEinsteinSession(
      session({
        messages: [
          msg({ id: 'm-1', text: 'a' }),
          msg({ sequenceId: 7, text: 'b' }),
          msg({ text: 'c' }),
          msg({ text: 'c' }),
          msg({ id: 'm-1', text: 'reused id' }),
          msg({ sequenceId: 1, text: 'position 1 and sequenceId 1' }),
        ],
      }),
      RECEIVED_AT,
    );
    const keys = s.messages.map((m) => m.key);
    expect(keys[0]).toBe('id:m-1');
    expect(keys[1]).toBe('seq:7');
    expect(keys[2]).toMatch(/^c:/);
    expect(keys[3]).toBe(`${keys[2]!}#1`);
    expect(keys[4]).toBe('id:m-1#1');
    expect(new Set(keys).size).toBe(keys.length);
    // The same document again gives the same keys: a replay is a replay.
    expect(normalizeEinsteinSession(session({ messages: s.messages.map((m) => m.data) as never }), RECEIVED_AT).messages.map((m) => m.key)).toEqual(keys);
  });

  it('refuses unsafe sequences rather than rounding them', () => {
    expect(() => normalizeEinsteinSession(session({ messages: [msg({ sequenceId: 2 ** 60 })] }), RECEIVED_AT)).toThrow(/safe integer/);
  });

  it('keeps text, timestamp and the whole message document', () => {
    const native = msg({ type: 'Text', sender: 'Bot', text: 'Hi', sequenceId: 7, timestamp: '2026-11-17T10:00:01.000Z' });
    const [m] = normalizeEinsteinSession(session({ messages: [native] }), RECEIVED_AT).messages;
    expect(m).toMatchObject({ text: 'Hi', timestamp: new Date('2026-11-17T10:00:01.000Z'), intent: null });
    expect(m!.data).toEqual(native);
  });
});

describe('Einstein demo fixtures', () => {
  const sessions = einsteinModule.demoSessions(RECEIVED_AT);

  it('normalise without throwing and keep every native field', () => {
    expect(sessions).toHaveLength(einsteinFixtures.length);
    einsteinFixtures.forEach((fixture, i) => {
      const { messages = [], ...rest } = fixture;
      const s = sessions[i]!;
      expect(s.data).toEqual(rest);
      expect(s.messages.map((m) => m.data)).toEqual(messages);
    });
  });

  it('cover the statuses, both spellings, choices and the shared conversation', () => {
    expect(new Set(sessions.map((s) => s.status))).toEqual(new Set(['ACTIVE', 'ENDED', 'TRANSFERRED']));
    expect(new Set(sessions.map((s) => s.botId)).size).toBe(2);
    const types = einsteinFixtures.flatMap((f) => (f.messages ?? []).map((m) => m.type));
    expect(types).toEqual(expect.arrayContaining(['Text', 'Choices', 'EscalateToAgent', 'SessionEnded', 'text', 'choices']));
    expect(sessions.some((s) => s.messages.some((m) => m.choices !== null && m.choices.length > 0))).toBe(true);
    expect(sessions.filter((s) => s.conversationExternalId === DEMO_SHARED_CONVERSATION_ID)).toHaveLength(1);
    expect(sessions.flatMap((s) => s.messages).every((m) => m.type !== 'UNKNOWN')).toBe(true);
  });
});

describe('Einstein runtime responses and records', () => {
  it('tells a runtime response from a session record', () => {
    const bot = { sessionId: 's', messages: [{ type: 'text', id: 'm-1', text: 'Hello' }] };
    // The envelope's own fields make a runtime response.
    expect(isRuntimeResponse({ sessionId: 's', processedSequenceIds: [1] })).toBe(true);
    expect(isRuntimeResponse({ sessionId: 's', botVersion: 'v' })).toBe(true);
    // Nothing but the bot's messages (no record dates, no sender): a runtime response too.
    expect(isRuntimeResponse(bot)).toBe(true);
    // A status, record dates, an end flag or messages with a sender make a record.
    expect(isRuntimeResponse({ ...bot, status: 'Active', processedSequenceIds: [1] })).toBe(false);
    expect(isRuntimeResponse({ ...bot, createdDate: '2026-11-17T10:00:00.000Z' })).toBe(false);
    expect(isRuntimeResponse({ ...bot, sessionEnded: true })).toBe(false);
    expect(isRuntimeResponse({ ...bot, botId: '0XxRM0000004CqP0AU' })).toBe(false);
    expect(isRuntimeResponse({ sessionId: 's', messages: [{ type: 'Text', sender: 'User', text: 'Hi' }] })).toBe(false);
    expect(isRuntimeResponse({ sessionId: 's' })).toBe(false);
  });
});
