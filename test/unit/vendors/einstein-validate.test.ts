import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { einsteinFixtures, type EinsteinBotSession } from '../../../src/vendors/einstein/index.js';
import { ingestHandlers } from '../../../src/ingest/handlers.js';
import { EMPTY_CONTEXT } from '../../../src/ingest/pipeline.js';
import { ItemRejection } from '../../../src/ingest/types.js';
import { validateEinsteinSession } from '../../../src/vendors/einstein/validate.js';
import { expectMessagesStorable, expectStorable, jsonish, mutated, RECEIVED_AT, RUNS } from '../../helpers/vendor-fuzz.js';

const base = (): EinsteinBotSession => JSON.parse(JSON.stringify(einsteinFixtures[0])) as EinsteinBotSession;

function errorsOf(value: unknown) {
  const result = validateEinsteinSession(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

function warningsOf(value: unknown) {
  const result = validateEinsteinSession(value);
  expect(result.ok).toBe(true);
  return result.ok ? (result.warnings ?? []) : [];
}

const VENDOR_REQUIRED = "is required by the vendor's model; the item was stored without it";

/** What the route does with an accepted document: a write, or a rejection only the route can decide (no session id). */
function opOf(document: EinsteinBotSession) {
  return ingestHandlers['einstein.sessions'].toOp(document as never, RECEIVED_AT, EMPTY_CONTEXT);
}

function totality(value: unknown): void {
  const result = validateEinsteinSession(value);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(20);
    return;
  }
  let op: ReturnType<typeof opOf>;
  try {
    op = opOf(result.value);
  } catch (error) {
    // Only a document without any session id is refused at this stage, at its path.
    expect(error).toBeInstanceOf(ItemRejection);
    expect((error as ItemRejection).path).toBe('$.sessionId');
    return;
  }
  if (op.type === 'snapshot') expectStorable(op.session, op.session.externalId);
  else expectMessagesStorable(op.messages);
}

describe('validateEinsteinSession', () => {
  it('accepts every demo fixture, returning it unchanged', () => {
    for (const fixture of einsteinFixtures) {
      const result = validateEinsteinSession(fixture);
      expect(result).toEqual({ ok: true, value: fixture });
    }
  });

  it('rejects non-objects at the root', () => {
    for (const value of [null, [], 1, 'x', true]) expect(errorsOf(value)).toEqual([{ path: '$', message: 'must be a JSON object' }]);
  });

  it('requires only a session id, which the route resolves; what else the seed requires is a warning', () => {
    // No session id anywhere (document, _links, query): the route refuses it at its path.
    expect(() => opOf({ status: 'Active' })).toThrow(ItemRejection);
    // No bot id and no status: a runtime response looks like this, so no warning either.
    expect(warningsOf({ sessionId: 's-1' })).toEqual([]);
    expect(warningsOf({ ...base(), messages: [{ text: 'hi' }] })).toEqual([{ path: '$.messages[0].type', message: VENDOR_REQUIRED }]);
    expect(warningsOf({ ...base(), messages: [{ type: 'Choices', choices: [{ value: 'x' }] }] })).toEqual([
      { path: '$.messages[0].choices[0].label', message: VENDOR_REQUIRED },
    ]);
  });

  it('reports wrong types in plain English', () => {
    expect(errorsOf({ ...base(), sessionEnded: 'yes', botId: 7, messages: {} })).toEqual([
      { path: '$.botId', message: 'must be a string' },
      { path: '$.messages', message: 'must be an array' },
      { path: '$.sessionEnded', message: 'must be a boolean' },
    ]);
    expect(errorsOf({ ...base(), messages: [3] })).toEqual([{ path: '$.messages[0]', message: 'must be a JSON object' }]);
    expect(errorsOf({ ...base(), messages: [{ type: 'Text', sequenceId: 1.5 }] })).toEqual([
      { path: '$.messages[0].sequenceId', message: 'must be an integer' },
    ]);
  });

  it('opens the seed enums: unknown status, sender and type are kept, lowercase API types accepted', () => {
    const doc = { ...base(), status: 'Paused', messages: [{ type: 'carousel', sender: 'Agent' }, { type: 'escalate' }, { type: 'sessionEnded' }] };
    expect(validateEinsteinSession(doc).ok).toBe(true);
  });

  it('keeps date-time, and refuses dates JavaScript cannot parse or Parley cannot store', () => {
    expect(errorsOf({ ...base(), createdDate: '17/11/2026' })).toEqual([{ path: '$.createdDate', message: 'must be a date-time (ISO 8601) string' }]);
    expect(errorsOf({ ...base(), createdDate: '2026-11-17T23:59:60Z' })).toEqual([{ path: '$.createdDate', message: 'must be a date-time (ISO 8601) string' }]);
    expect(errorsOf({ ...base(), lastActiveDate: '2026-11-17T08:55:02+01' })).toEqual([
      { path: '$.lastActiveDate', message: 'must be a date-time (ISO 8601) string' },
    ]);
    expect(errorsOf({ ...base(), createdDate: '0001-01-01T00:00:00Z' })).toEqual([{ path: '$.createdDate', message: 'must be a date between 1970 and 2199' }]);
  });

  it('requires sequenceId to be a safe integer', () => {
    const doc = { ...base(), messages: [{ type: 'Text', sequenceId: 2 ** 53 + 2 }] };
    expect(errorsOf(doc)).toEqual([{ path: '$.messages[0].sequenceId', message: 'must be a safe integer (between -9007199254740991 and 9007199254740991)' }]);
    expect(validateEinsteinSession({ ...base(), messages: [{ type: 'Text', sequenceId: 2 ** 53 - 1 }] }).ok).toBe(true);
  });

  it('requires choice indexes to be safe integers', () => {
    const doc = { ...base(), messages: [{ type: 'Choices', choices: [{ label: 'a', index: 1e300 }] }] };
    expect(errorsOf(doc)).toEqual([
      { path: '$.messages[0].choices[0].index', message: 'must be a safe integer (between -9007199254740991 and 9007199254740991)' },
    ]);
  });

  it('keeps two messages that share a sequence (sequenceId or position): their keys differ', () => {
    for (const messages of [
      [
        { type: 'Text', text: 'a', sequenceId: 5 },
        { type: 'Text', text: 'b', sequenceId: 5 },
      ],
      [
        { type: 'Text', text: 'a', sequenceId: 2 },
        { type: 'Text', text: 'b' },
      ],
    ]) {
      const op = opOf({ ...base(), messages } as EinsteinBotSession);
      expect(op.type).toBe('snapshot');
      if (op.type !== 'snapshot') return;
      expect(op.session.messages.map((m) => m.text)).toEqual(['a', 'b']);
      expect(new Set(op.session.messages.map((m) => m.key)).size).toBe(2);
    }
  });

  it('rejects an empty sessionId', () => {
    expect(errorsOf({ ...base(), sessionId: '' })).toEqual([{ path: '$.sessionId', message: 'must not be empty' }]);
  });

  it('reports all errors of an item, deduplicated, at most 20', () => {
    const messages = Array.from({ length: 50 }, () => ({ type: 1 }));
    const errors = errorsOf({ ...base(), messages });
    expect(errors).toHaveLength(20);
    expect(errors[0]).toEqual({ path: '$.messages[0].type', message: 'must be a string' });
    expect(new Set(errors.map((e) => e.path)).size).toBe(20);
  });

  it('refuses what storage cannot hold: NUL, unpaired surrogates, non-finite numbers, deep nesting', () => {
    expect(errorsOf({ ...base(), externalSessionKey: 'a\u0000b' })).toEqual([
      { path: '$.externalSessionKey', message: 'must not contain the NUL character (U+0000)' },
    ]);
    expect(errorsOf({ ...base(), extra: { 'we\u0000ird': 1 } })).toEqual([
      { path: "$.extra['we\\u0000ird']", message: 'member name must not contain the NUL character (U+0000)' },
    ]);
    expect(errorsOf({ ...base(), botId: 'x\ud800' })).toEqual([{ path: '$.botId', message: 'must be valid Unicode (it contains an unpaired surrogate)' }]);
    expect(errorsOf(JSON.parse('{"sessionId":"s","botId":"b","status":"Active","extra":1e999}'))).toEqual([
      { path: '$.extra', message: 'must be a finite number' },
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const errors = errorsOf({ ...base(), extra: deep });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('is nested too deeply (more than 64 levels)');
  });

  it('survives __proto__ and other prototype member names', () => {
    const doc = JSON.parse(
      '{"sessionId":"s","botId":"b","status":"Active","__proto__":{"sessionId":1},"constructor":1,"messages":[{"type":"Text","__proto__":null}]}',
    ) as unknown;
    const result = validateEinsteinSession(doc);
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).sessionId).toBeUndefined();
  });

  it('never throws on arbitrary JSON, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, totality), RUNS);
  });

  it('never throws on mutated fixtures, and what it accepts normalises with unique keys and safe sequences', () => {
    fc.assert(fc.property(mutated(einsteinFixtures), totality), RUNS);
  });
});
