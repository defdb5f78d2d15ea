import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { botFlowFixtures, SLOTS_PER_TURN, type BotFlowSessionWithTurns } from '../../../src/vendors/genesys-bot-flow/index.js';
import { normalizeSessionWithTurns, normalizeTurns } from '../../../src/vendors/genesys-bot-flow/normalize.js';
import { validateBotFlowSession, validateReportingTurn } from '../../../src/vendors/genesys-bot-flow/validate.js';
import { expectMessagesStorable, expectStorable, jsonish, mutated, RECEIVED_AT, RUNS } from '../../helpers/vendor-fuzz.js';

const base = (): BotFlowSessionWithTurns => JSON.parse(JSON.stringify(botFlowFixtures[0])) as BotFlowSessionWithTurns;
const allTurns = botFlowFixtures.flatMap((s) => s.turns ?? []);
const turn = () => JSON.parse(JSON.stringify(allTurns[0])) as Record<string, unknown>;

function sessionErrors(value: unknown) {
  const result = validateBotFlowSession(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}
function turnErrors(value: unknown) {
  const result = validateReportingTurn(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

function sessionTotality(value: unknown): void {
  const result = validateBotFlowSession(value);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(20);
    return;
  }
  expectStorable(normalizeSessionWithTurns(result.value, RECEIVED_AT), (value as { id: unknown }).id);
}

function turnTotality(value: unknown): void {
  const result = validateReportingTurn(value);
  if (!result.ok) return;
  expect(typeof result.value.sessionId).toBe('string');
  // A turn alone, and attached to its session with the fixtures' other turns (same-millisecond clashes included).
  expectMessagesStorable(normalizeTurns([result.value]));
  const session = normalizeSessionWithTurns(
    { id: result.value.sessionId, turns: [result.value, ...allTurns.map((t) => ({ ...t, sessionId: result.value.sessionId })), result.value] },
    RECEIVED_AT,
  );
  expectStorable(session, result.value.sessionId);
}

describe('validateBotFlowSession', () => {
  it('accepts every demo fixture (with turns), returning it unchanged', () => {
    for (const fixture of botFlowFixtures) expect(validateBotFlowSession(fixture)).toEqual({ ok: true, value: fixture });
  });

  it('rejects non-objects at the root and requires the id', () => {
    expect(sessionErrors([])).toEqual([{ path: '$', message: 'must be a JSON object' }]);
    expect(sessionErrors({ language: 'en' })).toEqual([{ path: '$.id', message: 'is required' }]);
    expect(sessionErrors({ id: '' })).toEqual([{ path: '$.id', message: 'must not be empty' }]);
  });

  it('type-checks nested models', () => {
    const doc = { ...base(), flow: { id: 1 }, channel: { name: 'Call', inputModes: 'Voice', outputModes: [], userAgent: {} }, conversation: [] };
    expect(sessionErrors(doc)).toEqual([
      { path: '$.flow.id', message: 'must be a string' },
      { path: '$.channel.inputModes', message: 'must be an array' },
      { path: '$.conversation', message: 'must be a JSON object' },
    ]);
  });

  it('accepts a channel without what the SDK marks required (userAgent, its name), warning with the paths', () => {
    const { userAgent: _u, inputModes: _i, ...channel } = base().channel!;
    const result = validateBotFlowSession({ ...base(), channel });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.warnings).toEqual([
      { path: '$.channel.inputModes', message: "is required by the vendor's model; the item was stored without it" },
      { path: '$.channel.userAgent', message: "is required by the vendor's model; the item was stored without it" },
    ]);
    const nameless = validateBotFlowSession({ ...base(), channel: { ...base().channel, userAgent: {} } });
    expect(nameless.ok && nameless.warnings).toEqual([
      { path: '$.channel.userAgent.name', message: "is required by the vendor's model; the item was stored without it" },
    ]);
  });

  it('keeps unknown enum values', () => {
    expect(
      validateBotFlowSession({
        ...base(),
        botResult: 'ExitRequestedByPolicy',
        botResultCategory: 'Whatever',
        channel: { name: 'Hologram', inputModes: ['Telepathy'], outputModes: [], userAgent: { name: 'X' } },
      }).ok,
    ).toBe(true);
  });

  it('checks dates', () => {
    expect(sessionErrors({ ...base(), dateCreated: 'yesterday' })).toEqual([{ path: '$.dateCreated', message: 'must be a date-time (ISO 8601) string' }]);
    expect(sessionErrors({ ...base(), dateCompleted: '9999-12-31T23:59:59Z' })).toEqual([
      { path: '$.dateCompleted', message: 'must be a date between 1970 and 2199' },
    ]);
  });

  it('refuses a turn of another session, and a turn without a time', () => {
    const doc = base();
    const turns = doc.turns ?? [];
    turns[1] = { ...turns[1], sessionId: 'someone-else' };
    turns[2] = { botPrompts: ['hi'] };
    expect(sessionErrors(doc)).toEqual([
      { path: '$.turns[1].sessionId', message: 'must be the id of the session it is sent with, or be left out' },
      { path: '$.turns[2].dateCreated', message: 'is required (or dateCompleted): the turn time orders its messages' },
    ]);
  });

  it('never throws on arbitrary JSON, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, sessionTotality), RUNS);
  });

  it('never throws on mutated fixtures, and what it accepts normalises with unique safe sequences', () => {
    fc.assert(fc.property(mutated(botFlowFixtures), sessionTotality), RUNS);
  });
});

describe('validateReportingTurn', () => {
  it('accepts every demo turn', () => {
    for (const t of allTurns) expect(validateReportingTurn(t)).toEqual({ ok: true, value: t });
  });

  it('requires the session id and a time', () => {
    const { sessionId: _s, dateCreated: _c, dateCompleted: _d, ...rest } = turn();
    expect(turnErrors(rest)).toEqual([
      { path: '$.sessionId', message: 'is required' },
      { path: '$.dateCreated', message: 'is required (or dateCompleted): the turn time orders its messages' },
    ]);
    const { dateCreated: _only, ...completedOnly } = turn();
    expect(validateReportingTurn(completedOnly).ok).toBe(true);
  });

  it('type-checks nested fields', () => {
    expect(turnErrors({ ...turn(), botPrompts: ['a', 2], intent: { slots: [{ confidence: 'high' }] } })).toEqual([
      { path: '$.botPrompts[1]', message: 'must be a string' },
      { path: '$.intent.slots[0].confidence', message: 'must be a number' },
    ]);
  });

  it('limits a turn to the messages its sequence range holds', () => {
    const prompts = Array.from({ length: SLOTS_PER_TURN }, (_, i) => `p${String(i)}`);
    expect(validateReportingTurn({ ...turn(), botPrompts: prompts, userInput: '' }).ok).toBe(true);
    expect(turnErrors({ ...turn(), botPrompts: prompts, userInput: 'one more' })).toEqual([
      { path: '$.botPrompts', message: 'must have at most 1000 items including the user input (a turn holds at most 1000 messages)' },
    ]);
  });

  it('refuses turn times whose sequences would not be safe integers', () => {
    expect(turnErrors({ ...turn(), dateCreated: '2999-01-01T00:00:00Z' })).toEqual([
      { path: '$.dateCreated', message: 'must be a date between 1970 and 2199' },
    ]);
  });

  it('never throws on arbitrary JSON or mutated turns, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, turnTotality), RUNS);
    fc.assert(fc.property(mutated(allTurns), turnTotality), RUNS);
  });
});
