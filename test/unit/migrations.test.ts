// The migration history must build exactly what schema.prisma describes, and the start-up runner
// must apply it once, record it where `prisma migrate` looks, and refuse an edited migration.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, readMigrations, type SqlRunner } from '../../src/db/migrate.js';
import { diffMigrationsAgainstSchema, schemaPath } from '../../src/db/schema-engine.js';

function runner(pglite: PGlite): SqlRunner {
  return {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows,
  };
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
