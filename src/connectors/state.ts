// Where each connector stands, in the database (ConnectorState): one row per stream with its watermark,
// and one row (stream `run`) for the connector's last run as a whole. Any gateway process (or the sync
// CLI) reads and writes them; a watermark only ever moves forward.
import type { Prisma } from '../db/client.js';
import type { Prisma as P } from '../generated/prisma/client.js';

/** The stream name of the row that describes the connector's runs. */
export const RUN_STREAM = 'run';

export interface StreamKey {
  tenantId: string;
  connector: string;
  stream: string;
}

const id = (key: StreamKey) => ({ tenantId_connector_stream: { tenantId: key.tenantId, connector: key.connector, stream: key.stream } });

export async function readWatermark(prisma: Prisma, key: StreamKey): Promise<Date | null> {
  const row = await prisma.connectorState.findUnique({ where: id(key), select: { watermark: true } });
  return row?.watermark ?? null;
}

/** Moves the stream's watermark to `at`, never backwards (two runs may overlap on another process's clock). */
export async function advanceWatermark(prisma: Prisma, key: StreamKey, at: Date): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "ConnectorState" ("tenantId", "connector", "stream", "watermark", "lastSuccessAt", "updatedAt")
    VALUES (${key.tenantId}::uuid, ${key.connector}, ${key.stream}, ${at}, now(), now())
    ON CONFLICT ("tenantId", "connector", "stream") DO UPDATE
    SET "watermark" = GREATEST("ConnectorState"."watermark", EXCLUDED."watermark"), "lastSuccessAt" = now(), "updatedAt" = now()`;
}

export interface RunRecord {
  startedAt: Date;
  /** Null when the run succeeded. */
  error: string | null;
  summary: P.InputJsonValue;
}

/** Records how a run ended, on the connector's `run` row. */
export async function recordRun(prisma: Prisma, tenantId: string, connector: string, run: RunRecord): Promise<void> {
  const key = { tenantId, connector, stream: RUN_STREAM };
  const outcome = run.error === null ? { lastSuccessAt: new Date(), lastError: null, lastErrorAt: null } : { lastError: run.error, lastErrorAt: new Date() };
  await prisma.connectorState.upsert({
    where: id(key),
    create: { ...key, lastRunAt: run.startedAt, lastSummary: run.summary, ...outcome },
    update: { lastRunAt: run.startedAt, lastSummary: run.summary, ...outcome },
  });
}

export interface ConnectorStatusRow {
  connector: string;
  tenantId: string;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSummary: unknown;
  streams: { stream: string; watermark: Date | null }[];
}

/** Every connector of a tenant: its runs' row and its streams' watermarks. */
export async function connectorStatuses(prisma: Prisma, tenantId: string): Promise<ConnectorStatusRow[]> {
  const rows = await prisma.connectorState.findMany({ where: { tenantId }, orderBy: [{ connector: 'asc' }, { stream: 'asc' }] });
  const byConnector = new Map<string, ConnectorStatusRow>();
  for (const row of rows) {
    let status = byConnector.get(row.connector);
    if (!status) {
      status = { connector: row.connector, tenantId, lastRunAt: null, lastSuccessAt: null, lastError: null, lastErrorAt: null, lastSummary: null, streams: [] };
      byConnector.set(row.connector, status);
    }
    if (row.stream === RUN_STREAM) {
      Object.assign(status, {
        lastRunAt: row.lastRunAt,
        lastSuccessAt: row.lastSuccessAt,
        lastError: row.lastError,
        lastErrorAt: row.lastErrorAt,
        lastSummary: row.lastSummary,
      });
    } else {
      status.streams.push({ stream: row.stream, watermark: row.watermark });
    }
  }
  return [...byConnector.values()];
}

/** Each connector's lag per tenant: now less its oldest stream watermark (all tenants; for /metrics). */
export async function connectorLags(prisma: Prisma): Promise<{ connector: string; tenant: string; lagSeconds: number }[]> {
  return prisma.$queryRaw`
    SELECT c."connector", t."slug" AS "tenant", EXTRACT(EPOCH FROM (now() - MIN(c."watermark")))::float8 AS "lagSeconds"
    FROM "ConnectorState" c JOIN "Tenant" t ON t."id" = c."tenantId"
    WHERE c."stream" <> ${RUN_STREAM} AND c."watermark" IS NOT NULL
    GROUP BY c."connector", t."slug"`;
}

/** When each connector last succeeded, per tenant (all tenants; for /metrics). */
export async function connectorLastSuccess(prisma: Prisma): Promise<{ connector: string; tenant: string; at: Date }[]> {
  return prisma.$queryRaw`
    SELECT c."connector", t."slug" AS "tenant", c."lastSuccessAt" AS "at"
    FROM "ConnectorState" c JOIN "Tenant" t ON t."id" = c."tenantId"
    WHERE c."stream" = ${RUN_STREAM} AND c."lastSuccessAt" IS NOT NULL`;
}
