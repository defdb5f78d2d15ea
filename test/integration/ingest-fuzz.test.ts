// Thousands of mutated vendor documents at every route: never a 5xx or a crash, and afterwards the
// database holds exactly the items the replies said were accepted — nothing more, nothing half-written.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestRoute } from '../../src/ingest/types.js';
import { INGEST_ROUTES } from '../../src/ingest/types.js';
import { chatlayerFixtures } from '../../src/vendors/chatlayer/fixtures.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { botFlowFixtures } from '../../src/vendors/genesys-bot-flow/fixtures.js';
import { journeyFixtures } from '../../src/vendors/genesys-journey/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

type Doc = Record<string, unknown>;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Per route: seed documents, and where the session key lives (so the test can follow each item). */
interface Target {
  route: IngestRoute;
  seeds: Doc[];
  getKey(doc: Doc): unknown;
  setKey(doc: Doc, key: string): void;
  /** Sessions this route creates, by external id (turns only wait in PendingMessage). */
  stored(keys: string[]): Promise<string[]>;
}

const chatInternal = (doc: Doc) => (doc.internal && typeof doc.internal === 'object' ? doc.internal : doc) as Doc;
const sessionsWith = (kind: 'BOT_FLOW' | 'EINSTEIN_BOT' | 'CHATLAYER' | 'JOURNEY') => async (keys: string[]) =>
  (await t.db.prisma.session.findMany({ where: { kind, externalId: { in: keys } }, select: { externalId: true } })).map((r) => r.externalId);

const webhookSeed: Doc = {
  event: 'messages',
  botId: '2231',
  version: 'LIVE',
  sessionId: 'seed',
  channel: 'web',
  messages: [{ actor: 'user', message: { text: 'hello' }, timestamp: '2026-11-19T08:00:00.000Z' }],
};

const targets: Target[] = [
  {
    route: 'einstein.sessions',
    seeds: clone(einsteinFixtures) as unknown as Doc[],
    getKey: (d) => d.sessionId,
    setKey: (d, k) => {
      d.sessionId = k;
    },
    stored: sessionsWith('EINSTEIN_BOT'),
  },
  {
    route: 'genesys.botFlowSessions',
    seeds: clone(botFlowFixtures) as unknown as Doc[],
    getKey: (d) => d.id,
    setKey: (d, k) => {
      d.id = k;
      for (const turn of (Array.isArray(d.turns) ? d.turns : []) as Doc[]) if (turn && typeof turn === 'object') turn.sessionId = k;
    },
    stored: sessionsWith('BOT_FLOW'),
  },
  {
    route: 'genesys.journeySessions',
    seeds: clone(journeyFixtures) as unknown as Doc[],
    getKey: (d) => d.id,
    setKey: (d, k) => {
      d.id = k;
    },
    stored: sessionsWith('JOURNEY'),
  },
  {
    route: 'chatlayer.sessions',
    seeds: clone(chatlayerFixtures) as unknown as Doc[],
    getKey: (d) => chatInternal(d).sessionId,
    setKey: (d, k) => {
      chatInternal(d).sessionId = k;
    },
    stored: sessionsWith('CHATLAYER'),
  },
  {
    route: 'chatlayer.webhook',
    seeds: [webhookSeed, { ...clone(webhookSeed), event: 'offload', transcript: clone(webhookSeed.messages) }],
    getKey: (d) => d.sessionId,
    setKey: (d, k) => {
      d.sessionId = k;
    },
    stored: sessionsWith('CHATLAYER'),
  },
  {
    route: 'genesys.reportingTurns',
    seeds: botFlowFixtures.flatMap((s) => clone(s.turns ?? [])) as unknown as Doc[],
    getKey: (d) => d.sessionId,
    setKey: (d, k) => {
      d.sessionId = k;
    },
    stored: async (keys) => [
      ...new Set(
        (await t.db.prisma.pendingMessage.findMany({ where: { sessionExternalId: { in: keys } }, select: { sessionExternalId: true } })).map(
          (r) => r.sessionExternalId,
        ),
      ),
    ],
  },
];

/** A mutation somewhere in the document: drop, retype, or replace with an odd value. */
const oddValue = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.constantFrom('', 'OutdatedSdkVersion', 'FutureValue', '2026-13-45T99:99:99Z', 'not a date', '\u0000', '__proto__'),
  fc.integer(),
  fc.constantFrom(2 ** 53, -1, 1e308, 0.5),
  fc.boolean(),
  fc.jsonValue({ maxDepth: 3 }),
);

function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      paths(v, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function mutate(doc: Doc, choice: number, action: number, replacement: unknown): unknown {
  const all = paths(doc).filter((p) => p.length > 0);
  if (all.length === 0) return replacement;
  const path = all[choice % all.length]!;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], doc) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (action % 3 === 0) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    parent[key] = replacement;
  }
  return doc;
}

const itemArbitrary = (seeds: Doc[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(), oddValue), { maxLength: 3 }))
        .map(([seed, mutations]) =>
          mutations.reduce<unknown>(
            (doc, [c, a, v]) => (doc && typeof doc === 'object' && !Array.isArray(doc) ? mutate(doc as Doc, c, a, v) : doc),
            clone(seeds[seed]!),
          ),
        ),
    },
    { weight: 1, arbitrary: fc.nat(seeds.length - 1).map((seed) => clone(seeds[seed]!) as unknown) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

describe('hostile payloads at every ingest route', () => {
  for (const target of targets) {
    it(`${INGEST_ROUTES[target.route]}: no 5xx, and the database holds exactly what was accepted`, async () => {
      const accepted = new Set<string>();
      const sent = new Set<string>();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(itemArbitrary(target.seeds), { minLength: 1, maxLength: 40 }), async (items) => {
          run += 1;
          const keyed = items.map((item, i) => {
            if (item && typeof item === 'object' && !Array.isArray(item) && typeof target.getKey(item as Doc) === 'string') {
              const key = `fuzz-${target.route}-${run}-${i}`;
              target.setKey(item as Doc, key);
              return { item, key };
            }
            return { item, key: null };
          });
          const body = keyed.map(({ item }) => JSON.stringify(item)).join('\n');
          const reply = await t.ingest(INGEST_ROUTES[target.route], body, 'application/x-ndjson');
          expect(reply.status, JSON.stringify(reply.body).slice(0, 500)).toBeLessThan(500);
          expect([200, 422]).toContain(reply.status);
          const rejected = new Set(reply.body.rejected.map((r) => r.index));
          expect(reply.body.accepted + reply.body.rejectedCount).toBe(items.length);
          keyed.forEach(({ key }, index) => {
            if (key) sent.add(key);
            if (!rejected.has(index)) {
              expect(key, `item ${index} was accepted without a session id: ${JSON.stringify(items[index]).slice(0, 200)}`).not.toBeNull();
              accepted.add(key!);
            }
          });
        }),
        { numRuns: 25, seed: 20261121 },
      );
      const stored = await target.stored([...sent]);
      // Nothing rejected left a trace...
      expect(stored.filter((key) => !accepted.has(key))).toEqual([]);
      // ...and everything accepted is there (an accepted turn waits for its session, if it said anything).
      if (target.route !== 'genesys.reportingTurns') expect(stored.length).toBe(accepted.size);
      expect(t.loggedErrors).toEqual([]);
    }, 300_000);
  }
});
