// A database fault is a fault, not a rejection: HTTP 503 with Retry-After (GraphQL: an error coded
// SERVICE_UNAVAILABLE), nothing of the chunk in flight stored, and the same request succeeds once the
// database is back. Two ways to fail: a statement that fails mid-chunk with an outage's SQLSTATE (a
// trigger, on PGlite and PostgreSQL), and on PostgreSQL the server refusing connections (through a TCP
// proxy that drops every connection and comes back).
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { listen } from '../../src/server.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { createPostgresDatabase, testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { figureMismatches } from '../helpers/figures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type Received, subscribeWs, untilSubscribers, wsClient } from '../helpers/live.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const EINSTEIN = '/ingest/einstein/sessions';
const sessions = (prefix: string) => einsteinFixtures.slice(0, 3).map((s, i) => ({ ...s, sessionId: `${prefix}-${String(i)}` }));
const MUTATION = `mutation ($s: [EinsteinBotSessionInput!]!) { ingestEinsteinSessions(sessions: $s) { accepted created } }`;

describe('a statement that fails mid-chunk with an outage', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
    // One outage switch per table, named by the trigger's argument: while `fault_switch` holds a row
    // for the table, every write to it fails as an outage does.
    await t.db.prisma.$executeRawUnsafe(`CREATE TABLE fault_switch (target text)`);
    await t.db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_like_an_outage() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM fault_switch WHERE target = TG_ARGV[0]) THEN
          RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = '57P01';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    // Message inserts: the chunk's sessions are written by then, so only a rollback keeps them out.
    await t.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_messages BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION fail_like_an_outage('messages')`,
    );
    // The chunk's last step but one, its metrics' rollup: the sessions and their messages are written by then.
    await t.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_figures BEFORE INSERT OR UPDATE ON "SessionFigures" FOR EACH ROW EXECUTE FUNCTION fail_like_an_outage('figures')`,
    );
  });
  afterAll(() => t.close());

  it('answers 503 with Retry-After, stores nothing of the chunk, and takes the same request afterwards', async () => {
    await t.db.prisma.$executeRawUnsafe(`INSERT INTO fault_switch VALUES ('messages')`);
    const failed = await t.ingest(EINSTEIN, sessions('mid-chunk'));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(failed.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(failed.body).not.toHaveProperty('rejected');
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'mid-chunk-' } } })).toBe(0);

    const viaGraphql = await t.graphql(MUTATION, { s: sessions('mid-chunk-gql') });
    expect(viaGraphql.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(viaGraphql.status).toBe(503);
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'mid-chunk-gql-' } } })).toBe(0);

    await t.db.prisma.$executeRawUnsafe(`DELETE FROM fault_switch WHERE target = 'messages'`);
    const retried = await t.ingest(EINSTEIN, sessions('mid-chunk'));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ accepted: 3, created: 3, rejectedCount: 0 });
    // The outage was logged for operators; the client saw a retryable answer, never a rejection.
    expect(t.loggedErrors).toEqual([]);
  });

  it('answers a streamed NDJSON upload cut by the outage with its 503 and Retry-After, while the client is still sending', async () => {
    const server = await listen(t.gateway, { port: 0, host: '127.0.0.1' });
    const lines = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({ ...einsteinFixtures[i % einsteinFixtures.length]!, sessionId: `streamed-${String(i)}` }),
    );
    await t.db.prisma.$executeRawUnsafe(`INSERT INTO fault_switch VALUES ('messages')`);
    try {
      // The first chunk (500 items) fails while two thirds of the body are still to come.
      const answer = await new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: server.port, method: 'POST', path: EINSTEIN, headers: { 'content-type': 'application/x-ndjson' } },
          (res) => {
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
          },
        );
        req.on('error', reject);
        void (async () => {
          for (let i = 0; i < lines.length && !req.destroyed; i += 50) {
            if (!req.write(`${lines.slice(i, i + 50).join('\n')}\n`)) await new Promise((drained) => req.once('drain', drained));
            await new Promise((pause) => setTimeout(pause, 2));
          }
          req.end();
        })();
      });
      expect(answer.status, answer.body).toBe(503);
      expect(answer.retryAfter).toBe('5');
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 } });
      expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'streamed-' } } })).toBe(0);
    } finally {
      await t.db.prisma.$executeRawUnsafe(`DELETE FROM fault_switch WHERE target = 'messages'`);
      await server.close();
    }
    expect(t.loggedErrors).toEqual([]);
  });

  it("rolls the whole chunk back when its metrics' rollup cannot be written, and counts it when retried", async () => {
    await t.db.prisma.$executeRawUnsafe(`INSERT INTO fault_switch VALUES ('figures')`);
    const failed = await t.ingest(EINSTEIN, sessions('figures'));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'figures-' } } })).toBe(0);
    expect(await t.db.prisma.message.count({ where: { session: { externalId: { startsWith: 'figures-' } } } })).toBe(0);

    await t.db.prisma.$executeRawUnsafe(`DELETE FROM fault_switch WHERE target = 'figures'`);
    const retried = await t.ingest(EINSTEIN, sessions('figures'));
    expect(retried.body).toMatchObject({ accepted: 3, created: 3, rejectedCount: 0 });
    expect(await t.db.prisma.message.count({ where: { session: { externalId: { startsWith: 'figures-' } } } })).toBeGreaterThan(0);
    expect(await figureMismatches((sql, params) => t.db.prisma.$queryRawUnsafe(sql, ...params), 'figures-%')).toEqual([]);
  });
});

