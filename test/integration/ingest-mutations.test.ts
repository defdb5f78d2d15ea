// The ingest mutations: typed inputs in, the same report as the HTTP routes out. For each mutation:
// good documents (the demo fixtures) are stored and read back, a replay changes nothing, a bad item is
// rejected at its index and JSONPath while the good ones beside it are stored, an unknown vendor enum
// value is stored raw (resolving to UNKNOWN), and an over-long list is refused.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MUTATION_ITEMS } from '../../src/schema/ingest.js';
import { chatlayerDemoCases } from '../../src/vendors/chatlayer/fixtures.js';
import type { ChatlayerFlatSession, ChatlayerSessionData } from '../../src/vendors/chatlayer/model.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import type { BotFlowSessionWithTurns, ReportingTurn } from '../../src/vendors/genesys-bot-flow/model.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import { startTestGateway, type TestGateway, type IngestReply } from '../helpers/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
afterEach(() => {
  expect(t.loggedErrors).toEqual([]);
});

/** The mutations answer with the same report as the HTTP routes. */
type Report = Omit<IngestReply, 'error'>;
type Obj = Record<string, unknown>;

const MUTATIONS = {
  botFlow: { field: 'ingestGenesysBotFlowSessions', arg: 'sessions', input: 'GenesysBotFlowSessionInput' },
  turns: { field: 'ingestGenesysReportingTurns', arg: 'turns', input: 'GenesysReportingTurnInput' },
  journey: { field: 'ingestGenesysJourneySessions', arg: 'sessions', input: 'GenesysJourneySessionInput' },
  einstein: { field: 'ingestEinsteinSessions', arg: 'sessions', input: 'EinsteinBotSessionInput' },
  chatlayer: { field: 'ingestChatlayerSessions', arg: 'sessions', input: 'ChatlayerSessionInput' },
  webhook: { field: 'ingestChatlayerWebhookEvents', arg: 'events', input: 'ChatlayerWebhookEventInput' },
} as const;
type MutationName = keyof typeof MUTATIONS;

function mutationQuery(name: MutationName): string {
  const m = MUTATIONS[name];
  return `mutation ($items: [${m.input}!]!) {
    report: ${m.field}(${m.arg}: $items) { accepted created updated unchanged pending rejectedCount rejected { index path message } warningCount warnings { index path message } }
  }`;
}

/** Runs a mutation that must succeed as a GraphQL request; returns its report. */
async function ingest(name: MutationName, items: unknown[]): Promise<Report> {
  const result = await t.graphql<{ report: Report }>(mutationQuery(name), { items });
  expect(result.errors).toBeUndefined();
  return result.data!.report;
}

/** A deep copy, so a test can change a fixture without touching the shared one. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const clean = (n: number): Report => ({
  accepted: n,
  created: n,
  updated: 0,
  unchanged: 0,
  pending: 0,
  rejectedCount: 0,
  rejected: [],
  warningCount: 0,
  warnings: [],
});
const replayed = (n: number): Report => ({
  accepted: n,
  created: 0,
  updated: 0,
  unchanged: n,
  pending: 0,
  rejectedCount: 0,
  rejected: [],
  warningCount: 0,
  warnings: [],
});

async function session<T = Obj>(vendor: string, kind: string, externalId: string, fields: string): Promise<T> {
  const result = await t.graphql<{ session: T }>(
    `query ($vendor: Vendor!, $kind: SessionKind, $externalId: String!) {
      session(vendor: $vendor, kind: $kind, externalId: $externalId) { __typename externalId ${fields} }
    }`,
    { vendor, kind, externalId },
  );
  expect(result.errors, `session ${externalId}`).toBeUndefined();
  return result.data!.session;
}

const MESSAGES = 'messages(first: 100) { totalCount edges { node { sender type rawType rawSender text timestamp sequenceId } } }';
type WithMessages = { messages: { totalCount: number; edges: { node: Obj }[] } };
const texts = (s: WithMessages) => s.messages.edges.map((e) => e.node.text);

// ---- Genesys bot flow sessions ----

/** Messages the turns become: each prompt, then the user input. */
const messageCount = (turns: ReportingTurn[] = []) => turns.reduce((n, turn) => n + (turn.botPrompts?.length ?? 0) + (turn.userInput ? 1 : 0), 0);

