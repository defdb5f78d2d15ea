// Personal data needs the `pii` scope: without it the field is null with PII_SCOPE_REQUIRED at its
// path, a personal member inside a JSON value (`vendorData`) is null without an error, and everything
// else (counts included) still works. Message text is personal only where the tenant says so. Every
// member the models mark, on every path of the graph: ./pii-governed.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
const keys: Record<string, string> = {};

async function as(key: string, query: string) {
  const response = await t.gateway.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  };
}

async function ingest(key: string, path: string, body: unknown) {
  const response = await t.gateway.yoga.fetch(`http://parley.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  t = await startTestGateway();
  keys.writer = (await createApiKey(t.db.prisma, { tenantSlug: 'acme', scopes: ['read', 'ingest', 'pii'] })).key;
  keys.reader = (await createApiKey(t.db.prisma, { tenantSlug: 'acme', scopes: ['read'] })).key;
  keys.trusted = (await createApiKey(t.db.prisma, { tenantSlug: 'acme', scopes: ['read', 'pii'] })).key;
  await ingest(keys.writer, '/ingest/genesys/journey-sessions', journeyFixtures);
  await ingest(keys.writer, '/ingest/einstein/sessions', einsteinFixtures);
});
afterAll(() => t.close());

const journeyQuery = `{
  sessions(first: 10, filter: { kinds: [JOURNEY] }) {
    totalCount
    edges { node { externalId ... on JourneySession { ipAddress customerId geolocation { country } type } } }
  }
}`;

describe('personal data', () => {
  it('is null with PII_SCOPE_REQUIRED for a key without pii, while the rest and the counts resolve', async () => {
    const result = await as(keys.reader!, journeyQuery);
    const sessions = result.data!.sessions as { totalCount: number; edges: { node: Record<string, unknown> }[] };
    expect(sessions.totalCount).toBe(journeyFixtures.length);
    for (const { node } of sessions.edges) {
      expect(node.ipAddress).toBeNull();
      expect(node.customerId).toBeNull();
      expect(node.externalId).toEqual(expect.any(String));
    }
    const codes = new Set(result.errors!.map((e) => e.extensions?.code));
    expect(codes).toEqual(new Set(['PII_SCOPE_REQUIRED']));
    expect(result.errors!.some((e) => e.path?.at(-1) === 'ipAddress')).toBe(true);
    // The error names the field at fault, on the type that holds it.
    expect(result.errors!.find((e) => e.path?.at(-1) === 'ipAddress')?.message).toMatch(/^`JourneySession\.ipAddress` is personal data/);
  });

  it('is there for a key with pii', async () => {
    const result = await as(keys.trusted!, journeyQuery);
    expect(result.errors).toBeUndefined();
    const withIp = journeyFixtures.filter((j) => j.ipAddress).map((j) => j.ipAddress);
    const ips = (result.data!.sessions as { edges: { node: { ipAddress: string | null } }[] }).edges.map((e) => e.node.ipAddress);
    for (const ip of withIp) expect(ips).toContain(ip);
  });

  it("keeps a Chatlayer offload's payload, readable with pii only", async () => {
    const payload = { customer: { email: 'ada@example.com', tier: 'gold' }, reason: 'billing' };
    await ingest(keys.writer!, '/ingest/chatlayer/webhook', {
      event: 'offload',
      botId: 'cl-bot',
      version: 'LIVE',
      sessionId: 'offload-with-payload',
      timestamp: '2026-11-20T10:05:00.000Z',
      payload,
    });
    const query = `{ session(vendor: CHATLAYER, externalId: "offload-with-payload") { status ... on ChatlayerSession { offload { offloadedAt payload } } } }`;
    const hidden = await as(keys.reader!, query);
    expect(hidden.data!.session).toEqual({ status: 'TRANSFERRED', offload: { offloadedAt: '2026-11-20T10:05:00.000Z', payload: null } });
    expect(hidden.errors!.map((e) => [e.path?.at(-1), e.extensions?.code])).toEqual([['payload', 'PII_SCOPE_REQUIRED']]);
    const shown = await as(keys.trusted!, query);
    expect(shown.errors).toBeUndefined();
    expect(shown.data!.session).toEqual({ status: 'TRANSFERRED', offload: { offloadedAt: '2026-11-20T10:05:00.000Z', payload } });
  });

  it('withholds the issue-22 journey fields: subject, search terms, URLs, external id', async () => {
    await ingest(keys.writer!, '/ingest/genesys/journey-sessions', [
      {
        id: 'journey-with-an-email',
        type: 'web',
        externalId: 'ada@example.com',
        conversationSubject: 'Invoice for Ada Lovelace',
        searchTerms: ['ada lovelace invoice'],
        lastPage: { url: 'https://shop.example/account?email=ada@example.com', pathname: '/account', domain: 'shop.example', hostname: 'shop.example' },
        referrer: { url: 'https://mail.example/?to=ada@example.com', domain: 'mail.example', hostname: 'mail.example', medium: 'email' },
      },
    ]);
    const query = `{ session(vendor: GENESYS_CLOUD, kind: JOURNEY, externalId: "journey-with-an-email") {
      channel ... on JourneySession { sourceExternalId conversationSubject searchTerms lastPage { url pathname domain } referrer { url domain medium } }
    } }`;
    const hidden = await as(keys.reader!, query);
    expect(JSON.stringify(hidden)).not.toMatch(/ada/i);
    expect(hidden.data!.session).toEqual({
      channel: 'web',
      sourceExternalId: null,
      conversationSubject: null,
      searchTerms: null,
      lastPage: { url: null, pathname: null, domain: 'shop.example' },
      referrer: { url: null, domain: 'mail.example', medium: 'EMAIL' },
    });
    expect(hidden.errors!.map((e) => [e.path!.slice(1).join('.'), e.extensions?.code]).sort()).toEqual(
      [
        ['conversationSubject', 'PII_SCOPE_REQUIRED'],
        ['lastPage.pathname', 'PII_SCOPE_REQUIRED'],
        ['lastPage.url', 'PII_SCOPE_REQUIRED'],
        ['referrer.url', 'PII_SCOPE_REQUIRED'],
        ['searchTerms', 'PII_SCOPE_REQUIRED'],
        ['sourceExternalId', 'PII_SCOPE_REQUIRED'],
      ].sort(),
    );
    const shown = await as(keys.trusted!, query);
    expect(shown.errors).toBeUndefined();
    expect((shown.data!.session as { conversationSubject: string }).conversationSubject).toBe('Invoice for Ada Lovelace');
  });

  it("keeps a Chatlayer location message's vendorData, with the place and the sender withheld as null and no error", async () => {
    await ingest(keys.writer!, '/ingest/chatlayer/webhook', {
      event: 'messages',
      botId: 'cl-bot',
      version: 'LIVE',
      sessionId: 'shares-a-place',
      timestamp: '2026-11-20T10:00:00.000Z',
      messages: [
        {
          actor: 'user',
          message: { messageType: 'location', coordinates: { lat: 51.5072, long: -0.1276 }, sender: { id: '+447700900123', firstname: 'Ada' }, id: 'loc-1' },
          timestamp: '2026-11-20T10:00:00.000Z',
        },
      ],
    });
    const query = `{ session(vendor: CHATLAYER, externalId: "shares-a-place") { messages(first: 5) { totalCount edges { node { type location { latitude longitude } vendorData } } } } }`;
    type Answer = {
      session: { messages: { totalCount: number; edges: { node: { type: string; location: unknown; vendorData: Record<string, unknown> } }[] } };
    };
    const hidden = await as(keys.reader!, query);
    const message = (hidden.data as Answer).session.messages.edges[0]!.node;
    expect(JSON.stringify(hidden)).not.toMatch(/51\.5072|0\.1276|447700900123|Ada/);
    expect((hidden.data as Answer).session.messages.totalCount).toBe(1);
    expect(message.type).toBe('LOCATION');
    expect(message.location).toBeNull();
    expect(message.vendorData).toEqual({
      actor: 'user',
      message: { messageType: 'location', coordinates: null, sender: null, id: 'loc-1' },
      timestamp: '2026-11-20T10:00:00.000Z',
    });
    // The typed field is refused; the JSON value is not: it answers with the member withheld.
    expect(hidden.errors!.map((e) => [e.path?.at(-1), e.extensions?.code])).toEqual([['location', 'PII_SCOPE_REQUIRED']]);
    const shown = await as(keys.trusted!, query);
    expect(shown.errors).toBeUndefined();
    const full = (shown.data as Answer).session.messages.edges[0]!.node;
    expect(full.location).toEqual({ latitude: 51.5072, longitude: -0.1276 });
    expect((full.vendorData.message as Record<string, unknown>).coordinates).toEqual({ lat: 51.5072, long: -0.1276 });
  });

  it('covers message text only when the tenant marks it personal', async () => {
    const query = `{ sessions(first: 5, filter: { kinds: [EINSTEIN_BOT] }) { edges { node { messages(first: 20) { totalCount edges { node { sender text choices { label } vendorData } } } } } } }`;
    expect((await as(keys.reader!, query)).errors).toBeUndefined();
    await t.db.prisma.tenant.update({ where: { slug: 'acme' }, data: { messageTextIsPii: true } });
    // Keys are cached briefly with their tenant's settings; a fresh gateway sees the change at once.
    const fresh = await (await import('../../src/gateway.js')).createGateway({ database: t.db, logError: () => {} });
    const run = async (key: string) =>
      (await (
        await fresh.yoga.fetch('http://parley.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query }),
        })
      ).json()) as {
        data: {
          sessions: {
            edges: {
              node: {
                messages: { totalCount: number; edges: { node: { text: string | null; choices: unknown[] | null; vendorData: Record<string, unknown> } }[] };
              };
            }[];
          };
        };
        errors?: { extensions?: { code?: string } }[];
      };
    const hidden = await run(keys.reader!);
    expect(hidden.errors?.every((e) => e.extensions?.code === 'PII_SCOPE_REQUIRED')).toBe(true);
    const first = hidden.data.sessions.edges[0]!.node.messages;
    expect(first.totalCount).toBeGreaterThan(0);
    expect(first.edges.every((e) => e.node.text === null)).toBe(true);
    // What is made of the text follows it: the choices' labels, and the text inside vendorData (the rest of
    // the document stays readable).
    const messages = (answer: typeof hidden) => answer.data.sessions.edges.flatMap((e) => e.node.messages.edges.map((m) => m.node));
    for (const message of messages(hidden)) {
      expect(message.choices).toBeNull();
      if ('text' in message.vendorData) expect(message.vendorData.text).toBeNull();
      if ('choices' in message.vendorData) expect(message.vendorData.choices).toBeNull();
      expect(message.vendorData.type).toEqual(expect.any(String));
    }
    const shown = await run(keys.trusted!);
    expect(shown.errors).toBeUndefined();
    expect(shown.data.sessions.edges[0]!.node.messages.edges.some((e) => e.node.text !== null)).toBe(true);
    expect(messages(shown).some((m) => m.choices !== null && m.choices.length > 0 && Array.isArray(m.vendorData.choices))).toBe(true);
  });
});
