// Subscriptions over SSE (GraphQL over SSE, "distinct connections" mode, as Yoga serves it) with one
// addition: each `next` event carries the outbox id of the change as SSE's `id:`, so a browser's
// EventSource that reconnects sends it back as `Last-Event-ID` and resumes where it was
// (../schema/subscription.ts). Yoga's own SSE writer has no place for ids; this one replaces it for
// subscription results and writes the same frames otherwise: a comment first (some browsers wait for
// a first byte), `:` keep-alives, `event: next` per result, `event: complete` at the end.
import { type FetchAPI, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';

/** A comment line this often keeps proxies from closing a quiet stream (as Yoga's own SSE writer does). */
export const SSE_KEEP_ALIVE_MS = 12_000;

/** Whether the request's Accept lets the response be an event stream. */
function acceptsEventStream(request: Request): boolean {
  const accept = request.headers.get('accept');
  if (!accept) return true; // no preference: Yoga streams subscriptions as SSE
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'text/event-stream' || type === 'text/*' || type === '*/*';
  });
}

/** A result as Yoga would write it: what Yoga keeps for itself (`http`, `unexpected`) is not sent. */
function serialise(result: ExecutionResult): string {
  const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  const errors = result.errors?.map((error) => {
    const json = error.toJSON();
    const { http: _status, unexpected: _unexpected, ...own } = (json.extensions ?? {}) as Record<string, unknown>;
    return { ...json, extensions: Object.keys(own).length > 0 ? own : undefined };
  });
  return JSON.stringify({ ...result, errors, extensions: Object.keys(extensions).length > 0 ? extensions : undefined });
}

/**
 * A result's `next` frame, as bytes, made once however many streams send it (results are shared by
 * ./shared-execution.ts): each stream then only enqueues the same ready bytes, which nothing mutates.
 */
const frames = new WeakMap<object, Uint8Array>();
const frameEncoder = new TextEncoder();
function nextFrame(result: ExecutionResult): Uint8Array {
  let frame = frames.get(result);
  if (frame === undefined) {
    const eventId = (result.extensions as { eventId?: unknown } | undefined)?.eventId;
    frame = frameEncoder.encode(`${typeof eventId === 'string' ? `id: ${eventId}\n` : ''}event: next\ndata: ${serialise(result)}\n\n`);
    frames.set(result, frame);
  }
  return frame;
}

function eventStream(results: AsyncIterable<ExecutionResult>, fetchAPI: FetchAPI, keepAliveMs: number): Response {
  // The server adapter's own stream and response classes: with them a client that goes away cancels
  // the stream (and so the subscription); with the global ones it would not.
  const encoder = new fetchAPI.TextEncoder();
  const iterator = results[Symbol.asyncIterator]();
  let keepAlive: NodeJS.Timeout | undefined;
  const stream = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(':\n\n'));
      keepAlive = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(keepAlive);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
      }, keepAliveMs);
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (!next.done) {
          controller.enqueue(nextFrame(next.value));
          return;
        }
        controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
        clearInterval(keepAlive);
        controller.close();
      } catch (error) {
        clearInterval(keepAlive);
        controller.error(error);
      }
    },
    async cancel() {
      clearInterval(keepAlive);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
}

/** Serves subscription results over SSE with event ids. */
export function sseWithEventIdsPlugin(keepAliveMs = SSE_KEEP_ALIVE_MS): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request)) return;
      setResultProcessor((results, fetchAPI) => eventStream(results as AsyncIterable<ExecutionResult>, fetchAPI, keepAliveMs), 'text/event-stream');
    },
  };
}
