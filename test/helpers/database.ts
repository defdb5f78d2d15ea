// A fresh database per test file: in-memory PGlite, or a new PostgreSQL database dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';

export type TestDatabaseKind = 'pglite' | 'postgres';

export const testDatabaseKind = (process.env.PARLEY_TEST_DB ?? 'pglite') as TestDatabaseKind;

/** The server the postgres project uses; CI starts it (see .ci/run). */
export const testPostgresUrl = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** Every SQL statement Prisma sent since the last `statements.length = 0`. */
  statements: string[];
  url: string | null;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabaseName(testPostgresUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function openTestDatabase(kind: TestDatabaseKind = testDatabaseKind): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (sql: string) => statements.push(sql);
  if (kind === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', dataDir: null }, { onQuery });
    return { ...db, statements, url: null };
  }
  const created = await createPostgresDatabase();
  const db = await openDatabase({ kind: 'postgres', url: created.url }, { onQuery, poolSize: 4 });
  return {
    ...db,
    statements,
    url: created.url,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}
