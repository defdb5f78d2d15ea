// Subscriptions over SSE (GraphQL over SSE, "distinct connections" mode, as Yoga serves it) with one
// addition: each `next` event carries the outbox id of the change as SSE's `id:`, so a browser's
// EventSource that reconnects sends it back as `Last-Event-ID` and resumes where it was
// (../schema/subscription.ts). Yoga's own SSE writer has no place for ids; this one replaces it for
// subscription results and writes the same frames otherwise: a comment first (some browsers wait for
// a first byte), `:` keep-alives, `event: next` per result, `event: complete` at the end.
//
// Each stream is a Node stream the server adapter pipes into the HTTP response, and its context holds
// the stream's LiveWriter (./writer.ts): shared live results are written into it directly, as ready
// bytes made once per result, not pulled through an iterator per subscriber.
import { PassThrough } from 'node:stream';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { type FetchAPI, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { type LiveResult, type LiveWriter, resultJson } from './writer.js';

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

/** A result's `next` frame, as bytes, made once however many streams send it; nothing mutates it. */
const frames = new WeakMap<object, Buffer>();
function nextFrame(result: ExecutionResult): Buffer {
  let frame = frames.get(result);
  if (frame === undefined) {
    const eventId = (result.extensions as { eventId?: unknown } | undefined)?.eventId;
    frame = Buffer.from(`${typeof eventId === 'string' ? `id: ${eventId}\n` : ''}event: next\ndata: ${resultJson(result)}\n\n`);
    frames.set(result, frame);
  }
  return frame;
}

const KEEP_ALIVE = Buffer.from(':\n\n');
const COMPLETE = Buffer.from('event: complete\ndata:\n\n');

/**
 * One response's event stream: the body the adapter sends, and the writer live results use. Every
 * request that could be answered with a stream gets one in its context; the Node stream itself is
 * made only when a subscription writes or is answered.
 */
class EventStream implements LiveWriter {
  #body: PassThrough | undefined;
  private keepAlive: NodeJS.Timeout | undefined;

  get body(): PassThrough {
    this.#body ??= new PassThrough();
    return this.#body;
  }

  get open(): boolean {
    return !this.body.destroyed && !this.body.writableEnded;
  }

  readonly transport = 'sse' as const;

  /** Results written that the response has not taken yet (a PassThrough calls back once it passed a chunk on). */
  backlog = 0;
  private readonly written = () => {
    this.backlog -= 1;
  };

  write(result: LiveResult): void {
    if (!this.open) return; // the client left: the subscription is being ended
    this.backlog += 1;
    this.body.write(nextFrame(result), this.written);
  }

  /** Sends what `results` yields (results not written directly), then `complete`; a client that leaves ends `results`. */
  start(results: AsyncIterable<ExecutionResult>, keepAliveMs: number, signal: AbortSignal | undefined): void {
    const iterator = results[Symbol.asyncIterator]();
    this.body.write(KEEP_ALIVE);
    this.keepAlive = setInterval(() => {
      if (this.open && this.body.writableLength === 0) this.body.write(KEEP_ALIVE);
    }, keepAliveMs);
    this.body.once('close', () => {
      clearInterval(this.keepAlive);
      void iterator.return?.();
    });
    // A client that left before the response was sent: the server adapter then never pipes (nor
    // destroys) the body, so its 'close' would never come. The request's signal says so instead.
    const left = () => this.body.destroy();
    if (signal?.aborted) left();
    else signal?.addEventListener('abort', left, { once: true });
    void (async () => {
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) if (this.open) this.body.write(nextFrame(next.value));
      } catch (error) {
        // The subscription ended with an error (dropped, access revoked...): the client is told, then complete.
        const told = error instanceof GraphQLError ? error : new GraphQLError('Unexpected error.');
        if (this.open) this.body.write(nextFrame({ errors: [told] }));
      }
      clearInterval(this.keepAlive);
      if (this.open) this.body.end(COMPLETE);
    })();
  }
}

function eventStreamResponse(stream: EventStream, fetchAPI: FetchAPI): Response {
  // The server adapter pipes a Node stream body into the response, and destroys it when the client goes away.
  return new fetchAPI.Response(stream.body as unknown as BodyInit, {
    status: 200,
    headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
  });
}

/** Serves subscription results over SSE with event ids, written directly into each stream. */
export function sseWithEventIdsPlugin(keepAliveMs = SSE_KEEP_ALIVE_MS): Plugin {
  const streams = new WeakMap<Request, EventStream>();
  return {
    onContextBuilding({ context, extendContext }) {
      const request = (context as { request?: Request }).request;
      if (!request || !acceptsEventStream(request)) return;
      const stream = new EventStream();
      streams.set(request, stream);
      extendContext({ liveWriter: stream } as never);
    },
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request)) return;
      setResultProcessor((results, fetchAPI) => {
        const stream = streams.get(request) ?? new EventStream();
        stream.start(results as AsyncIterable<ExecutionResult>, keepAliveMs, request.signal);
        return eventStreamResponse(stream, fetchAPI);
      }, 'text/event-stream');
    },
  };
}
