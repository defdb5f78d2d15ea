import { describe, expect, it } from 'vitest';
import {
  chatlayerDemoCases,
  chatlayerDialogStates,
  chatlayerModule,
  normalizeChatlayerSession,
  normalizeChatlayerSnapshot,
  type ChatlayerFlatSession,
  type ChatlayerInternal,
  type ChatlayerMessagesEvent,
  type ChatlayerOffloadEvent,
} from '../../../src/vendors/chatlayer/index.js';

const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

// The seed's example (002/003), made valid JSON.
const SEED_INTERNAL: ChatlayerInternal = {
  botId: '1457',
  sessionId: 'emulator-f28feb19-9d00-426a-ac65-539d5e1d3a73',
  version: 'DRAFT',
  channel: 'web',
  user: { firstName: 'Guest' },
  preferredLanguage: 'en',
  locale: 'en-us',
  nlp: {
    expression: 'hi',
    intent: { name: 'Greeting', score: 1 },
    entities: [0],
    intents: [{ name: 'Greeting', score: 1 }],
    sentiment: { name: 'positive', score: 0.5183199216644359 },
  },
  currentDialogstate: { name: 'introduction', id: '25b838ca-0fea-4b97-b91e-31bd8d932cf9', type: 'MESSAGE' },
  previousDialogstate: { name: 'introduction', id: '25b838ca-0fea-4b97-b91e-31bd8d932cf9', type: 'MESSAGE' },
  messageContent: 'hi',
  messageType: 'text',
};

const VARIABLES = { conversationId: '11111111-2222-4333-8444-555555555555', basket: { items: 2 } };

const base = { botId: '1457', version: 'DRAFT', sessionId: SEED_INTERNAL.sessionId, channel: 'web' } as const;

function messagesEvent(messages: ChatlayerMessagesEvent['messages'], timestamp?: string): ChatlayerMessagesEvent {
  return { event: 'messages', ...base, messages, ...(timestamp === undefined ? {} : { timestamp }) };
}

