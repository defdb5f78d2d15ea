// `npm run sync -- --vendor genesys --tenant <slug> [--since <ISO date>]`: one pass of a connector, with
// progress on stderr and a summary on stdout. Exit codes: 0 done, 1 done but some items or pages were
// skipped (listed in the log), 2 usage or credentials refused, 3 the vendor or the database unreachable
// (each stream's watermark stays where its last committed day left it: run again to resume), 130
// interrupted (Ctrl-C or SIGTERM stop it between two pages; a second signal exits at once).
import { ConfigError, loadConfig } from '../config.js';
import { isConfigured } from '../connectors/settings.js';
import type { SyncSummary } from '../connectors/pass.js';
import { formatDuration } from './progress.js';
import { formatSummary, parseSyncArgs, SYNC_EXIT, SYNC_USAGE, SyncUsageError, type SyncArgs } from './sync-options.js';

async function main(argv: readonly string[]): Promise<number> {
  const say = (message: string) => process.stderr.write(`parley sync: ${message}\n`);
  let args: SyncArgs | 'help';
  try {
    args = parseSyncArgs(argv);
  } catch (error) {
    if (!(error instanceof SyncUsageError)) throw error;
    say(error.message);
    process.stderr.write(`${SYNC_USAGE}\n`);
    return SYNC_EXIT.usage;
  }
  if (args === 'help') {
    process.stdout.write(`${SYNC_USAGE}\n`);
    return SYNC_EXIT.ok;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, []);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(error.message);
    return SYNC_EXIT.usage;
  }
  if (!isConfigured(args.vendor, config.connectors)) {
    const prefix = args.vendor.toUpperCase();
    say(`the ${args.vendor} connector is not configured: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET (README, "Connectors")`);
    return SYNC_EXIT.usage;
  }
  const tenantSlug = args.tenant ?? config.connectors.tenant;
  // Loaded only now, so a mistyped command line does not wait for Prisma and PGlite to load.
  const [{ openDatabase }, { runConnector }, { withConnectorLock }, { createInProcessEventBus }, { createRedisEventBus }, { sessionEventsChannel }] =
    await Promise.all([
      import('../db/client.js'),
      import('../connectors/run.js'),
      import('../connectors/lock.js'),
      import('../live/events.js'),
      import('../live/redis-bus.js'),
      import('../live/outbox.js'),
    ]);
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(config.database);
  } catch (error) {
    say(`could not open the database: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return SYNC_EXIT.unavailable;
  }
  try {
    const tenant = await database.prisma.tenant.findUnique({ where: { slug: tenantSlug } });
    if (!tenant) {
      say(`no tenant "${tenantSlug}": create it with a key first (npm run keys -- create --tenant ${tenantSlug} --scopes ingest)`);
      return SYNC_EXIT.usage;
    }
    const events = config.redisUrl
      ? await createRedisEventBus(config.redisUrl, { channel: await sessionEventsChannel(database.prisma), log: say })
      : createInProcessEventBus();
    const tty = process.stderr.isTTY === true;
    let lastLine = 0;
    const progress = (s: SyncSummary) => {
      const line = `${args.vendor === 'genesys' ? `${String(s.flows)} bot flows · ` : ''}${String(s.pages)} pages · ${String(s.created)} created, ${String(s.updated)} updated, ${String(s.unchanged)} unchanged · ${String(s.requests)} requests · ${formatDuration(s.ms)}`;
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (Date.now() - lastLine >= 5000) {
        lastLine = Date.now();
        process.stderr.write(`${line}\n`);
      }
    };
    const log = (line: string) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}parley sync: ${line}\n`);
    say(`${args.vendor} into tenant ${tenant.slug}${args.since ? ` from ${args.since.toISOString()}` : ' from the watermarks'}`);
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) process.exit(SYNC_EXIT.interrupted);
      log(`${signal} received: stopping after the current page commits (again to exit at once)`);
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const vendor = args.vendor;
    const since = args.since;
    // The same lock as the gateways' schedule: one run of a connector per tenant at a time.
    const locked = await withConnectorLock(database, vendor, tenant.id, (lost) =>
      runConnector(vendor, {
        prisma: database.prisma,
        events,
        tenantId: tenant.id,
        settings: config.connectors,
        since,
        log,
        onPage: progress,
        signal: AbortSignal.any([stop.signal, lost]),
      }),
    ).catch((error: unknown) => error);
    if (locked instanceof Error) {
      say(`could not use the database: ${locked.message.split('\n')[0] ?? ''}`);
      await events.close?.();
      return SYNC_EXIT.unavailable;
    }
    if (locked === 'busy') {
      say(`another process is running the ${vendor} connector for tenant ${tenant.slug}; run this again when it ends`);
      await events.close?.();
      return SYNC_EXIT.unavailable;
    }
    const outcome = locked as Awaited<ReturnType<typeof runConnector>>;
    if (tty) process.stderr.write('\r\x1b[2K');
    await events.close?.();
    const state = outcome.result === 'ok' ? 'finished' : 'stopped';
    process.stdout.write(`${formatSummary(args.vendor, tenant.slug, state, outcome.summary)}\n`);
    if (outcome.result === 'auth') {
      say(`${outcome.error ?? 'credentials refused'}`);
      return SYNC_EXIT.usage;
    }
    if (outcome.result === 'interrupted') {
      say('interrupted; every stream keeps its watermark at its last committed day: run the same command again to resume');
      return SYNC_EXIT.interrupted;
    }
    if (outcome.result === 'unavailable') {
      say(`${outcome.error ?? 'unavailable'}; every stream keeps its watermark at its last committed day: run the same command again to resume`);
      return SYNC_EXIT.unavailable;
    }
    return outcome.summary.rejected > 0 || outcome.summary.badPages > 0 ? SYNC_EXIT.skipped : SYNC_EXIT.ok;
  } finally {
    await database.close().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
