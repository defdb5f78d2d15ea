// The writer's decisions as pure functions: the same snapshots and patches give the same stored state
// in any order, ties on the vendor clock included; messages keep their identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/ingest/ops.js';
import { applyPatch, isOlderSnapshot, messageHash, planMessages, planSessions, snapshotHash, type StoredSession } from '../../src/ingest/plan.js';
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

const snapshot = fc.record({
  minute: fc.integer({ min: 0, max: 5 }),
  status: fc.constantFrom('ACTIVE', 'ENDED', 'TRANSFERRED'),
  note: fc.constantFrom('a', 'b', 'c'),
  dated: fc.boolean(),
}).map(({ minute, status, note, dated }) => {
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
      fc.property(fc.array(snapshot.filter((s) => s.sourceUpdatedAt !== null), { minLength: 1, maxLength: 6 }), (snapshots) => {
        const forward = applyInOrder(snapshots);
        const backward = applyInOrder([...snapshots].reverse());
        expect(comparable(backward)).toEqual(comparable(forward));
      }),
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
  const base = { status: 'ACTIVE' as const, outcome: null, endedAt: null, createdAt: new Date('2026-11-20T10:00:00Z'), lastActiveAt: new Date('2026-11-20T10:00:00Z') };
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
    const hashes = new Map([['sid\u0000seq:1', 'different'], ['sid\u0000seq:2', messageHash(session.messages[1]!)]]);
    const plan = planMessages({ ops, sessions, storedMessages: hashes, claimed: new Map(), latestUserText: new Map(), storedPending: new Map(), newId, now: NOW });
    expect(plan.inserts.map((m) => m.key)).toEqual(['seq:3']);
    expect(plan.updates.map((m) => m.key)).toEqual(['seq:1']);
    expect(plan.events.filter((e) => e.kind === 'MESSAGE_ADDED')).toHaveLength(1);
  });
});
