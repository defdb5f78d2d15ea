// Command line of `npm run import`: which vendor kind, which file, and how. Every problem is a usage
// error (exit 2), reported with the usage text so the fix is on screen.
import type { IngestRoute } from '../ingest/types.js';

/** CLI vendor names → ingest routes (the same handlers as the HTTP routes and mutations). */
export const IMPORT_VENDORS = {
  'genesys-bot-flow': 'genesys.botFlowSessions',
  'genesys-turns': 'genesys.reportingTurns',
  'genesys-journey': 'genesys.journeySessions',
  einstein: 'einstein.sessions',
  chatlayer: 'chatlayer.sessions',
  'chatlayer-webhook': 'chatlayer.webhook',
} as const satisfies Record<string, IngestRoute>;
export type ImportVendor = keyof typeof IMPORT_VENDORS;

export type FileFormat = 'ndjson' | 'json';

export interface ImportOptions {
  vendor: ImportVendor;
  /** Slug of the tenant to import into. */
  tenant: string;
  file: string;
  format: FileFormat;
  restart: boolean;
  chunkSize: number;
}

export const DEFAULT_CHUNK_SIZE = 500;
const MAX_CHUNK_SIZE = 10_000;

export const USAGE = `usage: npm run import -- --vendor <vendor> [--tenant <slug>] [--restart] [--chunk-size N] <file.ndjson|file.jsonl|file.json>

  --vendor        ${Object.keys(IMPORT_VENDORS).join(' | ')}
  --tenant        the tenant the sessions belong to (default: default; create others with npm run keys)
  --restart       ignore a saved checkpoint and import the whole file again
  --chunk-size N  items per transaction (default ${DEFAULT_CHUNK_SIZE}, at most ${MAX_CHUNK_SIZE})

Writes to the database of DATABASE_URL (unset: embedded PGlite in ./data).`;

export class UsageError extends Error {
  override name = 'UsageError';
}

function isVendor(value: string): value is ImportVendor {
  return Object.hasOwn(IMPORT_VENDORS, value);
}

export function formatOf(file: string): FileFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  return null;
}

export function parseImportArgs(argv: readonly string[]): ImportOptions | 'help' {
  let vendor: string | undefined;
  let chunkSize = DEFAULT_CHUNK_SIZE;
  let restart = false;
  let tenant = 'default';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `--flag=value` and `--flag value` both work: npm users type either.
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '-h' || flag === '--help') return 'help';
    else if (flag === '--vendor') vendor = value();
    else if (flag === '--restart') restart = true;
    else if (flag === '--tenant') tenant = value();
    else if (flag === '--chunk-size') {
      const raw = value();
      chunkSize = Number(raw);
      if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
        throw new UsageError(`--chunk-size must be an integer from 1 to ${MAX_CHUNK_SIZE} (got "${raw}")`);
      }
    } else if (flag === '--') continue;
    else if (flag.startsWith('-') && flag !== '-') throw new UsageError(`unknown option ${flag}`);
    else files.push(arg);
  }
  if (vendor === undefined) throw new UsageError('--vendor is required');
  if (!isVendor(vendor)) throw new UsageError(`unknown vendor "${vendor}" (known: ${Object.keys(IMPORT_VENDORS).join(', ')})`);
  if (files.length === 0) throw new UsageError('no file given');
  if (files.length > 1) throw new UsageError(`one file at a time (got ${files.length}: ${files.join(' ')})`);
  const file = files[0]!;
  const format = formatOf(file);
  if (format === null)
    throw new UsageError(`cannot tell the format of "${file}": name it .ndjson or .jsonl (one item per line) or .json (one document or an array)`);
  return { vendor, file, format, restart, chunkSize, tenant };
}
