import DataLoader from 'dataloader';
import type { Prisma } from '../db/client.js';
import type { Conversation } from '../generated/prisma/client.js';

/** Conversations by Parley id, one statement per request however many sessions point at them. */
export function createConversationLoader(prisma: Prisma) {
  return new DataLoader<string, Conversation | null>(async (ids) => {
    const rows = await prisma.conversation.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
