// One handler per ingest route: which validator, and which write operation a valid document becomes.
import { SessionKind, SessionStatus, Vendor } from '../generated/prisma/enums.js';
import { validateChatlayerSession, validateChatlayerWebhookEvent } from '../vendors/chatlayer/validate.js';
import { normalizeChatlayerSnapshot, normalizeWebhookEvent } from '../vendors/chatlayer/normalize.js';
import type { ChatlayerWebhookEvent } from '../vendors/chatlayer/model.js';
import { validateEinsteinSession } from '../vendors/einstein/validate.js';
import {
  einsteinBotId,
  einsteinSessionId,
  isRuntimeResponse,
  mergeRuntimeEnvelope,
  normalizeEinsteinSession,
  normalizeRuntimeMessages,
  runtimeEnvelope,
  runtimeSessionChange,
} from '../vendors/einstein/normalize.js';
import type { EinsteinBotSession } from '../vendors/einstein/model.js';
import { type SessionReportingTurn, validateBotFlowSession, validateReportingTurn } from '../vendors/genesys-bot-flow/validate.js';
import { normalizeSessionWithTurns, normalizeTurns } from '../vendors/genesys-bot-flow/normalize.js';
import { validateJourneySession } from '../vendors/genesys-journey/validate.js';
import { normalizeJourneySession } from '../vendors/genesys-journey/normalize.js';
import { parseDate, toJsonObject } from '../vendors/shared.js';
import type { JsonObject, JsonValue, NormalizedSession } from '../vendors/normalized.js';
import type { SessionPatch, WriteOp } from './ops.js';
import type { IngestHandler } from './pipeline.js';
import { ItemRejection, type IngestContext, type IngestRoute } from './types.js';

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

/** A route whose documents are whole sessions with their own messages (keyed by the vendor's ids). */
function snapshotHandler<Native>(
  validate: IngestHandler<Native>['validate'],
  normalize: (document: Native, receivedAt: Date) => NormalizedSession,
): IngestHandler<never> {
  const handler: IngestHandler<Native> = {
    validate,
    toOp: (document, receivedAt) => ({ type: 'snapshot', session: normalize(document, receivedAt), messageMode: 'upsert' }),
  };
  return handler as IngestHandler<never>;
}

const MISSING_BOT_ID =
  'is required for a session Parley has not stored yet: send it in the document, in `_links.self.href` (a start-session response), or as the `botId` query parameter (the mutation\'s `botId` argument)';

/**
 * An Einstein document: a session record (seed 001) is a snapshot; a Bot Runtime API v5 response adds
 * the bot's messages to its session, creating it when needed, and may end or escalate it.
 */
function einsteinOp(document: EinsteinBotSession, receivedAt: Date, context: IngestContext): WriteOp {
  const sessionId = einsteinSessionId(document) ?? context.params.get('sessionId') ?? null;
  if (sessionId === null || sessionId === '') {
    throw new ItemRejection('$.sessionId', 'is required: send it in the document, in `_links` (a runtime API response), or as the `sessionId` query parameter');
  }
  const botId = einsteinBotId(document) ?? context.params.get('botId') ?? null;
  if (!isRuntimeResponse(document)) {
    const session = normalizeEinsteinSession(document, receivedAt, { sessionId, botId });
    return { type: 'snapshot', session, messageMode: 'upsert', ...(botId === null ? { botIdFromStored: { path: '$.botId', message: MISSING_BOT_ID } } : {}) };
  }
  const ids = { sessionId, botId };
  const envelope = runtimeEnvelope(document, ids);
  const change = runtimeSessionChange(document);
  const patch: SessionPatch = {
    mergeData: (stored) => mergeRuntimeEnvelope(stored, envelope),
    ...(change === null ? {} : { outcome: change.outcome }),
    // The runtime API's responses carry no time: an end is dated when Parley receives it.
    ...(change?.ended ? { status: SessionStatus.ENDED, endedAt: receivedAt } : {}),
  };
  const stub: NormalizedSession | null =
    botId === null
      ? null
      : {
          kind: SessionKind.EINSTEIN_BOT,
          vendor: Vendor.SALESFORCE_EINSTEIN,
          externalId: sessionId,
          botId,
          channel: null,
          language: null,
          status: SessionStatus.ACTIVE,
          outcome: null,
          createdAt: receivedAt,
          lastActiveAt: receivedAt,
          endedAt: null,
          conversationExternalId: null,
          data: envelope,
          sourceUpdatedAt: null,
          messages: [],
        };
  return {
    type: 'messages',
    kind: SessionKind.EINSTEIN_BOT,
    externalId: sessionId,
    messages: normalizeRuntimeMessages(document),
    // The bot id may also come from the stored session: only a session Parley has not seen needs one here.
    whenMissing: stub === null ? { reject: { path: '$.botId', message: MISSING_BOT_ID } } : { stub },
    patch,
  };
}

export const ingestHandlers: { [R in IngestRoute]: IngestHandler<never> } = {
  'genesys.botFlowSessions': snapshotHandler(validateBotFlowSession, normalizeSessionWithTurns),
  'genesys.reportingTurns': {
    validate: validateReportingTurn,
    toOp: (turn) => ({
      type: 'messages',
      kind: SessionKind.BOT_FLOW,
      externalId: turn.sessionId,
      messages: normalizeTurns([turn]),
      // A turn can arrive before its session; it waits and is attached when the session comes.
      whenMissing: { pend: true },
    }),
  } satisfies IngestHandler<SessionReportingTurn> as IngestHandler<never>,
  'genesys.journeySessions': snapshotHandler(validateJourneySession, normalizeJourneySession),
  'einstein.sessions': { validate: validateEinsteinSession, toOp: einsteinOp } satisfies IngestHandler<EinsteinBotSession> as IngestHandler<never>,
  'chatlayer.sessions': {
    validate: validateChatlayerSession,
    toOp: (snapshot, receivedAt) => {
      const session = normalizeChatlayerSnapshot(snapshot, receivedAt);
      // The snapshot's message has no time of its own: it is placed when Parley received it.
      const sequence = receivedAt.getTime() * 1000;
      const messages = session.messages.map((m) => ({ ...m, sequence, key: `snapshot:${String(sequence)}` }));
      return { type: 'snapshot', session: { ...session, messages }, messageMode: 'append-new-text' };
    },
  } satisfies IngestHandler<Parameters<typeof normalizeChatlayerSnapshot>[0]> as IngestHandler<never>,
  'chatlayer.webhook': {
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
  } satisfies IngestHandler<ChatlayerWebhookEvent> as IngestHandler<never>,
};
