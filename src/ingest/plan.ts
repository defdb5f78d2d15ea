// The writer's decisions, as pure functions of what a chunk brings and what is stored: which sessions
// are new, newer, older or unchanged; which messages are new, changed or replays; what waits for its
// session; which events follow. No database here: ./writer.ts loads the state (under per-session locks)
// and applies the plan with set-based statements (./statements.ts).
//
// The rules, which make the stored result independent of the order items arrive in:
// - Newer wins by the vendor's clock (`sourceUpdatedAt`). Two snapshots with the same clock are ordered
//   by status (an ended session is later than a running one), then by content hash: arbitrary but the
//   same whichever arrives first. A snapshot without a clock cannot be compared and applies in arrival
//   order, but never reopens a session that has ended or been handed over (nor may a snapshot whose
//   clock is not later than that end).
// - createdAt only moves earlier and lastActiveAt only later.
// - Patches (events that end or hand over a session) combine commutatively: an escalation stays an
//   escalation, the first end time is kept.
// - A message is identified by its key; a newer snapshot may change a message, an older one may only
//   add the messages that are missing.
import { hash } from 'node:crypto';
import type { SessionKind, SessionOutcome, SessionStatus, Vendor } from '../generated/prisma/enums.js';
import type { SessionEvent } from '../live/events.js';
import type { JsonObject, JsonValue, MessageChoice, NormalizedMessage, NormalizedSession } from '../vendors/normalized.js';
import { canonicalJson } from '../vendors/shared.js';
import { sessionKeyOf, type OpOutcome, type SessionPatch, type WriteOp, type WriteResult } from './ops.js';

// ---- identities and hashes ----

export const sessionKey = (kind: string, externalId: string): string => `${kind}\u0000${externalId}`;
export const messageSlot = (sessionId: string, key: string): string => `${sessionId}\u0000${key}`;

// One-shot hashing (crypto.hash): no Hash object per message.
const sha256 = (text: string) => hash('sha256', text, 'base64url');

// A message's hash is needed twice (in its snapshot's hash and on its own row): computed once.
const messageHashes = new WeakMap<NormalizedMessage, string>();

/**
 * Hash of everything a message row stores. Plain JSON.stringify: the pipeline has put every document's
 * members in canonical order (withoutNulls), so the same message sent as an HTTP body or rebuilt from a
 * GraphQL input hashes the same and its replay is `unchanged` (sorting members at every hash cost a third
 * of the write path in the ingest benchmark).
 */
export function messageHash(message: NormalizedMessage): string {
  let value = messageHashes.get(message);
  if (value === undefined) {
    const { key, sequence, ordinal, sender, type, text, choices, timestamp, intent, data } = message;
    const head = JSON.stringify([key, sequence, ordinal, sender, type, text, choices, timestamp, intent]);
    value = sha256(head + documentJson(data));
    messageHashes.set(message, value);
  }
  return value;
}

// The messages of one Genesys turn share the turn's document: its JSON is built once.
const documentTexts = new WeakMap<object, string>();
function documentJson(document: JsonObject): string {
  let text = documentTexts.get(document);
  if (text === undefined) {
    text = JSON.stringify(document);
    documentTexts.set(document, text);
  }
  return text;
}

/** A message's content without where Parley placed it (the Chatlayer snapshot's message, timed on receipt). */
function placelessHash(message: NormalizedMessage): string {
  const { key: _key, sequence: _sequence, ordinal: _ordinal, ...content } = message;
  return sha256(JSON.stringify(content));
}

/**
 * Hash of a snapshot: every column it would store but the times Parley may have had to stand in for
 * (a vendor that sends none), and its messages. A function of the snapshot alone, so a replay is
 * recognised without reading the stored document back.
 */
export function snapshotHash(session: NormalizedSession, messageMode: 'upsert' | 'append-new-text'): string {
  const { messages, createdAt: _createdAt, lastActiveAt: _lastActiveAt, ...columns } = session;
  const hashes = messages.map((m) => (messageMode === 'upsert' ? messageHash(m) : placelessHash(m)));
  // Plain JSON.stringify: the document's own key order (sorting it cost a fifth of the write path).
  return sha256(JSON.stringify({ ...columns, messages: hashes }));
}

