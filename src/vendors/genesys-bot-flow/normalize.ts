import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { NormalizedMessage, NormalizedSession } from '../normalized.js';
import { activityAfter, assertSafeSequence, contentDigest, lowerOrNull, parseDate, toJsonObject } from '../shared.js';
import type { BotFlowSession, BotFlowSessionWithTurns, ReportingTurn } from './model.js';
import { ItemRejection } from '../../ingest/types.js';

// Both enums describe the same end; the category is the coarse one Genesys filters on, and the
// detailed botResult is only consulted when the category is missing (older data, partial exports).
const OUTCOME_BY_CATEGORY: Readonly<Record<string, SessionOutcome>> = {
  UserExit: SessionOutcome.USER_EXITED,
  BotExit: SessionOutcome.COMPLETED,
  BotDisconnect: SessionOutcome.COMPLETED,
  UserDisconnect: SessionOutcome.ABANDONED,
  SessionExpired: SessionOutcome.EXPIRED,
  Error: SessionOutcome.ERROR,
  RecognitionFailure: SessionOutcome.RECOGNITION_FAILURE,
  Transfer: SessionOutcome.ESCALATED,
};

const OUTCOME_BY_RESULT: Readonly<Record<string, SessionOutcome>> = {
  ExitRequestedByUser: SessionOutcome.USER_EXITED,
  ExitRequestedByBot: SessionOutcome.COMPLETED,
  DisconnectRequestedByBot: SessionOutcome.COMPLETED,
  DisconnectRequestedByUser: SessionOutcome.ABANDONED,
  DisconnectSessionExpired: SessionOutcome.EXPIRED,
  ExitError: SessionOutcome.ERROR,
  DisconnectError: SessionOutcome.ERROR,
  ExitRecognitionFailure: SessionOutcome.RECOGNITION_FAILURE,
  DisconnectRecognitionFailure: SessionOutcome.RECOGNITION_FAILURE,
  TransferToACD: SessionOutcome.ESCALATED,
  TransferToUser: SessionOutcome.ESCALATED,
  TransferToGroup: SessionOutcome.ESCALATED,
  TransferToNumber: SessionOutcome.ESCALATED,
  TransferToUserVoicemail: SessionOutcome.ESCALATED,
  TransferToGroupVoicemail: SessionOutcome.ESCALATED,
  TransferToACDVoicemail: SessionOutcome.ESCALATED,
};

function lookup(table: Readonly<Record<string, SessionOutcome>>, value: string): SessionOutcome {
  // hasOwn, so that a value such as "constructor" is not found on Object.prototype.
  return Object.hasOwn(table, value) ? (table[value] ?? SessionOutcome.UNKNOWN) : SessionOutcome.UNKNOWN;
}

/**
 * Outcome from botResultCategory, else botResult; null when neither is present (session still running).
 * "Unknown", "OutdatedSdkVersion" and values Genesys adds later all give UNKNOWN; the raw value stays in `data`.
 */
export function botFlowOutcome(session: Pick<BotFlowSession, 'botResult' | 'botResultCategory'>): SessionOutcome | null {
  if (session.botResultCategory !== undefined) return lookup(OUTCOME_BY_CATEGORY, session.botResultCategory);
  if (session.botResult !== undefined) return lookup(OUTCOME_BY_RESULT, session.botResult);
  return null;
}

function botFlowStatus(session: BotFlowSession): SessionStatus {
  const outcome = botFlowOutcome(session);
  if (outcome === null) return SessionStatus.ACTIVE;
  if (outcome === SessionOutcome.ESCALATED) return SessionStatus.TRANSFERRED;
  return SessionStatus.ENDED;
}

/** A BotFlowSession (without its turns) as Parley's session row. */
export function normalizeSession(session: BotFlowSession, receivedAt: Date): NormalizedSession {
  const dateCreated = parseDate(session.dateCreated);
  const dateCompleted = parseDate(session.dateCompleted);
  const status = botFlowStatus(session);
  const createdAt = dateCreated ?? receivedAt;
  return {
    kind: SessionKind.BOT_FLOW,
    vendor: Vendor.GENESYS_CLOUD,
    externalId: session.id,
    botId: session.flow?.id ?? null,
    channel: lowerOrNull(session.channel?.name),
    language: lowerOrNull(session.language),
    status,
    outcome: botFlowOutcome(session),
    createdAt,
    lastActiveAt: activityAfter(createdAt, dateCompleted ?? dateCreated),
    endedAt: status === SessionStatus.ACTIVE ? null : dateCompleted,
    conversationExternalId: session.conversation?.id ?? null,
    data: toJsonObject(session),
    sourceUpdatedAt: dateCompleted ?? dateCreated ?? null,
    messages: [],
  };
}

