// Parley's own enums, and the helper that turns a vendor's enum into a GraphQL enum that never
// loses a value: anything the vendor adds later resolves to UNKNOWN (the raw value has its own field).
import { MessageSender, SessionKind, SessionOutcome, SessionStatus, Vendor } from '../generated/prisma/enums.js';
import { MESSAGE_TYPES } from '../vendors/normalized.js';
import { builder } from './builder.js';

export const VendorEnum = builder.enumType(Vendor, { name: 'Vendor', description: 'The bot platform a session ran on.' });
export const SessionKindEnum = builder.enumType(SessionKind, {
  name: 'SessionKind',
  description: 'Which vendor model a session is: a vendor can have several (Genesys bot flows and journeys).',
});
export const SessionStatusEnum = builder.enumType(SessionStatus, { name: 'SessionStatus' });
export const SessionOutcomeEnum = builder.enumType(SessionOutcome, {
  name: 'SessionOutcome',
  description: "One cross-vendor category for how a session ended, mapped from each vendor's own result (see README).",
  values: {
    COMPLETED: { description: 'The bot finished the conversation by design.' },
    ESCALATED: { description: 'Handed to a human agent or queue.' },
    USER_EXITED: { description: 'The user asked to leave the bot.' },
    ABANDONED: { description: 'The user disconnected.' },
    EXPIRED: { description: 'The session timed out.' },
    RECOGNITION_FAILURE: { description: 'The bot could not understand the user and gave up.' },
    ERROR: { description: 'The bot or platform failed.' },
    UNKNOWN: { description: 'The vendor reported a result Parley does not know (kept raw on the vendor type).' },
  } as const,
});
export const MessageSenderEnum = builder.enumType(MessageSender, { name: 'MessageSender' });
export const MessageTypeEnum = builder.enumType('MessageType', {
  values: MESSAGE_TYPES,
  description: "A message's type across vendors; the vendor's own value is in `rawType`.",
});

/** `ExitRequestedByUser` → `EXIT_REQUESTED_BY_USER`, `TransferToACD` → `TRANSFER_TO_ACD`. */
export function enumValueName(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function stringEnum(name: string, values: string[], description: string) {
  return builder.enumType(name, { values, description });
}

export interface VendorEnum {
  ref: ReturnType<typeof stringEnum>;
  /** The GraphQL value for a raw vendor value: UNKNOWN for anything not listed; null for null. */
  fromRaw(raw: unknown): string | null;
}

/**
 * A GraphQL enum for a vendor's string enum. `OutdatedSdkVersion` is left out: it is what an old SDK
 * reports for a value it does not know, not a state, so it resolves to UNKNOWN like any unknown value.
 */
export function vendorEnum(name: string, rawValues: readonly string[], description: string): VendorEnum {
  const byRaw = new Map<string, string>();
  for (const raw of rawValues) {
    if (raw !== 'OutdatedSdkVersion') byRaw.set(raw, enumValueName(raw));
  }
  const names = [...new Set([...byRaw.values(), 'UNKNOWN'])];
  const ref = stringEnum(name, names, description);
  return {
    ref,
    fromRaw(raw) {
      if (raw === null || raw === undefined) return null;
      return (typeof raw === 'string' && byRaw.get(raw)) || 'UNKNOWN';
    },
  };
}
