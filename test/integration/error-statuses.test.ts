// README's error tables say which HTTP status each code comes with, under each `Accept` a GraphQL client
// sends: `application/graphql-response+json` (GraphQL over HTTP's own media type) and `application/json`
// (the legacy one, under which a request error the spec answers 4xx is 200). This test makes every code
// happen with both, and holds the tables to what the gateway answers.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, type CreatedKey } from '../../src/auth/keys.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { operationHash } from '../../src/security/persisted.js';
import { writeSession } from '../../src/ingest/write-sessions.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeSession } from '../helpers/sessions.js';

const ACCEPTS = ['application/graphql-response+json', 'application/json'] as const;
type Accept = (typeof ACCEPTS)[number];

const PERSISTED = '{ __typename }';
let db: TestDatabase;
let production: Gateway;
let development: Gateway;
let openDb: TestDatabase;
let limited: Gateway;
const keys: Record<string, CreatedKey> = {};

interface Case {
  code: string;
  /** Sends the request with `accept` and answers its status and the codes in its body. */
  send(accept: Accept): Response | Promise<Response>;
}

const post = (gateway: Gateway, accept: Accept, body: unknown, headers: Record<string, string> = {}) =>
  gateway.yoga.fetch('http://parley.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const as = (key: string) => ({ authorization: `Bearer ${keys[key]!.key}` });
const deep = (n: number): string => (n === 0 ? 'id' : `conversation { sessions(first: 1) { edges { node { ${deep(n - 1)} } } } }`);

const cases: Case[] = [
  { code: 'GRAPHQL_PARSE_FAILED', send: (a) => post(production, a, { query: '{ sessions(first: ' }, as('all')) },
  { code: 'GRAPHQL_VALIDATION_FAILED', send: (a) => post(production, a, { query: '{ sessions { nope } }' }, as('all')) },
  { code: 'MAX_DEPTH_EXCEEDED', send: (a) => post(production, a, { query: `{ sessions(first: 1) { edges { node { ${deep(5)} } } } }` }, as('all')) },
  {
    code: 'MAX_ALIASES_EXCEEDED',
    send: (a) => post(production, a, { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }` }, as('all')),
  },
  { code: 'MAX_TOKENS_EXCEEDED', send: (a) => post(production, a, { query: `{ ${'__typename '.repeat(1200)} }` }, as('all')) },
  { code: 'MAX_DIRECTIVES_EXCEEDED', send: (a) => post(production, a, { query: `{ __typename ${'@skip(if: false) '.repeat(12)} }` }, as('all')) },
  {
    code: 'COST_LIMIT_EXCEEDED',
    send: (a) =>
      post(
        production,
        a,
        {
          query:
            '{ sessions(first: 100) { edges { node { conversation { sessions(first: 100) { edges { node { messages(first: 100) { edges { node { id } } } } } } } } } } }',
        },
        as('all'),
      ),
  },
  { code: 'INTROSPECTION_DISABLED', send: (a) => post(production, a, { query: '{ __schema { types { name } } }' }, as('all')) },
  {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    send: (a) => post(production, a, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, as('all')),
  },
  { code: 'PERSISTED_QUERY_ONLY', send: (a) => post(production, a, { query: '{ __typename }' }, as('persisted')) },
  { code: 'UNAUTHENTICATED', send: (a) => post(production, a, { query: '{ __typename }' }) },
  { code: 'FORBIDDEN', send: (a) => post(production, a, { query: 'mutation { ingestEinsteinSessions(sessions: []) { accepted } }' }, as('read')) },
  { code: 'CSRF_HEADER_MISSING', send: (a) => development.yoga.fetch('http://parley.test/graphql?query=%7B__typename%7D', { headers: { accept: a } }) },
  {
    code: 'BAD_USER_INPUT',
    send: (a) =>
      post(production, a, { query: 'query ($b: [String!]) { sessions(filter: { botIds: $b }) { totalCount } }', variables: { b: ['\u0000'] } }, as('all')),
  },
  {
    code: 'BAD_ID',
    send: (a) => post(production, a, { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: '%%%' } }, as('all')),
  },
  {
    code: 'NOT_FOUND',
    send: (a) => post(production, a, { query: '{ session(vendor: CHATLAYER, externalId: "nobody") { id } }' }, as('all')),
  },
  { code: 'PAGE_SIZE_EXCEEDED', send: (a) => post(production, a, { query: '{ sessions(first: 101) { totalCount } }' }, as('all')) },
  { code: 'BAD_PAGING', send: (a) => post(production, a, { query: '{ sessions(first: 1, last: 1) { totalCount } }' }, as('all')) },
  { code: 'BAD_CURSOR', send: (a) => post(production, a, { query: '{ sessions(first: 1, after: "bm9wZQ") { totalCount } }' }, as('all')) },
  {
    code: 'PII_SCOPE_REQUIRED',
    send: (a) => post(production, a, { query: '{ sessions(first: 1) { edges { node { ... on JourneySession { ipAddress } } } } }' }, as('all')),
  },
  { code: 'PERSISTED_QUERY_ID_REQUIRED', send: (a) => post(production, a, { variables: {} }, as('all')) },
  {
    code: 'BAD_REQUEST',
    send: (a) =>
      production.yoga.fetch(`http://parley.test/graphql?query=${encodeURIComponent('mutation { ingestEinsteinSessions(sessions: []) { accepted } }')}`, {
        headers: { accept: a, ...as('all') },
      }),
  },
  { code: 'REQUEST_ENTITY_TOO_LARGE', send: (a) => post(production, a, JSON.stringify({ query: `{ __typename } #${'x'.repeat(2_100_000)}` }), as('all')) },
  {
    code: 'RATE_LIMITED',
    send: async (a) => {
      await post(limited, a, { query: '{ __typename }' }, as('all'));
      return post(limited, a, { query: '{ __typename }' }, as('all'));
    },
  },
];