describe('Chatlayer session data', () => {
  it('accepts the flat seed form and the internal/variables form alike', () => {
    const flat: ChatlayerFlatSession = { ...SEED_INTERNAL, variables: VARIABLES };
    const wrapped = { internal: SEED_INTERNAL, variables: VARIABLES };
    const a = normalizeChatlayerSnapshot(flat, RECEIVED_AT);
    const b = normalizeChatlayerSnapshot(wrapped, RECEIVED_AT);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      kind: 'CHATLAYER',
      vendor: 'CHATLAYER',
      externalId: 'emulator-f28feb19-9d00-426a-ac65-539d5e1d3a73',
      botId: '1457',
      channel: 'web',
      language: 'en',
      status: 'ACTIVE',
      outcome: null,
      endedAt: null,
      createdAt: RECEIVED_AT,
      lastActiveAt: RECEIVED_AT,
      sourceUpdatedAt: null,
      conversationExternalId: '11111111-2222-4333-8444-555555555555',
    });
  });

  it('stores every internal field plus the variables in data', () => {
    const s = normalizeChatlayerSnapshot({ internal: SEED_INTERNAL, variables: VARIABLES }, RECEIVED_AT);
    expect(s.data).toEqual({ ...SEED_INTERNAL, variables: VARIABLES });
    expect(normalizeChatlayerSnapshot(SEED_INTERNAL, RECEIVED_AT).data).toEqual({ ...SEED_INTERNAL });
  });

  it('keeps both dialog-state spellings under the key they came with', () => {
    const { currentDialogstate, previousDialogstate, ...rest } = SEED_INTERNAL;
    const camel: ChatlayerInternal = { ...rest, currentDialogState: currentDialogstate, previousDialogState: previousDialogstate };
    const s = normalizeChatlayerSnapshot({ internal: camel }, RECEIVED_AT);
    expect(s.data.currentDialogState).toEqual(currentDialogstate);
    expect(s.data).not.toHaveProperty('currentDialogstate');
    expect(normalizeChatlayerSnapshot(SEED_INTERNAL, RECEIVED_AT).data.currentDialogstate).toEqual(currentDialogstate);
    expect(chatlayerDialogStates(camel)).toEqual(chatlayerDialogStates(SEED_INTERNAL));
    expect(chatlayerDialogStates(camel).current).toEqual(currentDialogstate);
    expect(chatlayerDialogStates({ botId: '1', sessionId: 's' })).toEqual({ current: null, previous: null });
  });

  it('lower-cases channel and language, keeps unknown versions raw', () => {
    const s = normalizeChatlayerSnapshot({ ...SEED_INTERNAL, channel: 'WhatsApp', preferredLanguage: 'NL', version: 'STAGING' }, RECEIVED_AT);
    expect(s.channel).toBe('whatsapp');
    expect(s.language).toBe('nl');
    expect(s.data.version).toBe('STAGING');
  });

  it('takes the conversation id only when it is a string', () => {
    expect(normalizeChatlayerSnapshot({ internal: SEED_INTERNAL, variables: { conversationId: 42 } }, RECEIVED_AT).conversationExternalId).toBeNull();
    expect(normalizeChatlayerSnapshot({ internal: SEED_INTERNAL }, RECEIVED_AT).conversationExternalId).toBeNull();
  });

  it("turns the snapshot's last user message into a USER message with its NLP result", () => {
    const [m] = normalizeChatlayerSnapshot(SEED_INTERNAL, RECEIVED_AT).messages;
    expect(m).toMatchObject({ sequence: 1, sender: 'USER', type: 'TEXT', text: 'hi', intent: 'Greeting', timestamp: null, choices: null });
    expect(m!.data).toEqual({ messageContent: 'hi', messageType: 'text', nlp: SEED_INTERNAL.nlp });
    const { messageContent, ...noMessage } = SEED_INTERNAL;
    expect(messageContent).toBe('hi');
    expect(normalizeChatlayerSnapshot(noMessage, RECEIVED_AT).messages).toEqual([]);
  });

  it.each([
    ['intro', 'INTRO'],
    ['text', 'TEXT'],
    ['postback', 'POSTBACK'],
    ['location', 'LOCATION'],
    ['upload', 'UPLOAD'],
    ['fileUploadInputResult', 'UPLOAD'],
    ['sticker', 'UNKNOWN'],
    [undefined, 'UNKNOWN'],
  ])('messageType %s -> %s, raw kept', (raw, expected) => {
    const [m] = normalizeChatlayerSnapshot({ ...SEED_INTERNAL, messageType: raw }, RECEIVED_AT).messages;
    expect(m!.type).toBe(expected);
    expect(m!.data.messageType).toBe(raw ?? null);
  });
});

