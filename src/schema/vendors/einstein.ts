// Salesforce Einstein Bot sessions: the fields of EinsteinBotSession and the Einstein fields of Message
// come from the vendor model (src/vendors/einstein/model.ts); only how a message's raw type and sender
// are read is written here. `messages` is the interface's transcript connection and `status` the
// interface's status (same meaning); the vendor's own status is kept raw beside it (`statusRaw`).
import type { SessionRow } from '../../queries/sessions.js';
import { EinsteinBotMessage, EinsteinBotSession } from '../../vendors/einstein/model.js';
import { builder } from '../builder.js';
import { MessageRef, messageDataOf, registerMessageReader, type VendorDocument } from '../message.js';
import { EinsteinBotSessionRef } from '../session.js';
import { vendorOutputFields } from '../vendor-model.js';
import { rawString, sessionData } from './shared.js';

builder.objectFields(EinsteinBotSessionRef, (t) => ({
  sessionId: t.string({ description: EinsteinBotSession.properties.sessionId.description, resolve: (s) => s.externalId }),
  ...vendorOutputFields(t, EinsteinBotSession, (s: SessionRow, ctx) => sessionData(s, ctx)),
}));

builder.objectFields(MessageRef, (t) =>
  vendorOutputFields(t, EinsteinBotMessage, (m, ctx) => messageDataOf(m, 'EINSTEIN_BOT', ctx) as Promise<Record<string, unknown> | null>),
);

const member = (data: VendorDocument, key: string) => data[key];

registerMessageReader('EINSTEIN_BOT', {
  model: EinsteinBotMessage,
  rawType: (data) => rawString(member(data, 'type')),
  rawSender: (data) => rawString(member(data, 'sender')),
  vendorMessageId: (data) => (typeof member(data, 'id') === 'string' ? (member(data, 'id') as string) : null),
});
