// Normalised sessions for tests that need rows without going through a vendor format.
import { randomUUID } from 'node:crypto';
import type { NormalizedMessage, NormalizedSession } from '../../src/vendors/normalized.js';

export function makeSession(overrides: Partial<NormalizedSession> = {}): NormalizedSession {
  const createdAt = overrides.createdAt ?? new Date('2026-11-18T09:00:00Z');
  return {
    kind: 'EINSTEIN_BOT',
    vendor: 'SALESFORCE_EINSTEIN',
    externalId: randomUUID(),
    botId: 'bot-a',
    channel: 'web',
    language: 'en',
    status: 'ENDED',
    outcome: 'COMPLETED',
    createdAt,
    lastActiveAt: createdAt,
    endedAt: createdAt,
    conversationExternalId: null,
    data: { note: 'test session' },
    sourceUpdatedAt: null,
    messages: [],
    ...overrides,
  };
}

export function makeMessages(count: number, start = 1): NormalizedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `seq:${String(start + i)}`,
    sequence: start + i,
    ordinal: 0,
    sender: i % 2 === 0 ? 'USER' : 'BOT',
    type: 'TEXT',
    text: `message ${start + i}`,
    choices: null,
    timestamp: new Date(Date.UTC(2026, 10, 18, 9, 0, start + i)),
    intent: null,
    data: { n: start + i },
  }));
}
