import { describe, expect, it } from 'vitest';
import { genesysJourneyModule, journeyFixtures, normalizeJourneySession, type JourneySession } from '../../../src/vendors/genesys-journey/index.js';
import { DEMO_SHARED_CONVERSATION_ID } from '../../../src/vendors/demo-conversation.js';

const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

function session(fields: Partial<JourneySession> = {}): JourneySession {
  return {
    id: '0a4c7e1b-3d6f-4a9c-8e2b-5d7f9a1c3e54',
    type: 'Web',
    externalId: 'web-7f3c91d2',
    browser: {
      family: 'Chrome',
      version: '142.0',
      lang: 'en-US',
      featuresFlash: false,
      featuresJava: false,
      featuresPdf: true,
      featuresWebrtc: true,
    },
    createdDate: '2026-11-17T08:50:00.000Z',
    lastEvent: { id: 'e1', eventName: 'page_viewed', createdDate: '2026-11-17T08:55:00.000Z' },
    conversation: { id: '11111111-2222-4333-8444-555555555555' },
    ...fields,
  };
}

describe('Genesys journey session mapping', () => {
  it('maps id, type and browser language; no bot, no messages', () => {
    const s = normalizeJourneySession(session(), RECEIVED_AT);
    expect(s).toMatchObject({
      kind: 'JOURNEY',
      vendor: 'GENESYS_CLOUD',
      externalId: '0a4c7e1b-3d6f-4a9c-8e2b-5d7f9a1c3e54',
      botId: null,
      channel: 'web',
      language: 'en-us',
      conversationExternalId: '11111111-2222-4333-8444-555555555555',
    });
    expect(s.messages).toEqual([]);
    // The journey's own externalId stays in data; the interface externalId is the session id.
    expect(s.data.externalId).toBe('web-7f3c91d2');
  });

  it('has no language without a browser', () => {
    expect(normalizeJourneySession(session({ browser: undefined }), RECEIVED_AT).language).toBeNull();
  });

  it('is ACTIVE until endedDate is set, then ENDED at it', () => {
    const active = normalizeJourneySession(session(), RECEIVED_AT);
    expect(active.status).toBe('ACTIVE');
    expect(active.endedAt).toBeNull();
    const ended = normalizeJourneySession(session({ endedDate: '2026-11-17T09:20:00.000Z' }), RECEIVED_AT);
    expect(ended.status).toBe('ENDED');
    expect(ended.endedAt).toEqual(new Date('2026-11-17T09:20:00.000Z'));
  });

  it.each([
    ['Answered', undefined, 'ESCALATED'],
    ['FlowOut', undefined, 'ESCALATED'],
    ['Abandon', '2026-11-17T09:20:00.000Z', 'ABANDONED'],
    ['Unknown', '2026-11-17T09:20:00.000Z', 'UNKNOWN'],
    ['OutdatedSdkVersion', undefined, 'UNKNOWN'],
    ['Overflow', '2026-11-17T09:20:00.000Z', 'UNKNOWN'],
    [undefined, '2026-11-17T09:20:00.000Z', 'COMPLETED'],
    [undefined, undefined, null],
  ])('lastAcdOutcome %s (endedDate %s) -> %s', (acd, endedDate, outcome) => {
    const s = normalizeJourneySession(session({ lastAcdOutcome: acd, endedDate }), RECEIVED_AT);
    expect(s.outcome).toBe(outcome);
    if (acd !== undefined) expect(s.data.lastAcdOutcome).toBe(acd);
  });

  it('times: lastActiveAt and sourceUpdatedAt = lastEvent ?? endedDate ?? createdDate', () => {
    const full = normalizeJourneySession(session({ endedDate: '2026-11-17T09:20:00.000Z' }), RECEIVED_AT);
    expect(full.createdAt).toEqual(new Date('2026-11-17T08:50:00.000Z'));
    expect(full.lastActiveAt).toEqual(new Date('2026-11-17T08:55:00.000Z'));
    expect(full.sourceUpdatedAt).toEqual(new Date('2026-11-17T08:55:00.000Z'));

    const noEvent = normalizeJourneySession(session({ lastEvent: undefined, endedDate: '2026-11-17T09:20:00.000Z' }), RECEIVED_AT);
    expect(noEvent.lastActiveAt).toEqual(new Date('2026-11-17T09:20:00.000Z'));
    expect(noEvent.sourceUpdatedAt).toEqual(new Date('2026-11-17T09:20:00.000Z'));

    const onlyCreated = normalizeJourneySession(session({ lastEvent: undefined }), RECEIVED_AT);
    expect(onlyCreated.lastActiveAt).toEqual(new Date('2026-11-17T08:50:00.000Z'));
    expect(onlyCreated.sourceUpdatedAt).toEqual(new Date('2026-11-17T08:50:00.000Z'));
  });

  it('falls back to receivedAt for createdAt and never puts lastActiveAt before it', () => {
    const bare = normalizeJourneySession({ id: 'j' }, RECEIVED_AT);
    expect(bare).toMatchObject({ createdAt: RECEIVED_AT, lastActiveAt: RECEIVED_AT, sourceUpdatedAt: null, channel: null, conversationExternalId: null });
    const early = normalizeJourneySession(session({ lastEvent: { id: 'e', eventName: 'x', createdDate: '2026-11-17T08:00:00.000Z' } }), RECEIVED_AT);
    expect(early.lastActiveAt).toEqual(early.createdAt);
  });

  it('keeps the whole document in data', () => {
    const native = session({ lastAcdOutcome: 'Overflow', originatingDirection: 'Sideways' });
    expect(normalizeJourneySession(native, RECEIVED_AT).data).toEqual(native);
  });
});

describe('Genesys journey demo fixtures', () => {
  const sessions = genesysJourneyModule.demoSessions(RECEIVED_AT);

  it('normalise without throwing and keep every native field', () => {
    expect(sessions).toHaveLength(journeyFixtures.length);
    journeyFixtures.forEach((fixture, i) => {
      expect(sessions[i]!.data).toEqual(fixture);
    });
  });

  it('include web and app sessions, an active one, and the shared conversation', () => {
    expect(new Set(sessions.map((s) => s.channel))).toEqual(new Set(['web', 'app']));
    expect(sessions.map((s) => s.outcome)).toEqual(['ESCALATED', null, 'ABANDONED']);
    expect(sessions.map((s) => s.status)).toEqual(['ENDED', 'ACTIVE', 'ENDED']);
    expect(sessions[0]!.conversationExternalId).toBe(DEMO_SHARED_CONVERSATION_ID);
  });
});
