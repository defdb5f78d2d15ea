// The Genesys Cloud connector against a local Genesys (test/fakes/genesys-api.ts, written from the API
// documentation): it converges to exactly the fake's data, with no duplicates, after any failure and a
// rerun — expiring tokens, 429 with Retry-After, 5xx, answers cut off half-way, a page that is not JSON,
// an item that fails validation, refused credentials, and a Genesys that goes away mid-run.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import { createConnectorSchedule } from '../../src/connectors/schedule.js';
import { journeyStreamName, SLICE_MS, streamName } from '../../src/connectors/genesys/sync.js';
import type { SyncSummary } from '../../src/connectors/pass.js';
import type { RetryPolicy } from '../../src/connectors/http.js';
import { runConnector, type RunOptions } from '../../src/connectors/run.js';
import type { ConnectorSettings } from '../../src/connectors/settings.js';
import { advanceWatermark, readWatermark } from '../../src/connectors/state.js';
import { openDatabase } from '../../src/db/client.js';
import { createInProcessEventBus } from '../../src/live/events.js';
import { FakeGenesys, type FakeSession, type FakeTurn } from '../fakes/genesys-api.js';
import { createPostgresDatabase, testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { startSecondGateway, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
let fake: FakeGenesys;
let logs: string[];
let waits: number[];

beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
beforeEach(async () => {
  // Each test has its own Genesys and starts from an empty store.
  await t.db.prisma.$executeRawUnsafe('TRUNCATE "Session", "Message", "PendingMessage", "ConnectorState", "Conversation" CASCADE');
  fake = new FakeGenesys({ maxFlowsPageSize: 1 });
  await fake.start();
  logs = [];
  waits = [];
});
afterEach(async () => {
  await fake.stop();
  expect(t.loggedErrors).toEqual([]);
});

const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 120_000, timeoutMs: 2_000 };
const HOUR = 3600 * 1000;

function settings(overrides: Partial<NonNullable<ConnectorSettings['genesys']>> = {}): ConnectorSettings {
  return {
    genesys: {
      apiUrl: fake.url,
      loginUrl: fake.url,
      clientId: 'parley-client',
      clientSecret: 'parley-secret',
      botFlowIds: null,
      journeyContactIds: [],
      requestsPerMinute: 60_000,
      ...overrides,
    },
    salesforce: null,
    einsteinRuntimeUrl: null,
    intervalSeconds: null,
    tenant: 'default',
    overlapSeconds: 3600,
    firstRunDays: 10,
  };
}

function run(options: Partial<RunOptions> = {}) {
  return runConnector('genesys', {
    prisma: t.db.prisma,
    events: t.gateway.events,
    tenantId: DEFAULT_TENANT_ID,
    settings: settings(),
    log: (line) => logs.push(line),
    retry: FAST_RETRY,
    // Waits are recorded, not slept: the test checks how long the connector chose to wait.
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
}

/** Bot flows with sessions spread over the last `days` days, each with two turns; one session still running. */
function seed(flows: string[], perFlow: number, days = 3): void {
  const now = Date.now();
  fake.flows.push(...flows.map((id) => ({ id, name: `Flow ${id}`, type: 'bot' })), { id: 'ivr', name: 'Not a bot', type: 'inboundcall' });
  for (const flowId of flows) {
    for (let i = 0; i < perFlow; i++) {
      // Every completed session ended at least five minutes ago (Genesys lists a session once it completes).
      const created = now - 10 * 60 * 1000 - ((i + 1) / (perFlow + 1)) * days * 24 * HOUR;
      addSession(flowId, `${flowId}-s${String(i)}`, created, created + 5 * 60 * 1000);
    }
    addSession(flowId, `${flowId}-running`, now - 10 * 60 * 1000, null);
  }
}

function addSession(flowId: string, id: string, createdMs: number, completedMs: number | null): void {
  const session: FakeSession = {
    id,
    flow: { id: flowId, name: `Flow ${flowId}` },
    channel: { name: 'Messaging', inputModes: ['Text'], outputModes: ['Text'], userAgent: { name: 'GenesysWebWidget' } },
    language: 'en-us',
    dateCreated: new Date(createdMs).toISOString(),
    conversation: { id: `conv-${id}` },
  };
  if (completedMs !== null)
    Object.assign(session, { dateCompleted: new Date(completedMs).toISOString(), botResult: 'ExitRequestedByUser', botResultCategory: 'UserExit' });
  fake.sessions.push(session);
  for (let n = 0; n < 2; n++) {
    const turn: FakeTurn = {
      sessionId: id,
      botPrompts: [`prompt ${String(n)} of ${id}`],
      userInput: `answer ${String(n)} of ${id}`,
      dateCreated: new Date(createdMs + (n + 1) * 1000).toISOString(),
      dateCompleted: new Date(createdMs + (n + 1) * 1000 + 500).toISOString(),
    };
    fake.turns.push(turn);
  }
}

/** The store holds exactly the fake's completed sessions, each with exactly its turns' messages, once. */
async function expectConverged(): Promise<void> {
  const completed = fake.sessions.filter((s) => s.dateCompleted !== undefined);
  const stored = await t.db.prisma.session.findMany({
    where: { tenantId: DEFAULT_TENANT_ID, kind: 'BOT_FLOW' },
    include: { messages: { orderBy: [{ sequence: 'asc' }, { ordinal: 'asc' }] } },
  });
  expect(stored.map((s) => s.externalId).sort()).toEqual(completed.map((s) => s.id).sort());
  for (const session of stored) {
    const expected = fake.turns
      .filter((turn) => turn.sessionId === session.externalId)
      .flatMap((turn) => [...(turn.botPrompts as string[]), turn.userInput as string]);
    expect(session.messages.map((m) => m.text)).toEqual(expected);
    expect(session.status).toBe('ENDED');
  }
  // The running sessions' turns wait for their session.
  const running = fake.sessions.filter((s) => s.dateCompleted === undefined).map((s) => s.id);
  const pending = await t.db.prisma.pendingMessage.findMany({ where: { tenantId: DEFAULT_TENANT_ID } });
  expect([...new Set(pending.map((p) => p.sessionExternalId))].sort()).toEqual(running.sort());
  expect(pending).toHaveLength(running.length * 4);
}

describe('Genesys Cloud connector', () => {
  it('reads every bot flow the Flows API lists, page by page, and converges; a second run changes nothing', async () => {
    seed(['flow-a', 'flow-b'], 600, 1);
    const first = await run();
    expect(first).toMatchObject({ result: 'ok', error: null });
    // Items: 1,200 completed sessions and their 2,400 turns, and the 4 turns of the running sessions (pending).
    expect(first.summary).toMatchObject({ flows: 2, created: 1200 + 2400 + 4, pending: 4, rejected: 0, badPages: 0 });
    // 600 sessions a flow within a day, at 250 a page: several pages, each reached through nextUri.
    expect(fake.apiRequests(/sessions$/).filter((r) => r.query.has('after')).length).toBeGreaterThan(0);
    expect(fake.apiRequests(/sessions$/).every((r) => r.query.get('pageSize') === '250')).toBe(true);
    await expectConverged();
    // Every stream's watermark is the end of this run's window.
    for (const flow of ['flow-a', 'flow-b']) {
      for (const stream of ['sessions', 'turns'] as const) {
        const watermark = await readWatermark(t.db.prisma, { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: streamName(flow, stream) });
        expect(Date.now() - watermark!.getTime()).toBeLessThan(60_000);
      }
    }

    const before = fake.requests.length;
    const second = await run();
    expect(second.summary).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    // The second run reuses the token and reads only the overlap: two flows pages, one page per stream.
    expect(fake.requests.length - before).toBe(2 + 4);
    expect(fake.tokenRequests).toBe(1);
    await expectConverged();
  });

  it('renews a token the API refuses, waits out 429 for as long as Retry-After says, retries 5xx and answers cut off half-way', async () => {
    await fake.stop();
    fake = new FakeGenesys({ tokenRequestLimit: 7 });
    await fake.start();
    seed(['flow-a'], 300);
    fake.fail(/sessions$/, { kind: 'status', status: 429, retryAfter: '7' }, 1);
    fake.fail(/reportingturns$/, { kind: 'status', status: 503 }, 2);
    fake.fail(/sessions$/, { kind: 'cut' }, 1);
    fake.fail(/flows$/, { kind: 'slow', ms: 2500 }, 1);
    const outcome = await run({ settings: settings({ botFlowIds: null }) });
    expect(outcome).toMatchObject({ result: 'ok' });
    expect(fake.tokenRequests).toBeGreaterThan(1);
    expect(waits).toContain(7000);
    expect(outcome.summary.rateLimited).toBe(1);
    expect(outcome.summary.retries).toBeGreaterThanOrEqual(4);
    await expectConverged();
  });

  it('skips the rest of a stream whose page is not JSON, goes on with the others, and reads it on the next run', async () => {
    seed(['flow-a', 'flow-b'], 20);
    fake.fail(/flow-a\/sessions$/, { kind: 'garbage' }, 1);
    const first = await run();
    expect(first).toMatchObject({ result: 'ok', summary: { badPages: 1 } });
    expect(logs.some((l) => /flow-a sessions: skipped the rest of .*the answer is not JSON/.test(l))).toBe(true);
    // flow-b was read whole; flow-a's sessions stopped at their first page, so their watermark is not set.
    expect(await readWatermark(t.db.prisma, { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: streamName('flow-a', 'sessions') })).toBeNull();
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'flow-b-' } } })).toBe(20);
    const second = await run();
    expect(second.summary.badPages).toBe(0);
    await expectConverged();
  });

  it('skips an item that fails validation with its path, and stores the rest of its page', async () => {
    seed(['flow-a'], 5);
    fake.sessions.push({
      id: 'bad-one',
      flow: { id: 'flow-a' },
      dateCreated: new Date(Date.now() - HOUR).toISOString(),
      dateCompleted: new Date(Date.now() - HOUR / 2).toISOString(),
      language: 42,
    });
    const outcome = await run();
    // 5 sessions and 12 turns (the running session's among them); the bad session is the one rejected.
    expect(outcome.summary).toMatchObject({ rejected: 1, created: 5 + 12 });
    expect(logs.some((l) => /skipped item \d+ of \/api\/v2\/analytics\/botflows\/flow-a\/sessions.*\$\.language/.test(l))).toBe(true);
    fake.sessions.pop();
    await expectConverged();
  });

  it('stops before writing anything when the credentials are refused', async () => {
    seed(['flow-a'], 5);
    const outcome = await run({ settings: settings({ clientSecret: 'wrong' }) });
    expect(outcome.result).toBe('auth');
    expect(outcome.error).toMatch(/client credentials were refused .*HTTP 400, invalid_client: authentication failed.*check the client id and secret/);
    expect(fake.apiRequests()).toHaveLength(0);
    expect(await t.db.prisma.session.count()).toBe(0);
    const status = await t.db.prisma.connectorState.findFirst({ where: { stream: 'run' } });
    expect(status?.lastError).toMatch(/refused/);
  });

  it('stops when Genesys goes away, keeps each watermark at its last committed day, and converges on the next run without duplicates', async () => {
    seed(['flow-a'], 60, 3);
    let pages = 0;
    const outcome = await run({
      onPage: () => {
        pages += 1;
        // After the first day's page is committed, Genesys stops answering.
        if (pages === 1) void fake.stop();
      },
    });
    expect(outcome.result).toBe('unavailable');
    expect(outcome.error).toMatch(/cannot connect \(ECONNREFUSED\) after 4 attempts/);
    const watermark = await readWatermark(t.db.prisma, { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: streamName('flow-a', 'sessions') });
    // Ten days back: the first day is done (the fake's data starts three days ago, so it was empty).
    expect(watermark).not.toBeNull();
    expect(Date.now() - watermark!.getTime()).toBeGreaterThan(8 * SLICE_MS);
    const storedBefore = await t.db.prisma.session.count();
    expect(storedBefore).toBeLessThan(60);

    await fake.start(fake.port);
    const requestsBefore = fake.requests.length;
    const rerun = await run();
    expect(rerun.result).toBe('ok');
    // The rerun starts an overlap (an hour) before the watermark, not ten days back.
    const firstSessions = fake.requests.slice(requestsBefore).find((r) => r.path.endsWith('/sessions'));
    expect(firstSessions?.query.get('interval')?.split('/')[0]).toBe(new Date(watermark!.getTime() - HOUR).toISOString());
    await expectConverged();
  });

  it('a --since later than a watermark reads from there but leaves the watermark where it was (no gap)', async () => {
    seed(['flow-a'], 30, 6);
    const key = { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: streamName('flow-a', 'sessions') };
    const fiveDaysAgo = new Date(Date.now() - 5 * SLICE_MS);
    await advanceWatermark(t.db.prisma, key, fiveDaysAgo);
    const later = await run({ since: new Date(Date.now() - 2 * SLICE_MS), settings: settings({ botFlowIds: ['flow-a'] }) });
    expect(later.result).toBe('ok');
    expect((await readWatermark(t.db.prisma, key))?.getTime()).toBe(fiveDaysAgo.getTime());
    const earlier = await run({ since: new Date(Date.now() - 6 * SLICE_MS), settings: settings({ botFlowIds: ['flow-a'] }) });
    expect(earlier.result).toBe('ok');
    expect(Date.now() - (await readWatermark(t.db.prisma, key))!.getTime()).toBeLessThan(60_000);
    await expectConverged();
  });

  it('reads the journey sessions of each configured external contact, page by page, the SDK example among them', async () => {
    const example = JSON.parse(
      readFileSync(new URL('../fixtures/vendor-examples/genesys/sdk-model-journey-session-app.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const web = (i: number) => ({
      id: `journey-web-${String(i)}`,
      type: 'web',
      eventCount: 3,
      authenticated: false,
      createdDate: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
      lastEvent: { id: `e-${String(i)}`, createdDate: new Date(Date.now() - (i + 1) * HOUR + 60_000).toISOString() },
      browser: { family: 'Chrome', version: '120.0', lang: 'en-US' },
    });
    fake.journeySessions.set('contact-1', [example, ...Array.from({ length: 449 }, (_, i) => web(i))]);
    fake.journeySessions.set('contact-2', [{ ...web(999), id: 'journey-bad', createdDate: 'not a date' }, web(1000)]);
    const outcome = await run({ settings: settings({ botFlowIds: [], journeyContactIds: ['contact-1', 'contact-2', 'contact-gone'] }) });
    expect(outcome).toMatchObject({ result: 'ok', summary: { created: 451, rejected: 1, badPages: 1 } });
    // 450 sessions at 200 a page: three pages, the later ones through nextUri.
    expect(fake.apiRequests(/contact-1\/journey\/sessions$/).map((r) => r.query.get('pageSize'))).toEqual(['200', '200', '200']);
    expect(logs.some((l) => /skipped item 0 of .*contact-2.*\$\.createdDate/.test(l))).toBe(true);
    expect(logs.some((l) => /contact contact-gone journey sessions: skipped the rest: .*HTTP 404/.test(l))).toBe(true);
    expect(await readWatermark(t.db.prisma, { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: journeyStreamName('contact-1') })).not.toBeNull();
    expect(await readWatermark(t.db.prisma, { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: journeyStreamName('contact-gone') })).toBeNull();
    // The SDK's example reads back through the graph with its own fields.
    const reply = await t.graphql<{ sessions: { edges: { node: Record<string, unknown> }[] } }>(
      `{ sessions(first: 1, filter: { kinds: [JOURNEY] }, orderBy: { field: CREATED_AT, direction: ASC }) { edges { node { externalId ... on JourneySession { type shortId app { name version } caseReference } } } } }`,
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.sessions.edges[0]!.node).toMatchObject({
      externalId: example.id,
      type: 'app',
      shortId: 'JXQ2',
      app: { name: 'mybankingapp', version: '5.9.27' },
    });
    // A second run reads the listings whole again and changes nothing.
    const second = await run({ settings: settings({ botFlowIds: [], journeyContactIds: ['contact-1', 'contact-2'] }) });
    expect(second.summary).toMatchObject({ created: 0, updated: 0, unchanged: 451 });
  });

  it('does not follow a nextUri to another host (the token stays with Genesys)', async () => {
    seed(['flow-a'], 3);
    const session = fake.sessions[0];
    fake.fail(/flow-a\/sessions$/, { kind: 'body', body: { entities: [session], nextUri: 'http://collector.example/steal' } }, 1);
    const outcome = await run();
    expect(outcome.summary.badPages).toBe(1);
    expect(logs.some((l) => /a page points outside the API \(http:\/\/collector\.example\)/.test(l))).toBe(true);
  });
});

