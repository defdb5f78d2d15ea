import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chatlayerDemoCases,
  chatlayerFixtures,
  type ChatlayerFlatSession,
  type ChatlayerSessionData,
  type ChatlayerWebhookEvent,
} from '../../../src/vendors/chatlayer/index.js';
import { normalizeChatlayerSession, normalizeChatlayerSnapshot, normalizeWebhookEvent, splitSessionData } from '../../../src/vendors/chatlayer/normalize.js';
import { validateChatlayerSession, validateChatlayerWebhookEvent } from '../../../src/vendors/chatlayer/validate.js';
import { expectMessagesStorable, expectStorable, jsonish, mutated, RECEIVED_AT, RUNS } from '../../helpers/vendor-fuzz.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const flat = () => clone(chatlayerFixtures[0]) as unknown as Record<string, unknown>;
const wrapped = () => clone(chatlayerFixtures[1]) as unknown as Record<string, unknown>;
const allEvents = chatlayerDemoCases.flatMap((c) => c.events);
const messagesEvent = () => clone(allEvents.find((e) => e.event === 'messages')) as unknown as Record<string, unknown>;
const offloadEvent = () => clone(allEvents.find((e) => e.event === 'offload')) as unknown as Record<string, unknown>;

function sessionErrors(value: unknown) {
  const result = validateChatlayerSession(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}
function sessionWarnings(value: unknown) {
  const result = validateChatlayerSession(value);
  expect(result.ok).toBe(true);
  return result.ok ? (result.warnings ?? []) : [];
}
function eventWarnings(value: unknown) {
  const result = validateChatlayerWebhookEvent(value);
  expect(result.ok).toBe(true);
  return result.ok ? (result.warnings ?? []) : [];
}
const VENDOR_REQUIRED = "is required by the vendor's model; the item was stored without it";
function eventErrors(value: unknown) {
  const result = validateChatlayerWebhookEvent(value);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

function idOf(value: unknown): unknown {
  const v = value as { sessionId?: unknown; internal?: { sessionId?: unknown } };
  return v.internal !== undefined ? v.internal.sessionId : v.sessionId;
}

function sessionTotality(value: unknown): void {
  const result = validateChatlayerSession(value);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(20);
    return;
  }
  expectStorable(normalizeChatlayerSnapshot(result.value, RECEIVED_AT), idOf(value));
  // With the webhook events of the session it came from, as the pipeline combines them.
  const { internal } = splitSessionData(result.value);
  const events = allEvents.filter((e) => e.sessionId === internal.sessionId);
  expectStorable(normalizeChatlayerSession(result.value, events, RECEIVED_AT), internal.sessionId);
}

function eventTotality(value: unknown): void {
  const result = validateChatlayerWebhookEvent(value);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.length).toBeLessThanOrEqual(20);
    return;
  }
  const event: ChatlayerWebhookEvent = result.value;
  expect(['messages', 'offload']).toContain(event.event);
  const { messages, offloadedAt } = normalizeWebhookEvent(event);
  expectMessagesStorable(messages);
  if (offloadedAt !== null) expect(Number.isNaN(offloadedAt.getTime())).toBe(false);
  // Together with the session's snapshot and its other events (retries, overlapping transcripts).
  const demo = chatlayerDemoCases.find((c) => c.events.some((e) => e.sessionId === event.sessionId)) ?? chatlayerDemoCases[0];
  const snapshot: ChatlayerSessionData = { ...(clone(chatlayerFixtures[3]) as ChatlayerFlatSession), sessionId: event.sessionId };
  expectStorable(
    normalizeChatlayerSession(snapshot, [...(demo?.events ?? []).filter((e) => e.sessionId === event.sessionId), event, event], RECEIVED_AT),
    event.sessionId,
  );
}

