// The ingest baseline: the rows Parley would store, written with plain multi-row INSERT ... VALUES
// statements through the bare driver, one transaction per batch. No validation, no idempotency, no
// hashing of content, no ORM: the floor a bulk write path is measured against.
import { createHash, randomUUID } from 'node:crypto';
import type { NormalizedSession } from '../../src/vendors/normalized.js';
import { now } from './timing.js';

/** PostgreSQL's limit on bind parameters per statement (the wire protocol counts them in 16 bits). */
const MAX_PARAMS = 65_535;
/**
 * Rows per INSERT statement. Measured on both databases (4,000 sessions): 1,000-2,000 rows per
 * statement is ~12% faster than filling all 65,535 parameters (planning huge VALUES lists costs), and
 * 250 is slower again; the baseline should be the best plain INSERT, not a handicapped one.
 */
export const ROWS_PER_STATEMENT = 1000;

export const SESSION_COLUMNS = [
  'id',
  'kind',
  'vendor',
  'externalId',
  'botId',
  'channel',
  'language',
  'status',
  'outcome',
  'createdAt',
  'lastActiveAt',
  'endedAt',
  'conversationId',
  'data',
  'sourceUpdatedAt',
  'contentHash',
] as const;
export const MESSAGE_COLUMNS = [
  'id',
  'sessionId',
  'key',
  'sequence',
  'ordinal',
  'sender',
  'type',
  'text',
  'choices',
  'timestamp',
  'intent',
  'data',
  'contentHash',
] as const;

/** A row's values in column order; JSON columns still hold their objects (serialised when written). */
type Row = unknown[];

/** One batch of rows, ready to write (ids assigned); built outside the timed part. */
export interface PlainBatch {
  conversations: Row[];
  sessions: Row[];
  messages: Row[];
  sessionCount: number;
  messageCount: number;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
// A stand-in of the same size as Parley's content hash (SHA-256, base64url), so rows weigh the same.
const stubHash = (key: string) => createHash('sha256').update(key).digest('base64url');

/** The Conversation, Session and Message rows for normalised sessions, with the columns Parley fills. */
export function toPlainBatch(sessions: readonly NormalizedSession[]): PlainBatch {
  const batch: PlainBatch = { conversations: [], sessions: [], messages: [], sessionCount: sessions.length, messageCount: 0 };
  for (const session of sessions) {
    let conversationId: string | null = null;
    if (session.conversationExternalId !== null) {
      conversationId = randomUUID();
      batch.conversations.push([conversationId, session.conversationExternalId]);
    }
    const id = randomUUID();
    batch.sessions.push([
      id,
      session.kind,
      session.vendor,
      session.externalId,
      session.botId,
      session.channel,
      session.language,
      session.status,
      session.outcome,
      iso(session.createdAt),
      iso(session.lastActiveAt),
      iso(session.endedAt),
      conversationId,
      session.data,
      iso(session.sourceUpdatedAt),
      stubHash(`${session.kind}:${session.externalId}`),
    ]);
    for (const message of session.messages) {
      batch.messages.push([
        randomUUID(),
        id,
        message.key,
        message.sequence,
        message.ordinal,
        message.sender,
        message.type,
        message.text,
        message.choices,
        iso(message.timestamp),
        message.intent,
        message.data,
        stubHash(`${id}:${message.key}`),
      ]);
    }
    batch.messageCount += session.messages.length;
  }
  return batch;
}

function valuesList(rows: number, columns: number, extra = ''): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) cells.push(`$${String(r * columns + c)}`);
    tuples.push(`(${cells.join(', ')}${extra})`);
  }
  return tuples.join(',\n');
}

/** A column every row of a statement gets the same SQL value for (`now()`, a tenant id...). */
export interface ConstantColumn {
  name: string;
  /** An SQL expression, written into each VALUES tuple. */
  value: string;
}

/** A parameterised statement on a bare driver connection (./database.ts, `DriverClient`). */
export type SqlQuery = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** What a plain batch needs of a connection: a transaction (./database.ts's `DriverClient` has one). */
export interface TransactionalClient {
  transaction<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
}

async function insertRows(
  query: SqlQuery,
  table: string,
  columns: readonly string[],
  rows: Row[],
  constants: readonly ConstantColumn[],
  maxRows: number,
): Promise<void> {
  const perStatement = Math.min(maxRows, Math.floor(MAX_PARAMS / columns.length));
  const names = [...columns, ...constants.map((c) => c.name)].map((c) => `"${c}"`).join(', ');
  const extra = constants.map((c) => `, ${c.value}`).join('');
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    await query(`INSERT INTO "${table}" (${names}) VALUES ${valuesList(slice.length, columns.length, extra)}`, slice.flat());
  }
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The row with its JSON columns serialised, as any driver program has to. */
function serialise(row: Row, jsonColumns: readonly number[]): Row {
  const copy = row.slice();
  for (const c of jsonColumns) copy[c] = json(copy[c]);
  return copy;
}

const SESSION_JSON = [SESSION_COLUMNS.indexOf('data')];
const MESSAGE_JSON = [MESSAGE_COLUMNS.indexOf('choices'), MESSAGE_COLUMNS.indexOf('data')];

export interface PlainInsertOptions {
  /** Columns the schema requires that Parley fills with one value per request (e.g. `tenantId`), per table. */
  constants?: Partial<Record<'Conversation' | 'Session' | 'Message', ConstantColumn[]>>;
  rowsPerStatement?: number;
}

/** Writes one batch in one transaction; returns the milliseconds it took (serialising JSON included). */
export async function writePlainBatch(client: TransactionalClient, batch: PlainBatch, options: PlainInsertOptions = {}): Promise<number> {
  const rowsPerStatement = options.rowsPerStatement ?? ROWS_PER_STATEMENT;
  const constants = options.constants ?? {};
  const start = now();
  const sessions = batch.sessions.map((row) => serialise(row, SESSION_JSON));
  const messages = batch.messages.map((row) => serialise(row, MESSAGE_JSON));
  await client.transaction(async (query) => {
    await insertRows(query, 'Conversation', ['id', 'externalId'], batch.conversations, constants.Conversation ?? [], rowsPerStatement);
    const sessionConstants = [{ name: 'updatedAt', value: 'now()' }, ...(constants.Session ?? [])];
    await insertRows(query, 'Session', SESSION_COLUMNS, sessions, sessionConstants, rowsPerStatement);
    await insertRows(query, 'Message', MESSAGE_COLUMNS, messages, constants.Message ?? [], rowsPerStatement);
  });
  return now() - start;
}
