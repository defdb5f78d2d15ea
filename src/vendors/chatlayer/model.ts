// Chatlayer (Sinch) documents, defined once (see ../model-kit.ts): session data as seeds 002/003 show it
// (the read-only `internal.*` fields, flat or under `internal`, beside the bot's `variables`) and the
// offloading webhook's `messages` and `offload` events (docs.chatlayer.ai "Offloading webhook"; examples
// in test/fixtures/vendor-examples/chatlayer/). Descriptions are Chatlayer's own where its docs give one.
// The seeds: docs/architecture.md, "Vendor sources".
//
// Chatlayer's docs disagree with themselves in places, and Parley accepts every form seen:
// - `currentDialogstate` / `previousDialogstate` (the seed) and `...DialogState` (elsewhere in the docs);
// - `messageType` `upload` (the seed) and `fileUploadInputResult` (other doc pages), plus `location`.
import { V, type OpenString, type Static } from '../model-kit.js';
import type { JsonValue } from '../normalized.js';

export type ChatlayerMessageType = OpenString<'intro' | 'text' | 'postback' | 'location' | 'upload' | 'fileUploadInputResult'>;

const score = (title: string, output: string, description: string, names: { name: string; score: string }) =>
  V.object(
    { title, input: 'ChatlayerScoreInput', output },
    {
      // One input type serves intents and the sentiment: its descriptions say both.
      name: V.string({
        vendorRequired: true,
        description: names.name,
        graphql: { inputDescription: 'The name of the intent, or the sentiment (positive, neutral or negative).' },
      }),
      score: V.number({
        vendorRequired: true,
        description: names.score,
        graphql: { inputDescription: "An intent's confidence (0 to 1), or the sentiment score." },
      }),
    },
    { description },
  );

export const ChatlayerIntentScore = score('ChatlayerScore', 'NlpIntent', 'An intent Chatlayer NLP detected, with its confidence.', {
  name: 'The name of the intent.',
  score: 'The confidence, 0 to 1.',
});

export const ChatlayerSentiment = score('ChatlayerScore', 'NlpSentiment', 'shows the sentiment analysis score of an expression', {
  name: 'The sentiment: positive, neutral or negative.',
  score: 'The sentiment score.',
});

export const ChatlayerNlp = V.object(
  { title: 'ChatlayerNlp', input: 'ChatlayerNlpInput', output: 'ChatlayerNlp' },
  {
    // The user's words, and what was found in them; the intents and the sentiment are the bot's categories.
    expression: V.string({ description: 'The expression, as the NLP saw it.', graphql: { personal: 'text' } }),
    intent: { ...ChatlayerIntentScore, description: 'The intent detected.' },
    // The seed's example shows `[0]`: entity shapes depend on the entity type, so they stay open.
    entities: V.array(V.json(), {
      description: 'The entities detected; their shape depends on the entity type, so they are passed on as sent.',
      graphql: { handWritten: true, nullableItems: true, personal: 'text' },
    }),
    intents: V.array(ChatlayerIntentScore, { description: 'Every intent considered, with its confidence.' }),
    sentiment: { ...ChatlayerSentiment, description: 'The sentiment analysis of the expression.' },
  },
  {
    description: 'object containing data about the latest expression, and which intent and entities were detected, with which confidence',
  },
);

export const ChatlayerDialogState = V.object(
  { title: 'ChatlayerDialogState', input: 'ChatlayerDialogStateInput', output: 'DialogState' },
  {
    name: V.string({ description: 'The name of the dialog.' }),
    id: V.string({ description: 'The id of the dialog.' }),
    type: V.string({ description: 'The block type, such as MESSAGE, INPUT or ACTION.' }),
  },
  { description: 'A Chatlayer bot dialog (block).' },
);

/** The read-only ("internal") session fields, as the flat form carries them beside `variables`. */
const internalProperties = {
  botId: V.string({ vendorRequired: true, description: 'ID of the bot', graphql: { output: false } }),
  sessionId: V.id({ description: 'ID of the session', graphql: { handWritten: true, inputDescription: "The session's id (its key in Parley)." } }),
  version: V.enumOf('ChatlayerVersion', ['DRAFT', 'LIVE'] as const, {
    description: 'The version of the bot.',
    enumDescription: 'The version of the Chatlayer bot that ran the session: DRAFT (the emulator) or LIVE.',
  }),
  channel: V.string({ description: 'channel of the session', graphql: { output: false } }),
  user: V.jsonObject({
    strings: ['firstName', 'lastName'],
    description: 'What Chatlayer knows about the user (firstName, lastName, and whatever the channel adds).',
    graphql: { personal: 'always', inputDescription: 'The user profile: `firstName`, `lastName` and whatever else the channel supplies.' },
  }),
  preferredLanguage: V.string({
    description: "The preferred language of the user, as Chatlayer sent it (the interface's `language` is its lower-case form).",
  }),
  locale: V.string({ description: 'The preferred locale of the user (for example for date formatting).' }),
  nlp: ChatlayerNlp,
  currentDialogstate: { ...ChatlayerDialogState, description: "The spelling of Chatlayer's session-data page.", graphql: { handWritten: true } },
  previousDialogstate: { ...ChatlayerDialogState, description: "The spelling of Chatlayer's session-data page.", graphql: { handWritten: true } },
  currentDialogState: { ...ChatlayerDialogState, description: "The docs' other spelling.", graphql: { handWritten: true } },
  previousDialogState: { ...ChatlayerDialogState, description: "The docs' other spelling.", graphql: { handWritten: true } },
  messageContent: V.string({ description: 'The content of the last message sent by the user.', graphql: { personal: 'text' } }),
  messageType: V.enumOf('ChatlayerMessageType', ['intro', 'text', 'postback', 'location', 'upload', 'fileUploadInputResult'] as const, {
    description: 'The type of the last message sent by the user.',
    enumDescription: 'The type of a message the user sent a Chatlayer bot.',
  }),
};