describe('Chatlayer offloading webhook events', () => {
  const events = [
    messagesEvent([
      { actor: 'user', message: { text: 'hello' }, timestamp: '2026-11-16T09:00:00.000Z' },
      {
        actor: 'bot',
        message: { text: 'Hi! Pick one', quickReplies: [{ title: 'Bills', payload: 'bills' }, { title: 'Other' }] },
        timestamp: '2026-11-16T09:00:01.000Z',
      },
    ]),
    messagesEvent([{ actor: 'user', message: 'hi' }], '2026-11-16T09:00:30.000Z'),
  ];

  it('times the session by its earliest and latest message', () => {
    const s = normalizeChatlayerSession(SEED_INTERNAL, events, RECEIVED_AT);
    expect(s.createdAt).toEqual(new Date('2026-11-16T09:00:00.000Z'));
    expect(s.lastActiveAt).toEqual(new Date('2026-11-16T09:00:30.000Z'));
    expect(s.sourceUpdatedAt).toEqual(new Date('2026-11-16T09:00:30.000Z'));
    expect(s.status).toBe('ACTIVE');
    expect(s.outcome).toBeNull();
  });

  it('makes timestamped messages, with the snapshot NLP on the matching user message', () => {
    const s = normalizeChatlayerSession(SEED_INTERNAL, events, RECEIVED_AT);
    expect(s.messages.map((m) => [m.sender, m.type, m.text, m.intent])).toEqual([
      ['USER', 'TEXT', 'hello', null],
      ['BOT', 'CHOICES', 'Hi! Pick one', null],
      ['USER', 'TEXT', 'hi', 'Greeting'],
    ]);
    expect(s.messages[1]!.choices).toEqual([
      { label: 'Bills', value: 'bills', index: 0 },
      { label: 'Other', value: null, index: 1 },
    ]);
    expect(s.messages[2]!.timestamp).toEqual(new Date('2026-11-16T09:00:30.000Z'));
    expect(s.messages[2]!.data).toMatchObject({ actor: 'user', message: 'hi', snapshot: { nlp: SEED_INTERNAL.nlp } });
    expect(s.messages[0]!.data).toEqual({ actor: 'user', message: { text: 'hello' }, timestamp: '2026-11-16T09:00:00.000Z' });
  });

  it('gives the same messages whatever the order or repetition of events', () => {
    const a = normalizeChatlayerSession(SEED_INTERNAL, events, RECEIVED_AT);
    const b = normalizeChatlayerSession(SEED_INTERNAL, [events[1]!, events[0]!, events[1]!], RECEIVED_AT);
    expect(b).toEqual(a);
    expect(new Set(a.messages.map((m) => m.sequence)).size).toBe(a.messages.length);
    expect(a.messages.every((m) => Number.isSafeInteger(m.sequence))).toBe(true);
    expect(a.messages[0]!.sequence).toBe(Date.parse('2026-11-16T09:00:00.000Z') * 1000);
  });

  it('appends the snapshot message when the transcript does not contain it', () => {
    const s = normalizeChatlayerSession({ ...SEED_INTERNAL, messageContent: 'bye' }, [events[0]!], RECEIVED_AT);
    const last = s.messages[s.messages.length - 1]!;
    expect(last).toMatchObject({ text: 'bye', sender: 'USER', timestamp: null, intent: 'Greeting' });
    expect(last.sequence).toBe(s.messages[s.messages.length - 2]!.sequence + 1);
  });

  it('an offload event transfers the session: TRANSFERRED, ESCALATED, ended at its time', () => {
    const offload: ChatlayerOffloadEvent = {
      event: 'offload',
      ...base,
      timestamp: '2026-11-16T09:01:00.000Z',
      transcript: [
        { actor: 'user', message: { text: 'hello' }, timestamp: '2026-11-16T09:00:00.000Z' },
        { actor: 'user', message: { text: 'agent please' }, timestamp: '2026-11-16T09:00:50.000Z' },
      ],
    };
    const s = normalizeChatlayerSession(SEED_INTERNAL, [...events, offload], RECEIVED_AT);
    expect(s.status).toBe('TRANSFERRED');
    expect(s.outcome).toBe('ESCALATED');
    expect(s.endedAt).toEqual(new Date('2026-11-16T09:01:00.000Z'));
    expect(s.lastActiveAt).toEqual(new Date('2026-11-16T09:01:00.000Z'));
    // The transcript's repeat of "hello" is not a second message; its new message is added.
    expect(s.messages.map((m) => m.text)).toEqual(['hello', 'Hi! Pick one', 'hi', 'agent please']);
  });

  it('an offload without its own timestamp ends at its last transcript message', () => {
    const offload: ChatlayerOffloadEvent = {
      event: 'offload',
      ...base,
      transcript: [{ actor: 'user', message: { text: 'agent' }, timestamp: '2026-11-16T09:02:00.000Z' }],
    };
    expect(normalizeChatlayerSession(SEED_INTERNAL, [offload], RECEIVED_AT).endedAt).toEqual(new Date('2026-11-16T09:02:00.000Z'));
  });

  it('refuses events of another session and messages without any time', () => {
    expect(() => normalizeChatlayerSession(SEED_INTERNAL, [{ ...events[0]!, sessionId: 'other' }], RECEIVED_AT)).toThrow(/belongs to session other/);
    expect(() => normalizeChatlayerSession(SEED_INTERNAL, [messagesEvent([{ actor: 'bot', message: 'x' }])], RECEIVED_AT)).toThrow(/no timestamp/);
  });

  it('maps user message shapes and unknown actors', () => {
    const s = normalizeChatlayerSession(
      { ...SEED_INTERNAL, messageContent: undefined },
      [
        messagesEvent(
          [
            { actor: 'user', message: { postback: { title: 'Yes', payload: 'yes' } } },
            { actor: 'user', message: { location: { lat: 51.05, long: 3.72 } } },
            { actor: 'user', message: { type: 'fileUploadInputResult', url: 'https://files.example/x.jpg' } },
            { actor: 'agent', message: { image: 'x.png' } },
          ],
          '2026-11-16T09:00:00.000Z',
        ),
      ],
      RECEIVED_AT,
    );
    const byData = new Map(s.messages.map((m) => [JSON.stringify(m.data.message), m]));
    expect(byData.get(JSON.stringify({ postback: { title: 'Yes', payload: 'yes' } }))!.type).toBe('POSTBACK');
    expect(byData.get(JSON.stringify({ location: { lat: 51.05, long: 3.72 } }))!.type).toBe('LOCATION');
    expect(byData.get(JSON.stringify({ type: 'fileUploadInputResult', url: 'https://files.example/x.jpg' }))!.type).toBe('UPLOAD');
    const agent = byData.get(JSON.stringify({ image: 'x.png' }))!;
    expect(agent.sender).toBe('SYSTEM');
    expect(agent.type).toBe('UNKNOWN');
    expect(new Set(s.messages.map((m) => m.sequence)).size).toBe(4);
  });
});

