// How Chatlayer documents are written: a session data snapshot updates its session (its new
// `messageContent` becomes a user message); an offloading-webhook event adds messages to its session,
// creating it from what the event says when needed, and an `offload` marks it transferred.
import { SessionKind, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { IngestHandler } from '../../ingest/ops.js';
import type { JsonObject, JsonValue, NormalizedSession } from '../normalized.js';
import { parseDate, toJsonObject } from '../shared.js';
import type { ChatlayerSessionData, ChatlayerWebhookEvent } from './model.js';
import { normalizeChatlayerSnapshot, normalizeWebhookEvent } from './normalize.js';
import { validateChatlayerSession, validateChatlayerWebhookEvent } from './validate.js';

/** A Chatlayer webhook can name a session Parley has not seen: it starts as what the event says. */
function chatlayerStub(event: ChatlayerWebhookEvent, receivedAt: Date): NormalizedSession {
  const when = parseDate(event.timestamp) ?? receivedAt;
  const items = (event.event === 'messages' ? event.messages : event.transcript) ?? [];
  // A user's message says which language they prefer (`sender.preferredLanguage`).
  let language: string | null = null;
  for (const item of items) {
    const body = item.message;
    const sender = body !== undefined && typeof body === 'object' ? body.sender : undefined;
    const preferred = sender !== null && typeof sender === 'object' && !Array.isArray(sender) ? sender.preferredLanguage : undefined;
    if (typeof preferred === 'string' && preferred !== '') language = preferred.toLowerCase();
  }
  return {
    kind: SessionKind.CHATLAYER,
    vendor: Vendor.CHATLAYER,
    externalId: event.sessionId,
    botId: event.botId ?? null,
    channel: event.channel?.toLowerCase() ?? null,
    language,
    status: SessionStatus.ACTIVE,
    outcome: null,
    createdAt: when,
    lastActiveAt: when,
    endedAt: null,
    conversationExternalId: null,
    data: toJsonObject({ botId: event.botId, sessionId: event.sessionId, version: event.version, ...(event.channel ? { channel: event.channel } : {}) }),
    sourceUpdatedAt: null,
    messages: [],
  };
}

/**
 * The offload event's own details (its time and the payload the bot's offload action configured) are
 * kept on the session; of several offloads, the first, since the first hand-over ended the bot's part.
 */
function mergeOffload(at: Date, payload: { [field: string]: JsonValue } | undefined) {
  return (stored: JsonObject): JsonObject => {
    const previous = stored.offload;
    const previousAt = previous !== null && typeof previous === 'object' && !Array.isArray(previous) ? parseDate(previous.timestamp as string) : null;
    if (previousAt !== null && previousAt.getTime() <= at.getTime()) return stored;
    return { ...stored, offload: { timestamp: at.toISOString(), ...(payload === undefined ? {} : { payload }) } };
  };
}

export const chatlayerSessionsHandler: IngestHandler<ChatlayerSessionData> = {
  validate: validateChatlayerSession,
  toOp: (snapshot, receivedAt) => {
    const session = normalizeChatlayerSnapshot(snapshot, receivedAt);
    // The snapshot's message has no time of its own: it is placed when Parley received it.
    const sequence = receivedAt.getTime() * 1000;
    const messages = session.messages.map((m) => ({ ...m, sequence, key: `snapshot:${String(sequence)}` }));
    return { type: 'snapshot', session: { ...session, messages }, messageMode: 'append-new-text' };
  },
};

export const chatlayerWebhookHandler: IngestHandler<ChatlayerWebhookEvent> = {
  validate: validateChatlayerWebhookEvent,
  toOp: (event, receivedAt) => {
    const { messages, offloadedAt } = normalizeWebhookEvent(event);
    const offload = event.event === 'offload';
    const at = offloadedAt ?? receivedAt;
    return {
      type: 'messages',
      kind: SessionKind.CHATLAYER,
      externalId: event.sessionId,
      messages,
      whenMissing: { stub: chatlayerStub(event, receivedAt) },
      at: parseDate(event.timestamp),
      // The transcript repeats the conversation; the `messages` events that first carried it say more.
      insertOnly: offload,
      ...(offload
        ? { patch: { status: SessionStatus.TRANSFERRED, outcome: 'ESCALATED' as const, endedAt: at, mergeData: mergeOffload(at, event.payload) } }
        : {}),
    };
  },
};
