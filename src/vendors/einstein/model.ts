// Salesforce Einstein Bot sessions in the two shapes Salesforce produces them, defined once (see
// ../model-kit.ts): a session record, seed 001's JSON Schema ("Einstein Bot Session"), and a Bot
// Runtime API v5 response body (`POST /v5.x/bots/{botId}/sessions`, `POST /v5.x/sessions/{id}/messages`,
// `DELETE /v5.x/sessions/{id}`), from Salesforce's OpenAPI specs and SDK test resources
// (forcedotcom/einstein-bot-sdk-java; test/fixtures/vendor-examples/einstein/README.md).
// The seeds: docs/architecture.md, "Vendor sources".
// The seed's enums are opened (Salesforce adds values; the seed spells message types Text/Choices/...,
// the runtime API text/choices/escalate/sessionEnded). What the seed requires (botId, status, a
// message's type, a choice's label) is `vendorRequired`: a runtime response legitimately lacks the
// first two, and Parley resolves them (./validate.ts, ./ingest.ts).
import { V, type OpenString, type Static } from '../model-kit.js';

export type EinsteinSessionStatus = OpenString<'Active' | 'Ended' | 'Transferred'>;
export type EinsteinSeedMessageType = 'Text' | 'Choices' | 'Transfer' | 'EscalateToAgent' | 'SessionEnded';
export type EinsteinRuntimeMessageType = 'text' | 'choices' | 'transfer' | 'escalate' | 'sessionEnded';
export type EinsteinMessageType = OpenString<EinsteinSeedMessageType | EinsteinRuntimeMessageType>;
export type EinsteinMessageSender = OpenString<'User' | 'Bot'>;
/** Why the runtime API ended a session (`sessionEnded.reason`). */
export type EinsteinEndReason = OpenString<'ClientRequest' | 'TransferFailedNotConfigured' | 'Action' | 'Error' | 'InfiniteLoopDetected'>;
/** How a client should show a choices message. */
export type EinsteinChoicesWidget = OpenString<'buttons' | 'menu'>;

export const EinsteinChoice = V.object(
  { title: 'EinsteinChoice', input: 'EinsteinChoiceInput' },
  {
    label: V.string({ vendorRequired: true }),
    value: V.string(),
    index: V.integer(),
    alias: V.string({ description: 'Runtime API: the short form a user may type instead ("1").' }),
    id: V.string({ description: "Runtime API: the choice's id." }),
  },
  { description: 'A choice of an Einstein Bot `Choices` message (`BotMessage.choices[]`).' },
);

export const EinsteinSchedule = V.object(
  { title: 'EinsteinSchedule', input: 'EinsteinScheduleInput', output: 'EinsteinSchedule' },
  { responseDelayMilliseconds: V.integer({ vendorRequired: true, description: 'How long the client should wait before showing the message.' }) },
  { description: 'When a client should show an Einstein runtime message.' },
);

export const EinsteinEscalationTarget = V.object(
  { title: 'EinsteinEscalationTarget', input: 'EinsteinEscalationTargetInput', output: 'EinsteinEscalationTarget' },
  {
    type: V.string({
      vendorRequired: true,
      description: 'Salesforce:Core:Queue:Id, Salesforce:Core:Skill:Id, Salesforce:Core:Bot:Id, Salesforce:Core:Flow:Id...',
    }),
    value: V.string({ vendorRequired: true }),
  },
  { description: 'Where an Einstein `escalate` message asks the client to transfer the session.' },
);

export const EinsteinBotMessage = V.object(
  { title: 'BotMessage', input: 'EinsteinBotMessageInput' },
  {
    type: V.string({
      vendorRequired: true,
      description: 'Type of bot message.',
      graphql: {
        output: false,
        inputDescription:
          'Text, Choices, Transfer, EscalateToAgent, SessionEnded (session records), or text, choices, escalate, sessionEnded (runtime API). Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.',
      },
    }),
    // The message's text, sender, choices, time and id are the cross-vendor `Message` fields.
    text: V.string({ description: 'Text content of the message.', graphql: { output: false, personal: 'text' } }),
    sender: V.string({
      description: 'Who sent the message.',
      graphql: { output: false, inputDescription: 'User or Bot. Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.' },
    }),
    choices: V.array(EinsteinChoice, { description: 'Available choices for choice-type messages.', graphql: { output: false, personal: 'text' } }),
    sequenceId: V.integer({
      description: "Einstein messages: the message's own sequenceId (client-generated, increasing); null when Einstein sent none.",
      graphql: { inputDescription: "Client-generated, increasing: the message's key and order (two messages that share one are both kept)." },
    }),
    timestamp: V.dateTime({ description: 'Timestamp when the message was sent.', graphql: { output: false } }),
    id: V.string({ description: "Runtime API: the message's id.", graphql: { output: false } }),
    reason: V.string({
      description:
        'Einstein runtime `sessionEnded` messages: why the session ended (ClientRequest, Action, Error, TransferFailedNotConfigured, InfiniteLoopDetected...).',
      graphql: { output: 'endReason' },
    }),
    schedule: { ...EinsteinSchedule, description: 'Einstein runtime messages: when the client should show the message.' },
    widget: V.string({ description: 'Einstein runtime `choices` messages: how to show the choices (`buttons`, `menu`, or a value added later).' }),
    targets: V.array(EinsteinEscalationTarget, {
      description: 'Einstein runtime `escalate` messages: where to transfer the session.',
      graphql: { output: 'escalationTargets' },
    }),
    feedbackId: V.string({ description: 'Einstein runtime v5.3 messages: the id to send feedback about the message with.' }),
  },
  { description: "Salesforce Einstein `BotMessage`, in the session record's or the runtime API v5's spelling." },
);

