// Everything a request batches, created fresh for each request so nothing is shared across callers.
import type { Prisma } from '../db/client.js';
import { createConversationLoader } from './conversations.js';
import { createMessageDataLoader, createMessageLoaders } from './messages.js';

export function createRequestLoaders(prisma: Prisma) {
  return {
    messages: createMessageLoaders(prisma),
    messageData: createMessageDataLoader(prisma),
    conversations: createConversationLoader(prisma),
  };
}

export type RequestLoaders = ReturnType<typeof createRequestLoaders>;