describe('an item the database can never store', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.close());

  it('is rejected alone, with why, and the items around it are stored: never a 503 the sender would retry for ever', async () => {
    // A session id too long for the unique index (random, so that compression cannot shrink it).
    const tooLong = randomBytes(4000).toString('base64url');
    const batch = [...sessions('around'), { ...einsteinFixtures[0]!, sessionId: tooLong }];
    const reply = await t.ingest(EINSTEIN, batch);
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
    expect(reply.body).toMatchObject({ accepted: 3, created: 3, rejectedCount: 1 });
    expect(reply.body.rejected).toEqual([
      { index: 3, path: '$', message: expect.stringMatching(/^could not be stored: it holds a value too large for the database .*\(SQLSTATE 54000\)/) },
    ]);
    expect(await t.db.prisma.session.count({ where: { externalId: { startsWith: 'around-' } } })).toBe(3);
    // Alone, too: a rejection (422), not an outage.
    const alone = await t.ingest(EINSTEIN, [{ ...einsteinFixtures[0]!, sessionId: tooLong }]);
    expect(alone.status).toBe(422);
    expect(t.loggedErrors).toEqual([]);
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('PostgreSQL refusing connections', () => {
  let proxy: TcpProxy;
  let database: Database;
  let drop: () => Promise<void>;
  let gateway: Gateway;
  const errors: unknown[] = [];

  const post = async (path: string, body: unknown) => {
    const response = await gateway.yoga.fetch(`http://parley.test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const server = new URL(testPostgresUrl);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    database = await openDatabase({ kind: 'postgres', url: proxy.url(created.url) }, { poolSize: 2 });
    gateway = createGateway({ database, logError: (e) => errors.push(e), log: () => {} });
  });
  afterAll(async () => {
    await proxy.restore();
    await database.close();
    await proxy.close();
    await drop();
  });
  afterEach(() => proxy.restore());

  it('answers 503 while the server is away, and stores everything once it is back', async () => {
    expect((await post(EINSTEIN, sessions('refused-warm'))).status).toBe(200);
    await proxy.refuse();
    for (const path of [EINSTEIN, '/ingest/genesys/reporting-turns']) {
      const reply = await post(path, path === EINSTEIN ? sessions('refused') : { sessionId: 'x', botPrompts: ['hi'], dateCreated: '2026-11-20T10:00:00Z' });
      expect(reply.status, JSON.stringify(reply.body)).toBe(503);
      expect(reply.retryAfter).toBe('5');
      expect(reply.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    }
    const response = await gateway.yoga.fetch('http://parley.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: MUTATION, variables: { s: sessions('refused-gql') } }),
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');

    await proxy.restore();
    // The pool reconnects by itself: the same requests now succeed, and nothing is stored twice.
    const retried = await post(EINSTEIN, sessions('refused'));
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ accepted: 3, created: 3 });
    expect((await post(EINSTEIN, sessions('refused'))).body).toMatchObject({ unchanged: 3 });
    expect(await database.prisma.session.count({ where: { externalId: { startsWith: 'refused-' } } })).toBe(6);
    expect(await figureMismatches((sql, params) => database.prisma.$queryRawUnsafe(sql, ...params))).toEqual([]);
    // No item was ever reported as rejected, and nothing unexpected reached the error log.
    expect(errors.filter((e) => !/reach|terminat|connect|closed/i.test(String((e as Error).message ?? e)))).toEqual([]);
  });

  it('keeps live subscriptions open through the outage and delivers, from the outbox, what commits after; a resume meanwhile is SERVICE_UNAVAILABLE', async () => {
    const server = await listen(gateway, { port: 0, host: '127.0.0.1' });
    const client = wsClient(server.url);
    type Update = { sessionUpdated: { eventId: string; session: { externalId: string } } };
    const query = 'subscription($since: ID) { sessionUpdated(filter: { vendors: [SALESFORCE_EINSTEIN] }, since: $since) { eventId session { externalId } } }';
    const live = subscribeWs<Update>(client, query);
    const sessionsIn = (values: Update[]) => [...new Set(values.map((u) => u.sessionUpdated.session.externalId))];
    const until = (received: Received<Update>, externalId: string) =>
      received.waitUntil((values) => sessionsIn(values).includes(externalId), externalId, 15_000);
    await untilSubscribers(() => gateway.live.subscriberCount, 1);
    expect((await post(EINSTEIN, sessions('live-before'))).status).toBe(200);
    await until(live, 'live-before-2');
    await new Promise((resolve) => setTimeout(resolve, 200)); // the chunk's last events too
    const lastSeen = live.values.at(-1)!.sessionUpdated.eventId;
    const seenBefore = live.values.length;

    await proxy.refuse();
    const resumed = subscribeWs<Update>(client, query, { since: lastSeen });
    await resumed.waitForEnd();
    expect(JSON.stringify(resumed.errors)).toContain('SERVICE_UNAVAILABLE');
    expect((await post(EINSTEIN, sessions('live-during'))).status).toBe(503);

    await proxy.restore();
    expect((await post(EINSTEIN, sessions('live-after'))).status).toBe(200);
    await until(live, 'live-after-2');
    expect(sessionsIn(live.values.slice(seenBefore))).toEqual(['live-after-0', 'live-after-1', 'live-after-2']);
    expect(live.errors).toEqual([]);
    // And a client resuming now gets exactly what committed since its last event.
    const again = subscribeWs<Update>(client, query, { since: lastSeen });
    await until(again, 'live-after-2');
    expect(sessionsIn(again.values)).toEqual(['live-after-0', 'live-after-1', 'live-after-2']);
    expect(BigInt(again.values[0]!.sessionUpdated.eventId)).toBe(BigInt(lastSeen) + 1n);
    live.dispose();
    again.dispose();
    await client.dispose();
    await server.close();
  });
});