export const EinsteinLink = V.object(
  { title: 'Link', input: 'EinsteinLinkInput' },
  { href: V.string({ vendorRequired: true }) },
  { description: 'Einstein Bot Runtime API `Link`.' },
);

export const EinsteinLinks = V.object(
  { title: 'Links', input: 'EinsteinLinksInput' },
  {
    self: { ...EinsteinLink, description: 'A start-session response: `.../bots/{botId}/sessions`.' },
    messages: EinsteinLink,
    session: EinsteinLink,
  },
  { description: 'Einstein Bot Runtime API `_links` of a response.' },
);

export const EinsteinVariable = V.object(
  { title: 'Variable', input: 'EinsteinVariableInput', output: 'EinsteinVariable' },
  {
    name: V.string(),
    type: V.string({ description: 'boolean, date, dateTime, money, number, text, object, ref, list...' }),
    value: V.json({ description: 'The value, as Einstein sent it.' }),
  },
  { description: 'A context variable of an Einstein Bot session (runtime API `Variable`).' },
);

/**
 * A `ConversationDefinitionSession` record of the Salesforce REST API (Einstein Bots' session log, kept
 * 7 days), as SOQL returns it: Salesforce's own field names and date-times (`2024-05-01T09:30:00.000+0000`,
 * kept as sent). Fields the org has and this list does not name stay in the stored document.
 */
export const ConversationDefinitionSessionRecord = V.object(
  { title: 'ConversationDefinitionSession', input: 'ConversationDefinitionSessionInput', output: 'ConversationDefinitionSession' },
  {
    Id: V.string({ description: "The record's id (the Parley session's `externalId`).", graphql: { output: 'id' } }),
    Name: V.string({ description: "The record's name.", graphql: { output: 'name' } }),
    ConversationDefinitionId: V.string({
      description: 'The bot version that held the session (a BotVersion id).',
      graphql: { output: 'conversationDefinitionId' },
    }),
    SessionStartTime: V.string({ description: 'When the session started, as Salesforce sent it.', graphql: { output: 'sessionStartTime' } }),
    SessionDuration: V.integer({ description: 'How long the session lasted, in milliseconds.', graphql: { output: 'sessionDuration' } }),
    SessionEndType: V.string({ description: 'How the session ended, as Salesforce sent it; `outcome` is its mapping.', graphql: { output: 'sessionEndType' } }),
    SessionStatus: V.string({ description: "The session's status, as Salesforce sent it.", graphql: { output: 'sessionStatus' } }),
    SessionTransferResult: V.string({
      description: 'Whether a transfer the bot asked for succeeded, as Salesforce sent it.',
      graphql: { output: 'sessionTransferResult' },
    }),
    ChannelType: V.string({ description: 'The channel the session came through, as Salesforce sent it.', graphql: { output: 'channelType' } }),
    Language: V.string({ description: "The session's language, as Salesforce sent it.", graphql: { output: 'language' } }),
    CreatedDate: V.string({ description: 'When the record was created, as Salesforce sent it.', graphql: { output: 'createdDate' } }),
    LastModifiedDate: V.string({ description: 'When the record was last changed, as Salesforce sent it.', graphql: { output: 'lastModifiedDate' } }),
    SystemModstamp: V.string({
      description: "When the record was last changed by anyone, Salesforce included (the pull's watermark).",
      graphql: { output: 'systemModstamp' },
    }),
  },
  { description: 'A Salesforce `ConversationDefinitionSession` record (Einstein Bots session log), read through the REST API by the Salesforce connector.' },
);

