// Chatlayer (Sinch) sessions (seeds 002/003): the read-only internal session data and the bot's own
// variables. Chatlayer's NLP result for the user's last message is also the `nlp` of that Message.
import type { Session } from '../../generated/prisma/client.js';
import type {
  ChatlayerDialogState,
  ChatlayerFlatSession,
  ChatlayerInternal,
  ChatlayerMessageType,
  ChatlayerNlp,
  ChatlayerScore,
  ChatlayerVersion,
  ChatlayerWebhookMessage,
} from '../../vendors/chatlayer/native.js';
import { builder } from '../builder.js';
import { personal, personalText } from '../pii.js';
import { vendorEnum } from '../enums.js';
import { MessageRef, messageDataOf, registerMessageReader, type MessageAttachment, type VendorDocument } from '../message.js';
import { ChatlayerSessionRef } from '../session.js';
import { dateOrNull, enumWithRaw, knownValues, rawString, sessionData } from './shared.js';

/**
 * The stored session data. Ingest stores the read-only fields flat with `variables` beside them; the
 * `internal` form is read too, so a document stored either way answers the same.
 */
function chatlayer(session: Session): { internal: Partial<ChatlayerInternal>; variables: ChatlayerFlatSession['variables'] } {
  const doc = sessionData(session) as Partial<ChatlayerFlatSession> & { internal?: Partial<ChatlayerInternal> };
  return { internal: doc.internal ?? doc, variables: doc.variables };
}

/** The user's last message as the session snapshot describes it, with its NLP result. */
interface ChatlayerSnapshotMessage {
  messageContent?: string;
  messageType?: ChatlayerMessageType | null;
  nlp?: ChatlayerNlp | null;
}

/**
 * A message row's document: a webhook transcript item (`actor`, `message`, `timestamp`) carrying the
 * snapshot under `snapshot` when it is the message the snapshot describes, or the snapshot alone when
 * no transcript item matched it.
 */
type ChatlayerMessageDocument = Partial<ChatlayerWebhookMessage> & ChatlayerSnapshotMessage & { snapshot?: ChatlayerSnapshotMessage };

function chatlayerMessage(data: VendorDocument): ChatlayerMessageDocument {
  return data as ChatlayerMessageDocument;
}

const ChatlayerVersionEnum = vendorEnum(
  'ChatlayerVersion',
  knownValues<ChatlayerVersion>({ DRAFT: true, LIVE: true }),
  'The version of the Chatlayer bot that ran the session: DRAFT (the emulator) or LIVE.',
);

const ChatlayerMessageTypeEnum = vendorEnum(
  'ChatlayerMessageType',
  knownValues<ChatlayerMessageType>({ intro: true, text: true, postback: true, location: true, upload: true, fileUploadInputResult: true }),
  'The type of a message the user sent a Chatlayer bot.',
);

// ---- NLP ----

const NlpIntentType = builder.objectRef<ChatlayerScore>('NlpIntent').implement({
  description: 'An intent Chatlayer NLP detected, with its confidence.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'The name of the intent.' }),
    score: t.exposeFloat('score', { nullable: true, description: 'The confidence, 0 to 1.' }),
  }),
});

const NlpSentimentType = builder.objectRef<ChatlayerScore>('NlpSentiment').implement({
  description: 'The sentiment analysis of an expression.',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true, description: 'The sentiment: positive, neutral or negative.' }),
    score: t.exposeFloat('score', { nullable: true, description: 'The sentiment score.' }),
  }),
});

