// Genesys Cloud bot flow sessions and their reporting turns, which are the `turn` of each Message of
// such a session. Every field comes from the vendor model (src/vendors/genesys-bot-flow/model.ts) and
// resolves from the stored documents; only `Message.turn` is written here.
import type { Message } from '../../generated/prisma/client.js';
import type { SessionRow } from '../../queries/sessions.js';
import { BotFlowSession, ReportingTurn } from '../../vendors/genesys-bot-flow/model.js';
import { builder } from '../builder.js';
import { MessageRef, messageDataOf, registerMessageReader } from '../message.js';
import { BotFlowSessionRef } from '../session.js';
import { vendorOutput, vendorOutputFields } from '../vendor-model.js';
import { sessionData } from './shared.js';

// The stored `BotFlowSession` document (its turns are stored as messages, not here).
builder.objectFields(BotFlowSessionRef, (t) => vendorOutputFields(t, BotFlowSession, (s: SessionRow, ctx) => sessionData(s, ctx)));

const ReportingTurnType = vendorOutput(ReportingTurn);

// A turn has no message type, sender or id of its own: its messages' are Parley's.
registerMessageReader('BOT_FLOW', { model: ReportingTurn, rawType: () => null, rawSender: () => null });

builder.objectFields(MessageRef, (t) => ({
  turn: t.field({
    type: ReportingTurnType,
    nullable: true,
    description: 'Genesys bot flow messages: the whole reporting turn the message belongs to (every message of a turn has the same one).',
    // Each message of a turn stores the whole turn document as its `data`. Its words (prompts, the
    // user's input, slot values, search queries) carry the message-text rule in the model.
    resolve: (m: Message, _args, ctx) => messageDataOf(m, 'BOT_FLOW', ctx),
  }),
}));
