// The answers every route shares: a JSON response, a route's coded error (`{ error: { code, message } }`
// on the ingest routes and the recording proxy; `{ errors: [...] }` on /graphql), and the one answer to
// anything that is not the client's fault — 503 SERVICE_UNAVAILABLE with Retry-After — which never
// carries a stack, a driver message, a file path or a database name (README, "Errors").
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RETRY_AFTER_SECONDS } from './db/faults.js';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

/** A route's error answer: `{ error: { code, message, ...extra } }`, or `{ errors: [...] }` where GraphQL is spoken. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
  graphql = false,
): Response {
  const body = graphql ? { errors: [{ message, extensions: { code, ...extra } }] } : { error: { code, message, ...extra } };
  return jsonResponse(status, body, headers);
}

const DEFAULT_UNAVAILABLE = 'The service cannot answer right now (its database is unavailable); nothing was stored. Retry shortly.';

/** 503 with Retry-After: retry this request as it is. */
export function unavailableResponse(options: { graphql?: boolean; message?: string; retryAfterSeconds?: number } = {}): Response {
  const retryAfterSeconds = options.retryAfterSeconds ?? RETRY_AFTER_SECONDS;
  return errorResponse(
    503,
    SERVICE_UNAVAILABLE,
    options.message ?? DEFAULT_UNAVAILABLE,
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
    options.graphql ?? false,
  );
}

/** The GraphQL error of the same: HTTP 503 with Retry-After when it ends the request (Yoga reads `extensions.http`). */
export function unavailableError(message = DEFAULT_UNAVAILABLE, retryAfterSeconds = RETRY_AFTER_SECONDS): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: SERVICE_UNAVAILABLE, retryAfterSeconds, http: { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } } },
  });
}

/**
 * `plugin` with its request hook guarded: whatever it throws becomes the 503 above (logged), never the
 * server adapter's default answer to a throwing hook — HTTP 500 with the error's stack as plain text.
 */
export function guardedPlugin<P extends object>(plugin: P, options: { graphqlEndpoint: string; logError: (error: unknown) => void }): P {
  const onRequest = (plugin as Pick<Plugin, 'onRequest'>).onRequest;
  if (onRequest === undefined) return plugin;
  const guarded: Pick<Plugin, 'onRequest'> = {
    async onRequest(payload) {
      try {
        await onRequest(payload);
      } catch (error) {
        options.logError(error);
        payload.endResponse(unavailableResponse({ graphql: payload.url.pathname === options.graphqlEndpoint }));
      }
    },
  };
  return { ...plugin, ...guarded };
}