const variables = V.jsonObject({
  description: 'The user-changeable session data: whatever the bot saved to the session (objects, strings and other values).',
  graphql: { personal: 'always', inputDescription: 'User-changeable session data: whatever the bot saved.' },
});

/** Form (a): the seed's flat example, optionally with `variables` (also the GraphQL input's form). */
export const ChatlayerFlatSession = V.object(
  { title: 'Chatlayer session data (flat)', input: 'ChatlayerSessionInput' },
  { ...internalProperties, variables },
  {
    required: ['sessionId'],
    description: "Chatlayer session data in the flat form: the read-only (`internal.*`) fields beside the bot's `variables`.",
  },
);

export const ChatlayerInternal = V.object({ title: 'Chatlayer internal session data', input: 'ChatlayerInternalInput' }, internalProperties);

/** Form (b): the fields as bots address them, `internal.*` beside `variables`. */
export const ChatlayerWrappedSession = V.object(
  { title: 'Chatlayer session data (internal + variables)', input: 'ChatlayerWrappedSessionInput' },
  { internal: ChatlayerInternal, variables },
  { required: ['internal'] },
);

// ---- Offloading webhook ----

const WEBHOOK_TIMESTAMP =
  'ISO 8601 date-time as the webhook sends it, or epoch milliseconds written as a string of digits (the webhook sends either; GraphQL has no string-or-number type).';

export const ChatlayerWebhookMessage = V.object(
  { title: 'ChatlayerWebhookMessage', input: 'ChatlayerWebhookMessageInput' },
  {
    actor: V.string({
      vendorRequired: true,
      graphql: { inputDescription: 'user or bot. Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.' },
    }),
    // The body is what was said (text, buttons, cards, files): the tenant's message-text rule covers it
    // whole, whatever members a channel adds; within it, who the user is and where they are are
    // personal data for every tenant.
    message: V.stringOrObject({
      vendorRequired: true,
      members: {
        sender: V.json({
          description: 'The user as the channel identifies them: `id` (a phone number on some channels) and, on some, names.',
          graphql: { personal: 'always' },
        }),
        coordinates: V.json({ description: 'A place the user shared (`{ lat, long }`).', graphql: { personal: 'always' } }),
        location: V.json({
          description: 'A place the user shared, as other Chatlayer pages spell it (`{ latitude, longitude }`).',
          graphql: { personal: 'always' },
        }),
      },
      graphql: {
        personal: 'text',
        inputDescription: 'The message body: a user message (`{ text }`, a postback...), a bot message in the Webhook Channel format, or a bare string (text).',
      },
    }),
    timestamp: V.dateTimeOrEpochMillis({ graphql: { inputDescription: `${WEBHOOK_TIMESTAMP} When absent, the event's timestamp applies.` } }),
  },
  { description: 'A message of a Chatlayer offloading-webhook event (`messages[]`, `transcript[]`).' },
);

/** "The payload you configured in the action dialogstate": bots put the user's details there (a name, an e-mail address, a case). */
const offloadPayload = (inputDescription?: string) =>
  V.jsonObject({ graphql: { personal: 'always', ...(inputDescription === undefined ? {} : { inputDescription }) } });

// Chatlayer documents botId and version on every event; only the session id is needed to store one.
const eventProperties = {
  botId: V.string({ vendorRequired: true }),
  version: V.string({
    vendorRequired: true,
    graphql: { inputDescription: 'DRAFT or LIVE. Any string: a value Parley does not know yet is stored raw and resolves to UNKNOWN.' },
  }),
  sessionId: V.id(),
  channel: V.string(),
  /** "The time at which the message was generated" (per the webhook reference). */
  timestamp: V.dateTimeOrEpochMillis({ graphql: { inputDescription: WEBHOOK_TIMESTAMP } }),
};

