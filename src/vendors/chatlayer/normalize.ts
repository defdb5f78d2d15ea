import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { JsonObject, JsonValue, MessageChoice, MessageType, NormalizedMessage, NormalizedSession } from '../normalized.js';
import { activityAfter, assertSafeSequence, contentDigest, earliest, latest, lowerOrNull, parseDate, toJsonObject, toJsonValue } from '../shared.js';
import { ItemRejection } from '../../ingest/types.js';
import type {
  ChatlayerDialogState,
  ChatlayerInternal,
  ChatlayerMessageBody,
  ChatlayerSessionData,
  ChatlayerVariables,
  ChatlayerWebhookEvent,
  ChatlayerWebhookMessage,
  ChatlayerWrappedSession,
} from './model.js';

const USER_MESSAGE_TYPES: Readonly<Record<string, MessageType>> = {
  intro: 'INTRO',
  text: 'TEXT',
  postback: 'POSTBACK',
  location: 'LOCATION',
  upload: 'UPLOAD',
  fileUploadInputResult: 'UPLOAD',
};

export function chatlayerMessageType(raw: string | undefined): MessageType {
  if (raw === undefined) return 'UNKNOWN';
  return Object.hasOwn(USER_MESSAGE_TYPES, raw) ? (USER_MESSAGE_TYPES[raw] ?? 'UNKNOWN') : 'UNKNOWN';
}

/** Splits either accepted form into the read-only fields and the variables. */
export function splitSessionData(session: ChatlayerSessionData): { internal: ChatlayerInternal; variables: ChatlayerVariables | undefined } {
  if ('internal' in session) {
    // In the wrapped form the bot's own variables sit beside `internal` (bots read them as top-level
    // keys): they are variables too, and are kept with any explicit `variables` object.
    const { internal, variables, ...beside } = session as ChatlayerWrappedSession & Record<string, ChatlayerVariables[string]>;
    const merged = Object.keys(beside).length > 0 ? { ...beside, ...variables } : variables;
    return { internal, variables: merged };
  }
  const { variables, ...internal } = session;
  return { internal, variables };
}

/** Current and previous dialog state under whichever spelling the document used. */
export function chatlayerDialogStates(internal: ChatlayerInternal): { current: ChatlayerDialogState | null; previous: ChatlayerDialogState | null } {
  return {
    current: internal.currentDialogstate ?? internal.currentDialogState ?? null,
    previous: internal.previousDialogstate ?? internal.previousDialogState ?? null,
  };
}

// ---- webhook messages ----
//
// Shapes from Chatlayer's "Offloading webhook" and "Message types" pages (examples in
// test/fixtures/vendor-examples/chatlayer/): each item is `{ actor, message, timestamp }`. A user's
// message carries `messageType` (`intro`, `text`, `postback` with `title`, `location` with
// `coordinates`, `fileUploadInputResult`/`upload` with `urls`), its `id`, `sender` and `channelType`; a
// bot's message is in the Webhook channel format: `text`, `quick_replies` (`title`, `payload`), or an
// `attachment` (`template` with `template_type` `button` | `generic` | `list`, or a file: `image`,
// `video`, `audio`, `file`).

type Body = { [field: string]: JsonValue };

function bodyObject(body: ChatlayerMessageBody): Body | null {
  return typeof body === 'string' ? null : body;
}

