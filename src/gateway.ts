// Builds the HTTP handler (GraphQL, GraphiQL) over an open database. It never listens: main.ts does,
// and tests call `yoga.fetch` directly.
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { guardedPlugin, unavailableError } from './answers.js';
import type { Database } from './db/client.js';
import { classifyDatabaseError, DatabaseUnavailableError, isDatabaseError } from './db/faults.js';
import { AccessWatcher } from './auth/access-watch.js';
import { Authenticator } from './auth/authenticate.js';
import { authPlugin, principalOf } from './auth/plugin.js';
import type { Principal } from './auth/principal.js';
import { ingestPlugin } from './ingest/http.js';
import { createInProcessEventBus, type EventBus } from './live/events.js';
import { LiveHub } from './live/hub.js';
import { MetricsFeeds } from './live/metrics-feeds.js';
import { createOutboxPruner, type OutboxPruner } from './live/pruner.js';
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from './live/settings.js';
import { SharedExecutions, sharedExecutionPlugin } from './live/shared-execution.js';
import { sseWithEventIdsPlugin } from './live/sse.js';
import { createRequestLoaders } from './loaders/index.js';
import type { Context } from './schema/context.js';
import { argumentValuesPlugin } from './schema/argument-values.js';
import { schema } from './schema/index.js';
import { corsOption, createHardening, MAX_GRAPHQL_BODY_BYTES, resolveSecurity, type Hardening, type SecuritySettings } from './security/index.js';
import type { LimitObserver } from './security/limits.js';
import { tenantSharePlugin } from './security/tenant-share-plugin.js';
import { createTenantWorks, type TenantWorks } from './security/tenant-work.js';
import { DEFAULT_PENDING_TTL_SECONDS } from './config.js';
import { einsteinProxyPlugin } from './connectors/einstein/proxy.js';
import { createConnectorSchedule, type ConnectorSchedule } from './connectors/schedule.js';
import { CONNECTORS, DEFAULT_CONNECTOR_SETTINGS, isConfigured, type ConnectorSettings } from './connectors/settings.js';
import { createPendingSweeper, type PendingSweeper } from './ingest/pending.js';
import { createMetrics, type Metrics } from './metrics.js';
import { operationMetricsPlugin } from './operation-metrics.js';
import { readinessPlugin } from './ready-route.js';
import { metricsPlugin } from './metrics-route.js';
import { monitorPlugin } from './monitor-route.js';

/** What a client sees of an unexpected error (Yoga's own wording). */
const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

