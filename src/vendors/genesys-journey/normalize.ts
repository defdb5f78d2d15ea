import { SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { NormalizedSession } from '../normalized.js';
import { activityAfter, lowerOrNull, parseDate, toJsonObject } from '../shared.js';
import type { JourneySession } from './model.js';

// A journey session is the customer's visit, not a bot; the only outcome signal it has is what the
// contact centre's ACD did with the conversation it led to.
const OUTCOME_BY_ACD: Readonly<Record<string, SessionOutcome>> = {
  Answered: SessionOutcome.ESCALATED,
  FlowOut: SessionOutcome.ESCALATED,
  Abandon: SessionOutcome.ABANDONED,
};

export function journeyOutcome(session: Pick<JourneySession, 'lastAcdOutcome' | 'endedDate'>): SessionOutcome | null {
  const acd = session.lastAcdOutcome;
  if (acd !== undefined) return Object.hasOwn(OUTCOME_BY_ACD, acd) ? (OUTCOME_BY_ACD[acd] ?? SessionOutcome.UNKNOWN) : SessionOutcome.UNKNOWN;
  return session.endedDate !== undefined ? SessionOutcome.COMPLETED : null;
}

/** Journeys have events, not transcripts: the session has no messages. */
export function normalizeJourneySession(session: JourneySession, receivedAt: Date): NormalizedSession {
  const createdDate = parseDate(session.createdDate);
  const endedDate = parseDate(session.endedDate);
  const lastEventDate = parseDate(session.lastEvent?.createdDate);
  const createdAt = createdDate ?? receivedAt;
  const ended = session.endedDate !== undefined;
  return {
    kind: SessionKind.JOURNEY,
    vendor: Vendor.GENESYS_CLOUD,
    externalId: session.id,
    botId: null,
    channel: lowerOrNull(session.type),
    language: lowerOrNull(session.browser?.lang),
    status: ended ? SessionStatus.ENDED : SessionStatus.ACTIVE,
    outcome: journeyOutcome(session),
    createdAt,
    lastActiveAt: activityAfter(createdAt, lastEventDate ?? endedDate ?? createdDate),
    endedAt: endedDate,
    conversationExternalId: session.conversation?.id ?? null,
    data: toJsonObject(session),
    sourceUpdatedAt: lastEventDate ?? endedDate ?? createdDate,
    messages: [],
  };
}
