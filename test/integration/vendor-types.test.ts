// Every vendor field of the four session types, read back through GraphQL from the demo data set and
// checked against the native fixtures it was loaded from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo.js';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { chatlayerDemoCases } from '../../src/vendors/chatlayer/fixtures.js';
import type { ChatlayerInternal, ChatlayerSessionData } from '../../src/vendors/chatlayer/model.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { normalizeEinsteinSession } from '../../src/vendors/einstein/normalize.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import type { ReportingTurn } from '../../src/vendors/genesys-bot-flow/model.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import type { JourneySession } from '../../src/vendors/genesys-journey/model.js';
import { normalizeJourneySession } from '../../src/vendors/genesys-journey/normalize.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
  await loadDemoData(t.db.prisma);
});
afterAll(() => t.close());

type Node = Record<string, unknown> & { externalId: string };
type Obj = Record<string, unknown>;

/** Every session of one kind, by externalId, with the fields of `fragment`; fails on any GraphQL error. */
async function sessionsOf(kind: string, typeName: string, fragment: string): Promise<Map<string, Node>> {
  const result = await t.graphql<{ sessions: { edges: { node: Node }[] } }>(
    `query ($kinds: [SessionKind!]) {
      sessions(first: 100, filter: { kinds: $kinds }) {
        edges { node { __typename externalId ... on ${typeName} { ${fragment} } } }
      }
    }`,
    { kinds: [kind] },
  );
  expect(result.errors).toBeUndefined();
  expect(t.loggedErrors).toEqual([]);
  const nodes = result.data!.sessions.edges.map((e) => e.node);
  for (const node of nodes) expect(node.__typename).toBe(typeName);
  return new Map(nodes.map((n) => [n.externalId, n]));
}

function nodeFor(nodes: Map<string, Node>, externalId: string): Node {
  const node = nodes.get(externalId);
  expect(node, `session ${externalId}`).toBeDefined();
  return node!;
}

/** `keys` of a native object, absent ones as null: what a GraphQL selection of exactly those keys returns. */
function pick(value: object | undefined, keys: readonly string[]): Obj | null {
  if (value === undefined) return null;
  const record = value as Obj;
  return Object.fromEntries(keys.map((key) => [key, record[key] ?? null]));
}

const iso = (value: string | undefined) => (value === undefined ? null : new Date(value).toISOString());

function messagesOf(node: Node): Obj[] {
  return (node.messages as { edges: { node: Obj }[] }).edges.map((e) => e.node);
}

// ---- Genesys bot flow ----

const BOT_RESULT: Record<string, string> = {
  TransferToACD: 'TRANSFER_TO_ACD',
  ExitRequestedByUser: 'EXIT_REQUESTED_BY_USER',
  ExitRequestedByBot: 'EXIT_REQUESTED_BY_BOT',
  DisconnectSessionExpired: 'DISCONNECT_SESSION_EXPIRED',
  ExitRecognitionFailure: 'EXIT_RECOGNITION_FAILURE',
  // Not in the SDK's list: a value Genesys added later.
  ExitRequestedByPolicy: 'UNKNOWN',
};
const BOT_RESULT_CATEGORY: Record<string, string> = {
  Transfer: 'TRANSFER',
  UserExit: 'USER_EXIT',
  BotExit: 'BOT_EXIT',
  SessionExpired: 'SESSION_EXPIRED',
  RecognitionFailure: 'RECOGNITION_FAILURE',
};
const ASK_ACTION_RESULT: Record<string, string> = {
  SuccessCollection: 'SUCCESS_COLLECTION',
  AgentRequestedByUser: 'AGENT_REQUESTED_BY_USER',
  NoInputCollection: 'NO_INPUT_COLLECTION',
  NoMatchCollection: 'NO_MATCH_COLLECTION',
};
const ACTION_TYPE: Record<string, string> = {
  AskForNLUIntentAction: 'ASK_FOR_NLU_INTENT_ACTION',
  AskForBooleanAction: 'ASK_FOR_BOOLEAN_ACTION',
  AskForSlotAction: 'ASK_FOR_SLOT_ACTION',
};

