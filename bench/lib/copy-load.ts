// The second ingest baseline: the same rows as the plain-INSERT baseline, loaded with PostgreSQL's COPY
// (CSV through COPY FROM STDIN; PGlite reads it from a blob). COPY is the physical limit of bulk
// loading: no statement per batch of rows, no parameters, no planning. Only the load is timed.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PlainBatch } from './plain-insert.js';
import { MESSAGE_COLUMNS, SESSION_COLUMNS } from './plain-insert.js';
import { now } from './timing.js';
import { inTransaction } from './transaction.js';

/** One CSV field: NULL is an empty unquoted field; everything else is quoted, quotes doubled. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

function csv(rows: readonly unknown[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(field).join(',')}\n`;
  return out;
}

/** Loads CSV into a table: through COPY FROM STDIN on a pg client, or a blob on PGlite. */
export interface CopyTarget {
  copy(table: string, columns: readonly string[], csvText: string): Promise<void>;
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

export function pgCopyTarget(client: pg.Client): CopyTarget {
  return {
    async copy(table, columns, text) {
      const names = columns.map((c) => `"${c}"`).join(', ');
      const stream = client.query(copyFrom(`COPY "${table}" (${names}) FROM STDIN WITH (FORMAT csv)`));
      await pipeline(Readable.from([text]), stream);
    },
    transaction: (work) => inTransaction((sql) => client.query(sql), work),
  };
}

export interface CopyOptions {
  tenantId: string | null;
}

/** Writes one batch with three COPYs in one transaction; returns the milliseconds it took (CSV building included). */
export async function writeCopyBatch(target: CopyTarget, batch: PlainBatch, options: CopyOptions): Promise<number> {
  const start = now();
  const tenant = options.tenantId === null ? [] : [options.tenantId];
  const tenantColumn = options.tenantId === null ? [] : ['tenantId'];
  const writtenAt = new Date().toISOString();
  await target.transaction(async () => {
    await target.copy('Conversation', ['id', 'externalId', ...tenantColumn], csv(batch.conversations.map((r) => [...r, ...tenant])));
    await target.copy('Session', [...SESSION_COLUMNS, 'updatedAt', ...tenantColumn], csv(batch.sessions.map((r) => [...r, writtenAt, ...tenant])));
    await target.copy('Message', MESSAGE_COLUMNS, csv(batch.messages));
  });
  return now() - start;
}
