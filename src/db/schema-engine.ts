// Drives Prisma's WASM schema engine offline: the native engine that `prisma migrate` downloads
// cannot be fetched on our machines. Used only by the migration script and the migration tests.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

export const projectRoot = path.resolve(import.meta.dirname, '../..');
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma/migrations');

// Node has WebAssembly, but @types/node 20 does not declare it; this is the one call we make.
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }> };
  }
).WebAssembly;

const noFilters = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// wasm-bindgen keeps its instance in module state: instantiate once per process, or the second
// engine runs against a half-replaced instance.
let engineModule: Promise<EngineModule> | undefined;
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= instantiateEngineModule();
  return engineModule;
}

async function instantiateEngineModule(): Promise<EngineModule> {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const require = createRequire(import.meta.url);
  // The .wasm file is not in the package's exports map: find it beside the module that is.
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const { instance } = await wasmRuntime.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg });
  const exports = instance.exports as { __wbindgen_start: () => void };
  bg.__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  return bg;
}

export async function readMigrationsList(dir = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(dir, name, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

export interface EngineSession {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** A schema engine over a fresh in-memory PGlite: the database it migrates is thrown away afterwards. */
export async function openSchemaEngine(schemaFile = schemaPath): Promise<EngineSession> {
  const { SchemaEngine } = await loadEngineModule();
  const pglite = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
  const schema = await readFile(schemaFile, 'utf8');
  const engine = await SchemaEngine.new({ datamodels: [[schemaFile, schema]] }, () => {}, adapter);
  return {
    engine,
    async close() {
      engine.free();
      await pglite.close();
    },
  };
}

/** SQL that would bring a database built from the migration history to `schema.prisma`; empty when in sync. */
export async function diffMigrationsAgainstSchema(schemaFile = schemaPath): Promise<string> {
  const { engine, close } = await openSchemaEngine(schemaFile);
  try {
    const schema = await readFile(schemaFile, 'utf8');
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationsList()) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  } finally {
    await close();
  }
}

/** Writes a new migration directory for whatever `schema.prisma` adds to the history; returns its name. */
export async function createMigration(name: string): Promise<string | null> {
  const { engine, close } = await openSchemaEngine();
  try {
    const schema = await readFile(schemaPath, 'utf8');
    const migrationsList = await readMigrationsList();
    await engine.applyMigrations({ migrationsList, filters: noFilters });
    await engine.devDiagnostic({ migrationsList, filters: noFilters });
    const created = await engine.createMigration({
      draft: false,
      migrationName: name,
      migrationsList,
      schema: { files: [{ path: schemaPath, content: schema }] },
      filters: noFilters,
    });
    if (created.migrationScript === null) return null;
    const dir = path.join(migrationsDir, created.generatedMigrationName);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `migration.${created.extension}`), created.migrationScript);
    const lockPath = path.join(migrationsDir, 'migration_lock.toml');
    if (migrationsList.lockfile.content === null) {
      await writeFile(
        lockPath,
        '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
      );
    }
    return created.generatedMigrationName;
  } finally {
    await close();
  }
}