const DOCUMENT = ['id', 'question', 'answer', 'confidence'];
const TURN_FIELDS = `
  userInput botPrompts sessionId conversationRef { id selfUri }
  askAction { actionId actionName actionNumber actionType actionTypeRaw }
  intent { name confidence slots { name value type confidence } }
  knowledge { knowledgeBaseId feedback { searchId rating documents { ${DOCUMENT.join(' ')} } } search { searchId query documents { ${DOCUMENT.join(' ')} } } }
  knowledgeBaseEvents { search { searchId } feedback { searchId } }
  dateCreated dateCompleted askActionResult askActionResultRaw
  sessionEndDetails { type typeRaw reason }
`;

function expectedTurn(turn: ReportingTurn): Obj {
  return {
    userInput: turn.userInput ?? null,
    botPrompts: turn.botPrompts ?? null,
    sessionId: turn.sessionId ?? null,
    conversationRef: pick(turn.conversation, ['id', 'selfUri']),
    askAction:
      turn.askAction === undefined
        ? null
        : {
            ...pick(turn.askAction, ['actionId', 'actionName', 'actionNumber']),
            actionType: ACTION_TYPE[turn.askAction.actionType!],
            actionTypeRaw: turn.askAction.actionType,
          },
    intent:
      turn.intent === undefined
        ? null
        : {
            name: turn.intent.name,
            confidence: turn.intent.confidence,
            slots: turn.intent.slots?.map((s) => pick(s, ['name', 'value', 'type', 'confidence'])) ?? null,
          },
    knowledge:
      turn.knowledge === undefined
        ? null
        : {
            knowledgeBaseId: turn.knowledge.knowledgeBaseId ?? null,
            feedback: null,
            search: {
              searchId: turn.knowledge.search?.searchId,
              query: turn.knowledge.search?.query,
              documents: turn.knowledge.search?.documents?.map((d) => pick(d, DOCUMENT)),
            },
          },
    knowledgeBaseEvents: null,
    dateCreated: iso(turn.dateCreated),
    dateCompleted: iso(turn.dateCompleted),
    askActionResult: turn.askActionResult === undefined ? null : ASK_ACTION_RESULT[turn.askActionResult],
    askActionResultRaw: turn.askActionResult ?? null,
    sessionEndDetails:
      turn.sessionEndDetails === undefined
        ? null
        : { type: turn.sessionEndDetails.type!.toUpperCase(), typeRaw: turn.sessionEndDetails.type, reason: turn.sessionEndDetails.reason },
  };
}

