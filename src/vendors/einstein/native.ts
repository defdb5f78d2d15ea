// Salesforce Einstein Bot session, field names exactly as seed 001's JSON Schema ("Einstein Bot Session").
// The seed spells message types Text/Choices/Transfer/EscalateToAgent/SessionEnded; the Einstein Bot
// runtime API v5 sends text/choices/escalate/sessionEnded (DESIGN.md). Both are accepted, and so is
// any value Salesforce adds later (kept raw, normalised as UNKNOWN).

type OpenString<Known extends string> = Known | (string & {});

export type EinsteinSessionStatus = OpenString<'Active' | 'Ended' | 'Transferred'>;

export type EinsteinSeedMessageType = 'Text' | 'Choices' | 'Transfer' | 'EscalateToAgent' | 'SessionEnded';
export type EinsteinRuntimeMessageType = 'text' | 'choices' | 'transfer' | 'escalate' | 'sessionEnded';
export type EinsteinMessageType = OpenString<EinsteinSeedMessageType | EinsteinRuntimeMessageType>;

export type EinsteinMessageSender = OpenString<'User' | 'Bot'>;

export interface EinsteinChoice {
  label: string;
  value?: string;
  index?: number;
}

export interface EinsteinBotMessage {
  type: EinsteinMessageType;
  text?: string;
  sender?: EinsteinMessageSender;
  choices?: EinsteinChoice[];
  /** Client-generated, increasing int64 in the runtime API. */
  sequenceId?: number;
  timestamp?: string;
}

export interface EinsteinBotSession {
  sessionId: string;
  botId: string;
  status: EinsteinSessionStatus;
  createdDate?: string;
  lastActiveDate?: string;
  /** When Genesys Cloud routes a conversation to the bot, this carries the Genesys conversation id. */
  externalSessionKey?: string;
  messages?: EinsteinBotMessage[];
  sessionEnded?: boolean;
}