describe('Chatlayer demo fixtures', () => {
  const sessions = chatlayerModule.demoSessions(RECEIVED_AT);

  it('normalise without throwing and keep every internal field and the variables', () => {
    expect(sessions).toHaveLength(chatlayerDemoCases.length);
    chatlayerDemoCases.forEach(({ session }, i) => {
      const internal = 'internal' in session ? session.internal : (({ variables: _v, ...rest }) => rest)(session);
      const variables = session.variables;
      expect(sessions[i]!.data).toEqual(variables === undefined ? internal : { ...internal, variables });
      expect(sessions[i]!.messages.length).toBeGreaterThan(0);
    });
  });

  it('cover versions, channels, languages, both forms and one offloaded session', () => {
    expect(new Set(sessions.map((s) => s.data.version))).toEqual(new Set(['LIVE', 'DRAFT']));
    expect(new Set(sessions.map((s) => s.channel))).toEqual(new Set(['web', 'whatsapp', 'messenger']));
    expect(new Set(sessions.map((s) => s.language))).toEqual(new Set(['en', 'nl', 'fr']));
    expect(chatlayerDemoCases.some((c) => 'internal' in c.session)).toBe(true);
    expect(chatlayerDemoCases.some((c) => !('internal' in c.session))).toBe(true);
    const offloaded = sessions.filter((s) => s.status === 'TRANSFERRED');
    expect(offloaded).toHaveLength(1);
    expect(offloaded[0]).toMatchObject({ outcome: 'ESCALATED', conversationExternalId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e96' });
    expect(offloaded[0]!.messages).toHaveLength(6);
    expect(sessions.every((s) => s.messages.some((m) => m.intent !== null))).toBe(true);
  });

  it('module.normalize takes the session data alone', () => {
    const s = chatlayerModule.normalize(chatlayerModule.fixtures[3]!, RECEIVED_AT);
    expect(s).toEqual(sessions[3]);
    expect(s.messages[0]!.type).toBe('UPLOAD');
  });
});
