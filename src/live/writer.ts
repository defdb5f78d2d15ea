// How a subscription's results reach its client without passing through an iterator per subscriber.
// A transport that can write a result's bytes straight to the client's socket puts a LiveWriter in the
// operation's context (`liveWriter`: the WebSocket server per operation, ./sse.ts per event stream);
// ./shared-execution.ts then writes each shared result through it, and the iterator the transport
// holds only ends (complete, or the error that ended the subscription).
//
// A result is serialised once, however many clients receive it; each writer adds its own framing.
import type { ExecutionResult } from 'graphql';

export type LiveResult = ExecutionResult<Record<string, unknown>, Record<string, unknown>>;

export interface LiveWriter {
  /** Which transport writes (for /metrics). */
  readonly transport: 'sse' | 'websocket';
  /** Writes one result now. */
  write(result: LiveResult): void;
  /**
   * Results written to this operation that its socket has not taken yet (still in the process's
   * buffers): what says a client is too slow, counted per operation and in results, not bytes.
   */
  readonly backlog: number;
}

/** The writer a transport put in an operation's context, if any. */
export function liveWriterOf(context: unknown): LiveWriter | undefined {
  return (context as { liveWriter?: LiveWriter } | null)?.liveWriter;
}

/**
 * A result as a client receives it (GraphQL over HTTP's and graphql-ws's shape): errors as their JSON,
 * without what Yoga keeps for itself (`http`, `unexpected`). Made once per result.
 */
const serialised = new WeakMap<object, string>();
export function resultJson(result: ExecutionResult): string {
  let json = serialised.get(result);
  if (json === undefined) {
    const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
    const errors = result.errors?.map((error) => {
      const own = error.toJSON();
      const { http: _status, unexpected: _unexpected, ...rest } = (own.extensions ?? {}) as Record<string, unknown>;
      return { ...own, extensions: Object.keys(rest).length > 0 ? rest : undefined };
    });
    json = JSON.stringify({ ...result, errors, extensions: Object.keys(extensions).length > 0 ? extensions : undefined });
    serialised.set(result, json);
  }
  return json;
}
