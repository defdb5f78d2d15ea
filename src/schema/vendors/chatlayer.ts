// Chatlayer (Sinch) sessions (seeds 002/003): the read-only internal session data and the bot's own
// variables, from the vendor model (src/vendors/chatlayer/model.ts); written here only what resolves
// differently (both spellings of the dialog states, the offload, the NLP entities as sent) and how
// webhook messages are read. Chatlayer's NLP result for the user's last message is also the `nlp` of
// that Message.
import type { SessionRow } from '../../queries/sessions.js';
import type { Context } from '../context.js';
import {
  ChatlayerDialogState,
  ChatlayerFlatSession,
  ChatlayerMessageDocument,
  ChatlayerNlp,
  ChatlayerStoredOffload,
  type ChatlayerInternal,
  type ChatlayerMessageType,
  type ChatlayerWebhookMessage,
} from '../../vendors/chatlayer/model.js';
import { builder } from '../builder.js';
import { personalScopes, withheldFor, withPersonalNote } from '../personal-data.js';
import { MessageRef, messageDataOf, registerMessageReader, type MessageAttachment, type VendorDocument } from '../message.js';
import { ChatlayerSessionRef } from '../session.js';
import { vendorOutput, vendorOutputFields } from '../vendor-model.js';
import { dateOrNull, rawString, sessionData } from './shared.js';

type ChatlayerNlpDocument = Record<string, unknown>;

/**
 * The stored session data. Ingest stores the read-only fields flat with `variables` beside them; the
 * `internal` form is read too, so a document stored either way answers the same.
 */
async function chatlayer(session: SessionRow, ctx: Context): Promise<{ internal: Partial<ChatlayerInternal> & Record<string, unknown>; variables: unknown }> {
  const doc = (await sessionData(session, ctx)) as Record<string, unknown> & { internal?: Record<string, unknown> };
  return { internal: (doc.internal ?? doc) as Partial<ChatlayerInternal> & Record<string, unknown>, variables: doc.variables };
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
type ChatlayerStoredMessage = Partial<ChatlayerWebhookMessage> & ChatlayerSnapshotMessage & { snapshot?: ChatlayerSnapshotMessage };

function chatlayerMessage(data: VendorDocument): ChatlayerStoredMessage {
  return data as ChatlayerStoredMessage;
}

// ---- NLP and dialog states: from the model ----

/** Chatlayer's NLP result: on the session (the latest expression) and on the user message it belongs to. */
export const ChatlayerNlpType = vendorOutput(ChatlayerNlp);
const DialogStateType = vendorOutput(ChatlayerDialogState);

builder.objectFields(ChatlayerNlpType, (t) => ({
  entities: t.field({
    type: 'JSON',
    nullable: true,
    description: withPersonalNote(ChatlayerNlp.properties.entities.description!, ChatlayerNlp.properties.entities),
    ...personalScopes(ChatlayerNlp.properties.entities),
    resolve: (nlp, _args, ctx) => withheldFor(ctx, nlp.entities ?? null, ChatlayerNlp.properties.entities),
  }),
}));

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
      description: withPersonalNote("The payload configured in the bot's offload action.", ChatlayerStoredOffload.properties.payload),
      ...personalScopes(ChatlayerStoredOffload.properties.payload),
      resolve: (o: ChatlayerOffload, _args, ctx) =>
        withheldFor(ctx, o.payload ?? null, ChatlayerStoredOffload.properties.payload) as Record<string, unknown> | null,
    }),
  }),
});

builder.objectFields(ChatlayerSessionRef, (t) => ({
  sessionId: t.string({ description: "ID of the session (Chatlayer's name for `externalId`, same value).", resolve: (s) => s.externalId }),
  ...vendorOutputFields(t, ChatlayerFlatSession, async (s: SessionRow, ctx) => {
    const { internal, variables } = await chatlayer(s, ctx);
    return variables === undefined ? internal : { ...internal, variables };
  }),
  currentDialogState: t.field({
    type: DialogStateType,
    nullable: true,
    description: 'The bot dialog (block) the user is in (Chatlayer `currentDialogstate`).',
    // The seed spells it `currentDialogstate`, other Chatlayer pages `currentDialogState`: both are accepted.
    resolve: async (s, _args, ctx) => {
      const { internal } = await chatlayer(s, ctx);
      return (internal.currentDialogstate ?? internal.currentDialogState ?? null) as Record<string, unknown> | null;
    },
  }),
  previousDialogState: t.field({
    type: DialogStateType,
    nullable: true,
    description: 'The bot dialog (block) the user was in before (Chatlayer `previousDialogstate`).',
    resolve: async (s, _args, ctx) => {
      const { internal } = await chatlayer(s, ctx);
      return (internal.previousDialogstate ?? internal.previousDialogState ?? null) as Record<string, unknown> | null;
    },
  }),
  offload: t.field({
    type: ChatlayerOffloadType,
    nullable: true,
    description: 'The hand-over to an agent (the first offloading-webhook `offload` event); null while the bot has the session.',
    resolve: async (s, _args, ctx) => {
      const offload = ((await sessionData(s, ctx)) as { offload?: unknown }).offload;
      return isObject(offload) ? (offload as ChatlayerOffload) : null;
    },
  }),
}));

// ---- messages ----

type Body = Record<string, unknown>;

function bodyOf(doc: ChatlayerStoredMessage): Body | null {
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
  model: ChatlayerMessageDocument,
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
    resolve: async (m, _args, ctx) => {
      const data = await messageDataOf(m, 'CHATLAYER', ctx);
      if (data === null) return null;
      const doc = chatlayerMessage(data);
      return (doc.snapshot?.nlp ?? doc.nlp ?? null) as ChatlayerNlpDocument | null;
    },
  }),
}));