// ---- sessions ----

/** A stored session as the writer reads it (its vendor document only when a patch merges into it). */
export interface StoredSession {
  id: string;
  kind: SessionKind;
  externalId: string;
  botId: string | null;
  status: SessionStatus;
  outcome: SessionOutcome | null;
  createdAt: Date;
  lastActiveAt: Date;
  endedAt: Date | null;
  sourceUpdatedAt: Date | null;
  contentHash: string;
  data: JsonObject | null;
}

/** A Session row as written whole: the normalised columns, resolved to Parley's ids, with the hash. */
export interface SessionRow {
  id: string;
  kind: SessionKind;
  vendor: Vendor;
  externalId: string;
  botId: string | null;
  channel: string | null;
  language: string | null;
  status: SessionStatus;
  outcome: SessionOutcome | null;
  createdAt: Date;
  lastActiveAt: Date;
  endedAt: Date | null;
  conversationId: string | null;
  data: JsonObject;
  sourceUpdatedAt: Date | null;
  contentHash: string;
}

/** What a patch rewrites of a stored session whose whole row this chunk does not write. */
export interface SessionPatchRow {
  id: string;
  status: SessionStatus;
  outcome: SessionOutcome | null;
  endedAt: Date | null;
  createdAt: Date;
  lastActiveAt: Date;
  /** The merged vendor document; null when unchanged. */
  data: JsonObject | null;
}

const TERMINAL: ReadonlySet<SessionStatus> = new Set(['ENDED', 'TRANSFERRED']);
export const isTerminal = (status: SessionStatus): boolean => TERMINAL.has(status);

const time = (d: Date | null): number | null => (d === null ? null : d.getTime());
const earlier = (a: Date, b: Date) => (b.getTime() < a.getTime() ? b : a);
const later = (a: Date, b: Date) => (b.getTime() > a.getTime() ? b : a);

/**
 * Whether `incoming` (hash `incomingHash`) is older than what is stored, by the vendor's clock. Ties
 * are broken so that the same pair gives the same winner whichever arrived first.
 */
export function isOlderSnapshot(incoming: NormalizedSession, incomingHash: string, stored: StoredSession): boolean {
  const a = time(incoming.sourceUpdatedAt);
  const b = time(stored.sourceUpdatedAt);
  if (a === null || b === null) return false;
  if (a !== b) return a < b;
  const rank = (s: SessionStatus) => (isTerminal(s) ? 1 : 0);
  if (rank(incoming.status) !== rank(stored.status)) return rank(incoming.status) < rank(stored.status);
  return incomingHash < stored.contentHash;
}

/** Status, outcome and end time after a snapshot, keeping an end the snapshot cannot prove it is later than. */
function statusAfterSnapshot(incoming: NormalizedSession, stored: StoredSession): Pick<SessionRow, 'status' | 'outcome' | 'endedAt'> {
  if (isTerminal(stored.status) && !isTerminal(incoming.status)) {
    const endedAt = time(stored.endedAt ?? stored.sourceUpdatedAt);
    const clock = time(incoming.sourceUpdatedAt);
    const provesLater = clock !== null && endedAt !== null && clock > endedAt;
    if (!provesLater) return { status: stored.status, outcome: stored.outcome, endedAt: stored.endedAt };
  }
  return { status: incoming.status, outcome: incoming.outcome, endedAt: incoming.endedAt };
}

function rowFromSnapshot(session: NormalizedSession, id: string, conversationId: string | null, contentHash: string): SessionRow {
  return {
    id,
    kind: session.kind,
    vendor: session.vendor,
    externalId: session.externalId,
    botId: session.botId,
    channel: session.channel,
    language: session.language,
    status: session.status,
    outcome: session.outcome,
    createdAt: session.createdAt,
    lastActiveAt: session.lastActiveAt,
    endedAt: session.endedAt,
    conversationId,
    data: session.data,
    sourceUpdatedAt: session.sourceUpdatedAt,
    contentHash,
  };
}

/**
 * A patch over a session's state. Commutative where it matters: an escalation is never undone by a
 * later end (and an ended escalated session is TRANSFERRED), the earliest end time is kept, activity
 * only moves later.
 */