export const EinsteinBotSession = V.object(
  { title: 'Einstein Bot Session', input: 'EinsteinBotSessionInput' },
  {
    sessionId: V.string({
      vendorRequired: true,
      description: "Unique session identifier (Einstein's name for `externalId`, same value).",
      // Read from the row (always there), not from the document (a runtime response may carry it in `_links` only).
      graphql: { handWritten: true, inputDescription: "The session's id (its key in Parley)." },
    }),
    // The session's `botId` is the `Session` interface's.
    botId: V.string({ vendorRequired: true, description: 'ID of the Einstein Bot handling the session.', graphql: { output: false } }),
    status: V.string({
      vendorRequired: true,
      description: 'The current status exactly as Einstein sent it (Active, Ended, Transferred, or a value added later); `status` is its mapping.',
      graphql: {
        output: 'statusRaw',
        inputDescription: 'Active, Ended or Transferred. Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.',
      },
    }),
    createdDate: V.dateTime({ description: 'Timestamp when the session was created.' }),
    lastActiveDate: V.dateTime({ description: 'Timestamp of the last activity in the session.' }),
    externalSessionKey: V.string({
      description: 'External key associated with the session (the Genesys conversation id when Genesys Cloud routed the conversation to the bot).',
    }),
    // The transcript is the interface's `messages` connection.
    messages: V.array(EinsteinBotMessage, { description: 'Messages exchanged during the session.', graphql: { output: false } }),
    sessionEnded: V.boolean({ description: 'Whether the session has ended, as Einstein reported it.' }),
    botVersion: V.string({ description: 'Runtime API: the version of the bot that answered.' }),
    processedSequenceIds: V.array(V.integer(), {
      description: 'Runtime API: the sequenceIds of every user message the runtime has answered so far, ascending.',
      graphql: { inputDescription: 'Runtime API: the sequenceIds of the user messages this response answers.' },
    }),
    variables: V.array(EinsteinVariable, {
      description: 'Runtime API: the context variables of the latest response that carried them.',
      graphql: { personal: 'always', inputDescription: 'Runtime API: context variables.' },
    }),
    // Kept in the stored document; not (yet) fields of the graph.
    metrics: V.jsonObject({ description: 'Runtime API: metrics.', graphql: { output: false } }),
    intents: V.array(V.json(), { description: 'Runtime API: the intents recognised.', graphql: { output: false } }),
    // What the NLU found in the user's words (names, dates, amounts).
    entities: V.array(V.json(), { description: 'Runtime API: the entities recognised.', graphql: { output: false, personal: 'text' } }),
    _links: { ...EinsteinLinks, description: 'Runtime API: links to the session; `self` of a start response holds the bot id.', graphql: { output: false } },
    orgId: V.string({ description: 'Runtime API v4: the org id.', graphql: { output: false } }),
    conversationDefinitionSession: {
      ...ConversationDefinitionSessionRecord,
      description:
        'The Salesforce `ConversationDefinitionSession` record this session was read from (the Salesforce connector); null for sessions recorded otherwise.',
    },
  },
  {
    description:
      'Salesforce Einstein Bot session record (the "Einstein Bot Session" JSON Schema), or a Bot Runtime API v5 response body as Salesforce sends it (no `status`; the bot and session ids may be in `_links`).',
  },
);

const { messages: _messages, ...storedSessionProperties } = EinsteinBotSession.properties;
/** An Einstein session as stored: the session record or runtime envelope without its messages (each message keeps its `BotMessage`). */
export const StoredEinsteinBotSession = V.object({ title: 'Einstein Bot Session (stored)' }, storedSessionProperties);

export type EinsteinChoice = Static<typeof EinsteinChoice>;
export type EinsteinSchedule = Static<typeof EinsteinSchedule>;
export type EinsteinEscalationTarget = Static<typeof EinsteinEscalationTarget>;
export type EinsteinLink = Static<typeof EinsteinLink>;
export type EinsteinLinks = Static<typeof EinsteinLinks>;
export type EinsteinVariable = Static<typeof EinsteinVariable>;
export type ConversationDefinitionSessionRecord = Static<typeof ConversationDefinitionSessionRecord>;
/** A message as stored: the model's, with the open enums typed. */
export type EinsteinBotMessage = Omit<Static<typeof EinsteinBotMessage>, 'type' | 'sender' | 'reason' | 'widget'> & {
  type?: EinsteinMessageType;
  sender?: EinsteinMessageSender;
  reason?: EinsteinEndReason;
  widget?: EinsteinChoicesWidget;
};
export type EinsteinBotSession = Omit<Static<typeof EinsteinBotSession>, 'status' | 'messages'> & {
  status?: EinsteinSessionStatus;
  messages?: EinsteinBotMessage[];
};