export const ChatlayerMessagesEvent = V.object(
  { title: 'Chatlayer offloading webhook: messages event', input: 'ChatlayerMessagesEventInput' },
  { event: V.literal('messages'), ...eventProperties, messages: V.array(ChatlayerWebhookMessage, { vendorRequired: true }) },
  { required: ['event', 'sessionId'] },
);

export const ChatlayerOffloadEvent = V.object(
  { title: 'Chatlayer offloading webhook: offload event', input: 'ChatlayerOffloadEventInput' },
  {
    event: V.literal('offload'),
    ...eventProperties,
    /** The conversation so far, in the same item format as `messages` events. */
    transcript: V.array(ChatlayerWebhookMessage),
    payload: offloadPayload(),
  },
  { required: ['event', 'sessionId'] },
);

/** The GraphQL input: one input for both events (the kind is checked item by item, with its path). */
export const ChatlayerWebhookEventInputModel = V.object(
  { title: 'ChatlayerWebhookEvent', input: 'ChatlayerWebhookEventInput' },
  {
    event: V.string({ graphql: { inputDescription: '`messages` or `offload`.' } }),
    ...eventProperties,
    messages: V.array(ChatlayerWebhookMessage, { graphql: { inputDescription: 'The new messages (`messages` events).' } }),
    transcript: V.array(ChatlayerWebhookMessage, { graphql: { inputDescription: 'The conversation so far (`offload` events).' } }),
    payload: offloadPayload("The payload configured in the bot's offload action (`offload` events)."),
  },
  {
    required: ['event', 'sessionId'],
    description:
      'A Chatlayer offloading-webhook event: `messages` (with `messages`) or `offload` (with an optional `transcript`). One input for both kinds; an item that fits neither is rejected with its path.',
  },
);

// ---- What Parley stores (read back by the graph; src/schema/vendors/chatlayer.ts) ----

/** The user's last message as a session data snapshot describes it, with its NLP result. */
export const ChatlayerSnapshotMessage = V.object(
  { title: 'Chatlayer snapshot message' },
  { messageContent: internalProperties.messageContent, messageType: internalProperties.messageType, nlp: internalProperties.nlp },
  { description: "The session data's `messageContent`, `messageType` and `nlp`, as a message keeps them." },
);

/**
 * A Chatlayer message as stored: a webhook item (`actor`, `message`, `timestamp`), with the snapshot
 * that describes it under `snapshot`; or, when no webhook item matched the snapshot's message, the
 * snapshot's members alone.
 */
export const ChatlayerMessageDocument = V.object(
  { title: 'Chatlayer message' },
  { ...ChatlayerWebhookMessage.properties, snapshot: ChatlayerSnapshotMessage, ...ChatlayerSnapshotMessage.properties },
  { description: 'A message of a Chatlayer session, as Parley stores it.' },
);

/** The first hand-over to an agent, as the session keeps it. */
export const ChatlayerStoredOffload = V.object(
  { title: 'Chatlayer offload' },
  { timestamp: V.string({ description: 'When the bot handed the session over (ISO 8601).' }), payload: offloadPayload() },
  { description: 'The first `offload` event of a Chatlayer session: when, and the payload the offload action configured.' },
);

/** A Chatlayer session as stored: the flat form, and the first offload. */
export const ChatlayerStoredSession = V.object(
  { title: 'Chatlayer session data' },
  { ...internalProperties, variables, offload: ChatlayerStoredOffload },
  { description: 'A Chatlayer session as Parley stores it: the read-only fields, the variables, and the first offload.' },
);

export type ChatlayerScore = Static<typeof ChatlayerIntentScore>;
export type ChatlayerNlp = Static<typeof ChatlayerNlp>;
export type ChatlayerDialogState = Static<typeof ChatlayerDialogState>;
/** The read-only fields; the session id is there once validated (./validate.ts checks it in the wrapped form). */
export type ChatlayerInternal = Omit<Static<typeof ChatlayerInternal>, 'sessionId'> & { sessionId: string };
export type ChatlayerVariables = { [name: string]: JsonValue };
export type ChatlayerFlatSession = Static<typeof ChatlayerFlatSession>;
export type ChatlayerWrappedSession = Omit<Static<typeof ChatlayerWrappedSession>, 'internal'> & { internal: ChatlayerInternal };
export type ChatlayerSessionData = ChatlayerFlatSession | ChatlayerWrappedSession;
/** A user message or a bot message (Webhook Channel format), open objects; a bare string is text. */
export type ChatlayerMessageBody = string | { [field: string]: JsonValue };
export type ChatlayerWebhookMessage = Static<typeof ChatlayerWebhookMessage>;
export type ChatlayerMessagesEvent = Static<typeof ChatlayerMessagesEvent>;
export type ChatlayerOffloadEvent = Static<typeof ChatlayerOffloadEvent>;
export type ChatlayerWebhookEvent = ChatlayerMessagesEvent | ChatlayerOffloadEvent;