describe('the schedule and connectorStatus', () => {
  async function as(g: TestGateway, key: string | null, query: string) {
    const response = await g.gateway.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: { connectorStatus: Record<string, unknown>[] }; errors?: { extensions?: { code?: string } }[] },
    };
  }
  const STATUS = `{ connectorStatus { connector configured lastRunAt lastSuccessAt lastError watermark lagSeconds
    lastRun { result flows pages created unchanged requests durationMs } streams { name watermark lagSeconds } } }`;

  it('lists a configured connector before its first run, then its run, watermark and lag; admin keys only', async () => {
    seed(['flow-a'], 10);
    const g = await startTestGateway({ connectors: { ...settings(), intervalSeconds: 60 } });
    try {
      const admin = (await createApiKey(g.db.prisma, { tenantSlug: 'default', scopes: ['admin'] })).key;
      const reader = (await createApiKey(g.db.prisma, { tenantSlug: 'default', scopes: ['read'] })).key;
      const before = await as(g, admin, STATUS);
      expect(before.body.data?.connectorStatus).toEqual([
        {
          connector: 'genesys',
          configured: true,
          lastRunAt: null,
          lastSuccessAt: null,
          lastError: null,
          watermark: null,
          lagSeconds: null,
          lastRun: null,
          streams: [],
        },
      ]);

      const ran = await g.gateway.connectors.tick();
      expect(ran.get('genesys')).toMatchObject({ result: 'ok' });
      const after = (await as(g, admin, STATUS)).body.data!.connectorStatus[0]!;
      expect(after).toMatchObject({ connector: 'genesys', configured: true, lastError: null, lastRun: { result: 'ok', flows: 1, created: 10 + 22 } });
      expect(after.lastRunAt).toEqual(expect.any(String));
      expect(after.lagSeconds as number).toBeLessThan(60);
      expect((after.streams as { name: string }[]).map((s) => s.name)).toEqual(['botflow:flow-a:sessions', 'botflow:flow-a:turns']);

      const refused = await as(g, reader, STATUS);
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const metrics = await (await g.gateway.yoga.fetch('http://parley.test/metrics')).text();
      expect(metrics).toMatch(/parley_connector_runs_total\{connector="genesys",result="ok"\} 1/);
      expect(metrics).toMatch(/parley_connector_lag_seconds\{connector="genesys",tenant="default"\} \d/);
      expect(metrics).toMatch(/parley_connector_last_success_timestamp_seconds\{connector="genesys",tenant="default"\} \d/);
    } finally {
      await g.close();
    }
  });

  it.runIf(testDatabaseKind === 'postgres')('runs a connector in one process at a time: the other skips the tick', async () => {
    seed(['flow-a'], 10);
    // Every page answers slowly, so the two ticks overlap.
    fake.fail(/\/api\//, { kind: 'slow', ms: 150 }, 1000);
    const other = await startSecondGateway(t);
    const schedule = (g: TestGateway) =>
      createConnectorSchedule({
        database: g.db,
        events: g.gateway.events,
        settings: settings(),
        log: (line) => logs.push(line),
        logError: (e) => logs.push(String(e)),
      });
    try {
      const [one, two] = await Promise.all([schedule(t).tick(), schedule(other).tick()]);
      const outcomes = [one.get('genesys'), two.get('genesys')];
      expect(outcomes.filter((o) => o === 'busy')).toHaveLength(1);
      expect(outcomes.filter((o) => typeof o === 'object' && o.result === 'ok')).toHaveLength(1);
      await expectConverged();
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('a database that goes away mid-run', () => {
  it('stops the run as unavailable, keeps the watermarks of committed days, and the rerun converges', async () => {
    seed(['flow-a'], 40, 3);
    const created = await createPostgresDatabase();
    const server = new URL(testPostgresUrl);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const database = await openDatabase({ kind: 'postgres', url: proxy.url(created.url) }, { poolSize: 2 });
    const events = createInProcessEventBus();
    const runOn = (onPage?: (summary: SyncSummary) => void) =>
      runConnector('genesys', {
        prisma: database.prisma,
        events,
        tenantId: DEFAULT_TENANT_ID,
        settings: settings(),
        log: (line) => logs.push(line),
        retry: FAST_RETRY,
        sleep: async () => {},
        ...(onPage ? { onPage } : {}),
      });
    try {
      let refused = false;
      const outcome = await runOn((summary) => {
        // After the first page with sessions is stored (the sessions of three days ago), PostgreSQL
        // refuses every connection.
        if (summary.created > 0 && !refused) {
          refused = true;
          void proxy.refuse();
        }
      });
      expect(outcome.result).toBe('unavailable');
      await proxy.restore();
      const key = { tenantId: DEFAULT_TENANT_ID, connector: 'genesys', stream: streamName('flow-a', 'sessions') };
      const watermark = await readWatermark(database.prisma, key);
      // The seven empty days before are committed; the day in flight (three days ago) is not.
      const age = Date.now() - watermark!.getTime();
      expect(age).toBeGreaterThan(2.5 * SLICE_MS);
      expect(age).toBeLessThan(3.5 * SLICE_MS);
      const rerun = await runOn();
      expect(rerun.result).toBe('ok');
      const stored = await database.prisma.session.count({ where: { kind: 'BOT_FLOW' } });
      expect(stored).toBe(fake.sessions.filter((s) => s.dateCompleted !== undefined).length);
      expect(await database.prisma.message.count()).toBe(40 * 4);
    } finally {
      await proxy.restore();
      await database.close();
      await proxy.close();
      await created.drop();
    }
  });
});
