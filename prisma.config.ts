import path from 'node:path';
import { defineConfig } from 'prisma/config';

// `prisma generate`, `validate` and `format` insist on a schema engine binary being present;
// they never run it. Point them at a stub so they work offline (docs/architecture.md, "Stack, and why"; README "Migrations").
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, 'scripts/no-schema-engine.sh');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
