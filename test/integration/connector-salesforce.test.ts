// The Salesforce connector against a local org (test/fakes/salesforce-api.ts, written from the REST API
// and OAuth documentation): it reads ConversationDefinitionSession records in SystemModstamp order through
// SOQL batches and converges to exactly the org's records, one Einstein session each, after any failure
// and a rerun — an expired session token, 503s, answers cut off, a batch that is not JSON, a record that
// fails validation, refused credentials, the org's daily request limit, an org that goes away, and a
// PostgreSQL that refuses connections mid-run.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import type { RetryPolicy } from '../../src/connectors/http.js';
import { runConnector, type RunOptions } from '../../src/connectors/run.js';
import { SESSION_STREAM, sessionQuery } from '../../src/connectors/salesforce/sync.js';
import type { ConnectorSettings, SalesforceSettings } from '../../src/connectors/settings.js';
import { readWatermark } from '../../src/connectors/state.js';
import { FakeSalesforce, type FakeRecord, SESSION_FIELDS, sfDate } from '../fakes/salesforce-api.js';
import { openDatabase } from '../../src/db/client.js';
import { createInProcessEventBus } from '../../src/live/events.js';
import { createPostgresDatabase, testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let t: TestGateway;
let fake: FakeSalesforce;
let logs: string[];

beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.prisma.$executeRawUnsafe('TRUNCATE "Session", "Message", "PendingMessage", "ConnectorState", "Conversation" CASCADE');
  fake = new FakeSalesforce({ maxBatchSize: 7 });
  await fake.start();
  fake.botVersions.set('0X9VERSION1', '0XxBOTALPHA');
  fake.botVersions.set('0X9VERSION2', '0XxBOTBETA');
  logs = [];
});
afterEach(async () => {
  await fake.stop();
  expect(t.loggedErrors).toEqual([]);
});

const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 120_000, timeoutMs: 2_000 };
const MINUTE = 60_000;
const STREAM = { tenantId: DEFAULT_TENANT_ID, connector: 'salesforce', stream: SESSION_STREAM };

function settings(overrides: Partial<SalesforceSettings> = {}): ConnectorSettings {
  return {
    genesys: null,
    salesforce: {
      instanceUrl: fake.url,
      loginUrl: fake.url,
      clientId: 'parley-connected-app',
      clientSecret: 'parley-secret',
      apiVersion: '62.0',
      skipChannelTypes: [],
      requestsPerMinute: 60_000,
      ...overrides,
    },
    einsteinRuntimeUrl: null,
    intervalSeconds: null,
    tenant: 'default',
    overlapSeconds: 3600,
    firstRunDays: 7,
  };
}

function run(options: Partial<RunOptions> = {}) {
  return runConnector('salesforce', {
    prisma: t.db.prisma,
    events: t.gateway.events,
    tenantId: DEFAULT_TENANT_ID,
    settings: settings(),
    log: (line) => logs.push(line),
    retry: FAST_RETRY,
    sleep: async () => {},
    ...options,
  });
}

const END_TYPES = ['Completed', 'Transfer', 'Abandoned', 'Error', null] as const;

/** `n` records over the last days, changed a minute after they started; the last of each five is still running. */
function seed(n: number): void {
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const start = now - 60 * MINUTE - (n - i) * 10 * MINUTE;
    const endType = END_TYPES[i % END_TYPES.length] ?? null;
    fake.sessions.push(record(`0YtREC${String(i).padStart(4, '0')}`, start, endType, i % 2 === 0 ? '0X9VERSION1' : '0X9VERSION2'));
  }
}

function record(id: string, start: number, endType: string | null, version: string): FakeRecord {
  return {
    Id: id,
    IsDeleted: false,
    Name: id,
    CreatedDate: sfDate(start),
    CreatedById: '005FAKEUSER',
    LastModifiedDate: sfDate(start + MINUTE),
    LastModifiedById: '005FAKEUSER',
    SystemModstamp: sfDate(start + MINUTE),
    ConversationDefinitionId: version,
    SessionStartTime: sfDate(start),
    SessionDuration: endType === null ? null : 45_000,
    SessionEndType: endType,
    SessionStatus: endType === null ? 'Active' : 'Ended',
    SessionTransferResult: endType === 'Transfer' ? 'Success' : null,
    ChannelType: 'Messaging',
    Language: 'en_US',
  };
}