describe('validateChatlayerSession', () => {
  it('accepts every demo fixture in both forms, returning it unchanged', () => {
    for (const fixture of chatlayerFixtures) expect(validateChatlayerSession(fixture)).toEqual({ ok: true, value: fixture });
  });

  it('requires only sessionId, in either form; a missing botId is a warning', () => {
    expect(sessionErrors({ version: 'LIVE' })).toEqual([{ path: '$.sessionId', message: 'is required' }]);
    expect(sessionErrors({ internal: { botId: 1 }, variables: {} })).toEqual([
      { path: '$.internal.botId', message: 'must be a string' },
      { path: '$.internal.sessionId', message: 'is required' },
    ]);
    expect(sessionErrors({ botId: '1', sessionId: '' })).toEqual([{ path: '$.sessionId', message: 'must not be empty' }]);
    expect(sessionWarnings({ sessionId: 's-1' })).toEqual([{ path: '$.botId', message: VENDOR_REQUIRED }]);
    expect(sessionWarnings({ internal: { sessionId: 's-1' } })).toEqual([{ path: '$.internal.botId', message: VENDOR_REQUIRED }]);
  });

  it("checks the user's documented names as strings and keeps the rest of the profile free", () => {
    expect(sessionErrors({ ...flat(), user: { firstName: 5, lastName: 'Doe' } })).toEqual([{ path: '$.user.firstName', message: 'must be a string' }]);
    expect(sessionWarnings({ ...flat(), user: { firstName: 'Jane', avatar: { url: 'https://example.com/a.png' } } })).toEqual([]);
  });

  it('chooses the form as normalize does: an `internal` member means form (b)', () => {
    expect(sessionErrors({ ...flat(), internal: 'x' })).toEqual([{ path: '$.internal', message: 'must be a JSON object' }]);
  });

  it('type-checks the NLP result, dialog states and variables', () => {
    const doc: Record<string, unknown> = { ...wrapped(), variables: [1] };
    (doc.internal as Record<string, unknown>).nlp = { intent: { name: 'x' }, intents: [{ name: 1, score: 1 }], entities: {} };
    (doc.internal as Record<string, unknown>).currentDialogState = { id: 5 };
    expect(sessionErrors(doc)).toEqual([
      { path: '$.internal.nlp.entities', message: 'must be an array' },
      { path: '$.internal.nlp.intents[0].name', message: 'must be a string' },
      { path: '$.internal.currentDialogState.id', message: 'must be a string' },
      { path: '$.variables', message: 'must be a JSON object' },
    ]);
    // A score without its number is incomplete, not wrong: stored as sent, with a warning.
    const incomplete: Record<string, unknown> = wrapped();
    (incomplete.internal as Record<string, unknown>).nlp = { intent: { name: 'x' } };
    expect(sessionWarnings(incomplete)).toEqual([{ path: '$.internal.nlp.intent.score', message: VENDOR_REQUIRED }]);
  });

  it('keeps unknown versions and message types, and any variables', () => {
    expect(validateChatlayerSession({ ...flat(), version: 'STAGING', messageType: 'voiceNote', variables: { a: [{ b: null }] } }).ok).toBe(true);
  });

  it('never throws on arbitrary JSON, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, sessionTotality), RUNS);
  });

  it('never throws on mutated fixtures, and what it accepts normalises', () => {
    fc.assert(fc.property(mutated(chatlayerFixtures), sessionTotality), RUNS);
  });
});

describe('validateChatlayerWebhookEvent', () => {
  it('accepts every demo event, returning it unchanged', () => {
    for (const event of allEvents) expect(validateChatlayerWebhookEvent(event)).toEqual({ ok: true, value: event });
  });

  it('rejects an unknown or missing event type clearly', () => {
    expect(eventErrors({ ...messagesEvent(), event: 'typing' })).toEqual([
      { path: '$.event', message: 'must be "messages" or "offload": Parley cannot interpret other webhook events' },
    ]);
    const { event: _e, ...rest } = messagesEvent();
    expect(eventErrors(rest)).toEqual([{ path: '$.event', message: 'is required' }]);
    expect(eventErrors(null)).toEqual([{ path: '$', message: 'must be a JSON object' }]);
  });

  it('checks the fields of each event type; what Chatlayer documents but Parley can do without is a warning', () => {
    const { messages: _m, version: _v, ...rest } = messagesEvent();
    expect(eventWarnings(rest)).toEqual([
      { path: '$.version', message: VENDOR_REQUIRED },
      { path: '$.messages', message: VENDOR_REQUIRED },
    ]);
    const { sessionId: _s, ...anonymous } = messagesEvent();
    expect(eventErrors(anonymous)).toEqual([{ path: '$.sessionId', message: 'is required' }]);
    expect(eventErrors({ ...offloadEvent(), transcript: [{ actor: 'bot', message: ['x'], timestamp: true }] })).toEqual([
      { path: '$.transcript[0].message', message: 'must be a string or a JSON object' },
      { path: '$.transcript[0].timestamp', message: 'must be a string or an integer' },
    ]);
  });

  it('accepts ISO or epoch-millisecond timestamps within range', () => {
    const ok = { ...messagesEvent(), timestamp: 1795155164100, messages: [{ actor: 'user', message: 'hi' }] };
    expect(validateChatlayerWebhookEvent(ok).ok).toBe(true);
    expect(eventErrors({ ...ok, timestamp: 1e20 })).toEqual([
      { path: '$.timestamp', message: 'must be epoch milliseconds (an integer) between 1970 and 2199' },
    ]);
    expect(eventErrors({ ...ok, timestamp: 'now' })).toEqual([{ path: '$.timestamp', message: 'must be a date-time (ISO 8601) string' }]);
  });

  it('requires a time for every message, its own or the event’s', () => {
    const doc = {
      ...messagesEvent(),
      messages: [
        { actor: 'user', message: { text: 'hi' } },
        { actor: 'bot', message: 'yo', timestamp: '2026-11-16T18:04:11.005Z' },
      ],
    };
    expect(eventErrors(doc)).toEqual([{ path: '$.messages[0].timestamp', message: 'is required when the event has no timestamp: it orders the message' }]);
    expect(validateChatlayerWebhookEvent({ ...doc, timestamp: '2026-11-16T18:04:10.000Z' }).ok).toBe(true);
  });

  it('never throws on arbitrary JSON, and what it accepts normalises', () => {
    fc.assert(fc.property(jsonish, eventTotality), RUNS);
  });

  it('never throws on mutated events, and what it accepts normalises', () => {
    fc.assert(fc.property(mutated(allEvents), eventTotality), RUNS);
  });
});