export function applyPatch<S extends Pick<StoredSession, 'status' | 'outcome' | 'endedAt' | 'createdAt' | 'lastActiveAt'>>(
  state: S,
  patch: SessionPatch,
  activity: TimeSpan | null,
): S {
  const escalated = state.outcome === 'ESCALATED' || patch.outcome === 'ESCALATED';
  const outcome = escalated ? 'ESCALATED' : patch.outcome !== undefined ? patch.outcome : state.outcome;
  let status = state.status;
  if (patch.status !== undefined && (isTerminal(patch.status) || !isTerminal(state.status))) status = patch.status;
  if (isTerminal(status) && escalated) status = 'TRANSFERRED';
  let endedAt = state.endedAt;
  if (patch.endedAt !== undefined && patch.endedAt !== null) endedAt = endedAt === null ? patch.endedAt : earlier(endedAt, patch.endedAt);
  if (!isTerminal(status)) endedAt = null;
  const createdAt = activity === null ? state.createdAt : earlier(state.createdAt, activity.first);
  const lastActiveAt = activity === null ? state.lastActiveAt : later(state.lastActiveAt, activity.last);
  return { ...state, status, outcome, endedAt, createdAt, lastActiveAt };
}

/** The first and last time a set of messages was sent. */
export interface TimeSpan {
  first: Date;
  last: Date;
}

/** When the messages were sent, first to last; null when none has a time. */
export function timeSpan(messages: readonly Pick<NormalizedMessage, 'timestamp'>[]): TimeSpan | null {
  let span: TimeSpan | null = null;
  for (const { timestamp } of messages) {
    if (timestamp === null) continue;
    span = span === null ? { first: timestamp, last: timestamp } : { first: earlier(span.first, timestamp), last: later(span.last, timestamp) };
  }
  return span;
}

function statusEvent(before: SessionStatus, after: SessionStatus): SessionEvent['kind'] {
  if (after !== before && after === 'ENDED') return 'ENDED';
  if (after !== before && after === 'TRANSFERRED') return 'TRANSFERRED';
  return 'UPDATED';
}

/** How one operation's messages are to be written once its session is decided. */
export type MessagePlanMode =
  /** New or changed messages are written (a newer or first snapshot, an event). */
  | 'upsert'
  /** Only messages not stored yet are added (an older snapshot). */
  | 'insert-only'
  /** The same snapshot as stored, messages included (they are in its hash): nothing to write. */
  | 'skip'
  /** The Chatlayer snapshot's single user message, added unless it is the latest stored one. */
  | 'append-new-text'
  /** The session is not stored: the messages wait for it. */
  | 'pend';

export interface OpSessionPlan {
  key: string;
  sessionId: string | null;
  created: boolean;
  changed: boolean;
  mode: MessagePlanMode;
  rejected: { path: string; message: string } | null;
}

export interface SessionPlan {
  inserts: SessionRow[];
  updates: SessionRow[];
  patches: SessionPatchRow[];
  ops: OpSessionPlan[];
  events: SessionEvent[];
  /** Every session key that exists once the chunk is applied, with its id. */
  ids: Map<string, string>;
  /** Sessions this chunk creates (their waiting messages are claimed). */
  created: { kind: SessionKind; externalId: string; id: string }[];
}

interface Working {
  state: StoredSession;
  /** The whole row, when this chunk writes it (a new session, or a snapshot applied). */
  row: SessionRow | null;
  origin: 'new' | 'stored';
  patched: boolean;
  dataChanged: boolean;
}

function stateOf(row: SessionRow): StoredSession {
  const { vendor: _v, channel: _c, language: _l, conversationId: _cv, ...state } = row;
  return state;
}

export interface SessionPlanInput {
  ops: readonly WriteOp[];
  stored: ReadonlyMap<string, StoredSession>;
  conversationIds: ReadonlyMap<string, string>;
  newId: () => string;
  now: Date;
}

