import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { JsonObject, MessageChoice, MessageType, NormalizedMessage, NormalizedSession } from '../normalized.js';
import { activityAfter, assertSafeSequence, contentDigest, earliest, latest, lowerOrNull, numberRepeats, parseDate, toJsonObject } from '../shared.js';
import type { ConversationDefinitionSessionRecord, EinsteinBotMessage, EinsteinBotSession, EinsteinLinks } from './model.js';
import { ItemRejection } from '../../ingest/types.js';

// Seed spelling and runtime-API spelling side by side; exact matches only, so a typo is UNKNOWN
// (and visible in `data`) rather than silently guessed.
const MESSAGE_TYPES: Readonly<Record<string, MessageType>> = {
  Text: 'TEXT',
  text: 'TEXT',
  Choices: 'CHOICES',
  choices: 'CHOICES',
  Transfer: 'TRANSFER',
  transfer: 'TRANSFER',
  EscalateToAgent: 'ESCALATE_TO_AGENT',
  escalate: 'ESCALATE_TO_AGENT',
  SessionEnded: 'SESSION_ENDED',
  sessionEnded: 'SESSION_ENDED',
};

export function einsteinMessageType(raw: string | undefined): MessageType {
  if (raw === undefined) return 'UNKNOWN';
  return Object.hasOwn(MESSAGE_TYPES, raw) ? (MESSAGE_TYPES[raw] ?? 'UNKNOWN') : 'UNKNOWN';
}

/**
 * Who sent a message. Only the seed's records name a sender; every message the runtime API returns is
 * the bot's, and so is any message without a sender (users' messages are what clients send, recorded
 * with `sender: "User"`). A sender value Salesforce adds later is SYSTEM; the raw value stays in `data`.
 */
function sender(message: EinsteinBotMessage): MessageSender {
  if (message.sender === undefined || message.sender === 'Bot') return MessageSender.BOT;
  if (message.sender === 'User') return MessageSender.USER;
  return MessageSender.SYSTEM;
}

const KNOWN_STATUS: Readonly<Record<string, SessionStatus>> = {
  Active: SessionStatus.ACTIVE,
  Ended: SessionStatus.ENDED,
  Transferred: SessionStatus.TRANSFERRED,
};

function isKnownStatus(raw: string | undefined): raw is string {
  return raw !== undefined && Object.hasOwn(KNOWN_STATUS, raw);
}

const isEndMessage = (m: EinsteinBotMessage) => einsteinMessageType(m.type) === 'SESSION_ENDED';

function isEscalation(message: EinsteinBotMessage): boolean {
  const type = einsteinMessageType(message.type);
  return type === 'TRANSFER' || type === 'ESCALATE_TO_AGENT';
}

export function einsteinStatus(session: Pick<EinsteinBotSession, 'status' | 'sessionEnded' | 'messages'>): SessionStatus {
  const known = isKnownStatus(session.status) ? KNOWN_STATUS[session.status] : undefined;
  // The flag and the end message are newer than the status in some exports: an ended session must not stay "Active".
  const endedOtherwise = session.sessionEnded === true || (session.messages ?? []).some(isEndMessage);
  if (known === undefined || known === SessionStatus.ACTIVE) return endedOtherwise ? SessionStatus.ENDED : SessionStatus.ACTIVE;
  return known;
}

/**
 * The outcome a runtime `sessionEnded` message's reason gives. `Action`: the bot's own End Chat;
 * `ClientRequest`: the client ended the session (the user left); a failed transfer, an error or a
 * loop the runtime stopped are errors.
 */
const OUTCOME_BY_END_REASON: Readonly<Record<string, SessionOutcome>> = {
  Action: SessionOutcome.COMPLETED,
  ClientRequest: SessionOutcome.USER_EXITED,
  TransferFailedNotConfigured: SessionOutcome.ERROR,
  Error: SessionOutcome.ERROR,
  InfiniteLoopDetected: SessionOutcome.ERROR,
};

