// What the vendor files (and the generated vendor types, ../vendor-model.ts) have in common: reading a
// stored document, its dates and its enum values without ever failing a query on a value the vendor sent.
import type { Session } from '../../generated/prisma/client.js';
import { parseDate } from '../../vendors/shared.js';
import type { VendorDocument } from '../message.js';

/** The row's `data` as a JSON object; `{}` for anything else, so a damaged row reads as "all absent". */
export function sessionData(session: Pick<Session, 'data'>): VendorDocument {
  const { data } = session;
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {};
}

/** A vendor timestamp as a Date; null when absent or unparseable (the raw value stays in the document). */
export function dateOrNull(value: unknown): Date | null {
  return typeof value === 'string' || typeof value === 'number' ? parseDate(value) : null;
}

/** The raw value of a vendor enum field, for its `...Raw` sibling; null when absent. */
export function rawString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
