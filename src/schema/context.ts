// What every resolver receives. Built once per request by the gateway.
import type { AccessWatcher } from '../auth/access-watch.js';
import type { TenantWorks } from '../security/tenant-work.js';
import type { Principal } from '../auth/principal.js';
import type { ConnectorName } from '../connectors/settings.js';
import type { Prisma } from '../db/client.js';
import type { EventBus } from '../live/events.js';
import type { LiveHub } from '../live/hub.js';
import type { MetricsFeeds } from '../live/metrics-feeds.js';
import type { RequestLoaders } from '../loaders/index.js';
import type { Metrics } from '../metrics.js';

export interface Context {
  /** Whose request this is: every read and write is confined to `auth.tenantId`. (An open subscription's is replaced when its key changes.) */
  auth: Principal;
  /** Watches the keys of open subscriptions (revocation, scopes, the tenant's personal-data rule). */
  access: AccessWatcher;
  prisma: Prisma;
  events: EventBus;
  live: LiveHub;
  loaders: RequestLoaders;
  metrics: Metrics;
  /** The connectors this process is configured to run (`connectorStatus` lists them even before a first run). */
  configuredConnectors: readonly ConnectorName[];
  /** What each tenant may have in flight on this process (../security/tenant-work.ts). */
  work: TenantWorks;
  /** botMetricsUpdated's shared recounts (../live/metrics-feeds.ts). */
  metricsFeeds: MetricsFeeds;
  /** Where unexpected errors a resolver handles itself are reported (the gateway's `logError`). */
  logError: (error: unknown) => void;
}
