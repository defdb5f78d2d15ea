// The GraphQL type name of each kind of session: the session types (./session.ts) and the node lookup
// (./node-lookup.ts, used by the builder) read it, so it lives apart from both.
import type { SessionKind } from '../generated/prisma/enums.js';

export const sessionTypeName = {
  BOT_FLOW: 'BotFlowSession',
  EINSTEIN_BOT: 'EinsteinBotSession',
  CHATLAYER: 'ChatlayerSession',
  JOURNEY: 'JourneySession',
} as const satisfies Record<SessionKind, string>;
export const sessionTypeNames = Object.values(sessionTypeName);

/** The kind of session a type name stands for; undefined for any other type. */
export const sessionKindOf: ReadonlyMap<string, SessionKind> = new Map(Object.entries(sessionTypeName).map(([kind, name]) => [name, kind as SessionKind]));
