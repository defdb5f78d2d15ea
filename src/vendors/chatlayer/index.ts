// Chatlayer (Sinch) sessions (kind CHATLAYER). The model: ./model.ts; mapping: ./normalize.ts; how each document is written: ./ingest.ts.
import { SessionKind, Vendor } from '../../generated/prisma/enums.js';
import type { VendorModuleWithDemo } from '../normalized.js';
import { chatlayerDemoCases, chatlayerFixtures } from './fixtures.js';
import { ChatlayerMessageDocument, ChatlayerStoredSession, type ChatlayerSessionData } from './model.js';
import { normalizeChatlayerSession, normalizeChatlayerSnapshot } from './normalize.js';

export type * from './model.js';
export {
  chatlayerDialogStates,
  chatlayerMessageType,
  normalizeChatlayerSession,
  normalizeChatlayerSnapshot,
  splitSessionData,
} from './normalize.js';
export { chatlayerDemoCases, chatlayerFixtures, CUSTOMER_SERVICE_BOT_ID, MOVING_BOT_ID } from './fixtures.js';
export type { ChatlayerDemoCase } from './fixtures.js';

export const chatlayerModule: VendorModuleWithDemo<ChatlayerSessionData> = {
  kind: SessionKind.CHATLAYER,
  vendor: Vendor.CHATLAYER,
  normalize: normalizeChatlayerSnapshot,
  fixtures: chatlayerFixtures,
  documents: { session: ChatlayerStoredSession, message: ChatlayerMessageDocument },
  demoSessions: (receivedAt) => chatlayerDemoCases.map((c) => normalizeChatlayerSession(c.session, c.events, receivedAt)),
};
