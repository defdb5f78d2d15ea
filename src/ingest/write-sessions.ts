// Writing sessions that are already normalised (the demo data set, tests): the same idempotent writer
// as ingest, each session a snapshot. (Reading sessions: src/queries/sessions.ts.)
import type { Prisma } from '../db/client.js';
import type { NormalizedSession } from '../vendors/normalized.js';
import { DEFAULT_TENANT_ID } from '../auth/principal.js';
import type { WriteResult } from './ops.js';
import { writeChunk } from './writer.js';

export type { WriteResult } from './ops.js';

export async function writeSessions(prisma: Prisma, sessions: readonly NormalizedSession[], tenantId = DEFAULT_TENANT_ID): Promise<WriteResult[]> {
  if (sessions.length === 0) return [];
  const { outcomes } = await writeChunk(
    prisma,
    tenantId,
    sessions.map((session) => ({ type: 'snapshot', session, messageMode: 'upsert' })),
  );
  // A snapshot is never rejected by the writer (only events that cannot create their session are).
  return outcomes.map((o) => ('rejected' in o ? 'unchanged' : o.result));
}

export async function writeSession(prisma: Prisma, session: NormalizedSession, tenantId = DEFAULT_TENANT_ID): Promise<WriteResult> {
  const [result] = await writeSessions(prisma, [session], tenantId);
  return result!;
}