function isObject(value: JsonValue | undefined): value is Body {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

const str = (value: JsonValue | undefined): string | null => (typeof value === 'string' ? value : null);

/** The attachment's payload, when the message has an attachment. */
function attachmentOf(body: Body): { type: string | null; payload: Body | null } | null {
  const attachment = body.attachment;
  if (!isObject(attachment)) return null;
  return { type: str(attachment.type), payload: isObject(attachment.payload) ? attachment.payload : null };
}

function bodyText(body: ChatlayerMessageBody): string | null {
  if (typeof body === 'string') return body;
  // A user's postback is its button's title (the offload transcript repeats it as `text`).
  return str(body.text) ?? str(body.title) ?? str(attachmentOf(body)?.payload?.text);
}

function buttonList(body: Body): JsonValue[] | null {
  for (const list of [body.quick_replies, body.quickReplies, body.buttons, attachmentOf(body)?.payload?.buttons]) {
    if (Array.isArray(list)) return list;
  }
  return null;
}

function bodyChoices(body: ChatlayerMessageBody): MessageChoice[] | null {
  const obj = bodyObject(body);
  if (obj === null) return null;
  const list = buttonList(obj);
  if (list === null) return null;
  return list.flatMap((item, index): MessageChoice[] => {
    if (!isObject(item)) return [];
    const label = str(item.title) ?? str(item.label) ?? str(item.text);
    if (label === null) return [];
    return [{ label, value: str(item.payload) ?? str(item.value) ?? str(item.url), index }];
  });
}

const FILE_ATTACHMENTS = new Set(['image', 'video', 'audio', 'file']);

function bodyType(item: TimedItem['item']): MessageType {
  const obj = bodyObject(item.message);
  if (obj === null) return 'TEXT';
  if (item.actor === 'user') {
    const declared = str(obj.messageType) ?? str(obj.type);
    if (declared !== null) return chatlayerMessageType(declared);
    if ('postback' in obj || 'title' in obj) return 'POSTBACK';
    if ('location' in obj || 'coordinates' in obj) return 'LOCATION';
    if ('urls' in obj) return 'UPLOAD';
  }
  const attachment = attachmentOf(obj);
  if (attachment !== null) {
    if (attachment.type === 'template') return attachment.payload?.template_type === 'button' ? 'CHOICES' : 'CARDS';
    if (attachment.type !== null && FILE_ATTACHMENTS.has(attachment.type)) return 'ATTACHMENT';
    return 'UNKNOWN';
  }
  if (bodyChoices(item.message) !== null) return 'CHOICES';
  return typeof obj.text === 'string' ? 'TEXT' : 'UNKNOWN';
}

function actorSender(actor: string | undefined): MessageSender {
  if (actor === 'user') return MessageSender.USER;
  if (actor === 'bot') return MessageSender.BOT;
  return MessageSender.SYSTEM;
}

interface TimedItem {
  item: ChatlayerWebhookMessage & { message: ChatlayerMessageBody };
  at: Date;
  key: string;
}

/*
 * A message's identity. Chatlayer gives a user's message an `id`, but its own offload transcript repeats
 * the conversation without those ids (and adds `text` to a postback, drops the inner timestamp), so
 * keying by `id` would store every message of an offloaded conversation twice. A message is therefore
 * identified by who sent it, when (the item's timestamp, to the millisecond) and what it says: for a
 * user, its type and its words, place or files; for the bot, the whole message. Twins in one event are
 * numbered (collectItems). The same message from a retried webhook or a transcript is the same message.
 * The `id` is kept in `data` and readable as `vendorMessageId`.
 */
function itemKey(item: TimedItem['item'], at: Date): string {
  const body = bodyObject(item.message);
  const what =
    body === null
      ? { text: item.message }
      : item.actor === 'user'
        ? {
            type: str(body.messageType) ?? str(body.type),
            words: str(body.title) ?? str(body.text),
            coordinates: body.coordinates ?? body.location ?? null,
            urls: body.urls ?? null,
            postback: body.postback ?? null,
          }
        : body;
  return `c:${contentDigest({ actor: item.actor, at: at.getTime(), what })}`;
}

/**
 * The messages of `events`, each once. Within one event every item is a message of its own: identical
 * items (a bot that sends the same bubble twice in one millisecond) are told apart by their place among
 * their twins (`#2`, `#3`...), which a transcript listing the same conversation repeats. Across events,
 * the same key is the same message (a retried webhook, a transcript repeating what was delivered).
 */
function collectItems(events: readonly ChatlayerWebhookEvent[]): TimedItem[] {
  const byKey = new Map<string, TimedItem>();
  for (const event of events) {
    const items = (event.event === 'messages' ? event.messages : event.transcript) ?? [];
    const twins = new Map<string, number>();
    for (const item of items) {
      const at = parseDate(item.timestamp ?? event.timestamp);
      if (at === null) {
        throw new ItemRejection(
          '$.timestamp',
          `Chatlayer ${event.event} event for session ${event.sessionId}: a message has no timestamp, so it cannot be ordered`,
        );
      }
      const complete: TimedItem['item'] = { ...item, message: item.message ?? {} };
      const base = itemKey(complete, at);
      const occurrence = (twins.get(base) ?? 0) + 1;
      twins.set(base, occurrence);
      const key = occurrence === 1 ? base : `${base}#${String(occurrence)}`;
      if (!byKey.has(key)) byKey.set(key, { item: complete, at, key });
    }
  }
  return [...byKey.values()];
}

/*
 * Message sequence = timestampMs * 1000 + k, k counting the messages stamped in the same millisecond in
 * the order the event lists them (a bot's replies often share a millisecond). A timestamp-derived number
 * gives a message the same place whichever events Parley had seen before it (a running counter would
 * renumber the transcript whenever an earlier event arrives late). 2026 timestamps times 1000 stay below
 * 2^53. Sequences may repeat across events; keys do not, so nothing is overwritten.
 * The snapshot's last user message, when no webhook message matches it, has no time of its own: it goes
 * after everything else (sequence 1 when there is no transcript at all).
 */
const SLOTS_PER_MS = 1000;

function webhookMessages(items: readonly TimedItem[]): NormalizedMessage[] {
  // Stable sort by time: same-millisecond messages keep the event's order.
  const sorted = items.map((item, index) => ({ ...item, index })).sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
  let previousMs = Number.NaN;
  let k = 0;
  return sorted.map(({ item, at, key }) => {
    const ms = at.getTime();
    k = ms === previousMs ? k + 1 : 0;
    previousMs = ms;
    return {
      key,
      sequence: assertSafeSequence(ms * SLOTS_PER_MS + Math.min(k, SLOTS_PER_MS - 1), 'Chatlayer message'),
      ordinal: 0,
      sender: actorSender(item.actor),
      type: bodyType(item),
      text: bodyText(item.message),
      choices: bodyChoices(item.message),
      timestamp: at,
      intent: null,
      data: toJsonObject(item),
    };
  });
}

/**
 * The snapshot's last user message carries the NLP result. If the transcript already has it (same text,
 * the latest such user message), the NLP result is attached there; otherwise it becomes its own message.
 */
function withSnapshotMessage(messages: NormalizedMessage[], internal: ChatlayerInternal): NormalizedMessage[] {
  if (internal.messageContent === undefined) return messages;
  const intent = internal.nlp?.intent?.name ?? null;
  const snapshotData: JsonObject = {
    messageContent: internal.messageContent,
    messageType: toJsonValue(internal.messageType),
    nlp: toJsonValue(internal.nlp),
  };
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m !== undefined && m.sender === MessageSender.USER && m.text === internal.messageContent) {
      const enriched: NormalizedMessage = {
        ...m,
        type: internal.messageType !== undefined ? chatlayerMessageType(internal.messageType) : m.type,
        intent,
        data: { ...m.data, snapshot: snapshotData },
      };
      return messages.map((x, j) => (j === i ? enriched : x));
    }
  }
  const last = messages[messages.length - 1];
  const sequence = last === undefined ? 1 : last.sequence + 1;
  return [
    ...messages,
    {
      key: `snapshot:${String(sequence)}`,
      sequence,
      ordinal: 0,
      sender: MessageSender.USER,
      type: chatlayerMessageType(internal.messageType),
      text: internal.messageContent,
      choices: null,
      timestamp: null,
      intent,
      data: snapshotData,
    },
  ];
}

