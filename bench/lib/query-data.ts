// The read benchmark's data set (issue 6): sessions of all four kinds, written straight into Session,
// Message and Conversation of the default tenant through the bare driver, as fast as PostgreSQL takes
// them. Einstein and Genesys bot flow sessions come from the seeded generators (bench/lib/generate.ts)
// through the real normalisers; Chatlayer and Genesys journey sessions are the vendors' demo sessions,
// re-issued with fresh ids and times (Chatlayer transcripts stretched to 10-30 messages; journey sessions
// carry no transcript in Parley's model, so they have none here either).
//
// Sessions are spaced evenly in time (one every SESSION_GAP_MS, oldest first), so a bigger data set is a
// longer history, and the data set can be grown in stages (10k → 100k → 1M) in the same database.
//
// Speed: rows go in as one JSON document per statement (`json_populate_recordset`), on two connections
// at once, with foreign-key triggers off (`session_replication_role = replica`: the rows are consistent
// by construction) and the secondary indexes dropped while loading and rebuilt afterwards (each from its
// own definition in pg_indexes, so the schema ends up exactly as the migrations left it).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { refreshAllSessionFigures } from '../../src/analytics/session-figures.js';
import { DEFAULT_TENANT_ID } from '../../src/auth/principal.js';
import type { SessionKind } from '../../src/generated/prisma/enums.js';
import { chatlayerModule } from '../../src/vendors/chatlayer/index.js';
import { normalizeEinsteinSession } from '../../src/vendors/einstein/normalize.js';
import { normalizeSessionWithTurns } from '../../src/vendors/genesys-bot-flow/normalize.js';
import { genesysJourneyModule } from '../../src/vendors/genesys-journey/index.js';
import type { NormalizedMessage, NormalizedSession } from '../../src/vendors/normalized.js';
import { einsteinDocuments, genesysBotFlowDocuments } from './generate.js';
import { createRandom, deriveSeed, type Random } from './random.js';
import { now } from './timing.js';

export const BENCH_TENANT_ID = DEFAULT_TENANT_ID;
/** The newest session of a data set of any size is created here; older ones go back SESSION_GAP_MS each. */
export const DATASET_END_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
/** One session a minute: 10k sessions span a week, 100k ten weeks, 1M about two years. */
export const SESSION_GAP_MS = 60_000;

/** Each kind's share of the sessions (the two big integrations dominate, as in production). */
const KIND_SHARES: readonly [SessionKind, number][] = [
  ['EINSTEIN_BOT', 0.4],
  ['BOT_FLOW', 0.4],
  ['CHATLAYER', 0.15],
  ['JOURNEY', 0.05],
];

/** Where session `index` (0 = oldest) of a data set of `total` sessions is created. */
export const createdAtOf = (index: number, total: number): number => DATASET_END_MS - (total - 1 - index) * SESSION_GAP_MS;

const shiftDate = (d: Date | null, delta: number) => (d === null ? null : new Date(d.getTime() + delta));

/** Moves a session (and its messages) in time so it starts at `createdMs`. */
function moveTo(session: NormalizedSession, createdMs: number): NormalizedSession {
  const delta = createdMs - session.createdAt.getTime();
  return {
    ...session,
    createdAt: new Date(createdMs),
    lastActiveAt: new Date(session.lastActiveAt.getTime() + delta),
    endedAt: shiftDate(session.endedAt, delta),
    sourceUpdatedAt: shiftDate(session.sourceUpdatedAt, delta),
    messages: session.messages.map((m) => ({ ...m, timestamp: shiftDate(m.timestamp, delta) })),
  };
}

/** A demo session re-issued as a new one: new external ids, its transcript cycled to `length` messages. */
function reissue(template: NormalizedSession, random: Random, index: number, length: number | null): NormalizedSession {
  let messages: NormalizedMessage[] = template.messages;
  if (length !== null && template.messages.length > 0) {
    messages = [];
    const step = 7_000;
    const first = template.messages[0]!.timestamp?.getTime() ?? template.createdAt.getTime();
    for (let i = 0; i < length; i++) {
      const source = template.messages[i % template.messages.length]!;
      const at = first + i * step;
      messages.push({ ...source, key: `seq:${String(at * 10 + i)}`, sequence: at * 10 + i, timestamp: new Date(at) });
    }
  }
  const lastActive = messages.at(-1)?.timestamp ?? template.lastActiveAt;
  return {
    ...template,
    externalId: `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-a${random.hex(3)}-${index.toString(16).padStart(12, '0')}`,
    conversationExternalId:
      template.conversationExternalId === null
        ? null
        : `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-b${random.hex(3)}-${index.toString(16).padStart(12, '0')}`,
    lastActiveAt: new Date(Math.max(lastActive.getTime(), template.lastActiveAt.getTime())),
    messages,
  };
}

