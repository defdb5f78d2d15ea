// `node(id)` and `nodes(ids:)`: the rows global ids name, a statement per table however many ids a
// request asks for (at most three: sessions of every kind, messages, conversations), each confined to
// the request's tenant — another tenant's row is not found, exactly like a missing one.
import DataLoader from 'dataloader';
import type { Prisma } from '../db/client.js';
import type { Conversation, Message } from '../generated/prisma/client.js';
import type { SessionKind } from '../generated/prisma/enums.js';
import { SESSION_COLUMNS, type SessionRow } from '../queries/sessions.js';

/** Which table a global id names: a session of one kind, a message, a conversation. */
export type NodeTable = { table: 'session'; kind: SessionKind } | { table: 'message' } | { table: 'conversation' };

export type NodeKey = NodeTable & { id: string };
export type NodeRow = SessionRow | Message | Conversation;

const keyOf = (key: NodeKey) => `${key.table === 'session' ? key.kind : key.table}:${key.id}`;

export function createNodeLoader(prisma: Prisma, tenantId: string) {
  return new DataLoader<NodeKey, NodeRow | null, string>(
    async (keys) => {
      const idsOf = (table: NodeKey['table']) => [...new Set(keys.filter((k) => k.table === table).map((k) => k.id))];
      const [sessionIds, messageIds, conversationIds] = [idsOf('session'), idsOf('message'), idsOf('conversation')];
      const [sessions, messages, conversations] = await Promise.all([
        sessionIds.length > 0 ? prisma.session.findMany({ select: SESSION_COLUMNS, where: { id: { in: sessionIds }, tenantId } }) : [],
        messageIds.length > 0 ? prisma.message.findMany({ where: { id: { in: messageIds }, session: { tenantId } } }) : [],
        conversationIds.length > 0 ? prisma.conversation.findMany({ where: { id: { in: conversationIds }, tenantId } }) : [],
      ]);
      const sessionById = new Map<string, SessionRow>(sessions.map((row) => [row.id, row]));
      const messageById = new Map(messages.map((row) => [row.id, row]));
      const conversationById = new Map(conversations.map((row) => [row.id, row]));
      return keys.map((key) => {
        if (key.table === 'message') return messageById.get(key.id) ?? null;
        if (key.table === 'conversation') return conversationById.get(key.id) ?? null;
        // A global id of one session type never loads a session of another.
        const session = sessionById.get(key.id);
        return session?.kind === key.kind ? session : null;
      });
    },
    { cacheKeyFn: keyOf },
  );
}
