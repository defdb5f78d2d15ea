// Ingest benchmark (issue 3, "Performance"): a realistic NDJSON export streamed through the real HTTP
// routes of a real gateway, against the same rows written by plain multi-row INSERTs through the bare
// driver, measured in the same run on fresh databases. Every run is verified: the database must hold
// exactly the expected sessions, messages and conversations, or the suite fails.
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { INGEST_ROUTES } from '../../src/ingest/types.js';
import type { Prisma } from '../../src/db/client.js';
import { normalizeEinsteinSession } from '../../src/vendors/einstein/normalize.js';
import type { EinsteinBotSession } from '../../src/vendors/einstein/model.js';
import { normalizeSessionWithTurns } from '../../src/vendors/genesys-bot-flow/normalize.js';
import type { BotFlowSessionWithTurns } from '../../src/vendors/genesys-bot-flow/model.js';
import type { NormalizedSession } from '../../src/vendors/normalized.js';
import { openDriverDatabase, openParleyDatabase, type BenchDatabaseKind, type DriverClient } from '../lib/database.js';
import { writeNdjson, type GeneratedVendor, type NdjsonFile } from '../lib/generate.js';
import { writeCopyBatch } from '../lib/copy-load.js';
import { ROWS_PER_STATEMENT, toPlainBatch, writePlainBatch, type PlainInsertOptions } from '../lib/plain-insert.js';
import { renderTable, type Cell } from '../lib/report.js';
import { postFile, startGateway } from '../lib/server.js';
import { now, perSecond } from '../lib/timing.js';

/** Items per transaction: the pipeline's default chunk size (src/ingest/pipeline.ts), used by the baseline too. */
export const INGEST_BATCH_SIZE = 500;
/** Issue 3: Parley's bulk NDJSON rate should be at least half the plain INSERT rate on PostgreSQL. */
export const INGEST_GOAL_RATIO = 0.5;
/** Issue 9: concurrent writers on overlapping sessions, each session sent by two of them. */
export const CONCURRENT_CLIENTS = 4;

const ROUTES: Record<GeneratedVendor, string> = {
  einstein: INGEST_ROUTES['einstein.sessions'],
  genesysBotFlow: INGEST_ROUTES['genesys.botFlowSessions'],
};

const NORMALIZE: Record<GeneratedVendor, (doc: unknown, receivedAt: Date) => NormalizedSession> = {
  einstein: (doc, receivedAt) => normalizeEinsteinSession(doc as EinsteinBotSession, receivedAt),
  genesysBotFlow: (doc, receivedAt) => normalizeSessionWithTurns(doc as BotFlowSessionWithTurns, receivedAt),
};