/**
 * The data set's sessions `from` (included) to `to` (excluded), oldest first, deterministic for a seed:
 * a data set of N sessions is the first N of the same sequence whatever size is asked for later.
 */
export function* querySessions(seed: number, total: number): Generator<NormalizedSession> {
  const pick = createRandom(deriveSeed(seed, 'queries:kind'));
  const other = createRandom(deriveSeed(seed, 'queries:reissue'));
  // The generators are infinite streams here: ask for more than can ever be used.
  const einstein = einsteinDocuments(seed, Number.MAX_SAFE_INTEGER);
  const botFlow = genesysBotFlowDocuments(seed, Number.MAX_SAFE_INTEGER);
  const receivedAt = new Date(DATASET_END_MS);
  const chatlayerTemplates = chatlayerModule.demoSessions(receivedAt).filter((s) => s.messages.length > 0);
  const journeyTemplates = genesysJourneyModule.demoSessions(receivedAt);
  for (let index = 0; index < total; index++) {
    let roll = pick.next();
    const kind =
      KIND_SHARES.find(([, share]) => {
        roll -= share;
        return roll < 0;
      })?.[0] ?? 'EINSTEIN_BOT';
    let session: NormalizedSession;
    if (kind === 'EINSTEIN_BOT') session = normalizeEinsteinSession(einstein.next().value!.doc, receivedAt);
    else if (kind === 'BOT_FLOW') session = normalizeSessionWithTurns(botFlow.next().value!.doc, receivedAt);
    else if (kind === 'CHATLAYER') session = reissue(other.pick(chatlayerTemplates), other, index, other.int(10, 30));
    else session = reissue(other.pick(journeyTemplates), other, index, null);
    yield moveTo(session, createdAtOf(index, total) + pick.int(0, 50_000));
  }
}

// ---- writing ----

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

interface Rows {
  conversations: object[];
  sessions: object[];
  messages: object[];
}

function toRows(sessions: readonly NormalizedSession[], writtenAt: string): Rows {
  const rows: Rows = { conversations: [], sessions: [], messages: [] };
  for (const s of sessions) {
    let conversationId: string | null = null;
    if (s.conversationExternalId !== null) {
      conversationId = randomUUID();
      rows.conversations.push({ id: conversationId, tenantId: BENCH_TENANT_ID, externalId: s.conversationExternalId, createdAt: iso(s.createdAt) });
    }
    const id = randomUUID();
    rows.sessions.push({
      id,
      tenantId: BENCH_TENANT_ID,
      kind: s.kind,
      vendor: s.vendor,
      externalId: s.externalId,
      botId: s.botId,
      channel: s.channel,
      language: s.language,
      status: s.status,
      outcome: s.outcome,
      createdAt: iso(s.createdAt),
      lastActiveAt: iso(s.lastActiveAt),
      endedAt: iso(s.endedAt),
      conversationId,
      data: s.data,
      sourceUpdatedAt: iso(s.sourceUpdatedAt),
      contentHash: '',
      ingestedAt: writtenAt,
      updatedAt: writtenAt,
    });
    for (const m of s.messages) {
      rows.messages.push({
        id: randomUUID(),
        sessionId: id,
        key: m.key,
        sequence: m.sequence,
        ordinal: m.ordinal,
        sender: m.sender,
        type: m.type,
        text: m.text,
        choices: m.choices,
        timestamp: iso(m.timestamp),
        intent: m.intent,
        data: m.data,
        contentHash: '',
      });
    }
  }
  return rows;
}

const insertJson = (table: string) => `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`;

async function writeRows(client: pg.Client, rows: Rows): Promise<void> {
  await client.query('BEGIN');
  if (rows.conversations.length > 0) await client.query(insertJson('Conversation'), [JSON.stringify(rows.conversations)]);
  await client.query(insertJson('Session'), [JSON.stringify(rows.sessions)]);
  // Messages in slices: one JSON text per statement stays well under PostgreSQL's 1 GB value limit.
  for (let start = 0; start < rows.messages.length; start += 20_000) {
    await client.query(insertJson('Message'), [JSON.stringify(rows.messages.slice(start, start + 20_000))]);
  }
  await client.query('COMMIT');
}

export interface LoadProgress {
  sessions: number;
  messages: number;
  conversations: number;
  ms: number;
}

