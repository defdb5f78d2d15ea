// A fresh, migrated database per benchmark run: in-memory PGlite, or a new PostgreSQL database
// (parley_bench_<random>) on the server of PARLEY_BENCH_POSTGRES_URL, dropped when the run ends,
// whether it succeeded, failed or was interrupted (Ctrl-C).
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { applyMigrations, type SqlRunner } from '../../src/db/migrate.js';
import { pgCopyTarget, type CopyTarget } from './copy-load.js';
import { inTransaction } from './transaction.js';

export type BenchDatabaseKind = 'pglite' | 'postgres';

export const benchPostgresUrl = (): string => process.env.PARLEY_BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

// ---- cleanup that also runs on Ctrl-C ----

const cleanups = new Set<() => Promise<void>>();
let signalsInstalled = false;

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}: dropping benchmark databases...`);
      void runAllCleanups().finally(() => process.exit(130));
    });
  }
}

async function runAllCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map((cleanup) => cleanup()));
}

/** Registers `cleanup` to run on Ctrl-C too; the returned function runs it (once) and unregisters it. */
function registerCleanup(cleanup: () => Promise<void>): () => Promise<void> {
  installSignalHandlers();
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    cleanups.delete(run);
    await cleanup();
  };
  cleanups.add(run);
  return run;
}

// ---- PostgreSQL databases ----

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PostgresBenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE parley_bench_<random> on the benchmark server; `drop` (also run on Ctrl-C) removes it. */
export async function createPostgresDatabase(serverUrl = benchPostgresUrl()): Promise<PostgresBenchDatabase> {
  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const drop = registerCleanup(() => onServer(serverUrl, async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))));
  return { name, url: withDatabaseName(serverUrl, name), drop };
}

export async function postgresServerVersion(serverUrl = benchPostgresUrl()): Promise<string> {
  return onServer(serverUrl, async (client) => (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version);
}

// ---- the plain driver, for baselines ----

/** What a baseline needs from a bare driver connection: parameterised statements and transactions. */
export interface DriverClient {
  kind: BenchDatabaseKind;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in BEGIN ... COMMIT (ROLLBACK when it throws). */
  transaction<T>(work: (query: DriverClient['query']) => Promise<T>): Promise<T>;
  /** COPY into the same database (the COPY baseline). */
  copyTarget: CopyTarget;
  close(): Promise<void>;
}

/**
 * A migrated fresh database reached through the bare driver: one `pg.Client` (PostgreSQL) or the
 * PGlite instance itself, with no Prisma in between.
 */
export async function openDriverDatabase(kind: BenchDatabaseKind): Promise<DriverClient> {
  if (kind === 'pglite') {
    const pglite = await PGlite.create();
    const query = async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows;
    const runner: SqlRunner = { exec: async (sql) => void (await pglite.exec(sql)), query };
    await applyMigrations(runner);
    return {
      kind,
      query,
      transaction: (work) => pglite.transaction(async (tx) => work(async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows)),
      copyTarget: {
        // PGlite reads COPY data from a blob it is given with the statement.
        async copy(table, columns, text) {
          const names = columns.map((c) => `"${c}"`).join(', ');
          await pglite.query(`COPY "${table}" (${names}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([text]) });
        },
        transaction: (work) => inTransaction((sql) => pglite.exec(sql), work),
      },
      close: () => pglite.close(),
    };
  }
  const database = await createPostgresDatabase();
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const query = async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[];
    await applyMigrations({ exec: async (sql) => void (await client.query(sql)), query });
    return {
      kind,
      query,
      copyTarget: pgCopyTarget(client),
      transaction: (work) =>
        inTransaction(
          (sql) => client.query(sql),
          () => work(query),
        ),
      async close() {
        try {
          await client.end();
        } finally {
          await database.drop();
        }
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

// ---- Parley's own database (Prisma), for the gateway under test ----

export interface ParleyBenchDatabase {
  database: Database;
  close(): Promise<void>;
}

/** A fresh database opened the way the gateway opens it (`openDatabase`, migrations applied). */
export async function openParleyDatabase(kind: BenchDatabaseKind, options: { poolSize?: number } = {}): Promise<ParleyBenchDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    return { database, close: () => database.close() };
  }
  const created = await createPostgresDatabase();
  let database: Database;
  try {
    database = await openDatabase({ kind: 'postgres', url: created.url }, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  } catch (error) {
    await created.drop();
    throw error;
  }
  return {
    database,
    async close() {
      try {
        await database.close();
      } finally {
        await created.drop();
      }
    },
  };
}
