// Which handler each ingest route uses. Each vendor's handler lives in its folder
// (src/vendors/<vendor>/ingest.ts): which validator, and which write operation (./ops.ts) a valid
// document becomes. The writer knows no vendor.
import { chatlayerSessionsHandler, chatlayerWebhookHandler } from '../vendors/chatlayer/ingest.js';
import { einsteinSessionsHandler } from '../vendors/einstein/ingest.js';
import { botFlowSessionsHandler, reportingTurnsHandler } from '../vendors/genesys-bot-flow/ingest.js';
import { journeySessionsHandler } from '../vendors/genesys-journey/ingest.js';
import type { IngestHandler } from './ops.js';
import type { IngestRoute } from './types.js';

// Each handler is typed by its own document; the pipeline hands a handler only what its validator returned.
const handler = <Native>(h: IngestHandler<Native>) => h as unknown as IngestHandler<never>;

export const ingestHandlers: { [R in IngestRoute]: IngestHandler<never> } = {
  'genesys.botFlowSessions': handler(botFlowSessionsHandler),
  'genesys.reportingTurns': handler(reportingTurnsHandler),
  'genesys.journeySessions': handler(journeySessionsHandler),
  'einstein.sessions': handler(einsteinSessionsHandler),
  'chatlayer.sessions': handler(chatlayerSessionsHandler),
  'chatlayer.webhook': handler(chatlayerWebhookHandler),
};
