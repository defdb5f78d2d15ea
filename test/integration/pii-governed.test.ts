// Personal data is governed wherever it appears (README, "Personal data"). For every member the vendor
// models mark personal (enumerated from the models, not listed here), a document of each ingest route
// carrying a unique marker at that member is ingested through the route; then every field of the graph
// (selections built from the schema: every session type, its messages, its conversation, `node`,
// `nodes`, `session`, `conversation`, the other root fields, and every subscription's payloads received
// during the ingest) is read with a key without `pii` and with one with it. Without `pii` no marker
// appears anywhere in a response (data, errors, extensions); with `pii` each one does: the control that
// lets this test fail. In a tenant whose message text is personal the `text` members are withheld too;
// in one whose text is not, they are readable without `pii`.
import { randomBytes, randomInt } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { INGEST_ROUTES } from '../../src/ingest/types.js';
import { schema } from '../../src/schema/index.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { ChatlayerFlatSession, ChatlayerMessagesEvent, ChatlayerOffloadEvent, ChatlayerWrappedSession } from '../../src/vendors/chatlayer/model.js';
import { EinsteinBotSession } from '../../src/vendors/einstein/model.js';
import { BotFlowSession, SessionReportingTurn } from '../../src/vendors/genesys-bot-flow/model.js';
import { JourneySession } from '../../src/vendors/genesys-journey/model.js';
import { personalPlaces, type PathStep, type PersonalPlace } from '../../src/vendors/personal-data.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeWs, untilSubscribers, wsClient, type Received } from '../helpers/live.js';
import { SelectionBuilder } from '../helpers/selection.js';

type Doc = Record<string, unknown>;

// ---- markers ----

/** Unique values, each findable as text in a JSON response; every one made is a marker of its case. */
class Markers {
  readonly all: string[] = [];
  private count = 0;
  constructor(private readonly tag: string) {}
  private keep<T extends string | number>(value: T): T {
    this.all.push(String(value));
    return value;
  }
  str(): string {
    return this.keep(`pii${this.tag}${(this.count++).toString(36)}q${randomBytes(5).toString('hex')}`);
  }
  /** Fits GraphQL's 32-bit Int. */
  int(): number {
    return this.keep(1_100_000_000 + randomInt(900_000_000));
  }
  float(): number {
    const digits = `${String(randomInt(100_000_000, 999_999_999))}`.replace(/0$/, '7');
    return this.keep(Number(`${String(randomInt(10, 80))}.${digits}`));
  }
  date(): string {
    return this.keep(new Date(Date.UTC(2041, 0, 1) + randomInt(1_000_000_000)).toISOString());
  }
}

interface Shape {
  type?: string | string[];
  const?: unknown;
  format?: string;
  enumName?: string;
  freeForm?: string;
  properties?: Record<string, TSchema>;
  patternProperties?: Record<string, TSchema>;
  items?: TSchema;
  graphql?: { int?: string; output?: string | false };
}
const shape = (schema: TSchema) => schema as unknown as Shape;

/** A valid value of `schema` made of markers wherever a value can carry one. */
function sample(schema: TSchema, mk: Markers): unknown {
  const s = shape(schema);
  if (s.const !== undefined) return s.const;
  if (s.format === 'date-time') return mk.date();
  if (s.enumName !== undefined) return mk.str();
  if (Array.isArray(s.type)) return mk.str();
  switch (s.type) {
    case 'string':
      return mk.str();
    case 'integer':
      return mk.int();
    case 'number':
      return s.graphql?.int === 'Int' ? mk.int() : mk.float();
    case 'boolean':
      return true;
    case 'array':
      return [sample(s.items!, mk)];
    case 'object': {
      const values = Object.values(s.patternProperties ?? {})[0];
      if (values !== undefined) return { [mk.str()]: sample(values, mk) };
      const members = Object.entries(s.properties ?? {}).map(([name, member]) => [name, sample(member, mk)]);
      return members.length === 0 ? { note: mk.str() } : Object.fromEntries(members);
    }
    default:
      // Free-form JSON.
      return { note: mk.str() };
  }
}

