// `npm start -- --demo`: the demo data set, written through the same idempotent store as ingest,
// so loading it again (every restart with the flag) changes nothing.
import type { Prisma } from './db/client.js';
import { writeSessions, type WriteResult } from './ingest/write-sessions.js';
import { demoSessions } from './vendors/index.js';

// The fixtures carry their own timestamps; this only stands in where a vendor sends none.
const DEMO_RECEIVED_AT = new Date('2026-11-20T12:00:00Z');

export async function loadDemoData(prisma: Prisma): Promise<Record<WriteResult, number>> {
  const counts: Record<WriteResult, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const result of await writeSessions(prisma, demoSessions(DEMO_RECEIVED_AT))) counts[result] += 1;
  return counts;
}