describe('BotFlowSession', () => {
  it('exposes every BotFlowSession field, enums mapped and kept raw, and each message its reporting turn', async () => {
    const nodes = await sessionsOf(
      'BOT_FLOW',
      'BotFlowSession',
      `flow { id }
       botChannel { name nameRaw inputModes inputModesRaw outputModes outputModesRaw userAgent { name nameRaw } }
       language endLanguage botResult botResultRaw botResultCategory botResultCategoryRaw
       dateCreated dateCompleted conversationRef { id selfUri } conversation { externalId }
       messages(first: 100) { edges { node { sender text intent rawType rawSender sequenceId nlp { expression } turn { ${TURN_FIELDS} } } } }`,
    );
    expect(nodes.size).toBe(botFlowFixtures.length);
    for (const f of botFlowFixtures) {
      const node = nodeFor(nodes, f.id);
      const userAgent = { Phone: 'PHONE', GenesysWebWidget: 'GENESYS_WEB_WIDGET', Whatsapp: 'WHATSAPP' }[f.channel!.userAgent!.name as string];
      expect(node).toMatchObject({
        flow: { id: f.flow!.id },
        botChannel: {
          name: f.channel!.name!.toUpperCase(),
          nameRaw: f.channel!.name,
          inputModes: f.channel!.inputModes!.map((m) => m.toUpperCase()),
          inputModesRaw: f.channel!.inputModes,
          outputModes: f.channel!.outputModes!.map((m) => m.toUpperCase()),
          outputModesRaw: f.channel!.outputModes,
          userAgent: { name: userAgent, nameRaw: f.channel!.userAgent!.name },
        },
        language: f.language!.toLowerCase(),
        endLanguage: f.endLanguage ?? null,
        botResult: f.botResult === undefined ? null : BOT_RESULT[f.botResult],
        botResultRaw: f.botResult ?? null,
        botResultCategory: f.botResultCategory === undefined ? null : BOT_RESULT_CATEGORY[f.botResultCategory],
        botResultCategoryRaw: f.botResultCategory ?? null,
        dateCreated: iso(f.dateCreated),
        dateCompleted: iso(f.dateCompleted),
        conversationRef: pick(f.conversation, ['id', 'selfUri']),
        conversation: { externalId: f.conversation!.id },
      });

      // Each turn gives its prompts (BOT) and then its input (USER); every one of them carries the turn.
      const expected = (f.turns ?? []).flatMap((turn) => [
        ...(turn.botPrompts ?? []).map((text) => ({ sender: 'BOT', text, intent: null, turn: expectedTurn(turn) })),
        ...(turn.userInput ? [{ sender: 'USER', text: turn.userInput, intent: turn.intent?.name ?? null, turn: expectedTurn(turn) }] : []),
      ]);
      const messages = messagesOf(node);
      expect(messages).toEqual(expected.map((m) => ({ ...m, rawType: null, rawSender: null, sequenceId: null, nlp: null })));
    }
  });

  it('maps a result Genesys added later to UNKNOWN and keeps it raw', async () => {
    const nodes = await sessionsOf('BOT_FLOW', 'BotFlowSession', 'botResult botResultRaw botResultCategory botResultCategoryRaw');
    const policy = botFlowFixtures.find((f) => f.botResult === 'ExitRequestedByPolicy')!;
    expect(nodeFor(nodes, policy.id)).toMatchObject({
      botResult: 'UNKNOWN',
      botResultRaw: 'ExitRequestedByPolicy',
      botResultCategory: null,
      botResultCategoryRaw: null,
    });
  });
});

// ---- Einstein ----

describe('EinsteinBotSession', () => {
  it('exposes every session field and, on messages, type, sender, choices and sequenceId', async () => {
    const nodes = await sessionsOf(
      'EINSTEIN_BOT',
      'EinsteinBotSession',
      `sessionId botId status statusRaw createdDate lastActiveDate externalSessionKey sessionEnded
       messages(first: 100) { edges { node { sequence sequenceId type rawType sender rawSender text choices { label value index } timestamp turn { userInput } nlp { expression } } } }`,
    );
    expect(nodes.size).toBe(einsteinFixtures.length);
    const TYPE: Record<string, string> = {
      Text: 'TEXT',
      text: 'TEXT',
      Choices: 'CHOICES',
      choices: 'CHOICES',
      Transfer: 'TRANSFER',
      EscalateToAgent: 'ESCALATE_TO_AGENT',
      SessionEnded: 'SESSION_ENDED',
    };
    for (const f of einsteinFixtures) {
      const node = nodeFor(nodes, f.sessionId!);
      expect(node).toMatchObject({
        sessionId: f.sessionId,
        botId: f.botId,
        status: f.status!.toUpperCase(),
        statusRaw: f.status,
        createdDate: iso(f.createdDate),
        lastActiveDate: iso(f.lastActiveDate),
        externalSessionKey: f.externalSessionKey ?? null,
        sessionEnded: f.sessionEnded ?? null,
      });
      expect(messagesOf(node)).toEqual(
        (f.messages ?? []).map((m, i) => ({
          sequence: m.sequenceId ?? i + 1,
          sequenceId: m.sequenceId ?? null,
          type: TYPE[m.type!],
          rawType: m.type,
          sender: m.sender === undefined ? 'BOT' : m.sender.toUpperCase(),
          rawSender: m.sender ?? null,
          text: m.text ?? null,
          choices: m.choices?.map((c) => ({ label: c.label, value: c.value ?? null, index: c.index ?? null })) ?? null,
          timestamp: iso(m.timestamp),
          turn: null,
          nlp: null,
        })),
      );
    }
  });

  it('keeps an Einstein status added later raw', async () => {
    const session = { ...einsteinFixtures[0]!, sessionId: 'e0000000-0000-4000-8000-000000000002', status: 'Paused', messages: [] };
    await writeSession(t.db.prisma, normalizeEinsteinSession(session, new Date('2026-11-20T12:00:00Z')));
    const nodes = await sessionsOf('EINSTEIN_BOT', 'EinsteinBotSession', 'status statusRaw');
    expect(nodeFor(nodes, session.sessionId)).toMatchObject({ status: 'ENDED', statusRaw: 'Paused' });
  });
});