export interface IngestSuiteOptions {
  /** Sessions in the export, split evenly between Einstein and Genesys bot flow sessions. */
  sessions: number;
  databases: readonly BenchDatabaseKind[];
  seed: number;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

export interface Counts {
  sessions: number;
  messages: number;
  conversations: number;
}

export interface RunFigures {
  ms: number;
  sessions: number;
  messages: number;
  sessionsPerSecond: number;
  messagesPerSecond: number;
  /** This run's rate over the plain-INSERT baseline's (same database kind, same run); 1 for the baseline itself. */
  ratioToBaseline: number;
  /** This run's rate over the COPY baseline's (same database kind, same run). */
  ratioToCopy?: number;
  /** What the database held afterwards, checked against what was sent. */
  verified: Counts;
}

export interface IngestReportTotals {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ParleyRunFigures extends RunFigures {
  /** The routes' replies, summed over the files. */
  report: IngestReportTotals;
  /** Per file: route, status and wall time. */
  requests: { route: string; status: number; ms: number }[];
  /** Errors the gateway logged during the run (a refused chunk is retried item by item: slow). */
  gatewayErrors: number;
}

export interface ConcurrentRunFigures extends ParleyRunFigures {
  clients: number;
  /** Items the clients sent in all (every session twice). */
  itemsSent: number;
}

export interface IngestDatabaseResult {
  database: BenchDatabaseKind;
  baseline: RunFigures;
  /** The same rows through COPY: the physical limit of bulk loading. */
  copy: RunFigures;
  parley: ParleyRunFigures;
  replay: ParleyRunFigures;
  /** CONCURRENT_CLIENTS clients at once, on overlapping sessions (each sent by two of them). */
  concurrent: ConcurrentRunFigures;
  /** parley.ratioToBaseline, against the goal (PostgreSQL only). */
  goal: { ratio: number; met: boolean } | null;
}

export interface IngestSuiteResult {
  parameters: { sessions: number; seed: number; databases: BenchDatabaseKind[]; batchSize: number; baselineRowsPerStatement: number; goalRatio: number };
  dataset: Counts & { bytes: number; generateMs: number; files: Omit<NdjsonFile, 'path'>[] };
  results: IngestDatabaseResult[];
}

// ---- verification ----

export class VerificationError extends Error {
  override name = 'VerificationError';
}

function verify(what: string, actual: Counts, expected: Counts): Counts {
  const wrong = (Object.keys(expected) as (keyof Counts)[]).filter((key) => actual[key] !== expected[key]);
  if (wrong.length > 0) {
    const detail = wrong.map((key) => `${key}: expected ${String(expected[key])}, found ${String(actual[key])}`).join('; ');
    throw new VerificationError(`${what}: the database does not hold what was sent (${detail})`);
  }
  return actual;
}

async function countDriver(client: DriverClient): Promise<Counts> {
  const [row] = await client.query<{ sessions: number; messages: number; conversations: number }>(
    `SELECT (SELECT count(*) FROM "Session")::int AS sessions, (SELECT count(*) FROM "Message")::int AS messages,
            (SELECT count(*) FROM "Conversation")::int AS conversations`,
  );
  return { sessions: row!.sessions, messages: row!.messages, conversations: row!.conversations };
}

async function countPrisma(prisma: Prisma): Promise<Counts> {
  const [sessions, messages, conversations] = await Promise.all([prisma.session.count(), prisma.message.count(), prisma.conversation.count()]);
  return { sessions, messages, conversations };
}

// ---- the runs ----

async function* readDocuments(file: string): AsyncGenerator<unknown> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as unknown;
}

function figures(ms: number, expected: Counts, verified: Counts, baselineMs: number, copyMs?: number): RunFigures {
  return {
    ms: Math.round(ms),
    sessions: expected.sessions,
    messages: expected.messages,
    sessionsPerSecond: perSecond(expected.sessions, ms),
    messagesPerSecond: perSecond(expected.messages, ms),
    ratioToBaseline: Math.round((baselineMs / ms) * 100) / 100,
    ...(copyMs === undefined ? {} : { ratioToCopy: Math.round((copyMs / ms) * 100) / 100 }),
    verified,
  };
}

/**
 * Where the schema gives rows a `tenantId`, the baseline stores them under the tenant an
 * unauthenticated (development-mode) gateway writes to, the one the migrations create: same rows.
 */
async function tenantColumns(client: DriverClient): Promise<PlainInsertOptions> {
  const tables = await client.query<{ table_name: 'Conversation' | 'Session' | 'Message' }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'tenantId' AND table_name IN ('Conversation', 'Session', 'Message')`,
  );
  if (tables.length === 0) return {};
  const [tenant] = await client.query<{ id: string }>(`SELECT "id" FROM "Tenant" WHERE "slug" = 'default'`);
  if (!tenant) throw new Error('the schema has tenants but no "default" tenant');
  const column = [{ name: 'tenantId', value: `'${tenant.id}'::uuid` }];
  return { constants: Object.fromEntries(tables.map((t) => [t.table_name, column])) };
}

/**
 * Reads and normalises the export in batches of INGEST_BATCH_SIZE and hands each to `write`, which
 * returns how long its write took: only the writes are timed (reading and normalising the export is not
 * a baseline's job). Resolves with the sum.
 */
async function timeBatches(files: readonly NdjsonFile[], write: (batch: NormalizedSession[]) => Promise<number>): Promise<number> {
  const receivedAt = new Date();
  let ms = 0;
  for (const file of files) {
    let batch: NormalizedSession[] = [];
    for await (const doc of readDocuments(file.path)) {
      batch.push(NORMALIZE[file.vendor](doc, receivedAt));
      if (batch.length >= INGEST_BATCH_SIZE) {
        ms += await write(batch);
        batch = [];
      }
    }
    if (batch.length > 0) ms += await write(batch);
  }
  return ms;
}

/** The baseline: the same rows, plain multi-row INSERTs through the driver, one transaction per batch. */
async function runBaseline(kind: BenchDatabaseKind, files: readonly NdjsonFile[], expected: Counts): Promise<RunFigures> {
  const client = await openDriverDatabase(kind);
  try {
    const insertOptions = await tenantColumns(client);
    const ms = await timeBatches(files, (batch) => writePlainBatch(client, toPlainBatch(batch), insertOptions));
    const verified = verify(`${kind} baseline`, await countDriver(client), expected);
    return figures(ms, expected, verified, ms);
  } finally {
    await client.close();
  }
}

/** The COPY baseline: the same rows loaded with COPY (CSV), one transaction per batch. */
async function runCopyBaseline(kind: BenchDatabaseKind, files: readonly NdjsonFile[], expected: Counts, baselineMs: number): Promise<RunFigures> {
  const client = await openDriverDatabase(kind);
  try {
    const [tenant] = await client.query<{ id: string }>(`SELECT "id" FROM "Tenant" WHERE "slug" = 'default'`);
    const ms = await timeBatches(files, (batch) => writeCopyBatch(client.copyTarget, toPlainBatch(batch), { tenantId: tenant?.id ?? null }));
    const verified = verify(`${kind} COPY baseline`, await countDriver(client), expected);
    return figures(ms, expected, verified, baselineMs);
  } finally {
    await client.close();
  }
}

interface IngestReply {
  accepted: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: unknown[];
  rejectedCount?: number;
}

/** Streams each file to its route; returns the summed replies and the wall time of the whole upload. */
async function upload(
  url: string,
  files: readonly NdjsonFile[],
  gatewayErrors: readonly unknown[],
): Promise<{ ms: number; report: IngestReportTotals; requests: ParleyRunFigures['requests'] }> {
  const report: IngestReportTotals = { accepted: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const requests: ParleyRunFigures['requests'] = [];
  const start = now();
  for (const file of files) {
    const route = ROUTES[file.vendor];
    const requestStart = now();
    const response = await postFile(`${url}${route}`, file.path, 'application/x-ndjson');
    requests.push({ route, status: response.status, ms: Math.round(now() - requestStart) });
    if (response.status !== 200) {
      const logged = gatewayErrors.length > 0 ? `; the gateway logged ${String(gatewayErrors.length)} error(s), first: ${describe(gatewayErrors[0])}` : '';
      throw new VerificationError(`POST ${route} answered ${String(response.status)}: ${response.body.slice(0, 300)}...${logged}`);
    }
    const reply = JSON.parse(response.body) as IngestReply;
    report.accepted += reply.accepted;
    report.created += reply.created;
    report.updated += reply.updated;
    report.unchanged += reply.unchanged;
    report.rejected += reply.rejectedCount ?? reply.rejected.length;
    if (reply.rejected.length > 0) {
      throw new VerificationError(
        `POST ${route} rejected ${String(reply.rejectedCount ?? reply.rejected.length)} item(s), first: ${JSON.stringify(reply.rejected[0])}`,
      );
    }
  }
  return { ms: now() - start, report, requests };
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

function checkReport(what: string, report: IngestReportTotals, expected: Partial<IngestReportTotals>): void {
  const wrong = (Object.keys(expected) as (keyof IngestReportTotals)[]).filter((key) => report[key] !== expected[key]);
  if (wrong.length > 0) {
    throw new VerificationError(`${what}: the reply says ${JSON.stringify(report)}, expected ${JSON.stringify(expected)}`);
  }
}

/** Parley: the files streamed as NDJSON to the real routes of a gateway on a real socket; then the same again. */
async function runParley(
  kind: BenchDatabaseKind,
  files: readonly NdjsonFile[],
  expected: Counts,
  baselineMs: number,
  log: (line: string) => void,
): Promise<{ parley: ParleyRunFigures; replay: ParleyRunFigures }> {
  const { database, close } = await openParleyDatabase(kind);
  try {
    const gateway = await startGateway(database);
    try {
      const first = await upload(gateway.url, files, gateway.errors);
      const firstErrors = gateway.errors.length;
      if (firstErrors > 0) log(`  ${kind}: the gateway logged ${String(firstErrors)} error(s) during the import; first: ${describe(gateway.errors[0])}`);
      checkReport(`${kind} Parley import`, first.report, { accepted: expected.sessions, created: expected.sessions, updated: 0, unchanged: 0, rejected: 0 });
      const parley: ParleyRunFigures = {
        ...figures(first.ms, expected, verify(`${kind} Parley import`, await countPrisma(database.prisma), expected), baselineMs),
        report: first.report,
        requests: first.requests,
        gatewayErrors: firstErrors,
      };
      log(`  ${kind}: Parley import ${(first.ms / 1000).toFixed(1)} s; replaying the same files...`);

      const again = await upload(gateway.url, files, gateway.errors);
      checkReport(`${kind} Parley replay`, again.report, { accepted: expected.sessions, created: 0, updated: 0, unchanged: expected.sessions, rejected: 0 });
      const replay: ParleyRunFigures = {
        ...figures(again.ms, expected, verify(`${kind} Parley replay`, await countPrisma(database.prisma), expected), baselineMs),
        report: again.report,
        requests: again.requests,
        gatewayErrors: gateway.errors.length - firstErrors,
      };
      return { parley, replay };
    } finally {
      await gateway.close();
    }
  } finally {
    await close();
  }
}

/**
 * CONCURRENT_CLIENTS clients upload at once to one gateway, on overlapping sessions: each file is cut
 * into as many slices, and client i sends slices i and i+1, so every session arrives twice, from two
 * clients racing each other. The database must end with exactly the data set, each session created once.
 */
async function runConcurrent(
  kind: BenchDatabaseKind,
  files: readonly NdjsonFile[],
  expected: Counts,
  baselineMs: number,
  copyMs: number,
  dir: string,
): Promise<ConcurrentRunFigures> {
  const perClient: { route: string; path: string; vendor: GeneratedVendor }[][] = Array.from({ length: CONCURRENT_CLIENTS }, () => []);
  for (const file of files) {
    const lines = (await readFile(file.path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const size = Math.ceil(lines.length / CONCURRENT_CLIENTS);
    const slices: string[] = [];
    for (let i = 0; i < CONCURRENT_CLIENTS; i++) {
      const slicePath = path.join(dir, `${file.vendor}.slice-${String(i)}.ndjson`);
      await writeFile(slicePath, `${lines.slice(i * size, (i + 1) * size).join('\n')}\n`);
      slices.push(slicePath);
    }
    for (let i = 0; i < CONCURRENT_CLIENTS; i++) {
      for (const slice of [slices[i]!, slices[(i + 1) % CONCURRENT_CLIENTS]!])
        perClient[i]!.push({ route: ROUTES[file.vendor], path: slice, vendor: file.vendor });
    }
  }
  const { database, close } = await openParleyDatabase(kind);
  try {
    const gateway = await startGateway(database);
    try {
      const report: IngestReportTotals = { accepted: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
      const requests: ParleyRunFigures['requests'] = [];
      const start = now();
      await Promise.all(
        perClient.map(async (uploads) => {
          for (const upload of uploads) {
            const requestStart = now();
            const response = await postFile(`${gateway.url}${upload.route}`, upload.path, 'application/x-ndjson');
            requests.push({ route: upload.route, status: response.status, ms: Math.round(now() - requestStart) });
            if (response.status !== 200)
              throw new VerificationError(`concurrent POST ${upload.route} answered ${String(response.status)}: ${response.body.slice(0, 300)}`);
            const reply = JSON.parse(response.body) as IngestReply;
            report.accepted += reply.accepted;
            report.created += reply.created;
            report.updated += reply.updated;
            report.unchanged += reply.unchanged;
            report.rejected += reply.rejectedCount ?? reply.rejected.length;
          }
        }),
      );
      const ms = now() - start;
      // Each session created exactly once; its second arrival (from the other client) changes nothing.
      checkReport(`${kind} concurrent writers`, report, {
        accepted: 2 * expected.sessions,
        created: expected.sessions,
        updated: 0,
        unchanged: expected.sessions,
        rejected: 0,
      });
      const verified = verify(`${kind} concurrent writers`, await countPrisma(database.prisma), expected);
      return {
        ...figures(ms, expected, verified, baselineMs, copyMs),
        report,
        requests,
        gatewayErrors: gateway.errors.length,
        clients: CONCURRENT_CLIENTS,
        itemsSent: 2 * expected.sessions,
      };
    } finally {
      await gateway.close();
    }
  } finally {
    await close();
  }
}

export async function runIngestSuite(options: IngestSuiteOptions): Promise<IngestSuiteResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  if (!Number.isInteger(options.sessions) || options.sessions < 2) throw new Error('--sessions must be an integer of at least 2');
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
  try {
    const generateStart = now();
    const einstein = Math.ceil(options.sessions / 2);
    const files = [
      await writeNdjson(path.join(dir, 'einstein.ndjson'), 'einstein', options.seed, einstein),
      await writeNdjson(path.join(dir, 'genesys-bot-flow.ndjson'), 'genesysBotFlow', options.seed, options.sessions - einstein),
    ];
    const generateMs = Math.round(now() - generateStart);
    const expected: Counts = {
      sessions: files.reduce((n, f) => n + f.sessions, 0),
      messages: files.reduce((n, f) => n + f.messages, 0),
      conversations: files.reduce((n, f) => n + f.conversations, 0),
    };
    const bytes = files.reduce((n, f) => n + f.bytes, 0);
    log(
      `ingest: ${expected.sessions.toLocaleString('en-US')} sessions, ${expected.messages.toLocaleString('en-US')} messages, ` +
        `${(bytes / 2 ** 20).toFixed(1)} MiB of NDJSON generated in ${(generateMs / 1000).toFixed(1)} s (seed ${String(options.seed)})`,
    );

    const results: IngestDatabaseResult[] = [];
    for (const kind of options.databases) {
      log(`  ${kind}: baseline (plain multi-row INSERT through the driver)...`);
      const baseline = await runBaseline(kind, files, expected);
      log(`  ${kind}: baseline ${(baseline.ms / 1000).toFixed(1)} s; COPY baseline...`);
      const copy = await runCopyBaseline(kind, files, expected, baseline.ms);
      log(`  ${kind}: COPY ${(copy.ms / 1000).toFixed(1)} s; Parley (NDJSON over HTTP)...`);
      const run = await runParley(kind, files, expected, baseline.ms, log);
      const withCopy = <F extends RunFigures>(f: F): F => ({ ...f, ratioToCopy: Math.round((copy.ms / f.ms) * 100) / 100 });
      const parley = withCopy(run.parley);
      const replay = withCopy(run.replay);
      log(`  ${kind}: ${String(CONCURRENT_CLIENTS)} concurrent writers on overlapping sessions...`);
      const concurrent = await runConcurrent(kind, files, expected, baseline.ms, copy.ms, dir);
      const goal = kind === 'postgres' ? { ratio: INGEST_GOAL_RATIO, met: parley.ratioToBaseline >= INGEST_GOAL_RATIO } : null;
      results.push({ database: kind, baseline, copy: withCopy(copy), parley, replay, concurrent, goal });
    }
    return {
      parameters: {
        sessions: options.sessions,
        seed: options.seed,
        databases: [...options.databases],
        batchSize: INGEST_BATCH_SIZE,
        baselineRowsPerStatement: ROWS_PER_STATEMENT,
        goalRatio: INGEST_GOAL_RATIO,
      },
      dataset: { ...expected, bytes, generateMs, files: files.map(({ path: _path, ...file }) => file) },
      results,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The suite's compact table. */
export function ingestTable(result: IngestSuiteResult): string {
  const rows: Cell[][] = [];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  for (const r of result.results) {
    const row = (run: string, f: RunFigures, note: string): Cell[] => [
      r.database,
      run,
      seconds(f.ms),
      f.sessionsPerSecond,
      f.messagesPerSecond,
      `${f.ratioToBaseline.toFixed(2)}x`,
      f.ratioToCopy === undefined ? '' : `${f.ratioToCopy.toFixed(2)}x`,
      note,
    ];
    rows.push(row('baseline: plain INSERT', r.baseline, 'verified'));
    rows.push(row('baseline: COPY', r.copy, 'verified'));
    rows.push(
      row('Parley: NDJSON over HTTP', r.parley, r.goal ? `verified; goal >= ${r.goal.ratio.toFixed(1)}x ${r.goal.met ? 'met' : 'NOT MET'}` : 'verified'),
    );
    rows.push(row('Parley: replay (unchanged)', r.replay, 'verified; all unchanged'));
    rows.push(row(`Parley: ${String(r.concurrent.clients)} writers, overlapping`, r.concurrent, 'verified; each created once'));
  }
  const d = result.dataset;
  const title =
    `ingest: ${d.sessions.toLocaleString('en-US')} sessions (Einstein + Genesys bot flow), ${d.messages.toLocaleString('en-US')} messages, ` +
    `${(d.bytes / 2 ** 20).toFixed(1)} MiB NDJSON, ${String(result.parameters.batchSize)} sessions per transaction`;
  return `${title}\n\n${renderTable(
    [
      { header: 'database' },
      { header: 'run' },
      { header: 'time', align: 'right' },
      { header: 'sessions/s' },
      { header: 'messages/s' },
      { header: 'vs INSERT', align: 'right' },
      { header: 'vs COPY', align: 'right' },
      { header: 'check' },
    ],
    rows,
  )}`;
}
