// Messages: a Relay node per message, and the paged transcript of a session.
import type { Message } from '../generated/prisma/client.js';
import { MESSAGE_TYPES, type MessageType } from '../vendors/normalized.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { MessageSenderEnum, MessageTypeEnum } from './enums.js';
import { ErrorCode, userError } from './errors.js';
import { decodeCursor, encodeCursor, pageRequest, toPage, type PagingArgs } from './paging.js';

const knownTypes = new Set<string>(MESSAGE_TYPES);

export const MessageChoiceRef = builder.objectRef<{ label: string; value: string | null; index: number | null }>('MessageChoice');
MessageChoiceRef.implement({
  fields: (t) => ({
    label: t.exposeString('label'),
    value: t.exposeString('value', { nullable: true }),
    index: t.exposeInt('index', { nullable: true }),
  }),
});

function dataOf(message: Message): Record<string, unknown> {
  return message.data !== null && typeof message.data === 'object' && !Array.isArray(message.data) ? (message.data as Record<string, unknown>) : {};
}

export const MessageRef = builder.prismaNode('Message', {
  id: { field: 'id' },
  nullable: true,
  description: 'One message of a transcript, from any vendor.',
  fields: (t) => ({
    sequence: t.field({
      type: 'SafeInt',
      description: "Order within the session: the vendor's own sequence where it has one (Einstein sequenceId, Genesys turn time).",
      resolve: (m) => Number(m.sequence),
    }),
    sender: t.field({ type: MessageSenderEnum, resolve: (m) => m.sender }),
    type: t.field({ type: MessageTypeEnum, resolve: (m) => (knownTypes.has(m.type) ? (m.type as MessageType) : 'UNKNOWN') }),
    text: t.exposeString('text', { nullable: true }),
    choices: t.field({
      type: [MessageChoiceRef],
      nullable: true,
      resolve: (m) => (Array.isArray(m.choices) ? (m.choices as { label: string; value: string | null; index: number | null }[]) : null),
    }),
    timestamp: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.timestamp }),
    intent: t.exposeString('intent', { nullable: true, description: 'The intent the vendor recognised for this message.' }),
    vendorData: t.field({
      type: 'JSONObject',
      description: "The vendor's own message document: NLP results, turn details, raw enum values.",
      resolve: (m) => dataOf(m),
    }),
  }),
});

const CURSOR_TAG = 'message';

function decodeMessageCursor(cursor: string): bigint {
  const [sequence] = decodeCursor(cursor, CURSOR_TAG);
  if (typeof sequence !== 'string' || !/^-?\d+$/.test(sequence)) {
    throw userError(ErrorCode.BAD_CURSOR, `"${cursor.slice(0, 100)}" is not a cursor of this connection.`);
  }
  return BigInt(sequence);
}

export async function resolveMessagePage(sessionId: string, args: PagingArgs, ctx: Context) {
  const request = pageRequest(args, decodeMessageCursor);
  const rows = await ctx.loaders.messages.page(sessionId, request);
  const page = toPage(rows, request, (m) => encodeCursor(CURSOR_TAG, [m.sequence.toString()]));
  return { ...page, totalCount: () => ctx.loaders.messages.count(sessionId) };
}
