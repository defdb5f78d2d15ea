// Storing already-normalised sessions (the demo data set, tests): the same idempotent writer as ingest.
import type { Prisma } from '../db/client.js';
import type { NormalizedSession } from '../vendors/normalized.js';
import { DEFAULT_TENANT_ID } from '../auth/principal.js';
import { writeChunk, type WriteResult } from './writer.js';

export type StoreResult = WriteResult;

export async function storeSessions(prisma: Prisma, sessions: readonly NormalizedSession[], tenantId = DEFAULT_TENANT_ID): Promise<StoreResult[]> {
  if (sessions.length === 0) return [];
  const { outcomes } = await writeChunk(prisma, tenantId, sessions.map((session) => ({ type: 'snapshot', session, messageMode: 'upsert' })));
  // A snapshot is never rejected by the writer (only events that cannot create their session are).
  return outcomes.map((o) => ('rejected' in o ? 'unchanged' : o.result));
}

export async function storeSession(prisma: Prisma, session: NormalizedSession, tenantId = DEFAULT_TENANT_ID): Promise<StoreResult> {
  const [result] = await storeSessions(prisma, [session], tenantId);
  return result!;
}