export interface GatewayOptions {
  database: Database;
  /** OpenTelemetry spans for GraphQL executions and resolvers (src/tracing.ts's graphqlTracingPlugin). */
  tracingPlugin?: Plugin;
  /** Where stored changes are announced; in-process when not given. */
  events?: EventBus;
  production?: boolean;
  /** How long a verified API key is remembered (revocation takes effect within this); 5 s by default. */
  authCacheMs?: number;
  /** Updates one live subscriber may have waiting before it is dropped (see LiveHub). */
  maxQueuedPerSubscriber?: number;
  /** Subscription limits and outbox retention (src/live/settings.ts); defaults where not given. */
  live?: Partial<LiveSettings>;
  /** How often each process reads the outbox without being told of new events (ms; 1000). */
  livePollMs?: number;
  /** How often an SSE stream gets a keep-alive comment (ms; 12000). */
  sseKeepAliveMs?: number;
  /** How often the keys of open subscriptions are read again (ms; 2000, so a revocation lands within 5 s). */
  accessCheckMs?: number;
  /** Where unexpected errors are reported (they reach clients only as "Unexpected error."). */
  logError?: (error: unknown) => void;
  /** Hardening settings (src/config.ts reads them from the environment); missing ones get the
   * defaults for `production` (see src/security/options.ts). */
  security?: SecuritySettings;
  /** Where the hardening reports (a rate limit's Redis outage); console.error when not given. */
  log?: (message: string) => void;
  /** Sees the measures of every accepted operation (scripts/measure-limits.ts). */
  observeLimits?: LimitObserver;
  /** How long messages may wait for their session before they are dropped (default a week). */
  pendingTtlSeconds?: number;
  /** The token /metrics requires (`Authorization: Bearer`); null: open in development, off in production. */
  metricsToken?: string | null;
  /** Vendor API connectors and their schedule (none when not given). */
  connectors?: ConnectorSettings;
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  database: Database;
  events: EventBus;
  live: LiveHub;
  authenticator: Authenticator;
  /** Re-reads the keys behind open WebSockets and subscriptions (revocation, scopes, PII rule). */
  access: AccessWatcher;
  /** The hardening in force: settings (server timeouts, persisted operations), the rate limiter. */
  security: Hardening;
  metrics: Metrics;
  /** Expires messages that waited too long for their session; main.ts starts it. */
  pending: PendingSweeper;
  /** Prunes the live outbox past its retention; main.ts starts it. */
  outbox: OutboxPruner;
  /** Subscription executions shared between subscribers with equal results (its `executions` counts them). */
  liveExecutions: SharedExecutions;
  /** Runs the configured connectors every SYNC_INTERVAL_SECONDS; main.ts starts it. */
  connectors: ConnectorSchedule;
  /** Each tenant's work in flight on this process, per kind (src/security/tenant-work.ts). */
  works: TenantWorks;
  /** botMetricsUpdated's recounts, shared by equal subscriptions. */
  metricsFeeds: MetricsFeeds;
  /** From now on /ready answers 503 (draining): main.ts calls it on SIGTERM, before closing the server. */
  drain(): void;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { prisma } = options.database;
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const events = options.events ?? createInProcessEventBus(logError);
  const graphqlEndpoint = '/graphql';
  const security = createHardening(resolveSecurity(options.production ?? false, options.security), {
    graphqlEndpoint,
    ...(options.log ? { log: options.log } : {}),
    ...(options.observeLimits ? { observe: options.observeLimits } : {}),
  });
  // What each tenant may have in flight on this process (README, "Fair shares").
  const works = createTenantWorks(security.settings.shares);
  const metricsFeeds = new MetricsFeeds(works.metrics);
  const authenticator = new Authenticator(prisma, {
    production: options.production ?? false,
    failures: security.authFailureLimiter,
    ...(options.authCacheMs !== undefined ? { cacheMs: options.authCacheMs } : {}),
  });
  const liveSettings: LiveSettings = { ...DEFAULT_LIVE_SETTINGS, ...options.live };
  const live = new LiveHub(prisma, events, {
    logError,
    maxSubscriptions: liveSettings.maxSubscriptions,
    maxSubscriptionsPerKey: liveSettings.maxSubscriptionsPerKey,
    maxSubscriptionsPerTenant: liveSettings.maxSubscriptionsPerTenant,
    ...(options.livePollMs ? { pollMs: options.livePollMs } : {}),
    ...(options.maxQueuedPerSubscriber ? { maxQueuedPerSubscriber: options.maxQueuedPerSubscriber } : {}),
  });
  const outbox = createOutboxPruner(prisma, liveSettings, logError);
  // Unexpected errors never reach the client with a message or stack; they are logged here. Yoga masks
  // what passes through it; piped live results (written straight to sockets) are masked the same way.
  // A failure of the database, or of the way to it, is not unexpected: it is SERVICE_UNAVAILABLE (HTTP
  // 503, Retry-After), whatever the statement was (../db/faults.ts); only an unforeseen one is logged.
  const maskUnexpected = (error: unknown, message: string): Error => {
    const original = (error as { originalError?: unknown }).originalError ?? error;
    if (isOutage(original)) {
      if (!(original instanceof DatabaseUnavailableError) && classifyDatabaseError(original) === 'unknown') logError(original);
      return withPlaceOf(error, unavailableError());
    }
    const masked = maskError(error, message, false);
    if (masked !== error) logError(original);
    return masked;
  };
  const liveExecutions = new SharedExecutions({
    maskError: (error) => maskUnexpected(error, UNEXPECTED_ERROR_MESSAGE) as GraphQLError,
    work: works.live,
    liveCostPerTenant: security.settings.shares.liveCost,
    ...(options.maxQueuedPerSubscriber ? { maxQueuedPerSubscriber: options.maxQueuedPerSubscriber } : {}),
  });
  const access = new AccessWatcher(prisma, logError, options.accessCheckMs);
  let draining = false;
  const metrics = createMetrics(prisma, options.database.poolStats);
  const pendingTtlSeconds = options.pendingTtlSeconds ?? DEFAULT_PENDING_TTL_SECONDS;
  const pending = createPendingSweeper(prisma, {
    ttlSeconds: pendingTtlSeconds,
    log: options.log ?? ((line) => console.error(line)),
    logError,
    onExpired: (messages) => metrics.countExpired(messages),
  });
  const connectorSettings = options.connectors ?? { ...DEFAULT_CONNECTOR_SETTINGS, genesys: null, salesforce: null, einsteinRuntimeUrl: null };
  const configuredConnectors = CONNECTORS.filter((c) => isConfigured(c, connectorSettings));
  const connectors = createConnectorSchedule({
    database: options.database,
    events,
    settings: connectorSettings,
    log: options.log ?? ((line) => console.error(line)),
    logError,
    onRun: (connector, result) => metrics.countConnectorRun(connector, result),
  });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint,
    landingPage: false,
    // Unexpected errors are logged once, by maskUnexpected below (with the request's id); Yoga's own
    // console logger would print them again, as free text.
    logging: false,
    graphiql: security.settings.graphiql && { title: 'Parley', defaultQuery: DEFAULT_QUERY },
    // GraphiQL's page carries its scripts, styles and editor workers inline (Yoga's own renderer): it
    // works with no internet access, and the page asks nothing of any host but this one. Its 9 MB
    // module loads on the first visit, not at start-up.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    cors: corsOption(security.settings.corsOrigins),
    // One operation per request: an array body is refused (400), so a batch cannot multiply the
    // per-operation limits below or the rate limit.
    batching: false,
    maxRequestBodySize: MAX_GRAPHQL_BODY_BYTES,
    maskedErrors: { maskError: maskUnexpected, errorMessage: UNEXPECTED_ERROR_MESSAGE },
    context: (initial) => {
      // HTTP requests were authenticated by the auth plugin; WebSocket operations bring their own.
      const auth = (initial as { auth?: Principal }).auth ?? principalOf(initial.request);
      if (!auth) throw new Error('request reached GraphQL without authentication');
      return {
        auth,
        access,
        prisma,
        events,
        live,
        metrics,
        configuredConnectors,
        work: works,
        metricsFeeds,
        logError,
        loaders: createRequestLoaders(prisma, auth.tenantId),
      };
    },
    // Order matters: authentication, then the rate limit (both in onRequest, before any route), then
    // ingest routes; the GraphQL hardening hooks later phases (request parsing, parse, validate, execute).
    plugins: [
      // Probes carry no API key: /ready answers before authentication (and /health, Yoga's, before any plugin).
      readinessPlugin({ prisma, eventsProblem: () => events.problem?.() ?? null, redis: events.problem !== undefined, draining: () => draining }),
      // The monitor page's files need no key (the page asks for one for its GraphQL requests).
      monitorPlugin(),
      // Scrapers carry no API key: /metrics has a token of its own, checked before authentication.
      metricsPlugin(metrics, { token: options.metricsToken ?? null, production: options.production ?? false }),
      authPlugin(authenticator, graphqlEndpoint, { graphiql: security.settings.graphiql, trustProxyHops: security.settings.trustProxyHops, logError }),
      ...security.afterAuth,
      einsteinProxyPlugin({
        runtimeUrl: connectorSettings.einsteinRuntimeUrl,
        prisma,
        events,
        log: options.log ?? ((line) => console.error(line)),
        countRecording: (result) => metrics.countProxyRecording('einstein', result),
      }),
      ingestPlugin({ prisma, events, logError, chunks: works.ingest, countItems: (route, counts) => metrics.countItems(route, counts) }),
      ...security.graphql,
      // Arguments the database cannot hold (a NUL, a date out of range), refused before anything runs.
      argumentValuesPlugin(),
      // GraphQL operations in /metrics: requests and latency by operation, errors by code.
      operationMetricsPlugin(metrics.registry),
      // Traces (when OTEL_EXPORTER_OTLP_ENDPOINT is set): the execution and our resolvers (src/tracing.ts).
      ...(options.tracingPlugin ? [options.tracingPlugin] : []),
      // Subscribers with equal results share one execution per event, which carries its outbox id
      // (extensions.eventId); SSE writes each shared result's bytes once, with the id as `id:`.
      sharedExecutionPlugin(liveExecutions, {
        subscription: (transport, delta) => metrics.countSubscription(transport, delta),
        delivered: (seconds) => metrics.observeDelivery(seconds),
      }),
      sseWithEventIdsPlugin(options.sseKeepAliveMs),
      // Compiles each distinct query or mutation once into plain JS (cached per document): execution was
      // the largest CPU cost of the dashboard query after GC (BENCHMARKS.md). Subscriptions keep the
      // standard executor: graphql-jit 0.8's subscribe lost variable values in subscription arguments
      // (sessionMessages(sessionId: $id) received undefined).
      useGraphQlJit({}, { enableIf: (args) => !isSubscription(args.document, args.operationName) }),
      // A tenant's queries and mutations in flight, weighed by cost (after graphql-jit: it wraps the executor it finds).
      tenantSharePlugin(works.queries),
    ].map((plugin) => guardedPlugin(plugin, { graphqlEndpoint, logError })),
  });
  return {
    yoga,
    database: options.database,
    events,
    live,
    authenticator,
    access,
    security,
    metrics,
    pending,
    outbox,
    liveExecutions,
    connectors,
    works,
    metricsFeeds,
    drain: () => {
      draining = true;
    },
  };
}

/** The database could not answer (or the write was not stored): the request may be sent again as it is. */
function isOutage(error: unknown): boolean {
  return error instanceof DatabaseUnavailableError || (isDatabaseError(error) && classifyDatabaseError(error) !== 'rejection');
}

/** `replacement` at the place (path, locations) of the error it replaces. */
function withPlaceOf(error: unknown, replacement: GraphQLError): GraphQLError {
  if (!(error instanceof GraphQLError)) return replacement;
  return new GraphQLError(replacement.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: replacement.extensions,
  });
}

function isSubscription(document: DocumentNode, operationName?: string | null): boolean {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  return operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === OperationTypeNode.SUBSCRIPTION;
}

/** GraphiQL's default: the README's dashboard query, exactly (test/unit/graphiql-default.test.ts keeps them equal). */
export const DEFAULT_QUERY = /* GraphQL */ `query Dashboard {
  sessions(first: 20, filter: { vendors: [GENESYS_CLOUD, CHATLAYER], statuses: [ENDED] },
           orderBy: { field: LAST_ACTIVE_AT, direction: DESC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id vendor externalId channel language outcome lastActiveAt
        conversation { externalId }
        messages(first: 20) { edges { node { sender type text timestamp } } }
      }
    }
  }
}
`;
