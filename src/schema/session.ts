// The `Session` interface every vendor's session implements, its four implementations, and the
// session query fields. Vendor-specific fields live in ./vendors/, one file per vendor.
import type { SessionKind } from '../generated/prisma/enums.js';
import {
  countSessions,
  findSessionPage,
  SESSION_COLUMNS,
  type SessionRow,
  type ScopedSessionFilter,
  type SessionFilter,
  type SessionKey,
  type SessionOrder,
} from '../queries/sessions.js';
import { builder } from './builder.js';
import { sessionTypeName } from './session-type-names.js';
import type { Context } from './context.js';
import { ConversationRef } from './conversation.js';
import { SessionKindEnum, SessionOutcomeEnum, SessionStatusEnum, VendorEnum } from './enums.js';
import { ErrorCode, userError } from './errors.js';
import { MessageRef, resolveMessagePage } from './message.js';
import { decodeGlobalId, isUuid, localIdOf } from './global-id.js';
import { badCursor, decodeCursor, encodeCursor, pageRequest, toPage } from './paging.js';
import { isStorableDate } from '../db/storable.js';

export const SessionRef = builder.interfaceRef<SessionRow>('Session');

export { sessionTypeName, sessionTypeNames } from './session-type-names.js';

SessionRef.implement({
  description: 'A bot (or journey) session on any vendor, with the fields every vendor shares.',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (session) => sessionTypeName[session.kind],
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, resolve: (s) => s.vendor }),
    kind: t.field({ type: SessionKindEnum, resolve: (s) => s.kind }),
    externalId: t.string({ description: "The vendor's own session id.", resolve: (s) => s.externalId }),
    botId: t.string({ nullable: true, resolve: (s) => s.botId }),
    channel: t.string({ nullable: true, description: 'Lower-case channel name (call, chat, messaging, web, whatsapp...).', resolve: (s) => s.channel }),
    language: t.string({ nullable: true, description: 'Lower-case language tag.', resolve: (s) => s.language }),
    status: t.field({ type: SessionStatusEnum, resolve: (s) => s.status }),
    outcome: t.field({
      type: SessionOutcomeEnum,
      nullable: true,
      description: 'How the session ended, in one category across vendors; null while undecided.',
      resolve: (s) => s.outcome,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    lastActiveAt: t.field({ type: 'DateTime', resolve: (s) => s.lastActiveAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.endedAt }),
    conversation: t.loadable({
      type: ConversationRef,
      nullable: true,
      load: (ids: string[], ctx) => ctx.loaders.conversations.loadMany(ids),
      resolve: (s) => s.conversationId,
    }),
    messages: t.connection(
      {
        type: MessageRef,
        description: 'The transcript in order, oldest first.',
        resolve: (s, args, ctx) => resolveMessagePage(s.id, args, ctx),
      },
      {
        name: 'MessageConnection',
        fields: (c) => ({
          totalCount: c.int({ description: 'Messages in the whole transcript.', resolve: (connection) => connection.totalCount() }),
        }),
      },
    ),
  }),
});

function sessionVariant(kind: SessionKind, description: string) {
  return builder.prismaNode('Session', {
    variant: sessionTypeName[kind],
    description,
    id: { field: 'id' },
    // Read without the vendor's document, as listings are: vendor fields load it when asked (vendors/shared.ts).
    select: SESSION_COLUMNS,
    nullable: true,
    // A global id of one session type must not load a session of another, nor another tenant's.
    findUnique: (id, ctx) => ({ id, kind, tenantId: ctx.auth.tenantId }),
    interfaces: [SessionRef],
    fields: () => ({}),
  });
}

export const BotFlowSessionRef = sessionVariant('BOT_FLOW', 'A Genesys Cloud bot flow session (Platform API `BotFlowSession`).');
export const EinsteinBotSessionRef = sessionVariant('EINSTEIN_BOT', 'A Salesforce Einstein Bot session.');
export const ChatlayerSessionRef = sessionVariant('CHATLAYER', 'A Chatlayer (Sinch) bot session: its internal session data and variables.');
export const JourneySessionRef = sessionVariant('JOURNEY', 'A Genesys Cloud customer journey session (Journey API `Session`).');

