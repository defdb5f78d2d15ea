// Subscription clients for tests: the official graphql-sse and graphql-ws clients against a real port.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  values: T[];
  /** Each value's `extensions` (the outbox event id is there), in the same order as `values`. */
  extensions: (Record<string, unknown> | undefined)[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `count` values have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves once `done(values)` holds (or rejects after `timeoutMs`, naming `what`). */
  waitUntil(done: (values: T[]) => boolean, what: string, timeoutMs?: number): Promise<T[]>;
  waitForEnd(timeoutMs?: number): Promise<void>;
  dispose(): void;
}

type Payload<T> = { data?: T | null; errors?: unknown; extensions?: Record<string, unknown> };

function collector<T>(): { received: Received<T>; sink: { next(v: Payload<T>): void; error(e: unknown): void; complete(): void } } {
  const waiters: (() => void)[] = [];
  const notify = () => {
    for (const w of waiters.splice(0)) w();
  };
  const wait = (done: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      const timer = setTimeout(
        () =>
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(received.values).slice(0, 300)} errors ${JSON.stringify(received.errors)}`)),
        timeoutMs,
      );
      check();
    });
  const received: Received<T> = {
    values: [],
    extensions: [],
    errors: [],
    completed: false,
    async waitFor(count, timeoutMs = 10_000) {
      await wait(() => received.values.length >= count, `${count} values`, timeoutMs);
      return received.values.slice(0, count);
    },
    async waitUntil(done, what, timeoutMs = 10_000) {
      await wait(() => done(received.values), what, timeoutMs);
      return received.values;
    },
    async waitForEnd(timeoutMs = 10_000) {
      await wait(() => received.completed || received.errors.length > 0, 'the end', timeoutMs);
    },
    dispose: () => {},
  };
  return {
    received,
    sink: {
      next(value) {
        if (value.errors) received.errors.push(value.errors);
        if (value.data) {
          received.values.push(value.data);
          received.extensions.push(value.extensions);
        }
        notify();
      },
      error(error) {
        received.errors.push(error);
        notify();
      },
      complete() {
        received.completed = true;
        notify();
      },
    },
  };
}

export function subscribeSse<T>(url: string, query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>): Received<T> {
  const client = createSseClient({ url, retryAttempts: 0, ...(headers ? { headers } : {}) });
  const { received, sink } = collector<T>();
  const unsubscribe = client.subscribe<T>({ query, variables }, sink as never);
  received.dispose = () => {
    unsubscribe();
    client.dispose();
  };
  return received;
}

export function wsClient(url: string, connectionParams?: Record<string, unknown>): WsClient {
  return createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
  });
}

export function subscribeWs<T>(client: WsClient, query: string, variables: Record<string, unknown> = {}): Received<T> {
  const { received, sink } = collector<T>();
  const unsubscribe = client.subscribe<T>({ query, variables }, sink as never);
  received.dispose = unsubscribe;
  return received;
}

/** Waits until the hub has `count` subscribers, so an ingest that follows is seen by all of them. */
export async function untilSubscribers(read: () => number, count: number, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (read() < count) {
    if (Date.now() - started > timeoutMs) throw new Error(`only ${read()} of ${count} subscribers arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ExecutionResultLike {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

/**
 * The results an SSE response (Yoga's distinct-connections protocol) sends within `waitMs`, up to the
 * first one; the stream is cancelled after. A response that is not a stream (refused before it began)
 * is read as one result.
 */
export async function firstSseResults(response: Response, waitMs: number): Promise<{ results: ExecutionResultLike[]; text: string }> {
  if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const text = await response.text();
    return { results: [JSON.parse(text) as ExecutionResultLike], text };
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + waitMs;
  const results: ExecutionResultLike[] = [];
  let text = '';
  while (results.length === 0 && !/^event: complete$/m.test(text) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(1, deadline - Date.now())))]);
    if (chunk === null || chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    for (const block of text.split('\n\n')) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (/^event: next$/m.test(block) && data !== undefined) results.push(JSON.parse(data) as ExecutionResultLike);
    }
  }
  await reader.cancel();
  return { results, text };
}