export function endReasonOutcome(reason: string | undefined): SessionOutcome {
  if (reason === undefined) return SessionOutcome.COMPLETED;
  return Object.hasOwn(OUTCOME_BY_END_REASON, reason) ? (OUTCOME_BY_END_REASON[reason] ?? SessionOutcome.UNKNOWN) : SessionOutcome.UNKNOWN;
}

/**
 * The outcome a `ConversationDefinitionSession` record's `SessionEndType` gives (the Salesforce
 * connector). Salesforce publishes the field but not its picklist values; these are the values its
 * reports show, matched exactly — any other is UNKNOWN, with the raw value on the record.
 */
const OUTCOME_BY_RECORD_END_TYPE: Readonly<Record<string, SessionOutcome>> = {
  Completed: SessionOutcome.COMPLETED,
  Ended: SessionOutcome.COMPLETED,
  EndChat: SessionOutcome.COMPLETED,
  Transfer: SessionOutcome.ESCALATED,
  Transferred: SessionOutcome.ESCALATED,
  Escalated: SessionOutcome.ESCALATED,
  Abandoned: SessionOutcome.ABANDONED,
  Timeout: SessionOutcome.EXPIRED,
  Expired: SessionOutcome.EXPIRED,
  Error: SessionOutcome.ERROR,
};

/** A transfer Salesforce reports as failed did not reach an agent: the session ended in an error, as the runtime's TransferFailedNotConfigured. */
const FAILED_TRANSFER = new Set(['Failed', 'Failure', 'NotTransferred']);

export function recordEndOutcome(record: ConversationDefinitionSessionRecord): SessionOutcome | null {
  // SOQL sends an empty field as null; a stored record has it dropped.
  const endType: unknown = record.SessionEndType;
  if (typeof endType !== 'string' || endType === '') return null;
  const outcome = Object.hasOwn(OUTCOME_BY_RECORD_END_TYPE, endType) ? (OUTCOME_BY_RECORD_END_TYPE[endType] ?? SessionOutcome.UNKNOWN) : SessionOutcome.UNKNOWN;
  const transfer: unknown = record.SessionTransferResult;
  if (outcome === SessionOutcome.ESCALATED && typeof transfer === 'string' && FAILED_TRANSFER.has(transfer)) {
    return SessionOutcome.ERROR;
  }
  return outcome;
}

export function einsteinOutcome(session: EinsteinBotSession): SessionOutcome | null {
  const recorded = session.conversationDefinitionSession === undefined ? null : recordEndOutcome(session.conversationDefinitionSession);
  if (recorded !== null) return recorded;
  const status = einsteinStatus(session);
  const messages = session.messages ?? [];
  if (status === SessionStatus.TRANSFERRED || messages.some(isEscalation)) return SessionOutcome.ESCALATED;
  if (status !== SessionStatus.ENDED) return null;
  const end = messages.find(isEndMessage);
  if (end !== undefined) return endReasonOutcome(end.reason);
  return session.status === undefined || isKnownStatus(session.status) ? SessionOutcome.COMPLETED : SessionOutcome.UNKNOWN;
}

function choices(message: EinsteinBotMessage): MessageChoice[] | null {
  if (message.choices === undefined) return null;
  return message.choices.map((c) => ({ label: c.label ?? '', value: c.value ?? null, index: c.index ?? null, alias: c.alias ?? null, id: c.id ?? null }));
}

/**
 * A message's identity: the runtime API's message `id`, else its `sequenceId` (the client's own number
 * for a user message), else its content. A repeat of a key within one document is a message of its own
 * (`#n`): two messages that say the same thing, or a vendor that reused an id.
 */