describe('ingestGenesysBotFlowSessions', () => {
  it('stores the demo sessions with their turns, and a replay changes nothing', async () => {
    expect(await ingest('botFlow', botFlowFixtures)).toEqual(clean(botFlowFixtures.length));

    for (const fixture of botFlowFixtures) {
      const stored = await session<Obj & WithMessages>(
        'GENESYS_CLOUD',
        'BOT_FLOW',
        fixture.id,
        `... on BotFlowSession { botResultRaw botResultCategoryRaw language flow { id } conversationRef { id } dateCreated ${MESSAGES} }`,
      );
      expect(stored.__typename).toBe('BotFlowSession');
      expect(stored.botResultRaw).toBe(fixture.botResult ?? null);
      expect(stored.botResultCategoryRaw).toBe(fixture.botResultCategory ?? null);
      expect(stored.language).toBe(fixture.language?.toLowerCase() ?? null);
      expect(stored.flow).toEqual(fixture.flow ? { id: fixture.flow.id ?? null } : null);
      expect(stored.conversationRef).toEqual(fixture.conversation ? { id: fixture.conversation.id ?? null } : null);
      expect(stored.dateCreated).toBe(fixture.dateCreated ? new Date(fixture.dateCreated).toISOString() : null);
      expect(stored.messages.totalCount).toBe(messageCount(fixture.turns));
    }

    expect(await ingest('botFlow', botFlowFixtures)).toEqual(replayed(botFlowFixtures.length));
  });

  it('rejects a bad item at its index and path and stores the good ones beside it', async () => {
    const base = botFlowFixtures[0]!;
    const good = (id: string): BotFlowSessionWithTurns => ({ ...copy(base), id, turns: base.turns?.map((turn) => ({ ...copy(turn), sessionId: id })) });
    const badTurn = good('gbf-bad-turn');
    const turns = badTurn.turns!;
    expect(turns.length).toBeGreaterThan(1);
    // A turn with neither date cannot be ordered.
    delete turns[1]!.dateCreated;
    delete turns[1]!.dateCompleted;
    const badDate = { ...good('gbf-bad-date'), dateCreated: 'yesterday' };

    const report = await ingest('botFlow', [good('gbf-good-1'), badTurn, good('gbf-good-2'), badDate]);
    expect(report).toMatchObject({ accepted: 2, created: 2, rejectedCount: 2 });
    expect(report.rejected).toEqual([
      { index: 1, path: '$.turns[1].dateCreated', message: expect.any(String) as string },
      { index: 3, path: '$.dateCreated', message: expect.stringContaining('date') as string },
    ]);
    for (const id of ['gbf-good-1', 'gbf-good-2']) {
      const stored = await session<WithMessages>('GENESYS_CLOUD', 'BOT_FLOW', id, MESSAGES);
      expect(stored.messages.totalCount).toBe(messageCount(base.turns));
    }
    expect(await t.db.prisma.session.count({ where: { externalId: { in: ['gbf-bad-turn', 'gbf-bad-date'] } } })).toBe(0);
  });

  it('stores an unknown botResult raw, resolving to UNKNOWN', async () => {
    const item = {
      id: 'gbf-future-result',
      botResult: 'ExitRequestedByRobot',
      botResultCategory: 'RobotExit',
      dateCreated: '2026-11-20T10:00:00Z',
      dateCompleted: '2026-11-20T10:01:00Z',
    };
    expect(await ingest('botFlow', [item])).toEqual(clean(1));
    expect(
      await session('GENESYS_CLOUD', 'BOT_FLOW', item.id, '... on BotFlowSession { botResult botResultRaw botResultCategory botResultCategoryRaw }'),
    ).toMatchObject({ botResult: 'UNKNOWN', botResultRaw: 'ExitRequestedByRobot', botResultCategory: 'UNKNOWN', botResultCategoryRaw: 'RobotExit' });
  });
});

// ---- Genesys reporting turns ----

