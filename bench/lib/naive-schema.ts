// The read benchmark's naive build (issue 6): the part of Parley's schema Q1 uses, written the way a
// first GraphQL server usually is: plain per-field resolvers, each loading what it needs through Prisma
// when it is asked, with no batching. A page of 50 sessions costs 1 + 50 (transcripts) + up to 50
// (conversations) statements. Same response shape as the gateway's Q1, which the suite checks.
import { createSchema, createYoga } from 'graphql-yoga';
import type { Prisma } from '../../src/db/client.js';
import type { Conversation, Message, Session } from '../../src/generated/prisma/client.js';
import type { Vendor } from '../../src/generated/prisma/enums.js';
import { encodeGlobalId } from '../../src/schema/global-id.js';
import { decodeCursor, encodeCursor } from '../../src/schema/paging.js';
import { sessionTypeName } from '../../src/schema/session.js';
import { startCountingServer, type CountingServer } from './counting-server.js';
import { BENCH_TENANT_ID } from './query-data.js';

const sessionFields = /* GraphQL */ `
  id: ID!
  vendor: Vendor!
  kind: SessionKind!
  externalId: String!
  channel: String
  language: String
  status: SessionStatus!
  outcome: SessionOutcome
  createdAt: String!
  lastActiveAt: String!
  conversation: Conversation
  messages(first: Int): MessageConnection!
`;

const typeDefs = /* GraphQL */ `
  enum Vendor { GENESYS_CLOUD SALESFORCE_EINSTEIN CHATLAYER }
  enum SessionKind { BOT_FLOW EINSTEIN_BOT CHATLAYER JOURNEY }
  enum SessionStatus { ACTIVE ENDED TRANSFERRED }
  enum SessionOutcome { COMPLETED ESCALATED USER_EXITED ABANDONED EXPIRED RECOGNITION_FAILURE ERROR UNKNOWN }
  enum MessageSender { USER BOT AGENT SYSTEM }
  enum MessageType { TEXT CHOICES POSTBACK INTRO LOCATION UPLOAD TRANSFER ESCALATE_TO_AGENT SESSION_ENDED UNKNOWN }
  enum SessionOrderField { CREATED_AT LAST_ACTIVE_AT }
  enum OrderDirection { ASC DESC }
  input SessionFilter { vendors: [Vendor!] }
  input SessionOrder { field: SessionOrderField!, direction: OrderDirection! = DESC }
  type PageInfo { hasNextPage: Boolean!, endCursor: String }
  type Conversation { id: ID!, externalId: String! }
  type Message { id: ID!, sequence: Float!, sender: MessageSender!, type: MessageType!, text: String, timestamp: String }
  type MessageEdge { node: Message! }
  type MessagePageInfo { hasNextPage: Boolean! }
  type MessageConnection { pageInfo: MessagePageInfo!, edges: [MessageEdge!]! }
  interface Session { ${sessionFields} }
  type BotFlowSession implements Session { ${sessionFields} }
  type EinsteinBotSession implements Session { ${sessionFields} }
  type ChatlayerSession implements Session { ${sessionFields} }
  type JourneySession implements Session { ${sessionFields} }
  type SessionEdge { cursor: String!, node: Session! }
  type SessionConnection { pageInfo: PageInfo!, edges: [SessionEdge!]! }
  type Query { sessions(first: Int, after: String, filter: SessionFilter, orderBy: SessionOrder): SessionConnection! }
`;

type NaiveContext = {
  prisma: Prisma;
};

const KNOWN_TYPES = new Set(['TEXT', 'CHOICES', 'POSTBACK', 'INTRO', 'LOCATION', 'UPLOAD', 'TRANSFER', 'ESCALATE_TO_AGENT', 'SESSION_ENDED', 'UNKNOWN']);
const cursorOf = (s: Session) => encodeCursor('session:createdAt:desc', [s.createdAt.toISOString(), s.id]);

const sessionResolvers = {
  id: (s: Session) => encodeGlobalId(sessionTypeName[s.kind], s.id),
  createdAt: (s: Session) => s.createdAt.toISOString(),
  lastActiveAt: (s: Session) => s.lastActiveAt.toISOString(),
  // One statement per session: the N+1 this build exists to show.
  conversation: (s: Session, _args: unknown, ctx: NaiveContext): Promise<Conversation | null> | null =>
    s.conversationId === null ? null : ctx.prisma.conversation.findUnique({ where: { id: s.conversationId } }),
  messages: async (s: Session, args: { first?: number | null }, ctx: NaiveContext) => {
    const first = args.first ?? 20;
    const rows = await ctx.prisma.message.findMany({
      where: { sessionId: s.id },
      orderBy: [{ sequence: 'asc' }, { ordinal: 'asc' }, { key: 'asc' }],
      take: first + 1,
    });
    return { pageInfo: { hasNextPage: rows.length > first }, edges: rows.slice(0, first).map((node) => ({ node })) };
  },
};

const resolvers = {
  Query: {
    sessions: async (
      _root: unknown,
      args: { first?: number | null; after?: string | null; filter?: { vendors?: Vendor[] | null } | null },
      ctx: NaiveContext,
    ) => {
      const first = args.first ?? 20;
      const after = args.after ? (decodeCursor(args.after, 'session:createdAt:desc') as [string, string]) : null;
      const rows = await ctx.prisma.session.findMany({
        where: {
          tenantId: BENCH_TENANT_ID,
          ...(args.filter?.vendors ? { vendor: { in: args.filter.vendors } } : {}),
          ...(after ? { OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      });
      const edges = rows.slice(0, first).map((node) => ({ cursor: cursorOf(node), node }));
      return { pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, edges };
    },
  },
  Session: { __resolveType: (s: Session) => sessionTypeName[s.kind] },
  BotFlowSession: sessionResolvers,
  EinsteinBotSession: sessionResolvers,
  ChatlayerSession: sessionResolvers,
  JourneySession: sessionResolvers,
  Conversation: { id: (c: Conversation) => encodeGlobalId('Conversation', c.id) },
  Message: {
    id: (m: Message) => encodeGlobalId('Message', m.id),
    sequence: (m: Message) => Number(m.sequence),
    type: (m: Message) => (KNOWN_TYPES.has(m.type) ? m.type : 'UNKNOWN'),
    timestamp: (m: Message) => m.timestamp?.toISOString() ?? null,
  },
};

export type NaiveServer = CountingServer;

/** The naive build on its own socket, reading through `prisma`. */
export async function startNaiveServer(prisma: Prisma): Promise<NaiveServer> {
  const yoga = createYoga<NaiveContext>({
    schema: createSchema<NaiveContext>({ typeDefs, resolvers }),
    context: () => ({ prisma }),
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  return startCountingServer(yoga);
}
