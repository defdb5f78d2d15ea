// Parley's public GraphQL API as the monitor uses it: queries over POST /graphql, subscriptions over
// graphql-sse (POST, so the key travels as a header), on this page's own origin only. The key is sent
// as documented: `Authorization: Bearer <key>` (none in development, where no key exists yet).
import { createClient, type Client } from 'graphql-sse';

export type ConnectionState = 'live' | 'reconnecting';

/** The gateway refused the key (401) or its scope (403). */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const ENDPOINT = '/graphql';

export interface Api {
  query<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Starts a subscription; the returned function ends it. Lost connections are retried for ever. */
  subscribe<T>(query: string, variables: Record<string, unknown>, next: (data: T) => void, fail: (error: Error) => void): () => void;
  dispose(): void;
}

export function createApi(key: string | null, onConnection: (state: ConnectionState) => void): Api {
  const headers = (): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  let failures = 0;
  // Every subscription request passes here: a failure to connect is shown as "reconnecting" until one
  // gets through again.
  const observedFetch: typeof fetch = async (input, init) => {
    try {
      const response = await fetch(input, init);
      if (response.ok) {
        failures = 0;
        onConnection('live');
      } else if (response.status >= 500) onConnection('reconnecting');
      return response;
    } catch (error) {
      failures += 1;
      onConnection('reconnecting');
      throw error;
    }
  };
  const client: Client = createClient({
    url: ENDPOINT,
    headers,
    fetchFn: observedFetch,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Backs off to a retry every 5 s at most.
    retry: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * 2 ** Math.min(retries, 4)))),
  });

  return {
    async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetch(ENDPOINT, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers() },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        onConnection('reconnecting');
        throw error;
      }
      const body = (await response.json().catch(() => ({}))) as GraphqlResponse<T>;
      if (response.status === 401 || response.status === 403) {
        throw new RefusedError(body.errors?.[0]?.message ?? `HTTP ${String(response.status)}`, response.status);
      }
      if (response.status >= 500) onConnection('reconnecting');
      else if (failures === 0) onConnection('live');
      if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
      if (!body.data) throw new Error(`HTTP ${String(response.status)}`);
      return body.data;
    },
    subscribe<T>(query: string, variables: Record<string, unknown>, next: (data: T) => void, fail: (error: Error) => void) {
      let stopped = false;
      let stop = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const start = (attempt: number) => {
        // An operation the gateway answered with errors (a session not found, a refused argument) is over
        // for good: it is not started again.
        let refused = false;
        stop = client.subscribe<T>(
          { query, variables },
          {
            next: (result) => {
              attempt = 0;
              if (result.data) next(result.data);
              else if (result.errors?.length) {
                refused = true;
                fail(new Error(result.errors.map((e) => e.message).join('; ')));
              }
            },
            error: (error) => fail(error instanceof Error ? error : new Error(String(error))),
            // A gateway that drains (a restart, a deploy) completes its subscriptions: the page was not
            // done with them, so it subscribes again, after a pause that grows while that keeps happening.
            complete: () => {
              if (stopped || refused) return;
              onConnection('reconnecting');
              timer = setTimeout(() => start(attempt + 1), Math.min(5000, 500 * 2 ** Math.min(attempt, 4)));
            },
          },
        );
      };
      start(0);
      return () => {
        stopped = true;
        clearTimeout(timer);
        stop();
      };
    },
    dispose: () => client.dispose(),
  };
}