/** Decides, in order, what every operation does to its session; two versions of one session in a chunk behave as if sent apart. */
export function planSessions({ ops, stored, conversationIds, newId, now }: SessionPlanInput): SessionPlan {
  const working = new Map<string, Working>();
  const current = (key: string): Working | undefined => {
    let w = working.get(key);
    if (w === undefined) {
      const s = stored.get(key);
      if (s === undefined) return undefined;
      w = { state: s, row: null, origin: 'stored', patched: false, dataChanged: false };
      working.set(key, w);
    }
    return w;
  };
  const events: SessionEvent[] = [];
  const created: SessionPlan['created'] = [];
  const conversationOf = (s: NormalizedSession) => (s.conversationExternalId === null ? null : (conversationIds.get(s.conversationExternalId) ?? null));

  const create = (key: string, session: NormalizedSession, contentHash: string): Working => {
    const row = rowFromSnapshot(session, newId(), conversationOf(session), contentHash);
    const w: Working = { state: stateOf(row), row, origin: 'new', patched: false, dataChanged: false };
    working.set(key, w);
    created.push({ kind: row.kind, externalId: row.externalId, id: row.id });
    events.push({ kind: 'CREATED', sessionId: row.id, messageId: null, at: now });
    return w;
  };

  const patch = (w: Working, p: SessionPatch | undefined, messages: readonly NormalizedMessage[], at: Date | null = null): boolean => {
    const before = w.state;
    // A session's span covers its messages and events, whichever order they came in.
    let next = applyPatch(before, p ?? {}, timeSpan(at === null ? messages : [...messages, { timestamp: at }]));
    let dataChanged = false;
    if (p?.mergeData !== undefined) {
      const base = w.row?.data ?? before.data;
      if (base === null) throw new Error(`the writer did not load the document of session ${before.id}, which a patch merges into`);
      const merged = p.mergeData(base);
      if (canonicalJson(merged) !== canonicalJson(base)) {
        next = { ...next, data: merged };
        dataChanged = true;
      }
    }
    const changed =
      dataChanged ||
      next.status !== before.status ||
      next.outcome !== before.outcome ||
      time(next.endedAt) !== time(before.endedAt) ||
      time(next.createdAt) !== time(before.createdAt) ||
      time(next.lastActiveAt) !== time(before.lastActiveAt);
    if (!changed) return false;
    // The content hash stays the last snapshot's: replaying that snapshot changes nothing (the span only
    // widens, an end it cannot prove it is later than stays, what the patch merged stays).
    w.state = next;
    if (w.row !== null) w.row = { ...w.row, ...w.state, data: w.state.data ?? w.row.data };
    else {
      w.patched = true;
      w.dataChanged ||= dataChanged;
    }
    events.push({ kind: statusEvent(before.status, next.status), sessionId: before.id, messageId: null, at: now });
    return true;
  };

  const plans: OpSessionPlan[] = ops.map((op) => {
    const { kind, externalId } = sessionKeyOf(op);
    const key = sessionKey(kind, externalId);
    const w = current(key);
    if (op.type === 'snapshot') {
      const hash = op.documentHash ?? snapshotHash(op.session, op.messageMode);
      if (w === undefined && op.botIdFromStored !== undefined) {
        return { key, sessionId: null, created: false, changed: false, mode: 'pend', rejected: op.botIdFromStored };
      }
      if (w === undefined) {
        const made = create(key, op.session, hash);
        return { key, sessionId: made.state.id, created: true, changed: true, mode: op.messageMode, rejected: null };
      }
      const sessionId = w.state.id;
      if (w.state.contentHash === hash) return { key, sessionId, created: false, changed: false, mode: 'skip', rejected: null };
      if (isOlderSnapshot(op.session, hash, w.state))
        return { key, sessionId, created: false, changed: false, mode: op.messageMode === 'upsert' ? 'insert-only' : op.messageMode, rejected: null };
      const before = w.state;
      const row: SessionRow = {
        ...rowFromSnapshot(op.session, sessionId, conversationOf(op.session), hash),
        ...(op.botIdFromStored === undefined ? {} : { botId: before.botId }),
        ...statusAfterSnapshot(op.session, before),
        // Times Parley had to stand in for (a vendor that sends none) only ever widen the session's span.
        createdAt: earlier(before.createdAt, op.session.createdAt),
        lastActiveAt: later(before.lastActiveAt, op.session.lastActiveAt),
      };
      w.row = row;
      w.state = stateOf(row);
      events.push({ kind: statusEvent(before.status, row.status), sessionId, messageId: null, at: now });
      return { key, sessionId, created: false, changed: true, mode: op.messageMode, rejected: null };
    }
    if (w !== undefined) {
      const changed = patch(w, op.patch, op.messages, op.at ?? null);
      return { key, sessionId: w.state.id, created: false, changed, mode: op.insertOnly ? 'insert-only' : 'upsert', rejected: null };
    }
    const { whenMissing } = op;
    if ('reject' in whenMissing) return { key, sessionId: null, created: false, changed: false, mode: 'pend', rejected: whenMissing.reject };
    if ('pend' in whenMissing) return { key, sessionId: null, created: false, changed: false, mode: 'pend', rejected: null };
    // A stub is not a snapshot: its hash is empty, so the vendor's first real snapshot always applies.
    const made = create(key, whenMissing.stub, '');
    // Its own patch (a Chatlayer offload that names a session Parley has not seen) goes into the new row.
    if (op.patch !== undefined || op.messages.length > 0) {
      const eventsBefore = events.length;
      patch(made, op.patch, op.messages, op.at ?? null);
      events.length = eventsBefore;
    }
    return { key, sessionId: made.state.id, created: true, changed: true, mode: 'upsert', rejected: null };
  });

  // A turn that came before its session in the same chunk joins the session directly (and its span).
  plans.forEach((plan, index) => {
    const op = ops[index]!;
    if (plan.mode !== 'pend' || plan.rejected !== null || op.type !== 'messages') return;
    const w = working.get(plan.key);
    if (w === undefined) return;
    Object.assign(plan, { sessionId: w.state.id, mode: 'upsert' satisfies MessagePlanMode });
    const eventsBefore = events.length;
    patch(w, undefined, op.messages, op.at ?? null);
    events.length = eventsBefore;
  });

  const inserts: SessionRow[] = [];
  const updates: SessionRow[] = [];
  const patches: SessionPatchRow[] = [];
  const ids = new Map<string, string>();
  for (const [key, w] of working) {
    ids.set(key, w.state.id);
    if (w.origin === 'new' && w.row !== null) inserts.push(w.row);
    else if (w.row !== null) updates.push(w.row);
    else if (w.patched) {
      const { id, status, outcome, endedAt, createdAt, lastActiveAt } = w.state;
      patches.push({ id, status, outcome, endedAt, createdAt, lastActiveAt, data: w.dataChanged ? w.state.data : null });
    }
  }
  return { inserts, updates, patches, ops: plans, events, ids, created };
}

