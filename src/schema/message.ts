// Messages: a Relay node per message, and the paged transcript of a session.
import { createContextCache } from '@pothos/core';
import type { TObject } from '@sinclair/typebox';
import DataLoader from 'dataloader';
import type { Message } from '../generated/prisma/client.js';
import type { MessagePosition, TranscriptMessage } from '../loaders/messages.js';
import type { SessionKind } from '../generated/prisma/enums.js';
import { MESSAGE_TYPES, type MessageChoice, type MessageType } from '../vendors/normalized.js';
import { builder } from './builder.js';
import { MESSAGE_TEXT, PERSONAL, scopesOf } from './auth-scopes.js';
import type { Context } from './context.js';
import { MessageSenderEnum, MessageTypeEnum } from './enums.js';
import { badCursor, decodeCursor, encodeCursor, pageRequest, toPage, type PagingArgs } from './paging.js';
import { withheldFor } from './personal-data.js';
import { isInt4, isInt8 } from '../db/storable.js';

const knownTypes = new Set<string>(MESSAGE_TYPES);

export const MessageChoiceRef = builder.objectRef<MessageChoice>('MessageChoice');
MessageChoiceRef.implement({
  fields: (t) => ({
    label: t.exposeString('label'),
    value: t.exposeString('value', { nullable: true, description: 'What choosing it sends back (Einstein `value`, a Chatlayer postback payload or link).' }),
    index: t.exposeInt('index', { nullable: true }),
    alias: t.string({ nullable: true, description: 'Einstein runtime: the short form a user may type instead ("1").', resolve: (c) => c.alias ?? null }),
    id: t.string({ nullable: true, description: "The vendor's own id of the choice (Einstein runtime `id`).", resolve: (c) => c.id ?? null }),
  }),
});

/** A JSON object as stored; values are `unknown` because the vendor sent them, not Parley. */
export type VendorDocument = Readonly<Record<string, unknown>>;

function asDocument(data: Message['data'] | null | undefined): VendorDocument {
  return data !== null && data !== undefined && typeof data === 'object' && !Array.isArray(data) ? data : {};
}

/**
 * The message's vendor document. Transcript pages are read without it (see TranscriptMessage): then it
 * is loaded here, for every message of the response that needs it, in one statement.
 */
async function dataOf(message: Message | TranscriptMessage, ctx: Context): Promise<VendorDocument> {
  return asDocument(message.data !== undefined ? message.data : await ctx.loaders.messageData.load(message.id));
}

/** The place a message shares (Chatlayer `location` messages); null for every other message. */
async function locationOf(message: Message, ctx: Context) {
  const reader = await readerOf(message, ctx);
  return reader?.location === undefined ? null : reader.location(await dataOf(message, ctx));
}

/*
 * What a message's `data` holds depends on the vendor of its session (an Einstein BotMessage, a Genesys
 * ReportingTurn, a Chatlayer webhook item...), and the row does not say which: its session's kind does.
 * Guessing from the document's keys would misread a document that carries an extra key, so the kind is
 * looked up, for every message of a response in one statement.
 */
const sessionKindLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, SessionKind | null>(async (ids) => {
      const rows = await ctx.prisma.session.findMany({ where: { id: { in: [...ids] } }, select: { id: true, kind: true } });
      const kinds = new Map(rows.map((row) => [row.id, row.kind]));
      return ids.map((id) => kinds.get(id) ?? null);
    }),
);

/** The message's vendor document when its session is of `kind`, else null. */
export async function messageDataOf(message: Message, kind: SessionKind, ctx: Context): Promise<VendorDocument | null> {
  const actual = await sessionKindLoader(ctx).load(message.sessionId);
  return actual === kind ? dataOf(message, ctx) : null;
}