describe('ingestGenesysReportingTurns', () => {
  // A fixture session under a new id, so these turns do not collide with the bot flow tests.
  const source = botFlowFixtures.find((s) => (s.turns?.length ?? 0) >= 2)!;
  const SESSION = 'grt-session-1';
  const turns: ReportingTurn[] = source.turns!.map((turn) => ({ ...copy(turn), sessionId: SESSION }));
  const { turns: _ignored, ...sessionOnly } = copy(source);

  it('stores turns that arrive before their session, attaches them when it comes, and a replay changes nothing', async () => {
    const early = await ingest('turns', turns);
    expect(early).toMatchObject({ accepted: turns.length, rejectedCount: 0 });

    expect(await ingest('botFlow', [{ ...sessionOnly, id: SESSION }])).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await session<WithMessages>('GENESYS_CLOUD', 'BOT_FLOW', SESSION, MESSAGES);
    const expected = turns.flatMap((turn) => [...(turn.botPrompts ?? []), ...(turn.userInput ? [turn.userInput] : [])]);
    expect(stored.messages.totalCount).toBe(expected.length);
    expect(new Set(texts(stored))).toEqual(new Set(expected));

    expect(await ingest('turns', turns)).toEqual(replayed(turns.length));
  });

  it('rejects a turn without a sessionId at its index and stores the others', async () => {
    const id = 'grt-session-2';
    expect(await ingest('botFlow', [{ ...sessionOnly, id }])).toMatchObject({ accepted: 1 });
    const { sessionId: _none, ...orphan } = copy(turns[0]!);
    const report = await ingest('turns', [{ ...copy(turns[0]!), sessionId: id }, orphan, { ...copy(turns[1]!), sessionId: id }]);
    expect(report).toMatchObject({ accepted: 2, rejectedCount: 1 });
    expect(report.rejected).toEqual([{ index: 1, path: '$.sessionId', message: 'is required' }]);
    const stored = await session<WithMessages>('GENESYS_CLOUD', 'BOT_FLOW', id, MESSAGES);
    expect(stored.messages.totalCount).toBe(messageCount([turns[0]!, turns[1]!]));
  });

  it('stores an unknown askActionResult raw, resolving to UNKNOWN', async () => {
    const id = 'grt-session-3';
    expect(await ingest('botFlow', [{ id, dateCreated: '2026-11-20T11:00:00Z' }])).toEqual(clean(1));
    const turn = { sessionId: id, userInput: 'hello', dateCreated: '2026-11-20T11:00:05Z', askActionResult: 'SuccessTelepathy' };
    expect(await ingest('turns', [turn])).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await session<{ messages: { edges: { node: { turn: Obj } }[] } }>(
      'GENESYS_CLOUD',
      'BOT_FLOW',
      id,
      'messages(first: 5) { edges { node { turn { askActionResult askActionResultRaw } } } }',
    );
    expect(stored.messages.edges.map((e) => e.node.turn)).toEqual([{ askActionResult: 'UNKNOWN', askActionResultRaw: 'SuccessTelepathy' }]);
  });
});

// ---- Genesys journey sessions ----