export const SessionOrderFieldEnum = builder.enumType('SessionOrderField', {
  values: { CREATED_AT: { value: 'createdAt' }, LAST_ACTIVE_AT: { value: 'lastActiveAt' } } as const,
});
export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});

export const SessionOrderInput = builder.inputType('SessionOrder', {
  fields: (t) => ({
    field: t.field({ type: SessionOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'desc' }),
  }),
});

export const SessionFilterInput = builder.inputType('SessionFilter', {
  description: 'Every list is an OR of its values; the lists and dates combine with AND. An omitted field does not filter.',
  fields: (t) => ({
    vendors: t.field({ type: [VendorEnum], required: false }),
    kinds: t.field({ type: [SessionKindEnum], required: false }),
    statuses: t.field({ type: [SessionStatusEnum], required: false }),
    outcomes: t.field({ type: [SessionOutcomeEnum], required: false }),
    botIds: t.stringList({ required: false }),
    channels: t.stringList({ required: false, description: 'Matched case-insensitively.' }),
    languages: t.stringList({ required: false, description: 'Matched case-insensitively.' }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Inclusive.' }),
    createdBefore: t.field({ type: 'DateTime', required: false, description: 'Exclusive.' }),
    conversationId: t.id({ required: false, description: 'Global id of a Conversation.' }),
  }),
});

type FilterArg = typeof SessionFilterInput.$inferInput;

export function toSessionFilter(input: FilterArg | null | undefined): SessionFilter {
  if (!input) return {};
  const { conversationId, ...rest } = input;
  if (rest.createdAfter && rest.createdBefore && rest.createdAfter >= rest.createdBefore) {
    throw userError(ErrorCode.BAD_USER_INPUT, '`filter.createdAfter` must be before `filter.createdBefore`.');
  }
  return {
    ...rest,
    conversationId: conversationId == null ? null : localIdOf(decodeGlobalId(String(conversationId)), ['Conversation'], 'filter.conversationId'),
  };
}

const cursorTag = (order: SessionOrder) => `session:${order.field}:${order.direction}`;

/** A session cursor's parts: the sort column's value (a date a timestamptz holds) and the row's UUID. */
function decodeSessionCursor(cursor: string, order: SessionOrder): SessionKey {
  const parts = decodeCursor(cursor, cursorTag(order));
  const [at, id] = parts;
  const date = typeof at === 'string' ? new Date(at) : null;
  if (parts.length !== 2 || !date || !isStorableDate(date) || typeof id !== 'string' || !isUuid(id)) throw badCursor(cursor);
  return { at: date, id };
}

/** One page of sessions plus a lazy `totalCount`: the count query runs only when it is asked for. */
export async function resolveSessionConnection(
  ctx: Context,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  unscoped: SessionFilter,
  order: SessionOrder,
) {
  const filter: ScopedSessionFilter = { ...unscoped, tenantId: ctx.auth.tenantId };
  const request = pageRequest(args, (cursor) => decodeSessionCursor(cursor, order));
  const rows = await findSessionPage(ctx.prisma, filter, order, request);
  const page = toPage(rows, request, (row) => encodeCursor(cursorTag(order), [row[order.field].toISOString(), row.id]));
  let total: Promise<number> | undefined;
  return { ...page, totalCount: () => (total ??= countSessions(ctx.prisma, filter)) };
}

builder.objectField(ConversationRef, 'sessions', (t) =>
  t.connection(
    {
      type: SessionRef,
      description: "The conversation's sessions on every vendor, oldest first unless `orderBy` says otherwise.",
      args: { orderBy: t.arg({ type: SessionOrderInput, required: false }) },
      resolve: (conversation, args, ctx) =>
        resolveSessionConnection(
          ctx,
          args,
          { conversationId: conversation.id },
          {
            field: args.orderBy?.field ?? 'createdAt',
            direction: args.orderBy?.direction ?? 'asc',
          },
        ),
    },
    {
      name: 'ConversationSessionConnection',
      fields: (c) => ({ totalCount: c.int({ resolve: (connection) => connection.totalCount() }) }),
    },
  ),
);
