// Salesforce Einstein Bot sessions (kind EINSTEIN_BOT). The model: ./model.ts; mapping: ./normalize.ts; how each document is written: ./ingest.ts.
import { SessionKind, Vendor } from '../../generated/prisma/enums.js';
import type { VendorModuleWithDemo } from '../normalized.js';
import { einsteinFixtures } from './fixtures.js';
import { EinsteinBotMessage, StoredEinsteinBotSession, type EinsteinBotSession } from './model.js';
import { normalizeEinsteinSession } from './normalize.js';

export type * from './model.js';
export { einsteinMessageType, einsteinOutcome, einsteinStatus, isRuntimeResponse, normalizeEinsteinSession, normalizeMessages } from './normalize.js';
export { BILLING_ASSISTANT_BOT_ID, einsteinFixtures, OUTAGE_HELPER_BOT_ID } from './fixtures.js';

export const einsteinModule: VendorModuleWithDemo<EinsteinBotSession> = {
  kind: SessionKind.EINSTEIN_BOT,
  vendor: Vendor.SALESFORCE_EINSTEIN,
  normalize: normalizeEinsteinSession,
  fixtures: einsteinFixtures,
  documents: { session: StoredEinsteinBotSession, message: EinsteinBotMessage },
  demoSessions: (receivedAt) => einsteinFixtures.map((fixture) => normalizeEinsteinSession(fixture, receivedAt)),
};
