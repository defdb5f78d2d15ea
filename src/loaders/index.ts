// Everything a request batches, created fresh for each request so nothing is shared across callers.
// Each loader is made when first used: a subscription's context holds this for as long as the
// subscription is open, and never uses it (its events run on fresh contexts, ../live/shared-execution.ts).
import type { Prisma } from '../db/client.js';
import { createConversationLoader } from './conversations.js';
import { createMessageDataLoader, createMessageLoaders } from './messages.js';
import { createSessionDataLoader } from './sessions.js';

export class RequestLoaders {
  #messages: ReturnType<typeof createMessageLoaders> | undefined;
  #messageData: ReturnType<typeof createMessageDataLoader> | undefined;
  #conversations: ReturnType<typeof createConversationLoader> | undefined;
  #sessionData: ReturnType<typeof createSessionDataLoader> | undefined;

  constructor(private readonly prisma: Prisma) {}

  get messages(): ReturnType<typeof createMessageLoaders> {
    this.#messages ??= createMessageLoaders(this.prisma);
    return this.#messages;
  }

  get messageData(): ReturnType<typeof createMessageDataLoader> {
    this.#messageData ??= createMessageDataLoader(this.prisma);
    return this.#messageData;
  }

  get sessionData(): ReturnType<typeof createSessionDataLoader> {
    this.#sessionData ??= createSessionDataLoader(this.prisma);
    return this.#sessionData;
  }

  get conversations(): ReturnType<typeof createConversationLoader> {
    this.#conversations ??= createConversationLoader(this.prisma);
    return this.#conversations;
  }
}

export function createRequestLoaders(prisma: Prisma): RequestLoaders {
  return new RequestLoaders(prisma);
}
