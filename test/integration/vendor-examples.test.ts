// The conformance corpus: payloads the vendors publish themselves (test/fixtures/vendor-examples, each
// folder's README says where each came from), sent through every ingest route (a JSON body, NDJSON,
// the GraphQL mutation) and read back through the graph field by field. A vendor model is right when
// what the vendor sends comes back, not when our own fixtures do.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const CORPUS = path.resolve(import.meta.dirname, '../fixtures/vendor-examples');
type Doc = Record<string, unknown>;
const example = (vendor: string, file: string): Doc => JSON.parse(readFileSync(path.join(CORPUS, vendor, file), 'utf8')) as Doc;
const files = (vendor: string, pattern: RegExp) =>
  readdirSync(path.join(CORPUS, vendor))
    .filter((f) => pattern.test(f))
    .sort();

const ROUTES = {
  einstein: { path: '/ingest/einstein/sessions', field: 'ingestEinsteinSessions', arg: 'sessions', input: 'EinsteinBotSessionInput' },
  webhook: { path: '/ingest/chatlayer/webhook', field: 'ingestChatlayerWebhookEvents', arg: 'events', input: 'ChatlayerWebhookEventInput' },
  chatlayer: { path: '/ingest/chatlayer/sessions', field: 'ingestChatlayerSessions', arg: 'sessions', input: 'ChatlayerSessionInput' },
  journey: { path: '/ingest/genesys/journey-sessions', field: 'ingestGenesysJourneySessions', arg: 'sessions', input: 'GenesysJourneySessionInput' },
  botFlow: { path: '/ingest/genesys/bot-flow-sessions', field: 'ingestGenesysBotFlowSessions', arg: 'sessions', input: 'GenesysBotFlowSessionInput' },
  turns: { path: '/ingest/genesys/reporting-turns', field: 'ingestGenesysReportingTurns', arg: 'turns', input: 'GenesysReportingTurnInput' },
} as const;
type Route = keyof typeof ROUTES;
const WAYS = ['json', 'ndjson', 'mutation'] as const;
type Way = (typeof WAYS)[number];

interface Report {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  rejected: unknown[];
}

