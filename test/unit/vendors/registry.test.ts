import { describe, expect, it } from 'vitest';
import { SessionKind } from '../../../src/generated/prisma/enums.js';
import { DEMO_SHARED_CONVERSATION_ID } from '../../../src/vendors/demo-conversation.js';
import { demoSessions, vendorModules } from '../../../src/vendors/index.js';
import { MESSAGE_TYPES } from '../../../src/vendors/normalized.js';

const RECEIVED_AT = new Date('2026-11-20T12:00:00.000Z');

describe('vendor registry', () => {
  it('has one module per SessionKind, keyed by its own kind', () => {
    for (const kind of Object.values(SessionKind)) {
      expect(vendorModules[kind].kind).toBe(kind);
      expect(vendorModules[kind].fixtures.length).toBeGreaterThan(0);
    }
  });

  it('every module normalises every one of its fixtures', () => {
    for (const kind of Object.values(SessionKind)) {
      const module = vendorModules[kind];
      for (const fixture of module.fixtures as never[]) {
        const s = module.normalize(fixture, RECEIVED_AT);
        expect(s.kind).toBe(kind);
        expect(s.vendor).toBe(module.vendor);
      }
    }
  });

  it('demo sessions are unique, well-formed and JSON-safe', () => {
    const sessions = demoSessions(RECEIVED_AT);
    expect(sessions.length).toBeGreaterThanOrEqual(19);
    expect(new Set(sessions.map((s) => `${s.kind}:${s.externalId}`)).size).toBe(sessions.length);
    for (const s of sessions) {
      expect(s.lastActiveAt.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime());
      if (s.channel !== null) expect(s.channel).toBe(s.channel.toLowerCase());
      if (s.language !== null) expect(s.language).toBe(s.language.toLowerCase());
      expect(JSON.parse(JSON.stringify(s.data))).toEqual(s.data);
      expect(new Set(s.messages.map((m) => m.sequence)).size).toBe(s.messages.length);
      for (const m of s.messages) {
        expect(Number.isSafeInteger(m.sequence)).toBe(true);
        expect(MESSAGE_TYPES).toContain(m.type);
      }
      if (s.status === 'ACTIVE') expect(s.endedAt).toBeNull();
    }
  });

  it('one conversation spans a journey, a Genesys bot flow and an Einstein session', () => {
    const kinds = demoSessions(RECEIVED_AT)
      .filter((s) => s.conversationExternalId === DEMO_SHARED_CONVERSATION_ID)
      .map((s) => s.kind)
      .sort();
    expect(kinds).toEqual(['BOT_FLOW', 'EINSTEIN_BOT', 'JOURNEY']);
  });

  it('is deterministic', () => {
    expect(demoSessions(RECEIVED_AT)).toEqual(demoSessions(RECEIVED_AT));
  });
});