function messageKeys(messages: readonly EinsteinBotMessage[]): string[] {
  return numberRepeats(
    messages.map((m) => {
      if (m.id !== undefined && m.id !== '') return `id:${m.id}`;
      if (m.sequenceId !== undefined) return `seq:${String(m.sequenceId)}`;
      const { sender: who, type, text, choices: options, timestamp, reason } = m;
      return `c:${contentDigest({ sender: who ?? null, type: type ?? null, text: text ?? null, choices: options ?? null, timestamp: timestamp ?? null, reason: reason ?? null })}`;
    }),
  );
}

function toMessage(message: EinsteinBotMessage, key: string, sequence: number, ordinal: number): NormalizedMessage {
  return {
    key,
    sequence: assertSafeSequence(sequence, 'Einstein message'),
    ordinal,
    sender: sender(message),
    type: einsteinMessageType(message.type),
    text: message.text ?? null,
    choices: choices(message),
    timestamp: parseDate(message.timestamp),
    intent: null,
    data: toJsonObject(message),
  };
}

/*
 * Order of a session record's messages: sequence = sequenceId when the message has one, else its
 * 1-based position in `messages` (documents without sequenceIds, the seed's own examples and exports,
 * are complete transcripts in order).
 */
export function normalizeMessages(messages: readonly EinsteinBotMessage[]): NormalizedMessage[] {
  const keys = messageKeys(messages);
  return messages.map((message, i) => toMessage(message, keys[i]!, message.sequenceId ?? i + 1, 0));
}

/*
 * Order of a runtime response's messages: they answer the user messages in `processedSequenceIds`, so
 * they come right after the latest of them (same sequence, ordinal 1, 2, ... in the order sent; the
 * user's message itself, recorded with that sequenceId, has ordinal 0).
 */
export function normalizeRuntimeMessages(response: Pick<EinsteinBotSession, 'messages' | 'processedSequenceIds'>): NormalizedMessage[] {
  const messages = response.messages ?? [];
  const answered = response.processedSequenceIds ?? [];
  const sequence = answered.length > 0 ? Math.max(...answered) : 0;
  const keys = messageKeys(messages);
  return messages.map((message, i) => toMessage(message, keys[i]!, message.sequenceId ?? sequence, message.sequenceId === undefined ? i + 1 : 0));
}

/**
 * A runtime response is a body of the Bot Runtime API: no session `status`, and the envelope's own fields
 * — or nothing but runtime messages (the SDK's mocks give a response's `messages` alone): no bot id, no
 * record dates, and no message saying who sent it (a record's messages have a `sender`; the runtime's are
 * the bot's).
 */
export function isRuntimeResponse(document: EinsteinBotSession): boolean {
  if (document.status !== undefined) return false;
  if (document.processedSequenceIds !== undefined || document._links !== undefined || document.botVersion !== undefined) return true;
  const messages = document.messages ?? [];
  return (
    messages.length > 0 &&
    document.botId === undefined &&
    document.createdDate === undefined &&
    document.lastActiveDate === undefined &&
    document.sessionEnded === undefined &&
    messages.every((message) => message.sender === undefined)
  );
}