/** How one vendor's message document answers the cross-vendor raw fields; each vendor file registers its own. */
export interface VendorMessageReader {
  /** The model of the stored document (src/vendors/<vendor>/model.ts): its personal members are withheld from `vendorData`. */
  model: TObject;
  /** The vendor's own message type value, where its document has one. */
  rawType(data: VendorDocument): string | null;
  /** The vendor's own sender value, where its document has one. */
  rawSender(data: VendorDocument): string | null;
  /** The vendor's own id of the message (Einstein runtime `id`, Chatlayer user message `id`). */
  vendorMessageId?(data: VendorDocument): string | null;
  /** A place the user shared (Chatlayer `location` messages). */
  location?(data: VendorDocument): MessageLocation | null;
  /** Files, images and cards the message carries. */
  attachments?(data: VendorDocument): MessageAttachment[] | null;
}

export interface MessageLocation {
  latitude: number;
  longitude: number;
}

export interface MessageAttachment {
  /** `image`, `video`, `audio`, `file`, `card` (a template element), `upload` (a user's file). */
  type: string;
  url: string | null;
  title: string | null;
}

const MessageLocationRef = builder.objectRef<MessageLocation>('MessageLocation').implement({
  description: 'A place a user shared.',
  fields: (t) => ({ latitude: t.exposeFloat('latitude'), longitude: t.exposeFloat('longitude') }),
});

const MessageAttachmentRef = builder.objectRef<MessageAttachment>('MessageAttachment').implement({
  description: 'A file, image or card a message carries.',
  fields: (t) => ({
    type: t.exposeString('type', {
      description: '`image`, `video`, `audio`, `file`, `card` (an element of a carousel or list), `upload` (a file the user sent).',
    }),
    url: t.exposeString('url', { nullable: true }),
    title: t.exposeString('title', { nullable: true }),
  }),
});

const messageReaders = new Map<SessionKind, VendorMessageReader>();

export function registerMessageReader(kind: SessionKind, reader: VendorMessageReader): void {
  messageReaders.set(kind, reader);
}

/** The reader of the message's vendor (by its session's kind). */
async function readerOf(message: Message, ctx: Context): Promise<VendorMessageReader | undefined> {
  const kind = await sessionKindLoader(ctx).load(message.sessionId);
  return kind === null ? undefined : messageReaders.get(kind);
}

async function readRaw(message: Message, ctx: Context, read: (reader: VendorMessageReader, data: VendorDocument) => string | null) {
  const reader = await readerOf(message, ctx);
  return reader === undefined ? null : read(reader, await dataOf(message, ctx));
}

