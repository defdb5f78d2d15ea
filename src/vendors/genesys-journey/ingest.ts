// How Genesys journey sessions are written: each document is a snapshot of its session.
import { snapshotHandler, type IngestHandler } from '../../ingest/ops.js';
import type { JourneySession } from './model.js';
import { normalizeJourneySession } from './normalize.js';
import { validateJourneySession } from './validate.js';

export const journeySessionsHandler: IngestHandler<JourneySession> = snapshotHandler(validateJourneySession, normalizeJourneySession);
