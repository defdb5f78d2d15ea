// One handler per ingest route: which validator, and which write operation a valid document becomes.
import { SessionKind, SessionStatus, Vendor } from '../generated/prisma/enums.js';
import { validateChatlayerSession, validateChatlayerWebhookEvent } from '../vendors/chatlayer/validate.js';
import { normalizeChatlayerSnapshot, normalizeWebhookEvent } from '../vendors/chatlayer/normalize.js';
import type { ChatlayerWebhookEvent } from '../vendors/chatlayer/native.js';
import { validateEinsteinSession } from '../vendors/einstein/validate.js';
import { normalizeEinsteinSession } from '../vendors/einstein/normalize.js';
import { type SessionReportingTurn, validateBotFlowSession, validateReportingTurn } from '../vendors/genesys-bot-flow/validate.js';
import { normalizeSessionWithTurns, normalizeTurns } from '../vendors/genesys-bot-flow/normalize.js';
import { validateJourneySession } from '../vendors/genesys-journey/validate.js';
import { normalizeJourneySession } from '../vendors/genesys-journey/normalize.js';
import { toJsonObject } from '../vendors/shared.js';
import type { NormalizedSession } from '../vendors/normalized.js';
import type { IngestHandler } from './pipeline.js';
import type { IngestRoute } from './types.js';

/** A Chatlayer webhook can name a session Parley has not seen: it starts as what the event says. */
function chatlayerStub(event: ChatlayerWebhookEvent, receivedAt: Date) {
  const at = event.timestamp !== undefined ? new Date(event.timestamp) : receivedAt;
  const when = Number.isNaN(at.getTime()) ? receivedAt : at;
  return {
    kind: SessionKind.CHATLAYER,
    vendor: Vendor.CHATLAYER,
    externalId: event.sessionId,
    botId: event.botId,
    channel: event.channel?.toLowerCase() ?? null,
    language: null,
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

/** A route whose documents are whole sessions with their own messages (keyed by the vendor's sequence). */
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
  'einstein.sessions': snapshotHandler(validateEinsteinSession, normalizeEinsteinSession),
  'chatlayer.sessions': {
    validate: validateChatlayerSession,
    toOp: (snapshot, receivedAt) => {
      const session = normalizeChatlayerSnapshot(snapshot, receivedAt);
      // The snapshot's message has no time of its own: it is placed when Parley received it.
      const messages = session.messages.map((m) => ({ ...m, sequence: receivedAt.getTime() * 1000 }));
      return { type: 'snapshot', session: { ...session, messages }, messageMode: 'append-new-text' };
    },
  } satisfies IngestHandler<Parameters<typeof normalizeChatlayerSnapshot>[0]> as IngestHandler<never>,
  'chatlayer.webhook': {
    validate: validateChatlayerWebhookEvent,
    toOp: (event, receivedAt) => {
      const { messages, offloadedAt } = normalizeWebhookEvent(event);
      return {
        type: 'messages',
        kind: SessionKind.CHATLAYER,
        externalId: event.sessionId,
        messages,
        whenMissing: { stub: chatlayerStub(event, receivedAt) },
        ...(offloadedAt || event.event === 'offload'
          ? { patch: { status: SessionStatus.TRANSFERRED, outcome: 'ESCALATED' as const, endedAt: offloadedAt ?? receivedAt } }
          : {}),
      };
    },
  } satisfies IngestHandler<ChatlayerWebhookEvent> as IngestHandler<never>,
};
