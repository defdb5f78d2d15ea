// A conversation: what the contact centre sees as one contact, possibly spanning sessions of
// several vendors (a journey, a Genesys bot flow, an Einstein bot...).
import { builder } from './builder.js';

export const ConversationRef = builder.prismaNode('Conversation', {
  id: { field: 'id' },
  nullable: true,
  // Another tenant's conversation looks exactly like a missing one.
  findUnique: (id, ctx) => ({ id, tenantId: ctx.auth.tenantId }),
  description: 'One customer contact, across the sessions of every vendor that took part in it.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: "The contact centre's conversation id (the Genesys conversation id)." }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
  }),
});