/** Chatlayer's NLP result: on the session (the latest expression) and on the user message it belongs to. */
export const ChatlayerNlpType = builder.objectRef<ChatlayerNlp>('ChatlayerNlp').implement({
  description: 'What Chatlayer NLP made of an expression: which intents and entities it detected, with which confidence, and its sentiment.',
  fields: (t) => ({
    expression: t.exposeString('expression', { nullable: true, description: 'The expression, as the NLP saw it.' }),
    intent: t.field({ type: NlpIntentType, nullable: true, description: 'The intent detected.', resolve: (nlp) => nlp.intent ?? null }),
    intents: t.field({
      type: [NlpIntentType],
      nullable: true,
      description: 'Every intent considered, with its confidence.',
      resolve: (nlp) => nlp.intents ?? null,
    }),
    entities: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The entities detected; their shape depends on the entity type, so they are passed on as sent.',
      resolve: (nlp) => nlp.entities ?? null,
    }),
    sentiment: t.field({ type: NlpSentimentType, nullable: true, description: 'The sentiment analysis of the expression.', resolve: (nlp) => nlp.sentiment ?? null }),
  }),
});

const DialogStateType = builder.objectRef<ChatlayerDialogState>('DialogState').implement({
  description: 'A Chatlayer bot dialog (block).',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'The id of the dialog.' }),
    name: t.exposeString('name', { nullable: true, description: 'The name of the dialog.' }),
    type: t.exposeString('type', { nullable: true, description: 'The block type, such as MESSAGE, INPUT or ACTION.' }),
  }),
});

// ---- the session ----

interface ChatlayerOffload {
  timestamp?: string;
  payload?: Record<string, unknown>;
}

const ChatlayerOffloadType = builder.objectRef<ChatlayerOffload>('ChatlayerOffload').implement({
  description: 'A Chatlayer session handed over to an agent through the offloading webhook.',
  fields: (t) => ({
    offloadedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the bot handed the session over.', resolve: (o) => dateOrNull(o.timestamp) }),
    payload: t.field({
      type: 'JSONObject',
      nullable: true,
      description: "The payload configured in the bot's offload action. Personal data (needs the `pii` scope): it often carries the user's details.",
      resolve: personal('ChatlayerOffload.payload', (o: ChatlayerOffload) => o.payload ?? null),
    }),
  }),
});

builder.objectFields(ChatlayerSessionRef, (t) => ({
  sessionId: t.string({ description: "ID of the session (the seed's name for `externalId`, same value).", resolve: (s) => s.externalId }),
  ...enumWithRaw(t, 'version', ChatlayerVersionEnum, (s) => chatlayer(s).internal.version, 'The version of the bot, DRAFT or LIVE.'),
  user: t.field({
    type: 'JSONObject',
    nullable: true,
    description: 'What Chatlayer knows about the user (firstName, lastName, and whatever the channel adds).',
    resolve: personal('ChatlayerSession.user', (s) => chatlayer(s).internal.user ?? null),
  }),
  preferredLanguage: t.string({
    nullable: true,
    description: "The preferred language of the user, as Chatlayer sent it (the interface's `language` is its lower-case form).",
    resolve: (s) => chatlayer(s).internal.preferredLanguage ?? null,
  }),
  locale: t.string({
    nullable: true,
    description: 'The preferred locale of the user (for example for date formatting).',
    resolve: (s) => chatlayer(s).internal.locale ?? null,
  }),
  nlp: t.field({
    type: ChatlayerNlpType,
    nullable: true,
    description: 'The latest expression and which intent and entities were detected in it, with which confidence.',
    resolve: personalText('ChatlayerSession.nlp', (s) => chatlayer(s).internal.nlp ?? null),
  }),
  currentDialogState: t.field({
    type: DialogStateType,
    nullable: true,
    description: 'The bot dialog (block) the user is in (Chatlayer `currentDialogstate`).',
    // The seed spells it `currentDialogstate`, other Chatlayer pages `currentDialogState`: both are accepted.
    resolve: (s) => {
      const { internal } = chatlayer(s);
      return internal.currentDialogstate ?? internal.currentDialogState ?? null;
    },
  }),
  previousDialogState: t.field({
    type: DialogStateType,
    nullable: true,
    description: 'The bot dialog (block) the user was in before (Chatlayer `previousDialogstate`).',
    resolve: (s) => {
      const { internal } = chatlayer(s);
      return internal.previousDialogstate ?? internal.previousDialogState ?? null;
    },
  }),
  messageContent: t.string({
    nullable: true,
    description: 'The content of the last message sent by the user.',
    resolve: personalText('ChatlayerSession.messageContent', (s) => chatlayer(s).internal.messageContent ?? null),
  }),
  ...enumWithRaw(t, 'messageType', ChatlayerMessageTypeEnum, (s) => chatlayer(s).internal.messageType, 'The type of the last message sent by the user.'),
  variables: t.field({
    type: 'JSONObject',
    nullable: true,
    description: 'The user-changeable session data: whatever the bot saved to the session (objects, strings and other values).',
    resolve: personal('ChatlayerSession.variables', (s) => chatlayer(s).variables ?? null),
  }),
  offload: t.field({
    type: ChatlayerOffloadType,
    nullable: true,
    description: 'The hand-over to an agent (the first offloading-webhook `offload` event); null while the bot has the session.',
    resolve: (s) => {
      const offload = (sessionData(s) as { offload?: unknown }).offload;
      return isObject(offload) ? (offload as ChatlayerOffload) : null;
    },
  }),
}));

