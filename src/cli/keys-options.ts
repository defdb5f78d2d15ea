// Command line of `npm run keys`: which command and its flags. Every problem is a usage error (exit 2),
// found before the database is opened, so a mistyped command line fails at once.
import { SCOPES, type Scope } from '../auth/principal.js';
import { UsageError } from './options.js';

export { UsageError };

export const TENANT_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_LABEL = 200;

export const KEYS_USAGE = `usage: npm run keys -- <command>

  create --tenant <slug> --scopes <scope,...> [--persisted-only] [--label <text>]
        creates an API key (and the tenant, the first time its slug is used); the key is printed once,
        alone on the last line of stdout, and only its hash is stored
  revoke <key id | prefix | full key>
        revokes a key at once for new connections (a running gateway may honour it for up to 5 s more)
  list [--tenant <slug>] [--json]
        every key: id, tenant, prefix, scopes, persisted-only, label, created, revoked (never the secret)
  tenant set --tenant <slug> --message-text-pii true|false
        whether the tenant's message text is personal data (reading it then needs the pii scope);
        creates the tenant if needed, so the flag can be set before its first key

  tenant slug  ${TENANT_SLUG.source}
  scopes       read (queries, subscriptions), ingest (ingest routes, mutations),
               pii (personal data fields), admin (reserved for administration)

Works on the database of DATABASE_URL (unset: embedded PGlite in ./data, which a running gateway locks:
stop it first). Exit codes: 0 done, 1 no such key or tenant, 2 usage, 3 database.`;

export type KeysCommand =
  | { command: 'help' }
  | { command: 'create'; tenant: string; scopes: Scope[]; persistedOnly: boolean; label: string | null }
  | { command: 'revoke'; target: RevokeTarget }
  | { command: 'list'; tenant: string | null; json: boolean }
  | { command: 'tenant-set'; tenant: string; messageTextIsPii: boolean };

/** What `revoke` was given: a key id (UUID), a prefix (`pk_<12 hex>` or the 12 hex digits), or the whole key. */
export type RevokeTarget = { by: 'id'; id: string } | { by: 'prefix'; prefix: string } | { by: 'key'; prefix: string; key: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = /^(?:pk_)?([0-9a-f]{12})_?$/;
const FULL_KEY = /^pk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function parseRevokeTarget(text: string): RevokeTarget {
  const value = text.trim();
  if (UUID.test(value)) return { by: 'id', id: value.toLowerCase() };
  const full = FULL_KEY.exec(value);
  if (full) return { by: 'key', prefix: full[1]!, key: value };
  const prefix = PREFIX.exec(value);
  if (prefix) return { by: 'prefix', prefix: prefix[1]! };
  throw new UsageError(`"${text}" is not a key id (a UUID), a key prefix (pk_ and 12 hex digits) or a whole key`);
}

export function parseScopes(text: string): Scope[] {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = parts.filter((part) => !(SCOPES as readonly string[]).includes(part));
  if (unknown.length > 0) throw new UsageError(`unknown scope(s): ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  if (parts.length === 0) throw new UsageError(`--scopes needs at least one of ${SCOPES.join(', ')}`);
  // Canonical order, no duplicates.
  return SCOPES.filter((scope) => parts.includes(scope));
}

export function checkSlug(slug: string): string {
  if (!TENANT_SLUG.test(slug)) {
    throw new UsageError(`"${slug}" is not a tenant slug: lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters`);
  }
  return slug;
}

function parseBoolean(flag: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError(`${flag} must be true or false (got "${text}")`);
}

interface Flags {
  values: Map<string, string>;
  switches: Set<string>;
  positional: string[];
}

/** `--flag value`, `--flag=value` and bare switches; anything not declared is a usage error. */
function parseFlags(argv: readonly string[], valued: readonly string[], switches: readonly string[]): Flags {
  const flags: Flags = { values: new Map(), switches: new Set(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--') continue;
    if (valued.includes(flag)) {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      if (flags.values.has(flag)) throw new UsageError(`${flag} given twice`);
      flags.values.set(flag, next);
    } else if (switches.includes(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      flags.switches.add(flag);
    } else if (flag.startsWith('-')) {
      const known = [...valued, ...switches];
      throw new UsageError(`unknown option ${flag}${known.length > 0 ? ` (known here: ${known.join(' ')})` : ''}`);
    } else flags.positional.push(arg);
  }
  return flags;
}

function noPositional(flags: Flags, command: string): void {
  if (flags.positional.length > 0) throw new UsageError(`${command} takes no argument "${flags.positional[0]}"`);
}

function required(flags: Flags, flag: string, command: string): string {
  const value = flags.values.get(flag);
  if (value === undefined) throw new UsageError(`${command} needs ${flag}`);
  return value;
}

export function parseKeysArgs(argv: readonly string[]): KeysCommand {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [command, ...rest] = args;
  if (command === undefined) throw new UsageError('no command given');
  if (command === '-h' || command === '--help' || command === 'help' || rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  switch (command) {
    case 'create': {
      const flags = parseFlags(rest, ['--tenant', '--scopes', '--label'], ['--persisted-only']);
      noPositional(flags, 'create');
      const tenant = checkSlug(required(flags, '--tenant', 'create'));
      const scopes = parseScopes(required(flags, '--scopes', 'create'));
      const labelText = flags.values.get('--label');
      let label: string | null = null;
      if (labelText !== undefined) {
        label = labelText.trim();
        // biome-ignore lint/suspicious/noControlCharactersInRegex: a label with control characters is refused.
        if (/[\u0000-\u001f\u007f]/.test(label)) throw new UsageError('--label must be one line of printable text');
        if (label.length > MAX_LABEL) throw new UsageError(`--label is at most ${MAX_LABEL} characters (got ${label.length})`);
        if (label === '') label = null;
      }
      return { command: 'create', tenant, scopes, persistedOnly: flags.switches.has('--persisted-only'), label };
    }
    case 'revoke': {
      const flags = parseFlags(rest, [], []);
      if (flags.positional.length === 0) throw new UsageError('revoke needs a key id, prefix or key (see: npm run keys -- list)');
      if (flags.positional.length > 1) throw new UsageError(`revoke takes one key at a time (got ${flags.positional.length})`);
      return { command: 'revoke', target: parseRevokeTarget(flags.positional[0]!) };
    }
    case 'list': {
      const flags = parseFlags(rest, ['--tenant'], ['--json']);
      noPositional(flags, 'list');
      const tenant = flags.values.get('--tenant');
      return { command: 'list', tenant: tenant === undefined ? null : checkSlug(tenant), json: flags.switches.has('--json') };
    }
    case 'tenant': {
      const [sub, ...tail] = rest;
      if (sub !== 'set') throw new UsageError(sub === undefined ? 'tenant needs a subcommand: set' : `unknown tenant subcommand "${sub}" (known: set)`);
      const flags = parseFlags(tail, ['--tenant', '--message-text-pii'], []);
      noPositional(flags, 'tenant set');
      const tenant = checkSlug(required(flags, '--tenant', 'tenant set'));
      const messageTextIsPii = parseBoolean('--message-text-pii', required(flags, '--message-text-pii', 'tenant set'));
      return { command: 'tenant-set', tenant, messageTextIsPii };
    }
    default:
      throw new UsageError(`unknown command "${command}" (known: create, revoke, list, tenant set)`);
  }
}
