// Event ids on the wire: the outbox id as a decimal string — in each subscription payload's
// `extensions.eventId` (./shared-execution.ts), in SSE's `id:` line, and back in `since` or SSE's
// `Last-Event-ID`.

import { isInt8 } from '../db/storable.js';

export class InvalidEventIdError extends Error {
  override name = 'InvalidEventIdError';
}

/** An event id a client sent; undefined when none. */
export function parseEventId(raw: string | null | undefined): bigint | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  // Up to 19 digits, and no more than PostgreSQL's bigint holds: a larger one would fail the outbox read.
  const id = /^\d{1,19}$/.test(raw.trim()) ? BigInt(raw.trim()) : null;
  if (id === null || !isInt8(id))
    throw new InvalidEventIdError(`since must be an event id (digits, as a payload's extensions.eventId), got "${raw.slice(0, 40)}"`);
  return id;
}

/** SSE's reconnect: the browser sends the last `id:` it received as `Last-Event-ID`. */
export function lastEventIdOf(context: object): string | undefined {
  const request = (context as { request?: Request }).request;
  return request?.headers?.get('last-event-id') ?? undefined;
}
