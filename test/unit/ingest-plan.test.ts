// The writer's decisions as pure functions: the same snapshots and patches give the same stored state
// in any order, ties on the vendor clock included; messages keep their identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/ingest/ops.js';
import {
  applyPatch,
  conversationExternalIds,
  isOlderSnapshot,
  messageHash,
  messageLookups,
  planMessages,
  planSessions,
  sessionsMergingData,
  snapshotHash,
  type StoredSession,
} from '../../src/ingest/plan.js';
import type { NormalizedSession } from '../../src/vendors/normalized.js';
import { makeMessages, makeSession } from '../helpers/sessions.js';

const NOW = new Date('2026-11-20T12:00:00Z');
let counter = 0;
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** Applies snapshots one chunk at a time, as the writer does, carrying the stored state between chunks. */
function applyInOrder(snapshots: readonly NormalizedSession[]): StoredSession | undefined {
  let stored = new Map<string, StoredSession>();
  for (const session of snapshots) {
    const plan = planSessions({ ops: [{ type: 'snapshot', session, messageMode: 'upsert' }], stored, conversationIds: new Map(), newId, now: NOW });
    const row = plan.inserts[0] ?? plan.updates[0];
    if (row) {
      const { vendor: _v, channel: _c, language: _l, conversationId: _cv, ...state } = row;
      stored = new Map([[plan.ops[0]!.key, state]]);
    }
  }
  return [...stored.values()][0];
}

const comparable = (s: StoredSession | undefined) => s && { ...s, id: undefined };

const snapshot = fc
  .record({
    minute: fc.integer({ min: 0, max: 5 }),
    status: fc.constantFrom('ACTIVE', 'ENDED', 'TRANSFERRED'),
    note: fc.constantFrom('a', 'b', 'c'),
    dated: fc.boolean(),
  })
  .map(({ minute, status, note, dated }) => {
    const at = new Date(Date.UTC(2026, 10, 20, 10, minute));
    return makeSession({
      externalId: 'order-independent',
      status: status as NormalizedSession['status'],
      outcome: status === 'ACTIVE' ? null : status === 'ENDED' ? 'COMPLETED' : 'ESCALATED',
      endedAt: status === 'ACTIVE' ? null : at,
      createdAt: new Date(Date.UTC(2026, 10, 20, 10, 0)),
      lastActiveAt: at,
      sourceUpdatedAt: dated ? at : null,
      data: { note, minute },
    });
  });

describe('planSessions', () => {
  it('stores the same state whatever the order of dated snapshots, ties on the clock included', () => {
    fc.assert(
      fc.property(
        fc.array(
          snapshot.filter((s) => s.sourceUpdatedAt !== null),
          { minLength: 1, maxLength: 6 },
        ),
        (snapshots) => {
          const forward = applyInOrder(snapshots);
          const backward = applyInOrder([...snapshots].reverse());
          expect(comparable(backward)).toEqual(comparable(forward));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never reopens an end with a snapshot that cannot prove it is later', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (first, second) => {
        const state = applyInOrder([first, second])!;
        const ended = first.status !== 'ACTIVE' ? first : null;
        const proves = second.sourceUpdatedAt !== null && ended !== null && second.sourceUpdatedAt > (ended.endedAt ?? ended.sourceUpdatedAt ?? new Date(0));
        if (ended !== null && second.status === 'ACTIVE' && !proves) expect(state.status).not.toBe('ACTIVE');
      }),
      { numRuns: 500 },
    );
  });

  it('breaks a tie on the clock the same way from both sides', () => {
    const a = makeSession({ sourceUpdatedAt: NOW, data: { v: 'a' } });
    const b = { ...a, data: { v: 'b' } };
    const stored = (s: NormalizedSession): StoredSession => ({ ...s, id: 'x', botId: s.botId, contentHash: snapshotHash(s, 'upsert'), data: null });
    expect(isOlderSnapshot(a, snapshotHash(a, 'upsert'), stored(b))).toBe(!isOlderSnapshot(b, snapshotHash(b, 'upsert'), stored(a)));
  });
});

describe('applyPatch', () => {
  const base = {
    status: 'ACTIVE' as const,
    outcome: null,
    endedAt: null,
    createdAt: new Date('2026-11-20T10:00:00Z'),
    lastActiveAt: new Date('2026-11-20T10:00:00Z'),
  };
  const at = (iso: string) => ({ first: new Date(iso), last: new Date(iso) });
  const escalate = { outcome: 'ESCALATED' as const };
  const end = { status: 'ENDED' as const, outcome: 'USER_EXITED' as const, endedAt: new Date('2026-11-20T10:05:00Z') };
  const offload = { status: 'TRANSFERRED' as const, outcome: 'ESCALATED' as const, endedAt: new Date('2026-11-20T10:03:00Z') };

  it('combines an escalation and an end the same way in either order', () => {
    const one = applyPatch(applyPatch(base, escalate, null), end, null);
    const two = applyPatch(applyPatch(base, end, null), escalate, null);
    expect(one).toEqual(two);
    expect(one).toMatchObject({ status: 'TRANSFERRED', outcome: 'ESCALATED' });
  });

  it('keeps the first end time; the span only widens (createdAt earlier, lastActiveAt later)', () => {
    const one = applyPatch(applyPatch(base, end, at('2026-11-20T10:05:00Z')), offload, at('2026-11-20T09:59:00Z'));
    const two = applyPatch(applyPatch(base, offload, at('2026-11-20T09:59:00Z')), end, at('2026-11-20T10:05:00Z'));
    expect(one).toEqual(two);
    expect(one.endedAt).toEqual(new Date('2026-11-20T10:03:00Z'));
    expect(one.lastActiveAt).toEqual(new Date('2026-11-20T10:05:00Z'));
    expect(one.createdAt).toEqual(new Date('2026-11-20T09:59:00Z'));
  });
});