describe('ingestGenesysJourneySessions', () => {
  it('stores the demo sessions with their nested models, and a replay changes nothing', async () => {
    expect(await ingest('journey', journeyFixtures)).toEqual(clean(journeyFixtures.length));
    for (const fixture of journeyFixtures) {
      const stored = await session(
        'GENESYS_CLOUD',
        'JOURNEY',
        fixture.id,
        `... on JourneySession {
          customerId sourceExternalId searchTerms lastAcdOutcomeRaw eventCount
          device { categoryRaw osFamily } browser { family featuresPdf } lastPage { url breadcrumb }
          outcomeAchievements { outcome { id } achievedDate }
          attributes { name dataType value }
        }`,
      );
      expect(stored).toMatchObject({
        __typename: 'JourneySession',
        customerId: fixture.customerId ?? null,
        sourceExternalId: fixture.externalId ?? null,
        searchTerms: fixture.searchTerms ?? null,
        lastAcdOutcomeRaw: fixture.lastAcdOutcome ?? null,
        eventCount: fixture.eventCount ?? null,
        device: fixture.device ? { categoryRaw: fixture.device.category, osFamily: fixture.device.osFamily } : null,
        browser: fixture.browser ? { family: fixture.browser.family, featuresPdf: fixture.browser.featuresPdf } : null,
        lastPage: fixture.lastPage ? { url: fixture.lastPage.url, breadcrumb: fixture.lastPage.breadcrumb } : null,
        outcomeAchievements:
          fixture.outcomeAchievements?.map((a) => ({ outcome: { id: a.outcome!.id }, achievedDate: new Date(a.achievedDate!).toISOString() })) ?? null,
      });
      const attributes = Object.entries(fixture.attributes ?? {}).map(([name, a]) => ({ name, dataType: a.dataType, value: a.value }));
      expect(stored.attributes ?? []).toEqual(expect.arrayContaining(attributes));
    }
    expect(await ingest('journey', journeyFixtures)).toEqual(replayed(journeyFixtures.length));
  });

  it('rejects a bad nested date at its index and path and stores the good ones beside it', async () => {
    const base = journeyFixtures.find((j) => (j.outcomeAchievements?.length ?? 0) > 0)!;
    const bad = copy(base);
    bad.id = 'gj-bad';
    bad.outcomeAchievements![0]!.achievedDate = 'soon';
    const report = await ingest('journey', [{ ...copy(base), id: 'gj-good-1' }, bad, { ...copy(base), id: 'gj-good-2' }]);
    expect(report).toMatchObject({ accepted: 2, created: 2, rejectedCount: 1 });
    expect(report.rejected).toEqual([{ index: 1, path: '$.outcomeAchievements[0].achievedDate', message: expect.any(String) as string }]);
    expect(await t.db.prisma.session.count({ where: { externalId: { in: ['gj-good-1', 'gj-good-2', 'gj-bad'] } } })).toBe(2);
  });

  it('stores unknown enum values raw, resolving to UNKNOWN', async () => {
    const item = {
      id: 'gj-future',
      createdDate: '2026-11-20T12:00:00Z',
      lastAcdOutcome: 'Deflected',
      device: { category: 'smartwatch', type: 'Watch', isMobile: true, osFamily: 'watchOS', osVersion: '12' },
    };
    expect(await ingest('journey', [item])).toEqual(clean(1));
    expect(
      await session('GENESYS_CLOUD', 'JOURNEY', item.id, '... on JourneySession { lastAcdOutcome lastAcdOutcomeRaw device { category categoryRaw } }'),
    ).toMatchObject({ lastAcdOutcome: 'UNKNOWN', lastAcdOutcomeRaw: 'Deflected', device: { category: 'UNKNOWN', categoryRaw: 'smartwatch' } });
  });
});

// ---- Einstein ----

