// npm run db:migration -- <name>: writes prisma/migrations/<stamp>_<name>/ for what schema.prisma adds.
import { createMigration } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower-case letters, digits and _)');
  process.exit(2);
}
const created = await createMigration(name);
console.log(created ? `created prisma/migrations/${created}/migration.sql` : 'schema.prisma adds nothing: no migration created');
