// The vendor-neutral shape every vendor's normalize() produces and the storage layer writes.
// A vendor folder turns its native document into this; nothing downstream knows vendor formats.
import type { TObject } from '@sinclair/typebox';
import type { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../generated/prisma/enums.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface MessageChoice {
  label: string;
  /** What choosing it sends back (Einstein `value`, a Chatlayer postback payload). */
  value: string | null;
  index: number | null;
  /** The short form a user may type instead (Einstein runtime `alias`, "1"). */
  alias?: string | null;
  /** The vendor's own id of the choice (Einstein runtime `id`). */
  id?: string | null;
}

/** Normalised message types; a vendor value outside these becomes UNKNOWN (the raw value stays in `data`). */
export const MESSAGE_TYPES = [
  'TEXT',
  'CHOICES',
  'POSTBACK',
  'INTRO',
  'LOCATION',
  'UPLOAD',
  'ATTACHMENT',
  'CARDS',
  'TRANSFER',
  'ESCALATE_TO_AGENT',
  'SESSION_ENDED',
  'UNKNOWN',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface NormalizedMessage {
  /**
   * The message's identity within its session, never shared by two different messages and the same
   * for a replay: the vendor's own message id where it has one (`id:`), else what identifies it in the
   * vendor's model (an Einstein `seq:`uenceId, a Genesys turn), else its content (`c:`).
   */
  key: string;
  /** Order within the session: the vendor's own sequence (Einstein sequenceId, turn time, ...). */
  sequence: number;
  /** Order among messages of one session that share a sequence (0 unless the vendor orders them so). */
  ordinal: number;
  sender: MessageSender;
  type: MessageType;
  text: string | null;
  choices: MessageChoice[] | null;
  timestamp: Date | null;
  /** Name of the intent the vendor's NLP recognised for this message, if any. */
  intent: string | null;
  /** The vendor's own message document, every field kept (NLP results, raw enum values...). */
  data: JsonObject;
}

export interface NormalizedSession {
  kind: SessionKind;
  vendor: Vendor;
  /** The vendor's own session id. */
  externalId: string;
  botId: string | null;
  /** Lower-case channel name (`call`, `chat`, `messaging`, `web`, `whatsapp`...). */
  channel: string | null;
  /** Lower-case language tag (`en-us`, `fr`...). */
  language: string | null;
  status: SessionStatus;
  /** Cross-vendor outcome; null while the session is still active and nothing has decided it. */
  outcome: SessionOutcome | null;
  createdAt: Date;
  lastActiveAt: Date;
  endedAt: Date | null;
  /** External id of the conversation the session belongs to (the Genesys conversation id, ...). */
  conversationExternalId: string | null;
  /** The vendor's session document, every field as sent (messages live in `messages`, not here). */
  data: JsonObject;
  /** The vendor's own timestamp of this snapshot, when it has one. */
  sourceUpdatedAt: Date | null;
  messages: NormalizedMessage[];
}

/** What a vendor folder exports so the rest of Parley can use it without knowing the vendor. */
export interface VendorModule<Native> {
  kind: SessionKind;
  vendor: Vendor;
  /** `receivedAt` stands in for timestamps the vendor does not send. */
  normalize(native: Native, receivedAt: Date): NormalizedSession;
  /** Realistic vendor-native sample sessions, for the demo data set and tests. */
  fixtures: Native[];
  /**
   * The models of what Parley stores: a session's `data`, and a message's (null: the vendor's sessions
   * have no messages). Their personal members are README's "Personal data" table.
   */
  documents: { session: TObject; message: TObject | null };
}

/**
 * A vendor module together with the demo data set it contributes. Some vendors' demos need more than
 * one native document per session (Chatlayer webhook transcripts, Genesys reporting turns), so the
 * module itself says how its fixtures become sessions.
 */
export interface VendorModuleWithDemo<Native> extends VendorModule<Native> {
  demoSessions(receivedAt: Date): NormalizedSession[];
}
