// One Prisma client per gateway, on PGlite (embedded, default) or PostgreSQL (DATABASE_URL),
// chosen by configuration; migrations are applied before the client is handed out.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from './settings.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { applyMigrations, type SqlRunner } from './migrate.js';
import { lockDataDir } from './pglite-lock.js';

export type Prisma = PrismaClient;

export interface Database {
  prisma: Prisma;
  kind: DatabaseConfig['kind'];
  /** The PostgreSQL URL (null on PGlite): for what needs a connection of its own (a session-level lock). */
  url: string | null;
  /** What the connection pool holds now (PostgreSQL; absent on PGlite): /metrics shows it. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with every SQL statement Prisma sends (tests count them). */
  onQuery?: (sql: string) => void;
  migrationsDir?: string;
  /** Postgres pool size per process. */
  poolSize?: number;
}

function createPrisma(adapter: SqlDriverAdapterFactory, onQuery?: (sql: string) => void): Prisma {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery(event.query));
  // The log option only widens $on's event names; the client is otherwise the same type.
  return prisma as unknown as Prisma;
}

function pgliteRunner(pglite: PGlite): SqlRunner {
  return {
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
  };
}

function pgRunner(client: pg.Client): SqlRunner {
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<Row>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as Row[];
    },
  };
}

export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Promise<Database> {
  if (config.kind === 'pglite') {
    let unlock = async () => {};
    if (config.dataDir) {
      await mkdir(config.dataDir, { recursive: true });
      unlock = await lockDataDir(config.dataDir);
    }
    let pglite: PGlite | undefined;
    try {
      pglite = config.dataDir ? await PGlite.create(config.dataDir) : await PGlite.create();
      await applyMigrations(pgliteRunner(pglite), options.migrationsDir);
    } catch (error) {
      await pglite?.close();
      await unlock();
      throw error;
    }
    const embedded = pglite;
    const prisma = createPrisma(new PrismaPGlite(embedded), options.onQuery);
    return {
      prisma,
      kind: 'pglite',
      url: null,
      async close() {
        await prisma.$disconnect();
        await embedded.close();
        await unlock();
      },
    };
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    await applyMigrations(pgRunner(client), options.migrationsDir);
  } finally {
    await client.end();
  }
  // Our own pool, handed to the adapter, so its use can be read (/metrics). An idle connection the server
  // drops emits 'error' on the pool; the next query reconnects (and reports its own failure).
  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
  pool.on('error', () => {});
  const prisma = createPrisma(new PrismaPg(pool), options.onQuery);
  let closed = false;
  return {
    prisma,
    kind: 'postgres',
    url: config.url,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await prisma.$disconnect();
      if (!closed) {
        closed = true;
        await pool.end();
      }
    },
  };
}
