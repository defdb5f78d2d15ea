// Every PostgreSQL outage we can make here, on every path: an outage is always an outage. A production
// gateway (keys, masked errors, every request authenticated against the database: no key cache) meets
// a server that refuses connections (ALLOW_CONNECTIONS false, as during maintenance), a connection limit
// reached, a primary turned read-only by a failover, backends terminated mid-chunk, and a TCP proxy that
// drops every connection. On each: the ingest routes (JSON, and NDJSON streamed over a real socket),
// the mutations, queries, authentication, the import CLI and the connectors answer a clear, retryable
// "unavailable" (HTTP 503 + Retry-After, SERVICE_UNAVAILABLE, exit 3, a run `unavailable`) — never a
// rejection, never a stack, a driver message, a file path or the database's name — and once the
// database is back the same requests store everything, exactly once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { runConnector } from '../../src/connectors/run.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createInProcessEventBus } from '../../src/live/events.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { einsteinFixtures } from '../../src/vendors/einstein/fixtures.js';
import { FakeGenesys } from '../fakes/genesys-api.js';
import { testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { entryArgs, root } from '../helpers/entry.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const EINSTEIN = '/ingest/einstein/sessions';
const MUTATION = 'mutation ($s: [EinsteinBotSessionInput!]!) { ingestEinsteinSessions(sessions: $s) { accepted created rejectedCount } }';
const QUERY = '{ sessions(first: 5) { totalCount edges { node { externalId } } } }';

interface Outage {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads still work during it (a read-only server answers queries; a terminated write's session is replaced). */
  reads: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe.skipIf(testDatabaseKind !== 'postgres')('PostgreSQL outages, on every path', () => {
  // A role that is not a superuser (superusers pass connection limits), owning a database of its own.
  const suffix = randomBytes(5).toString('hex');
  const role = `parley_outage_${suffix}`;
  const dbName = `parley_outage_${suffix}`;
  let admin: pg.Client;
  let proxy: TcpProxy;
  let url: string;
  let database: Database;
  let gateway: Gateway;
  let server: ListeningServer;
  let key = '';
  let tenantId = '';
  const loggedErrors: unknown[] = [];
  let dir = '';
  let fake: FakeGenesys;

  const sql = (text: string) => admin.query(text);
  const terminateBackends = () => sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);

  const outages: Outage[] = [
    {
      name: 'the server refuses connections (ALLOW_CONNECTIONS false, as during maintenance)',
      reads: false,
      start: async () => {
        await sql(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
        await terminateBackends();
      },
      stop: async () => {
        await sql(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
      },
    },
    {
      name: 'the connection limit is reached',
      reads: false,
      start: async () => {
        await sql(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
        await terminateBackends();
      },
      stop: async () => {
        await sql(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
      },
    },
    {
      name: 'the primary turned read-only by a failover (default_transaction_read_only)',
      reads: true,
      start: async () => {
        await sql(`ALTER DATABASE ${dbName} SET default_transaction_read_only = on`);
        await terminateBackends();
      },
      stop: async () => {
        await sql(`ALTER DATABASE ${dbName} RESET default_transaction_read_only`);
        await terminateBackends();
      },
    },
    {
      // The backend writing a message ends itself, as an administrator's pg_terminate_backend would.
      name: 'backends terminated mid-chunk',
      reads: true,
      start: async () => {
        await direct(`INSERT INTO outage_switch VALUES ('terminate')`);
      },
      stop: async () => {
        await direct('DELETE FROM outage_switch');
      },
    },
    {
      name: 'a TCP proxy that drops every connection',
      reads: false,
      start: () => proxy.refuse(),
      stop: () => proxy.restore(),
    },
  ];

  /** A statement on the database itself, past the proxy, as its owner (the outage switch). */
  async function direct(text: string): Promise<void> {
    const client = new pg.Client({ connectionString: `postgresql://${role}@127.0.0.1:5432/${dbName}` });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  /** An HTTP request over a real socket; the body, when a function, is written piece by piece as the request goes. */
  function send(
    method: string,
    pathname: string,
    headers: Record<string, string>,
    body?: string | ((write: (chunk: string) => Promise<void>) => Promise<void>),
  ) {
    return new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, method, path: pathname, headers: { authorization: `Bearer ${key}`, ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (typeof body === 'function') {
        const write = (chunk: string) =>
          new Promise<void>((done) => {
            if (req.destroyed || req.writableEnded) return done();
            if (req.write(chunk)) done();
            else req.once('drain', () => done());
          });
        void body(write).then(() => req.end());
      } else req.end(body);
    });
  }

  const sessions = (prefix: string, n = 3) => einsteinFixtures.slice(0, n).map((s, i) => ({ ...s, sessionId: `${prefix}-${String(i)}` }));
  const ndjson = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => JSON.stringify({ ...einsteinFixtures[i % einsteinFixtures.length]!, sessionId: `${prefix}-${String(i)}` }));

  /** Nothing internal in an answer: no stack, driver message, path, database or role name. */
  function expectNothingInternal(answer: Answer | string): void {
    const text = typeof answer === 'string' ? answer : answer.text;
    expect(text).not.toMatch(
      /prisma|PrismaClient|DriverAdapter|\bat \S+ \(|node_modules|\/work\/|\.ts:\d|SQLSTATE|terminating connection|not currently accepting|read-only transaction|too many connections|ECONN/i,
    );
    expect(text).not.toContain(dbName);
    expect(text).not.toContain(role);
  }

  function expectUnavailable(answer: Answer): void {
    expect(answer.status, answer.text).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.text).toContain('SERVICE_UNAVAILABLE');
    expect(answer.text).not.toContain('"rejected"');
    expectNothingInternal(answer);
  }

  const graphql = (query: string, variables?: Record<string, unknown>) =>
    send('POST', '/graphql', { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, JSON.stringify({ query, variables }));

  function runCli(file: string): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, entryArgs('cli/import', '--vendor', 'einstein', '--tenant', 'outages', '--restart', file), {
      cwd: root,
      env: { ...process.env, DATABASE_URL: proxy.url(url), PARLEY_TENANT: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  const count = async (prefix: string) => {
    const client = new pg.Client({ connectionString: `postgresql://${role}@127.0.0.1:5432/${dbName}` });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Session" WHERE "externalId" LIKE $1`, [`${prefix}-%`]);
      return Number(rows[0]!.n);
    } finally {
      await client.end();
    }
  };

  /** Waits until the gateway answers a query again (its pool reconnects by itself). */
  async function untilBack(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await graphql(QUERY).catch(() => null);
      if (answer?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`the gateway did not come back: ${answer?.status} ${answer?.text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await sql(`CREATE ROLE ${role} LOGIN`);
    await sql(`CREATE DATABASE ${dbName} OWNER ${role}`);
    url = `postgresql://${role}@127.0.0.1:5432/${dbName}`;
    const server5432 = new URL(testPostgresUrl);
    proxy = await startTcpProxy({ host: server5432.hostname, port: Number(server5432.port || 5432) });
    database = await openDatabase({ kind: 'postgres', url: proxy.url(url) }, { poolSize: 3 });
    await direct('CREATE TABLE outage_switch (what text)');
    await direct(`
      CREATE FUNCTION end_own_backend() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM outage_switch WHERE what = 'terminate') THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await direct(`CREATE TRIGGER end_own_backend BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION end_own_backend()`);
    const created = await createApiKey(database.prisma, { tenantSlug: 'outages', scopes: ['read', 'ingest', 'admin'] });
    key = created.key;
    tenantId = created.tenantId;
    // Production: errors masked, and no key is remembered, so every request meets the database.
    gateway = createGateway({ database, production: true, authCacheMs: 0, logError: (error) => loggedErrors.push(error), log: () => {} });
    server = await listen(gateway, { port: 0, host: '127.0.0.1' });
    dir = await mkdtemp(path.join(tmpdir(), 'parley-outages-'));
    fake = new FakeGenesys();
    await fake.start();
    fake.flows.push({ id: 'flow-1', name: 'Flow 1', type: 'bot' });
    const at = Date.now() - 3 * 3600 * 1000;
    fake.sessions.push({
      id: 'genesys-outage-1',
      flow: { id: 'flow-1' },
      dateCreated: new Date(at).toISOString(),
      dateCompleted: new Date(at + 60_000).toISOString(),
      botResult: 'ExitRequestedByUser',
      botResultCategory: 'UserExit',
    });
    // A turn, so the pass writes a message (where the mid-chunk outage strikes).
    fake.turns.push({ sessionId: 'genesys-outage-1', userInput: 'hello', botPrompts: ['Hi!'], dateCreated: new Date(at + 1000).toISOString() });
  });

  afterAll(async () => {
    await server?.close(1000);
    await database?.close();
    await proxy?.close();
    await fake?.stop();
    await sql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await sql(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(outages.map((outage, index) => [outage.name, index] as const))(
    '%s: every path answers "retry later", and the retry stores everything once',
    async (_name, index) => {
      const outage = outages[index]!;
      const prefix = `outage${String(index)}`;
      const file = path.join(dir, `${prefix}.ndjson`);
      await writeFile(file, `${ndjson(`${prefix}-cli`, 40).join('\n')}\n`);
      await outage.start();
      try {
        // The ingest route, a JSON batch.
        expectUnavailable(await send('POST', EINSTEIN, { 'content-type': 'application/json' }, JSON.stringify(sessions(`${prefix}-json`))));
        // A streamed NDJSON upload still being sent when the outage answers it: the answer reaches the client.
        const lines = ndjson(`${prefix}-stream`, 1200);
        const streamed = await send('POST', EINSTEIN, { 'content-type': 'application/x-ndjson' }, async (write) => {
          for (let i = 0; i < lines.length; i += 100) {
            await write(`${lines.slice(i, i + 100).join('\n')}\n`);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        });
        expectUnavailable(streamed);
        // The mutation.
        const mutated = await graphql(MUTATION, { s: sessions(`${prefix}-gql`) });
        expectUnavailable(mutated);
        expect(JSON.parse(mutated.text).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
        // A query, and authentication with it: unavailable, unless the outage leaves reads working.
        const queried = await graphql(QUERY);
        if (outage.reads) expect(queried.status, queried.text).toBe(200);
        else {
          expectUnavailable(queried);
          expect(JSON.parse(queried.text).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
        }
        // The import CLI: exit 3, saying the database is unavailable, nothing past what was stored.
        const cli = await runCli(file);
        expect(cli.code, cli.output).toBe(3);
        expect(cli.output).toMatch(/database/);
        // The connector: the pass ends `unavailable` (sync exit 3, the schedule retries), never a crash.
        const run = await runConnector('genesys', {
          prisma: database.prisma,
          events: createInProcessEventBus(),
          tenantId,
          settings: {
            genesys: {
              apiUrl: fake.url,
              loginUrl: fake.url,
              clientId: 'parley-client',
              clientSecret: 'parley-secret',
              botFlowIds: ['flow-1'],
              journeyContactIds: [],
              requestsPerMinute: 60_000,
            },
            salesforce: null,
            einsteinRuntimeUrl: null,
            intervalSeconds: null,
            tenant: 'outages',
            overlapSeconds: 3600,
            firstRunDays: 1,
          },
          log: () => {},
          retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, timeoutMs: 2000 },
        }).catch((error: unknown) => ({ result: 'threw', error: String(error) }));
        expect(run.result).toBe('unavailable');
        // The readiness probe tells the balancer (reads-only outages still answer queries).
        if (!outage.reads) expectNothingInternal(await send('GET', '/ready', {}));
      } finally {
        await outage.stop();
      }
      await untilBack();
      // The same requests, retried, store everything — nothing was half-written, nothing is doubled.
      expect((await send('POST', EINSTEIN, { 'content-type': 'application/json' }, JSON.stringify(sessions(`${prefix}-json`)))).status).toBe(200);
      const again = await send('POST', EINSTEIN, { 'content-type': 'application/x-ndjson' }, `${ndjson(`${prefix}-stream`, 1200).join('\n')}\n`);
      expect(again.status, again.text).toBe(200);
      expect(JSON.parse((await graphql(MUTATION, { s: sessions(`${prefix}-gql`) })).text).data.ingestEinsteinSessions).toMatchObject({
        accepted: 3,
        rejectedCount: 0,
      });
      expect((await runCli(file)).code).toBe(0);
      expect(await count(`${prefix}-json`)).toBe(3);
      expect(await count(`${prefix}-stream`)).toBe(1200);
      expect(await count(`${prefix}-gql`)).toBe(3);
      expect(await count(`${prefix}-cli`)).toBe(40);
      // An outage is not unexpected: nothing was logged as an unexpected error.
      expect(loggedErrors).toEqual([]);
    },
  );
});