describe('planMessages', () => {
  it('adds messages with new keys, changes a stored one only for a newer snapshot, and counts replays as nothing', () => {
    const session = makeSession({ externalId: 's', messages: makeMessages(3) });
    const ops: WriteOp[] = [{ type: 'snapshot', session, messageMode: 'upsert' }];
    const stored = new Map<string, StoredSession>([['EINSTEIN_BOT\u0000s', { ...session, id: 'sid', botId: 'bot-a', contentHash: 'older', data: null }]]);
    const sessions = planSessions({ ops, stored, conversationIds: new Map(), newId, now: NOW });
    const hashes = new Map([
      ['sid\u0000seq:1', 'different'],
      ['sid\u0000seq:2', messageHash(session.messages[1]!)],
    ]);
    const plan = planMessages({
      ops,
      sessions,
      storedMessages: hashes,
      claimed: new Map(),
      latestUserText: new Map(),
      storedPending: new Map(),
      newId,
      now: NOW,
    });
    expect(plan.inserts.map((m) => m.key)).toEqual(['seq:3']);
    expect(plan.updates.map((m) => m.key)).toEqual(['seq:1']);
    expect(plan.events.filter((e) => e.kind === 'MESSAGE_ADDED')).toHaveLength(1);
  });
});

describe('what the writer reads before it plans', () => {
  const storedFor = (session: NormalizedSession, id: string, contentHash = 'older') =>
    new Map<string, StoredSession>([[`${session.kind}\u0000${session.externalId}`, { ...session, id, botId: session.botId, contentHash, data: null }]]);

  it('names the conversations of snapshots and of the sessions events would create', () => {
    const ops: WriteOp[] = [
      { type: 'snapshot', session: makeSession({ conversationExternalId: 'conv-1' }), messageMode: 'upsert' },
      { type: 'snapshot', session: makeSession({ conversationExternalId: null }), messageMode: 'upsert' },
      { type: 'messages', kind: 'CHATLAYER', externalId: 'x', messages: [], whenMissing: { stub: makeSession({ conversationExternalId: 'conv-2' }) } },
      { type: 'messages', kind: 'BOT_FLOW', externalId: 'y', messages: [], whenMissing: { pend: true } },
    ];
    expect(conversationExternalIds(ops)).toEqual(['conv-1', 'conv-2']);
  });

  it('reads the stored document only of sessions a patch merges into', () => {
    const ops: WriteOp[] = [
      { type: 'messages', kind: 'EINSTEIN_BOT', externalId: 'a', messages: [], whenMissing: { pend: true }, patch: { mergeData: (d) => d } },
      { type: 'messages', kind: 'EINSTEIN_BOT', externalId: 'b', messages: [], whenMissing: { pend: true }, patch: { status: 'ENDED' } },
      { type: 'snapshot', session: makeSession({ externalId: 'c' }), messageMode: 'upsert' },
    ];
    expect([...sessionsMergingData(ops)]).toEqual(['EINSTEIN_BOT\u0000a']);
  });

  it('looks up stored messages of existing sessions only, waiting ones by reference, and the latest user text for appended snapshots', () => {
    const existing = makeSession({ externalId: 'existing', messages: makeMessages(2) });
    const unchanged = makeSession({ externalId: 'unchanged', messages: makeMessages(1) });
    const appended = makeSession({ externalId: 'appended', kind: 'CHATLAYER', vendor: 'CHATLAYER', messages: makeMessages(1) });
    const ops: WriteOp[] = [
      { type: 'snapshot', session: existing, messageMode: 'upsert' },
      { type: 'snapshot', session: makeSession({ externalId: 'new', messages: makeMessages(3) }), messageMode: 'upsert' },
      { type: 'snapshot', session: unchanged, messageMode: 'upsert' },
      { type: 'snapshot', session: appended, messageMode: 'append-new-text' },
      { type: 'messages', kind: 'BOT_FLOW', externalId: 'waiting', messages: makeMessages(1, 7), whenMissing: { pend: true } },
    ];
    const stored = new Map([
      ...storedFor(existing, 'sid-existing'),
      ...storedFor(unchanged, 'sid-unchanged', snapshotHash(unchanged, 'upsert')),
      ...storedFor(appended, 'sid-appended'),
    ]);
    const sessions = planSessions({ ops, stored, conversationIds: new Map(), newId, now: NOW });
    const lookups = messageLookups(ops, sessions, new Set(['sid-existing', 'sid-unchanged', 'sid-appended']));
    expect(lookups.messages).toEqual([
      { sessionId: 'sid-existing', key: 'seq:1' },
      { sessionId: 'sid-existing', key: 'seq:2' },
    ]);
    expect(lookups.latestUserText).toEqual(['sid-appended']);
    expect(lookups.pending).toEqual([{ kind: 'BOT_FLOW', externalId: 'waiting', key: 'seq:7' }]);
  });
});
