// Prometheus metrics (prom-client), one registry per gateway so that several gateways in one process
// (tests) do not share counters. Served at /metrics (see ./metrics-route.ts).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Prisma } from './db/client.js';
import type { ItemCounts } from './ingest/pipeline.js';
import { connectorLags, connectorLastSuccess } from './connectors/state.js';
import { pendingStats } from './ingest/pending.js';

export interface Metrics {
  registry: Registry;
  /** What ingested items became, by route (`einstein.sessions`...) and result. */
  countItems(route: string, counts: ItemCounts): void;
  /** Waiting messages dropped after the pending TTL. */
  countExpired(messages: number): void;
  /** A scheduled connector run ended (`ok`, `auth`, `unavailable`, `interrupted`). */
  countConnectorRun(connector: string, result: string): void;
  /** What became of a proxied exchange's recording (`recorded`, `rejected`, `failed`, `skipped`). */
  countProxyRecording(proxy: string, result: string): void;
  /** A subscription opened (+1) or ended (-1) on a transport (`sse`, `websocket`, `other`). */
  countSubscription(transport: string, delta: 1 | -1): void;
  /** An update's result was handed to its subscribers' sockets `seconds` after its change committed. */
  observeDelivery(seconds: number): void;
}

/** What the database pool holds now (PostgreSQL; absent on the embedded database). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export function createMetrics(prisma: Prisma, poolStats?: () => PoolStats): Metrics {
  const registry = new Registry();
  const items = new Counter({
    name: 'parley_ingest_items_total',
    help: 'Ingested items by route and result (created, updated, unchanged, rejected); pending counts accepted items whose messages wait for their session.',
    labelNames: ['route', 'result'] as const,
    registers: [registry],
  });
  const expired = new Counter({
    name: 'parley_ingest_pending_expired_messages_total',
    help: 'Waiting messages dropped because their session did not arrive within PENDING_TTL_SECONDS.',
    registers: [registry],
  });
  // Read from the database at scrape time: the waiting messages are shared by every gateway process.
  new Gauge({
    name: 'parley_ingest_pending_messages',
    help: 'Messages waiting for their session (all tenants).',
    registers: [registry],
    async collect() {
      this.set((await pendingStats(prisma)).messages);
    },
  });
  new Gauge({
    name: 'parley_ingest_pending_oldest_age_seconds',
    help: 'How long the oldest waiting message has waited (0 when none waits).',
    registers: [registry],
    async collect() {
      const { oldest } = await pendingStats(prisma);
      this.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest.getTime()) / 1000));
    },
  });
  const connectorRuns = new Counter({
    name: 'parley_connector_runs_total',
    help: "This process's scheduled connector runs, by connector and how they ended (ok, auth, unavailable, interrupted).",
    labelNames: ['connector', 'result'] as const,
    registers: [registry],
  });
  // Read from the database at scrape time: any process (or npm run sync) may have run the connector.
  new Gauge({
    name: 'parley_connector_lag_seconds',
    help: "How far each connector's oldest stream watermark is behind now, by connector and tenant (alert when it grows past a few sync intervals).",
    labelNames: ['connector', 'tenant'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await connectorLags(prisma)) this.set({ connector: row.connector, tenant: row.tenant }, row.lagSeconds);
    },
  });
  new Gauge({
    name: 'parley_connector_last_success_timestamp_seconds',
    help: 'When each connector last finished a run without error (Unix time), by connector and tenant.',
    labelNames: ['connector', 'tenant'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await connectorLastSuccess(prisma)) this.set({ connector: row.connector, tenant: row.tenant }, row.at.getTime() / 1000);
    },
  });
  const proxyRecordings = new Counter({
    name: 'parley_proxy_recordings_total',
    help: 'Exchanges through a recording proxy, by what became of their recording: recorded, rejected (not a session Parley can store), failed (the database, an unreadable body: logged), skipped (nothing to record).',
    labelNames: ['proxy', 'result'] as const,
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: 'parley_subscriptions_open',
    help: 'Open subscriptions on this process, by transport (sse, websocket).',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  const delivery = new Histogram({
    name: 'parley_live_delivery_seconds',
    help: "From a change's commit to its subscription result being handed to the subscribers' sockets.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  if (poolStats) {
    new Gauge({
      name: 'parley_db_pool_connections',
      help: "This process's PostgreSQL pool: connections open (total), idle, and requests waiting for one.",
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }
  return {
    registry,
    countConnectorRun(connector, result) {
      connectorRuns.inc({ connector, result });
    },
    countProxyRecording(proxy, result) {
      proxyRecordings.inc({ proxy, result });
    },
    countItems(route, counts) {
      for (const result of ['created', 'updated', 'unchanged', 'rejected', 'pending'] as const) {
        if (counts[result] > 0) items.inc({ route, result }, counts[result]);
      }
    },
    countExpired(messages) {
      expired.inc(messages);
    },
    countSubscription(transport, delta) {
      subscriptions.inc({ transport }, delta);
    },
    observeDelivery(seconds) {
      delivery.observe(Math.max(0, seconds));
    },
  };
}
