// The migration history must build exactly what schema.prisma describes, and the start-up runner
// must apply it once, record it where `prisma migrate` looks, and refuse an edited migration.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import { describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, readMigrations, type SqlRunner } from '../../src/db/migrate.js';
import { diffMigrationsAgainstSchema, schemaPath } from '../../src/db/schema-engine.js';
import { figureMismatches } from '../helpers/figures.js';

function runner(pglite: PGlite): SqlRunner {
  return {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
}

/** A database with every migration before the one whose name ends with `suffix` applied, and not it. */
async function migratedUpTo(suffix: string): Promise<{ pglite: PGlite; db: SqlRunner }> {
  const all = await readMigrations();
  const index = all.findIndex((m) => m.name.endsWith(suffix));
  expect(index).toBeGreaterThan(0);
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-migrations-'));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  for (const later of all.slice(index)) await rm(path.join(dir, later.name), { recursive: true });
  const pglite = await PGlite.create();
  const db = runner(pglite);
  await applyMigrations(db, dir);
  return { pglite, db };
}

describe('migrations', () => {
  it('yield exactly schema.prisma (empty diff)', async () => {
    expect(await diffMigrationsAgainstSchema()).toBe('');
  }, 120_000);

  it('would show a schema change that has no migration', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-schema-'));
    const changed = path.join(dir, 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(changed, schema.replace('model Message {', 'model Message {\n  starred Boolean @default(false)'));
    expect(await diffMigrationsAgainstSchema(changed)).toMatch(/ADD COLUMN\s+"starred"/);
  }, 120_000);

  it('are applied once and recorded in _prisma_migrations', async () => {
    const pglite = await PGlite.create();
    const db = runner(pglite);
    const all = (await readMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(await applyMigrations(db)).toEqual(all);
    expect(await applyMigrations(db)).toEqual([]);
    const rows = await db.query<{ migration_name: string; finished_at: Date | null }>('SELECT migration_name, finished_at FROM "_prisma_migrations"');
    expect(rows.map((r) => r.migration_name).sort()).toEqual(all);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    await pglite.close();
  });

  it("count the metrics' rollup of the sessions stored before it existed", async () => {
    // Everything up to the migration that creates the rollup, then sessions and messages of each
    // recognition signal, then that migration: its rows must equal a recount of the tables.
    const { pglite, db } = await migratedUpTo('_session_figures');
    await db.exec(`
      INSERT INTO "Tenant" ("id", "slug") VALUES ('00000000-0000-4000-8000-0000000000aa', 'm');
      INSERT INTO "Session" ("id", "tenantId", "kind", "vendor", "externalId", "botId", "status", "outcome", "createdAt", "lastActiveAt", "endedAt", "data", "updatedAt") VALUES
        ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000aa', 'BOT_FLOW', 'GENESYS_CLOUD', 'g', 'flow', 'ENDED', 'ESCALATED',
         '2026-11-20T10:00:00Z', '2026-11-20T10:01:00Z', '2026-11-20T10:01:30.25Z', '{}', now()),
        ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-0000000000aa', 'CHATLAYER', 'CHATLAYER', 'c', 'bot', 'ACTIVE', NULL,
         '2026-11-20T11:00:00Z', '2026-11-20T11:00:00Z', NULL, '{}', now()),
        ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-0000000000aa', 'EINSTEIN_BOT', 'SALESFORCE_EINSTEIN', 'e', NULL, 'ACTIVE', NULL,
         '2026-11-20T12:00:00Z', '2026-11-20T12:00:00Z', NULL, '{}', now());
      INSERT INTO "Message" ("id", "sessionId", "key", "sequence", "sender", "type", "intent", "data") VALUES
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', 'turn:a:0', 1, 'USER', 'TEXT', 'billing', '{"askActionResult": "SuccessCollection"}'),
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', 'turn:a:1', 2, 'BOT', 'TEXT', NULL, '{"askActionResult": "SuccessCollection"}'),
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000001', 'turn:b:0', 3, 'USER', 'TEXT', NULL, '{"askActionResult": "NoMatchCollection"}'),
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000002', 'm1', 1, 'USER', 'TEXT', 'billing', '{"snapshot": {"nlp": {"intent": "billing"}}}'),
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000002', 'm2', 2, 'USER', 'TEXT', NULL, '{"snapshot": {"nlp": {}}}'),
        (gen_random_uuid(), '00000000-0000-4000-8000-000000000002', 'm3', 3, 'BOT', 'TEXT', NULL, '{}');`);
    await applyMigrations(db);
    const query = async <T>(sql: string, params: unknown[]) => (await pglite.query<T>(sql, params)).rows;
    expect(await figureMismatches(query)).toEqual([]);
    const rows = await db.query<{ kind: string; judgedTurns: number; failedTurns: number; intents: unknown }>(
      `SELECT s."kind"::text AS "kind", f."judgedTurns", f."failedTurns", f."intents" FROM "SessionFigures" f JOIN "Session" s ON s."id" = f."sessionId" ORDER BY 1`,
    );
    expect(rows).toEqual([
      { kind: 'BOT_FLOW', judgedTurns: 2, failedTurns: 1, intents: { billing: 1 } },
      { kind: 'CHATLAYER', judgedTurns: 2, failedTurns: 1, intents: { billing: 1 } },
      { kind: 'EINSTEIN_BOT', judgedTurns: 0, failedTurns: 0, intents: {} },
    ]);
    await pglite.close();
  });

  it('number the events kept before per-tenant ids per tenant, above every id given out before', async () => {
    const { pglite, db } = await migratedUpTo('_tenant_event_ids');
    // Two tenants' events, interleaved in the old global numbering (1..5, 3 pruned), and a tenant with none.
    const [acme, globex, initech] = ['aa', 'bb', 'cc'].map((x) => `00000000-0000-4000-8000-0000000000${x}`);
    await db.exec(`
      INSERT INTO "Tenant" ("id", "slug") VALUES ('${acme}', 'acme'), ('${globex}', 'globex'), ('${initech}', 'initech');
      UPDATE "LiveEventCounter" SET "last" = 5, "prunedThrough" = 0;
      INSERT INTO "LiveEvent" ("id", "tenantId", "kind", "sessionId", "at") VALUES
        (1, '${acme}', 'CREATED', gen_random_uuid(), now()), (2, '${globex}', 'CREATED', gen_random_uuid(), now()),
        (4, '${acme}', 'UPDATED', gen_random_uuid(), now()), (5, '${globex}', 'UPDATED', gen_random_uuid(), now());`);
    await applyMigrations(db);
    const events = await db.query<{ id: string; tenantId: string; seq: string }>(
      `SELECT "id"::text, "tenantId"::text, "seq"::text FROM "LiveEvent" ORDER BY "id"`,
    );
    expect(events).toEqual([
      { id: '1', tenantId: acme, seq: '1000000000001' },
      { id: '2', tenantId: globex, seq: '1000000000001' },
      { id: '4', tenantId: acme, seq: '1000000000002' },
      { id: '5', tenantId: globex, seq: '1000000000002' },
    ]);
    // Every tenant goes on above any old id, so an id a client kept from before can never name a new event.
    const counters = await db.query<{ tenantId: string; last: string }>(`SELECT "tenantId"::text, "last"::text FROM "TenantEventCounter" ORDER BY 1`);
    expect(counters).toEqual([
      { tenantId: DEFAULT_TENANT_ID, last: '1000000000000' },
      { tenantId: acme, last: '1000000000002' },
      { tenantId: globex, last: '1000000000002' },
      { tenantId: initech, last: '1000000000000' },
    ]);
    await pglite.close();
  });

  it('refuse to start when an applied migration was edited, and roll back a failing one whole', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    const pglite = await PGlite.create();
    const db = runner(pglite);
    await applyMigrations(db, dir);
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited`);
    await expect(applyMigrations(db, dir)).rejects.toThrow(/changed after it was applied/);

    await writeFile(path.join(dir, first!.name, 'migration.sql'), first!.sql);
    await cp(path.join(dir, first!.name), path.join(dir, '99999999999999_broken'), { recursive: true });
    await writeFile(path.join(dir, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();');
    await expect(applyMigrations(db, dir)).rejects.toThrow(/99999999999999_broken failed/);
    const leftovers = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(leftovers).toEqual([]);
    await pglite.close();
  });
});
