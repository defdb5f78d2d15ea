// Salesforce Einstein Bot sessions (seed 001, "Einstein Bot Session"). `messages` is the interface's
// transcript connection and `status` the interface's status (same meaning); the vendor's own status and
// message values are kept raw beside them.
import type { Session } from '../../generated/prisma/client.js';
import type { EinsteinBotMessage, EinsteinBotSession, EinsteinEscalationTarget, EinsteinSchedule, EinsteinVariable } from '../../vendors/einstein/native.js';
import { personal } from '../pii.js';
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

const EinsteinVariableType = builder.objectRef<EinsteinVariable>('EinsteinVariable').implement({
  description: 'A context variable of an Einstein Bot session (runtime API `Variable`).',
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    type: t.exposeString('type', { nullable: true, description: 'boolean, date, dateTime, money, number, text, object, ref, list...' }),
    value: t.field({ type: 'JSON', nullable: true, description: 'The value, as Einstein sent it.', resolve: (v) => v.value ?? null }),
  }),
});

builder.objectFields(EinsteinBotSessionRef, (t) => ({
  botVersion: t.string({
    nullable: true,
    description: 'Runtime API: the version of the bot that answered (the latest response).',
    resolve: (s) => einstein(s).botVersion ?? null,
  }),
  processedSequenceIds: t.field({
    type: ['SafeInt'],
    nullable: true,
    description: 'Runtime API: the sequenceIds of every user message the runtime has answered so far, ascending.',
    resolve: (s) => {
      const ids = einstein(s).processedSequenceIds;
      return Array.isArray(ids) ? ids.filter((n) => Number.isSafeInteger(n)) : null;
    },
  }),
  variables: t.field({
    type: [EinsteinVariableType],
    nullable: true,
    description: 'Runtime API: the context variables of the latest response that carried them. Personal data (needs the `pii` scope).',
    resolve: personal('EinsteinBotSession.variables', (s: Session) => {
      const variables = einstein(s).variables;
      return Array.isArray(variables) ? variables.filter((v) => v !== null && typeof v === 'object') : null;
    }),
  }),
}));

const EinsteinScheduleType = builder.objectRef<EinsteinSchedule>('EinsteinSchedule').implement({
  description: 'When a client should show an Einstein runtime message.',
  fields: (t) => ({
    responseDelayMilliseconds: t.field({ type: 'SafeInt', nullable: true, resolve: (s) => (Number.isSafeInteger(s.responseDelayMilliseconds) ? s.responseDelayMilliseconds! : null) }),
  }),
});

const EinsteinEscalationTargetType = builder.objectRef<EinsteinEscalationTarget>('EinsteinEscalationTarget').implement({
  description: 'Where an Einstein `escalate` message asks the client to transfer the session.',
  fields: (t) => ({
    type: t.exposeString('type', { nullable: true, description: 'Salesforce:Core:Queue:Id, Salesforce:Core:Skill:Id, Salesforce:Core:Bot:Id, Salesforce:Core:Flow:Id...' }),
    value: t.exposeString('value', { nullable: true }),
  }),
});

/** A member of an Einstein message's document, when the message is an Einstein one. */
async function einsteinField<K extends keyof EinsteinBotMessage>(m: Parameters<typeof messageDataOf>[0], key: K, ctx: Parameters<typeof messageDataOf>[2]) {
  const data = await messageDataOf(m, 'EINSTEIN_BOT', ctx);
  return data === null ? undefined : einsteinMessage(data)[key];
}

registerMessageReader('EINSTEIN_BOT', {
  rawType: (data) => rawString(einsteinMessage(data).type),
  rawSender: (data) => rawString(einsteinMessage(data).sender),
  vendorMessageId: (data) => (typeof einsteinMessage(data).id === 'string' ? einsteinMessage(data).id! : null),
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
  schedule: t.field({
    type: EinsteinScheduleType,
    nullable: true,
    description: 'Einstein runtime messages: when the client should show the message.',
    resolve: async (m, _args, ctx) => {
      const schedule = await einsteinField(m, 'schedule', ctx);
      return schedule !== null && typeof schedule === 'object' ? schedule : null;
    },
  }),
  widget: t.string({
    nullable: true,
    description: 'Einstein runtime `choices` messages: how to show the choices (`buttons`, `menu`, or a value added later).',
    resolve: async (m, _args, ctx) => rawString(await einsteinField(m, 'widget', ctx)),
  }),
  endReason: t.string({
    nullable: true,
    description: 'Einstein runtime `sessionEnded` messages: why the session ended (ClientRequest, Action, Error, TransferFailedNotConfigured, InfiniteLoopDetected...).',
    resolve: async (m, _args, ctx) => rawString(await einsteinField(m, 'reason', ctx)),
  }),
  escalationTargets: t.field({
    type: [EinsteinEscalationTargetType],
    nullable: true,
    description: 'Einstein runtime `escalate` messages: where to transfer the session.',
    resolve: async (m, _args, ctx) => {
      const targets = await einsteinField(m, 'targets', ctx);
      return Array.isArray(targets) ? targets.filter((x) => x !== null && typeof x === 'object') : null;
    },
  }),
  feedbackId: t.string({
    nullable: true,
    description: 'Einstein runtime v5.3 messages: the id to send feedback about the message with.',
    resolve: async (m, _args, ctx) => rawString(await einsteinField(m, 'feedbackId', ctx)),
  }),
}));