/*
 * Message identity and order for reporting turns.
 *
 * Genesys gives turns no id and no number, and they arrive page by page, possibly out of order or
 * replayed. So both are derived from the turn itself:
 *
 *     key      = turn:<digest of the turn's content>:<position>
 *     sequence = turnTimeMs * SLOTS_PER_TURN + position
 *
 * turnTimeMs is the turn's dateCreated (else dateCompleted) in epoch milliseconds; position is the
 * message's place inside the turn: the bot's prompts first (0, 1, ...), then the user's input, because a
 * turn is one "ask": the bot speaks, the user answers. With 1000 slots, 2026 timestamps give values near
 * 1.8e15, below 2^53 (9.007e15) until the year 2255, so they stay exact as JS numbers.
 *
 * The key is what keeps two turns apart: two turns of one session stamped in the same millisecond share
 * sequences but not keys, so both are kept (ordered by key among themselves), and the same turn sent
 * again, alone or with its session, on any page, is the same messages. The digest leaves out
 * `sessionId`, which a turn carries on its own route and may omit when it is sent with its session.
 */
export const SLOTS_PER_TURN = 1000;

interface PlacedPart {
  sender: MessageSender;
  text: string;
  timestamp: Date | null;
  intent: string | null;
}

function turnTimeMs(turn: ReportingTurn): number {
  const at = parseDate(turn.dateCreated) ?? parseDate(turn.dateCompleted);
  if (at === null) {
    throw new ItemRejection(
      '$.dateCreated',
      `reporting turn of session ${turn.sessionId ?? '?'} has no dateCreated or dateCompleted; its messages cannot be ordered`,
    );
  }
  return at.getTime();
}

/** The turn's identity: a digest of everything it says but which session it names. */
export function turnDigest(turn: ReportingTurn): string {
  const { sessionId: _sessionId, ...content } = turn;
  return contentDigest(content);
}

function turnParts(turn: ReportingTurn): PlacedPart[] {
  const promptedAt = parseDate(turn.dateCreated) ?? parseDate(turn.dateCompleted);
  const answeredAt = parseDate(turn.dateCompleted) ?? promptedAt;
  const parts: PlacedPart[] = (turn.botPrompts ?? []).map((text) => ({
    sender: MessageSender.BOT,
    text,
    timestamp: promptedAt,
    intent: null,
  }));
  if (turn.userInput !== undefined && turn.userInput !== '') {
    // The intent is what NLU recognised in the user's answer, so it belongs to the user's message.
    parts.push({ sender: MessageSender.USER, text: turn.userInput, timestamp: answeredAt, intent: turn.intent?.name ?? null });
  }
  return parts;
}

/**
 * Reporting turns as messages: each bot prompt a BOT message, the user input a USER message carrying the
 * recognised intent. Every message of a turn keeps the whole turn document in `data`. The same turn
 * twice (overlapping pages) is one turn. Result is in transcript order.
 */
export function normalizeTurns(turns: readonly ReportingTurn[]): NormalizedMessage[] {
  const byDigest = new Map<string, { turn: ReportingTurn; ms: number; digest: string }>();
  for (const turn of turns) {
    const digest = turnDigest(turn);
    if (!byDigest.has(digest)) byDigest.set(digest, { turn, ms: turnTimeMs(turn), digest });
  }
  const ordered = [...byDigest.values()].sort((a, b) => a.ms - b.ms || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const messages: NormalizedMessage[] = [];
  for (const { turn, ms, digest } of ordered) {
    const parts = turnParts(turn);
    if (parts.length > SLOTS_PER_TURN) {
      throw new ItemRejection(
        '$',
        `reporting turn at ${turn.dateCreated ?? '?'} has ${String(parts.length)} messages; at most ${String(SLOTS_PER_TURN)} fit its sequence range`,
      );
    }
    const data = toJsonObject(turn);
    parts.forEach((part, position) => {
      messages.push({
        key: `turn:${digest}:${String(position)}`,
        sequence: assertSafeSequence(ms * SLOTS_PER_TURN + position, 'Genesys reporting turn'),
        ordinal: 0,
        sender: part.sender,
        type: 'TEXT',
        text: part.text,
        choices: null,
        timestamp: part.timestamp,
        intent: part.intent,
        data,
      });
    });
  }
  return messages;
}

/** A session with its turns (Parley's ingest item) as one normalised session. */
export function normalizeSessionWithTurns(document: BotFlowSessionWithTurns, receivedAt: Date): NormalizedSession {
  const { turns = [], ...session } = document;
  for (const turn of turns) {
    if (turn.sessionId !== undefined && turn.sessionId !== session.id) {
      throw new ItemRejection('$.turns', `a reporting turn belongs to session ${turn.sessionId}, not ${session.id}`);
    }
  }
  return { ...normalizeSession(session, receivedAt), messages: normalizeTurns(turns) };
}
