import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { JsonObject, JsonValue, MessageChoice, MessageType, NormalizedMessage, NormalizedSession } from '../normalized.js';
import { activityAfter, assertSafeSequence, earliest, latest, lowerOrNull, parseDate, toJsonObject, toJsonValue } from '../shared.js';
import type {
  ChatlayerDialogState,
  ChatlayerInternal,
  ChatlayerMessageBody,
  ChatlayerSessionData,
  ChatlayerVariables,
  ChatlayerWebhookEvent,
  ChatlayerWebhookMessage,
  ChatlayerWrappedSession,
} from './native.js';

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

function bodyObject(body: ChatlayerMessageBody): { [field: string]: JsonValue } | null {
  return typeof body === 'string' ? null : body;
}

function bodyText(body: ChatlayerMessageBody): string | null {
  if (typeof body === 'string') return body;
  return typeof body.text === 'string' ? body.text : null;
}

function bodyChoices(body: ChatlayerMessageBody): MessageChoice[] | null {
  const obj = bodyObject(body);
  if (obj === null) return null;
  const list = Array.isArray(obj.quickReplies) ? obj.quickReplies : Array.isArray(obj.buttons) ? obj.buttons : null;
  if (list === null) return null;
  return list.flatMap((item, index): MessageChoice[] => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
    const label = typeof item.title === 'string' ? item.title : typeof item.label === 'string' ? item.label : typeof item.text === 'string' ? item.text : null;
    if (label === null) return [];
    const value = typeof item.payload === 'string' ? item.payload : typeof item.value === 'string' ? item.value : null;
    return [{ label, value, index }];
  });
}

function bodyType(item: ChatlayerWebhookMessage): MessageType {
  const obj = bodyObject(item.message);
  if (obj === null) return 'TEXT';
  if (item.actor === 'user') {
    if (typeof obj.type === 'string') return chatlayerMessageType(obj.type);
    if ('postback' in obj) return 'POSTBACK';
    if ('location' in obj) return 'LOCATION';
  }
  if (bodyChoices(item.message) !== null) return 'CHOICES';
  return typeof obj.text === 'string' ? 'TEXT' : 'UNKNOWN';
}

function actorSender(actor: string): MessageSender {
  if (actor === 'user') return MessageSender.USER;
  if (actor === 'bot') return MessageSender.BOT;
  return MessageSender.SYSTEM;
}

interface TimedItem {
  item: ChatlayerWebhookMessage;
  at: Date;
  key: string;
}

function collectItems(events: readonly ChatlayerWebhookEvent[]): TimedItem[] {
  const byKey = new Map<string, TimedItem>();
  for (const event of events) {
    const items = event.event === 'messages' ? event.messages : (event.transcript ?? []);
    for (const item of items) {
      const at = parseDate(item.timestamp ?? event.timestamp);
      if (at === null) {
        throw new Error(`Chatlayer ${event.event} event for session ${event.sessionId}: a message has no timestamp, so it cannot be ordered`);
      }
      // The offload transcript repeats messages already posted as `messages` events, and webhooks are
      // retried: one message is one (actor, time, content).
      const key = `${item.actor}\u0000${String(at.getTime())}\u0000${JSON.stringify(item.message)}`;
      if (!byKey.has(key)) byKey.set(key, { item, at, key });
    }
  }
  return [...byKey.values()];
}

/*
 * Message sequence = timestampMs * 1000 + k, k counting messages stamped in the same millisecond.
 * Webhook events arrive one by one and may be retried or reordered; a timestamp-derived number gives a
 * message the same sequence whichever events Parley had seen before it (a running counter would renumber
 * the transcript whenever an earlier event arrives late). 2026 timestamps times 1000 stay below 2^53.
 * Same-millisecond messages are ordered by content so the result is a function of the set of messages.
 * The snapshot's last user message, when no webhook message matches it, has no time of its own: it goes
 * after everything else (sequence 1 when there is no transcript at all).
 */
const SLOTS_PER_MS = 1000;

function webhookMessages(items: readonly TimedItem[]): NormalizedMessage[] {
  const sorted = [...items].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let previousMs = Number.NaN;
  let k = 0;
  return sorted.map(({ item, at }) => {
    const ms = at.getTime();
    k = ms === previousMs ? k + 1 : 0;
    previousMs = ms;
    return {
      sequence: assertSafeSequence(ms * SLOTS_PER_MS + k, 'Chatlayer message'),
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
  return [
    ...messages,
    {
      sequence: last === undefined ? 1 : last.sequence + 1,
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
export function normalizeChatlayerSession(
  session: ChatlayerSessionData,
  events: readonly ChatlayerWebhookEvent[],
  receivedAt: Date,
): NormalizedSession {
  const { internal, variables } = splitSessionData(session);
  for (const event of events) {
    if (event.sessionId !== internal.sessionId) {
      throw new Error(`Chatlayer ${event.event} event belongs to session ${event.sessionId}, not ${internal.sessionId}`);
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
    botId: internal.botId,
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
