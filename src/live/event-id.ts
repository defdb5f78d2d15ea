// Event ids on the wire: the outbox id as a decimal string — in each subscription payload's
// `extensions.eventId`, in SSE's `id:` line, and back in `since` or SSE's `Last-Event-ID`.
import type { Plugin } from 'graphql-yoga';

/** The id of the event being delivered, per operation context (the transports execute one event at a time). */
const currentByContext = new WeakMap<object, bigint>();

export function setCurrentEventId(context: object, id: bigint): void {
  currentByContext.set(context, id);
}

export class InvalidEventIdError extends Error {
  override name = 'InvalidEventIdError';
}

/** An event id a client sent; undefined when none. */
export function parseEventId(raw: string | null | undefined): bigint | undefined {
  if (raw === null || raw === undefined || raw.trim() === '') return undefined;
  // Up to 19 digits: every id PostgreSQL's bigint holds.
  if (!/^\d{1,19}$/.test(raw.trim()))
    throw new InvalidEventIdError(`since must be an event id (digits, as a payload's extensions.eventId), got "${raw.slice(0, 40)}"`);
  return BigInt(raw.trim());
}

/** SSE's reconnect: the browser sends the last `id:` it received as `Last-Event-ID`. */
export function lastEventIdOf(context: object): string | undefined {
  const request = (context as { request?: Request }).request;
  return request?.headers?.get('last-event-id') ?? undefined;
}

/** Puts the delivered event's id in each subscription result's `extensions.eventId` (both transports). */
export function eventIdPlugin(): Plugin {
  return {
    onSubscribe() {
      return {
        onSubscribeResult({ args }) {
          return {
            onNext({ result, setResult }) {
              const id = currentByContext.get(args.contextValue);
              if (id === undefined) return; // an error (SLOW_CONSUMER, ...) belongs to no event
              currentByContext.delete(args.contextValue);
              setResult({ ...result, extensions: { ...result.extensions, eventId: String(id) } });
            },
          };
        },
      };
    },
  };
}