// ---- Chatlayer ----

function internalOf(session: ChatlayerSessionData): ChatlayerInternal {
  return 'internal' in session ? session.internal : session;
}

describe('ChatlayerSession', () => {
  const NLP = 'expression intent { name score } intents { name score } entities sentiment { name score }';

  it('exposes the internal session data and variables, both dialog-state spellings, and the NLP result on its message', async () => {
    const nodes = await sessionsOf(
      'CHATLAYER',
      'ChatlayerSession',
      `sessionId botId channel version versionRaw user preferredLanguage language locale
       nlp { ${NLP} }
       currentDialogState { id name type } previousDialogState { id name type }
       messageContent messageType messageTypeRaw variables
       messages(first: 100) { edges { node { sender rawSender type rawType text nlp { ${NLP} } sequenceId turn { userInput } } } }`,
    );
    expect(nodes.size).toBe(chatlayerDemoCases.length);
    const MESSAGE_TYPE: Record<string, string> = { text: 'TEXT', postback: 'POSTBACK', fileUploadInputResult: 'FILE_UPLOAD_INPUT_RESULT' };
    for (const { session } of chatlayerDemoCases) {
      const internal = internalOf(session);
      const variables = 'internal' in session ? session.variables : session.variables;
      const nlp = {
        expression: internal.nlp!.expression,
        intent: internal.nlp!.intent,
        intents: internal.nlp!.intents,
        entities: internal.nlp!.entities,
        sentiment: internal.nlp!.sentiment,
      };
      const node = nodeFor(nodes, internal.sessionId);
      expect(node).toMatchObject({
        sessionId: internal.sessionId,
        botId: internal.botId,
        channel: internal.channel,
        version: internal.version,
        versionRaw: internal.version,
        user: internal.user,
        preferredLanguage: internal.preferredLanguage,
        language: internal.preferredLanguage!.toLowerCase(),
        locale: internal.locale,
        nlp,
        currentDialogState: pick(internal.currentDialogstate ?? internal.currentDialogState, ['id', 'name', 'type']),
        previousDialogState: pick(internal.previousDialogstate ?? internal.previousDialogState, ['id', 'name', 'type']),
        messageContent: internal.messageContent,
        messageType: MESSAGE_TYPE[internal.messageType!],
        messageTypeRaw: internal.messageType,
        variables: variables ?? null,
      });

      const messages = messagesOf(node);
      for (const m of messages) {
        expect(m.sequenceId).toBeNull();
        expect(m.turn).toBeNull();
      }
      // The session's last user message carries the NLP result and Chatlayer's type for it; no other does.
      const snapshot = messages.filter((m) => m.nlp !== null);
      expect(snapshot).toEqual([expect.objectContaining({ sender: 'USER', text: internal.messageContent, nlp, rawType: internal.messageType })]);
      for (const m of messages.filter((m) => m.nlp === null)) {
        expect(m.rawSender).toBe((m.sender as string).toLowerCase());
      }
    }
  });

  it('keeps the raw type of bot webhook messages', async () => {
    const nodes = await sessionsOf('CHATLAYER', 'ChatlayerSession', 'messages(first: 100) { edges { node { sender rawType rawSender text } } }');
    const web = nodeFor(nodes, 'web-8e2b4c6d-1a3f-4b5e-9c7d-0f2e4a6c8b10');
    expect(messagesOf(web)[0]).toEqual({ sender: 'BOT', rawType: 'text', rawSender: 'bot', text: 'Hi there! What can I help you with?' });
  });
});

