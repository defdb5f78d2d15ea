// Every request is authenticated before anything else runs (GraphQL, SSE, ingest). What the key's
// scopes then allow is written on the schema's fields and root types (src/schema/auth-scopes.ts).
// WebSocket connections authenticate once, in `connection_init` (see server.ts).
import type { Plugin } from 'graphql-yoga';
import { errorResponse, unavailableResponse } from '../answers.js';
import { classifyDatabaseError } from '../db/faults.js';
import { clientAddress, socketAddress } from '../security/client-address.js';
import { type Authenticator, isFailure } from './authenticate.js';
import type { Principal } from './principal.js';

const principals = new WeakMap<Request, Principal>();

/** Paths of the recording proxies (src/connectors/einstein/proxy.ts). */
export const PROXY_PREFIX = '/proxy/';
/** Where a proxied call carries Parley's API key. */
export const PARLEY_KEY_HEADER = 'x-parley-key';

/** The principal the auth plugin established for this HTTP request. */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

function unauthenticated(graphql: boolean, message: string): Response {
  return errorResponse(401, 'UNAUTHENTICATED', message, {}, { 'www-authenticate': 'Bearer realm="parley"' }, graphql);
}

export function authPlugin(
  authenticator: Authenticator,
  graphqlEndpoint: string,
  options: { graphiql: boolean; trustProxyHops?: number; logError?: (error: unknown) => void },
): Plugin {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      // The health check and the GraphiQL page carry no data; what GraphiQL then sends is checked.
      // Without GraphiQL a browser's GET is a GraphQL request like any other, and needs a key.
      if (url.pathname === '/health') return;
      if (options.graphiql && request.method === 'GET' && url.pathname === graphqlEndpoint && (request.headers.get('accept') ?? '').includes('text/html'))
        return;
      // On the recording proxies `Authorization` belongs to the vendor: Parley's key is `X-Parley-Key`.
      const proxied = url.pathname.startsWith(PROXY_PREFIX);
      const key = proxied ? request.headers.get(PARLEY_KEY_HEADER) : null;
      let result: Awaited<ReturnType<Authenticator['authenticate']>>;
      try {
        const address = clientAddress(socketAddress(serverContext), request.headers.get('x-forwarded-for'), options.trustProxyHops ?? 0);
        result = await authenticator.authenticate(proxied ? (key === null ? null : `Bearer ${key}`) : request.headers.get('authorization'), address);
      } catch (error) {
        // Keys live in the database: while it cannot answer, no request can be authenticated, and the
        // caller is told to come back rather than that its key is wrong — whatever the error was (an
        // unforeseen one is logged too). A proxied call with a key this process verified before still
        // goes through (its recording will fail and be counted): the vendor's exchange must not depend
        // on Parley's database, nor open it to unknown callers.
        if (classifyDatabaseError(error) === 'unknown') options.logError?.(error);
        const known = proxied && key !== null ? authenticator.lastVerified(key) : undefined;
        if (known) {
          principals.set(request, known);
          return;
        }
        endResponse(unavailableResponse({ graphql: url.pathname === graphqlEndpoint }));
        return;
      }
      if (isFailure(result) && result.code === 'RATE_LIMITED') {
        const retryAfter = result.retryAfterSeconds ?? 1;
        endResponse(
          errorResponse(
            429,
            'RATE_LIMITED',
            result.message,
            { retryAfterSeconds: retryAfter },
            { 'retry-after': String(retryAfter) },
            url.pathname === graphqlEndpoint,
          ),
        );
        return;
      }
      if (isFailure(result)) {
        const message = proxied
          ? result.message.replace('`Authorization: Bearer <key>`', '`X-Parley-Key: <key>` (Authorization goes to the vendor)')
          : result.message;
        endResponse(unauthenticated(url.pathname === graphqlEndpoint, message));
        return;
      }
      principals.set(request, result);
    },
  };
}