export const MessageRef = builder.prismaNode('Message', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, session: { tenantId: ctx.auth.tenantId } }),
  description: 'One message of a transcript, from any vendor.',
  fields: (t) => ({
    sequence: t.field({
      type: 'SafeInt',
      description: "Order within the session: the vendor's own sequence where it has one (Einstein sequenceId, Genesys turn time).",
      resolve: (m) => Number(m.sequence),
    }),
    sender: t.field({ type: MessageSenderEnum, resolve: (m) => m.sender }),
    type: t.field({ type: MessageTypeEnum, resolve: (m) => (knownTypes.has(m.type) ? (m.type as MessageType) : 'UNKNOWN') }),
    text: t.string({
      nullable: true,
      description: 'What was said. Personal data (needs the `pii` scope) where the tenant marks message text so.',
      authScopes: MESSAGE_TEXT,
      resolve: (m: Message) => m.text,
    }),
    choices: t.field({
      type: [MessageChoiceRef],
      nullable: true,
      description:
        'The options the message offers (buttons, quick replies). Their labels are message text: personal data where the tenant marks message text so.',
      authScopes: MESSAGE_TEXT,
      resolve: (m) => (Array.isArray(m.choices) ? (m.choices as unknown as MessageChoice[]) : null),
    }),
    timestamp: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.timestamp }),
    intent: t.exposeString('intent', { nullable: true, description: 'The intent the vendor recognised for this message.' }),
    rawType: t.string({
      nullable: true,
      description: "The vendor's own type value (Einstein `Choices`/`choices`, Chatlayer `postback`...); null where the vendor has none.",
      resolve: (m, _args, ctx) => readRaw(m, ctx, (reader, data) => reader.rawType(data)),
    }),
    rawSender: t.string({
      nullable: true,
      description: "The vendor's own sender value (Einstein `User`/`Bot`, Chatlayer actor `user`/`bot`); null where the vendor has none.",
      resolve: (m, _args, ctx) => readRaw(m, ctx, (reader, data) => reader.rawSender(data)),
    }),
    vendorMessageId: t.string({
      nullable: true,
      description: "The vendor's own id of the message (Einstein runtime `id`, Chatlayer user message `id`); null where the vendor gives none.",
      resolve: (m, _args, ctx) => readRaw(m, ctx, (reader, data) => reader.vendorMessageId?.(data) ?? null),
    }),
    location: t.field({
      type: MessageLocationRef,
      nullable: true,
      description: 'A place the user shared (Chatlayer `location` messages). Personal data (needs the `pii` scope).',
      // Personal only where there is a place: other messages answer null without asking for `pii`.
      authScopes: async (m, _args, ctx) => ((await locationOf(m, ctx)) === null ? true : PERSONAL),
      resolve: (m, _args, ctx) => locationOf(m, ctx),
    }),
    attachments: t.field({
      type: [MessageAttachmentRef],
      nullable: true,
      description:
        'Files, images and cards the message carries (Chatlayer attachments, templates and uploads). Personal data where the tenant marks message text so.',
      authScopes: MESSAGE_TEXT,
      resolve: async (m: Message, _args, ctx) => {
        const reader = await readerOf(m, ctx);
        return reader?.attachments === undefined ? null : reader.attachments(await dataOf(m, ctx));
      },
    }),
    vendorData: t.field({
      type: 'JSONObject',
      description:
        'The vendor\'s own message document: NLP results, turn details, raw enum values. Its members that are personal data (README, "Personal data") are null without the scope they need: the text where the tenant marks message text so, a place or the user\'s identity always.',
      resolve: async (m: Message, _args, ctx) => {
        const [reader, data] = await Promise.all([readerOf(m, ctx), dataOf(m, ctx)]);
        // A document no model describes could hold anything: only a key with `pii` sees it.
        if (reader === undefined) return scopesOf(ctx.auth).pii ? data : {};
        return withheldFor(ctx, data, reader.model) as VendorDocument;
      },
    }),
  }),
});

const CURSOR_TAG = 'message';

/** A message cursor's parts: the row's (sequence, ordinal, key), each within its column (bigint, integer, text). */
function decodeMessageCursor(cursor: string): MessagePosition {
  const parts = decodeCursor(cursor, CURSOR_TAG);
  const [digits, ordinal, key] = parts;
  // 19 digits may still be past bigint (9,223,372,036,854,775,807).
  const sequence = typeof digits === 'string' && /^-?\d{1,19}$/.test(digits) ? BigInt(digits) : null;
  if (sequence === null || !isInt8(sequence)) throw badCursor(cursor, 'this connection');
  // A cursor issued before messages had keys: the sequence alone, which was unique then.
  if (parts.length === 1) return { sequence, ordinal: null, key: null };
  if (parts.length !== 3 || typeof ordinal !== 'number' || !isInt4(ordinal) || typeof key !== 'string') throw badCursor(cursor, 'this connection');
  return { sequence, ordinal, key };
}

export async function resolveMessagePage(sessionId: string, args: PagingArgs, ctx: Context) {
  const request = pageRequest(args, decodeMessageCursor);
  // Typed as full rows for MessageRef; `data` and `contentHash` are absent, and only dataOf reads `data`.
  const rows = (await ctx.loaders.messages.page(sessionId, request)) as Message[];
  const page = toPage(rows, request, (m) => encodeCursor(CURSOR_TAG, [m.sequence.toString(), m.ordinal, m.key]));
  return { ...page, totalCount: () => ctx.loaders.messages.count(sessionId) };
}
