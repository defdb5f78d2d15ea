// How Einstein Bot documents are written: a session record (seed 001) is a snapshot; a Bot Runtime API
// v5 response adds the bot's messages to its session, creating it when needed, and may end or escalate it.
import { stringProblem } from '../../db/storable.js';
import { SessionKind, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { IngestHandler, SessionPatch, WriteOp } from '../../ingest/ops.js';
import { ItemRejection, type IngestContext } from '../../ingest/types.js';
import type { NormalizedSession } from '../normalized.js';
import type { EinsteinBotSession } from './model.js';
import {
  einsteinBotId,
  einsteinSessionId,
  isRuntimeResponse,
  mergeRuntimeEnvelope,
  normalizeEinsteinSession,
  normalizeRuntimeMessages,
  runtimeEnvelope,
  runtimeSessionChange,
} from './normalize.js';
import { validateEinsteinSession } from './validate.js';

const MISSING_BOT_ID =
  "is required for a session Parley has not stored yet: send it in the document, in `_links.self.href` (a start-session response), or as the `botId` query parameter (the mutation's `botId` argument)";

/**
 * A batch parameter (a query parameter, a mutation argument, a proxied call's path) standing in for the
 * document's member of that name. Validation never saw it: a value PostgreSQL cannot store rejects the item
 * at that member, rather than failing its write.
 */
function parameter(context: IngestContext, name: 'botId' | 'sessionId'): string | null {
  const value = context.params.get(name) ?? null;
  const problem = value === null ? null : stringProblem(value);
  if (problem !== null) throw new ItemRejection(`$.${name}`, `(from the \`${name}\` parameter) ${problem}`);
  return value;
}

/**
 * An Einstein document: a session record (seed 001) is a snapshot; a Bot Runtime API v5 response adds
 * the bot's messages to its session, creating it when needed, and may end or escalate it.
 */
function einsteinOp(document: EinsteinBotSession, receivedAt: Date, context: IngestContext): WriteOp {
  const sessionId = einsteinSessionId(document) ?? parameter(context, 'sessionId');
  if (sessionId === null || sessionId === '') {
    throw new ItemRejection('$.sessionId', 'is required: send it in the document, in `_links` (a runtime API response), or as the `sessionId` query parameter');
  }
  const botId = einsteinBotId(document) ?? parameter(context, 'botId');
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

export const einsteinSessionsHandler: IngestHandler<EinsteinBotSession> = { validate: validateEinsteinSession, toOp: einsteinOp };