/**
 * Free-form members hold what their vendor puts there, which the model leaves open: markers in the
 * shapes the vendor sends (test/fixtures/vendor-examples/chatlayer), so the fields that read those
 * shapes (`Message.text`, `choices`, `attachments`, `location`) see them. Keyed by the member's path.
 */
const SHAPES: Record<string, ((mk: Markers) => unknown)[]> = {
  message: [
    (mk) => mk.str(),
    (mk) => ({ messageType: 'text', text: mk.str() }),
    (mk) => ({ messageType: 'postback', title: mk.str(), postback: mk.str() }),
    (mk) => ({ text: mk.str(), quick_replies: [{ title: mk.str(), payload: mk.str(), content_type: 'text' }] }),
    (mk) => ({
      attachment: {
        type: 'template',
        payload: { template_type: 'button', text: mk.str(), buttons: [{ type: 'postback', title: mk.str(), payload: mk.str() }] },
      },
    }),
    (mk) => ({
      attachment: {
        type: 'template',
        payload: { template_type: 'generic', elements: [{ title: mk.str(), subtitle: mk.str(), image_url: `https://cdn.example/${mk.str()}.png` }] },
      },
    }),
    (mk) => ({ attachment: { type: 'image', payload: { url: `https://cdn.example/${mk.str()}.png` } } }),
    (mk) => ({ messageType: 'fileUploadInputResult', urls: [`https://cdn.example/${mk.str()}.pdf`], data: { fileUrl: `https://cdn.example/${mk.str()}.pdf` } }),
  ],
  'message.coordinates': [(mk) => ({ lat: mk.float(), long: mk.float() })],
  'message.location': [(mk) => ({ latitude: mk.float(), longitude: mk.float() })],
  'message.sender': [(mk) => ({ id: mk.str(), botId: 'cl-bot', firstname: mk.str(), lastname: mk.str() })],
};

/** The values a place is tested with: its vendor's shapes for a free-form member, else one made from its schema. */
function valuesFor(place: PersonalPlace): ((mk: Markers) => unknown)[] {
  if (shape(place.schema).freeForm !== undefined) {
    const members = place.steps.flatMap((step) => ('member' in step ? [step.member] : []));
    const known = SHAPES[members.slice(-2).join('.')] ?? SHAPES[members.slice(-1).join('.')];
    if (known !== undefined) return known;
  }
  return [(mk) => sample(place.schema, mk)];
}

/** Sets `value` at `steps` in `doc`, creating the objects on the way (a list's first item, a map's entry). */
function setAt(doc: Doc, steps: readonly PathStep[], value: unknown): void {
  let node: unknown = doc;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const next = steps[i + 1];
    const fresh = () => (next !== undefined && 'items' in next ? [{}] : {});
    if ('member' in step) {
      const object = node as Doc;
      if (last) object[step.member] = value;
      else node = object[step.member] ??= fresh();
    } else if ('items' in step) {
      const list = node as unknown[];
      if (last) list[0] = value;
      else node = list[0] ??= fresh();
    } else {
      const map = node as Doc;
      if (last) map.entry = value;
      else node = map.entry ??= fresh();
    }
  });
}

/** The schemas from the model down to the place, outermost first. */
function schemasAlong(model: TSchema, steps: readonly PathStep[]): TSchema[] {
  const along: TSchema[] = [];
  let at = model;
  for (const step of steps) {
    const s = shape(at);
    at = 'member' in step ? s.properties![step.member]! : 'items' in step ? s.items! : Object.values(s.patternProperties!)[0]!;
    along.push(at);
  }
  return along;
}

// ---- the ingest routes and a valid document of each ----

const time = (minute: number) => new Date(Date.UTC(2026, 2, 3, 9, minute, 0)).toISOString();

