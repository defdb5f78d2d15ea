// Genesys Cloud bot flow sessions (kind BOT_FLOW). Model: ./model.ts; mapping: ./normalize.ts; how each document is written: ./ingest.ts.
import { SessionKind, Vendor } from '../../generated/prisma/enums.js';
import type { VendorModuleWithDemo } from '../normalized.js';
import { botFlowFixtures } from './fixtures.js';
import { ReportingTurn, StoredBotFlowSession, type BotFlowSessionWithTurns } from './model.js';
import { normalizeSessionWithTurns } from './normalize.js';

export type * from './model.js';
export { botFlowOutcome, normalizeSession, normalizeSessionWithTurns, normalizeTurns, SLOTS_PER_TURN } from './normalize.js';
export { botFlowFixtures, BILLING_BOT_FLOW_ID, ORDER_STATUS_BOT_FLOW_ID } from './fixtures.js';

export const genesysBotFlowModule: VendorModuleWithDemo<BotFlowSessionWithTurns> = {
  kind: SessionKind.BOT_FLOW,
  vendor: Vendor.GENESYS_CLOUD,
  normalize: normalizeSessionWithTurns,
  fixtures: botFlowFixtures,
  documents: { session: StoredBotFlowSession, message: ReportingTurn },
  demoSessions: (receivedAt) => botFlowFixtures.map((fixture) => normalizeSessionWithTurns(fixture, receivedAt)),
};
