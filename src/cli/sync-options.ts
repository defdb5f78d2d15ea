// Command line of `npm run sync` and its summary: parsed and formatted here, run by ./sync.ts.
import { CONNECTORS, type ConnectorName } from '../connectors/settings.js';
import type { SyncSummary } from '../connectors/pass.js';
import { formatDuration } from './progress.js';

export const SYNC_EXIT = { ok: 0, skipped: 1, usage: 2, unavailable: 3, interrupted: 130 } as const;

export const SYNC_USAGE = `usage: npm run sync -- --vendor <${CONNECTORS.join(' | ')}> [--tenant <slug>] [--since <ISO date>]

  --vendor   the connector to run (configured by its environment: README, "Connectors")
  --tenant   the tenant the sessions are written into (default: SYNC_TENANT, else default)
  --since    read from this date instead of each stream's watermark (a backfill; the watermarks only move forward)

Writes to the database of DATABASE_URL (unset: embedded PGlite in ./data).`;

export interface SyncArgs {
  vendor: ConnectorName;
  tenant: string | null;
  since: Date | null;
}

export class SyncUsageError extends Error {
  override name = 'SyncUsageError';
}

export function parseSyncArgs(argv: readonly string[]): SyncArgs | 'help' {
  let vendor: string | undefined;
  let tenant: string | null = null;
  let since: Date | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new SyncUsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--vendor') vendor = value();
    else if (arg === '--tenant') tenant = value();
    else if (arg === '--since') {
      const raw = value();
      since = new Date(raw);
      if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(since.getTime()))
        throw new SyncUsageError(`--since must be an ISO 8601 date such as 2026-11-20 or 2026-11-20T08:00:00Z (got "${raw}")`);
    } else throw new SyncUsageError(`unknown argument "${arg}"`);
  }
  if (vendor === undefined) throw new SyncUsageError('--vendor is required');
  if (!(CONNECTORS as readonly string[]).includes(vendor)) throw new SyncUsageError(`--vendor must be one of ${CONNECTORS.join(', ')} (got "${vendor}")`);
  return { vendor: vendor as ConnectorName, tenant, since };
}

export function formatSummary(vendor: string, tenant: string, state: string, s: SyncSummary): string {
  return [
    `parley sync ${state}: --vendor ${vendor} --tenant ${tenant}`,
    ...(vendor === 'genesys' ? [`  bot flows   ${String(s.flows)}`] : []),
    `  pages       ${String(s.pages)}${s.badPages > 0 ? ` (${String(s.badPages)} unreadable: their streams stopped there)` : ''}`,
    `  created     ${String(s.created)}`,
    `  updated     ${String(s.updated)}`,
    `  unchanged   ${String(s.unchanged)}`,
    ...(vendor === 'genesys' ? [`  pending     ${String(s.pending)} (turns waiting for their session)`] : []),
    `  rejected    ${String(s.rejected)}`,
    `  requests    ${String(s.requests)} (${String(s.retries)} retries, ${String(s.rateLimited)} rate-limited)`,
    `  time        ${formatDuration(s.ms)}`,
  ].join('\n');
}