/** The store holds exactly the org's records, one Einstein session each, with the record's figures. */
async function expectConverged(): Promise<void> {
  const stored = await t.db.prisma.session.findMany({ where: { tenantId: DEFAULT_TENANT_ID, kind: 'EINSTEIN_BOT' } });
  expect(stored.map((s) => s.externalId).sort()).toEqual(fake.sessions.map((r) => r.Id).sort());
  const outcomes: Record<string, string | null> = { Completed: 'COMPLETED', Transfer: 'ESCALATED', Abandoned: 'ABANDONED', Error: 'ERROR' };
  for (const session of stored) {
    const source = fake.sessions.find((r) => r.Id === session.externalId)!;
    const endType = source.SessionEndType as string | null;
    expect(session.outcome).toBe(endType === null ? null : outcomes[endType]);
    expect(session.status).toBe(endType === null ? 'ACTIVE' : endType === 'Transfer' ? 'TRANSFERRED' : 'ENDED');
    expect(session.botId).toBe(source.ConversationDefinitionId === '0X9VERSION1' ? '0XxBOTALPHA' : '0XxBOTBETA');
    expect(session.createdAt.toISOString()).toBe(new Date(Date.parse((source.SessionStartTime as string).replace('+0000', 'Z'))).toISOString());
  }
}

