// Drives the real gateway through `yoga.fetch`, on the database of this test run.
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { openDatabase } from '../../src/db/client.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface IngestReply {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  pending: number;
  rejectedCount: number;
  rejected: { index: number; path: string; message: string }[];
  warningCount: number;
  warnings: { index: number; path: string; message: string }[];
  error?: { code: string; message: string; byteOffset?: number };
}

export interface TestGateway {
  gateway: Gateway;
  db: TestDatabase;
  /** Unexpected errors the gateway logged (masked for the client): a test fails if any appear. */
  loggedErrors: unknown[];
  /** What the gateway logged for operators (expired pending messages, a Redis outage). */
  logLines: string[];
  graphql<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<Data>>;
  /** POSTs to an ingest route: objects and arrays as JSON, strings as sent (with `contentType`). */
  ingest(path: string, body: unknown, contentType?: string): Promise<{ status: number; headers: Headers; body: IngestReply }>;
  close(): Promise<void>;
}

export async function startTestGateway(options: Omit<Partial<GatewayOptions>, 'database'> = {}): Promise<TestGateway> {
  return gatewayOn(await openTestDatabase(), options);
}

/**
 * A second gateway on the same database, as a second gateway process would be: on PostgreSQL with a
 * connection pool of its own (its writes race the first gateway's on other connections); on in-memory
 * PGlite, which belongs to one process, over the same database handle.
 */
export async function startSecondGateway(first: TestGateway, options: Omit<Partial<GatewayOptions>, 'database'> = {}): Promise<TestGateway> {
  if (first.db.url === null) return { ...gatewayOn(first.db, options), close: async () => {} };
  const statements: string[] = [];
  const database = await openDatabase({ kind: 'postgres', url: first.db.url }, { onQuery: (sql) => statements.push(sql), poolSize: 4 });
  return gatewayOn({ ...database, statements, url: first.db.url }, options);
}

function gatewayOn(db: TestDatabase, options: Omit<Partial<GatewayOptions>, 'database'> = {}): TestGateway {
  const loggedErrors: unknown[] = [];
  const logLines: string[] = [];
  const gateway = createGateway({ ...options, database: db, logError: (error) => loggedErrors.push(error), log: (line) => logLines.push(line) });
  return {
    gateway,
    db,
    loggedErrors,
    logLines,
    async graphql(query, variables) {
      const response = await gateway.yoga.fetch('http://parley.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    async ingest(path, body, contentType) {
      const response = await gateway.yoga.fetch(`http://parley.test${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType ?? 'application/json' },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as IngestReply };
    },
    close: () => db.close(),
  };
}
