// Everything a request batches, created fresh for each request so nothing is shared across callers.
// Each loader is made when first used: a subscription's context holds this for as long as the
// subscription is open, and never uses it (its events run on fresh contexts, ../live/shared-execution.ts).
import type { Prisma } from '../db/client.js';
import { createConversationLoader } from './conversations.js';
import { createMessageDataLoader, createMessageLoaders } from './messages.js';
import { createNodeLoader } from './nodes.js';
import { createSessionDataLoader } from './sessions.js';

export class RequestLoaders {
  #messages: ReturnType<typeof createMessageLoaders> | undefined;
  #messageData: ReturnType<typeof createMessageDataLoader> | undefined;
  #conversations: ReturnType<typeof createConversationLoader> | undefined;
  #sessionData: ReturnType<typeof createSessionDataLoader> | undefined;
  #nodes: ReturnType<typeof createNodeLoader> | undefined;

  constructor(
    private readonly prisma: Prisma,
    /** The request's tenant: what `nodes` may find. */
    private readonly tenantId: string,
  ) {}

  /** Rows by global id (node, nodes), in the request's tenant only. */
  get nodes(): ReturnType<typeof createNodeLoader> {
    this.#nodes ??= createNodeLoader(this.prisma, this.tenantId);
    return this.#nodes;
  }

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

export function createRequestLoaders(prisma: Prisma, tenantId: string): RequestLoaders {
  return new RequestLoaders(prisma, tenantId);
}
