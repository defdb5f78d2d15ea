// Messages that wait for their session (a Genesys reporting turn that arrived first) do not wait
// forever: after the pending TTL they are dropped, with a log line saying what and why. Any number of
// gateway processes may sweep at once: each sweep takes the same per-session locks as the writer, so a
// waiting message is either attached to its session or expired, never both, and never half of a session's.
import type { Prisma } from '../db/client.js';
import type { SessionKind } from '../generated/prisma/enums.js';
import { lockSessions, type SessionRef } from './statements.js';
import { createPeriodicTask, type PeriodicTask, tenthOf } from '../db/periodic.js';

/** Sessions whose waiting messages one transaction expires at most. */
const SWEEP_BATCH = 500;

export interface ExpiredSession {
  tenantId: string;
  kind: string;
  sessionExternalId: string;
  messages: number;
  since: Date;
}

export interface PendingStats {
  messages: number;
  sessions: number;
  oldest: Date | null;
}

export async function pendingStats(prisma: Prisma): Promise<PendingStats> {
  const [row] = await prisma.$queryRaw<{ messages: number; sessions: number; oldest: Date | null }[]>`
    SELECT count(*)::int AS "messages",
           count(DISTINCT ("tenantId", "kind", "sessionExternalId"))::int AS "sessions",
           min("receivedAt") AS "oldest"
    FROM "PendingMessage"`;
  return row ?? { messages: 0, sessions: 0, oldest: null };
}

/** Drops every message that has waited longer than `ttlSeconds`; returns what was dropped, by session. */
export async function expirePendingMessages(prisma: Prisma, ttlSeconds: number, now: Date = new Date()): Promise<ExpiredSession[]> {
  const cutoff = new Date(now.getTime() - ttlSeconds * 1000);
  const expired: ExpiredSession[] = [];
  for (;;) {
    const due = await prisma.$queryRaw<{ tenantId: string; kind: string; sessionExternalId: string }[]>`
      SELECT DISTINCT "tenantId", "kind"::text AS "kind", "sessionExternalId" FROM "PendingMessage"
      WHERE "receivedAt" < ${cutoff} LIMIT ${SWEEP_BATCH}`;
    if (due.length === 0) return expired;
    const dropped = await prisma.$transaction(async (tx) => {
      // Tenants are part of the lock id: lock each tenant's sessions (sorted within lockSessions).
      const byTenant = new Map<string, SessionRef[]>();
      for (const d of due) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), { kind: d.kind as SessionKind, externalId: d.sessionExternalId }]);
      for (const tenantId of [...byTenant.keys()].sort()) await lockSessions(tx, tenantId, byTenant.get(tenantId)!);
      return tx.$queryRaw<ExpiredSession[]>`
        WITH gone AS (
          DELETE FROM "PendingMessage" p
          USING unnest(${due.map((d) => d.tenantId)}::uuid[], ${due.map((d) => d.kind)}::text[], ${due.map((d) => d.sessionExternalId)}::text[])
            AS k("tenantId", "kind", "externalId")
          WHERE p."tenantId" = k."tenantId" AND p."kind" = k."kind"::"SessionKind" AND p."sessionExternalId" = k."externalId"
            AND p."receivedAt" < ${cutoff}
          RETURNING p."tenantId", p."kind", p."sessionExternalId", p."receivedAt"
        )
        SELECT "tenantId", "kind"::text AS "kind", "sessionExternalId", count(*)::int AS "messages", min("receivedAt") AS "since"
        FROM gone GROUP BY "tenantId", "kind", "sessionExternalId"`;
    });
    expired.push(...dropped);
    if (due.length < SWEEP_BATCH) return expired;
  }
}

/** One line for the log: how many, of which sessions (the first 20), and why. */
export function describeExpiry(expired: readonly ExpiredSession[], ttlSeconds: number): string {
  const messages = expired.reduce((n, e) => n + e.messages, 0);
  const listed = expired
    .slice(0, 20)
    .map((e) => `${e.kind} ${e.sessionExternalId} (tenant ${e.tenantId}, ${String(e.messages)} message(s) waiting since ${e.since.toISOString()})`)
    .join('; ');
  const more = expired.length > 20 ? `; and ${String(expired.length - 20)} more session(s)` : '';
  return (
    `parley: dropped ${String(messages)} pending message(s) of ${String(expired.length)} session(s): their session did not arrive within ` +
    `PENDING_TTL_SECONDS=${String(ttlSeconds)}: ${listed}${more}`
  );
}

export interface PendingSweeper extends PeriodicTask {
  /** Expires what is due now; resolves with what was dropped (already logged). */
  sweep(now?: Date): Promise<ExpiredSession[]>;
}

/** Sweeps every tenth of the TTL (../db/periodic.ts: at least every minute, never overlapping). */
export function createPendingSweeper(
  prisma: Prisma,
  options: { ttlSeconds: number; log: (line: string) => void; logError: (error: unknown) => void; onExpired?: (messages: number) => void },
): PendingSweeper {
  const sweep = async (now = new Date()) => {
    const expired = await expirePendingMessages(prisma, options.ttlSeconds, now);
    if (expired.length > 0) {
      options.log(describeExpiry(expired, options.ttlSeconds));
      options.onExpired?.(expired.reduce((n, e) => n + e.messages, 0));
    }
    return expired;
  };
  return { sweep, ...createPeriodicTask(() => sweep(), tenthOf(options.ttlSeconds), options.logError) };
}