describe('ingestEinsteinSessions', () => {
  it('stores the demo sessions with their messages, and a replay changes nothing', async () => {
    expect(await ingest('einstein', einsteinFixtures)).toEqual(clean(einsteinFixtures.length));
    for (const fixture of einsteinFixtures) {
      const stored = await session<Obj & WithMessages>(
        'SALESFORCE_EINSTEIN',
        'EINSTEIN_BOT',
        fixture.sessionId!,
        `... on EinsteinBotSession { botId statusRaw externalSessionKey sessionEnded ${MESSAGES} }`,
      );
      expect(stored).toMatchObject({
        __typename: 'EinsteinBotSession',
        botId: fixture.botId,
        statusRaw: fixture.status,
        externalSessionKey: fixture.externalSessionKey ?? null,
        sessionEnded: fixture.sessionEnded ?? null,
      });
      const messages = fixture.messages ?? [];
      expect(stored.messages.totalCount).toBe(messages.length);
      expect(stored.messages.edges.map((e) => ({ rawType: e.node.rawType, text: e.node.text, sequenceId: e.node.sequenceId }))).toEqual(
        messages.map((m) => ({ rawType: m.type, text: m.text ?? null, sequenceId: m.sequenceId ?? null })),
      );
    }
    expect(await ingest('einstein', einsteinFixtures)).toEqual(replayed(einsteinFixtures.length));
  });

  it('keeps two messages that share a sequenceId: neither overwrites the other', async () => {
    const base = einsteinFixtures.find((s) => s.messages?.every((m) => m.sequenceId !== undefined) && (s.messages.length ?? 0) > 1)!;
    const twice = copy(base);
    twice.sessionId = 'es-shared-sequence';
    twice.messages![1]!.sequenceId = twice.messages![0]!.sequenceId;
    const report = await ingest('einstein', [twice]);
    expect(report).toMatchObject({ accepted: 1, created: 1, rejectedCount: 0 });
    const stored = await session<Obj & WithMessages>('SALESFORCE_EINSTEIN', 'EINSTEIN_BOT', twice.sessionId, MESSAGES);
    expect(stored.messages.totalCount).toBe(twice.messages!.length);
    expect(stored.messages.edges.map((e) => e.node.text)).toEqual(twice.messages!.map((m) => m.text ?? null));
    expect(await ingest('einstein', [twice])).toMatchObject({ accepted: 1, unchanged: 1 });
  });

  it('drops fields sent as null, as if they were omitted', async () => {
    // Typed clients often send every input field, null where unset; the validator would reject a null.
    const item = {
      sessionId: 'es-nulls',
      botId: 'bot-x',
      status: 'Ended',
      createdDate: '2026-11-20T12:30:00Z',
      lastActiveDate: null,
      externalSessionKey: null,
      sessionEnded: null,
      messages: [
        { type: 'Text', sender: 'Bot', text: 'Hi', sequenceId: null, timestamp: null, choices: null },
        { type: 'Choices', sender: null, text: null, choices: [{ label: 'Yes', value: null, index: null }], sequenceId: null, timestamp: null },
      ],
    };
    expect(await ingest('einstein', [item])).toEqual(clean(1));
    const stored = await session<Obj & WithMessages>(
      'SALESFORCE_EINSTEIN',
      'EINSTEIN_BOT',
      item.sessionId,
      `... on EinsteinBotSession { externalSessionKey sessionEnded } ${MESSAGES}`,
    );
    expect(stored).toMatchObject({ externalSessionKey: null, sessionEnded: null });
    expect(stored.messages.edges.map((e) => e.node.rawType)).toEqual(['Text', 'Choices']);
    const row = await t.db.prisma.session.findFirstOrThrow({ where: { externalId: item.sessionId } });
    expect(row.data).not.toHaveProperty('externalSessionKey');
  });

  it('stores an unknown message type raw, resolving to UNKNOWN', async () => {
    const item = {
      sessionId: 'es-future',
      botId: 'bot-x',
      status: 'Active',
      createdDate: '2026-11-20T13:00:00Z',
      messages: [{ type: 'Carousel', sender: 'Bot', text: 'Pick a plan', sequenceId: 1, timestamp: '2026-11-20T13:00:01Z' }],
    };
    expect(await ingest('einstein', [item])).toEqual(clean(1));
    const stored = await session<WithMessages>('SALESFORCE_EINSTEIN', 'EINSTEIN_BOT', item.sessionId, MESSAGES);
    expect(stored.messages.edges[0]?.node).toMatchObject({ type: 'UNKNOWN', rawType: 'Carousel', text: 'Pick a plan' });
  });
});

// ---- Chatlayer session data ----

/** The mutation takes the flat form: the `internal` fields beside `variables`. */
function flat(data: ChatlayerSessionData): ChatlayerFlatSession {
  const value = copy(data);
  return 'internal' in value ? { ...value.internal, ...(value.variables ? { variables: value.variables } : {}) } : value;
}

