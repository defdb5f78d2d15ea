// /health and /ready as a load balancer sees them: no key needed; /ready is 503 with the reason while
// draining, while a migration this build ships is not applied, while PostgreSQL refuses connections
// and while Redis does (each made to go away through a TCP proxy and come back), and 200 again after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase } from '../../src/db/client.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { sessionEventsChannel } from '../../src/live/outbox.js';
import { createRedisEventBus } from '../../src/live/redis-bus.js';
import { createPostgresDatabase, testDatabaseKind, testPostgresUrl } from '../helpers/database.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway();
  // Keys exist: the probes must still need none.
  await createApiKey(t.db.prisma, { tenantSlug: 'default', scopes: ['read'] });
});
afterAll(() => t.close());

async function probe(gateway: Gateway, path: string) {
  const response = await gateway.yoga.fetch(`http://parley.test${path}`);
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

describe('/health and /ready', () => {
  it('answer without a key: up, and ready with every check', async () => {
    // Yoga's own health check: 200, no body.
    expect(await probe(t.gateway, '/health')).toMatchObject({ status: 200, body: {} });
    const ready = await probe(t.gateway, '/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'not configured' } } });
    expect((ready.body.checks as Record<string, string>).migrations).toMatch(/^ok \(\d+\)$/);
    const post = await t.gateway.yoga.fetch('http://parley.test/ready', { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('are not ready while a migration this build ships is not applied', async () => {
    const [last] = await t.db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await t.db.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = ${last!.migration_name}`;
    try {
      const ready = await probe(t.gateway, '/ready');
      expect(ready).toMatchObject({ status: 503, retryAfter: '5', body: { status: 'unavailable', reason: `migrations: missing ${last!.migration_name}` } });
    } finally {
      await t.db.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE migration_name = ${last!.migration_name}`;
    }
    expect((await probe(t.gateway, '/ready')).status).toBe(200);
  });

  it('are not ready once draining, and still up', async () => {
    const second = createGateway({ database: t.db });
    second.drain();
    expect(await probe(second, '/ready')).toMatchObject({ status: 503, body: { reason: 'draining: the process is shutting down' } });
    expect((await probe(second, '/health')).status).toBe(200);
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('readiness when a service goes away', () => {
  it('is 503 while PostgreSQL refuses connections, and 200 when it is back', async () => {
    const created = await createPostgresDatabase();
    const server = new URL(testPostgresUrl);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const database = await openDatabase({ kind: 'postgres', url: proxy.url(created.url) }, { poolSize: 2 });
    const gateway = createGateway({ database, logError: () => {} });
    try {
      expect((await probe(gateway, '/ready')).status).toBe(200);
      await proxy.refuse();
      const down = await probe(gateway, '/ready');
      expect(down).toMatchObject({ status: 503, retryAfter: '5' });
      expect(down.body.reason).toMatch(/^database: unreachable/);
      // The kind of failure, not the driver's message (hosts, user names).
      expect(JSON.stringify(down.body)).not.toContain('127.0.0.1');
      expect((await probe(gateway, '/health')).status).toBe(200);
      await proxy.restore();
      expect((await probe(gateway, '/ready')).status).toBe(200);
    } finally {
      await proxy.restore();
      await database.close();
      await proxy.close();
      await created.drop();
    }
  });

  it('is 503 while Redis is not connected, when REDIS_URL is set', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
    const events = await createRedisEventBus(proxy.url('redis://127.0.0.1:6379'), {
      channel: await sessionEventsChannel(t.db.prisma),
      log: () => {},
      logError: () => {},
    });
    const gateway = createGateway({ database: t.db, events, logError: () => {} });
    try {
      expect(await probe(gateway, '/ready')).toMatchObject({ status: 200, body: { checks: { redis: 'ok' } } });
      await proxy.refuse();
      await expect.poll(async () => (await probe(gateway, '/ready')).status, { timeout: 5000 }).toBe(503);
      expect((await probe(gateway, '/ready')).body.reason).toMatch(/^redis: not connected to Redis/);
      await proxy.restore();
      await expect.poll(async () => (await probe(gateway, '/ready')).status, { timeout: 10_000 }).toBe(200);
    } finally {
      await proxy.restore();
      await events.close?.();
      await proxy.close();
    }
  });
});