/**
 * One Chatlayer session from its session data snapshot plus the offloading-webhook events Parley has
 * received for it (any order, duplicates allowed). Without events the session is ACTIVE and timed by
 * `receivedAt`, since the session data carries no timestamps.
 */
export function normalizeChatlayerSession(session: ChatlayerSessionData, events: readonly ChatlayerWebhookEvent[], receivedAt: Date): NormalizedSession {
  const { internal, variables } = splitSessionData(session);
  for (const event of events) {
    if (event.sessionId !== internal.sessionId) {
      throw new ItemRejection('$.sessionId', `Chatlayer ${event.event} event belongs to session ${event.sessionId}, not ${internal.sessionId}`);
    }
  }

  const items = collectItems(events);
  const itemTimes = items.map((i) => i.at);

  const offloadTimes = events
    .filter((e) => e.event === 'offload')
    .map((e) => parseDate(e.timestamp) ?? latest((e.transcript ?? []).map((t) => parseDate(t.timestamp))));
  const offloaded = offloadTimes.length > 0;
  // The first hand-over ends the bot's part of the session; a repeated offload event does not move it.
  const endedAt = offloaded ? earliest(offloadTimes) : null;

  const createdAt = earliest(itemTimes) ?? receivedAt;
  const lastSeen = latest([...itemTimes, ...offloadTimes]);

  const data: JsonObject = toJsonObject(variables === undefined ? { ...internal } : { ...internal, variables });
  const conversationId = variables?.conversationId;

  return {
    kind: SessionKind.CHATLAYER,
    vendor: Vendor.CHATLAYER,
    externalId: internal.sessionId,
    botId: internal.botId ?? null,
    channel: lowerOrNull(internal.channel),
    language: lowerOrNull(internal.preferredLanguage),
    status: offloaded ? SessionStatus.TRANSFERRED : SessionStatus.ACTIVE,
    outcome: offloaded ? SessionOutcome.ESCALATED : null,
    createdAt,
    lastActiveAt: activityAfter(createdAt, lastSeen),
    endedAt,
    conversationExternalId: typeof conversationId === 'string' ? conversationId : null,
    data,
    sourceUpdatedAt: lastSeen,
    messages: withSnapshotMessage(webhookMessages(items), internal),
  };
}

/** The session data alone (what `POST /ingest/chatlayer/sessions` receives). */
export function normalizeChatlayerSnapshot(session: ChatlayerSessionData, receivedAt: Date): NormalizedSession {
  return normalizeChatlayerSession(session, [], receivedAt);
}

/** One webhook event on its own (what `POST /ingest/chatlayer/webhook` receives, one event at a time). */
export function normalizeWebhookEvent(event: ChatlayerWebhookEvent): { messages: NormalizedMessage[]; offloadedAt: Date | null } {
  const messages = webhookMessages(collectItems([event]));
  if (event.event !== 'offload') return { messages, offloadedAt: null };
  const offloadedAt = parseDate(event.timestamp) ?? latest(messages.map((m) => m.timestamp)) ?? null;
  return { messages, offloadedAt };
}
