// `npm start -- --demo`: the demo data set, written through the same idempotent store as ingest,
// so loading it again (every restart with the flag) changes nothing.
import type { Prisma } from './db/client.js';
import { storeSessions, type StoreResult } from './ingest/store.js';
import { demoSessions } from './vendors/index.js';

// The fixtures carry their own timestamps; this only stands in where a vendor sends none.
const DEMO_RECEIVED_AT = new Date('2026-11-20T12:00:00Z');

export async function loadDemoData(prisma: Prisma): Promise<Record<StoreResult, number>> {
  const counts: Record<StoreResult, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const result of await storeSessions(prisma, demoSessions(DEMO_RECEIVED_AT))) counts[result] += 1;
  return counts;
}