/**
 * Sessions created in this chunk whose waiting messages were claimed: their span covers those messages,
 * as it would had the messages come after them.
 */
export function widenForClaimed(sessions: SessionPlan, claimed: ReadonlyMap<string, readonly { message: NormalizedMessage }[]>): SessionPlan {
  if (claimed.size === 0) return sessions;
  const inserts = sessions.inserts.map((row) => {
    const span = timeSpan((claimed.get(row.id) ?? []).map((c) => c.message));
    return span === null ? row : { ...row, createdAt: earlier(row.createdAt, span.first), lastActiveAt: later(row.lastActiveAt, span.last) };
  });
  return { ...sessions, inserts };
}

/** The conversations a chunk names (their external ids), to be created before its sessions refer to them. */
export function conversationExternalIds(ops: readonly WriteOp[]): string[] {
  return ops.flatMap((op) => {
    const session = op.type === 'snapshot' ? op.session : 'stub' in op.whenMissing ? op.whenMissing.stub : null;
    return session?.conversationExternalId ? [session.conversationExternalId] : [];
  });
}

/** The sessions whose stored document must be read: a patch merges into it. */
export function sessionsMergingData(ops: readonly WriteOp[]): Set<string> {
  return new Set(ops.flatMap((op) => (op.type === 'messages' && op.patch?.mergeData ? [sessionKey(op.kind, op.externalId)] : [])));
}

