// What the vendor files (and the generated vendor types, ../vendor-model.ts) have in common: reading a
// stored document, its dates and its enum values without ever failing a query on a value the vendor sent.
import type { Session } from '../../generated/prisma/client.js';
import type { SessionRow } from '../../queries/sessions.js';
import type { Context } from '../context.js';
import { parseDate } from '../../vendors/shared.js';
import type { VendorDocument } from '../message.js';

/** A stored `data` as a JSON object; `{}` for anything else, so a damaged row reads as "all absent". */
function asDocument(data: Session['data'] | null | undefined): VendorDocument {
  return data !== null && data !== undefined && typeof data === 'object' && !Array.isArray(data) ? data : {};
}

/**
 * The session's vendor document: from the row when it was read with it, otherwise loaded with every
 * other session of the response that needs it (sessions are read without it: ../../queries/sessions.ts).
 */
export function sessionData(session: SessionRow, ctx: Context): VendorDocument | Promise<VendorDocument> {
  if (session.data !== undefined) return asDocument(session.data);
  return ctx.loaders.sessionData.load(session.id).then(asDocument);
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
