// `connectorStatus` (admin scope): where each vendor connector of the caller's tenant stands — its last
// run and how it ended, each stream's watermark and how far behind now it is. Read from the database,
// so it is the same whichever gateway process (or `npm run sync`) ran the connector.
import { connectorStatuses, type ConnectorStatusRow } from '../connectors/state.js';
import { builder } from './builder.js';

interface StreamStatus {
  name: string;
  watermark: Date | null;
}

interface ConnectorStatus extends ConnectorStatusRow {
  configured: boolean;
  now: Date;
}

/** A run's counts, as the connector recorded them (absent fields read as 0). */
type RunSummary = Record<string, unknown>;

const lagSeconds = (watermark: Date | null, now: Date) => (watermark === null ? null : Math.max(0, (now.getTime() - watermark.getTime()) / 1000));

const StreamRef = builder.objectRef<StreamStatus & { now: Date }>('ConnectorStream').implement({
  description: 'One thing a connector reads incrementally (a Genesys bot flow’s sessions or its reporting turns, Salesforce’s session records).',
  fields: (t) => ({
    name: t.exposeString('name', { description: '`botflow:<id>:sessions`, `botflow:<id>:turns` (Genesys), `conversationDefinitionSession` (Salesforce).' }),
    watermark: t.expose('watermark', { type: 'DateTime', nullable: true, description: 'Everything the vendor dated before this has been read and stored.' }),
    lagSeconds: t.float({ nullable: true, description: 'Seconds between the watermark and now.', resolve: (s) => lagSeconds(s.watermark, s.now) }),
  }),
});

const RunSummaryRef = builder.objectRef<RunSummary>('ConnectorRunSummary');
RunSummaryRef.implement({
  description: "A connector run's counts.",
  fields: (t) => {
    const count = (name: string, description: string) => t.int({ description, resolve: (s) => (typeof s[name] === 'number' ? (s[name] as number) : 0) });
    return {
      result: t.string({
        description: 'How the run ended: `ok`, `auth` (credentials refused), `unavailable` (the vendor or the database), `interrupted`.',
        resolve: (s) => (typeof s.result === 'string' ? s.result : 'ok'),
      }),
      flows: count('flows', 'Genesys bot flows read (0 for other connectors).'),
      pages: count('pages', 'Pages read and stored.'),
      badPages: count('badPages', 'Pages that could not be read (their stream stopped there until the next run).'),
      created: count('created', 'Items that created something.'),
      updated: count('updated', 'Items that changed something stored.'),
      unchanged: count('unchanged', 'Items already stored as they are (the overlap re-read).'),
      pending: count('pending', 'Turns waiting for their session.'),
      rejected: count('rejected', 'Items that failed validation (logged with their path).'),
      requests: count('requests', 'Requests sent to the vendor.'),
      retries: count('retries', 'Requests sent again after a 429, a 5xx or a failed connection.'),
      rateLimited: count('rateLimited', 'Answers that were 429.'),
      durationMs: count('ms', 'How long the run took.'),
    };
  },
});

const ConnectorStatusRef = builder.objectRef<ConnectorStatus>('ConnectorStatus').implement({
  description: "A vendor connector of the caller's tenant.",
  fields: (t) => ({
    connector: t.exposeString('connector', { description: '`genesys` or `salesforce`.' }),
    configured: t.exposeBoolean('configured', { description: 'Whether the gateway answering is configured to run it (its environment).' }),
    lastRunAt: t.expose('lastRunAt', { type: 'DateTime', nullable: true, description: 'When its last run started.' }),
    lastSuccessAt: t.expose('lastSuccessAt', { type: 'DateTime', nullable: true, description: 'When a run last ended without error.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'What stopped the last failed run (null once a run succeeds).' }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true }),
    lastRun: t.field({
      type: RunSummaryRef,
      nullable: true,
      description: "The last run's counts.",
      resolve: (s) => (s.lastSummary !== null && typeof s.lastSummary === 'object' ? (s.lastSummary as RunSummary) : null),
    }),
    watermark: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The oldest watermark of its streams: everything before it has been read from every stream.',
      resolve: (s) => oldest(s.streams),
    }),
    lagSeconds: t.float({
      nullable: true,
      description: 'Seconds between the oldest watermark and now: alert when it grows past a few sync intervals.',
      resolve: (s) => lagSeconds(oldest(s.streams), s.now),
    }),
    streams: t.field({ type: [StreamRef], resolve: (s) => s.streams.map((stream) => ({ name: stream.stream, watermark: stream.watermark, now: s.now })) }),
  }),
});

function oldest(streams: readonly { watermark: Date | null }[]): Date | null {
  const marks = streams.map((s) => s.watermark).filter((w): w is Date => w !== null);
  return marks.length === 0 ? null : new Date(Math.min(...marks.map((w) => w.getTime())));
}

builder.queryField('connectorStatus', (t) =>
  t.field({
    type: [ConnectorStatusRef],
    description:
      "Each vendor connector of the caller's tenant: its last run, watermark, lag and last error; a connector this gateway is configured to run is listed before its first run. Needs the `admin` scope.",
    authScopes: { admin: true },
    skipTypeScopes: true,
    resolve: async (_root, _args, ctx) => {
      const now = new Date();
      const rows = await connectorStatuses(ctx.prisma, ctx.auth.tenantId);
      const statuses: ConnectorStatus[] = rows.map((row) => ({ ...row, configured: ctx.configuredConnectors.includes(row.connector as never), now }));
      for (const connector of ctx.configuredConnectors) {
        if (!rows.some((r) => r.connector === connector)) {
          statuses.push({
            connector,
            tenantId: ctx.auth.tenantId,
            configured: true,
            now,
            lastRunAt: null,
            lastSuccessAt: null,
            lastError: null,
            lastErrorAt: null,
            lastSummary: null,
            streams: [],
          });
        }
      }
      return statuses;
    },
  }),
);