// ---- Genesys journey ----

const ENTITY_REF = ['id', 'selfUri'];
const BROWSER = [
  'family',
  'version',
  'lang',
  'fingerprint',
  'isMobile',
  'viewHeight',
  'viewWidth',
  'featuresFlash',
  'featuresJava',
  'featuresPdf',
  'featuresWebrtc',
];
const DEVICE = ['type', 'isMobile', 'screenHeight', 'screenWidth', 'screenDensity', 'fingerprint', 'osFamily', 'osVersion', 'manufacturer'];
const GEOLOCATION = ['country', 'countryName', 'latitude', 'longitude', 'locality', 'postalCode', 'region', 'regionName', 'source', 'timezone'];
const PAGE = ['url', 'title', 'domain', 'fragment', 'hostname', 'keywords', 'lang', 'pathname', 'queryString', 'breadcrumb'];
const CAMPAIGN = ['content', 'medium', 'name', 'source', 'term', 'clickId', 'network'];
const REFERRER = ['url', 'domain', 'hostname', 'keywords', 'pathname', 'queryString', 'fragment', 'name'];
const SCALARS = [
  'customerId',
  'customerIdType',
  'type',
  'externalUrl',
  'shortId',
  'searchTerms',
  'ipAddress',
  'ipOrganization',
  'userAgentString',
  'durationInSeconds',
  'eventCount',
  'pageviewCount',
  'screenviewCount',
  'conversationSubject',
  'authenticated',
  'selfUri',
];

const JOURNEY_FRAGMENT = `
  ${SCALARS.join(' ')} sourceExternalId
  outcomeAchievements { outcome { id selfUri } achievedDate }
  segmentAssignments { segment { id selfUri } assignedDate }
  attributes { name dataType value } attributeLists { name dataType values }
  browser { ${BROWSER.join(' ')} }
  device { category categoryRaw ${DEVICE.join(' ')} }
  geolocation { ${GEOLOCATION.join(' ')} }
  lastPage { ${PAGE.join(' ')} }
  mktCampaign { ${CAMPAIGN.join(' ')} }
  referrer { medium mediumRaw ${REFERRER.join(' ')} }
  lastEvent { id eventName createdDate }
  lastConnectedQueue { id selfUri } lastConnectedUser { id selfUri }
  lastUserDisposition { code notes user { id selfUri } }
  conversationChannels { type typeRaw messageType messageTypeRaw platform }
  originatingDirection originatingDirectionRaw lastUserDisconnectType lastUserDisconnectTypeRaw lastAcdOutcome lastAcdOutcomeRaw
  createdDate endedDate awayDate idleDate
  externalContact { id selfUri } conversationRef { id selfUri }
`;

const upper = (value: string | undefined) => (value === undefined ? null : value.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase());

