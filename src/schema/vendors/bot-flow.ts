// Genesys Cloud bot flow sessions and their reporting turns, which are the `turn` of each Message of
// such a session. Every field comes from the vendor model (src/vendors/genesys-bot-flow/model.ts) and
// resolves from the stored documents; only `Message.turn` is written here.
import type { Message } from '../../generated/prisma/client.js';
import type { SessionRow } from '../../queries/sessions.js';
import { BotFlowSession, ReportingTurn } from '../../vendors/genesys-bot-flow/model.js';
import { builder } from '../builder.js';
import { MessageRef, messageDataOf } from '../message.js';
import { MESSAGE_TEXT } from '../auth-scopes.js';
import { BotFlowSessionRef } from '../session.js';
import { vendorOutput, vendorOutputFields } from '../vendor-model.js';
import { sessionData } from './shared.js';

// The stored `BotFlowSession` document (its turns are stored as messages, not here).
builder.objectFields(BotFlowSessionRef, (t) => vendorOutputFields(t, BotFlowSession, (s: SessionRow, ctx) => sessionData(s, ctx)));

const ReportingTurnType = vendorOutput(ReportingTurn);

builder.objectFields(MessageRef, (t) => ({
  turn: t.field({
    type: ReportingTurnType,
    nullable: true,
    description: 'Genesys bot flow messages: the whole reporting turn the message belongs to (every message of a turn has the same one).',
    // Each message of a turn stores the whole turn document as its `data`.
    // The turn holds the user's input verbatim: the tenant's message-text rule applies to it too.
    authScopes: MESSAGE_TEXT,
    resolve: (m: Message, _args, ctx) => messageDataOf(m, 'BOT_FLOW', ctx),
  }),
}));