const turn = (minute: number) => ({
  dateCreated: time(minute),
  dateCompleted: time(minute),
  botPrompts: ['How can I help?'],
  userInput: 'my invoice',
  askAction: { actionId: 'a1', actionName: 'Ask', actionNumber: 1, actionType: 'AskForNLUIntentAction' },
  intent: { name: 'Billing', id: 'i1', confidence: 0.9, slots: [{ name: 'topic', value: 'invoice', type: 'topic', confidence: 0.8 }] },
  knowledge: {
    knowledgeBaseId: 'kb1',
    search: { searchId: 's1', query: 'invoice', documents: [{ id: 'd1', question: 'Where is my invoice?', answer: 'In your account.', confidence: 0.7 }] },
  },
  knowledgeBaseEvents: { search: [{ searchId: 's1', knowledgeBaseId: 'kb1', searchQuery: 'invoice', documents: [] }], feedback: [] },
  askActionResult: 'SuccessCollection',
});

const chatlayerInternal = (id: string) => ({
  sessionId: id,
  botId: 'cl-bot',
  version: 'LIVE',
  channel: 'web',
  user: { firstName: 'Guest' },
  preferredLanguage: 'en',
  nlp: { expression: 'hello', intent: { name: 'Greeting', score: 1 }, entities: [], intents: [{ name: 'Greeting', score: 1 }] },
  messageContent: 'hello',
  messageType: 'text',
});

const chatlayerMessages = (id: string, minute: number) => ({
  event: 'messages',
  botId: 'cl-bot',
  version: 'LIVE',
  sessionId: id,
  channel: 'web',
  timestamp: time(minute),
  messages: [{ actor: 'user', message: { messageType: 'text', text: 'hello' }, timestamp: time(minute) }],
});

interface RouteCase {
  name: string;
  path: string;
  model: TSchema;
  /** A valid document for session `id`, its times `minute` minutes into the test day. */
  document(id: string, minute: number): Doc;
  /** What makes the session exist before the marked document arrives (default: the document, earlier). */
  setup?(id: string): { path: string; body: Doc };
  /** The members whose content becomes messages (read whole in `Message.vendorData`); `all`: the document is one. */
  messageMembers: readonly string[] | 'all';
}

const ROUTES: RouteCase[] = [
  {
    name: 'journey',
    path: INGEST_ROUTES['genesys.journeySessions'],
    model: JourneySession,
    document: (id) => ({ id, type: 'web', customerIdType: 'cookie', conversation: { id: `conv-${id}` } }),
    messageMembers: [],
  },
  {
    name: 'botflow',
    path: INGEST_ROUTES['genesys.botFlowSessions'],
    model: BotFlowSession,
    document: (id, minute) => ({
      id,
      flow: { id: 'flow-1' },
      channel: { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } },
      language: 'en-us',
      conversation: { id: `conv-${id}` },
      turns: [turn(minute)],
    }),
    messageMembers: ['turns'],
  },
  {
    name: 'turn',
    path: INGEST_ROUTES['genesys.reportingTurns'],
    model: SessionReportingTurn,
    document: (id, minute) => ({ ...turn(minute), sessionId: id }),
    setup: (id) => ({ path: INGEST_ROUTES['genesys.botFlowSessions'], body: { id, flow: { id: 'flow-1' }, conversation: { id: `conv-${id}` } } }),
    messageMembers: 'all',
  },
  {
    name: 'einstein',
    path: INGEST_ROUTES['einstein.sessions'],
    model: EinsteinBotSession,
    document: (id, minute) => ({
      sessionId: id,
      botId: 'ein-bot',
      status: 'Active',
      externalSessionKey: `conv-${id}`,
      messages: [{ type: 'Choices', sender: 'Bot', text: 'Pick one', timestamp: time(minute), choices: [{ label: 'Billing', value: 'billing', index: 0 }] }],
      variables: [{ name: 'lang', type: 'text', value: 'en' }],
      entities: [],
    }),
    messageMembers: ['messages'],
  },
  {
    name: 'clflat',
    path: INGEST_ROUTES['chatlayer.sessions'],
    model: ChatlayerFlatSession,
    document: (id) => ({ ...chatlayerInternal(id), variables: { conversationId: `conv-${id}` } }),
    messageMembers: [],
  },
  {
    name: 'clwrapped',
    path: INGEST_ROUTES['chatlayer.sessions'],
    model: ChatlayerWrappedSession,
    document: (id) => ({ internal: chatlayerInternal(id), variables: { conversationId: `conv-${id}` } }),
    messageMembers: [],
  },
  {
    name: 'clmessages',
    path: INGEST_ROUTES['chatlayer.webhook'],
    model: ChatlayerMessagesEvent,
    document: chatlayerMessages,
    messageMembers: ['messages'],
  },
  {
    name: 'cloffload',
    path: INGEST_ROUTES['chatlayer.webhook'],
    model: ChatlayerOffloadEvent,
    document: (id, minute) => ({
      event: 'offload',
      botId: 'cl-bot',
      version: 'LIVE',
      sessionId: id,
      timestamp: time(minute),
      transcript: [{ actor: 'user', message: { messageType: 'text', text: 'agent please' }, timestamp: time(minute) }],
      payload: { reason: 'billing' },
    }),
    setup: (id) => ({ path: INGEST_ROUTES['chatlayer.webhook'], body: chatlayerMessages(id, 0) }),
    messageMembers: ['transcript'],
  },
];