beforeAll(async () => {
  db = await openTestDatabase();
  keys.all = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read', 'ingest', 'admin'] });
  keys.read = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'] });
  keys.persisted = await createApiKey(db.prisma, { tenantSlug: 'acme', scopes: ['read'], persistedOnly: true });
  // A journey session, whose IP address is personal data.
  await writeSession(
    db.prisma,
    makeSession({ kind: 'JOURNEY', vendor: 'GENESYS_CLOUD', externalId: 'journey-1', data: { id: 'journey-1', ipAddress: '203.0.113.9' } }),
    keys.all.tenantId,
  );
  production = createGateway({
    database: db,
    production: true,
    logError: () => {},
    security: { rateLimit: null, persistedOperations: new Map([[operationHash(PERSISTED), PERSISTED]]) },
  });
  // One request a second: the second of two in a row is refused.
  limited = createGateway({ database: db, production: true, logError: () => {}, security: { rateLimit: { perSecond: 1, burst: 1, redisUrl: null } } });
  openDb = await openTestDatabase();
  development = createGateway({ database: openDb, logError: () => {}, security: { rateLimit: null } });
});

afterAll(async () => {
  await limited.security.close();
  await db.close();
  await openDb.close();
});

/** README's tables: each row naming codes in its first column, with a status per Accept after it. */
async function documentedStatuses(): Promise<Map<string, Record<Accept, number>>> {
  const readme = await readFile(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const statuses = new Map<string, Record<Accept, number>>();
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5) continue;
    const [, codes, spec, legacy] = cells;
    if (!/^\d{3}$/.test(spec ?? '') || !/^\d{3}$/.test(legacy ?? '')) continue;
    for (const code of codes!.matchAll(/`([A-Z_]+)`/g)) {
      statuses.set(code[1]!, { 'application/graphql-response+json': Number(spec), 'application/json': Number(legacy) });
    }
  }
  return statuses;
}

describe('error statuses per Accept', () => {
  it.each(cases.map((c) => [c.code, c] as const))('%s comes with the statuses README gives it', async (code, c) => {
    const documented = (await documentedStatuses()).get(code);
    expect(documented, `README's error tables give no statuses for ${code}`).toBeDefined();
    for (const accept of ACCEPTS) {
      const response = await c.send(accept);
      const text = await response.text();
      expect(text, `${code} under ${accept}`).toContain(code);
      expect(response.status, `${code} under ${accept}: ${text.slice(0, 200)}`).toBe(documented![accept]);
    }
  });
});
