// Salesforce Einstein Bot sessions (seed 001, "Einstein Bot Session"). `messages` is the interface's
// transcript connection and `status` the interface's status (same meaning); the vendor's own status and
// message values are kept raw beside them.
import type { Session } from '../../generated/prisma/client.js';
import type { EinsteinBotMessage, EinsteinBotSession } from '../../vendors/einstein/native.js';
import { builder } from '../builder.js';
import { MessageRef, messageDataOf, registerMessageReader, type VendorDocument } from '../message.js';
import { EinsteinBotSessionRef } from '../session.js';
import { dateOrNull, rawString, sessionData } from './shared.js';

/** The stored session document (its messages are stored as Message rows, not here). */
function einstein(session: Session): Partial<Omit<EinsteinBotSession, 'messages'>> {
  return sessionData(session) as Partial<Omit<EinsteinBotSession, 'messages'>>;
}

/** A message row's document: one `BotMessage` of the seed. */
function einsteinMessage(data: VendorDocument): Partial<EinsteinBotMessage> {
  return data as Partial<EinsteinBotMessage>;
}

builder.objectFields(EinsteinBotSessionRef, (t) => ({
  sessionId: t.string({
    description: 'Unique session identifier (the seed\'s name for `externalId`, same value).',
    resolve: (s) => s.externalId,
  }),
  statusRaw: t.string({
    nullable: true,
    description: 'The current status exactly as Einstein sent it (Active, Ended, Transferred, or a value added later); `status` is its mapping.',
    resolve: (s) => rawString(einstein(s).status),
  }),
  createdDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'Timestamp when the session was created.',
    resolve: (s) => dateOrNull(einstein(s).createdDate),
  }),
  lastActiveDate: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'Timestamp of the last activity in the session.',
    resolve: (s) => dateOrNull(einstein(s).lastActiveDate),
  }),
  externalSessionKey: t.string({
    nullable: true,
    description: 'External key associated with the session (the Genesys conversation id when Genesys routed the conversation to the bot).',
    resolve: (s) => einstein(s).externalSessionKey ?? null,
  }),
  sessionEnded: t.boolean({
    nullable: true,
    description: 'Whether the session has ended, as Einstein reported it.',
    resolve: (s) => einstein(s).sessionEnded ?? null,
  }),
}));

registerMessageReader('EINSTEIN_BOT', {
  rawType: (data) => rawString(einsteinMessage(data).type),
  rawSender: (data) => rawString(einsteinMessage(data).sender),
});

builder.objectFields(MessageRef, (t) => ({
  sequenceId: t.field({
    type: 'SafeInt',
    nullable: true,
    description: "Einstein messages: the message's own sequenceId (client-generated, increasing); null when Einstein sent none.",
    resolve: async (m, _args, ctx) => {
      const data = await messageDataOf(m, 'EINSTEIN_BOT', ctx);
      const sequenceId = data === null ? undefined : einsteinMessage(data).sequenceId;
      return typeof sequenceId === 'number' && Number.isSafeInteger(sequenceId) ? sequenceId : null;
    },
  }),
}));