interface MarkerCase {
  label: string;
  sessionId: string;
  route: RouteCase;
  place: PersonalPlace;
  document: Doc;
  markers: string[];
  /** Whether any field shows the member to a key with `pii` (some members are kept in the stored document only). */
  readable: boolean;
}

function markerCases(tenantTag: string): MarkerCase[] {
  const cases: MarkerCase[] = [];
  for (const route of ROUTES) {
    for (const place of personalPlaces(route.model)) {
      const first = place.steps[0]!;
      const inMessage = route.messageMembers === 'all' || ('member' in first && route.messageMembers.includes(first.member));
      const readable = inMessage || !schemasAlong(route.model, place.steps).some((s) => shape(s).graphql?.output === false);
      for (const make of valuesFor(place)) {
        const sessionId = `${route.name}-${String(cases.length)}`;
        const mk = new Markers(`${tenantTag}${String(cases.length)}`);
        const document = route.document(sessionId, 10);
        setAt(document, place.steps, make(mk));
        cases.push({ label: `${route.name} ${place.path} (${place.rule})`, sessionId, route, place, document, markers: mk.all, readable });
      }
    }
  }
  return cases;
}

// ---- the gateway ----

let t: TestGateway;
let server: ListeningServer;
const select = new SelectionBuilder(schema);
const Query = schema.getQueryType()!;
const Subscription = schema.getSubscriptionType() as GraphQLObjectType;

beforeAll(async () => {
  // Production, as partners meet it; the limits are lifted for the walk's whole-graph selections.
  t = await startTestGateway({
    production: true,
    security: {
      rateLimit: null,
      limits: { maxDepth: 100, maxAliases: 100, maxTokens: 1_000_000, maxDirectives: 100, maxCost: 1_000_000_000 },
      // One tenant reads the whole graph over and over here: no other tenant's share to keep.
      shares: { queryCost: 1_000_000_000, liveCost: 1_000_000_000, liveExecutions: 8, metricsRecounts: 4, ingestChunks: 4, busyMsPerSecond: 1_000_000 },
    },
  });
  server = await listen(t.gateway, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await t.close();
});

interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  extensions?: unknown;
}

async function graphql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> {
  const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as GraphqlAnswer;
  expect(response.status, JSON.stringify(answer.errors)).toBe(200);
  return answer;
}

