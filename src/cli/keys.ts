// `npm run keys -- <command>`: API keys and tenants, on the gateway's own database (DATABASE_URL, the
// same configuration as `npm start`). Migrations are applied first, so it works on a fresh database.
// A new key is printed once, alone on the last line of stdout (`KEY=$(npm run -s keys -- create ... |
// tail -n 1)`); everything else goes to stderr. Only the key's hash is stored.
// Exit codes: 0 done, 1 no such key or tenant (revoke, list --tenant), 2 usage, 3 database.
import { ConfigError, loadConfig, type DatabaseConfig } from '../config.js';
import type { Database, Prisma } from '../db/client.js';
import { KEYS_USAGE, parseKeysArgs, UsageError, type KeysCommand, type RevokeTarget } from './keys-options.js';

export const EXIT = { ok: 0, notFound: 1, usage: 2, database: 3 } as const;

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const say = (message: string) => process.stderr.write(`parley keys: ${message}\n`);

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'unknown error'
  );
}

function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir ?? 'memory'}`;
}

function formatTime(date: Date | null): string {
  return date === null ? '-' : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

async function open(config: DatabaseConfig): Promise<Database> {
  // Loaded only now: Prisma and PGlite take a second to load, which a mistyped command should not wait for.
  const [{ openDatabase }, { DataDirInUseError }] = await Promise.all([import('../db/client.js'), import('../db/pglite-lock.js')]);
  try {
    return await openDatabase(config);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new Exit(
        EXIT.database,
        `${error.message}\nThe embedded database belongs to one process at a time: stop the gateway (npm start), run this command, then start it again.\nWith PostgreSQL (DATABASE_URL=postgres://...) keys can be managed while gateways run.`,
      );
    }
    throw new Exit(EXIT.database, `could not open the database (${describeDatabase(config)}): ${firstLine(error)}`);
  }
}

async function create(prisma: Prisma, command: Extract<KeysCommand, { command: 'create' }>): Promise<void> {
  const { createApiKey } = await import('../auth/keys.js');
  const keysBefore = await prisma.apiKey.count();
  const tenantExisted = (await prisma.tenant.count({ where: { slug: command.tenant } })) > 0;
  const created = await createApiKey(prisma, {
    tenantSlug: command.tenant,
    scopes: command.scopes,
    persistedOnly: command.persistedOnly,
    ...(command.label !== null ? { label: command.label } : {}),
  });
  if (!tenantExisted) say(`created tenant ${command.tenant}`);
  say(
    `created key ${created.id} (prefix pk_${created.prefix}) for tenant ${command.tenant}: scopes ${created.scopes.join(',')}` +
      `${created.persistedOnly ? ', persisted operations only' : ''}${command.label !== null ? `, label "${command.label}"` : ''}`,
  );
  if (keysBefore === 0) {
    say('this is the first key: development mode is over, every request to the gateway now needs a key');
  }
  say('the key is shown only this once (only its hash is stored); send it as `Authorization: Bearer <key>`:');
  // The key alone, on the last line of stdout.
  process.stdout.write(`${created.key}\n`);
}

async function revoke(prisma: Prisma, target: RevokeTarget): Promise<number> {
  const [{ revokeApiKey, hashKey, sameHash }] = await Promise.all([import('../auth/keys.js')]);
  const row =
    target.by === 'id'
      ? await prisma.apiKey.findUnique({ where: { id: target.id }, include: { tenant: true } })
      : await prisma.apiKey.findUnique({ where: { prefix: target.prefix }, include: { tenant: true } });
  const shown = target.by === 'id' ? target.id : `pk_${target.prefix}`;
  if (!row) {
    say(`no key ${shown} (see: npm run keys -- list)`);
    return EXIT.notFound;
  }
  if (target.by === 'key' && !sameHash(row.secretHash, hashKey(target.key))) {
    say(`the key given has the prefix pk_${target.prefix} but is not that key; to revoke the stored key anyway: npm run keys -- revoke pk_${target.prefix}`);
    return EXIT.notFound;
  }
  if (row.revokedAt !== null) {
    say(`key ${row.id} (pk_${row.prefix}, tenant ${row.tenant.slug}) was already revoked at ${formatTime(row.revokedAt)}`);
    return EXIT.ok;
  }
  const count = await revokeApiKey(prisma, row.id);
  if (count === 0) {
    say(`key ${row.id} was revoked meanwhile`);
    return EXIT.ok;
  }
  say(`revoked key ${row.id} (pk_${row.prefix}, tenant ${row.tenant.slug}); running gateways refuse it within 5 seconds`);
  return EXIT.ok;
}