describe('Salesforce connector', () => {
  it('reads every record batch by batch, converges, and reads them back through the graph; a second run changes nothing', async () => {
    seed(30);
    const first = await run();
    expect(first).toMatchObject({ result: 'ok', error: null });
    expect(first.summary).toMatchObject({ created: 30, rejected: 0, badPages: 0, pages: 5 });
    // One describe, one query and its four nextRecordsUrl batches, and one bot-version lookup per batch with new versions.
    expect(fake.queries[0]).toBe(sessionQuery(SESSION_FIELDS, new Date(Date.parse(/>= (\S+)/.exec(fake.queries[0]!)![1]!)), []));
    expect(fake.requests.filter((r) => /\/query\/01gFAKE/.test(r.path))).toHaveLength(4);
    await expectConverged();
    const watermark = await readWatermark(t.db.prisma, STREAM);
    expect(Date.now() - watermark!.getTime()).toBeLessThan(MINUTE);

    const reply = await t.graphql<{ sessions: { edges: { node: Record<string, unknown> }[] } }>(
      `{ sessions(first: 1, filter: { vendors: [SALESFORCE_EINSTEIN], outcomes: [ESCALATED] }) { edges { node {
        externalId botId channel language outcome status endedAt
        ... on EinsteinBotSession { sessionId botVersion statusRaw sessionEnded conversationDefinitionSession {
          id name conversationDefinitionId sessionStartTime sessionDuration sessionEndType sessionStatus sessionTransferResult
          channelType language createdDate lastModifiedDate systemModstamp } } } } } }`,
    );
    expect(reply.errors).toBeUndefined();
    const node = reply.data!.sessions.edges[0]!.node;
    const source = fake.sessions.find((r) => r.Id === node.externalId)!;
    expect(node).toMatchObject({
      botId: '0XxBOTALPHA',
      channel: 'messaging',
      language: 'en_us',
      status: 'TRANSFERRED',
      statusRaw: 'Transferred',
      sessionEnded: true,
      botVersion: '0X9VERSION1',
      conversationDefinitionSession: {
        id: source.Id,
        sessionStartTime: source.SessionStartTime,
        sessionDuration: 45_000,
        sessionEndType: 'Transfer',
        sessionTransferResult: 'Success',
        channelType: 'Messaging',
        systemModstamp: source.SystemModstamp,
      },
    });
    // The end is the start plus the duration Salesforce measured.
    expect(Date.parse(node.endedAt as string)).toBe(Date.parse((source.SessionStartTime as string).replace('+0000', 'Z')) + 45_000);

    const second = await run();
    expect(second.summary).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    // The token is reused; only the overlap is read again.
    expect(fake.tokenRequests).toBe(1);
    await expectConverged();
  });

  it('updates a session whose record Salesforce changes later, without a second session', async () => {
    seed(5);
    await run();
    const running = fake.sessions.find((r) => r.SessionEndType === null)!;
    Object.assign(running, { SessionEndType: 'Transfer', SessionTransferResult: 'Failed', SessionDuration: 90_000, SystemModstamp: sfDate(Date.now()) });
    const second = await run();
    expect(second.summary).toMatchObject({ created: 0, updated: 1 });
    const session = await t.db.prisma.session.findFirstOrThrow({ where: { externalId: running.Id } });
    // A transfer Salesforce reports as failed reached nobody: an error, as the runtime API's TransferFailedNotConfigured.
    expect(session).toMatchObject({ outcome: 'ERROR', status: 'ENDED' });
    expect(await t.db.prisma.session.count()).toBe(5);
  });

  it('renews an expired session token, retries 503 and answers cut off half-way, and converges', async () => {
    await fake.stop();
    fake = new FakeSalesforce({ maxBatchSize: 7, tokenRequestLimit: 5 });
    await fake.start();
    fake.botVersions.set('0X9VERSION1', '0XxBOTALPHA');
    fake.botVersions.set('0X9VERSION2', '0XxBOTBETA');
    seed(30);
    fake.fail(/\/query\/01gFAKE/, { kind: 'status', status: 503 }, 2);
    fake.fail(/\/query\/01gFAKE/, { kind: 'cut' }, 1);
    const outcome = await run();
    expect(outcome).toMatchObject({ result: 'ok', summary: { badPages: 0, created: 30 } });
    expect(fake.tokenRequests).toBeGreaterThan(1);
    expect(outcome.summary.retries).toBeGreaterThanOrEqual(3);
    await expectConverged();
  });

  it('stops at a batch that is not JSON, keeps the watermark of the batches before it, and the rerun converges', async () => {
    seed(30);
    fake.fail(/\/query\/01gFAKE/, { kind: 'garbage' }, 1);
    const first = await run();
    expect(first).toMatchObject({ result: 'ok', summary: { badPages: 1, created: 7 } });
    expect(logs.some((l) => /salesforce ConversationDefinitionSession: stopped at .*query\/01gFAKE.*the answer is not JSON/.test(l))).toBe(true);
    // The watermark is the newest change of the one batch stored.
    const watermark = await readWatermark(t.db.prisma, STREAM);
    expect(watermark!.toISOString()).toBe(new Date(Date.parse(fake.sessions[6]!.SystemModstamp.replace('+0000', 'Z'))).toISOString());
    const second = await run();
    expect(second.summary).toMatchObject({ badPages: 0, created: 23 });
    await expectConverged();
  });

  it('skips a record that fails validation with its path, and stores the others', async () => {
    seed(5);
    fake.sessions[2]!.SessionDuration = 'forty-five seconds';
    const outcome = await run();
    expect(outcome.summary).toMatchObject({ created: 4, rejected: 1 });
    expect(logs.some((l) => /skipped item 2 of .*query\?q=.*\$\.conversationDefinitionSession\.SessionDuration must be/.test(l))).toBe(true);
  });

  it('reads only the fields the org has, and leaves out the channels the recording proxy records', async () => {
    await fake.stop();
    fake = new FakeSalesforce({ sessionFields: SESSION_FIELDS.filter((f) => f !== 'SessionTransferResult' && f !== 'Language') });
    await fake.start();
    fake.botVersions.set('0X9VERSION1', '0XxBOTALPHA');
    fake.botVersions.set('0X9VERSION2', '0XxBOTBETA');
    seed(6);
    fake.sessions[0]!.ChannelType = "Bot API's channel";
    const outcome = await run({ settings: settings({ skipChannelTypes: ["Bot API's channel"] }) });
    expect(outcome.summary).toMatchObject({ created: 5, rejected: 0 });
    expect(fake.queries[0]).toContain("ChannelType NOT IN ('Bot API\\'s channel')");
    expect(fake.queries[0]).not.toContain('SessionTransferResult');
    expect(await t.db.prisma.session.count({ where: { externalId: fake.sessions[0]!.Id } })).toBe(0);
  });

  it('stops with a clear answer on refused credentials, a spent daily limit, and an org that went away; the rerun converges', async () => {
    seed(10);
    const refused = await run({ settings: settings({ clientSecret: 'wrong' }) });
    expect(refused).toMatchObject({ result: 'auth' });
    expect(refused.error).toMatch(/client credentials were refused .*invalid_client: invalid client credentials/);

    await fake.stop();
    fake = new FakeSalesforce({ maxBatchSize: 7, dailyRequestLimit: 3 });
    await fake.start();
    fake.botVersions.set('0X9VERSION1', '0XxBOTALPHA');
    fake.botVersions.set('0X9VERSION2', '0XxBOTBETA');
    seed(10);
    const limited = await run();
    expect(limited).toMatchObject({ result: 'unavailable' });
    expect(limited.error).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    // Describe, the first batch and its lookup were allowed: that batch is stored and the watermark follows it.
    expect(limited.summary.created).toBe(7);

    const port = fake.port;
    await fake.stop();
    const away = await run();
    expect(away).toMatchObject({ result: 'unavailable' });
    const stopped = await readWatermark(t.db.prisma, STREAM);
    expect(stopped!.toISOString()).toBe(new Date(Date.parse(fake.sessions[6]!.SystemModstamp.replace('+0000', 'Z'))).toISOString());

    const back = new FakeSalesforce({ maxBatchSize: 7 });
    back.botVersions.set('0X9VERSION1', '0XxBOTALPHA');
    back.botVersions.set('0X9VERSION2', '0XxBOTBETA');
    back.sessions.push(...fake.sessions);
    fake = back;
    await fake.start(port);
    const rerun = await run();
    expect(rerun).toMatchObject({ result: 'ok', summary: { created: 3 } });
    await expectConverged();
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('a database that goes away mid-run', () => {
  it('stops the run as unavailable, keeps the watermark of the stored batches, and the rerun converges', async () => {
    seed(30);
    const created = await createPostgresDatabase();
    const server = new URL(testPostgresUrl);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const database = await openDatabase({ kind: 'postgres', url: proxy.url(created.url) }, { poolSize: 2 });
    const runOn = (onPage?: RunOptions['onPage']) =>
      runConnector('salesforce', {
        prisma: database.prisma,
        events: createInProcessEventBus(),
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
        // After the second batch is stored, PostgreSQL refuses every connection.
        if (summary.pages === 2 && !refused) {
          refused = true;
          void proxy.refuse();
        }
      });
      expect(outcome.result).toBe('unavailable');
      await proxy.restore();
      // The watermark is that of a stored batch (the second's newest change, or the first's), never beyond.
      const watermark = await readWatermark(database.prisma, STREAM);
      const modstamp = (i: number) => Date.parse(fake.sessions[i]!.SystemModstamp.replace('+0000', 'Z'));
      expect([modstamp(6), modstamp(13)]).toContain(watermark!.getTime());
      const rerun = await runOn();
      expect(rerun.result).toBe('ok');
      expect((await database.prisma.session.findMany({ select: { externalId: true } })).map((s) => s.externalId).sort()).toEqual(
        fake.sessions.map((r) => r.Id).sort(),
      );
    } finally {
      await proxy.restore();
      await database.close();
      await proxy.close();
      await created.drop();
    }
  });
});
