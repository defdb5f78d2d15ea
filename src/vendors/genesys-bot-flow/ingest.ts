// How Genesys bot flow documents are written: a session (with its turns) is a snapshot; a reporting
// turn on its own adds its messages to its session, waiting for it if it has not arrived yet.
import { SessionKind } from '../../generated/prisma/enums.js';
import { snapshotHandler, type IngestHandler } from '../../ingest/ops.js';
import type { BotFlowSessionWithTurns, SessionReportingTurn } from './model.js';
import { normalizeSessionWithTurns, normalizeTurns } from './normalize.js';
import { validateBotFlowSession, validateReportingTurn } from './validate.js';

export const botFlowSessionsHandler: IngestHandler<BotFlowSessionWithTurns> = snapshotHandler(validateBotFlowSession, normalizeSessionWithTurns);

export const reportingTurnsHandler: IngestHandler<SessionReportingTurn> = {
  validate: validateReportingTurn,
  toOp: (turn) => ({
    type: 'messages',
    kind: SessionKind.BOT_FLOW,
    externalId: turn.sessionId,
    messages: normalizeTurns([turn]),
    // A turn can arrive before its session; it waits and is attached when the session comes.
    whenMissing: { pend: true },
  }),
};