interface IndexDefinition {
  name: string;
  definition: string;
}

const TABLES = ['Session', 'Message', 'Conversation'];

/** Fills a migrated database in stages: `grow(to)` appends sessions until the data set holds `to`. */
export class QueryDataLoader {
  private readonly clients: pg.Client[] = [];
  private readonly sequence: Generator<NormalizedSession>;
  private dropped: IndexDefinition[] = [];
  readonly loaded: LoadProgress = { sessions: 0, messages: 0, conversations: 0, ms: 0 };

  /** `total` is the final size: it fixes every session's time, so stages append newer sessions after older ones. */
  private constructor(seed: number, total: number) {
    this.sequence = querySessions(seed, total);
  }

  static async open(url: string, seed: number, total: number): Promise<QueryDataLoader> {
    const loader = new QueryDataLoader(seed, total);
    for (let i = 0; i < 2; i++) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // The rows are consistent by construction: skip foreign-key triggers, and do not wait for WAL flushes.
      await client.query("SET session_replication_role = replica; SET synchronous_commit = off; SET maintenance_work_mem = '256MB'");
      loader.clients.push(client);
    }
    return loader;
  }

  /** Appends sessions until `target` are stored (indexes dropped while writing; call `finish` before reading). */
  async grow(target: number, log: (line: string) => void, batchSessions = 2_000): Promise<void> {
    const started = now();
    await this.dropIndexes();
    const writtenAt = new Date(DATASET_END_MS).toISOString();
    const inFlight: Promise<void>[] = [];
    let next = 0;
    let lastLog = now();
    while (this.loaded.sessions < target) {
      const size = Math.min(batchSessions, target - this.loaded.sessions);
      const batch: NormalizedSession[] = [];
      for (let i = 0; i < size; i++) batch.push(this.sequence.next().value as NormalizedSession);
      const rows = toRows(batch, writtenAt);
      this.loaded.sessions += size;
      this.loaded.messages += rows.messages.length;
      this.loaded.conversations += rows.conversations.length;
      const client = this.clients[next++ % this.clients.length]!;
      // At most one batch per connection in flight: generate the next batch while the last two are written.
      if (inFlight.length >= this.clients.length) await inFlight.shift();
      inFlight.push(writeRows(client, rows));
      if (now() - lastLog > 10_000) {
        lastLog = now();
        log(`queries: generated ${this.loaded.sessions.toLocaleString('en-US')} sessions, ${this.loaded.messages.toLocaleString('en-US')} messages`);
      }
    }
    await Promise.all(inFlight);
    this.loaded.ms += now() - started;
  }

  /** Rebuilds the dropped indexes and refreshes statistics: the database is ready to be read. */
  async finish(options: { figures?: boolean } = {}): Promise<{ indexMs: number; analyzeMs: number }> {
    const started = now();
    const pending = [...this.dropped];
    this.dropped = [];
    // Two at a time, one per connection.
    await Promise.all(
      this.clients.map(async (client) => {
        for (let item = pending.shift(); item; item = pending.shift()) await client.query(item.definition);
      }),
    );
    const indexMs = now() - started;
    // The rows went in around the writer: the metrics' rollup (which only botMetrics reads) is counted
    // as the writer counts it, when asked for.
    if (options.figures) await refreshAllSessionFigures((sql) => this.clients[0]!.query(sql));
    const analyzeStart = now();
    await Promise.all(TABLES.map((table, i) => this.clients[i % this.clients.length]!.query(`VACUUM ANALYZE "${table}"`)));
    // Afterwards, on its own: vacuumed beside the others it was left with no page marked all-visible
    // (0 of 26,820 at 1,000,000 sessions; alone, all of them), and botMetrics' index-only scans then read
    // the heap for every row.
    if (options.figures) await this.clients[0]!.query('VACUUM ANALYZE "SessionFigures"');
    const analyzeMs = now() - analyzeStart;
    this.loaded.ms += now() - started;
    return { indexMs, analyzeMs };
  }

  private async dropIndexes(): Promise<void> {
    if (this.dropped.length > 0) return;
    const client = this.clients[0]!;
    // Every index but the primary keys (constraints): the unique indexes are rebuilt too, and the rows
    // written meanwhile are unique by construction.
    const { rows } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [TABLES],
    );
    for (const row of rows) await client.query(`DROP INDEX "${row.indexname}"`);
    this.dropped = rows.map((row) => ({ name: row.indexname, definition: row.indexdef }));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.map((client) => client.end()));
  }
}