/** What must be read of stored messages before they can be planned. */
export interface MessageLookups {
  /** Stored messages that incoming ones may replace (by session and key). */
  messages: { sessionId: string; key: string }[];
  /** Waiting messages that incoming waiting ones may replace (by session reference and key). */
  pending: { kind: SessionKind; externalId: string; key: string }[];
  /** Sessions whose latest user text decides whether a snapshot's text is new. */
  latestUserText: string[];
}

/**
 * Which stored rows the message plan compares against. A session created in this chunk has no stored
 * messages to compare with, so only sessions that `existing` holds are looked up.
 */
export function messageLookups(ops: readonly WriteOp[], sessions: SessionPlan, existing: ReadonlySet<string>): MessageLookups {
  const lookups: MessageLookups = { messages: [], pending: [], latestUserText: [] };
  ops.forEach((op, index) => {
    const plan = sessions.ops[index]!;
    if (plan.rejected !== null || plan.mode === 'skip') return;
    const messages = op.type === 'snapshot' ? op.session.messages : op.messages;
    if (plan.mode === 'pend') {
      const ref = sessionKeyOf(op);
      for (const m of messages) lookups.pending.push({ ...ref, key: m.key });
    } else if (!existing.has(plan.sessionId!)) {
      return;
    } else if (plan.mode === 'append-new-text') {
      lookups.latestUserText.push(plan.sessionId!);
    } else {
      for (const m of messages) lookups.messages.push({ sessionId: plan.sessionId!, key: m.key });
    }
  });
  return lookups;
}

// ---- messages ----

/** A Message row as written. */
export interface MessageRow {
  id: string;
  sessionId: string;
  key: string;
  sequence: number;
  ordinal: number;
  sender: string;
  type: string;
  text: string | null;
  choices: MessageChoice[] | null;
  timestamp: Date | null;
  intent: string | null;
  data: JsonValue;
  contentHash: string;
}

/** A message waiting for its session, as written. */
export interface PendingRow {
  kind: SessionKind;
  sessionExternalId: string;
  key: string;
  message: NormalizedMessage;
  contentHash: string;
}

export interface MessagePlanInput {
  ops: readonly WriteOp[];
  sessions: SessionPlan;
  /** Stored messages among the incoming keys, by messageSlot(sessionId, key): their content hash. */
  storedMessages: ReadonlyMap<string, string>;
  /** Waiting messages moved to sessions created in this chunk. */
  claimed: ReadonlyMap<string, readonly { message: NormalizedMessage; contentHash: string }[]>;
  /** The latest stored user message of sessions fed by `append-new-text` snapshots. */
  latestUserText: ReadonlyMap<string, { text: string | null; sequence: number }>;
  /** Waiting messages among the incoming ones, by sessionKey + key: their content hash. */
  storedPending: ReadonlyMap<string, string>;
  newId: () => string;
  now: Date;
}

export interface MessagePlan {
  inserts: MessageRow[];
  updates: MessageRow[];
  pendInserts: PendingRow[];
  pendUpdates: PendingRow[];
  /** Per operation: did it add, change or leave its messages; are they waiting. */
  effects: { inserted: boolean; updated: boolean; pendingNew: boolean; pendingChanged: boolean }[];
  events: SessionEvent[];
}

function toRow(id: string, sessionId: string, message: NormalizedMessage, contentHash: string): MessageRow {
  return {
    id,
    sessionId,
    key: message.key,
    sequence: message.sequence,
    ordinal: message.ordinal,
    sender: message.sender,
    type: message.type,
    text: message.text,
    choices: message.choices,
    timestamp: message.timestamp,
    intent: message.intent,
    data: message.data,
    contentHash,
  };
}

