// Salesforce Einstein Bot sessions in the two shapes Salesforce produces them, field names exactly as
// the vendor's:
// - a session record, seed 001's JSON Schema ("Einstein Bot Session"): sessionId, botId, status,
//   createdDate, lastActiveDate, externalSessionKey, messages, sessionEnded;
// - a Bot Runtime API v5 response body (`POST /v5.x/bots/{botId}/sessions`,
//   `POST /v5.x/sessions/{id}/messages`, `DELETE /v5.x/sessions/{id}`): sessionId (start only),
//   botVersion, processedSequenceIds, messages (text, choices, escalate, sessionEnded; each with an `id`
//   and a `schedule`), variables, _links. From Salesforce's OpenAPI specs and SDK test resources
//   (forcedotcom/einstein-bot-sdk-java; see test/fixtures/vendor-examples/einstein/README.md).
// The seed spells message types Text/Choices/Transfer/EscalateToAgent/SessionEnded; the runtime API
// sends text/choices/escalate/sessionEnded. Both are accepted, and so is any value Salesforce adds later
// (kept raw, normalised as UNKNOWN).
import type { JsonObject, JsonValue } from '../normalized.js';

type OpenString<Known extends string> = Known | (string & {});

export type EinsteinSessionStatus = OpenString<'Active' | 'Ended' | 'Transferred'>;

export type EinsteinSeedMessageType = 'Text' | 'Choices' | 'Transfer' | 'EscalateToAgent' | 'SessionEnded';
export type EinsteinRuntimeMessageType = 'text' | 'choices' | 'transfer' | 'escalate' | 'sessionEnded';
export type EinsteinMessageType = OpenString<EinsteinSeedMessageType | EinsteinRuntimeMessageType>;

export type EinsteinMessageSender = OpenString<'User' | 'Bot'>;

/** Why the runtime API ended a session (`sessionEnded.reason`). */
export type EinsteinEndReason = OpenString<'ClientRequest' | 'TransferFailedNotConfigured' | 'Action' | 'Error' | 'InfiniteLoopDetected'>;

/** How a client should show a choices message. */
export type EinsteinChoicesWidget = OpenString<'buttons' | 'menu'>;

export interface EinsteinChoice {
  /** Required by both models; a choice without one is stored as sent (with a warning). */
  label?: string;
  value?: string;
  index?: number;
  /** Runtime API: the short form a user may type instead ("1"). */
  alias?: string;
  /** Runtime API: the choice's id, which the client sends back as `choiceId`. */
  id?: string;
}

export interface EinsteinSchedule {
  /** How long the client should wait before showing the message. */
  responseDelayMilliseconds?: number;
}

export interface EinsteinEscalationTarget {
  /** `Salesforce:Core:Bot:Id`, `Salesforce:Core:Queue:Id`, `Salesforce:Core:Skill:Id`, `Salesforce:Core:Flow:Id`. */
  type?: string;
  value?: string;
}

export interface EinsteinBotMessage {
  type?: EinsteinMessageType;
  /** Runtime API: the message's own id. */
  id?: string;
  text?: string;
  /** Seed only; runtime responses hold the bot's messages and carry none. */
  sender?: EinsteinMessageSender;
  choices?: EinsteinChoice[];
  /** Client-generated, increasing int64 in the runtime API (the user's messages). */
  sequenceId?: number;
  timestamp?: string;
  /** `sessionEnded` messages. */
  reason?: EinsteinEndReason;
  schedule?: EinsteinSchedule;
  /** `choices` messages. */
  widget?: EinsteinChoicesWidget;
  /** `escalate` messages: where the bot asks the client to transfer the session. */
  targets?: EinsteinEscalationTarget[];
  /** v5.3: the id to send feedback about this message with. */
  feedbackId?: string;
}

export interface EinsteinLink {
  href?: string;
}

export interface EinsteinLinks {
  self?: EinsteinLink;
  messages?: EinsteinLink;
  session?: EinsteinLink;
}

export interface EinsteinVariable {
  name?: string;
  type?: string;
  value?: JsonValue;
}

export interface EinsteinBotSession {
  /** Required to store a session; a runtime response to a message carries it in `_links` instead. */
  sessionId?: string;
  /** Required by the seed; a runtime response carries it in `_links.self.href` (start) or not at all. */
  botId?: string;
  status?: EinsteinSessionStatus;
  createdDate?: string;
  lastActiveDate?: string;
  /** When Genesys Cloud routes a conversation to the bot, this carries the Genesys conversation id. */
  externalSessionKey?: string;
  messages?: EinsteinBotMessage[];
  sessionEnded?: boolean;
  // ---- Bot Runtime API v5 response envelope ----
  botVersion?: string;
  /** The user messages (by sequenceId) this response answers. */
  processedSequenceIds?: number[];
  variables?: EinsteinVariable[];
  metrics?: JsonObject;
  intents?: JsonValue[];
  entities?: JsonValue[];
  _links?: EinsteinLinks;
  /** v4 responses. */
  orgId?: string;
}