// ---- messages ----

type Body = Record<string, unknown>;

function bodyOf(doc: ChatlayerMessageDocument): Body | null {
  const body = doc.message;
  return body !== undefined && body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : null;
}

const isObject = (value: unknown): value is Body => value !== null && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function bodyType(body: Body | null): string | null {
  return body === null ? null : (str(body.messageType) ?? str(body.type));
}

const FILE_TYPES = new Set(['image', 'video', 'audio', 'file']);

/** A bot's attachment (a file, or a template's cards) or a user's uploaded files, as attachments. */
function attachmentsOf(body: Body | null): MessageAttachment[] | null {
  if (body === null) return null;
  const found: MessageAttachment[] = [];
  const attachment = body.attachment;
  if (isObject(attachment)) {
    const type = str(attachment.type);
    const payload = isObject(attachment.payload) ? attachment.payload : {};
    if (type !== null && FILE_TYPES.has(type)) found.push({ type, url: str(payload.url), title: null });
    if (type === 'template' && Array.isArray(payload.elements)) {
      for (const element of payload.elements) {
        if (isObject(element)) found.push({ type: 'card', url: str(element.image_url) ?? str(element.item_url), title: str(element.title) });
      }
    }
  }
  if (Array.isArray(body.urls)) for (const url of body.urls) if (typeof url === 'string') found.push({ type: 'upload', url, title: null });
  return found.length > 0 ? found : null;
}

registerMessageReader('CHATLAYER', {
  // The snapshot's messageType is Chatlayer's type of the user's message; a webhook body has its own.
  rawType: (data) => {
    const doc = chatlayerMessage(data);
    return rawString(doc.snapshot?.messageType ?? doc.messageType) ?? bodyType(bodyOf(doc));
  },
  rawSender: (data) => rawString(chatlayerMessage(data).actor),
  vendorMessageId: (data) => str(bodyOf(chatlayerMessage(data))?.id),
  location: (data) => {
    const body = bodyOf(chatlayerMessage(data));
    const place = body === null ? null : isObject(body.coordinates) ? body.coordinates : isObject(body.location) ? body.location : null;
    if (place === null) return null;
    const latitude = place.lat ?? place.latitude;
    const longitude = place.long ?? place.lng ?? place.longitude;
    return typeof latitude === 'number' && typeof longitude === 'number' ? { latitude, longitude } : null;
  },
  attachments: (data) => attachmentsOf(bodyOf(chatlayerMessage(data))),
});

builder.objectFields(MessageRef, (t) => ({
  nlp: t.field({
    type: ChatlayerNlpType,
    nullable: true,
    description: "Chatlayer user messages: the NLP result Chatlayer recorded for the message (only the session's last user message has one).",
    resolve: personalText('Message.nlp', async (m, _args, ctx) => {
      const data = await messageDataOf(m, 'CHATLAYER', ctx);
      if (data === null) return null;
      const doc = chatlayerMessage(data);
      return doc.snapshot?.nlp ?? doc.nlp ?? null;
    }),
  }),
}));