const SESSION_IN_PATH = /\/sessions\/([^/?#]+)/;
const BOT_IN_PATH = /\/bots\/([^/?#]+)\/sessions/;

function fromLinks(links: EinsteinLinks | undefined, pattern: RegExp): string | null {
  for (const link of [links?.session, links?.messages, links?.self]) {
    const match = link?.href === undefined ? null : pattern.exec(link.href);
    if (match?.[1] !== undefined) return decodeURIComponent(match[1]);
  }
  return null;
}

/** The session id: the document's, else the one its `_links` point at (a response to a message has no `sessionId`). */
export function einsteinSessionId(document: EinsteinBotSession): string | null {
  return document.sessionId ?? fromLinks(document._links, SESSION_IN_PATH);
}

/** The bot id: the document's, else the one in `_links.self.href` of a start-session response. */
export function einsteinBotId(document: EinsteinBotSession): string | null {
  return document.botId ?? fromLinks(document._links, BOT_IN_PATH);
}

/** A session record (seed 001) as Parley's session, with its messages. */
export function normalizeEinsteinSession(
  session: EinsteinBotSession,
  receivedAt: Date,
  ids: { sessionId: string; botId: string | null } = requiredIds(session),
): NormalizedSession {
  const { messages: rawMessages = [], ...rest } = session;
  const messageTimes = rawMessages.map((m) => parseDate(m.timestamp));
  const lastActiveDate = parseDate(session.lastActiveDate);
  // "First/last message" by time, not array position: a transcript assembled from several exports
  // need not be in order.
  const createdAt = parseDate(session.createdDate) ?? earliest(messageTimes) ?? receivedAt;
  const status = einsteinStatus(session);
  const endMessage = rawMessages.find(isEndMessage);
  return {
    kind: SessionKind.EINSTEIN_BOT,
    vendor: Vendor.SALESFORCE_EINSTEIN,
    externalId: ids.sessionId,
    botId: ids.botId,
    // Only a Salesforce record names them; the runtime API and the seed's record do not.
    channel: lowerOrNull(session.conversationDefinitionSession?.ChannelType),
    language: lowerOrNull(session.conversationDefinitionSession?.Language),
    status,
    outcome: einsteinOutcome(session),
    createdAt,
    lastActiveAt: activityAfter(createdAt, lastActiveDate ?? latest(messageTimes)),
    endedAt: status === SessionStatus.ACTIVE ? null : (parseDate(endMessage?.timestamp) ?? lastActiveDate ?? latest(messageTimes)),
    conversationExternalId: session.externalSessionKey ?? null,
    data: toJsonObject({ ...rest, sessionId: ids.sessionId, ...(ids.botId === null ? {} : { botId: ids.botId }) }),
    sourceUpdatedAt: lastActiveDate,
    messages: normalizeMessages(rawMessages),
  };
}

function requiredIds(session: EinsteinBotSession): { sessionId: string; botId: string | null } {
  const sessionId = einsteinSessionId(session);
  if (sessionId === null) throw new ItemRejection('$.sessionId', 'is required');
  return { sessionId, botId: einsteinBotId(session) };
}

/** The envelope of a runtime response without its messages, as the session's document keeps it. */
export function runtimeEnvelope(response: EinsteinBotSession, ids: { sessionId: string; botId: string | null }): JsonObject {
  const { messages: _messages, ...envelope } = response;
  return toJsonObject({ ...envelope, sessionId: ids.sessionId, ...(ids.botId === null ? {} : { botId: ids.botId }) });
}

/**
 * What a runtime response adds to the stored session document: the latest envelope fields, and every
 * user message the runtime has processed so far (`processedSequenceIds`, accumulated).
 */
export function mergeRuntimeEnvelope(stored: JsonObject, envelope: JsonObject): JsonObject {
  const numbers = (value: unknown) => (Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number') : []);
  const processed = [...new Set([...numbers(stored.processedSequenceIds), ...numbers(envelope.processedSequenceIds)])].sort((a, b) => a - b);
  const merged: JsonObject = { ...stored, ...envelope };
  // The stored bot id (from a session record or an earlier response) is kept if this response has none.
  if (envelope.botId === undefined && stored.botId !== undefined) merged.botId = stored.botId;
  if (processed.length > 0) merged.processedSequenceIds = processed;
  return merged;
}

/** How a runtime response ends or escalates the session: null when it does neither. */
export function runtimeSessionChange(response: EinsteinBotSession): { ended: boolean; outcome: SessionOutcome | null } | null {
  const messages = response.messages ?? [];
  const end = messages.find(isEndMessage);
  const escalated = messages.some(isEscalation);
  if (end === undefined && !escalated) return null;
  return { ended: end !== undefined, outcome: escalated ? SessionOutcome.ESCALATED : endReasonOutcome(end?.reason) };
}