/** Sends one document the given way; returns the ingest report. */
async function send(t: TestGateway, route: Route, doc: Doc, way: Way, params: Record<string, string> = {}): Promise<Report> {
  const r = ROUTES[route];
  const query = new URLSearchParams(params).toString();
  if (way !== 'mutation') {
    const body = way === 'json' ? doc : `${JSON.stringify(doc)}\n`;
    const reply = await t.ingest(`${r.path}${query ? `?${query}` : ''}`, body, way === 'json' ? undefined : 'application/x-ndjson');
    // 200 when the item was accepted, 422 when it was rejected (one item per call here).
    expect(reply.status, JSON.stringify(reply.body)).toBe(reply.body.accepted > 0 ? 200 : 422);
    return reply.body;
  }
  const extra = Object.keys(params)
    .map((name) => `, ${name}: $${name}`)
    .join('');
  const declared = Object.keys(params)
    .map((name) => `, $${name}: String`)
    .join('');
  const result = await t.graphql<{ report: Report }>(
    `mutation ($items: [${r.input}!]!${declared}) { report: ${r.field}(${r.arg}: $items${extra}) { accepted created updated unchanged rejectedCount rejected { index path message } } }`,
    { items: [doc], ...params },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.report;
}

async function sessionOf(t: TestGateway, vendor: string, externalId: string, fields: string) {
  const result = await t.graphql<{ session: Doc & { messages: { edges: { node: Doc }[] } } }>(
    `query ($vendor: Vendor!, $id: String!) { session(vendor: $vendor, externalId: $id) { status outcome botId ${fields}
      messages(first: 100) { edges { node { sequence sender type rawType rawSender text timestamp vendorMessageId
        choices { label value index alias id } } } } } }`,
    { vendor, id: externalId },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  expect(result.data?.session, `session ${externalId}`).not.toBeNull();
  return result.data!.session;
}

const gateways = new Map<Way, TestGateway>();
beforeAll(async () => {
  for (const way of WAYS) gateways.set(way, await startTestGateway());
});
afterAll(async () => {
  for (const t of gateways.values()) await t.close();
});
afterEach(() => {
  for (const t of gateways.values()) expect(t.loggedErrors).toEqual([]);
});

// ---- Salesforce Einstein Bot Runtime API (forcedotcom/einstein-bot-sdk-java test resources) ----

const EINSTEIN_FIELDS = `... on EinsteinBotSession { botVersion processedSequenceIds }`;
const EINSTEIN_MESSAGE_FIELDS = `schedule { responseDelayMilliseconds } widget endReason escalationTargets { type value }`;
/** An Einstein session with every Einstein field, its messages' too. */
const einsteinSessionOf = (gateway: TestGateway, sessionId: string) =>
  sessionOf(gateway, 'SALESFORCE_EINSTEIN', sessionId, `${EINSTEIN_FIELDS} messages(first: 100) { edges { node { ${EINSTEIN_MESSAGE_FIELDS} } } }`);

/** What the graph must say of each message of runtime responses, in the order sent, from the responses themselves. */
function expectRuntimeMessages(stored: { messages: { edges: { node: Doc }[] } }, messages: Doc[]): void {
  const nodes = stored.messages.edges.map((e) => e.node);
  expect(nodes).toHaveLength(messages.length);
  messages.forEach((message, i) => {
    const node = nodes[i];
    expect(node!.vendorMessageId).toBe(message.id ?? null);
    expect(node!.rawType).toBe(message.type);
    expect(node!.text ?? null).toBe(message.text ?? null);
    expect(node!.sender).toBe('BOT');
    expect(node!.rawSender).toBeNull();
    const choices = message.choices as Doc[] | undefined;
    expect(node!.choices).toEqual(
      choices?.map((c) => ({ label: c.label, value: c.value ?? null, index: c.index ?? null, alias: c.alias ?? null, id: c.id ?? null })) ?? null,
    );
    const schedule = message.schedule as { responseDelayMilliseconds?: number } | undefined;
    expect(node!.schedule).toEqual(schedule ? { responseDelayMilliseconds: schedule.responseDelayMilliseconds ?? null } : null);
    expect(node!.widget).toBe(message.widget ?? null);
    expect(node!.endReason).toBe(message.reason ?? null);
    expect(node!.escalationTargets).toEqual(message.targets ?? null);
  });
}

describe.each(WAYS)('Einstein Bot Runtime API examples, sent as %s', (way) => {
  const t = () => gateways.get(way)!;

  it('stores a v5 start-session response: bot id from _links.self, botVersion, choices with alias and id, schedules', async () => {
    for (const file of ['runtime-v5-start-session-response.json', 'runtime-v5_3-start-session-response.json']) {
      const doc = example('einstein', file);
      const sessionId = doc.sessionId as string;
      const first = await send(t(), 'einstein', doc, way);
      expect(first).toMatchObject({ accepted: 1, rejectedCount: 0 });
      const stored = await einsteinSessionOf(t(), sessionId);
      expect(stored.botId).toBe('0XxSB00000006rp0AA');
      expect(stored.botVersion).toBe(doc.botVersion);
      expect(stored.processedSequenceIds).toEqual(doc.processedSequenceIds);
      expect(stored.status).toBe('ACTIVE');
      expectRuntimeMessages(stored, doc.messages as Doc[]);
      // The same response again, by any route, changes nothing.
      for (const again of WAYS) expect(await send(t(), 'einstein', doc, again)).toMatchObject({ accepted: 1, unchanged: 1 });
    }
  });

  it('stores the send-message and end-session responses of one session (no bot id in them: the botId parameter), and the end ends it', async () => {
    const send1 = example('einstein', 'runtime-v5-send-message-response-choices.json');
    const end = example('einstein', 'runtime-v5-end-session-response.json');
    const sessionId = send1.sessionId as string;
    // Without a bot id anywhere, a session Parley has not seen is refused at $.botId.
    const refused = await send(t(), 'einstein', send1, way);
    expect(refused).toMatchObject({ accepted: 0, rejectedCount: 1, rejected: [expect.objectContaining({ path: '$.botId' })] });
    expect(await send(t(), 'einstein', send1, way, { botId: '0XxSB00000006rp0AA' })).toMatchObject({ accepted: 1, created: 1 });
    // The stored session now supplies the bot id.
    expect(await send(t(), 'einstein', end, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await einsteinSessionOf(t(), sessionId);
    expect(stored.botId).toBe('0XxSB00000006rp0AA');
    expect(stored.status).toBe('ENDED');
    expect(stored.outcome).toBe('USER_EXITED');
    expect(stored.processedSequenceIds).toEqual([...(send1.processedSequenceIds as number[]), ...(end.processedSequenceIds as number[])]);
    expectRuntimeMessages(stored, [...(send1.messages as Doc[]), ...(end.messages as Doc[])]);
    // In the order they were sent: the end-session response answers the later sequenceId.
    expect(stored.messages.edges.at(-1)!.node.rawType).toBe('sessionEnded');
  });

  it('stores the v4 init response (bot and session id in it) and a bare list of v4 response messages (the session named by the sessionId parameter)', async () => {
    const init = example('einstein', 'runtime-v4-init-response-text.json');
    const sessionId = `${init.sessionId as string}-${way}`;
    expect(await send(t(), 'einstein', { ...init, sessionId }, way)).toMatchObject({ accepted: 1, created: 1, rejectedCount: 0 });
    // The SDK's mock is a bare array of messages: sent here as the `messages` of the response to the next
    // user message (sequenceId 2). It names neither the session nor the bot: the sessionId parameter
    // names the session, the stored session gives the bot.
    const messages = JSON.parse(readFileSync(path.join(CORPUS, 'einstein', 'runtime-v4-messages-text-choices-escalate.json'), 'utf8')) as Doc[];
    const response = { processedSequenceIds: [2], messages };
    expect(await send(t(), 'einstein', response, way, { sessionId })).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await einsteinSessionOf(t(), sessionId);
    expect(stored.botId).toBe(init.botId);
    expect(stored.botVersion).toBe(init.botVersion);
    expectRuntimeMessages(stored, [...(init.messages as Doc[]), ...messages]);
    expect(stored.outcome).toBe('ESCALATED');
    // Without the parameter, the same messages name no session: refused with the path at fault.
    const refused = await send(t(), 'einstein', response, way);
    expect(refused).toMatchObject({ accepted: 0, rejectedCount: 1, rejected: [expect.objectContaining({ path: '$.sessionId' })] });
  });

  it('stores v4 responses (bot id in the document): escalate targets, buttons and menus, a sessionEnded reason', async () => {
    const doc = example('einstein', 'runtime-v4-response-multiple-message-types.json');
    expect(await send(t(), 'einstein', { ...doc, sessionId: `v4-${way}` }, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await einsteinSessionOf(t(), `v4-${way}`);
    expect(stored.botId).toBe(doc.botId);
    expect(stored.messages.edges).toHaveLength((doc.messages as Doc[]).length);
    expectRuntimeMessages(stored, doc.messages as Doc[]);
    // An escalation in the response, then the end: escalated, handed over.
    expect(stored.outcome).toBe('ESCALATED');
    expect(stored.status).toBe('TRANSFERRED');
  });
});

// ---- Chatlayer offloading webhook (chatlayerai/chatlayer-documentation) ----

const CHATLAYER_MESSAGE_FIELDS = 'location { latitude longitude } attachments { type url title }';

/** What the graph must say of one webhook item, from the item itself. */
function expectChatlayerItem(nodes: Doc[], item: Doc, eventTimestamp: unknown): void {
  const at = new Date((item.timestamp ?? eventTimestamp) as string).toISOString();
  const body = item.message as Doc;
  const payload = (body.attachment as { payload?: Doc } | undefined)?.payload;
  const text = (body.text ?? body.title ?? payload?.text ?? null) as string | null;
  // Two published messages share a session and a millisecond (the text and location examples): both are kept.
  const node = nodes.find(
    (n) => n.timestamp === at && n.rawSender === item.actor && n.text === text && (item.actor !== 'user' || n.rawType === (body.messageType ?? null)),
  );
  expect(node, `item ${JSON.stringify(item).slice(0, 200)}`).toBeDefined();
  expect(node!.sender).toBe(item.actor === 'user' ? 'USER' : 'BOT');
  if (item.actor === 'user') {
    expect(node!.rawType).toBe(body.messageType ?? null);
    expect(node!.vendorMessageId).toBe(body.id ?? null);
  }
  const buttons = (body.quick_replies ?? payload?.buttons) as Doc[] | undefined;
  expect(node!.choices).toEqual(buttons?.map((b, index) => ({ label: b.title, value: b.payload ?? b.url ?? null, index, alias: null, id: null })) ?? null);
  const coordinates = body.coordinates as { lat: number; long: number } | undefined;
  expect(node!.location).toEqual(coordinates ? { latitude: coordinates.lat, longitude: coordinates.long } : null);
  const attachment = body.attachment as { type?: string; payload?: Doc } | undefined;
  const elements = payload?.elements as Doc[] | undefined;
  const urls = body.urls as string[] | undefined;
  const attachments = [
    ...(attachment?.type !== undefined && ['image', 'video', 'audio', 'file'].includes(attachment.type)
      ? [{ type: attachment.type, url: payload?.url ?? null, title: null }]
      : []),
    ...(elements ?? []).map((e) => ({ type: 'card', url: e.image_url ?? e.item_url ?? null, title: e.title ?? null })),
    ...(urls ?? []).map((url) => ({ type: 'upload', url, title: null })),
  ];
  expect(node!.attachments).toEqual(attachments.length > 0 ? attachments : null);
}

describe.each(WAYS)('Chatlayer offloading-webhook examples, sent as %s', (way) => {
  const t = () => gateways.get(way)!;

  it.each(files('chatlayer', /^offload-webhook-.*-event.*\.json$/))('%s: every message comes back, in every documented shape', async (file) => {
    const doc = example('chatlayer', file);
    expect(await send(t(), 'webhook', doc, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await sessionOf(
      t(),
      'CHATLAYER',
      doc.sessionId as string,
      `... on ChatlayerSession { version offload { offloadedAt } } messages(first: 100) { edges { node { ${CHATLAYER_MESSAGE_FIELDS} } } }`,
    );
    expect(stored.botId).toBe(doc.botId);
    expect(stored.version).toBe(doc.version);
    const items = (doc.event === 'messages' ? doc.messages : doc.transcript) as Doc[];
    for (const item of items)
      expectChatlayerItem(
        stored.messages.edges.map((e) => e.node),
        item,
        doc.timestamp,
      );
    if (doc.event === 'offload') {
      expect(stored).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED', offload: { offloadedAt: new Date(doc.timestamp as string).toISOString() } });
    }
    for (const again of WAYS) expect(await send(t(), 'webhook', doc, again)).toMatchObject({ accepted: 1, unchanged: 1 });
  });

  it('reads the documented message bodies (older page revision, API channel formats) inside a messages event', async () => {
    const bodies = [
      ...files('chatlayer', /^legacy-2020-offload-/).map((f) => ({ actor: f.includes('-user-') ? 'user' : 'bot', message: example('chatlayer', f) })),
      ...files('chatlayer', /^api-channel-bot-message-/).map((f) => ({ actor: 'bot', message: example('chatlayer', f).message as Doc })),
      // What Chatlayer's webhook channel posts to a custom channel: its `message` is a bot message body.
      { actor: 'bot', message: example('chatlayer', 'webhook-channel-outbound-bot-message-text.json').message as Doc },
    ];
    const items = bodies.map((b, i) => ({ ...b, timestamp: new Date(Date.UTC(2026, 10, 20, 9, 0, i)).toISOString() }));
    const event = { event: 'messages', botId: 'ko3123ze', version: 'LIVE', sessionId: `bodies-${way}`, messages: items };
    expect(await send(t(), 'webhook', event, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await sessionOf(t(), 'CHATLAYER', `bodies-${way}`, `messages(first: 100) { edges { node { ${CHATLAYER_MESSAGE_FIELDS} } } }`);
    expect(stored.messages.edges).toHaveLength(items.length);
    for (const item of items)
      expectChatlayerItem(
        stored.messages.edges.map((e) => e.node),
        item,
        null,
      );
    const types = stored.messages.edges.map((e) => e.node.type);
    expect(types).toEqual(expect.arrayContaining(['INTRO', 'TEXT', 'POSTBACK', 'LOCATION', 'UPLOAD', 'CHOICES', 'CARDS', 'ATTACHMENT']));
  });

  it('stores the documented session data', async () => {
    const doc = example('chatlayer', 'session-data-internal.json');
    expect(await send(t(), 'chatlayer', doc, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await sessionOf(
      t(),
      'CHATLAYER',
      doc.sessionId as string,
      `channel language ... on ChatlayerSession { version locale preferredLanguage currentDialogState { name id type } previousDialogState { name id type } nlp { expression intent { name score } intents { name score } sentiment { name score } entities } }`,
    );
    const nlp = doc.nlp as Doc;
    expect(stored).toMatchObject({
      botId: doc.botId,
      version: doc.version,
      channel: 'web',
      language: 'en',
      locale: doc.locale,
      preferredLanguage: doc.preferredLanguage,
      currentDialogState: doc.currentDialogstate,
      previousDialogState: doc.previousDialogstate,
      nlp: { expression: nlp.expression, intent: nlp.intent, intents: nlp.intents, sentiment: nlp.sentiment, entities: nlp.entities },
    });
  });
});

// ---- Genesys Cloud: documents built from the SDK's models (no Genesys-published bodies exist; see README) ----

/** Sends several documents the given way: a JSON array (or the page as sent), NDJSON lines, or one mutation. */
async function sendMany(t: TestGateway, route: Route, page: Doc, way: Way): Promise<Report & { warnings: { path: string }[] }> {
  const r = ROUTES[route];
  const docs = page.entities as Doc[];
  if (way === 'json' || way === 'ndjson') {
    const body = way === 'json' ? page : `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`;
    const reply = await t.ingest(r.path, body, way === 'json' ? undefined : 'application/x-ndjson');
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  }
  const result = await t.graphql<{ report: Report & { warnings: { path: string }[] } }>(
    `mutation ($items: [${r.input}!]!) { report: ${r.field}(${r.arg}: $items) { accepted created updated unchanged rejectedCount rejected { index path message } warnings { index path message } } }`,
    { items: docs },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.report;
}

describe.each(WAYS)('Genesys Cloud documents (built from the SDK models), sent as %s', (way) => {
  const t = () => gateways.get(way)!;

  it('stores a bot flow sessions page: the newer transfer results and user agents, a channel without userAgent (a warning)', async () => {
    const page = example('genesys', 'sdk-model-botflow-sessions-page.json');
    const report = await sendMany(t(), 'botFlow', page, way);
    expect(report).toMatchObject({ accepted: 2, created: 2, rejectedCount: 0 });
    expect(report.warnings).toEqual([expect.objectContaining({ index: 1, path: '$.channel.userAgent' })]);
    for (const doc of page.entities as Doc[]) {
      const stored = await sessionOf(
        t(),
        'GENESYS_CLOUD',
        doc.id as string,
        `channel language ... on BotFlowSession { flow { id } botChannel { nameRaw inputModesRaw outputModesRaw userAgent { name nameRaw } } endLanguage botResult botResultRaw botResultCategoryRaw dateCreated dateCompleted conversationRef { id selfUri } }`,
      );
      const channel = doc.channel as Doc;
      expect(stored).toMatchObject({
        status: 'TRANSFERRED',
        outcome: 'ESCALATED',
        botId: (doc.flow as Doc).id,
        flow: doc.flow,
        botChannel: {
          nameRaw: channel.name,
          inputModesRaw: channel.inputModes,
          outputModesRaw: channel.outputModes,
          userAgent: channel.userAgent ? { name: 'INSTAGRAM', nameRaw: (channel.userAgent as Doc).name } : null,
        },
        endLanguage: doc.endLanguage ?? null,
        botResultRaw: doc.botResult,
        botResultCategoryRaw: doc.botResultCategory ?? null,
        dateCreated: doc.dateCreated,
        dateCompleted: doc.dateCompleted,
        conversationRef: { id: (doc.conversation as Doc).id, selfUri: (doc.conversation as Doc).selfUri ?? null },
      });
      expect(stored.botResult).not.toBe('UNKNOWN');
    }
  });

  it('stores a reporting turns page: both turns of one millisecond, every nested model readable on the message', async () => {
    const page = example('genesys', 'sdk-model-reporting-turns-page.json');
    expect(await sendMany(t(), 'turns', page, way)).toMatchObject({ accepted: 2, rejectedCount: 0 });
    const result = await t().graphql<{ session: { messages: { edges: { node: Doc }[] } } }>(
      `{ session(vendor: GENESYS_CLOUD, kind: BOT_FLOW, externalId: "5f4e3d2c-1b0a-4987-8654-3210fedcba98") {
          messages(first: 10) { edges { node { sender text intent turn {
            userInput botPrompts askActionResult askActionResultRaw askAction { actionId actionName actionNumber actionTypeRaw }
            intent { name id confidence slots { name value type confidence } }
            knowledge { knowledgeBaseId search { searchId query documents { id question answer confidence } } }
            sessionEndDetails { typeRaw reason } dateCreated dateCompleted } } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.session.messages.edges.map((e) => e.node);
    expect(nodes.map((n) => n.text).sort()).toEqual(['Hi! How can I help you today?', 'I want to talk to a person', 'Sorry, I did not get that.'].sort());
    const [first, second] = page.entities as Doc[];
    const answer = nodes.find((n) => n.sender === 'USER')!;
    expect(answer.intent).toBe('TalkToAgent');
    expect(answer.turn).toMatchObject({
      userInput: first!.userInput,
      botPrompts: first!.botPrompts,
      askActionResult: 'AGENT_REQUESTED_BY_USER',
      askAction: (({ actionType, ...rest }: Doc) => ({ ...rest, actionTypeRaw: actionType }))(first!.askAction as Doc),
      intent: first!.intent,
      knowledge: first!.knowledge,
      sessionEndDetails: { typeRaw: 'Exit', reason: 'TransferToUser' },
    });
    const guardrail = nodes.find((n) => n.text === 'Sorry, I did not get that.')!;
    expect(guardrail.turn).toMatchObject({ askActionResult: 'GUARDRAILS_VIOLATION', askActionResultRaw: second!.askActionResult });
  });

  it('stores an app journey session with every field the SDK added since the seed', async () => {
    const doc = example('genesys', 'sdk-model-journey-session-app.json');
    expect(await send(t(), 'journey', doc, way)).toMatchObject({ accepted: 1, rejectedCount: 0 });
    const stored = await sessionOf(
      t(),
      'GENESYS_CLOUD',
      doc.id as string,
      `channel ... on JourneySession { app { name namespace version buildNumber } sdkLibrary { name version }
        networkConnectivity { carrier bluetoothEnabled cellularEnabled wifiEnabled } divisionIds lastScreen
        caseAssociations { id caseReference dateAssociated associatedCase { id } } caseReference caseStatus caseStatusRaw
        eventCount screenviewCount lastEvent { id eventName createdDate } authenticated }`,
    );
    expect(stored).toMatchObject({
      channel: 'app',
      app: doc.app,
      sdkLibrary: doc.sdkLibrary,
      networkConnectivity: doc.networkConnectivity,
      divisionIds: doc.divisionIds,
      lastScreen: doc.lastScreen,
      caseAssociations: [{ ...(doc.caseAssociations as Doc[])[0], dateAssociated: '2026-05-14T08:55:00.000Z' }],
      caseReference: doc.caseReference,
      caseStatus: 'IN_PROGRESS',
      caseStatusRaw: 'InProgress',
      eventCount: doc.eventCount,
      screenviewCount: doc.screenviewCount,
      lastEvent: doc.lastEvent,
      authenticated: true,
    });
  });
});
