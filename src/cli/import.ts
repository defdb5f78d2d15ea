// `npm run import -- --vendor <v> <file>`: a vendor export into the gateway's database, through the same
// validation and idempotent writes as the HTTP routes. Resumable: a checkpoint beside the file records
// the last committed chunk. Exit codes: 0 all stored, 1 some items rejected, 2 usage, 3 database, 130
// interrupted.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig, type DatabaseConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { DatabaseUnavailableError } from '../db/faults.js';
import type { IngestReport } from '../ingest/types.js';
import {
  checkpointMismatch,
  checkpointPath,
  deleteCheckpoint,
  emptyTotals,
  MAX_CHECKPOINT_REJECTIONS,
  readCheckpoint,
  saveCheckpoint,
  type Checkpoint,
  type ImportTotals,
} from './checkpoint.js';
import { IMPORT_VENDORS, parseImportArgs, USAGE, UsageError, type ImportOptions } from './options.js';
import { createProgress, formatDuration, type Progress } from './progress.js';
import { jsonFileItems, ndjsonFileItems, readJsonFileItems, SourceError, type SourceItem } from './sources.js';

export const EXIT = { ok: 0, rejected: 1, usage: 2, database: 3, interrupted: 130 } as const;

const SUMMARY_REJECTIONS = 20;

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

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

/** Items rejected: the pipeline's reports carry `rejectedCount` (its list is capped, and an item can have several entries). */
function rejectedItems(report: IngestReport): number {
  const count = (report as { rejectedCount?: unknown }).rejectedCount;
  return typeof count === 'number' ? count : new Set(report.rejected.map((r) => r.index)).size;
}

/** This run's report on top of what earlier runs committed. */
function addReport(base: ImportTotals, items: number, report: IngestReport): ImportTotals {
  return {
    items: base.items + items,
    created: base.created + report.created,
    updated: base.updated + report.updated,
    unchanged: base.unchanged + report.unchanged,
    rejectedCount: base.rejectedCount + rejectedItems(report),
    rejected: [...base.rejected, ...report.rejected].slice(0, MAX_CHECKPOINT_REJECTIONS),
  };
}

function summary(options: ImportOptions, totals: ImportTotals, earlierItems: number, elapsedMs: number, state: 'finished' | 'interrupted'): string {
  const rate = elapsedMs > 0 ? Math.round((totals.items * 1000) / elapsedMs) : totals.items;
  const lines = [
    `parley import ${state}: ${options.file} (--vendor ${options.vendor})`,
    `  items read  ${totals.items}${earlierItems > 0 ? ` (${earlierItems} by earlier runs)` : ''}`,
    `  created     ${totals.created}`,
    `  updated     ${totals.updated}`,
    `  unchanged   ${totals.unchanged}`,
    `  rejected    ${totals.rejectedCount}`,
    `  elapsed     ${formatDuration(elapsedMs)}`,
    `  items/s     ${rate}`,
  ];
  if (totals.rejected.length > 0) {
    lines.push(`rejections (first ${Math.min(SUMMARY_REJECTIONS, totals.rejected.length)}; index is the item's position in the file, from 0):`);
    for (const r of totals.rejected.slice(0, SUMMARY_REJECTIONS)) lines.push(`  item ${r.index}  ${r.path}  ${r.message}`);
  }
  return lines.join('\n');
}