describe('ingestChatlayerSessions', () => {
  const sessions = chatlayerDemoCases.map((c) => flat(c.session));

  it('stores the demo sessions, and a replay changes nothing', async () => {
    expect(await ingest('chatlayer', sessions)).toEqual(clean(sessions.length));
    for (const fixture of sessions) {
      const stored = await session<Obj & WithMessages>(
        'CHATLAYER',
        'CHATLAYER',
        fixture.sessionId,
        `... on ChatlayerSession { botId versionRaw locale user variables messageContent messageTypeRaw nlp { intent { name score } } ${MESSAGES} }`,
      );
      expect(stored).toMatchObject({
        __typename: 'ChatlayerSession',
        botId: fixture.botId,
        versionRaw: fixture.version ?? null,
        locale: fixture.locale ?? null,
        user: fixture.user ?? null,
        variables: fixture.variables ?? null,
        messageContent: fixture.messageContent ?? null,
        messageTypeRaw: fixture.messageType ?? null,
        nlp: { intent: fixture.nlp?.intent ?? null },
      });
      // The snapshot's messageContent is the user's message.
      expect(texts(stored)).toContain(fixture.messageContent);
    }
    expect(await ingest('chatlayer', sessions)).toEqual(replayed(sessions.length));
  });

  it('treats a null member as absent inside free-form JSON too (array items are kept as sent)', async () => {
    const item = { botId: '77', sessionId: 'cl-nulls', variables: { cleared: null, nested: { list: [1, null] } } };
    expect(await ingest('chatlayer', [item])).toEqual(clean(1));
    const stored = await session<Obj & { variables: unknown }>('CHATLAYER', 'CHATLAYER', item.sessionId, '... on ChatlayerSession { variables }');
    expect(stored.variables).toEqual({ nested: { list: [1, null] } });
  });

  it('rejects an empty sessionId at its index and path and stores the good ones beside it', async () => {
    const base = sessions[0]!;
    const report = await ingest('chatlayer', [
      { ...base, sessionId: 'cl-good-1' },
      { ...base, sessionId: 'cl-good-2' },
      { ...base, sessionId: '' },
    ]);
    expect(report).toMatchObject({ accepted: 2, created: 2, rejectedCount: 1 });
    expect(report.rejected).toEqual([{ index: 2, path: '$.sessionId', message: 'must not be empty' }]);
    expect(await t.db.prisma.session.count({ where: { externalId: { in: ['cl-good-1', 'cl-good-2', ''] } } })).toBe(2);
  });

  it('stores unknown version and messageType values raw, resolving to UNKNOWN', async () => {
    const item = { botId: '77', sessionId: 'cl-future', version: 'CANARY', messageType: 'sticker', messageContent: '🦆' };
    expect(await ingest('chatlayer', [item])).toEqual(clean(1));
    expect(await session('CHATLAYER', 'CHATLAYER', item.sessionId, '... on ChatlayerSession { version versionRaw messageType messageTypeRaw }')).toMatchObject({
      version: 'UNKNOWN',
      versionRaw: 'CANARY',
      messageType: 'UNKNOWN',
      messageTypeRaw: 'sticker',
    });
  });
});

// ---- Chatlayer offloading webhook ----