async function ingest(key: string, path: string, items: Doc[]): Promise<void> {
  const response = await t.gateway.yoga.fetch(`http://parley.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(items),
  });
  const report = (await response.json()) as { accepted: number; pending: number; rejected: unknown[] };
  expect(response.status, JSON.stringify(report)).toBe(200);
  expect(report.rejected, path).toEqual([]);
  expect(report.accepted).toBe(items.length);
  expect(report.pending).toBe(0);
}

/** Each group's items on its route, one request per route. */
async function ingestAll(key: string, items: { path: string; body: Doc }[]): Promise<void> {
  const byPath = new Map<string, Doc[]>();
  for (const { path, body } of items) byPath.set(path, [...(byPath.get(path) ?? []), body]);
  for (const [path, bodies] of byPath) await ingest(key, path, bodies);
}

// ---- reading the whole graph ----

interface SessionRef {
  id: string;
  __typename: string;
  vendor: string;
  kind: string;
  externalId: string;
  conversation: { id: string; externalId: string } | null;
  messages: { edges: { node: { id: string } }[] };
}

const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size));

/** Every response a key gets reading everything it can, through every entry point of `Query`. */
async function readEverything(key: string): Promise<{ answers: GraphqlAnswer[]; sessions: SessionRef[] }> {
  const answers: GraphqlAnswer[] = [];
  const sessions: SessionRef[] = [];
  const sessionsQuery = `query ($after: String) { ${select.field(Query, 'sessions', '(first: 100, after: $after)')} }`;
  let after: string | null = null;
  do {
    const answer = await graphql(key, sessionsQuery, { after });
    answers.push(answer);
    const page = answer.data!.sessions as { edges: { node: SessionRef }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    sessions.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);

  const conversations = [...new Map(sessions.flatMap((s) => (s.conversation ? [[s.conversation.id, s.conversation] as const] : []))).values()];
  const messageIds = sessions.flatMap((s) => s.messages.edges.map((e) => e.node.id));
  const ids = [...sessions.map((s) => s.id), ...messageIds, ...conversations.map((c) => c.id)];

  for (const part of chunks(ids, 20))
    answers.push(await graphql(key, `query ($ids: [ID!]!) { ${select.field(Query, 'nodes', '(ids: $ids)')} }`, { ids: part }));
  // Aliased, a few per request: each alias is a whole-graph selection.
  const aliased = async (items: readonly unknown[], per: number, variable: string, type: string, field: (i: number) => string) => {
    for (const part of chunks(items, per)) {
      const declared = part.map((_, i) => `$${variable}${String(i)}: ${type}`).join(', ');
      const fields = part.map((_, i) => `a${String(i)}: ${field(i)}`).join(' ');
      answers.push(await graphql(key, `query (${declared}) { ${fields} }`, Object.fromEntries(part.map((value, i) => [`${variable}${String(i)}`, value]))));
    }
  };
  await aliased(
    ids.filter((id) => !messageIds.includes(id)),
    5,
    'id',
    'ID!',
    (i) => select.field(Query, 'node', `(id: $id${String(i)})`),
  );
  for (const part of chunks(sessions, 10)) {
    const declared = part.map((_, i) => `$v${String(i)}: Vendor!, $k${String(i)}: SessionKind, $e${String(i)}: String!`).join(', ');
    const fields = part
      .map((_, i) => `a${String(i)}: ${select.field(Query, 'session', `(vendor: $v${String(i)}, kind: $k${String(i)}, externalId: $e${String(i)})`)}`)
      .join(' ');
    const variables = Object.fromEntries(
      part.flatMap((s, i) => [
        [`v${String(i)}`, s.vendor],
        [`k${String(i)}`, s.kind],
        [`e${String(i)}`, s.externalId],
      ]),
    );
    answers.push(await graphql(key, `query (${declared}) { ${fields} }`, variables));
  }
  await aliased(
    conversations.map((c) => c.externalId),
    10,
    'e',
    'String',
    (i) => select.field(Query, 'conversation', `(externalId: $e${String(i)})`),
  );
  await aliased(
    conversations.map((c) => c.id),
    10,
    'c',
    'ID',
    (i) => select.field(Query, 'conversation', `(id: $c${String(i)})`),
  );
  const rest = select.rootFields(Query, ['sessions', 'nodes', 'node', 'session', 'conversation']);
  if (rest !== null) answers.push(await graphql(key, rest));
  return { answers, sessions };
}

// ---- subscriptions ----

interface Listening {
  /** `sessionUpdated` and the other subscriptions that need no argument. */
  roots: Map<string, Received<unknown>>;
  /** `sessionMessages` of each session. */
  messages: Received<unknown>[];
  dispose(): void;
}

const payloadsOf = (received: readonly Received<unknown>[]) => received.map((r) => ({ data: r.values, errors: r.errors, extensions: r.extensions }));

async function waitFor(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function listenToEverything(key: string, sessionIds: readonly string[]): Listening {
  const client = wsClient(server.url, { authorization: `Bearer ${key}` });
  const roots = new Map<string, Received<unknown>>();
  for (const name of Object.keys(Subscription.getFields())) {
    if (name === 'sessionMessages') continue;
    const field = select.rootField(Subscription, name);
    expect(field, `Subscription.${name} can be read without arguments`).not.toBeNull();
    roots.set(name, subscribeWs(client, `subscription { ${field!} }`));
  }
  const query = `subscription ($sessionId: ID!) { ${select.field(Subscription, 'sessionMessages', '(sessionId: $sessionId)')} }`;
  const messages = sessionIds.map((sessionId) => subscribeWs<unknown>(client, query, { sessionId }));
  return {
    roots,
    messages,
    dispose: () => {
      for (const received of [...roots.values(), ...messages]) received.dispose();
      void client.dispose();
    },
  };
}

// ---- the proof ----

const found = (text: string, markers: readonly string[]) => markers.filter((marker) => text.includes(marker));

describe.each([
  { tenant: 'text-not-personal', textIsPersonal: false },
  { tenant: 'text-personal', textIsPersonal: true },
])('every member the models mark personal, in a tenant $tenant', ({ tenant, textIsPersonal }) => {
  it('is nowhere in what a key without pii reads (queries, subscriptions, errors), and everywhere a key with pii looks', async () => {
    const cases = markerCases(textIsPersonal ? 't' : 'p');
    // Every ingest route is covered, and every place has a value that carries a marker.
    expect(new Set(ROUTES.map((r) => r.path))).toEqual(new Set(Object.values(INGEST_ROUTES)));
    for (const c of cases) expect(c.markers.length, c.label).toBeGreaterThan(0);

    const writer = (await createApiKey(t.db.prisma, { tenantSlug: tenant, scopes: ['ingest'] })).key;
    // As `npm run keys -- tenant set --message-text-pii true` does, before any key of the tenant is used.
    await t.db.prisma.tenant.update({ where: { slug: tenant }, data: { messageTextIsPii: textIsPersonal } });
    const reader = (await createApiKey(t.db.prisma, { tenantSlug: tenant, scopes: ['read', 'admin'] })).key;
    const trusted = (await createApiKey(t.db.prisma, { tenantSlug: tenant, scopes: ['read', 'admin', 'pii'] })).key;

    // The sessions exist first (with nothing personal in them), so that every subscription can be open
    // when the marked documents arrive.
    await ingestAll(
      writer,
      cases.map((c) => c.route.setup?.(c.sessionId) ?? { path: c.route.path, body: c.route.document(c.sessionId, 0) }),
    );
    const listed = await graphql(trusted, '{ sessions(first: 100) { totalCount edges { node { id } } } }');
    const sessionIds = (listed.data!.sessions as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
    expect(sessionIds.length).toBe(cases.length);

    const before = t.gateway.live.subscriberCount;
    const withoutPii = listenToEverything(reader, sessionIds);
    const withPii = listenToEverything(trusted, sessionIds);
    try {
      const perKey = withoutPii.roots.size + withoutPii.messages.length;
      await untilSubscribers(() => t.gateway.live.subscriberCount, before + 2 * perKey, 30_000).catch((e: unknown) => {
        throw new Error(`${String(e)}: ${JSON.stringify([...withoutPii.roots].map(([n, r]) => [n, r.errors]))}`);
      });

      await ingestAll(
        writer,
        cases.map((c) => ({ path: c.route.path, body: c.document })),
      );

      // ---- subscriptions: every payload received during the ingest ----
      const expected = cases.filter((c) => c.readable).flatMap((c) => c.markers);
      const updatedWithPii = withPii.roots.get('sessionUpdated')!;
      const updatedWithoutPii = withoutPii.roots.get('sessionUpdated')!;
      await waitFor(() => found(JSON.stringify(payloadsOf([updatedWithPii])), expected).length === expected.length, 'every marker in sessionUpdated with pii');
      // The key without pii has received the same events by then.
      await waitFor(() => updatedWithoutPii.values.length >= updatedWithPii.values.length, 'the same sessionUpdated events without pii');

      // ---- queries ----
      const hidden = await readEverything(reader);
      const shown = await readEverything(trusted);
      const hiddenText = JSON.stringify(hidden.answers);
      const shownText = JSON.stringify(shown.answers);

      const mayNotSee = (c: MarkerCase) =>
        [c.place.schema, ...schemasAlong(c.route.model, c.place.steps)].some((s) => {
          const rule = (s as { graphql?: { personal?: string } }).graphql?.personal;
          return rule === 'always' || (rule === 'text' && textIsPersonal);
        });
      const problems: string[] = [];
      for (const c of cases) {
        const leaked = found(hiddenText, c.markers);
        const visible = found(shownText, c.markers);
        if (mayNotSee(c)) {
          if (leaked.length > 0) problems.push(`${c.label}: read without pii (${leaked.join(', ')})`);
        } else if (c.readable && leaked.length !== c.markers.length) {
          problems.push(`${c.label}: message text this tenant does not mark personal, yet not readable without pii`);
        }
        if (c.readable && visible.length !== c.markers.length)
          problems.push(`${c.label}: not readable with pii (${c.markers.filter((m) => !visible.includes(m)).join(', ')})`);
        if (!c.readable && visible.length > 0) problems.push(`${c.label}: expected in the stored document only, yet read`);
      }
      expect(problems).toEqual([]);
      // The test reads what it claims to: every kind of place is there, readable with pii.
      expect(cases.filter((c) => c.readable).length).toBeGreaterThan(60);

      // Without pii the only errors are the refusals, which name fields, never values; with pii, none.
      const hiddenCodes = new Set(hidden.answers.flatMap((a) => (a.errors ?? []).map((e) => e.extensions?.code)));
      expect(hiddenCodes).toEqual(new Set(['PII_SCOPE_REQUIRED']));
      for (const answer of hidden.answers)
        for (const error of answer.errors ?? []) expect(error.message).toMatch(/^`\w+\.\w+` is personal data: it needs an API key with the `pii` scope$/);
      expect(shown.answers.flatMap((a) => a.errors ?? [])).toEqual([]);

      // Every marker a key with pii finds inside messages came in a `sessionMessages` payload too.
      const inMessages = found(JSON.stringify(shown.sessions.map((s) => s.messages)), expected);
      expect(inMessages.length).toBeGreaterThan(20);
      await waitFor(
        () => found(JSON.stringify(payloadsOf(withPii.messages)), inMessages).length === inMessages.length,
        'every message marker in sessionMessages with pii',
      );
      await waitFor(
        () => withoutPii.messages.every((received, i) => received.values.length >= withPii.messages[i]!.values.length),
        'the same sessionMessages events without pii',
      );
      const subscribedText = JSON.stringify(payloadsOf([...withoutPii.roots.values(), ...withoutPii.messages]));
      const leakedLive = cases.filter(mayNotSee).flatMap((c) => found(subscribedText, c.markers).map((m) => `${c.label}: ${m}`));
      expect(leakedLive).toEqual([]);
      const liveCodes = new Set(
        [...withoutPii.roots.values(), ...withoutPii.messages].flatMap((r) =>
          r.errors.flatMap((e) => (Array.isArray(e) ? e : [e]).map((x) => (x as { extensions?: { code?: string } }).extensions?.code)),
        ),
      );
      expect(liveCodes).toEqual(new Set(['PII_SCOPE_REQUIRED']));
      expect([...withPii.roots.values(), ...withPii.messages].flatMap((r) => r.errors)).toEqual([]);
      expect(t.loggedErrors).toEqual([]);
    } finally {
      withoutPii.dispose();
      withPii.dispose();
      await waitFor(() => t.gateway.live.subscriberCount === before, 'the subscriptions to end');
    }
  }, 300_000);
});
