import DataLoader from 'dataloader';
import type { Prisma } from '../db/client.js';
import type { Session } from '../generated/prisma/client.js';

/**
 * Vendor documents of sessions by id, for sessions read without them (../queries/sessions.ts,
 * SESSION_COLUMNS): one statement for every session of a response whose vendor fields were asked for.
 * The ids come from rows this request already read through a tenant-scoped parent.
 */
export function createSessionDataLoader(prisma: Prisma) {
  return new DataLoader<string, Session['data'] | null>(async (ids) => {
    const rows = await prisma.session.findMany({ where: { id: { in: [...ids] } }, select: { id: true, data: true } });
    const byId = new Map(rows.map((row) => [row.id, row.data]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
