// Genesys Cloud customer journey sessions (kind JOURNEY). Model: ./model.ts; mapping: ./normalize.ts; how each document is written: ./ingest.ts.
import { SessionKind, Vendor } from '../../generated/prisma/enums.js';
import type { VendorModuleWithDemo } from '../normalized.js';
import { journeyFixtures } from './fixtures.js';
import { JourneySession } from './model.js';
import { normalizeJourneySession } from './normalize.js';

export type * from './model.js';
export { journeyOutcome, normalizeJourneySession } from './normalize.js';
export { journeyFixtures } from './fixtures.js';

export const genesysJourneyModule: VendorModuleWithDemo<JourneySession> = {
  kind: SessionKind.JOURNEY,
  vendor: Vendor.GENESYS_CLOUD,
  normalize: normalizeJourneySession,
  fixtures: journeyFixtures,
  documents: { session: JourneySession, message: null },
  demoSessions: (receivedAt) => journeyFixtures.map((fixture) => normalizeJourneySession(fixture, receivedAt)),
};