async function list(prisma: Prisma, command: Extract<KeysCommand, { command: 'list' }>): Promise<number> {
  if (command.tenant !== null && (await prisma.tenant.count({ where: { slug: command.tenant } })) === 0) {
    say(`no tenant ${command.tenant}`);
    return EXIT.notFound;
  }
  // Selected field by field, so neither the hash nor anything else secret is ever read.
  const rows = await prisma.apiKey.findMany({
    where: command.tenant !== null ? { tenant: { slug: command.tenant } } : {},
    select: { id: true, prefix: true, scopes: true, persistedOnly: true, label: true, createdAt: true, revokedAt: true, tenant: { select: { slug: true } } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (command.json) {
    const out = rows.map((r) => ({
      id: r.id,
      tenant: r.tenant.slug,
      prefix: `pk_${r.prefix}`,
      scopes: r.scopes,
      persistedOnly: r.persistedOnly,
      label: r.label,
      createdAt: r.createdAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    say(command.tenant !== null ? `tenant ${command.tenant} has no keys` : 'no keys yet (the gateway is in development mode unless NODE_ENV=production)');
    return EXIT.ok;
  }
  const header = ['id', 'tenant', 'prefix', 'scopes', 'persisted-only', 'label', 'created', 'revoked'];
  const table = rows.map((r) => [
    r.id,
    r.tenant.slug,
    `pk_${r.prefix}`,
    r.scopes.join(','),
    r.persistedOnly ? 'yes' : 'no',
    r.label ?? '-',
    formatTime(r.createdAt),
    formatTime(r.revokedAt),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(header), ...table.map(line)].join('\n')}\n`);
  const active = rows.filter((r) => r.revokedAt === null).length;
  say(`${rows.length} key(s), ${active} active`);
  return EXIT.ok;
}

async function tenantSet(prisma: Prisma, command: Extract<KeysCommand, { command: 'tenant-set' }>): Promise<void> {
  const { randomUUID } = await import('node:crypto');
  const existed = (await prisma.tenant.count({ where: { slug: command.tenant } })) > 0;
  await prisma.tenant.upsert({
    where: { slug: command.tenant },
    create: { id: randomUUID(), slug: command.tenant, messageTextIsPii: command.messageTextIsPii },
    update: { messageTextIsPii: command.messageTextIsPii },
  });
  say(
    `${existed ? '' : `created tenant ${command.tenant}; `}tenant ${command.tenant}: message text ${command.messageTextIsPii ? 'is personal data (reading it needs the pii scope)' : 'is not personal data'}` +
      ' (running gateways apply it to a key within 5 seconds)',
  );
}

async function run(argv: readonly string[]): Promise<number> {
  const command = parseKeysArgs(argv);
  if (command.command === 'help') {
    process.stdout.write(`${KEYS_USAGE}\n`);
    return EXIT.ok;
  }
  // The same configuration as the gateway; the CLI's own flags are not the gateway's.
  const config = loadConfig(process.env, []);
  if (config.database.kind === 'pglite' && config.database.dataDir === null) {
    throw new UsageError('DATABASE_URL points at an in-memory database: keys made there vanish when this command exits');
  }
  const database = await open(config.database);
  try {
    switch (command.command) {
      case 'create':
        await create(database.prisma, command);
        return EXIT.ok;
      case 'revoke':
        return await revoke(database.prisma, command.target);
      case 'list':
        return await list(database.prisma, command);
      case 'tenant-set':
        await tenantSet(database.prisma, command);
        return EXIT.ok;
    }
  } catch (error) {
    if (error instanceof Exit) throw error;
    throw new Exit(EXIT.database, `database error (${describeDatabase(config.database)}): ${firstLine(error)}`);
  } finally {
    await database.close().catch(() => {});
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`parley keys: ${error.message}\n\n${KEYS_USAGE}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`parley keys: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof Exit) {
      process.stderr.write(`parley keys: ${error.message}\n`);
      process.exit(error.code);
    }
    process.stderr.write(`parley keys: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.database);
  },
);