describe('ingestChatlayerWebhookEvents', () => {
  const events = chatlayerDemoCases.flatMap((c) => copy(c.events));

  it('stores the demo events, an offload transfers the session, and a replay changes nothing', async () => {
    const report = await ingest('webhook', events);
    expect(report).toMatchObject({ accepted: events.length, rejectedCount: 0 });
    for (const demo of chatlayerDemoCases) {
      if (demo.events.length === 0) continue;
      const sessionId = flat(demo.session).sessionId;
      const stored = await session<Obj & WithMessages>('CHATLAYER', 'CHATLAYER', sessionId, `status outcome ${MESSAGES}`);
      const sent = demo.events.flatMap((e) => (e.event === 'messages' ? e.messages : e.transcript) ?? []);
      for (const item of sent) {
        const text = typeof item.message === 'string' ? item.message : item.message!.text;
        expect(texts(stored)).toContain(text);
      }
      const offloaded = demo.events.some((e) => e.event === 'offload');
      expect(stored).toMatchObject(offloaded ? { status: 'TRANSFERRED', outcome: 'ESCALATED' } : { status: 'ACTIVE' });
    }
    expect(await ingest('webhook', events)).toEqual(replayed(events.length));
  });

  it('rejects events that fit neither kind, at their index and path, and stores the good ones beside it', async () => {
    const base = { botId: '77', version: 'LIVE', channel: 'web' };
    const good = {
      ...base,
      event: 'messages',
      sessionId: 'cw-good',
      messages: [{ actor: 'user', message: { text: 'hi' }, timestamp: '2026-11-20T14:00:00Z' }],
    };
    const untimed = {
      ...base,
      event: 'messages',
      sessionId: 'cw-untimed',
      messages: [
        { actor: 'user', message: 'one', timestamp: '2026-11-20T14:00:00Z' },
        { actor: 'bot', message: 'two' },
      ],
    };
    const unknownEvent = { ...base, event: 'typing', sessionId: 'cw-typing' };
    const noMessages = { ...base, event: 'messages', sessionId: 'cw-empty' };
    const report = await ingest('webhook', [untimed, good, unknownEvent, noMessages]);
    // An event without its messages is incomplete, not wrong: it creates the session, with a warning.
    expect(report).toMatchObject({ accepted: 2, created: 2, rejectedCount: 2, warningCount: 1 });
    expect(report.warnings).toEqual([{ index: 3, path: '$.messages', message: "is required by the vendor's model; the item was stored without it" }]);
    expect(report.rejected).toEqual([
      { index: 0, path: '$.messages[1].timestamp', message: expect.any(String) as string },
      { index: 2, path: '$.event', message: expect.any(String) as string },
    ]);
    const stored = await session<WithMessages>('CHATLAYER', 'CHATLAYER', 'cw-good', MESSAGES);
    expect(texts(stored)).toEqual(['hi']);
    expect(await t.db.prisma.session.count({ where: { externalId: { in: ['cw-untimed', 'cw-typing'] } } })).toBe(0);
    expect(await t.db.prisma.session.count({ where: { externalId: 'cw-empty' } })).toBe(1);
  });

  it('takes epoch milliseconds as a string of digits', async () => {
    const at = Date.UTC(2026, 10, 20, 15, 0, 0, 250);
    const event = {
      event: 'messages',
      botId: '77',
      version: 'LIVE',
      sessionId: 'cw-epoch',
      timestamp: String(at),
      messages: [{ actor: 'user', message: 'tick' }],
    };
    expect(await ingest('webhook', [event])).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await session<WithMessages>('CHATLAYER', 'CHATLAYER', 'cw-epoch', MESSAGES);
    expect(stored.messages.edges.map((e) => e.node.timestamp)).toEqual([new Date(at).toISOString()]);
  });

  it('stores an unknown version raw, resolving to UNKNOWN', async () => {
    const event = {
      event: 'messages',
      botId: '77',
      version: 'CANARY',
      sessionId: 'cw-future',
      timestamp: '2026-11-20T16:00:00Z',
      messages: [{ actor: 'user', message: { text: 'hello' } }],
    };
    expect(await ingest('webhook', [event])).toMatchObject({ accepted: 1, rejectedCount: 0 });
    expect(await session('CHATLAYER', 'CHATLAYER', 'cw-future', '... on ChatlayerSession { version versionRaw }')).toMatchObject({
      version: 'UNKNOWN',
      versionRaw: 'CANARY',
    });
  });
});

// ---- limits ----

describe('list limit', () => {
  const minimal: Record<MutationName, (i: number) => Obj> = {
    botFlow: (i) => ({ id: `limit-${String(i)}` }),
    turns: (i) => ({ sessionId: 'limit', userInput: 'x', dateCreated: new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString() }),
    journey: (i) => ({ id: `limit-${String(i)}` }),
    einstein: (i) => ({ sessionId: `limit-${String(i)}`, botId: 'b', status: 'Active' }),
    chatlayer: (i) => ({ botId: 'b', sessionId: `limit-${String(i)}` }),
    webhook: (i) => ({ event: 'messages', botId: 'b', version: 'LIVE', sessionId: `limit-${String(i)}`, messages: [] }),
  };

  it.each(Object.keys(MUTATIONS) as MutationName[])('%s refuses more than the maximum items per call, storing nothing', async (name) => {
    const before = await t.db.prisma.session.count();
    const items = Array.from({ length: MAX_MUTATION_ITEMS + 1 }, (_, i) => minimal[name](i));
    const result = await t.graphql<{ report: Report }>(mutationQuery(name), { items });
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0]!.extensions?.maxItems).toBe(MAX_MUTATION_ITEMS);
    expect(result.errors![0]!.message).toContain(`At most ${String(MAX_MUTATION_ITEMS)}`);
    expect(await t.db.prisma.session.count()).toBe(before);
  });

  it('takes exactly the maximum', async () => {
    const items = Array.from({ length: MAX_MUTATION_ITEMS }, (_, i) => minimal.chatlayer(i));
    expect(await ingest('chatlayer', items)).toEqual(clean(MAX_MUTATION_ITEMS));
  });
});
