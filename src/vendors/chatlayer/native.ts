// Chatlayer (Sinch) session data, field names exactly as seeds 002/003 spell them, plus the offloading
// webhook events (DESIGN.md, "Vendor facts beyond the seeds"; docs.chatlayer.ai "Offloading Webhook").
//
// Chatlayer's docs disagree with themselves in places, and Parley accepts every form seen:
// - the read-only fields come flat (the seed's example) or under `internal` (how bots address them:
//   `internal.[fieldName]`), with the user's `variables` beside them;
// - `currentDialogstate` / `previousDialogstate` (the seed) and `...DialogState` (elsewhere in the docs);
// - `messageType` `upload` (the seed) and `fileUploadInputResult` (other doc pages), plus `location`.
import type { JsonValue } from '../normalized.js';

type OpenString<Known extends string> = Known | (string & {});

/** Which published version of the bot ran the session. */
export type ChatlayerVersion = OpenString<'DRAFT' | 'LIVE'>;

/** Type of the user's last message. */
export type ChatlayerMessageType = OpenString<'intro' | 'text' | 'postback' | 'location' | 'upload' | 'fileUploadInputResult'>;

export interface ChatlayerScore {
  name: string;
  score: number;
}

export interface ChatlayerNlp {
  /** The user's latest expression, as the NLP saw it. */
  expression?: string;
  intent?: ChatlayerScore;
  /** The seed's example shows `[0]`; entity shapes depend on the entity type, so they stay open. */
  entities?: JsonValue[];
  intents?: ChatlayerScore[];
  sentiment?: ChatlayerScore;
}

export interface ChatlayerDialogState {
  name?: string;
  id?: string;
  /** Block type, e.g. MESSAGE. */
  type?: string;
}

export interface ChatlayerUser {
  firstName?: string;
  lastName?: string;
  [field: string]: JsonValue | undefined;
}

/** The read-only ("internal") session fields. */
export interface ChatlayerInternal {
  /** Documented on every session; only the session id is needed to store one. */
  botId?: string;
  sessionId: string;
  version?: ChatlayerVersion;
  channel?: string;
  user?: ChatlayerUser;
  preferredLanguage?: string;
  locale?: string;
  nlp?: ChatlayerNlp;
  currentDialogstate?: ChatlayerDialogState;
  previousDialogstate?: ChatlayerDialogState;
  currentDialogState?: ChatlayerDialogState;
  previousDialogState?: ChatlayerDialogState;
  /** Content of the last message the user sent. */
  messageContent?: string;
  messageType?: ChatlayerMessageType;
}

/** User-changeable session data: whatever the bot builder saved (objects, strings, ...). */
export type ChatlayerVariables = { [name: string]: JsonValue };

/** Form (a): the seed's flat example, optionally with `variables`. */
export interface ChatlayerFlatSession extends ChatlayerInternal {
  variables?: ChatlayerVariables;
}

/** Form (b): the fields as bots address them, `internal.*` beside `variables`. */
export interface ChatlayerWrappedSession {
  internal: ChatlayerInternal;
  variables?: ChatlayerVariables;
}

export type ChatlayerSessionData = ChatlayerFlatSession | ChatlayerWrappedSession;

// ---- Offloading webhook ----

export type ChatlayerActor = OpenString<'bot' | 'user'>;

/**
 * A user message (`{ messageType, text | title | coordinates | urls, id, sender, channelType }`) or a
 * bot message in the Webhook Channel format (`{ text, quick_replies }`, `{ attachment }`); both are
 * open objects, and a bare string is accepted as text.
 */
export type ChatlayerMessageBody = string | { [field: string]: JsonValue };

export interface ChatlayerWebhookMessage {
  actor: ChatlayerActor;
  /** Documented as required; an item without one is stored as an empty message (with a warning). */
  message?: ChatlayerMessageBody;
  /** ISO-8601 (or epoch ms); when absent the event's own timestamp applies. */
  timestamp?: string | number;
}

// Chatlayer documents botId and version on every event; only the session id is needed to store one.
interface ChatlayerWebhookEventBase {
  botId?: string;
  version?: ChatlayerVersion;
  sessionId: string;
  channel?: string;
  /** "The time at which the message was generated" (per the webhook reference). */
  timestamp?: string | number;
}

export interface ChatlayerMessagesEvent extends ChatlayerWebhookEventBase {
  event: 'messages';
  /** Documented as required; an event without messages adds none. */
  messages?: ChatlayerWebhookMessage[];
}

export interface ChatlayerOffloadEvent extends ChatlayerWebhookEventBase {
  event: 'offload';
  /** The conversation so far, in the same item format as `messages` events. */
  transcript?: ChatlayerWebhookMessage[];
  /** "The payload you configured in the action dialogstate" that offloaded the session. */
  payload?: { [field: string]: JsonValue };
}

export type ChatlayerWebhookEvent = ChatlayerMessagesEvent | ChatlayerOffloadEvent;