function expectedJourney(f: JourneySession): Obj {
  return {
    externalId: f.id,
    ...pick(f, SCALARS),
    sourceExternalId: f.externalId ?? null,
    outcomeAchievements: f.outcomeAchievements?.map((a) => ({ outcome: pick(a.outcome, ENTITY_REF), achievedDate: iso(a.achievedDate) })) ?? null,
    segmentAssignments: f.segmentAssignments?.map((a) => ({ segment: pick(a.segment, ENTITY_REF), assignedDate: iso(a.assignedDate) })) ?? null,
    attributes: f.attributes === undefined ? null : Object.entries(f.attributes).map(([name, a]) => ({ name, ...a })),
    attributeLists: f.attributeLists === undefined ? null : Object.entries(f.attributeLists).map(([name, a]) => ({ name, ...a })),
    browser: pick(f.browser, BROWSER),
    device: f.device === undefined ? null : { category: upper(f.device.category), categoryRaw: f.device.category, ...pick(f.device, DEVICE) },
    geolocation: pick(f.geolocation, GEOLOCATION),
    lastPage: pick(f.lastPage, PAGE),
    mktCampaign: pick(f.mktCampaign, CAMPAIGN),
    referrer: f.referrer === undefined ? null : { medium: upper(f.referrer.medium), mediumRaw: f.referrer.medium, ...pick(f.referrer, REFERRER) },
    lastEvent: f.lastEvent === undefined ? null : { ...f.lastEvent, createdDate: iso(f.lastEvent.createdDate) },
    lastConnectedQueue: pick(f.lastConnectedQueue, ENTITY_REF),
    lastConnectedUser: pick(f.lastConnectedUser, ENTITY_REF),
    lastUserDisposition:
      f.lastUserDisposition === undefined
        ? null
        : { code: f.lastUserDisposition.code, notes: f.lastUserDisposition.notes ?? null, user: pick(f.lastUserDisposition.user, ENTITY_REF) },
    conversationChannels:
      f.conversationChannels?.map((c) => ({
        type: upper(c.type),
        typeRaw: c.type,
        messageType: upper(c.messageType),
        messageTypeRaw: c.messageType ?? null,
        platform: c.platform ?? null,
      })) ?? null,
    originatingDirection: upper(f.originatingDirection),
    originatingDirectionRaw: f.originatingDirection ?? null,
    lastUserDisconnectType: upper(f.lastUserDisconnectType),
    lastUserDisconnectTypeRaw: f.lastUserDisconnectType ?? null,
    lastAcdOutcome: upper(f.lastAcdOutcome),
    lastAcdOutcomeRaw: f.lastAcdOutcome ?? null,
    createdDate: iso(f.createdDate),
    endedDate: iso(f.endedDate),
    awayDate: iso(f.awayDate),
    idleDate: iso(f.idleDate),
    externalContact: pick(f.externalContact, ENTITY_REF),
    conversationRef: pick(f.conversation, ENTITY_REF),
  };
}