/** The file name as it can be pasted back into a shell. */
function shellQuote(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

async function fileInfo(file: string): Promise<{ size: number; mtimeMs: number }> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${firstLine(error)}`);
  }
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new UsageError(`cannot read ${file}: permission denied`);
  }
  return { size: info.size, mtimeMs: info.mtimeMs };
}

async function run(argv: readonly string[]): Promise<number> {
  const parsed = parseImportArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const options = parsed;
  const info = await fileInfo(options.file);
  // The same configuration as the gateway; the CLI's own flags are not the gateway's.
  const config = loadConfig(process.env, []);
  const say = (message: string) => process.stderr.write(`parley import: ${message}\n`);

  const checkpointFile = checkpointPath(options.file);
  let checkpoint: Checkpoint | null = null;
  const found = await readCheckpoint(checkpointFile);
  if (found && options.restart) say(`--restart: ignoring the checkpoint in ${checkpointFile}`);
  else if (found) {
    const mismatch = checkpointMismatch(found, info, options.vendor);
    if (mismatch) say(`ignoring the checkpoint in ${checkpointFile} (${mismatch}); importing from the start`);
    else checkpoint = found;
  }

  // A JSON file is parsed before the database opens, so a bad file fails fast.
  let values: unknown[] | null = null;
  if (options.format === 'json') {
    try {
      values = await readJsonFileItems(options.file, info.size, options.vendor);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new UsageError(`cannot read ${options.file}: ${firstLine(error)}`);
    }
    if (checkpoint && checkpoint.nextIndex > values.length) {
      say(`ignoring the checkpoint in ${checkpointFile} (it is past the file's ${values.length} items); importing from the start`);
      checkpoint = null;
    }
  }
  const base = checkpoint?.totals ?? emptyTotals();
  const start = { offset: checkpoint?.offset ?? 0, index: checkpoint?.nextIndex ?? 0 };
  const earlierElapsed = checkpoint?.elapsedMs ?? 0;
  if (checkpoint) {
    const where = options.format === 'ndjson' ? ` (byte offset ${start.offset})` : '';
    say(`resuming from item ${start.index}${where}: ${base.items} items were done by an earlier run (--restart starts over)`);
  }

  // Loaded only now: Prisma, PGlite and the compiled validators take a second or two to load, which a
  // mistyped command line should not have to wait for.
  const [{ openDatabase }, { ingestHandlers }, { ingestItems }, { createInProcessEventBus }, { createRedisEventBus }, { sessionEventsChannel }] =
    await Promise.all([
      import('../db/client.js'),
      import('../ingest/handlers.js'),
      import('../ingest/pipeline.js'),
      import('../live/events.js'),
      import('../live/redis-bus.js'),
      import('../live/outbox.js'),
    ]);
  let database: Database;
  try {
    database = await openDatabase(config.database);
  } catch (error) {
    throw new Exit(EXIT.database, `could not open the database (${describeDatabase(config.database)}): ${firstLine(error)}`);
  }
  let tenant: { id: string; slug: string } | null;
  try {
    tenant = await database.prisma.tenant.findUnique({ where: { slug: options.tenant } });
  } catch (error) {
    await database.close().catch(() => {});
    throw new Exit(EXIT.database, `could not read the database (${describeDatabase(config.database)}): ${firstLine(error)}`);
  }
  if (!tenant) {
    await database.close();
    throw new Exit(EXIT.usage, `no tenant "${options.tenant}": create it with a key first (npm run keys -- create --tenant ${options.tenant} --scopes ingest)`);
  }
  // With REDIS_URL the gateways' live subscribers see imported sessions too.
  const events = config.redisUrl
    ? await createRedisEventBus(config.redisUrl, { channel: await sessionEventsChannel(database.prisma), log: (m) => progress.log(m) })
    : createInProcessEventBus();
  say(`importing ${options.file} as ${options.vendor} into tenant ${tenant.slug} in ${describeDatabase(config.database)}`);

  const tty = process.stderr.isTTY === true;
  const progress: Progress = createProgress({ stream: process.stderr, tty });
  const total = options.format === 'ndjson' ? info.size : values!.length;
  const startedAt = Date.now();
  let stopping = false;
  let exhausted = false;
  /** The last item handed to the pipeline (progress shows reading). */
  let last: { index: number; nextOffset: number } | null = null;
  /** The last item the pipeline has finished with (the checkpoint names only those). */
  let settled: { index: number; nextOffset: number } | null = null;
  // Offsets of items handed over but not yet settled. The pipeline settles each item before it takes
  // the next, so this holds one entry today; keyed by index, it stays right if it ever reads ahead.
  const inFlight = new Map<number, number>();
  let itemsThisRun = 0;
  let liveReport: IngestReport | null = null;
  let checkpointWarned = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means now: the checkpoint already names the last committed chunk.
      progress.log(`parley import: ${signal} again, exiting now; rerun the same command to resume from the last committed chunk`);
      process.exit(EXIT.interrupted);
    }
    stopping = true;
    progress.log(`parley import: ${signal} received; stopping after the current chunk commits (again to exit at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const source: Iterable<SourceItem> | AsyncIterable<SourceItem> =
    options.format === 'ndjson' ? ndjsonFileItems(options.file, start) : jsonFileItems(values!, start.index);

  const showProgress = (committed: boolean) => {
    if (!last) return;
    progress.update(
      {
        done: options.format === 'ndjson' ? last.nextOffset : last.index + 1,
        total,
        unit: options.format === 'ndjson' ? 'bytes' : 'items',
        items: base.items + itemsThisRun,
        itemsThisRun,
        doneAtStart: options.format === 'ndjson' ? start.offset : start.index,
        rejected: base.rejectedCount + (liveReport ? rejectedItems(liveReport) : 0),
      },
      committed,
    );
  };

  async function* items(): AsyncGenerator<SourceItem> {
    try {
      for await (const item of source) {
        // Checked before handing over an item: everything handed over is committed before ingestItems returns.
        if (stopping) return;
        last = { index: item.index, nextOffset: Math.min(item.nextOffset, info.size) };
        inFlight.set(last.index, last.nextOffset);
        itemsThisRun += 1;
        showProgress(false);
        yield item;
      }
    } catch (error) {
      // Only the file can fail here (the consumer's errors do not come back through a for-await).
      throw error instanceof SourceError ? error : new SourceError(`cannot read ${options.file}: ${firstLine(error)}`);
    }
    exhausted = true;
  }

  const checkpointAt = (totals: ImportTotals): Checkpoint => ({
    version: 1,
    file: path.resolve(options.file),
    size: info.size,
    mtimeMs: info.mtimeMs,
    vendor: options.vendor,
    offset: options.format === 'ndjson' ? (settled?.nextOffset ?? start.offset) : 0,
    nextIndex: settled ? settled.index + 1 : start.index,
    totals,
    elapsedMs: earlierElapsed + (Date.now() - startedAt),
    savedAt: new Date().toISOString(),
  });
  // A function, because TypeScript cannot see the generator's assignments from here.
  const lastHandedOver = () => last;
  const settle = (index: number) => {
    const nextOffset = inFlight.get(index);
    if (nextOffset === undefined) return;
    settled = { index, nextOffset };
    // Insertion order is index order.
    for (const key of inFlight.keys()) {
      if (key > index) break;
      inFlight.delete(key);
    }
  };
  const save = async (totals: ImportTotals) => {
    try {
      await saveCheckpoint(checkpointFile, checkpointAt(totals));
    } catch (error) {
      // Not fatal: the import goes on, it just cannot resume (e.g. a read-only folder).
      if (!checkpointWarned)
        progress.log(`parley import: cannot save the checkpoint ${checkpointFile} (${firstLine(error)}); this import will not be resumable`);
      checkpointWarned = true;
    }
  };

  let report: IngestReport & { rejectedCount: number };
  try {
    report = await ingestItems(
      {
        prisma: database.prisma,
        events,
        tenantId: tenant.id,
        logError: (error) => progress.log(`parley import: ${firstLine(error)}`),
      },
      ingestHandlers[IMPORT_VENDORS[options.vendor]],
      items(),
      {
        chunkSize: options.chunkSize,
        onChunk: async ({ items: seen, lastIndex, report: sofar }) => {
          liveReport = sofar;
          settle(lastIndex);
          await save(addReport(base, seen, sofar));
          showProgress(true);
        },
      },
    );
  } catch (error) {
    progress.stop();
    await events.close?.();
    await database.close().catch(() => {});
    if (error instanceof SourceError)
      throw new Exit(EXIT.usage, `${error.message}\nitems up to the last committed chunk are stored; rerun the same command to resume`);
    const why = error instanceof DatabaseUnavailableError ? 'the database became unavailable' : 'the import failed';
    throw new Exit(
      EXIT.database,
      `${why}: ${firstLine(error)}\nnothing after the last committed chunk was stored, and the checkpoint stops there; rerun the same command to resume`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.stop();
  const totals = addReport(base, itemsThisRun, report);
  const elapsed = earlierElapsed + (Date.now() - startedAt);
  if (exhausted) {
    await deleteCheckpoint(checkpointFile).catch(() => {});
  } else {
    // Everything handed to ingestItems has now been committed or rejected, including rejected items
    // after the last chunk, which onChunk never saw.
    const handedOver = lastHandedOver();
    if (handedOver) settle(handedOver.index);
    await save(totals);
  }
  await events.close?.();
  await database.close();

  if (!exhausted) {
    process.stdout.write(`${summary(options, totals, base.items, elapsed, 'interrupted')}\n`);
    const next = checkpointAt(totals);
    process.stdout.write(
      `interrupted: the first ${next.nextIndex} items are done; to resume from item ${next.nextIndex}, run the same command again:\n` +
        `  npm run import -- --vendor ${options.vendor} ${shellQuote(options.file)}\n`,
    );
    return EXIT.interrupted;
  }
  process.stdout.write(`${summary(options, totals, base.items, elapsed, 'finished')}\n`);
  return totals.rejectedCount > 0 ? EXIT.rejected : EXIT.ok;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`parley import: ${error.message}\n\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof SourceError) {
      process.stderr.write(`parley import: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`parley import: ${error.message}\n`);
      process.exit(EXIT.usage);
    }
    if (error instanceof Exit) {
      process.stderr.write(`parley import: ${error.message}\n`);
      process.exit(error.code);
    }
    process.stderr.write(`parley import: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.database);
  },
);
