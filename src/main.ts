// Starts Parley: configuration, database (migrated), optional demo data, event bus, HTTP + WebSocket
// server; on SIGTERM/SIGINT drains (no new connections, in-flight requests finish, subscriptions
// complete) and exits 0.
import { accessMode } from './auth/startup.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { loadDemoData } from './demo.js';
import { createGateway } from './gateway.js';
import { createInProcessEventBus, type EventBus } from './live/events.js';
import { sessionEventsChannel } from './live/outbox.js';
import { createRedisEventBus } from './live/redis-bus.js';
import { listen } from './server.js';
import { createLogger, errorFields, type Logger } from './log.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const log = (line: string) => logger.info(line);
  const logError = (error: unknown) => logger.error(errorFields(error), 'unexpected error');
  // Traces only where a collector is named (the exporter reads the standard OTEL_* variables); the SDK is
  // loaded only then.
  const traced = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ? await import('./tracing.js') : null;
  const tracing = traced ? traced.startTracing(traced.otlpSpanProcessor()) : null;
  if (tracing) log(`parley: OpenTelemetry traces to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? ''}`);
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir ?? 'memory'}`;
  const database = await openDatabase(config.database);
  log(`parley: database ready (${where})`);
  // No key at all: open in development (loudly), refused in production.
  const access = await accessMode(database.prisma, { production: config.production, host: config.host });
  if (access.mode === 'refuse') {
    logger.fatal(`parley: ${access.message}`);
    await database.close();
    process.exit(1);
  }
  if (access.mode === 'open') {
    // A banner for the person at the terminal (development only), and the same as a log line.
    process.stderr.write(`${access.warning}\n`);
    logger.warn('parley: development mode: no API key exists, so every request is served without one');
  } else log(`parley: ${access.active} active API key(s); every request needs one`);
  if (access.mode === 'keys' && access.warning) logger.warn(access.warning);
  if (config.demo) {
    const counts = await loadDemoData(database.prisma);
    log(`parley: demo data: ${counts.created} sessions created, ${counts.updated} updated, ${counts.unchanged} already there`);
  }
  const bus = config.redisUrl
    ? await createRedisEventBus(config.redisUrl, { channel: await sessionEventsChannel(database.prisma), log, logError })
    : createInProcessEventBus(logError);
  const events = process.env.PARLEY_FAULT_DIE_BEFORE_PUBLISH === '1' ? dyingBeforePublish(bus, logger) : bus;
  log(config.redisUrl ? 'parley: live updates shared through Redis' : 'parley: live updates in this process only (set REDIS_URL to share them)');
  const gateway = createGateway({
    database,
    events,
    production: config.production,
    security: config.security,
    pendingTtlSeconds: config.pendingTtlSeconds,
    metricsToken: config.metricsToken,
    live: config.live,
    connectors: config.connectors,
    log,
    logError,
    ...(traced ? { tracingPlugin: traced.graphqlTracingPlugin() } : {}),
  });
  const server = await listen(gateway, { port: config.port, host: config.host, logger });
  gateway.pending.start();
  gateway.outbox.start();
  gateway.connectors.start();
  log(`parley: GraphQL on ${server.url} (HTTP, SSE and WebSocket)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`parley: ${signal} received, draining`);
    gateway.drain();
    await gateway.connectors.stop();
    await gateway.pending.stop();
    await gateway.outbox.stop();
    await server.close();
    await events.close?.();
    await database.close();
    await tracing?.shutdown();
    log('parley: stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`parley: ${error.message}`);
  else console.error('parley: failed to start:', error);
  process.exit(1);
});

/**
 * Fault injection for test/e2e/multi-process.test.ts: the process kills itself (SIGKILL, no cleanup)
 * between a commit and its publish, the moment the outbox exists for. Never set outside that test.
 */
function dyingBeforePublish(bus: EventBus, logger: Logger): EventBus {
  logger.warn('parley: PARLEY_FAULT_DIE_BEFORE_PUBLISH is set: this process dies after its first commit (a test of the outbox)');
  return {
    ...bus,
    publish(published) {
      if (published.length > 0) process.kill(process.pid, 'SIGKILL');
    },
  };
}
