import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../../generated/prisma/enums.js';
import type { MessageChoice, MessageType, NormalizedMessage, NormalizedSession } from '../normalized.js';
import { activityAfter, assertSafeSequence, earliest, latest, parseDate, toJsonObject } from '../shared.js';
import type { EinsteinBotMessage, EinsteinBotSession } from './native.js';

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

export function einsteinMessageType(raw: string): MessageType {
  return Object.hasOwn(MESSAGE_TYPES, raw) ? (MESSAGE_TYPES[raw] ?? 'UNKNOWN') : 'UNKNOWN';
}

function sender(message: EinsteinBotMessage): MessageSender {
  if (message.sender === 'User') return MessageSender.USER;
  if (message.sender === 'Bot') return MessageSender.BOT;
  // Absent or unforeseen: not attributable to either party (e.g. a bare SessionEnded marker).
  // The raw value stays in the message's `data`.
  return MessageSender.SYSTEM;
}

const KNOWN_STATUS: Readonly<Record<string, SessionStatus>> = {
  Active: SessionStatus.ACTIVE,
  Ended: SessionStatus.ENDED,
  Transferred: SessionStatus.TRANSFERRED,
};

function isKnownStatus(raw: string): boolean {
  return Object.hasOwn(KNOWN_STATUS, raw);
}

export function einsteinStatus(session: Pick<EinsteinBotSession, 'status' | 'sessionEnded'>): SessionStatus {
  const known = isKnownStatus(session.status) ? KNOWN_STATUS[session.status] : undefined;
  if (known === undefined) return session.sessionEnded === true ? SessionStatus.ENDED : SessionStatus.ACTIVE;
  // The flag is newer than the status in some exports; an ended session must not stay "Active".
  if (known === SessionStatus.ACTIVE && session.sessionEnded === true) return SessionStatus.ENDED;
  return known;
}

function isEscalation(message: EinsteinBotMessage): boolean {
  const type = einsteinMessageType(message.type);
  return type === 'TRANSFER' || type === 'ESCALATE_TO_AGENT';
}

export function einsteinOutcome(session: EinsteinBotSession): SessionOutcome | null {
  const status = einsteinStatus(session);
  if (status === SessionStatus.TRANSFERRED || (session.messages ?? []).some(isEscalation)) return SessionOutcome.ESCALATED;
  if (status === SessionStatus.ENDED) return isKnownStatus(session.status) ? SessionOutcome.COMPLETED : SessionOutcome.UNKNOWN;
  return null;
}

function choices(message: EinsteinBotMessage): MessageChoice[] | null {
  if (message.choices === undefined) return null;
  return message.choices.map((c) => ({ label: c.label, value: c.value ?? null, index: c.index ?? null }));
}

/*
 * sequence = sequenceId when the message has one, else its 1-based position in `messages`.
 * sequenceId is the runtime API's own increasing order, so it survives replays and partial exports.
 * The seed makes it optional; documents without it (exports, the seed's own examples) are complete
 * transcripts in order, so the position is stable for them. Mixing both in one document could collide;
 * that is refused rather than stored with one message silently overwriting another.
 */
export function normalizeMessages(messages: readonly EinsteinBotMessage[]): NormalizedMessage[] {
  const seen = new Set<number>();
  return messages.map((message, i) => {
    const sequence = assertSafeSequence(message.sequenceId ?? i + 1, 'Einstein message');
    if (seen.has(sequence)) throw new Error(`Einstein message sequence ${String(sequence)} occurs twice in one session`);
    seen.add(sequence);
    return {
      sequence,
      sender: sender(message),
      type: einsteinMessageType(message.type),
      text: message.text ?? null,
      choices: choices(message),
      timestamp: parseDate(message.timestamp),
      intent: null,
      data: toJsonObject(message),
    };
  });
}

export function normalizeEinsteinSession(session: EinsteinBotSession, receivedAt: Date): NormalizedSession {
  const { messages: rawMessages = [], ...rest } = session;
  const messageTimes = rawMessages.map((m) => parseDate(m.timestamp));
  const lastActiveDate = parseDate(session.lastActiveDate);
  // "First/last message" by time, not array position: a transcript assembled from several exports
  // need not be in order.
  const createdAt = parseDate(session.createdDate) ?? earliest(messageTimes) ?? receivedAt;
  const status = einsteinStatus(session);
  const endMessage = rawMessages.find((m) => einsteinMessageType(m.type) === 'SESSION_ENDED');
  return {
    kind: SessionKind.EINSTEIN_BOT,
    vendor: Vendor.SALESFORCE_EINSTEIN,
    externalId: session.sessionId,
    botId: session.botId,
    channel: null,
    language: null,
    status,
    outcome: einsteinOutcome(session),
    createdAt,
    lastActiveAt: activityAfter(createdAt, lastActiveDate ?? latest(messageTimes)),
    endedAt: status === SessionStatus.ACTIVE ? null : (parseDate(endMessage?.timestamp) ?? lastActiveDate),
    conversationExternalId: session.externalSessionKey ?? null,
    data: toJsonObject(rest),
    sourceUpdatedAt: lastActiveDate,
    messages: normalizeMessages(rawMessages),
  };
}
