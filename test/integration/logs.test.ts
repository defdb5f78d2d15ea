// The gateway's logs as an operator reads them: one JSON object per line, a request id on every line of
// a request (the client's when it sends a sane one, echoed in the response), one line per request, an
// unexpected error logged with its request's id — and nothing of a key, a query's variables or a vendor
// document in any of them, after requests that carry a key and personal data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/keys.js';
import { createGateway } from '../../src/gateway.js';
import { createLogger, errorFields } from '../../src/log.js';
import { listen, type ListeningServer } from '../../src/server.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

const lines: string[] = [];
let db: TestDatabase;
let server: ListeningServer;
let key = '';

beforeAll(async () => {
  db = await openTestDatabase();
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  const gateway = createGateway({
    database: db,
    log: (line) => logger.info(line),
    logError: (error) => logger.error(errorFields(error), 'unexpected error'),
    authCacheMs: 0,
  });
  server = await listen(gateway, { port: 0, host: '127.0.0.1', keepAliveMs: 1000, logger });
  key = (await createApiKey(db.prisma, { tenantSlug: 'default', scopes: ['read', 'ingest', 'pii'] })).key;
});
afterAll(async () => {
  await server.close();
  await db.close();
});

const origin = () => new URL(server.url).origin;
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
}

describe('logs', () => {
  it('are JSON lines, one per request, with its id; and say nothing personal or secret', async () => {
    const ingest = await post(
      '/ingest/chatlayer/sessions',
      {
        botId: '2231',
        sessionId: 'pii-session',
        channel: 'whatsapp',
        user: { firstName: 'Sanne', lastName: 'Verhoeven', phone: '+31612345678' },
        messageContent: 'my card number is 4111 1111 1111 1111',
        messageType: 'text',
      },
      { 'x-request-id': 'client-chosen-id-1' },
    );
    expect(ingest.status).toBe(200);
    expect(ingest.headers.get('x-request-id')).toBe('client-chosen-id-1');
    const rejected = await post('/ingest/einstein/sessions', { sessionId: 'pii-2', botId: 'b', status: 'Active', createdDate: 'Verhoeven-1975' });
    // Every item rejected: 422, with the path at fault (not the value) in the reply.
    expect(rejected.status).toBe(422);
    const query = await post(
      '/graphql',
      { query: 'query Find($f: SessionFilter) { sessions(filter: $f) { totalCount } }', variables: { f: { botIds: ['Sanne-private-bot'] } } },
      // Not a sane id (spaces, a semicolon): replaced by one of Parley's.
      { 'x-request-id': 'not a sane id; it has spaces' },
    );
    expect(query.status).toBe(200);
    const generated = query.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const all = parsed();
    const requests = all.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.requestId, l.method, l.path, l.status])).toEqual(
      expect.arrayContaining([
        ['client-chosen-id-1', 'POST', '/ingest/chatlayer/sessions', 200],
        [generated, 'POST', '/graphql', 200],
      ]),
    );
    for (const line of all) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), service: 'parley' });
    const text = lines.join('\n');
    for (const secret of [key, key.slice(0, 20), 'Sanne', 'Verhoeven', '+31612345678', '4111 1111', 'Sanne-private-bot', 'authorization']) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('log an unexpected error with the id of the request it happened in', async () => {
    // The transcript table goes away for a moment: reading it is an unexpected error.
    await db.prisma.$executeRawUnsafe('ALTER TABLE "Message" RENAME TO "MessageAway"');
    let response: Response;
    try {
      response = await post(
        '/graphql',
        { query: '{ sessions(first: 5) { edges { node { messages(first: 1) { edges { node { text } } } } } } }' },
        { 'x-request-id': 'failing-request' },
      );
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE "MessageAway" RENAME TO "Message"');
    }
    // A database error nobody foresaw: retryable for the client (503, SERVICE_UNAVAILABLE, nothing of
    // the error in the answer), and logged for operators.
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(response.status).toBe(503);
    expect(body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toMatch(/MessageAway|42P01|relation "|prisma/i);
    const errors = parsed().filter((l) => l.msg === 'unexpected error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((l) => l.requestId === 'failing-request' && l.level === 'error')).toBe(true);
    // What failed (Prisma's code, PostgreSQL's SQLSTATE: undefined table), not the message that may quote values.
    expect(errors[0]!.err).toMatchObject({ code: 'P2010', sqlState: '42P01' });
  });
});