describe('JourneySession', () => {
  it('exposes every journey Session field with its nested models', async () => {
    const nodes = await sessionsOf('JOURNEY', 'JourneySession', JOURNEY_FRAGMENT);
    expect(nodes.size).toBe(journeyFixtures.length);
    for (const f of journeyFixtures) {
      const { __typename, ...node } = nodeFor(nodes, f.id);
      expect(node).toEqual(expectedJourney(f));
    }
    // Spot checks that do not go through the helpers above.
    const shared = nodeFor(nodes, '0a4c7e1b-3d6f-4a9c-8e2b-5d7f9a1c3e54');
    expect(shared).toMatchObject({
      sourceExternalId: 'web-7f3c91d2',
      device: { category: 'DESKTOP', screenDensity: 2 },
      conversationChannels: [{ type: 'MESSAGING', messageType: 'WEB_MESSAGING', platform: 'PureCloud Messaging' }],
      lastAcdOutcome: 'ANSWERED',
      lastUserDisconnectType: 'CLIENT',
      attributes: [
        { name: 'accountNumber', dataType: 'string', value: 'EN-00918273' },
        { name: 'lastBillAmount', dataType: 'number', value: '184.20' },
      ],
    });
  });

  it('maps values Genesys adds later to UNKNOWN, keeps them raw, and reads an unparseable date as null', async () => {
    const base = journeyFixtures[0]!;
    const future: JourneySession = {
      ...base,
      id: 'f0000000-0000-4000-8000-000000000001',
      conversation: undefined,
      lastAcdOutcome: 'Deflected',
      originatingDirection: 'Sideways',
      lastUserDisconnectType: 'OutdatedSdkVersion',
      device: { ...base.device!, category: 'smartwatch' },
      referrer: { ...base.referrer!, medium: 'podcast' },
      conversationChannels: [{ type: 'Hologram', messageType: 'Telepathy' }],
      idleDate: 'not a date',
    };
    await writeSession(t.db.prisma, normalizeJourneySession(future, new Date('2026-11-20T12:00:00Z')));
    const nodes = await sessionsOf('JOURNEY', 'JourneySession', JOURNEY_FRAGMENT);
    expect(nodeFor(nodes, future.id)).toMatchObject({
      lastAcdOutcome: 'UNKNOWN',
      lastAcdOutcomeRaw: 'Deflected',
      originatingDirection: 'UNKNOWN',
      originatingDirectionRaw: 'Sideways',
      // An old SDK's stand-in for an unknown value is not a value of its own.
      lastUserDisconnectType: 'UNKNOWN',
      lastUserDisconnectTypeRaw: 'OutdatedSdkVersion',
      device: { category: 'UNKNOWN', categoryRaw: 'smartwatch' },
      referrer: { medium: 'UNKNOWN', mediumRaw: 'podcast' },
      conversationChannels: [{ type: 'UNKNOWN', typeRaw: 'Hologram', messageType: 'UNKNOWN', messageTypeRaw: 'Telepathy', platform: null }],
      idleDate: null,
      conversationRef: null,
    });
  });

  it("reports a stored number GraphQL's Int cannot hold as that field's error, not as null", async () => {
    const base = journeyFixtures[0]!;
    const wide: JourneySession = {
      ...base,
      id: 'f0000000-0000-4000-8000-000000000002',
      conversation: undefined,
      browser: { ...base.browser!, viewHeight: 2 ** 31 },
    };
    await writeSession(t.db.prisma, normalizeJourneySession(wide, new Date('2026-11-20T12:00:00Z')));
    const result = await t.graphql<{
      sessions: { edges: { node: { externalId: string; browser: { viewHeight: number | null; viewWidth: number | null } | null } }[] };
    }>(`{ sessions(first: 100, filter: { kinds: [JOURNEY] }) { edges { node { externalId ... on JourneySession { browser { viewHeight viewWidth } } } } } }`);
    const index = result.data!.sessions.edges.findIndex((e) => e.node.externalId === wide.id);
    expect(result.data!.sessions.edges[index]!.node.browser).toEqual({ viewHeight: null, viewWidth: base.browser!.viewWidth ?? null });
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('non 32-bit signed integer'),
        path: ['sessions', 'edges', index, 'node', 'browser', 'viewHeight'],
      }),
    ]);
    t.loggedErrors.length = 0; // the gateway logs the field's error; it is the one expected
  });
});

describe('vendor message fields', () => {
  it('cost one statement for every session of a page, whatever the vendors', async () => {
    t.db.statements.length = 0;
    const result = await t.graphql(
      `{ sessions(first: 100) { edges { node { messages(first: 100) { edges { node { rawType rawSender sequenceId nlp { expression } turn { userInput } } } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    // The session page, the message pages (read without the vendor documents), one look-up of the
    // sessions' kinds, and one of the vendor documents of the messages that need them.
    expect(t.db.statements).toHaveLength(4);
    expect(t.db.statements[2]).toMatch(
      /^SELECT "public"\."Session"\."id", "public"\."Session"\."kind"::text FROM "public"\."Session" WHERE "public"\."Session"\."id" IN /,
    );
    expect(t.db.statements[3]).toMatch(
      /^SELECT "public"\."Message"\."id", "public"\."Message"\."data" FROM "public"\."Message" WHERE "public"\."Message"\."id" IN /,
    );
  });
});