export function planMessages({ ops, sessions, storedMessages, claimed, latestUserText, storedPending, newId, now }: MessagePlanInput): MessagePlan {
  // The chunk's own view: stored hashes overlaid with what the chunk writes.
  const written = new Map<string, { row: MessageRow; isNew: boolean }>();
  const effects = ops.map(() => ({ inserted: false, updated: false, pendingNew: false, pendingChanged: false }));
  const events: SessionEvent[] = [];

  const put = (sessionId: string, message: NormalizedMessage, contentHash: string, mode: 'upsert' | 'insert-only', op: number | null): void => {
    const slot = messageSlot(sessionId, message.key);
    const inChunk = written.get(slot);
    const storedHash = inChunk === undefined ? storedMessages.get(slot) : undefined;
    if (inChunk === undefined && storedHash === undefined) {
      const row = toRow(newId(), sessionId, message, contentHash);
      written.set(slot, { row, isNew: true });
      events.push({ kind: 'MESSAGE_ADDED', sessionId, messageId: row.id, at: now });
      if (op !== null) effects[op]!.inserted = true;
      return;
    }
    const currentHash = inChunk?.row.contentHash ?? storedHash;
    if (currentHash === contentHash || mode === 'insert-only') return;
    const id = inChunk?.row.id ?? '';
    written.set(slot, { row: toRow(id, sessionId, message, contentHash), isNew: inChunk?.isNew ?? false });
    if (op !== null) effects[op]!.updated = true;
  };

  for (const [sessionId, list] of claimed) for (const { message, contentHash } of list) put(sessionId, message, contentHash, 'upsert', null);

  const pending = new Map<string, PendingRow & { isNew: boolean }>();
  ops.forEach((op, index) => {
    const plan = sessions.ops[index]!;
    if (plan.rejected !== null || plan.mode === 'skip') return;
    const messages = op.type === 'snapshot' ? op.session.messages : op.messages;
    if (plan.mode === 'pend') {
      if (op.type !== 'messages') return;
      for (const message of messages) {
        const slot = `${plan.key}\u0000${message.key}`;
        const hash = messageHash(message);
        const before = pending.get(slot)?.contentHash ?? storedPending.get(slot);
        if (before === hash) continue;
        const isNew = pending.get(slot)?.isNew ?? before === undefined;
        pending.set(slot, { kind: op.kind, sessionExternalId: op.externalId, key: message.key, message, contentHash: hash, isNew });
        if (isNew) effects[index]!.pendingNew = true;
        else effects[index]!.pendingChanged = true;
      }
      return;
    }
    const sessionId = plan.sessionId!;
    if (plan.mode === 'append-new-text') {
      let last = latestUserText.get(sessionId);
      for (const message of messages) {
        if (last !== undefined && last.text === message.text) continue;
        // Placed after the transcript: on receipt, but never before the latest stored message.
        const sequence = Math.max(message.sequence, (last?.sequence ?? 0) + 1);
        const placed = { ...message, sequence, key: `snapshot:${String(sequence)}` };
        put(sessionId, placed, messageHash(placed), 'upsert', index);
        last = { text: message.text, sequence };
      }
      return;
    }
    for (const message of messages) put(sessionId, message, messageHash(message), plan.mode === 'insert-only' ? 'insert-only' : 'upsert', index);
  });

  const inserts: MessageRow[] = [];
  const updates: MessageRow[] = [];
  for (const { row, isNew } of written.values()) (isNew ? inserts : updates).push(row);
  const pendInserts: PendingRow[] = [];
  const pendUpdates: PendingRow[] = [];
  for (const { isNew, ...row } of pending.values()) (isNew ? pendInserts : pendUpdates).push(row);
  return { inserts, updates, pendInserts, pendUpdates, effects, events };
}

// ---- results ----

/** What each operation did, from its session's and its messages' plans. */
export function opOutcomes(ops: readonly WriteOp[], sessions: SessionPlan, messages: MessagePlan): OpOutcome[] {
  return ops.map((op, index): OpOutcome => {
    const plan = sessions.ops[index]!;
    if (plan.rejected !== null) return { rejected: plan.rejected };
    const effect = messages.effects[index]!;
    const pending = plan.mode === 'pend';
    let result: WriteResult = 'unchanged';
    if (plan.created) result = 'created';
    // A message new to a stored session makes a snapshot "updated"; a turn or event carrying it is itself new.
    else if (op.type === 'messages' && (effect.inserted || effect.pendingNew)) result = 'created';
    else if (plan.changed || effect.inserted || effect.updated || effect.pendingChanged) result = 'updated';
    return { result, pending };
  });
}
